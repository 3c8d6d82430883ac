package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.base.Budget;

/**
 * Forward symbolic intervals (Neurify; forward-mode LiRPA): linear bounds of every value as
 * functions of the network input, carried forward layer by layer.
 *
 * <p>Requires: a finite input box (with an infinite one it falls back to the interval rule);
 * any network whose layers have a forward symbolic rule (all of ours). Best when the input is
 * small (ACAS Xu's 5): the cost per layer is {@code O(n_out * n_in * (d + 1))} for input size d,
 * against {@code O(n_out * n_in * (sum of earlier widths))} for DeepPoly's back-substitution.
 * Returns: tightened bounds of every value (never looser than the interval rule's, since each
 * layer runs it first and intersects) and a lower bound of each objective.
 *
 * <p>Method: each value carries a lower and an upper linear function of the input
 * ({@link ForwardBounds}), starting from the identity. Per layer: the interval rule, then the
 * layer's {@link dev.robustspec.engine.network.Layer#forwardSymbolic} rule (affine layers combine
 * the input rows by the signs of the weights; a ReLU relaxes an unstable neuron with the chord
 * applied to the upper function and the lower function or 0 by the area rule, using the state's
 * bounds), then both functions concretised over the input box and intersected with the state.
 * An objective {@code c . y} is bounded below by concretising {@code c+ . lower + c- . upper},
 * and by the output box, keeping the better.
 *
 * <p>Soundness: sound, incomplete. Each rule is a valid relaxation for every input of the box
 * given valid bounds on the layer's input; every computed coefficient, constant and slack term
 * has its rounding error bounded ({@link Rounding#dotError}, a coefficient's error counted times
 * {@code max |x_k|} over the box) and added to the row's slack, so each row holds for the
 * real-valued network; concretisation rounds outward; a NaN (only after overflow) never tightens
 * a bound and makes an objective bound -infinity.
 *
 * <p>Reference: Wang et al., "Efficient Formal Safety Analysis of Neural Networks" (Neurify),
 * NeurIPS 2018, symbolic linear relaxation; Xu et al., "Automatic Perturbation Analysis for
 * Scalable Certified Robustness and Beyond" (auto_LiRPA), NeurIPS 2020, forward mode.
 */
public final class SymbolicIntervalPass implements RelaxationPass {

  @Override
  public String name() {
    return "symbolic";
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    Network net = state.network();
    int layers = net.layers().size();
    double[] inLo = state.lower(0);
    double[] inHi = state.upper(0);
    for (int k = 0; k < inLo.length; k++) {
      if (!Double.isFinite(inLo[k]) || !Double.isFinite(inHi[k])) {
        return new IntervalPass().run(state, objectives, budget);
      }
    }
    ForwardBounds current = new ForwardBounds(inLo, inHi);
    ForwardBounds next = new ForwardBounds(inLo, inHi);
    current.setIdentity();
    for (int k = 0; k < layers; k++) {
      budget.check();
      IntervalPass.propagateLayer(state, k);
      current.computeMagnitudes();
      net.layers().get(k).forwardSymbolic(current, state.lower(k), state.upper(k), next);
      ForwardBounds t = current;
      current = next;
      next = t;
      double[] lo = current.lower().concretise(inLo, inHi);
      double[] negHi = current.negatedUpper().concretise(inLo, inHi);
      for (int i = 0; i < lo.length; i++) {
        state.tighten(k + 1, i, lo[i], -negHi[i]); // NaN never tightens
      }
    }
    // objectives: c . y >= sum_(c_j > 0) c_j lower_j + sum_(c_j < 0) |c_j| (-upper_j)
    int n = net.outputSize();
    current.computeMagnitudes();
    SymbolicRows rows = new SymbolicRows();
    rows.reset(objectives.length, current.width());
    double[] w = new double[n];
    int[] index = new int[n];
    boolean[] negated = new boolean[n];
    for (int r = 0; r < objectives.length; r++) {
      for (int j = 0; j < n; j++) {
        double c = objectives[r][j];
        w[j] = Math.abs(c);
        index[j] = j;
        negated[j] = c < 0;
      }
      current.combine(rows, r, n, w, index, negated, 0);
    }
    double[] symbolic = rows.concretise(inLo, inHi);
    double[] boxed = IntervalPass.bound(objectives, state.lower(layers), state.upper(layers));
    for (int r = 0; r < symbolic.length; r++) {
      double s = Double.isNaN(symbolic[r]) ? Double.NEGATIVE_INFINITY : symbolic[r];
      symbolic[r] = Math.max(s, boxed[r]);
    }
    return symbolic;
  }
}
