package dev.robustspec.bench;

import java.util.SplittableRandom;

/**
 * The operands of one back-substitution step through a dense layer {@code 256 -> in}... seen from
 * the output side: a coefficient block A ({@code rows x 256}, over the layer's 256 outputs) times
 * the layer's weights W ({@code 256 x in}, row-major as in {@code DenseLayer}), giving
 * {@code rows x in} coefficients over the layer's input. Shared by the plain and ND4J kernel
 * benchmarks so both see the same numbers.
 */
public final class KernelData {
  public static final int K = 256;

  public final int rows;
  public final int in;
  public final double[] a;
  public final double[] w;

  /** @param zeroColumnFraction fraction of A's columns set to zero (dead / inactive neurons) */
  public KernelData(int rows, int in, double zeroColumnFraction, long seed) {
    this.rows = rows;
    this.in = in;
    SplittableRandom random = new SplittableRandom(seed);
    w = new double[K * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = BenchData.gaussian(random) / Math.sqrt(in);
    }
    boolean[] dead = new boolean[K];
    int deadCount = (int) Math.round(zeroColumnFraction * K);
    for (int i = 0; i < deadCount; i++) { // a random subset, not a contiguous block
      int j;
      do {
        j = random.nextInt(K);
      } while (dead[j]);
      dead[j] = true;
    }
    a = new double[rows * K];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < K; k++) {
        a[r * K + k] = dead[k] ? 0.0 : BenchData.gaussian(random);
      }
    }
  }
}
