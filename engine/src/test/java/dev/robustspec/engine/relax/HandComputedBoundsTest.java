package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bounds worked out by hand on the tiny network of DESIGN.md. */
class HandComputedBoundsTest {
  private static final double TOL = 1e-12;

  /** {@code out = relu(x0 - x1) + relu(x0 + x1) - 0.5} on {@code x in [-1, 1]^2}. */
  static Network tiny() {
    return new Network("tiny", new int[] {2}, List.of(
        new DenseLayer("d1", 2, 2, new double[] {1, -1, 1, 1}, new double[] {0, 0}),
        new ReluLayer("r1", 2),
        new DenseLayer("d2", 2, 1, new double[] {1, 1}, new double[] {-0.5})));
  }

  static Box unitBox() {
    return new Box(new double[] {-1, -1}, new double[] {1, 1});
  }

  @Test
  void intervalBounds() {
    BoundState s = new BoundState(tiny(), unitBox());
    double[] lower = new IntervalPass().run(s, new double[][] {{1}, {-1}}, Budget.unlimited());
    // pre-activations in [-2, 2]; ReLU outputs in [0, 2]; output in [-0.5, 3.5]
    assertArrayEquals(new double[] {-2, -2}, s.lower(1), TOL);
    assertArrayEquals(new double[] {2, 2}, s.upper(1), TOL);
    assertArrayEquals(new double[] {0, 0}, s.lower(2), TOL);
    assertEquals(-0.5, lower[0], TOL);
    assertEquals(-3.5, lower[1], TOL); // upper bound 3.5
  }

  @Test
  void deepPolyBounds() {
    BoundState s = new BoundState(tiny(), unitBox());
    double[] lower = new DeepPolyPass().run(s, new double[][] {{1}, {-1}}, Budget.unlimited());
    // l = -2, u = 2: chord slope 1/2, so r1 + r2 <= (z1 + z2)/2 + 2 = x0 + 2 <= 3: out <= 2.5.
    // u > -l fails (2 = 2), so the lower line is r >= 0: out >= -0.5.
    assertEquals(-0.5, lower[0], TOL);
    assertEquals(-2.5, lower[1], TOL);
    assertEquals(2.5, s.upper(3)[0], TOL);
    // the true range is [-0.5, 1.5]; both relaxations contain it
  }

  @Test
  void deepPolyUsesTheIdentityLowerLineWhenTheNeuronIsMostlyActive() {
    // z = x + 1 on x in [-1.5, 1]: l = -0.5, u = 2, u > -l so relu(z) >= z; out = relu(z)
    Network net = new Network("shifted", new int[] {1}, List.of(
        new DenseLayer("d1", 1, 1, new double[] {1}, new double[] {1}),
        new ReluLayer("r1", 1),
        new DenseLayer("d2", 1, 1, new double[] {1}, new double[] {0})));
    BoundState s = new BoundState(net, new Box(new double[] {-1.5}, new double[] {1}));
    double[] lower = new DeepPolyPass().run(s, new double[][] {{1}, {-1}}, Budget.unlimited());
    // lower line gives -0.5, the output box gives 0: the pass keeps the better, 0
    assertEquals(0.0, lower[0], TOL);
    // chord slope 2/2.5 = 0.8: relu(z) <= 0.8 (z + 0.5) <= 0.8 * 2.5 = 2
    assertEquals(-2.0, lower[1], TOL);
  }
}
