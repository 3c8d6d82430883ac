package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The kernel of {@link DenseLayer#backSubstitute}: {@code overInput = overOutput . (W x + b)},
 * i.e. the product {@code A W}, the constants {@code A b} and the rounding slack.
 *
 * <p>Only what can change a bound is computed (auto_LiRPA's sparse back-substitution):
 * <ul>
 *   <li>an input whose bounds are {@code [0, 0]} (the output of a ReLU the bounds show inactive)
 *       is the constant 0, so its column of {@code A W} is left 0 and never computed: the product
 *       runs over the live columns only, against a compacted copy of the used rows of W;
 *   <li>a column of A that is 0 in every row of a block (an inactive or unused neuron) is
 *       skipped, and only the used rows of W enter {@code |W| m}.
 * </ul>
 *
 * <p>The product adds four rows of W per pass over an output row ({@code o += c0 w0 + c1 w1 +
 * c2 w2 + c3 w3}, evaluated left to right as Java requires), so each output entry is loaded and
 * stored once per four products, and the JIT vectorises the loop. Every entry still sums the
 * same products in the same order {@code k = 0, 1, ...} as the one-row-at-a-time loop (a skipped
 * zero adds an exact 0), so the coefficients are the same bit for bit and the slack
 * {@code gamma * |A| (|W| m)} (valid for any summation order) is unchanged.
 */
final class DenseBackSubstitution {
  /** Rows multiplied together, so each loaded group of weight rows serves the whole block. */
  private static final int ROW_BLOCK = 8;
  /** Multiply-adds above which the product is split across cores. */
  private static final long PARALLEL_WORK = 500_000;

  private DenseBackSubstitution() {}

  static void run(DenseLayer layer, SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int in = layer.inputSize();
    int out = layer.outputSize();
    double[] weights = layer.weights();
    int rows = overOutput.rows();
    double[] a = overOutput.coef();
    double[] m = Layer.magnitudes(inLower, inUpper);
    int[] liveColumn = new int[in];
    int live = 0;
    for (int j = 0; j < in; j++) {
      if (m[j] != 0) {
        liveColumn[live++] = j; // m = 0: the input is the constant 0
      }
    }
    int[] usedRow = new int[out]; // rows k of W that some row of A uses
    int used = 0;
    for (int k = 0; k < out; k++) {
      for (int r = 0; r < rows; r++) {
        if (a[r * out + k] != 0) {
          usedRow[used++] = k;
          break;
        }
      }
    }
    double[] wm = new double[out]; // |W| m, only where some row uses neuron k
    double factor = 1 + 4 * Rounding.gamma(in);
    for (int q = 0; q < used; q++) {
      int off = usedRow[q] * in;
      double s = 0;
      for (int t = 0; t < live; t++) {
        int j = liveColumn[t];
        double w = weights[off + j];
        if (w != 0) {
          s += Math.abs(w) * m[j];
        }
      }
      wm[usedRow[q]] = Math.nextUp(s * factor);
    }
    // row k of W restricted to the live columns, as its own array (see multiplyBlock)
    double[][] w;
    if (live == in) {
      w = layer.weightRows();
    } else {
      w = new double[out][];
      for (int q = 0; q < used; q++) {
        int src = usedRow[q] * in;
        double[] row = new double[live];
        for (int t = 0; t < live; t++) {
          row[t] = weights[src + liveColumn[t]];
        }
        w[usedRow[q]] = row;
      }
    }
    overInput.reset(rows, in);
    overInput.copyOffsets(overOutput);
    int width = live;
    int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
    IntConsumer block = b -> {
      int r0 = b * ROW_BLOCK;
      int r1 = Math.min(rows, r0 + ROW_BLOCK);
      double[][] acc = multiplyBlock(a, out, w, width, r0, r1);
      double[] o = overInput.coef();
      for (int r = r0; r < r1; r++) {
        double[] row = acc[r - r0];
        int off = r * in;
        if (width == in) {
          System.arraycopy(row, 0, o, off, in);
        } else {
          for (int t = 0; t < width; t++) {
            o[off + liveColumn[t]] = row[t];
          }
        }
      }
      offsets(layer.bias(), a, out, in, wm, overInput, r0, r1);
    };
    if ((long) rows * used * live >= PARALLEL_WORK) {
      IntStream.range(0, blocks).parallel().forEach(block);
    } else {
      for (int b = 0; b < blocks; b++) {
        block.accept(b);
      }
    }
  }

  /**
   * Rows {@code r0..r1-1} of {@code A W} over the live columns, one array per row: the rows of W
   * that some row of the block uses, four at a time. Every array is indexed from 0 by the loop
   * variable alone, because that is the shape C2's superword pass vectorises in JDK 17 (two
   * arrays at different offsets defeat its alignment analysis: measured 3x slower).
   */
  private static double[][] multiplyBlock(double[] a, int out, double[][] w, int width, int r0,
      int r1) {
    double[][] acc = new double[r1 - r0][width];
    int[] ks = new int[out];
    int n = 0;
    for (int k = 0; k < out; k++) {
      for (int r = r0; r < r1; r++) {
        if (a[r * out + k] != 0) {
          ks[n++] = k;
          break;
        }
      }
    }
    int g = 0;
    for (; g + 4 <= n; g += 4) {
      int k0 = ks[g];
      int k1 = ks[g + 1];
      int k2 = ks[g + 2];
      int k3 = ks[g + 3];
      double[] w0 = w[k0];
      double[] w1 = w[k1];
      double[] w2 = w[k2];
      double[] w3 = w[k3];
      for (int r = r0; r < r1; r++) {
        int ar = r * out;
        double c0 = a[ar + k0];
        double c1 = a[ar + k1];
        double c2 = a[ar + k2];
        double c3 = a[ar + k3];
        if (c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0) {
          continue;
        }
        double[] y = acc[r - r0];
        for (int t = 0; t < width; t++) {
          y[t] = y[t] + c0 * w0[t] + c1 * w1[t] + c2 * w2[t] + c3 * w3[t];
        }
      }
    }
    for (; g < n; g++) {
      int k = ks[g];
      double[] wk = w[k];
      for (int r = r0; r < r1; r++) {
        double c = a[r * out + k];
        if (c == 0) {
          continue;
        }
        double[] y = acc[r - r0];
        for (int t = 0; t < width; t++) {
          y[t] += c * wk[t];
        }
      }
    }
    return acc;
  }

  /** Constants {@code A b} (rounded down) and slacks of rows {@code r0..r1-1}. */
  private static void offsets(double[] bias, double[] a, int out, int in, double[] wm,
      SymbolicRows overInput, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int aOff = r * out;
      double constant = 0;
      double magnitude = 0;
      for (int k = 0; k < out; k++) {
        double c = a[aOff + k];
        if (c == 0) {
          continue;
        }
        double cb = c * bias[k];
        constant += cb;
        magnitude += Math.abs(c) * wm[k] + Math.abs(cb);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(out + in, magnitude));
    }
  }
}
