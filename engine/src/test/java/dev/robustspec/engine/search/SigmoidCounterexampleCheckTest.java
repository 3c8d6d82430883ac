package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ElementwiseActivationLayer;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counterexamples of a sigmoid network, which has no exact rule: confirmed when the rigorous
 * enclosure decides the comparison, rejected (never reported unconfirmed) when it straddles.
 */
class SigmoidCounterexampleCheckTest {
  /** y = sigmoid(2 x - 1) on one input. */
  private static final Network NET = new Network("sig", new int[] {1}, List.of(
      new DenseLayer("d", 1, 1, new double[] {2}, new double[] {-1}), ElementwiseActivationLayer.sigmoid("s", 1)));
  private static final Box BOX = new Box(new double[] {0}, new double[] {1});

  /** The unsafe case {@code y >= bound}, i.e. {@code -y <= -bound}. */
  private static UnsafeCase atLeast(double bound) {
    return new UnsafeCase(BOX, List.of(new OutputConstraint(new double[] {-1}, -bound)));
  }

  @Test
  void enclosureDecidesARealCounterexample() {
    // sigmoid(1) = 0.7310585786..., clearly above 0.7
    Counterexample c = new CounterexampleCheck(NET).confirm(atLeast(0.7), 0, new double[] {1});
    assertNotNull(c);
    assertEquals(CounterexampleCheck.Method.ENCLOSURE, c.check().method());
  }

  @Test
  void straddlingEnclosureIsRejectedNotReported() {
    // the bound is the double value itself: the double pass meets it, the enclosure straddles,
    // and with no exact rule the candidate cannot be confirmed
    double atOne = NET.evaluate(new double[] {1})[0];
    CounterexampleCheck check = new CounterexampleCheck(NET);
    assertNull(check.confirm(atLeast(atOne), 0, new double[] {1}));
    assertEquals(1, check.rejected());
  }

  @Test
  void verifierReportsTheConfirmedViolation() {
    Specification spec = new Specification(1, 1, List.of(atLeast(0.7)));
    Verdict v = new Verifier(NET).verify(spec,
        new Verifier.Plan(List.of(new IntervalPass(), new DeepPolyPass()), 0),
        Budget.of(Duration.ofSeconds(20))).verdict();
    assertInstanceOf(Verdict.Falsified.class, v);
  }
}
