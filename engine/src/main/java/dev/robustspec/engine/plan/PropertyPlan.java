package dev.robustspec.engine.plan;

import dev.robustspec.engine.relax.AlphaPass;
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
 * at most {@link DefaultPlan#BAB_MAX_INPUTS} inputs, {@code alpha(interm = 20, share = 0.5)} and
 * {@code relubab} otherwise) shown as
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

  /** An engine step as the registry's pass with its parameters (no time cap). */
  private static PassInvocation invocation(PlanStep step) {
    PassRegistry.PassSpec spec = PassRegistry.get(step.name());
    Map<String, Double> given = new LinkedHashMap<>();
    if (step instanceof PlanStep.Search s) {
      given.put("samples", (double) s.options().samples());
      given.put("restarts", (double) s.options().restarts());
      given.put("steps", (double) s.options().steps());
      given.put("seed", (double) s.options().seed());
      given.put("share", s.options().share());
    } else if (step instanceof PlanStep.Branch b) {
      given.put("depth", (double) b.options().maxDepth());
      given.put("boxes", (double) b.options().maxBoxes());
      given.put("steps", (double) b.options().attackSteps());
      given.put("seed", (double) b.options().seed());
      given.put("refine", (double) b.options().refineEvery());
      given.put("alpha", (double) b.options().alphaSteps());
      given.put("unstable", (double) b.options().alphaUnstable());
    } else if (step instanceof PlanStep.Relax r && r.pass() instanceof AlphaPass a) {
      given.put("iterations", (double) a.options().iterations());
      given.put("lr", a.options().learningRate());
      given.put("decay", a.options().decay());
      given.put("interm", (double) a.options().intermediateIterations());
      given.put("share", a.options().intermediateShare());
    } else if (step instanceof PlanStep.ReluBranch rb) {
      given.put("open", (double) rb.options().maxOpen());
      given.put("domains", (double) rb.options().maxDomains());
      given.put("steps", (double) rb.options().attackSteps());
      given.put("jobs", (double) rb.options().parallelism());
    }
    return new PassInvocation(spec, PassRegistry.withDefaults(spec, given));
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
