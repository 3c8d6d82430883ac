package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.linear.SymbolicRows;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ConvBackSubstitution} (ConvLayer's row-by-row transposed convolution) against the rule
 * it replaces, {@link SparseLinearRules}' tap-by-tap scatter, on random geometries with strides
 * up to 3, pads up to 2, dilations up to 2, 1 to 3 groups and zero weights, on rows from
 * all-zero to dense: constants and slacks are the same bit for bit, and so is every input
 * coefficient except those of inputs fixed at {@code [0, 0]}, which the new rule leaves 0. Both
 * are also checked against the materialised matrix ({@link NaiveConv#dense}).
 */
class ConvBackSubstitutionTest {

  @Property(tries = 400)
  void sameSumsAsTheTapByTapRule(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ConvLayer conv = NaiveConv.random(r, "c", geometry(r));
    int in = conv.inputSize();
    int out = conv.outputSize();
    boolean zeros = r.nextBoolean();
    double[] lo = new double[in];
    double[] hi = new double[in];
    for (int j = 0; j < in; j++) {
      if (zeros && r.nextInt(3) == 0) {
        continue; // [0, 0]: the output of an inactive ReLU
      }
      lo[j] = r.nextDouble() * 2 - 1.5;
      hi[j] = lo[j] + r.nextDouble() * 2;
    }
    SymbolicRows rows = randomRows(r, 1 + r.nextInt(12), out);
    SymbolicRows fast = new SymbolicRows();
    SymbolicRows byTaps = new SymbolicRows();
    conv.backSubstitute(rows, lo, hi, fast);
    conv.backSubstituteByTaps(rows, lo, hi, byTaps);
    double[] matrix = NaiveConv.dense(conv).weights();
    assertEquals(byTaps.rows(), fast.rows());
    assertEquals(in, fast.width());
    for (int k = 0; k < rows.rows(); k++) {
      assertEquals(byTaps.constant()[k], fast.constant()[k], 0.0, "constant of row " + k);
      assertEquals(byTaps.slack()[k], fast.slack()[k], 0.0, "slack of row " + k);
      for (int j = 0; j < in; j++) {
        double expected = 0;
        double magnitude = 0;
        for (int o = 0; o < out; o++) {
          double p = rows.coef()[k * out + o] * matrix[o * in + j];
          expected += p;
          magnitude += Math.abs(p);
        }
        double old = byTaps.coef()[k * in + j];
        assertEquals(expected, old, 1e-12 * (1 + magnitude), "tap rule against the matrix");
        boolean fixedZero = lo[j] == 0 && hi[j] == 0;
        assertEquals(fixedZero ? 0.0 : old, fast.coef()[k * in + j], 0.0,
            "coefficient " + j + " of row " + k + (fixedZero ? " (input fixed at 0)" : ""));
      }
    }
  }

  /** Geometries wider than {@link NaiveConv#geometry}: strides 3, pads 2, three groups. */
  static ConvGeometry geometry(SplittableRandom r) {
    while (true) {
      int groups = 1 + r.nextInt(3);
      try {
        return new ConvGeometry(groups * (1 + r.nextInt(2)), 2 + r.nextInt(6), 2 + r.nextInt(6),
            groups * (1 + r.nextInt(2)), 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3),
            1 + r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3),
            1 + r.nextInt(2), 1 + r.nextInt(2), groups);
      } catch (IllegalArgumentException kernelTooLarge) {
        // draw again: the dilated kernel did not fit this input
      }
    }
  }

  /** Rows from all-zero to dense (back-substituted rows are mostly sparse), offsets random. */
  private static SymbolicRows randomRows(SplittableRandom r, int count, int width) {
    SymbolicRows rows = new SymbolicRows();
    rows.reset(count, width);
    for (int k = 0; k < count; k++) {
      int density = r.nextInt(5); // nonzero with probability density / 4
      for (int o = 0; o < width; o++) {
        if (r.nextInt(4) < density) {
          rows.coef()[k * width + o] = r.nextDouble() * 4 - 2;
        }
      }
      rows.addConstant(k, r.nextDouble() - 0.5);
      rows.addSlack(k, r.nextDouble() * 1e-9);
    }
    return rows;
  }
}
