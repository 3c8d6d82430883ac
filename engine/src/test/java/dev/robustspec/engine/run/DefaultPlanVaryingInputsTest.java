package dev.robustspec.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.verify.PlanStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default plan counts the inputs the specification lets vary, over all its regions. */
class DefaultPlanVaryingInputsTest {

  private static UnsafeCase in(double[] lo, double[] hi) {
    return new UnsafeCase(new Box(lo, hi), List.of(new OutputConstraint(new double[] {1}, 0)));
  }

  private static boolean hasBab(Specification spec) {
    return DefaultPlan.forProblem(spec, 0).steps().stream()
        .anyMatch(s -> s instanceof PlanStep.Branch);
  }

  @Test
  void fixedInputsDoNotCount() {
    int n = 20;
    double[] lo = new double[n];
    double[] hi = new double[n];
    for (int i = 0; i < 3; i++) {
      hi[i] = 1; // inputs 0..2 vary, the other 17 are fixed at 0
    }
    double[] lo2 = lo.clone();
    double[] hi2 = lo.clone();
    hi2[19] = 0.5; // a second region lets input 19 vary too
    Specification spec = new Specification(n, 1, List.of(in(lo, hi), in(lo2, hi2)));
    assertEquals(4, DefaultPlan.varyingInputs(spec));
    assertEquals(true, hasBab(spec));
    double[] all = new double[n];
    java.util.Arrays.fill(all, 1);
    Specification wide = new Specification(n, 1, List.of(in(lo, all)));
    assertEquals(20, DefaultPlan.varyingInputs(wide));
    assertEquals(false, hasBab(wide));
  }
}
