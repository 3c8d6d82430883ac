package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.lp.LpSolver;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.NeuronCut;
import dev.robustspec.engine.spec.Box;
import java.util.Arrays;
import java.util.List;

/**
 * The multi-neuron cuts of a {@link ReluSplitSearch}'s root, made once per root bounds: the
 * k-ReLU hulls of kPoly's groups ({@link KReluPass#cuts}) depend on those bounds alone, not on
 * the objectives, so the trees of one region (one per input set) share one computation.
 * Not thread-safe: one search runs its trees one at a time.
 */
final class RootCuts {
  /** The last cuts made and what they were made for. */
  private List<NeuronCut> cuts;
  private BoundState prior;
  private int group;
  private double[] lower;
  private double[] upper;

  /**
   * The cuts over the root bounds {@code state} of {@code box} (started from {@code prior}), in
   * groups of {@code group} neurons: the last ones when they were made for the same.
   */
  List<NeuronCut> over(BoundState state, Box box, BoundState prior, int group, Budget budget) {
    if (cuts == null || this.prior != prior || this.group != group
        || !Arrays.equals(lower, box.lower()) || !Arrays.equals(upper, box.upper())) {
      cuts = new KReluPass((LpSolver) null, group, SubproblemRoot.CUT_SET,
          SubproblemRoot.CUT_SHARED, false).cuts(state, budget);
      this.prior = prior;
      this.group = group;
      lower = box.lower().clone();
      upper = box.upper().clone();
    }
    return cuts;
  }
}
