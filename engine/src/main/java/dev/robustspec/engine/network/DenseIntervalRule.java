package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.Rounding;

/**
 * The interval rule of a dense layer over finite, ordered input bounds, in the column order
 * that vectorises: for each input j, every output's sums take W's column j at once
 * ({@code lo += W+ l_j + W- u_j}, {@code hi += W+ u_j + W- l_j}, {@code mag += |W| m_j}) over
 * the transposed positive and negative parts of W, made once per layer.
 *
 * <p>Why: the row-by-row rule takes {@code min(w l, w u)} per weight, a branch C2 does not
 * vectorise, with three addition chains that wait on each other; this loop vectorises (alone, a
 * 50x50 layer 4.4 -> 1.3 us, 256x256 116 -> 33 us). JFR put 42 % of ACAS Xu's input-splitting
 * samples in the row rule, but end to end those runs took the same time with this one
 * (bench/README.md, issue 15 fifth round): kept because it is never slower. The bounds are
 * the same doubles as the row rule's, bit for bit: one of {@code W+}, {@code W-} is 0 at each
 * entry, so each term is the row rule's product plus an exact zero, and each output's terms
 * are summed in the same order (j ascending), with the same slack ({@link Rounding#dotError}).
 */
final class DenseIntervalRule {
  /**
   * {@code positive[j][i] = max(W[i][j], 0)}, {@code negative[j][i] = min(W[i][j], 0)}: one
   * array per column, because C2 (JDK 17) vectorises {@code lo[i] += p[i] * l} but not
   * {@code lo[i] += p[off + i] * l} (3x slower on 50x50, measured).
   */
  private final double[][] positive;
  private final double[][] negative;
  private final int inputSize;
  private final int outputSize;

  DenseIntervalRule(double[] weights, int inputSize, int outputSize) {
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    positive = new double[inputSize][outputSize];
    negative = new double[inputSize][outputSize];
    for (int i = 0; i < outputSize; i++) {
      for (int j = 0; j < inputSize; j++) {
        double w = weights[i * inputSize + j];
        if (w > 0) {
          positive[j][i] = w;
        } else if (w < 0) {
          negative[j][i] = w;
        }
      }
    }
  }

  /** True when this rule applies: every bound finite and {@code lower <= upper}. */
  static boolean applies(double[] inLower, double[] inUpper) {
    for (int j = 0; j < inLower.length; j++) {
      // false for NaN too
      if (!(inLower[j] <= inUpper[j] && inLower[j] > Double.NEGATIVE_INFINITY
          && inUpper[j] < Double.POSITIVE_INFINITY)) {
        return false;
      }
    }
    return true;
  }

  /** Rigorous output bounds of {@code W x + b} over the box (requires {@link #applies}). */
  void forward(double[] bias, double[] inLower, double[] inUpper, double[] magnitudes,
      double[] outLower, double[] outUpper) {
    // fields in locals and this loop shape: C2 vectorises it (3x faster on 50x50, measured;
    // some equivalent spellings of the same loop it does not)
    double[][] pos = positive;
    double[][] neg = negative;
    int in = inputSize;
    int n = outputSize;
    double[] lo = new double[n];
    double[] hi = new double[n];
    double[] mag = new double[n];
    for (int i = 0; i < n; i++) {
      lo[i] = bias[i];
      hi[i] = bias[i];
      mag[i] = Math.abs(bias[i]);
    }
    for (int j = 0; j < in; j++) {
      double l = inLower[j];
      double u = inUpper[j];
      double m = magnitudes[j];
      double[] p = pos[j];
      double[] q = neg[j];
      for (int i = 0; i < n; i++) {
        double a = p[i];
        double b = q[i];
        lo[i] += a * l + b * u;
        hi[i] += a * u + b * l;
        mag[i] += (a - b) * m;
      }
    }
    // Rounding.dotError(in + 1, mag[i]) with its factor computed once: the same doubles
    double factor = 2 * Rounding.gamma(in + 3);
    double tiny = (in + 2) * Double.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      double err = Math.nextUp(factor * mag[i]) + tiny;
      outLower[i] = Math.nextDown(lo[i] - err);
      outUpper[i] = Math.nextUp(hi[i] + err);
    }
  }
}
