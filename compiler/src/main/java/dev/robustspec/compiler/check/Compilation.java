package dev.robustspec.compiler.check;

import dev.robustspec.compiler.ast.Ast;
import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.engine.plan.PropertyPlan;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.run.Problem;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
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
   * A property ready for the engine: the network it is about, its negation as unsafe cases, and
   * its plan.
   */
  public record CompiledProperty(String name, String networkName, Network network,
      Specification specification, PropertyPlan plan, SourceRange range) {
    /** What the engine runs for this property. */
    public Problem problem() {
      return new Problem(network, specification, plan.toEnginePlan());
    }
  }
}
