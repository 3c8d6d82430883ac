package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Floating-point soundness against exact arithmetic: on nets with ill-conditioned weights (1e-9 to
 * 1e9 mixed), the true values of every layer, computed exactly with {@link BigDecimal} at the
 * box's vertices and at sampled points, lie inside the bounds of every pass. Point and tiny boxes
 * make the test bite: there a bound without its rounding term would be the double evaluation
 * itself, which differs from the exact value.
 */
class ExactArithmeticTest {

  @Test
  void boundsContainExactValuesOnIllConditionedNets() {
    SplittableRandom random = new SplittableRandom(20261125);
    int checked = 0;
    for (int trial = 0; trial < 300; trial++) {
      int depth = 1 + random.nextInt(3);
      int[] widths = new int[depth + 1];
      for (int i = 0; i <= depth; i++) {
        widths[i] = 1 + random.nextInt(5);
      }
      Network net = RandomNets.dense(random, widths, true);
      double width = switch (trial % 3) {
        case 0 -> 0.0; // a point
        case 1 -> 1e-12;
        default -> 1.0;
      };
      Box box = RandomNets.box(random, widths[0], width);
      List<BoundState> states = new ArrayList<>();
      for (RelaxationPass pass : new RelaxationPass[] {new IntervalPass(), new DeepPolyPass(true),
          new SymbolicIntervalPass()}) {
        BoundState s = new BoundState(net, box);
        pass.run(s, new double[0][], Budget.unlimited());
        states.add(s);
      }
      List<double[]> points = new ArrayList<>();
      int n = box.dimension();
      for (int v = 0; v < Math.min(1 << n, 32); v++) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = ((v >> i) & 1) == 0 ? box.lower()[i] : box.upper()[i];
        }
        points.add(x);
      }
      for (int s = 0; s < 20; s++) {
        points.add(RandomNets.point(random, box));
      }
      for (double[] x : points) {
        List<BigDecimal[]> exact = exactTrace(net, x);
        for (BoundState state : states) {
          for (int k = 0; k < exact.size(); k++) {
            BigDecimal[] v = exact.get(k);
            for (int i = 0; i < v.length; i++) {
              double lo = state.lower(k)[i];
              double hi = state.upper(k)[i];
              assertTrue(below(lo, v[i]) && below(v[i], hi),
                  "exact " + v[i] + " outside [" + lo + ", " + hi + "] at layer " + k);
              checked++;
            }
          }
        }
      }
    }
    assertTrue(checked > 10_000, "too few values checked: " + checked);
  }

  private static boolean below(double bound, BigDecimal v) {
    return bound == Double.NEGATIVE_INFINITY || new BigDecimal(bound).compareTo(v) <= 0;
  }

  private static boolean below(BigDecimal v, double bound) {
    return bound == Double.POSITIVE_INFINITY || v.compareTo(new BigDecimal(bound)) <= 0;
  }

  /** The network evaluated exactly (no rounding) on the double input x. */
  static List<BigDecimal[]> exactTrace(Network net, double[] x) {
    List<BigDecimal[]> values = new ArrayList<>();
    BigDecimal[] v = new BigDecimal[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = new BigDecimal(x[i]);
    }
    values.add(v);
    for (Layer layer : net.layers()) {
      BigDecimal[] out = new BigDecimal[layer.outputSize()];
      if (layer instanceof DenseLayer d) {
        for (int i = 0; i < out.length; i++) {
          BigDecimal s = new BigDecimal(d.bias()[i]);
          for (int j = 0; j < d.inputSize(); j++) {
            s = s.add(new BigDecimal(d.weight(i, j)).multiply(v[j]));
          }
          out[i] = s;
        }
      } else if (layer instanceof ReluLayer) {
        for (int i = 0; i < out.length; i++) {
          out[i] = v[i].signum() > 0 ? v[i] : BigDecimal.ZERO;
        }
      } else if (layer instanceof ElementwiseAffineLayer e) {
        for (int i = 0; i < out.length; i++) {
          out[i] = new BigDecimal(e.scale()[i]).multiply(v[i]).add(new BigDecimal(e.shift()[i]));
        }
      } else if (layer instanceof ReshapeLayer) {
        out = v.clone();
      }
      values.add(out);
      v = out;
    }
    return values;
  }
}
