package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forward symbolic bounds worked out by hand. */
class SymbolicIntervalPassTest {
  private static final double TOL = 1e-12;

  @Test
  void tinyNetOfDesign() {
    // z1 = x0 - x1, z2 = x0 + x1 in [-2, 2]: unstable, chord slope 1/2, u > -l fails so the lower
    // function is 0; upper r1 + r2 <= (x0 - x1 + 2)/2 + (x0 + x1 + 2)/2 = x0 + 2, out <= 2.5
    BoundState s = new BoundState(HandComputedBoundsTest.tiny(), HandComputedBoundsTest.unitBox());
    double[] lower =
        new SymbolicIntervalPass().run(s, new double[][] {{1}, {-1}}, Budget.unlimited());
    assertEquals(-0.5, lower[0], TOL);
    assertEquals(-2.5, lower[1], TOL);
    assertEquals(2.5, s.upper(3)[0], TOL);
    assertEquals(-0.5, s.lower(3)[0], TOL);
    assertArrayEquals(new double[] {2, 2}, s.upper(2), TOL);
  }

  @Test
  void affineCancellationIsExactWhereIntervalsAreNot() {
    // h = relu(x0 + x1), relu(x0 - x1) both active on [1, 2] x [0, 0.5]; out = h1 + h2 = 2 x0
    Network net = new Network("cancel", new int[] {2}, List.of(
        new DenseLayer("d1", 2, 2, new double[] {1, 1, 1, -1}, new double[] {0, 0}),
        new ReluLayer("r1", 2),
        new DenseLayer("d2", 2, 1, new double[] {1, 1}, new double[] {0})));
    Box box = new Box(new double[] {1, 0}, new double[] {2, 0.5});
    BoundState interval = new BoundState(net, box);
    new IntervalPass().run(interval, new double[0][], Budget.unlimited());
    assertEquals(1.5, interval.lower(3)[0], TOL);
    assertEquals(4.5, interval.upper(3)[0], TOL);
    BoundState s = new BoundState(net, box);
    double[] lower = new SymbolicIntervalPass().run(s, new double[][] {{1}, {-1}},
        Budget.unlimited());
    assertEquals(2, s.lower(3)[0], TOL);
    assertEquals(4, s.upper(3)[0], TOL);
    assertEquals(2, lower[0], TOL);
    assertEquals(-4, lower[1], TOL);
  }

  @Test
  void identityLowerFunctionWhenMostlyActiveAndNegativeScale() {
    // z = x + 1 on x in [-1.5, 1]: l = -0.5, u = 2, u > -l so relu(z) >= z = x + 1; upper
    // 0.8 (x + 1.5) <= 2. Then y = -2 relu(z) + 1: y <= -2 (x + 1) + 1, y >= -1.6 (x + 1.5) + 1.
    Network net = new Network("shifted", new int[] {1}, List.of(
        new DenseLayer("d1", 1, 1, new double[] {1}, new double[] {1}),
        new ReluLayer("r1", 1),
        new ElementwiseAffineLayer("e", new double[] {-2}, new double[] {1})));
    Box box = new Box(new double[] {-1.5}, new double[] {1});
    BoundState s = new BoundState(net, box);
    // objective y + 2 x is not expressible: use y itself, and check the rows through the state
    double[] lower = new SymbolicIntervalPass().run(s, new double[][] {{1}, {-1}},
        Budget.unlimited());
    assertEquals(2, s.upper(2)[0], 1e-9); // chord slope rounded up
    assertEquals(0, s.lower(2)[0], TOL); // the interval rule's 0 beats x + 1 >= -0.5
    // y >= -1.6 (1 + 1.5) + 1 = -3; y <= -2 (-1.5 + 1) + 1 = 2, tighter than the interval's 1
    assertEquals(-3, lower[0], 1e-9);
    assertEquals(-1, lower[1], 1e-9); // y <= min(2, interval 1) = 1
    assertEquals(1, s.upper(3)[0], TOL);
  }

  @Test
  void objectivesOnlyDeepPolyKeepsTheIntermediateBounds() {
    BoundState s = new BoundState(HandComputedBoundsTest.tiny(), HandComputedBoundsTest.unitBox());
    new SymbolicIntervalPass().run(s, new double[0][], Budget.unlimited());
    double[] before = s.upper(1).clone();
    double[] lower =
        DeepPolyPass.objectivesOnly().run(s, new double[][] {{1}, {-1}}, Budget.unlimited());
    assertArrayEquals(before, s.upper(1), 0);
    assertEquals(-0.5, lower[0], TOL);
    assertEquals(-2.5, lower[1], TOL);
  }

  @Test
  void infiniteBoxFallsBackToIntervals() {
    Box box = new Box(new double[] {Double.NEGATIVE_INFINITY, -1}, new double[] {1, 1});
    BoundState s = new BoundState(HandComputedBoundsTest.tiny(), box);
    double[] lower = new SymbolicIntervalPass().run(s, new double[][] {{1}}, Budget.unlimited());
    BoundState t = new BoundState(HandComputedBoundsTest.tiny(), box);
    double[] expected = new IntervalPass().run(t, new double[][] {{1}}, Budget.unlimited());
    assertArrayEquals(expected, lower, 0);
    for (int k = 0; k < s.size(); k++) {
      assertArrayEquals(t.lower(k), s.lower(k), 0);
      assertArrayEquals(t.upper(k), s.upper(k), 0);
    }
  }
}
