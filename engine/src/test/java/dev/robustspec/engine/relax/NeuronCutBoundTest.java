package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.spec.Box;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * β-CROWN with MN-BaB's multi-neuron cuts ({@link KReluPass#cuts}, {@link BetaCrown#optimise}
 * with cuts) on split parts of random small nets: every cut holds at every sampled point of the
 * root box; the bound is below the objective at every sampled point of the part (in double and,
 * for a share of the points, exactly in BigDecimal) for random, large multipliers, not only
 * optimised ones (any multiplier >= 0 must give a lower bound); and with optimised multipliers
 * the cuts make the bound strictly tighter than the same optimisation without them on some parts.
 */
class NeuronCutBoundTest {
  private static final Budget BUDGET = Budget.unlimited();

  @Test
  void cutBoundsAreSoundForAnyMultipliersAndTightenOptimisedBounds() {
    SplittableRandom random = new SplittableRandom(20261207L);
    int trials = 0;
    int tighter = 0;
    int checkedPoints = 0;
    int attempts = 0;
    while (trials < 120 && attempts++ < 2000) {
      int inputs = 1 + random.nextInt(3);
      int[] widths = random.nextBoolean() ? new int[] {inputs, 8, 8, 2}
          : new int[] {inputs, 10, 6, 1};
      boolean ill = random.nextInt(10) == 0;
      Network net = RandomNets.dense(random, widths, ill);
      Box box = RandomNets.box(random, inputs, 2.0);
      BoundState root = new BoundState(net, box);
      double[][] objectives = BetaCrownTest.randomObjectives(random, net.outputSize());
      new DeepPolyPass().run(root, objectives, BUDGET);
      List<NeuronCut> cuts = new KReluPass((dev.robustspec.engine.lp.LpSolver) null, 3, 8, 1, false).cuts(root, BUDGET);
      if (cuts.isEmpty()) {
        continue;
      }
      List<Split> splits = BetaCrownTest.randomSplits(random, root, random.nextInt(3));
      BoundState state = BetaCrownTest.part(root, splits, objectives);
      if (state == null) {
        continue;
      }
      trials++;
      double[][] wild = new double[objectives.length][cuts.size()];
      for (double[] row : wild) {
        for (int q = 0; q < row.length; q++) {
          row[q] = random.nextInt(3) == 0 ? 0 : Math.pow(10, 2 * random.nextDouble() - 1);
        }
      }
      BetaCrown.Result once = BetaCrown.optimise(state, objectives, splits, cuts, null, null,
          wild, new BetaCrown.Options(0, 0.1, 0.05, 0.98), BUDGET);
      BetaCrown.Options steps = new BetaCrown.Options(60, 0.1, 0.05, 0.98);
      BetaCrown.Result withCuts = BetaCrown.optimise(state, objectives, splits, cuts, null,
          null, null, steps, BUDGET);
      BetaCrown.Result without = BetaCrown.optimise(state, objectives, splits, null, null,
          steps, BUDGET);
      boolean better = false;
      for (int r = 0; r < objectives.length; r++) {
        better |= withCuts.lower()[r] > without.lower()[r] + 1e-9;
        for (double v : withCuts.gammas()[r]) {
          assertTrue(v >= 0, "negative cut multiplier " + v);
        }
      }
      tighter += better ? 1 : 0;
      for (int t = 0; t < 1000; t++) {
        double[] x = RandomNets.point(random, box);
        List<double[]> trace = net.trace(x);
        for (NeuronCut cut : t % 4 == 0 ? cuts : List.<NeuronCut>of()) {
          double v = -cut.gamma();
          double scale = Math.abs(cut.gamma());
          for (int i = 0; i < cut.neurons().length; i++) {
            double xi = trace.get(cut.index())[cut.neurons()[i]];
            double yi = trace.get(cut.index() + 1)[cut.neurons()[i]];
            v += cut.alpha()[i] * xi + cut.beta()[i] * yi;
            scale += Math.abs(cut.alpha()[i] * xi) + Math.abs(cut.beta()[i] * yi);
          }
          assertTrue(ill || v <= 1e-9 * (1 + scale), "a cut is violated by " + v
              + " at a point of the box");
        }
        if (!BetaCrownTest.meets(splits, trace)) {
          continue;
        }
        checkedPoints++;
        double[] y = trace.get(trace.size() - 1);
        BigDecimal[] exact = t % 10 == 0 || ill ? ExactEvaluation.evaluate(net, x) : null;
        for (int r = 0; r < objectives.length; r++) {
          double v = RandomNets.dot(objectives[r], y);
          double scale = 1 + Math.abs(v);
          for (BetaCrown.Result result : new BetaCrown.Result[] {once, withCuts}) {
            double bound = result.lower()[r];
            assertTrue(ill || bound <= v + 1e-12 * scale, "cut bound " + bound
                + " above the objective " + v + " at a point of the part");
            if (exact != null) {
              BigDecimal e = BetaCrownTest.exactObjective(objectives[r], exact);
              assertTrue(new BigDecimal(bound).compareTo(e) <= 0,
                  "cut bound " + bound + " above the exact objective " + e);
            }
          }
        }
      }
    }
    assertTrue(trials >= 100, "only " + trials + " parts had cuts");
    assertTrue(checkedPoints > 10_000, checkedPoints + " points met the splits");
    assertTrue(tighter >= 10, "the cuts tightened only " + tighter + " of " + trials + " bounds");
  }
}
