package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link DenseLayer#evaluate} gives the doubles of the plain in-order sum {@code b_i + w_i0 x_0 +
 * w_i1 x_1 + ...}, whichever loop it takes (by columns, or by rows above
 * {@link DenseForward#COLUMN_COPY_LIMIT} weights), zeros in the input included.
 */
class DenseEvaluateTest {

  @Property(tries = 300)
  void columnsGiveTheInOrderSum(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int in = 1 + random.nextInt(40);
    int out = 1 + random.nextInt(40);
    assertInOrder(random, in, out);
  }

  @Property(tries = 200)
  void severalRowsAtOnceGiveEachRowsDoubles(@ForAll long seed) {
    // evaluateRows (the β-CROWN sweep of several constraint rows) against evaluate row by row
    SplittableRandom random = new SplittableRandom(seed);
    int in = 1 + random.nextInt(40);
    int out = 1 + random.nextInt(40);
    double[] w = weights(random, in * out);
    double[] b = biases(random, out);
    double[][] x = new double[1 + random.nextInt(9)][];
    for (int r = 0; r < x.length; r++) {
      x[r] = input(random, in);
    }
    DenseLayer layer = new DenseLayer("d", in, out, w, b);
    double[][] y = layer.evaluateRows(x);
    assertTrue(y.length == x.length, "one output row per input row");
    for (int r = 0; r < x.length; r++) {
      double[] alone = layer.evaluate(x[r]);
      for (int i = 0; i < out; i++) {
        assertTrue(Double.doubleToRawLongBits(y[r][i]) == Double.doubleToRawLongBits(alone[i]),
            "row " + r + ", output " + i + ": " + y[r][i] + " vs " + alone[i]);
      }
    }
  }

  @Test
  void rowsAboveTheCopyLimitGiveTheInOrderSum() {
    int in = 2048;
    int out = DenseForward.COLUMN_COPY_LIMIT / in + 1; // one row over the limit
    assertInOrder(new SplittableRandom(7), in, out);
  }

  private static void assertInOrder(SplittableRandom random, int in, int out) {
    double[] w = weights(random, in * out);
    double[] b = biases(random, out);
    double[] x = input(random, in);
    double[] y = new DenseLayer("d", in, out, w, b).evaluate(x);
    for (int i = 0; i < out; i++) {
      double s = b[i];
      for (int j = 0; j < in; j++) {
        s += w[i * in + j] * x[j];
      }
      // == rather than assertEquals(double, double): a skipped 0 may leave -0.0 where the sum
      // has +0.0, the same number
      assertTrue(y[i] == s, "output " + i + ": " + y[i] + " vs in-order " + s);
    }
  }

  private static double[] weights(SplittableRandom random, int count) {
    double[] w = new double[count];
    for (int i = 0; i < count; i++) {
      // magnitudes from 1e-6 to 1e6: rounding differs with the order of the additions
      w[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(13) - 6);
    }
    return w;
  }

  private static double[] biases(SplittableRandom random, int count) {
    double[] b = new double[count];
    for (int i = 0; i < count; i++) {
      b[i] = random.nextDouble() - 0.5;
    }
    return b;
  }

  /** Inputs with +0.0 and -0.0 among them (the column loop skips zeros). */
  private static double[] input(SplittableRandom random, int in) {
    double[] x = new double[in];
    for (int j = 0; j < in; j++) {
      int kind = random.nextInt(4);
      x[j] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : (random.nextDouble() - 0.5) * 10;
    }
    return x;
  }
}
