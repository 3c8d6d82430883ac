package dev.robustspec.cli;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.plan.PassInvocation;
import dev.robustspec.compiler.plan.PassRegistry;
import dev.robustspec.compiler.plan.PropertyPlan;
import dev.robustspec.engine.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans for the VNN-COMP commands ({@code instance}, {@code batch}): the passes of the
 * {@link PassRegistry}, named in a comma-separated list with their default parameters, or the
 * language's default plan.
 */
final class PassNames {
  /** The word that selects the default plan. */
  static final String DEFAULT = "default";

  private PassNames() {}

  /** Checks a {@code --passes} value; throws IllegalArgumentException with a clear message. */
  static void validate(String list) {
    plan(list, 1, 0);
  }

  /** The plan for a network with {@code inputSize} inputs; {@code seed} seeds every search. */
  static Verifier.Plan plan(String list, int inputSize, long seed) {
    List<PassInvocation> steps = new ArrayList<>();
    if (list.trim().equalsIgnoreCase(DEFAULT)) {
      steps.addAll(PropertyPlan.defaultPlan(inputSize).passes());
    } else {
      steps.addAll(named(list));
    }
    List<PassInvocation> seeded = new ArrayList<>();
    for (PassInvocation p : steps) {
      Map<String, Double> params = new java.util.HashMap<>(p.parameters());
      if (params.containsKey("seed")) {
        params.put("seed", (double) seed);
      }
      seeded.add(new PassInvocation(p.pass(), params, p.range()));
    }
    return new PropertyPlan(seeded, false, SourceRange.NONE).toEnginePlan();
  }

  private static List<PassInvocation> named(String list) {
    List<PassInvocation> steps = new ArrayList<>();
    for (String raw : list.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      PassRegistry.PassSpec spec = PassRegistry.get(name);
      if (spec == null) {
        throw new IllegalArgumentException("unknown pass '" + raw.trim() + "'; known passes: "
            + String.join(", ", PassRegistry.names()) + " (or 'default')");
      }
      steps.add(new PassInvocation(spec, PassRegistry.withDefaults(spec, Map.of()),
          SourceRange.NONE));
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("no pass named; known passes: "
          + String.join(", ", PassRegistry.names()) + " (or 'default')");
    }
    return steps;
  }
}
