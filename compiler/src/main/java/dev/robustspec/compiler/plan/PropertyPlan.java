package dev.robustspec.compiler.plan;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.engine.run.DefaultPlan;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered passes of one property, as written in a {@code verify} statement, or the engine's
 * {@link DefaultPlan} (a quick attack, {@code interval, deeppoly}, a thorough {@code attack},
 * then {@code bab} when the network has at most {@link DefaultPlan#BAB_MAX_INPUTS} inputs).
 */
public record PropertyPlan(List<PassInvocation> passes, boolean isDefault, SourceRange range) {

  public PropertyPlan {
    passes = List.copyOf(passes);
  }

  /** The engine's {@link DefaultPlan} for the network, as pass invocations (seed 0). */
  public static PropertyPlan defaultPlan(int inputSize) {
    List<PassInvocation> steps = new ArrayList<>();
    for (PlanStep step : DefaultPlan.forNetwork(inputSize, 0).steps()) {
      steps.add(invocation(step));
    }
    return new PropertyPlan(steps, true, SourceRange.NONE);
  }

  /** An engine step as the registry's pass with its parameters (no time cap). */
  private static PassInvocation invocation(PlanStep step) {
    PassRegistry.PassSpec spec = PassRegistry.get(step.name());
    Map<String, Double> given = new LinkedHashMap<>();
    if (step instanceof PlanStep.Search s) {
      given.put("samples", (double) s.options().samples());
      given.put("restarts", (double) s.options().restarts());
      given.put("steps", (double) s.options().steps());
      given.put("seed", (double) s.options().seed());
    } else if (step instanceof PlanStep.Branch b) {
      given.put("depth", (double) b.options().maxDepth());
      given.put("boxes", (double) b.options().maxBoxes());
      given.put("steps", (double) b.options().attackSteps());
      given.put("seed", (double) b.options().seed());
    }
    return new PassInvocation(spec, PassRegistry.withDefaults(spec, given), SourceRange.NONE);
  }

  public Verifier.Plan toEnginePlan() {
    List<PlanStep> steps = new ArrayList<>();
    for (PassInvocation p : passes) {
      steps.add(p.toStep());
    }
    return new Verifier.Plan(steps);
  }
}
