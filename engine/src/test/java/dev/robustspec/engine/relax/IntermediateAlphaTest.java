package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * α-CROWN's optimised intermediate bounds ({@code alpha(interm = n)}, {@link IntermediateCuts}):
 * every sampled input's values lie inside them, they are never looser than DeepPoly's, they
 * contain the exact values of ill-conditioned nets (BigDecimal), and they are strictly tighter
 * than DeepPoly's on a good share of deep random nets. The exact extremes of each neuron, by
 * activation-pattern enumeration, are in {@code search.IntermediateAlphaEnumerationTest}.
 */
class IntermediateAlphaTest {
  static final AlphaPass INTERM = new AlphaPass(new AlphaPass.Options(20, 0.5, 0.98, 20));

  @Property(tries = 150)
  void sampledValuesInsideAndNoLooserThanDeepPoly(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = deepNet(random, 1 + random.nextInt(6));
    Box box = RandomNets.box(random, net.inputSize(), 2.0);
    double[][] objectives = {RandomNets.gaussianRow(random, net.outputSize())};
    BoundState deeppoly = new BoundState(net, box);
    double[] dpBound = new DeepPolyPass().run(deeppoly, objectives, Budget.unlimited());
    BoundState interm = new BoundState(net, box);
    double[] bound = INTERM.run(interm, objectives, Budget.unlimited());
    assertTrue(bound[0] >= dpBound[0], "objective bound " + bound[0] + " below deeppoly's "
        + dpBound[0]);
    for (int k = 0; k < interm.size(); k++) {
      for (int i = 0; i < interm.lower(k).length; i++) {
        assertTrue(interm.lower(k)[i] >= deeppoly.lower(k)[i]
            && interm.upper(k)[i] <= deeppoly.upper(k)[i], "looser than deeppoly at " + k);
      }
    }
    for (int t = 0; t < 2000; t++) {
      List<double[]> trace = net.trace(RandomNets.point(random, box));
      for (int k = 0; k < trace.size(); k++) {
        double[] v = trace.get(k);
        for (int i = 0; i < v.length; i++) {
          assertTrue(interm.lower(k)[i] <= v[i] && v[i] <= interm.upper(k)[i], "sampled "
              + v[i] + " outside [" + interm.lower(k)[i] + ", " + interm.upper(k)[i] + "] at "
              + k);
        }
      }
      double y = RandomNets.dot(objectives[0], trace.get(trace.size() - 1));
      assertTrue(bound[0] <= y, "objective bound " + bound[0] + " above sampled " + y);
    }
  }

  @Test
  void tighterThanDeepPolyOnDeepNets() {
    SplittableRandom random = new SplittableRandom(1515);
    int nets = 60;
    int tighterNets = 0;
    for (int t = 0; t < nets; t++) {
      Network net = RandomNets.dense(random, new int[] {5, 8, 8, 8, 8, 2}, false);
      Box box = RandomNets.box(random, 5, 2.0);
      BoundState deeppoly = new BoundState(net, box);
      new DeepPolyPass().run(deeppoly, new double[0][], Budget.unlimited());
      BoundState interm = new BoundState(net, box);
      INTERM.run(interm, new double[0][], Budget.unlimited());
      boolean tighter = false;
      for (int k = 0; k < interm.size(); k++) {
        for (int i = 0; i < interm.lower(k).length; i++) {
          double scale = 1e-6 * (1 + deeppoly.upper(k)[i] - deeppoly.lower(k)[i]);
          tighter |= interm.lower(k)[i] > deeppoly.lower(k)[i] + scale
              || interm.upper(k)[i] < deeppoly.upper(k)[i] - scale;
        }
      }
      tighterNets += tighter ? 1 : 0;
    }
    // the optimisation must move: DeepPoly's slopes are rarely optimal for every neuron
    assertTrue(tighterNets >= nets * 3 / 4, "tighter than deeppoly on only " + tighterNets + " of "
        + nets + " nets");
  }

  @Test
  void boundsContainExactValuesOnIllConditionedNets() {
    SplittableRandom random = new SplittableRandom(20261202);
    int checked = 0;
    for (int trial = 0; trial < 200; trial++) {
      int depth = 2 + random.nextInt(3);
      int[] widths = new int[depth + 1];
      for (int i = 0; i <= depth; i++) {
        widths[i] = 1 + random.nextInt(5);
      }
      Network net = RandomNets.dense(random, widths, true);
      double width = switch (trial % 3) {
        case 0 -> 0.0; // a point: a bound without its rounding term would be the double value
        case 1 -> 1e-12;
        default -> 1.0;
      };
      Box box = RandomNets.box(random, widths[0], width);
      BoundState state = new BoundState(net, box);
      INTERM.run(state, new double[0][], Budget.unlimited());
      for (int s = 0; s < 10; s++) {
        List<BigDecimal[]> exact = ExactArithmeticTest.exactTrace(net,
            RandomNets.point(random, box));
        for (int k = 0; k < exact.size(); k++) {
          BigDecimal[] v = exact.get(k);
          for (int i = 0; i < v.length; i++) {
            double lo = state.lower(k)[i];
            double hi = state.upper(k)[i];
            assertTrue((lo == Double.NEGATIVE_INFINITY || new BigDecimal(lo).compareTo(v[i]) <= 0)
                && (hi == Double.POSITIVE_INFINITY || v[i].compareTo(new BigDecimal(hi)) <= 0),
                "exact " + v[i] + " outside [" + lo + ", " + hi + "] at " + k + ", trial "
                    + trial);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 5_000, "too few values checked: " + checked);
  }

  @Test
  void theShareEndingKeepsSoundBoundsAndBoundsTheObjectives() {
    // a share of a millisecond ends the intermediate optimisation early, wherever it is: the
    // pass still returns (the share is not the pass's budget) with sound, no looser bounds
    SplittableRandom random = new SplittableRandom(77);
    AlphaPass capped = new AlphaPass(new AlphaPass.Options(5, 0.5, 0.98, 50, 1e-4));
    for (int t = 0; t < 5; t++) {
      Network net = RandomNets.dense(random, new int[] {20, 48, 48, 48, 48, 3}, false);
      Box box = RandomNets.box(random, 20, 1.0);
      double[][] objectives = {RandomNets.gaussianRow(random, 3)};
      BoundState deeppoly = new BoundState(net, box);
      double[] dp = new DeepPolyPass().run(deeppoly, objectives, Budget.unlimited());
      BoundState state = new BoundState(net, box);
      double[] bound = capped.run(state, objectives, Budget.of(java.time.Duration.ofSeconds(10)));
      assertTrue(bound[0] >= dp[0], "below deeppoly");
      for (int k = 0; k < state.size(); k++) {
        for (int i = 0; i < state.lower(k).length; i++) {
          assertTrue(state.lower(k)[i] >= deeppoly.lower(k)[i]
              && state.upper(k)[i] <= deeppoly.upper(k)[i], "looser than deeppoly at " + k);
        }
      }
      for (int s = 0; s < 500; s++) {
        List<double[]> trace = net.trace(RandomNets.point(random, box));
        for (int k = 0; k < trace.size(); k++) {
          for (int i = 0; i < trace.get(k).length; i++) {
            double v = trace.get(k)[i];
            assertTrue(state.lower(k)[i] <= v && v <= state.upper(k)[i], "sampled outside");
          }
        }
        assertTrue(bound[0] <= RandomNets.dot(objectives[0], trace.get(trace.size() - 1)));
      }
    }
  }

  /** Input width, then 2..4 ReLU layers of 2..8, then 1..3 outputs. */
  private static Network deepNet(SplittableRandom random, int inputs) {
    int hidden = 2 + random.nextInt(3);
    int[] widths = new int[hidden + 2];
    widths[0] = inputs;
    for (int i = 1; i <= hidden; i++) {
      widths[i] = 2 + random.nextInt(7);
    }
    widths[hidden + 1] = 1 + random.nextInt(3);
    return RandomNets.dense(random, widths, false);
  }
}
