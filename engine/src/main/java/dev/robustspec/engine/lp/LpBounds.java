package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.base.Budget;

/**
 * What the LP passes share: rigorous objective bounds from one program, and the optional
 * layer-by-layer tightening of intermediate bounds with LPs.
 */
final class LpBounds {
  private LpBounds() {}

  /** Rounds of cutting planes per objective, and most rows added per round. */
  static final int MAX_ROUNDS = 10;
  static final int MAX_CUTS = 400;

  /** A pass's extra rows (multi-neuron constraints) for an encoding, as a pool of cuts. */
  interface ExtraRows {
    CutPool poolFor(NetworkLp lp, BoundState state, Budget budget);
  }

  /**
   * For each objective c over the values at the encoding's depth, a rigorous lower bound of
   * {@code c . z}: the solver's multipliers through {@link DualBound}, never its value; no looser
   * than the box bound at that depth.
   */
  static double[] objectives(NetworkLp lp, BoundState state, double[][] objectives,
      LpSolver solver, CutPool pool, Budget budget) {
    int k = lp.depth();
    double[] out = IntervalPass.bound(objectives, state.lower(k), state.upper(k));
    LinearProgram program = lp.program();
    for (int r = 0; r < objectives.length; r++) {
      budget.check();
      double[] c = lp.objective(k, objectives[r]);
      if (c == null) {
        continue;
      }
      for (int round = 0; ; round++) {
        LpSolver.Solution s = solver.minimise(program, c, budget);
        // each round's bound is rigorous on its own: cuts only ever add valid rows
        out[r] = Math.max(out[r], DualBound.lowerBound(program, c, s.rowMultipliers()));
        if (pool == null || round >= MAX_ROUNDS || s.status() != LpSolver.Status.OPTIMAL
            || pool.separate(program, s.primal(), MAX_CUTS) == 0) {
          break;
        }
      }
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
      if (!layers.get(k).isRelu()) {
        continue;
      }
      int relaxed = layers.get(k).relaxedInputCount(); // the rest are carried values
      IntervalPass.propagate(state, 0, budget);
      double[] lo = state.lower(k);
      double[] hi = state.upper(k);
      NetworkLp lp = null;
      CutPool pool = null;
      for (int i = 0; i < relaxed; i++) {
        if (!(lo[i] < 0 && hi[i] > 0)) {
          continue;
        }
        if (lp == null) {
          lp = new NetworkLp(state, k);
          pool = extra == null ? null : extra.poolFor(lp, state, budget);
        }
        double[] e = new double[lo.length];
        e[i] = 1;
        double lower = objectives(lp, state, new double[][] {e}, solver, pool, budget)[0];
        e[i] = -1;
        double upper = -objectives(lp, state, new double[][] {e}, solver, pool, budget)[0];
        state.tighten(k, i, lower, upper);
      }
    }
    IntervalPass.propagate(state, 0, budget);
  }
}
