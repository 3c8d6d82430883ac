package dev.robustspec.engine.network;

import dev.robustspec.engine.base.Cores;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.util.Arrays;
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
 *       runs over the live columns only, against a compacted copy of W's rows;
 *   <li>a column of A that is 0 in every row of a block (an inactive or unused neuron) is
 *       skipped.
 * </ul>
 * What depends only on the input bounds (the live columns, the compacted rows of W and the
 * vector {@code |W| m}) is a {@link Preparation}, kept by the layer and reused while the bounds
 * stay the same: one DeepPoly run back-substitutes through a layer once per later refinement,
 * always over the same bounds.
 *
 * <p>The product adds four rows of W per pass over two output rows ({@code o += c0 w0 + c1 w1 +
 * c2 w2 + c3 w3}, evaluated left to right as Java requires), so each loaded weight serves two
 * rows and the JIT vectorises the loop. Every entry still sums the same products in the same
 * order {@code k = 0, 1, ...} as the one-row-at-a-time loop (a skipped or computed zero adds an
 * exact 0), so the coefficients are the same bit for bit and the slack
 * {@code gamma * |A| (|W| m)} (valid for any summation order) is unchanged.
 */
final class DenseBackSubstitution {
  /** Rows multiplied together, so each loaded group of weight rows serves the whole block. */
  private static final int ROW_BLOCK = 8;
  /** Multiply-adds above which the product is split across cores. */
  private static final long PARALLEL_WORK = 500_000;

  private DenseBackSubstitution() {}

  /**
   * What a back-substitution needs from the input bounds alone: the magnitudes m they were made
   * for, the live columns (m != 0), W's rows restricted to them, {@code |W| m} rounded up for
   * every row, and whether that vector is finite (then a zero coefficient times it is 0).
   */
  record Preparation(double[] m, int[] liveColumn, int live, double[][] rows, double[] wm,
      boolean finite) {}

  static Preparation prepare(DenseLayer layer, double[] inLower, double[] inUpper) {
    double[] m = Layer.magnitudes(inLower, inUpper);
    Preparation cached = layer.preparation();
    if (cached != null && Arrays.equals(cached.m(), m)) {
      return cached;
    }
    int in = layer.inputSize();
    int out = layer.outputSize();
    double[] weights = layer.weights();
    int[] liveColumn = new int[in];
    int live = 0;
    for (int j = 0; j < in; j++) {
      if (m[j] != 0) {
        liveColumn[live++] = j; // m = 0: the input is the constant 0
      }
    }
    double[] wm = new double[out];
    double factor = 1 + 4 * Rounding.gamma(in);
    boolean finite = true;
    for (int k = 0; k < out; k++) {
      int off = k * in;
      double s = 0;
      for (int t = 0; t < live; t++) {
        int j = liveColumn[t];
        double w = weights[off + j];
        if (w != 0) {
          s += Math.abs(w) * m[j];
        }
      }
      wm[k] = Math.nextUp(s * factor);
      finite &= Double.isFinite(wm[k]);
    }
    double[][] rows;
    if (live == in) {
      rows = layer.weightRows();
    } else {
      rows = new double[out][live];
      for (int k = 0; k < out; k++) {
        int src = k * in;
        double[] row = rows[k];
        for (int t = 0; t < live; t++) {
          row[t] = weights[src + liveColumn[t]];
        }
      }
    }
    Preparation p = new Preparation(m, liveColumn, live, rows, wm, finite);
    layer.keepPreparation(p);
    return p;
  }

  static void run(DenseLayer layer, SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int in = layer.inputSize();
    int out = layer.outputSize();
    int rows = overOutput.rows();
    double[] a = overOutput.coef();
    Preparation p = prepare(layer, inLower, inUpper);
    int width = p.live();
    if (width == in) {
      overInput.resize(rows, in); // every coefficient is written below
    } else {
      overInput.reset(rows, in);
    }
    overInput.copyOffsets(overOutput);
    if (width < in) {
      overInput.markNonzeroColumns(p.liveColumn(), width);
    }
    int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
    IntConsumer block = b -> {
      int r0 = b * ROW_BLOCK;
      int r1 = Math.min(rows, r0 + ROW_BLOCK);
      double[][] acc = multiplyBlock(a, out, p.rows(), width, r0, r1);
      double[] o = overInput.coef();
      int[] liveColumn = p.liveColumn();
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
      offsets(layer.bias(), a, out, in, p, overInput, r0, r1);
    };
    if ((long) rows * out * width >= PARALLEL_WORK && Cores.available() > 1) {
      IntStream.range(0, blocks).parallel().forEach(block);
    } else {
      for (int b = 0; b < blocks; b++) {
        block.accept(b);
      }
    }
  }

  /**
   * {@code sum_r |A[r][k]|} over rows {@code r0..r1-1}: nonzero exactly where some row uses k (a
   * sum of nonnegative numbers, one of them positive, rounds to a positive number), computed
   * row by row so that it vectorises, unlike a scan down each column.
   */
  private static double[] columnMagnitudes(double[] a, int out, int r0, int r1) {
    double[] any = new double[out];
    for (int r = r0; r < r1; r++) {
      int off = r * out;
      for (int k = 0; k < out; k++) {
        any[k] += Math.abs(a[off + k]);
      }
    }
    return any;
  }

  /**
   * Rows {@code r0..r1-1} of {@code A W} over the live columns, one array per row: the rows of W
   * that some row of the block uses, four at a time, applied to two output rows per pass. Every
   * array is indexed from 0 by the loop variable alone, because that is the shape C2's superword
   * pass vectorises in JDK 17 (two arrays at different offsets defeat its alignment analysis:
   * measured 3x slower).
   */
  private static double[][] multiplyBlock(double[] a, int out, double[][] w, int width, int r0,
      int r1) {
    double[][] acc = new double[r1 - r0][width];
    double[] any = columnMagnitudes(a, out, r0, r1);
    int[] ks = new int[out];
    int n = 0;
    for (int k = 0; k < out; k++) {
      if (any[k] != 0) {
        ks[n++] = k;
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
      int r = r0;
      for (; r + 2 <= r1; r += 2) {
        int ar = r * out;
        int as = ar + out;
        double c0 = a[ar + k0];
        double c1 = a[ar + k1];
        double c2 = a[ar + k2];
        double c3 = a[ar + k3];
        double d0 = a[as + k0];
        double d1 = a[as + k1];
        double d2 = a[as + k2];
        double d3 = a[as + k3];
        boolean first = c0 != 0 || c1 != 0 || c2 != 0 || c3 != 0;
        boolean second = d0 != 0 || d1 != 0 || d2 != 0 || d3 != 0;
        double[] y = acc[r - r0];
        double[] z = acc[r + 1 - r0];
        if (first && second) {
          for (int t = 0; t < width; t++) {
            double v0 = w0[t];
            double v1 = w1[t];
            double v2 = w2[t];
            double v3 = w3[t];
            y[t] = y[t] + c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
            z[t] = z[t] + d0 * v0 + d1 * v1 + d2 * v2 + d3 * v3;
          }
        } else if (first) {
          addFour(y, c0, w0, c1, w1, c2, w2, c3, w3, width);
        } else if (second) {
          addFour(z, d0, w0, d1, w1, d2, w2, d3, w3, width);
        }
      }
      if (r < r1) {
        int ar = r * out;
        double c0 = a[ar + k0];
        double c1 = a[ar + k1];
        double c2 = a[ar + k2];
        double c3 = a[ar + k3];
        if (c0 != 0 || c1 != 0 || c2 != 0 || c3 != 0) {
          addFour(acc[r - r0], c0, w0, c1, w1, c2, w2, c3, w3, width);
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

  private static void addFour(double[] y, double c0, double[] w0, double c1, double[] w1,
      double c2, double[] w2, double c3, double[] w3, int width) {
    for (int t = 0; t < width; t++) {
      y[t] = y[t] + c0 * w0[t] + c1 * w1[t] + c2 * w2[t] + c3 * w3[t];
    }
  }

  /**
   * Constants {@code A b} (rounded down) and slacks of rows {@code r0..r1-1}. With a finite
   * {@code |W| m} a zero coefficient adds exactly 0 to both sums, so the loop needs no test
   * (the same sums as skipping it, without a branch per entry).
   */
  private static void offsets(double[] bias, double[] a, int out, int in, Preparation p,
      SymbolicRows overInput, int r0, int r1) {
    double[] wm = p.wm();
    int r = r0;
    if (p.finite()) {
      // two rows side by side, each summed in its own order
      for (; r + 2 <= r1; r += 2) {
        int aOff = r * out;
        int bOff = aOff + out;
        double constant0 = 0;
        double magnitude0 = 0;
        double constant1 = 0;
        double magnitude1 = 0;
        for (int k = 0; k < out; k++) {
          double c = a[aOff + k];
          double d = a[bOff + k];
          double cb = c * bias[k];
          double db = d * bias[k];
          constant0 += cb;
          magnitude0 += Math.abs(c) * wm[k] + Math.abs(cb);
          constant1 += db;
          magnitude1 += Math.abs(d) * wm[k] + Math.abs(db);
        }
        overInput.addConstant(r, constant0);
        overInput.addSlack(r, Rounding.dotError(out + in, magnitude0));
        overInput.addConstant(r + 1, constant1);
        overInput.addSlack(r + 1, Rounding.dotError(out + in, magnitude1));
      }
    }
    for (; r < r1; r++) {
      int aOff = r * out;
      double constant = 0;
      double magnitude = 0;
      if (p.finite()) {
        for (int k = 0; k < out; k++) {
          double c = a[aOff + k];
          double cb = c * bias[k];
          constant += cb;
          magnitude += Math.abs(c) * wm[k] + Math.abs(cb);
        }
      } else {
        for (int k = 0; k < out; k++) {
          double c = a[aOff + k];
          if (c == 0) {
            continue;
          }
          double cb = c * bias[k];
          constant += cb;
          magnitude += Math.abs(c) * wm[k] + Math.abs(cb);
        }
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(out + in, magnitude));
    }
  }
}
