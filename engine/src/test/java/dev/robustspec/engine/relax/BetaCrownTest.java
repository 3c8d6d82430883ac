package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.spec.Box;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * β-CROWN on split sub-problems of random small nets: never below the bound without multipliers
 * (DeepPoly's slopes, β = 0), below the objective at every sampled point where the splits hold
 * (in double and, for a share of the points, exactly in BigDecimal), and strictly tighter than
 * the same optimisation without the split terms on some sub-problems (the multipliers do work).
 */
class BetaCrownTest {
  private static final Budget BUDGET = Budget.unlimited();

  @Test
  void splitBoundsAreSoundAndNoLooserThanWithoutMultipliers() {
    SplittableRandom random = new SplittableRandom(20261202L);
    int trials = 0;
    int tighterThanAlphaOnly = 0;
    int checkedPoints = 0;
    while (trials < 200) {
      int inputs = 1 + random.nextInt(3);
      int[] widths = random.nextBoolean() ? new int[] {inputs, 6, 6, 2}
          : new int[] {inputs, 5, 5, 5, 1};
      boolean ill = random.nextInt(10) == 0;
      Network net = RandomNets.dense(random, widths, ill);
      Box box = RandomNets.box(random, inputs, 2.0);
      BoundState root = new BoundState(net, box);
      double[][] objectives = randomObjectives(random, net.outputSize());
      new DeepPolyPass().run(root, objectives, BUDGET);
      List<Split> splits = randomSplits(random, root, 1 + random.nextInt(3));
      if (splits.isEmpty()) {
        continue;
      }
      BoundState state = part(root, splits, objectives);
      if (state == null) {
        continue;
      }
      trials++;
      BetaCrown.Result none = BetaCrown.optimise(state, objectives, splits, null, null,
          new BetaCrown.Options(0, 0.1, 0.05, 0.98), BUDGET);
      BetaCrown.Result beta = BetaCrown.optimise(state, objectives, splits, null, null,
          new BetaCrown.Options(40, 0.1, 0.2, 0.98), BUDGET);
      BetaCrown.Result alphaOnly = BetaCrown.optimise(state, objectives, List.of(), null, null,
          new BetaCrown.Options(40, 0.1, 0.2, 0.98), BUDGET);
      boolean tighter = false;
      for (int r = 0; r < objectives.length; r++) {
        assertTrue(beta.lower()[r] >= none.lower()[r],
            "beta bound " + beta.lower()[r] + " below the bound without it " + none.lower()[r]);
        tighter |= beta.lower()[r] > alphaOnly.lower()[r] + 1e-9;
        for (double v : beta.betas()[r]) {
          assertTrue(v >= 0, "negative multiplier " + v);
        }
      }
      tighterThanAlphaOnly += tighter ? 1 : 0;
      for (int t = 0; t < 3000; t++) {
        double[] x = RandomNets.point(random, box);
        List<double[]> trace = net.trace(x);
        if (!meets(splits, trace)) {
          continue;
        }
        checkedPoints++;
        double[] y = trace.get(trace.size() - 1);
        BigDecimal[] exact = t % 10 == 0 || ill ? ExactEvaluation.evaluate(net, x) : null;
        for (int r = 0; r < objectives.length; r++) {
          double v = RandomNets.dot(objectives[r], y);
          double scale = 1 + Math.abs(v);
          // double values of an ill-conditioned net can be far from the real ones: exact only
          assertTrue(ill || beta.lower()[r] <= v + 1e-12 * scale, "beta bound " + beta.lower()[r]
              + " above the objective " + v + " at a point of the split part");
          if (exact != null) {
            BigDecimal e = exactObjective(objectives[r], exact);
            assertTrue(new BigDecimal(beta.lower()[r]).compareTo(e) <= 0,
                "beta bound above the exact objective " + e);
          }
        }
      }
    }
    assertTrue(checkedPoints > 10_000, checkedPoints + " points met the splits");
    assertTrue(tighterThanAlphaOnly >= 10,
        "the split multipliers tightened only " + tighterThanAlphaOnly + " of 200 bounds");
  }

  /** One or two objective rows of gaussian coefficients over {@code outputs} outputs. */
  static double[][] randomObjectives(SplittableRandom random, int outputs) {
    double[][] objectives = new double[1 + random.nextInt(2)][outputs];
    for (double[] o : objectives) {
      for (int i = 0; i < o.length; i++) {
        o[i] = RandomNets.gaussian(random);
      }
    }
    return objectives;
  }

  /**
   * The part of {@code root}'s box where every split holds, its bounds tightened by DeepPoly;
   * null when the bounds show it empty.
   */
  static BoundState part(BoundState root, List<Split> splits, double[][] objectives) {
    BoundState state = new BoundState(root.network(), root.input());
    state.tighten(root);
    for (Split s : splits) {
      state.tighten(s.index(), s.neuron(), s.active() ? 0 : Double.NEGATIVE_INFINITY,
          s.active() ? Double.POSITIVE_INFINITY : 0);
    }
    if (state.isInfeasible()) {
      return null;
    }
    new DeepPolyPass().run(state, objectives, BUDGET);
    return state.isInfeasible() ? null : state;
  }

  /** {@code objective . exact}, exactly. */
  static BigDecimal exactObjective(double[] objective, BigDecimal[] exact) {
    BigDecimal e = BigDecimal.ZERO;
    for (int i = 0; i < exact.length; i++) {
      e = e.add(new BigDecimal(objective[i]).multiply(exact[i]));
    }
    return e;
  }

  /** Up to {@code count} distinct unstable neurons of the state, each with a random side. */
  static List<Split> randomSplits(SplittableRandom random, BoundState state, int count) {
    List<Split> unstable = new ArrayList<>();
    Network net = state.network();
    for (int k = 0; k < net.layers().size(); k++) {
      if (!net.layers().get(k).isRelu()) {
        continue;
      }
      for (int i = 0; i < state.lower(k).length; i++) {
        if (state.lower(k)[i] < 0 && state.upper(k)[i] > 0) {
          unstable.add(new Split(k, i, random.nextBoolean()));
        }
      }
    }
    List<Split> out = new ArrayList<>();
    while (out.size() < count && !unstable.isEmpty()) {
      out.add(unstable.remove(random.nextInt(unstable.size())));
    }
    return out;
  }

  /** Whether every split holds at the point with these values (strictly: off the boundary). */
  static boolean meets(List<Split> splits, List<double[]> trace) {
    for (Split s : splits) {
      double z = trace.get(s.index())[s.neuron()];
      if (s.active() ? !(z > 0) : !(z < 0)) {
        return false;
      }
    }
    return true;
  }
}
