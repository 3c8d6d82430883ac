package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.util.Arrays;

/**
 * {@link SparseAffineLayer}'s back-substitution: {@code (A W)_rj = sum over column j's terms of
 * A_ri w}, over W's compressed columns (the transpose of its rows, made once). A column of one
 * term ±1 is exact; a column of {@code k} terms errs by at most {@code gamma_k sum |A_ri w|},
 * which times the magnitude bound of {@code x_j} goes into the slack; the constant {@code A b}
 * likewise.
 */
final class SparseBackSubstitution {
  private final int inputSize;
  /** Compressed columns (the transpose). */
  private final int[] colStart;
  private final int[] colRow;
  private final double[] colValue;
  /**
   * Per column of n entries, the two parts of {@code Rounding.dotError(n, mag)}: {@code 2
   * gamma(n + 2)} and {@code (n + 1) MIN_VALUE} (back-substitution needs them per row and
   * column; gamma divides).
   */
  private final double[] colGamma2;
  private final double[] colTiny;

  /** The transpose of the compressed rows {@code rowStart, column, value} (checked already). */
  SparseBackSubstitution(int inputSize, int[] rowStart, int[] column, double[] value) {
    this.inputSize = inputSize;
    colStart = new int[inputSize + 1];
    for (int c : column) {
      colStart[c + 1]++;
    }
    for (int j = 0; j < inputSize; j++) {
      colStart[j + 1] += colStart[j];
    }
    colRow = new int[column.length];
    colValue = new double[column.length];
    int[] fill = Arrays.copyOf(colStart, inputSize);
    for (int i = 0; i + 1 < rowStart.length; i++) {
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        int p = fill[column[t]]++;
        colRow[p] = i;
        colValue[p] = value[t];
      }
    }
    colGamma2 = new double[inputSize];
    colTiny = new double[inputSize];
    for (int j = 0; j < inputSize; j++) {
      int n = colStart[j + 1] - colStart[j];
      colGamma2[j] = 2 * Rounding.gamma(n + 2);
      colTiny[j] = (n + 1) * Double.MIN_VALUE;
    }
  }

  /** Rows over the layer's output ({@code bias} its constant) rewritten over its input. */
  void run(double[] bias, SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int rows = overOutput.rows();
    int out = bias.length;
    double[] m = Layer.magnitudes(inLower, inUpper);
    double[] a = overOutput.coef();
    overInput.resize(rows, inputSize); // every coefficient is written below
    overInput.copyOffsets(overOutput);
    double[] c = overInput.coef();
    for (int r = 0; r < rows; r++) {
      int aOff = r * out;
      int cOff = r * inputSize;
      double error = 0;
      for (int j = 0; j < inputSize; j++) {
        int t0 = colStart[j];
        int t1 = colStart[j + 1];
        if (t1 == t0 + 1 && Math.abs(colValue[t0]) == 1) {
          c[cOff + j] = a[aOff + colRow[t0]] * colValue[t0]; // exact
          continue;
        }
        double s = 0;
        double mag = 0;
        for (int t = t0; t < t1; t++) {
          double p = a[aOff + colRow[t]] * colValue[t];
          s += p;
          mag += Math.abs(p);
        }
        c[cOff + j] = s;
        if (mag != 0) {
          // Rounding.dotError(t1 - t0, mag), bit for bit, without its division
          error += (Math.nextUp(colGamma2[j] * mag) + colTiny[j]) * m[j];
        }
      }
      double constant = 0;
      double cmag = 0;
      for (int i = 0; i < out; i++) {
        if (bias[i] != 0 && a[aOff + i] != 0) {
          double p = a[aOff + i] * bias[i];
          constant += p;
          cmag += Math.abs(p);
        }
      }
      if (cmag != 0) {
        overInput.addConstant(r, constant);
        error += Rounding.dotError(out, cmag);
      }
      if (error != 0) {
        overInput.addSlack(r, Math.nextUp(error * (1 + 4 * Rounding.gamma(inputSize + 2))));
      }
    }
  }
}
