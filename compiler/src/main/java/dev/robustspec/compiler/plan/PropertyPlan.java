package dev.robustspec.compiler.plan;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ordered passes of one property, as written in a {@code verify} statement or the default:
 * {@code attack(samples = 16, restarts = 1, steps = 20), interval, deeppoly, attack}, then
 * {@code bab} (input splitting) when the network has at most
 * {@link PassRegistry#BAB_DEFAULT_MAX_INPUTS} inputs (input splitting pays off only there),
 * {@code relubab} (ReLU splitting) otherwise.
 */
public record PropertyPlan(List<PassInvocation> passes, boolean isDefault, SourceRange range) {

  public PropertyPlan {
    passes = List.copyOf(passes);
  }

  public static PropertyPlan defaultPlan(int inputSize) {
    PassRegistry.PassSpec attack = PassRegistry.get("attack");
    List<PassInvocation> steps = new ArrayList<>();
    steps.add(new PassInvocation(attack, PassRegistry.withDefaults(attack,
        Map.of("samples", 16.0, "restarts", 1.0, "steps", 20.0)), SourceRange.NONE));
    for (String name : List.of("interval", "deeppoly")) {
      PassRegistry.PassSpec p = PassRegistry.get(name);
      steps.add(new PassInvocation(p, PassRegistry.withDefaults(p, Map.of()), SourceRange.NONE));
    }
    steps.add(new PassInvocation(attack, PassRegistry.withDefaults(attack, Map.of()),
        SourceRange.NONE));
    PassRegistry.PassSpec bab = PassRegistry.get(
        inputSize <= PassRegistry.BAB_DEFAULT_MAX_INPUTS ? "bab" : "relubab");
    steps.add(new PassInvocation(bab, PassRegistry.withDefaults(bab, Map.of()),
        SourceRange.NONE));
    return new PropertyPlan(steps, true, SourceRange.NONE);
  }

  public Verifier.Plan toEnginePlan() {
    List<PlanStep> steps = new ArrayList<>();
    for (PassInvocation p : passes) {
      steps.add(p.toStep());
    }
    return new Verifier.Plan(steps);
  }
}
