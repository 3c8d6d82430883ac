package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;

/**
 * The straightforward rules the fast kernels replaced (issue 15), kept as oracles: the dense
 * back-substitution one output neuron at a time with a test per zero, the dense interval rule
 * with a test per zero weight, the ReLU's general rule (the one {@code ReluLayer} still uses with
 * slopes or infinite bounds), and the concretisation over every column with a test per zero.
 * Each sums the same products in the same order as the fast code, so the two agree bit for bit.
 */
public final class ReferenceRules {
  private ReferenceRules() {}

  /** The back-substitution rule of {@code layer}, by the straightforward loops. */
  public static void backSubstitute(Layer layer, SymbolicRows overOutput, double[] inLower,
      double[] inUpper, SymbolicRows overInput) {
    if (layer instanceof DenseLayer dense) {
      dense(dense, overOutput, inLower, inUpper, overInput);
    } else if (layer instanceof ReluLayer relu) {
      relu.backSubstitute(overOutput, inLower, inUpper, null, overInput);
    } else {
      layer.backSubstitute(overOutput, inLower, inUpper, overInput);
    }
  }

  /** The interval rule of {@code layer}, by the straightforward loop for a dense layer. */
  public static void intervalForward(Layer layer, double[] inLower, double[] inUpper,
      double[] outLower, double[] outUpper) {
    if (!(layer instanceof DenseLayer dense)) {
      layer.intervalForward(inLower, inUpper, outLower, outUpper);
      return;
    }
    double[] m = Layer.magnitudes(inLower, inUpper);
    int in = dense.inputSize();
    for (int i = 0; i < dense.outputSize(); i++) {
      double b = dense.bias()[i];
      double lo = b;
      double hi = b;
      double magnitude = Math.abs(b);
      for (int j = 0; j < in; j++) {
        double w = dense.weight(i, j);
        if (w == 0) {
          continue;
        }
        double x = w * inLower[j];
        double y = w * inUpper[j];
        lo += Math.min(x, y);
        hi += Math.max(x, y);
        magnitude += Math.abs(w) * m[j];
      }
      double err = Rounding.dotError(in + 1, magnitude);
      outLower[i] = Math.nextDown(lo - err);
      outUpper[i] = Math.nextUp(hi + err);
    }
  }

  /** For each row, a rigorous lower bound over the box: every column, a test per zero. */
  public static double[] concretise(SymbolicRows rows, double[] lower, double[] upper) {
    int width = rows.width();
    double[] coef = rows.coef();
    double[] out = new double[rows.rows()];
    for (int r = 0; r < out.length; r++) {
      double s = 0;
      double magnitude = 0;
      for (int j = 0; j < width; j++) {
        double a = coef[r * width + j];
        if (a == 0) {
          continue;
        }
        double lo = a * lower[j];
        double hi = a * upper[j];
        s += Math.min(lo, hi);
        magnitude += Math.max(Math.abs(lo), Math.abs(hi));
      }
      double err = Rounding.dotError(width, magnitude);
      double v = Math.nextDown(s + rows.constant()[r]);
      out[r] = Math.nextDown(v - Math.nextUp(rows.slack()[r] + err));
    }
    return out;
  }

  /**
   * One output neuron at a time, full {@code |W| m}; an input fixed at [0, 0] gets the
   * coefficient 0, as the fast kernel leaves it (it multiplies only the constant 0).
   */
  private static void dense(DenseLayer layer, SymbolicRows overOutput, double[] inLower,
      double[] inUpper, SymbolicRows overInput) {
    int in = layer.inputSize();
    int out = layer.outputSize();
    int rows = overOutput.rows();
    double[] m = Layer.magnitudes(inLower, inUpper);
    double[] wm = new double[out];
    for (int k = 0; k < out; k++) {
      double s = 0;
      for (int j = 0; j < in; j++) {
        double w = layer.weight(k, j);
        if (w != 0 && m[j] != 0) {
          s += Math.abs(w) * m[j];
        }
      }
      wm[k] = Math.nextUp(s * (1 + 4 * Rounding.gamma(in)));
    }
    overInput.reset(rows, in);
    overInput.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    for (int r = 0; r < rows; r++) {
      double constant = 0;
      double magnitude = 0;
      for (int k = 0; k < out; k++) {
        double c = a[r * out + k];
        if (c == 0) {
          continue;
        }
        for (int j = 0; j < in; j++) {
          if (m[j] != 0) {
            overInput.coef()[r * in + j] += c * layer.weight(k, j);
          }
        }
        double cb = c * layer.bias()[k];
        constant += cb;
        magnitude += Math.abs(c) * wm[k] + Math.abs(cb);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(out + in, magnitude));
    }
  }
}
