package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The α-CROWN pass: never below DeepPoly, below every sampled and exactly computed objective
 * value, never above the exact minimum on one-input nets (enumerated piece by piece), and
 * strictly tighter than DeepPoly on a good share of random nets.
 */
class AlphaPassTest {
  private static final AlphaPass ALPHA = new AlphaPass(AlphaPass.Options.defaults());

  @Property(tries = 200)
  void boundsAreSoundAndNoLooserThanDeepPoly(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = randomNet(random, 1 + random.nextInt(6));
    Box box = RandomNets.box(random, net.inputSize(), 2.0);
    double[][] objectives = objectives(random, net, 3);
    double[] deeppoly = new DeepPolyPass().run(new BoundState(net, box), objectives,
        Budget.unlimited());
    double[] alpha = ALPHA.run(new BoundState(net, box), objectives, Budget.unlimited());
    for (int r = 0; r < objectives.length; r++) {
      assertTrue(alpha[r] >= deeppoly[r], "alpha " + alpha[r] + " below deeppoly " + deeppoly[r]);
    }
    for (int t = 0; t < 2000; t++) {
      double[] y = net.evaluate(RandomNets.point(random, box));
      for (int r = 0; r < objectives.length; r++) {
        double v = RandomNets.dot(objectives[r], y);
        assertTrue(alpha[r] <= v, "alpha bound " + alpha[r] + " above sampled value " + v);
      }
    }
  }

  @Test
  void neverAboveTheExactMinimumOnOneInputNets() {
    SplittableRandom random = new SplittableRandom(15);
    int improved = 0;
    int compared = 0;
    for (int trial = 0; trial < 300; trial++) {
      Network net = randomNet(random, 1);
      Box box = RandomNets.box(random, 1, 4.0);
      double[][] objectives = objectives(random, net, 2);
      double[] deeppoly = new DeepPolyPass().run(new BoundState(net, box), objectives,
          Budget.unlimited());
      double[] alpha = ALPHA.run(new BoundState(net, box), objectives, Budget.unlimited());
      List<Double> corners = pieceEnds(net, box.lower()[0], box.upper()[0]);
      for (int r = 0; r < objectives.length; r++) {
        double exact = Double.POSITIVE_INFINITY;
        for (double x : corners) {
          exact = Math.min(exact, RandomNets.dot(objectives[r], net.evaluate(new double[] {x})));
        }
        double scale = 1 + Math.abs(exact);
        assertTrue(alpha[r] <= exact + 1e-9 * scale,
            "alpha " + alpha[r] + " above the exact minimum " + exact + " (trial " + trial + ")");
        assertTrue(alpha[r] >= deeppoly[r]);
        compared++;
        if (alpha[r] > deeppoly[r] + 1e-6 * scale) {
          improved++;
        }
      }
    }
    assertEquals(600, compared);
    // the slopes must actually move: DeepPoly's are optimal only on some of these nets
    assertTrue(improved >= 30, "alpha tighter than deeppoly on only " + improved + " of 600");
  }

  @Test
  void boundsHoldForExactValuesOnIllConditionedNets() {
    SplittableRandom random = new SplittableRandom(2021);
    for (int trial = 0; trial < 150; trial++) {
      int depth = 1 + random.nextInt(3);
      int[] widths = new int[depth + 1];
      for (int i = 0; i <= depth; i++) {
        widths[i] = 1 + random.nextInt(5);
      }
      Network net = RandomNets.dense(random, widths, true);
      Box box = RandomNets.box(random, widths[0], trial % 2 == 0 ? 0.0 : 1e-12);
      double[][] objectives = objectives(random, net, 2);
      double[] alpha = ALPHA.run(new BoundState(net, box), objectives, Budget.unlimited());
      for (int s = 0; s < 5; s++) {
        List<BigDecimal[]> trace =
            ExactArithmeticTest.exactTrace(net, RandomNets.point(random, box));
        BigDecimal[] y = trace.get(trace.size() - 1);
        for (int r = 0; r < objectives.length; r++) {
          BigDecimal v = BigDecimal.ZERO;
          for (int j = 0; j < y.length; j++) {
            v = v.add(new BigDecimal(objectives[r][j]).multiply(y[j]));
          }
          assertTrue(alpha[r] == Double.NEGATIVE_INFINITY
              || new BigDecimal(alpha[r]).compareTo(v) <= 0,
              "alpha " + alpha[r] + " above the exact value " + v);
        }
      }
    }
  }

  @Property(tries = 100)
  void splitBoundsHoldOnThePartWhereTheSplitsHold(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = randomNet(random, 1 + random.nextInt(3));
    Box box = RandomNets.box(random, net.inputSize(), 2.0);
    double[][] objectives = objectives(random, net, 2);
    BoundState state = new BoundState(net, box);
    new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
    int[][] splits = new int[state.size()][];
    int reluIndex = 0; // bound index of the first ReLU layer's pre-activation
    while (!(net.layers().get(reluIndex) instanceof ReluLayer)) {
      reluIndex++;
    }
    splits[reluIndex] = new int[state.lower(reluIndex).length];
    for (int i = 0; i < splits[reluIndex].length; i++) {
      splits[reluIndex][i] = random.nextInt(3) - 1;
    }
    double[] bound = ALPHA.bound(new BoundState(net, box), objectives, splits, Budget.unlimited());
    for (int t = 0; t < 3000; t++) {
      double[] x = RandomNets.point(random, box);
      List<double[]> trace = net.trace(x);
      boolean inPart = true;
      for (int i = 0; i < splits[reluIndex].length; i++) {
        double z = trace.get(reluIndex)[i];
        inPart &= splits[reluIndex][i] == 0 || (splits[reluIndex][i] > 0 ? z >= 0 : z <= 0);
      }
      if (!inPart) {
        continue;
      }
      double[] y = trace.get(trace.size() - 1);
      for (int r = 0; r < objectives.length; r++) {
        assertTrue(bound[r] <= RandomNets.dot(objectives[r], y),
            "split bound above a value of its part");
      }
    }
  }

  /** Dense ReLU net: input width, then {@code hidden} ReLU layers of 1..8, then 1..3 outputs. */
  private static Network randomNet(SplittableRandom random, int inputs) {
    int hidden = 1 + random.nextInt(3);
    int[] widths = new int[hidden + 2];
    widths[0] = inputs;
    for (int i = 1; i <= hidden; i++) {
      widths[i] = 1 + random.nextInt(8);
    }
    widths[hidden + 1] = 1 + random.nextInt(3);
    return RandomNets.dense(random, widths, false);
  }

  private static double[][] objectives(SplittableRandom random, Network net, int count) {
    double[][] c = new double[count][net.outputSize()];
    for (double[] row : c) {
      for (int j = 0; j < row.length; j++) {
        row[j] = RandomNets.gaussian(random);
      }
    }
    return c;
  }

  /**
   * Every point of {@code [lo, hi]} where some ReLU of a one-input net changes phase, plus both
   * ends: between consecutive points the net is affine, so a linear objective's minimum over the
   * interval is at one of them. Found layer by layer: on each piece so far, a pre-activation is
   * affine in x, so its zero (if inside the piece) is where its end values' line crosses 0.
   */
  private static List<Double> pieceEnds(Network net, double lo, double hi) {
    TreeSet<Double> ends = new TreeSet<>(List.of(lo, hi));
    for (int k = 0; k < net.layers().size(); k++) {
      if (!(net.layers().get(k) instanceof ReluLayer)) {
        continue;
      }
      List<Double> sorted = new ArrayList<>(ends);
      for (int p = 0; p + 1 < sorted.size(); p++) {
        double a = sorted.get(p);
        double b = sorted.get(p + 1);
        double[] za = net.trace(new double[] {a}).get(k);
        double[] zb = net.trace(new double[] {b}).get(k);
        for (int i = 0; i < za.length; i++) {
          if ((za[i] < 0 && zb[i] > 0) || (za[i] > 0 && zb[i] < 0)) {
            double root = a + (b - a) * za[i] / (za[i] - zb[i]);
            ends.add(Math.min(b, Math.max(a, root)));
          }
        }
      }
    }
    return new ArrayList<>(ends);
  }
}
