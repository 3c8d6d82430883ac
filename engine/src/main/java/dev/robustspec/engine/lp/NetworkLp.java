package dev.robustspec.engine.lp;

import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
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
      int[] out = new int[layer.outputSize()];
      variable[k + 1] = out;
      double[] lo = state.lower(k + 1);
      double[] hi = state.upper(k + 1);
      if (layer instanceof DenseLayer d) {
        int n = d.inputSize();
        double[] w = d.weights();
        for (int i = 0; i < out.length; i++) {
          out[i] = box(lo[i], hi[i]);
          int[] idx = new int[n + 1];
          double[] coef = new double[n + 1];
          idx[0] = out[i];
          coef[0] = 1;
          for (int j = 0; j < n; j++) {
            if (in[j] >= 0) {
              idx[j + 1] = in[j];
              coef[j + 1] = -w[i * n + j];
            }
          }
          program.addRow(idx, coef, d.bias()[i], d.bias()[i]);
        }
      } else if (layer instanceof ElementwiseAffineLayer e) {
        for (int i = 0; i < out.length; i++) {
          out[i] = box(lo[i], hi[i]);
          if (in[i] >= 0) {
            program.addRow(new int[] {out[i], in[i]}, new double[] {1, -e.scale()[i]},
                e.shift()[i], e.shift()[i]);
          } else {
            program.addRow(new int[] {out[i]}, new double[] {1}, e.shift()[i], e.shift()[i]);
          }
        }
      } else if (layer instanceof ReshapeLayer) {
        System.arraycopy(in, 0, out, 0, in.length);
      } else if (layer instanceof ReluLayer) {
        double[] l = state.lower(k);
        double[] u = state.upper(k);
        for (int i = 0; i < out.length; i++) {
          if (u[i] <= 0 || in[i] < 0) {
            out[i] = -1;
          } else if (l[i] >= 0) {
            out[i] = box(Math.max(0, lo[i]), hi[i]);
            program.addRow(new int[] {out[i], in[i]}, new double[] {1, -1}, 0, 0);
          } else {
            out[i] = box(Math.max(0, lo[i]), hi[i]);
            program.addRow(new int[] {out[i], in[i]}, new double[] {1, -1}, 0,
                Double.POSITIVE_INFINITY);
            // chord y <= s (x - l) with s >= u / (u - l): rounding u - l down, s up
            double s = Math.nextUp(u[i] / Math.nextDown(u[i] - l[i]));
            double rhs = Math.nextUp(-s * l[i]);
            program.addRow(new int[] {out[i], in[i]}, new double[] {1, -s},
                Double.NEGATIVE_INFINITY, rhs);
          }
        }
      } else {
        throw new IllegalArgumentException("the LP encoding is not yet supported for layer "
            + layer.name() + "; use interval, deeppoly and bab for this network");
      }
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
