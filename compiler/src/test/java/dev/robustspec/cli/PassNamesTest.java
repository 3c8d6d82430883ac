package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.plan.PropertyPlan;
import dev.robustspec.engine.verify.PlanStep;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code --passes} lists: durations with the units the .rspec language writes. */
class PassNamesTest {

  @Test
  void durationsTakeTheLanguagesUnits() {
    List<PlanStep> steps = PassNames.plan(
        "deeppoly(timeout = 20s), relubab(timeout=2min), kalpha(timeout = 500ms), alpha(timeout=3)",
        784, 0).steps();
    assertEquals(Duration.ofSeconds(20), steps.get(0).timeout());
    assertEquals(Duration.ofSeconds(120), steps.get(1).timeout());
    assertEquals(Duration.ofMillis(500), steps.get(2).timeout());
    assertEquals(Duration.ofSeconds(3), steps.get(3).timeout());
  }

  @Test
  void aUnitOnANumberIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PassNames.plan("kalpha(k = 3s)", 784, 0));
    assertTrue(e.getMessage().contains("k is a number, not a duration"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> PassNames.plan("relubab(timeout = s)", 784, 0));
    assertTrue(bad.getMessage().contains("is not name=number"), bad.getMessage());
  }

  /** What {@code robustspec plan} shows of the default plan runs as a --passes list. */
  @Test
  void theDefaultPlanAsShownIsAPassesList() {
    for (int inputs : new int[] {5, 784}) {
      PropertyPlan shown = PropertyPlan.defaultPlan(inputs);
      String written = shown.passes().stream().map(PassInvocation::display)
          .collect(Collectors.joining(", "));
      List<PlanStep> parsed = PassNames.plan(written, inputs, 0).steps();
      List<PlanStep> expected = shown.toEnginePlan().steps();
      assertEquals(expected.size(), parsed.size(), written);
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i).name(), parsed.get(i).name(), written);
        assertEquals(expected.get(i).timeout(), parsed.get(i).timeout(), written);
      }
    }
  }
}
