package dev.robustspec.compiler.plot;

import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.lp.NetworkLp;
import dev.robustspec.engine.lp.LpSolvers;
import dev.robustspec.engine.lp.ProjectedRelaxation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.List;
import java.util.Optional;

/**
 * The triangle LP's set (single-neuron) or, with {@code multiNeuron}, the same LP plus the exact
 * hull of the plotted pair (k-ReLU with k = 2 on those two neurons), projected onto the plotted
 * plane by {@link ProjectedRelaxation}.
 */
public final class LpProjector implements RelaxationProjector {
  /** Support directions: each is one LP, so the polygon has this many sides. */
  private static final int DIRECTIONS = 24;

  private final boolean multiNeuron;

  public LpProjector(boolean multiNeuron) {
    this.multiNeuron = multiNeuron;
  }

  /** Both LP sets, as {@code robustspec plot} draws them. */
  public static List<RelaxationProjector> both() {
    return List.of(new LpProjector(false), new LpProjector(true));
  }

  @Override
  public String label() {
    return multiNeuron ? "k-ReLU (pair hull, LP)" : "triangle (LP)";
  }

  @Override
  public Optional<PlotSet> project(Network net, BoundState state, UnsafeCase regionCase,
      int preIndex, int i, int j, boolean post, Budget budget) {
    NetworkLp lp = new NetworkLp(state, preIndex + 1);
    var solver = LpSolvers.best();
    if (multiNeuron) {
      boolean unstable = state.lower(preIndex)[i] < 0 && state.upper(preIndex)[i] > 0
          && state.lower(preIndex)[j] < 0 && state.upper(preIndex)[j] > 0;
      if (!unstable) {
        return Optional.empty(); // a stable neuron is exact already: nothing to add
      }
      new KReluPass(solver, 2, 2, 1, false).addGroup(lp, state, preIndex, new int[] {i, j}, budget);
    }
    List<double[]> polygon = ProjectedRelaxation.polygon(lp, state, post ? preIndex + 1 : preIndex,
        i, j, DIRECTIONS, solver, budget);
    return polygon == null ? Optional.empty() : Optional.of(new PlotSet(label(), polygon, null));
  }
}
