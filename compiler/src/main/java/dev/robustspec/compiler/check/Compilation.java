package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.engine.plan.PropertyPlan;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.run.Problem;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.LocalRobustness;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.List;
import java.util.Map;

/**
 * What the compiler made of a file: the tree, every diagnostic, and the checked model (networks,
 * regions, properties with their unsafe cases and plans). Declarations with errors are left out
 * of the model; the rest is usable, so one bad property does not stop the others.
 */
public record Compilation(String fileName, String source, Ast.SpecFile ast,
    List<SpecDiagnostic> diagnostics, Map<String, CompiledNetwork> networks,
    Map<String, CompiledRegion> regions, List<CompiledProperty> properties) {

  public Compilation {
    diagnostics = List.copyOf(diagnostics);
    networks = Map.copyOf(networks);
    regions = Map.copyOf(regions);
    properties = List.copyOf(properties);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(SpecDiagnostic::isError);
  }

  /** A network declaration that checked out. {@code origin} is the file path or "inline". */
  public record CompiledNetwork(String name, Network network, String origin, SourceRange range) {}

  /** A region: one box or, from VNN-LIB, several (their union). */
  public record CompiledRegion(String name, List<Box> boxes, int dimension, SourceRange range) {
    public CompiledRegion {
      boxes = List.copyOf(boxes);
    }
  }

  /**
   * Which item of a data set a property is about, for a property quantified over one
   * ({@code property p: forall (x0, label) in data: ...}): the declared property's name, the
   * item's row index, its label, and its values as the network reads them (scaled and
   * normalised; for pictures of counterexamples). Null for an ordinary property.
   */
  public record DataItem(String property, int index, int label, double[] center) {}

  /**
   * A radius search ({@code largest eps in (from, to] tolerance t}): the property holds over the
   * ball of radius {@code eps} around {@code center} (as stored; {@code ball} scales, clips and
   * normalises it), and the search looks for the largest such radius. The property's
   * {@link CompiledProperty#specification} is the one at radius {@code to}; {@link #at} gives it
   * at any radius (the same unsafe cases over another box).
   */
  public record RadiusForm(String variable, double from, double to, double tolerance,
      LocalRobustness ball, double[] center) {
    public RadiusForm {
      center = center.clone();
    }

    /** {@code property}'s unsafe cases over {@code region} instead of their own box. */
    public static Specification at(Specification property, Box region) {
      List<UnsafeCase> cases = property.cases().stream()
          .map(c -> new UnsafeCase(region, c.constraints(), c.inputConstraints())).toList();
      return new Specification(property.inputSize(), property.outputSize(), cases);
    }
  }

  /**
   * A property ready for the engine: the network it is about, its negation as unsafe cases, its
   * plan, each network output as the file writes it ({@code tiny(x)[0]}; VNN-LIB's
   * {@code Y_0} for an imported property), so cases are shown in the file's terms, and the data
   * item it is about (null for an ordinary property) and its radius search (null when it has none).
   */
  public record CompiledProperty(String name, String networkName, Network network,
      Specification specification, PropertyPlan plan, SourceRange range,
      List<String> outputNames, DataItem item, RadiusForm radius) {
    public CompiledProperty {
      outputNames = List.copyOf(outputNames);
    }

    /** A property without a radius search. */
    public CompiledProperty(String name, String networkName, Network network,
        Specification specification, PropertyPlan plan, SourceRange range,
        List<String> outputNames, DataItem item) {
      this(name, networkName, network, specification, plan, range, outputNames, item, null);
    }

    /** This property with another plan (its radius search kept). */
    public CompiledProperty withPlan(PropertyPlan other) {
      return new CompiledProperty(name, networkName, network, specification, other, range,
          outputNames, item, radius);
    }

    /** A property about no data item. */
    public CompiledProperty(String name, String networkName, Network network,
        Specification specification, PropertyPlan plan, SourceRange range,
        List<String> outputNames) {
      this(name, networkName, network, specification, plan, range, outputNames, null);
    }

    /** A property whose outputs are shown as the engine's {@code y0, y1, ...}. */
    public CompiledProperty(String name, String networkName, Network network,
        Specification specification, PropertyPlan plan, SourceRange range) {
      this(name, networkName, network, specification, plan, range,
          CaseText.names("y", "", network.outputSize()));
    }

    /** What the engine runs for this property. */
    public Problem problem() {
      return new Problem(network, specification, plan.toEnginePlan());
    }

    /** One unsafe case in the file's terms: {@code tiny(x)[0] > 3 and tiny(x)[1] <= 0}. */
    public String caseText(UnsafeCase unsafe) {
      return CaseText.of(unsafe, outputNames);
    }
  }
}
