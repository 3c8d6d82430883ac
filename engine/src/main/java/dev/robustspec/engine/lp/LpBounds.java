package dev.robustspec.engine.lp;

import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.verify.Budget;

/**
 * What the LP passes share: rigorous objective bounds from one program, and the optional
 * layer-by-layer tightening of intermediate bounds with LPs.
 */
final class LpBounds {
  private LpBounds() {}

  /** Adds a pass's extra rows (multi-neuron constraints) to an encoding. */
  interface ExtraRows {
    void addTo(NetworkLp lp, BoundState state, Budget budget);
  }

  /**
   * For each objective c over the values at the encoding's depth, a rigorous lower bound of
   * {@code c . z}: the solver's multipliers through {@link DualBound}, never its value; no looser
   * than the box bound at that depth.
   */
  static double[] objectives(NetworkLp lp, BoundState state, double[][] objectives,
      LpSolver solver, Budget budget) {
    int k = lp.depth();
    double[] out = IntervalPass.bound(objectives, state.lower(k), state.upper(k));
    LinearProgram program = lp.program();
    for (int r = 0; r < objectives.length; r++) {
      budget.check();
      double[] c = lp.objective(k, objectives[r]);
      if (c == null) {
        continue;
      }
      LpSolver.Solution s = solver.minimise(program, c, budget);
      out[r] = Math.max(out[r], DualBound.lowerBound(program, c, s.rowMultipliers()));
    }
    return out;
  }

  /**
   * Tightens the pre-activation bounds of every unstable ReLU input, layer by layer (each LP
   * over the layers before it, with the extra rows of those layers), two LPs per neuron.
   */
  static void tighten(BoundState state, LpSolver solver, ExtraRows extra, Budget budget) {
    var layers = state.network().layers();
    for (int k = 1; k < layers.size(); k++) {
      if (!(layers.get(k) instanceof dev.robustspec.engine.network.ReluLayer)) {
        continue;
      }
      IntervalPass.propagate(state, 0, budget);
      double[] lo = state.lower(k);
      double[] hi = state.upper(k);
      NetworkLp lp = null;
      for (int i = 0; i < lo.length; i++) {
        if (!(lo[i] < 0 && hi[i] > 0)) {
          continue;
        }
        if (lp == null) {
          lp = new NetworkLp(state, k);
          if (extra != null) {
            extra.addTo(lp, state, budget);
          }
        }
        double[] e = new double[lo.length];
        e[i] = 1;
        double lower = objectives(lp, state, new double[][] {e}, solver, budget)[0];
        e[i] = -1;
        double upper = -objectives(lp, state, new double[][] {e}, solver, budget)[0];
        state.tighten(k, i, lower, upper);
      }
    }
    IntervalPass.propagate(state, 0, budget);
  }
}
