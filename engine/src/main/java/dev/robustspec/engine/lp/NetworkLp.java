package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.LpRowSink;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.InputConstraint;

/**
 * The triangle relaxation of a network as a {@link LinearProgram} (Ehlers, "Formal verification
 * of piece-wise linear feed-forward neural networks", ATVA 2017): one variable per value, boxed by
 * the bounds in the {@link BoundState}; the state's input constraints (a polytope) as rows; affine
 * layers as equalities; a stable-inactive ReLU
 * output is the constant 0, a stable-active one equals its input, and an unstable one lies in
 * the triangle {@code y >= 0, y >= x, y <= s (x - l)} with the chord slope s rounded up. Every
 * row has exact double data that hold for the real network, so {@link DualBound} bounds of this
 * program are rigorous.
 */
public final class NetworkLp {
  private final LinearProgram program = new LinearProgram();
  /** {@code variable[k][i]}: LP variable of value i at bound index k, or -1 for the constant 0. */
  private final int[][] variable;
  private final int depth;
  /** The LP as the layers see it: finite boxed variables and rows. */
  private final LpRowSink sink = new LpRowSink() {
    @Override
    public int variable(double lower, double upper) {
      return box(lower, upper);
    }

    @Override
    public void row(int[] index, double[] coef, double lower, double upper) {
      program.addRow(index, coef, lower, upper);
    }
  };

  /**
   * Encodes the network's values at bound indices {@code 0..depth} (depth = layers for the whole
   * network). The state's bounds up to {@code depth} must be finite.
   */
  public NetworkLp(BoundState state, int depth) {
    Network net = state.network();
    this.depth = depth;
    variable = new int[depth + 1][];
    variable[0] = new int[net.inputSize()];
    for (int i = 0; i < variable[0].length; i++) {
      variable[0][i] = program.addVariable(state.lower(0)[i], state.upper(0)[i]);
    }
    for (InputConstraint c : state.inputConstraints()) {
      program.addRow(variable[0], c.coefficients(), Double.NEGATIVE_INFINITY, c.bound());
    }
    for (int k = 0; k < depth; k++) {
      Layer layer = net.layers().get(k);
      int[] in = variable[k];
      double[] lo = state.lower(k + 1);
      double[] hi = state.upper(k + 1);
      variable[k + 1] = layer.encodeLp(sink, in,
          new LpRowSink.Bounds(state.lower(k), state.upper(k), lo, hi));
    }
  }

  private int box(double lo, double hi) {
    if (!(Double.isFinite(lo) && Double.isFinite(hi))) {
      throw new IllegalStateException("LP needs finite bounds; run the interval pass first");
    }
    return program.addVariable(lo, Math.max(lo, hi));
  }

  public LinearProgram program() {
    return program;
  }

  /** LP variable of value i at bound index k, or -1 when the value is the constant 0. */
  public int variable(int k, int i) {
    return variable[k][i];
  }

  /** Deepest bound index encoded. */
  public int depth() {
    return depth;
  }

  /** The LP objective for {@code c . (values at index k)}; null when a coefficient would collide. */
  public double[] objective(int k, double[] c) {
    double[] obj = new double[program.variables()];
    for (int i = 0; i < c.length; i++) {
      int v = variable[k][i];
      if (v >= 0 && c[i] != 0) {
        if (obj[v] != 0) {
          return null; // two values share a variable (a reshape): the sum could round
        }
        obj[v] = c[i];
      }
    }
    return obj;
  }
}
