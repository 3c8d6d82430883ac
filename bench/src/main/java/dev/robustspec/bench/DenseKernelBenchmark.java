package dev.robustspec.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core of {@code DenseLayer.backSubstitute}: {@code out = A W} with A {@code rows x 256} and
 * W {@code 256 x in}, all double, row-major. The ND4J counterpart (same parameters, same data) is
 * {@code DenseKernelNd4jBenchmark}, built only with {@code -Pnd4j}.
 *
 * <ul>
 *   <li>{@code plain}: the engine's loop order (zero the output as {@code SymbolicRows.reset}
 *       does, then for each row r and each k with {@code A[r][k] != 0},
 *       {@code out[r][:] += A[r][k] * W[k][:]}), A fully dense.
 *   <li>{@code plainHalfZero}: the same loop, with 50% of A's columns zero (dead neurons), which
 *       the loop skips.
 *   <li>{@code plainBlocked4}: the same products, four rows of A at a time so each loaded row of W
 *       serves four output rows (a candidate engine kernel; same result bit for bit, since each
 *       output entry still accumulates its terms in the same order k = 0..255).
 *   <li>{@code tiled}: a candidate tried in issue 15 and not kept: blocks of 16 rows, and within
 *       a block tiles of 128 columns, so the block's slice of the output stays in L1 while W's
 *       tile streams from L2 (same summation order). In the engine it made DeepPoly at eps 0.05
 *       slower in three interleaved A/B runs on the loaded machine (see README).
 *   <li>{@code tiled4}: {@code tiled} with four rows fused per pass over a W tile row.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseKernelBenchmark {

  @Param({"20", "256", "512"})
  public int rows;

  /** Columns of W: 256 for a hidden layer, 784 for the first layer of an MNIST net. */
  @Param({"256", "784"})
  public int in;

  private KernelData dense;
  private KernelData halfZero;
  private double[] out;

  @Setup(Level.Trial)
  public void setUp() {
    dense = new KernelData(rows, in, 0.0, 1);
    halfZero = new KernelData(rows, in, 0.5, 1);
    out = new double[rows * in];
  }

  @Benchmark
  public double[] plain() {
    return rowAxpy(dense.a, dense.w, out, rows, KernelData.K, in);
  }

  @Benchmark
  public double[] plainHalfZero() {
    return rowAxpy(halfZero.a, halfZero.w, out, rows, KernelData.K, in);
  }

  @Benchmark
  public double[] plainBlocked4() {
    return rowAxpyBlocked4(dense.a, dense.w, out, rows, KernelData.K, in);
  }

  @Benchmark
  public double[] tiled() {
    return tiled(dense.a, dense.w, out, rows, KernelData.K, in, false);
  }

  @Benchmark
  public double[] tiled4() {
    return tiled(dense.a, dense.w, out, rows, KernelData.K, in, true);
  }

  static double[] tiled(double[] a, double[] w, double[] out, int rows, int k, int n,
      boolean fuse4) {
    Arrays.fill(out, 0, rows * n, 0.0);
    for (int r0 = 0; r0 < rows; r0 += 16) {
      int r1 = Math.min(rows, r0 + 16);
      for (int j0 = 0; j0 < n; j0 += 128) {
        int j1 = Math.min(n, j0 + 128);
        for (int kk = 0; kk < k; kk++) {
          int wOff = kk * n;
          int r = r0;
          if (fuse4) {
            for (; r + 4 <= r1; r += 4) {
              double c0 = a[r * k + kk];
              double c1 = a[(r + 1) * k + kk];
              double c2 = a[(r + 2) * k + kk];
              double c3 = a[(r + 3) * k + kk];
              if (c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0) {
                continue;
              }
              int o0 = r * n;
              for (int j = j0; j < j1; j++) {
                double wj = w[wOff + j];
                out[o0 + j] += c0 * wj;
                out[o0 + n + j] += c1 * wj;
                out[o0 + 2 * n + j] += c2 * wj;
                out[o0 + 3 * n + j] += c3 * wj;
              }
            }
          }
          for (; r < r1; r++) {
            double c = a[r * k + kk];
            if (c == 0) {
              continue;
            }
            int oOff = r * n;
            for (int j = j0; j < j1; j++) {
              out[oOff + j] += c * w[wOff + j];
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * One row of A at a time (the engine's loop before it multiplied rows in blocks), without the
   * bias and rounding-error terms.
   */
  static double[] rowAxpy(double[] a, double[] w, double[] out, int rows, int k, int n) {
    Arrays.fill(out, 0, rows * n, 0.0);
    axpyRows(a, w, out, 0, rows, k, n);
    return out;
  }

  /** {@code out[r] += A[r] W} for rows {@code r0..r1-1}, one row at a time, skipping zeros. */
  private static void axpyRows(double[] a, double[] w, double[] out, int r0, int r1, int k,
      int n) {
    for (int r = r0; r < r1; r++) {
      int aOff = r * k;
      int oOff = r * n;
      for (int kk = 0; kk < k; kk++) {
        double c = a[aOff + kk];
        if (c == 0) {
          continue;
        }
        int wOff = kk * n;
        for (int j = 0; j < n; j++) {
          out[oOff + j] += c * w[wOff + j];
        }
      }
    }
  }

  /** Four rows of A per pass over W; rows beyond a multiple of 4 use {@link #rowAxpy}'s loop. */
  static double[] rowAxpyBlocked4(double[] a, double[] w, double[] out, int rows, int k, int n) {
    Arrays.fill(out, 0, rows * n, 0.0);
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int a0 = r * k;
      int a1 = a0 + k;
      int a2 = a1 + k;
      int a3 = a2 + k;
      int o0 = r * n;
      int o1 = o0 + n;
      int o2 = o1 + n;
      int o3 = o2 + n;
      for (int kk = 0; kk < k; kk++) {
        double c0 = a[a0 + kk];
        double c1 = a[a1 + kk];
        double c2 = a[a2 + kk];
        double c3 = a[a3 + kk];
        if (c0 == 0 && c1 == 0 && c2 == 0 && c3 == 0) {
          continue;
        }
        int wOff = kk * n;
        for (int j = 0; j < n; j++) {
          double wj = w[wOff + j];
          out[o0 + j] += c0 * wj;
          out[o1 + j] += c1 * wj;
          out[o2 + j] += c2 * wj;
          out[o3 + j] += c3 * wj;
        }
      }
    }
    axpyRows(a, w, out, r, rows, k, n);
    return out;
  }
}
