package dev.robustspec.engine.lp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntermediateCuts;
import dev.robustspec.engine.spec.Box;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The k-ReLU relaxation bounded by gradient ({@code kalpha}, {@link KReluAlphaPass},
 * {@link dev.robustspec.engine.relax.IntermediateCuts}): every sampled input's values lie inside
 * its bounds at every layer and its objective bound is below every sampled objective; its bounds
 * are never looser than the state it started from; they contain the exact values (BigDecimal)
 * of ill-conditioned nets and of a point box; and the hull facets make it strictly tighter than
 * the same optimisation without them on a good share of deep random nets. The exact extremes
 * of each neuron, by enumeration, are in {@code search.IntermediateAlphaEnumerationTest}.
 */
class KReluAlphaPassTest {
  static final KReluAlphaPass KALPHA = new KReluAlphaPass(3, 8, 1,
      new IntermediateCuts.Options(50, 0.5, 0.05, 0.98));

  @Property(tries = 120)
  void sampledValuesInsideAndNoLooserThanTheStart(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Network net = deepNet(random, 1 + random.nextInt(5));
    Box box = RandomNets.box(random, net.inputSize(), 2.0);
    double[][] objectives = {RandomNets.gaussianRow(random, net.outputSize())};
    BoundState start = new BoundState(net, box);
    double[] dp = new DeepPolyPass().run(start, objectives, Budget.unlimited());
    BoundState state = new BoundState(net, box);
    state.tighten(start);
    double[] bound = KALPHA.run(state, objectives, Budget.unlimited());
    for (int k = 0; k < state.size(); k++) {
      for (int i = 0; i < state.lower(k).length; i++) {
        assertTrue(state.lower(k)[i] >= start.lower(k)[i]
            && state.upper(k)[i] <= start.upper(k)[i], "looser than the start at " + k);
      }
    }
    for (int t = 0; t < 2000; t++) {
      List<double[]> trace = net.trace(RandomNets.point(random, box));
      for (int k = 0; k < trace.size(); k++) {
        double[] v = trace.get(k);
        for (int i = 0; i < v.length; i++) {
          assertTrue(state.lower(k)[i] <= v[i] && v[i] <= state.upper(k)[i], "sampled "
              + v[i] + " outside [" + state.lower(k)[i] + ", " + state.upper(k)[i] + "] at " + k
              + " (deeppoly's objective bound " + dp[0] + ")");
        }
      }
      double y = RandomNets.dot(objectives[0], trace.get(trace.size() - 1));
      assertTrue(bound[0] <= y, "objective bound " + bound[0] + " above sampled " + y);
    }
  }

  @Test
  void boundsContainExactValuesOnIllConditionedNetsAndPointBoxes() {
    SplittableRandom random = new SplittableRandom(20261207);
    int checked = 0;
    for (int trial = 0; trial < 120; trial++) {
      int depth = 3 + random.nextInt(2);
      int[] widths = new int[depth + 1];
      for (int i = 0; i <= depth; i++) {
        widths[i] = 2 + random.nextInt(5);
      }
      Network net = RandomNets.dense(random, widths, trial % 2 == 0);
      double width = switch (trial % 3) {
        case 0 -> 0.0; // a point: a bound without its rounding term would be the double value
        case 1 -> 1e-12;
        default -> 1.0;
      };
      Box box = RandomNets.box(random, widths[0], width);
      double[][] objectives = {RandomNets.gaussianRow(random, net.outputSize())};
      BoundState state = new BoundState(net, box);
      new DeepPolyPass().run(state, objectives, Budget.unlimited());
      double[] bound = KALPHA.run(state, objectives, Budget.unlimited());
      for (int s = 0; s < 5; s++) {
        double[] x = RandomNets.point(random, box);
        for (int k = 1; k <= net.layers().size(); k++) {
          Network prefix = new Network("prefix", new int[] {widths[0]},
              net.layers().subList(0, k));
          BigDecimal[] v = ExactEvaluation.evaluate(prefix, x);
          for (int i = 0; i < v.length; i++) {
            double lo = state.lower(k)[i];
            double hi = state.upper(k)[i];
            assertTrue((lo == Double.NEGATIVE_INFINITY || new BigDecimal(lo).compareTo(v[i]) <= 0)
                && (hi == Double.POSITIVE_INFINITY || v[i].compareTo(new BigDecimal(hi)) <= 0),
                "exact " + v[i] + " outside [" + lo + ", " + hi + "] at " + k + ", trial " + trial);
            checked++;
          }
          if (k == net.layers().size() && Double.isFinite(bound[0])) {
            BigDecimal y = BigDecimal.ZERO;
            for (int i = 0; i < v.length; i++) {
              y = y.add(new BigDecimal(objectives[0][i]).multiply(v[i]));
            }
            assertTrue(new BigDecimal(bound[0]).compareTo(y) <= 0, "objective bound " + bound[0]
                + " above the exact " + y + ", trial " + trial);
          }
        }
      }
    }
    assertTrue(checked > 5_000, "too few values checked: " + checked);
  }

  @Test
  void hullFacetsTightenBeyondTheSameOptimisationWithoutThem() {
    SplittableRandom random = new SplittableRandom(1207);
    IntermediateCuts.Options options = new IntermediateCuts.Options(50, 0.5, 0.05, 0.98);
    int nets = 40;
    int tighterObjective = 0;
    int tighterNeurons = 0;
    for (int t = 0; t < nets; t++) {
      Network net = RandomNets.dense(random, new int[] {4, 10, 10, 10, 2}, false);
      Box box = RandomNets.box(random, 4, 2.0);
      double[][] objectives = {RandomNets.gaussianRow(random, 2)};
      BoundState start = new BoundState(net, box);
      new DeepPolyPass().run(start, objectives, Budget.unlimited());
      // the control: the same pass with no facet (a source that gives none)
      BoundState plain = new BoundState(net, box);
      plain.tighten(start);
      double a = new KReluAlphaPass((state, index, budget) -> List.of(), options,
          KALPHA.groups())
          .run(plain, objectives, Budget.unlimited())[0];
      BoundState kalpha = new BoundState(net, box);
      kalpha.tighten(start);
      double b = KALPHA.run(kalpha, objectives, Budget.unlimited())[0];
      tighterObjective += b > a + 1e-3 * (1 + Math.abs(a)) ? 1 : 0;
      for (int k = 0; k < kalpha.size(); k++) {
        for (int i = 0; i < kalpha.lower(k).length; i++) {
          double w = plain.upper(k)[i] - plain.lower(k)[i];
          tighterNeurons += kalpha.upper(k)[i] - kalpha.lower(k)[i] < w - 1e-3 * (1 + w) ? 1 : 0;
        }
      }
    }
    // the facets couple neurons no single-neuron relaxation does: they must pay on some nets
    assertTrue(tighterObjective >= nets / 2, "the objective tighter than without facets on only "
        + tighterObjective + " of " + nets + " nets");
    assertTrue(tighterNeurons >= nets, "only " + tighterNeurons + " neuron bounds tighter");
  }

  /** Input width, then 3..4 ReLU layers of 3..9, then 1..3 outputs. */
  private static Network deepNet(SplittableRandom random, int inputs) {
    int hidden = 3 + random.nextInt(2);
    int[] widths = new int[hidden + 2];
    widths[0] = inputs;
    for (int i = 1; i <= hidden; i++) {
      widths[i] = 3 + random.nextInt(7);
    }
    widths[hidden + 1] = 1 + random.nextInt(3);
    return RandomNets.dense(random, widths, false);
  }
}
