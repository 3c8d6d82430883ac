package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.base.Budget;

/**
 * Interval bound propagation (Box / IBP).
 *
 * <p>Requires: any network. Returns: per-layer boxes and objective bounds from the output box.
 * Method: each layer's interval rule in order. Soundness: sound, incomplete; rounding outward at
 * every layer (see {@link Rounding}). Reference: Gowal et al., "On the Effectiveness of Interval
 * Bound Propagation for Training Verifiably Robust Models", 2018.
 */
public final class IntervalPass implements RelaxationPass {

  @Override
  public String name() {
    return "interval";
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    propagate(state, 0, budget);
    int last = state.size() - 1;
    return bound(objectives, state.lower(last), state.upper(last));
  }

  /** Interval rule for layers {@code from..end}, tightening the state. */
  public static void propagate(BoundState state, int from, Budget budget) {
    Network net = state.network();
    for (int k = from; k < net.layers().size(); k++) {
      budget.check();
      propagateLayer(state, k);
    }
  }

  /**
   * Interval rule for layer k alone: bounds at index k+1 from those at index k; nothing when the
   * state says the rule already saw these very bounds ({@link BoundState#intervalApplied}: a
   * ReLU-splitting sub-problem keeps its parent's input box, so its first dense layer, the
   * widest, would give the same bounds again).
   */
  public static void propagateLayer(BoundState state, int k) {
    if (state.intervalApplied(k)) {
      return;
    }
    Layer layer = state.network().layers().get(k);
    double[] lo = new double[layer.outputSize()];
    double[] hi = new double[layer.outputSize()];
    layer.intervalForward(state.lower(k), state.upper(k), lo, hi);
    state.tighten(k + 1, lo, hi);
    state.markIntervalApplied(k);
  }

  /** Rigorous lower bounds of {@code c . y} over the box [lower, upper]. */
  public static double[] bound(double[][] objectives, double[] lower, double[] upper) {
    SymbolicRows rows = new SymbolicRows();
    rows.reset(objectives.length, lower.length);
    for (int r = 0; r < objectives.length; r++) {
      System.arraycopy(objectives[r], 0, rows.coef(), r * lower.length, lower.length);
    }
    return rows.concretise(lower, upper);
  }
}
