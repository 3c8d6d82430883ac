package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.lp.KReluAlphaPass;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.AlphaPass;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntermediateCuts;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * α-CROWN's optimised intermediate bounds, and the k-ReLU relaxation's ({@code kalpha},
 * {@link KReluAlphaPass}), against the exact extremes of every ReLU's
 * pre-activation, computed independently by enumerating activation patterns
 * ({@link ReluSplitSearchEnumerationTest#exactMinimum} on the net cut before that ReLU), and
 * ReLU branch and bound started from them ({@link ReluSplitSearch#run} with a prior state)
 * against the exact minimum of the objective: never a wrong verdict.
 */
class IntermediateAlphaEnumerationTest {
  private static final AlphaPass INTERM = new AlphaPass(new AlphaPass.Options(20, 0.5, 0.98, 30));

  /** The k-ReLU relaxation bounded by gradient ({@code kalpha}), after DeepPoly. */
  private static final KReluAlphaPass KALPHA = new KReluAlphaPass(3, 8, 1,
      new IntermediateCuts.Options(30, 0.5, 0.05, 0.98));

  @Test
  void neverInsideTheExactRangeOfANeuron() {
    neverInsideTheExactRange(INTERM, 151515);
  }

  @Test
  void kReluBoundsNeverInsideTheExactRangeOfANeuron() {
    neverInsideTheExactRange(KALPHA, 161616);
  }

  @Test
  void reluBranchAndBoundFromTheTightenedStateNeverDecidesWrong() {
    branchAndBoundNeverDecidesWrong(INTERM, 20261515);
  }

  @Test
  void reluBranchAndBoundFromKReluBoundsNeverDecidesWrong() {
    branchAndBoundNeverDecidesWrong(KALPHA, 20261207);
  }

  private static void neverInsideTheExactRange(RelaxationPass pass, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int checked = 0;
    int tighter = 0;
    for (int t = 0; t < 80; t++) {
      int inputs = 1 + random.nextInt(2);
      Network net = RandomNets.dense(random, new int[] {inputs, 3 + random.nextInt(3),
          3 + random.nextInt(3), 3 + random.nextInt(3), 1}, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      BoundState deeppoly = new BoundState(net, box);
      new DeepPolyPass().run(deeppoly, new double[0][], Budget.unlimited());
      BoundState interm = new BoundState(net, box);
      interm.tighten(deeppoly);
      pass.run(interm, new double[0][], Budget.unlimited());
      for (int k = 1; k < net.layers().size(); k++) {
        if (!net.layers().get(k).isRelu()) {
          continue;
        }
        Network prefix = new Network("prefix", new int[] {inputs}, net.layers().subList(0, k));
        for (int i = 0; i < prefix.outputSize(); i++) {
          double[] e = new double[prefix.outputSize()];
          e[i] = 1;
          double min = ReluSplitSearchEnumerationTest.exactMinimum(prefix, box, e);
          e[i] = -1;
          double max = -ReluSplitSearchEnumerationTest.exactMinimum(prefix, box, e);
          double tol = 1e-9 * (1 + Math.abs(min) + Math.abs(max)); // the enumeration's rounding
          double lo = interm.lower(k)[i];
          double hi = interm.upper(k)[i];
          assertTrue(lo <= min + tol && max - tol <= hi, "bounds [" + lo + ", " + hi
              + "] inside the exact range [" + min + ", " + max + "], net " + t + " index " + k);
          checked++;
          double dpWidth = deeppoly.upper(k)[i] - deeppoly.lower(k)[i];
          tighter += hi - lo < dpWidth - 1e-6 * (1 + dpWidth) ? 1 : 0;
        }
      }
    }
    assertTrue(checked > 500, "too few neurons checked: " + checked);
    assertTrue(tighter > checked / 10, "tighter than deeppoly on only " + tighter + " of "
        + checked + " neurons");
  }

  private static void branchAndBoundNeverDecidesWrong(RelaxationPass pass, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int trials = 120;
    int decided = 0;
    for (int t = 0; t < trials; t++) {
      int inputs = 1 + random.nextInt(2);
      Network net = RandomNets.dense(random, new int[] {inputs, 3 + random.nextInt(4),
          3 + random.nextInt(4), 3 + random.nextInt(4), 2}, false);
      Box box = RandomNets.box(random, inputs, 2.0);
      double[] c = {RandomNets.gaussian(random), RandomNets.gaussian(random)};
      double min = ReluSplitSearchEnumerationTest.exactMinimum(net, box, c);
      double gap = 0.02 * (1 + Math.abs(min));
      boolean wantHolds = t % 2 == 0;
      double d = wantHolds ? min - gap : min + gap;
      BoundState prior = new BoundState(net, box);
      new DeepPolyPass().run(prior, new double[][] {c}, Budget.unlimited());
      pass.run(prior, new double[][] {c}, Budget.unlimited());
      UnsafeCase unsafeCase = new UnsafeCase(box, List.of(new OutputConstraint(c, d)));
      BranchAndBound.Outcome outcome = new ReluSplitSearch(net).run(unsafeCase, 0, prior,
          new ReluSplitSearch.Options(5000, 20_000, 10, 1), Budget.of(Duration.ofSeconds(20)));
      switch (outcome.status()) {
        case PROVEN -> {
          assertTrue(wantHolds, "proved a case whose exact minimum " + min + " is below " + d);
          decided++;
        }
        case FALSIFIED -> {
          assertTrue(!wantHolds, "falsified a case whose exact minimum " + min + " is above " + d);
          decided++;
        }
        case UNKNOWN -> { }
      }
    }
    assertTrue(decided >= trials * 9 / 10, "decided only " + decided + " of " + trials);
  }
}
