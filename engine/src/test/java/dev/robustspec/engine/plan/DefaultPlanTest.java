package dev.robustspec.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
      } else if (e instanceof PlanStep.ReluBranch rb) {
        assertEquals(rb.options(), ((PlanStep.ReluBranch) c).options());
      }
    }
    List<String> names = compiled.stream().map(PlanStep::name).toList();
    assertEquals(inputs <= DefaultPlan.BAB_MAX_INPUTS
        ? List.of("attack", "interval", "deeppoly", "attack", "bab")
        : List.of("attack", "interval", "deeppoly", "attack", "alpha", "relubab"), names);
  }
}
