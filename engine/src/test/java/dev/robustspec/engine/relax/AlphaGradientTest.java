package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReshapeLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gradient the layers' {@link Layer#slopeGradientStep} rules assemble is the derivative of
 * the bound {@link AlphaGradient#evaluate} computes: compared with central difference quotients
 * on random nets with elementwise-affine and reshape layers among the dense and ReLU ones. The
 * bound is piecewise multilinear in the slopes, so away from a kink (a coefficient changing
 * sign, seen as the one-sided quotients disagreeing) the quotient matches up to rounding.
 */
class AlphaGradientTest {
  private static final double H = 1e-6;

  @Test
  void gradientMatchesDifferenceQuotients() {
    SplittableRandom random = new SplittableRandom(42);
    int checked = 0;
    int nonzero = 0;
    int kinks = 0;
    for (int trial = 0; trial < 60; trial++) {
      Network net = netWithReshapes(random);
      Box box = RandomNets.box(random, net.inputSize(), 2.0);
      BoundState state = new BoundState(net, box);
      new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
      double[][] objectives = new double[2][net.outputSize()];
      for (double[] row : objectives) {
        for (int j = 0; j < row.length; j++) {
          row[j] = RandomNets.gaussian(random);
        }
      }
      AlphaGradient chain = new AlphaGradient(state, objectives);
      double[][] slopes = chain.initialSlopes();
      for (double[] s : slopes) {
        for (int i = 0; i < s.length; i++) {
          s[i] = 0.1 + 0.8 * random.nextDouble();
        }
      }
      double[] base = chain.evaluate(slopes, Budget.unlimited());
      double[][] grad = chain.gradient(slopes);
      for (int j = 0; j < slopes.length; j++) {
        int n = net.layers().get(j).lowerSlopeCount();
        assertEquals(objectives.length * n, slopes[j].length);
        for (int k = 0; k < slopes[j].length; k++) {
          int r = k / n;
          double keep = slopes[j][k];
          slopes[j][k] = keep + H;
          double up = chain.evaluate(slopes, Budget.unlimited())[r];
          slopes[j][k] = keep - H;
          double down = chain.evaluate(slopes, Budget.unlimited())[r];
          slopes[j][k] = keep;
          double forward = (up - base[r]) / H;
          double backward = (base[r] - down) / H;
          double tol = 1e-5 * (1 + Math.abs(forward));
          if (Math.abs(forward - backward) > tol) {
            kinks++;
            continue;
          }
          assertEquals((up - down) / (2 * H), grad[j][k], tol,
              "layer " + j + " slope " + k + " (trial " + trial + ")");
          checked++;
          if (Math.abs(grad[j][k]) > 1e-3) {
            nonzero++;
          }
        }
      }
    }
    assertTrue(checked >= 300, "only " + checked + " slopes compared");
    assertTrue(nonzero >= 100, "only " + nonzero + " slopes with a nonzero gradient");
    assertTrue(kinks * 20 <= checked, kinks + " kinks among " + checked);
  }

  /** A random dense ReLU net (sometimes with a normalisation layer) with reshapes sprinkled in. */
  private static Network netWithReshapes(SplittableRandom random) {
    int depth = 2 + random.nextInt(3);
    int[] widths = new int[depth + 1];
    for (int i = 0; i <= depth; i++) {
      widths[i] = 1 + random.nextInt(6);
    }
    Network dense = RandomNets.dense(random, widths, false);
    List<Layer> layers = new ArrayList<>();
    for (Layer layer : dense.layers()) {
      layers.add(layer);
      if (random.nextBoolean()) {
        int n = layer.outputSize();
        layers.add(new ReshapeLayer("reshape", new int[] {n}, new int[] {1, n}));
      }
    }
    return new Network("reshaped", new int[] {widths[0]}, layers);
  }
}
