package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link DenseLayer#backSubstitute}'s blocked, tiled, zero-skipping and (for large products)
 * parallel kernel against the straightforward loop it replaced (kept here as the oracle): the
 * same coefficients, constants and slacks, on shapes that cross the row-block and column-tile
 * sizes and the parallel threshold, with whole zero columns (inactive neurons), zero rows and
 * inputs fixed at [0, 0] (the outputs of inactive ReLUs, whose columns the kernel leaves 0 and
 * never computes). The other coefficients agree exactly (each entry sums the same products in the
 * same order, four rows of W at a time or one); the
 * slacks agree up to a relative 1e-12 (the new one may skip columns no row uses, which add 0).
 */
class DenseBackSubstitutionOracleTest {

  @Property(tries = 60)
  void tiledKernelMatchesTheStraightforwardLoop(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int in = 1 + random.nextInt(300);
    int out = 1 + random.nextInt(200);
    int rows = 1 + random.nextInt(seed % 4 == 0 ? 60 : 20);
    double[] w = new double[in * out];
    double[] b = new double[out];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextInt(10) == 0 ? 0 : random.nextGaussian() / Math.sqrt(in);
    }
    for (int i = 0; i < out; i++) {
      b[i] = random.nextGaussian();
    }
    DenseLayer layer = new DenseLayer("d", in, out, w, b);
    double[] lo = new double[in];
    double[] hi = new double[in];
    boolean[] deadInput = new boolean[in];
    boolean someDead = random.nextBoolean();
    for (int j = 0; j < in; j++) {
      deadInput[j] = someDead && random.nextInt(2) == 0;
      if (deadInput[j]) {
        // an inactive ReLU's output: the constant 0 (sometimes as -0.0)
        lo[j] = random.nextBoolean() ? 0.0 : -0.0;
        hi[j] = 0.0;
      } else {
        lo[j] = random.nextGaussian();
        hi[j] = lo[j] + random.nextDouble() * 2;
      }
    }
    SymbolicRows over = new SymbolicRows();
    over.reset(rows, out);
    boolean[] deadColumn = new boolean[out];
    for (int k = 0; k < out; k++) {
      deadColumn[k] = random.nextInt(3) == 0;
    }
    for (int r = 0; r < rows; r++) {
      boolean zeroRow = random.nextInt(8) == 0;
      for (int k = 0; k < out; k++) {
        if (!zeroRow && !deadColumn[k]) {
          over.coef()[r * out + k] = random.nextGaussian();
        }
      }
      over.constant()[r] = random.nextGaussian();
      over.slack()[r] = random.nextDouble() * 1e-12;
    }
    SymbolicRows fast = new SymbolicRows();
    layer.backSubstitute(over, lo, hi, fast);
    SymbolicRows oracle = straightforward(layer, over, lo, hi);
    assertEquals(rows, fast.rows());
    assertEquals(in, fast.width());
    for (int i = 0; i < rows * in; i++) {
      // an input fixed at 0 drops out: its coefficient is left 0 (any value would be sound)
      double expected = deadInput[i % in] ? 0.0 : oracle.coef()[i];
      assertEquals(expected, fast.coef()[i], 0.0, "coefficient " + i);
    }
    for (int r = 0; r < rows; r++) {
      assertEquals(oracle.constant()[r], fast.constant()[r], 0.0, "constant of row " + r);
      double s = oracle.slack()[r];
      assertTrue(Math.abs(fast.slack()[r] - s) <= 1e-12 * s + Double.MIN_NORMAL,
          "slack of row " + r + ": " + fast.slack()[r] + " vs " + s);
    }
  }

  /** The loop before issue 15: one row at a time, full |W| m, no tiles. */
  private static SymbolicRows straightforward(DenseLayer layer, SymbolicRows overOutput,
      double[] inLower, double[] inUpper) {
    int in = layer.inputSize();
    int out = layer.outputSize();
    int rows = overOutput.rows();
    double[] m = Layer.magnitudes(inLower, inUpper);
    double[] wm = new double[out];
    for (int k = 0; k < out; k++) {
      double s = 0;
      for (int j = 0; j < in; j++) {
        double wkj = layer.weight(k, j);
        if (wkj != 0) {
          s += Math.abs(wkj) * m[j];
        }
      }
      wm[k] = Math.nextUp(s * (1 + 4 * Rounding.gamma(in)));
    }
    SymbolicRows result = new SymbolicRows();
    result.reset(rows, in);
    result.copyOffsets(overOutput);
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
          result.coef()[r * in + j] += c * layer.weight(k, j);
        }
        double cb = c * layer.bias()[k];
        constant += cb;
        magnitude += Math.abs(c) * wm[k] + Math.abs(cb);
      }
      result.addConstant(r, constant);
      result.addSlack(r, Rounding.dotError(out + in, magnitude));
    }
    return result;
  }
}
