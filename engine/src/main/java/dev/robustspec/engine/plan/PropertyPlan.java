package dev.robustspec.engine.plan;

import dev.robustspec.engine.run.DefaultPlan;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered passes of one property, as written in a {@code verify} statement or a
 * {@code --passes} list, or the engine's {@link DefaultPlan} (a quick attack,
 * {@code interval, deeppoly}, a thorough {@code attack}, then {@code bab} when the network has
 * at most {@link DefaultPlan#BAB_MAX_INPUTS} inputs, {@code alpha(interm = 20, share = 0.5)},
 * {@code relubab(timeout = 20s)}, {@code kalpha(timeout = 120s)} and {@code relubab} otherwise)
 * shown as
 * passes. The one plan model: the {@code .rspec} checker and {@code --passes} both build it,
 * through the one {@link PlanValidator}; {@link #toEnginePlan} gives the steps the verifier
 * runs.
 */
public record PropertyPlan(List<PassInvocation> passes, boolean isDefault) {

  public PropertyPlan {
    passes = List.copyOf(passes);
  }

  /** The engine's {@link DefaultPlan} for the network, as pass invocations (seed 0). */
  public static PropertyPlan defaultPlan(int inputSize) {
    List<PassInvocation> steps = new ArrayList<>();
    for (PlanStep step : DefaultPlan.forNetwork(inputSize, 0).steps()) {
      steps.add(invocation(step));
    }
    return new PropertyPlan(steps, true);
  }

  /** An engine step as the registry's pass with its parameters and its time cap, if any. */
  private static PassInvocation invocation(PlanStep step) {
    PassRegistry.PassSpec spec = PassRegistry.get(step.name());
    return new PassInvocation(spec, spec.parameters(step));
  }

  /** Every step with the given {@code seed} where the step has a seed parameter. */
  public PropertyPlan seeded(long seed) {
    List<PassInvocation> out = new ArrayList<>();
    for (PassInvocation p : passes) {
      Map<String, Double> params = new LinkedHashMap<>(p.parameters());
      if (params.containsKey("seed")) {
        params.put("seed", (double) seed);
      }
      out.add(new PassInvocation(p.pass(), params));
    }
    return new PropertyPlan(out, isDefault);
  }

  /** The steps the verifier runs. */
  public Verifier.Plan toEnginePlan() {
    List<PlanStep> steps = new ArrayList<>();
    for (PassInvocation p : passes) {
      steps.add(p.toStep());
    }
    return new Verifier.Plan(steps);
  }
}
