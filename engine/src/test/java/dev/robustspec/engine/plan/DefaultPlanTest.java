package dev.robustspec.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.lp.KReluAlphaPass;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.run.DefaultPlan;
import dev.robustspec.engine.verify.PlanStep;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The language's default plan is the engine's, step by step, budgets included. */
class DefaultPlanTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 16, 17, 784})
  void theLanguagesDefaultPlanRunsTheEnginesDefaultPlan(int inputs) {
    PropertyPlan shown = PropertyPlan.defaultPlan(inputs);
    assertTrue(shown.isDefault());
    List<PlanStep> engine = DefaultPlan.forNetwork(inputs, 0).steps();
    List<PlanStep> compiled = shown.toEnginePlan().steps();
    assertEquals(engine.size(), compiled.size());
    for (int i = 0; i < engine.size(); i++) {
      PlanStep e = engine.get(i);
      PlanStep c = compiled.get(i);
      assertEquals(e.name(), c.name());
      assertEquals(e.timeout(), c.timeout());
      assertEquals(e.getClass(), c.getClass());
      if (e instanceof PlanStep.Search s) {
        assertEquals(s.options(), ((PlanStep.Search) c).options());
      } else if (e instanceof PlanStep.Branch b) {
        assertEquals(b.options(), ((PlanStep.Branch) c).options());
      } else if (e instanceof PlanStep.Relax r && r.pass() instanceof AlphaPass a) {
        assertEquals(a.options(), ((AlphaPass) ((PlanStep.Relax) c).pass()).options());
      } else if (e instanceof PlanStep.Relax r && r.pass() instanceof KReluAlphaPass k) {
        KReluAlphaPass shownPass = (KReluAlphaPass) ((PlanStep.Relax) c).pass();
        assertEquals(k.options(), shownPass.options());
        assertEquals(k.groups(), shownPass.groups());
      } else if (e instanceof PlanStep.ReluBranch rb) {
        assertEquals(rb.options(), ((PlanStep.ReluBranch) c).options());
      }
    }
    List<String> names = compiled.stream().map(PlanStep::name).toList();
    assertEquals(inputs <= DefaultPlan.BAB_MAX_INPUTS
        ? List.of("attack", "interval", "deeppoly", "attack", "bab")
        : List.of("attack", "interval", "deeppoly", "attack", "alpha", "relubab", "kalpha",
            "relubab"), names);
  }

  /** The default plan's kalpha is the pass a plain {@code kalpha} in a plan runs. */
  @org.junit.jupiter.api.Test
  void theDefaultKalphaHasTheRegistrysDefaults() {
    PassRegistry.PassSpec spec = PassRegistry.get("kalpha");
    PlanStep step = new PassInvocation(spec, PassRegistry.withDefaults(spec, java.util.Map.of()))
        .toStep();
    KReluAlphaPass plain = (KReluAlphaPass) ((PlanStep.Relax) step).pass();
    assertEquals(KReluAlphaPass.DEFAULT_OPTIONS, plain.options());
    assertEquals(KReluAlphaPass.DEFAULT_GROUPS, plain.groups());
  }

  /**
   * A step shows the parameters it was built with, none left at a default it does not have:
   * building it again from them gives the same options (the round trip the default plan's
   * display rests on).
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "attack:samples=7,restarts=3,steps=11,seed=5,share=0.25,timeout=2.5",
      "bab:depth=9,boxes=77,steps=3,seed=2,refine=4,alpha=0,unstable=6",
      "alpha:iterations=3,lr=0.1,decay=0.5,interm=4,share=0.3,timeout=7",
      "kalpha:iterations=9,lr=0.2,cutlr=0.01,decay=0.9,k=4,ns=12,s=2,timeout=30",
      "relubab:open=50,domains=1000,steps=2,jobs=1,beta=5,fsb=8,cuts=0,timeout=20"})
  void aStepShowsTheParametersItWasBuiltWith(String written) {
    String[] parts = written.split(":");
    PassRegistry.PassSpec spec = PassRegistry.get(parts[0]);
    java.util.Map<String, Double> given = new java.util.LinkedHashMap<>();
    for (String kv : parts[1].split(",")) {
      String[] pair = kv.split("=");
      given.put(pair[0], Double.parseDouble(pair[1]));
    }
    java.util.Map<String, Double> all = PassRegistry.withDefaults(spec, given);
    PlanStep step = spec.factory().apply(all);
    assertEquals(all, spec.parameters(step));
  }
}
