package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The column-order interval rule of a dense layer ({@link DenseIntervalRule}) against the
 * row-by-row loop it replaced ({@link ReferenceRules#intervalForward}): the same doubles, bit for
 * bit, on random layers with zero weights; and both contain the exact (BigDecimal) range of
 * every output over the box's corners, so the shared slack is still enough.
 */
class DenseIntervalRuleTest {

  @Property(tries = 200)
  void sameBitsAsTheRowRuleAndContainsTheExactRange(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int in = 1 + random.nextInt(12);
    int out = 1 + random.nextInt(40);
    double scale = random.nextBoolean() ? 1e-3 : 1e3;
    double[] w = new double[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextInt(4) == 0 ? 0 : (random.nextDouble() * 2 - 1) * scale;
    }
    double[] b = new double[out];
    for (int i = 0; i < out; i++) {
      b[i] = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 2 - 1;
    }
    DenseLayer layer = new DenseLayer("d", in, out, w, b);
    double[] lo = new double[in];
    double[] hi = new double[in];
    for (int j = 0; j < in; j++) {
      double c = (random.nextDouble() * 2 - 1) * scale;
      double r = random.nextInt(5) == 0 ? 0 : random.nextDouble() * scale;
      lo[j] = c - r;
      hi[j] = c + r;
    }
    assertTrue(DenseIntervalRule.applies(lo, hi));
    double[] fastLo = new double[out];
    double[] fastHi = new double[out];
    layer.intervalForward(lo, hi, fastLo, fastHi);
    double[] refLo = new double[out];
    double[] refHi = new double[out];
    ReferenceRules.intervalForward(layer, lo, hi, refLo, refHi);
    assertArrayEquals(refLo, fastLo, 0.0);
    assertArrayEquals(refHi, fastHi, 0.0);
    for (int i = 0; i < out; i++) {
      // the exact minimum and maximum of a linear function over the box, in BigDecimal
      BigDecimal min = new BigDecimal(b[i]);
      BigDecimal max = new BigDecimal(b[i]);
      for (int j = 0; j < in; j++) {
        BigDecimal x = new BigDecimal(w[i * in + j]).multiply(new BigDecimal(lo[j]));
        BigDecimal y = new BigDecimal(w[i * in + j]).multiply(new BigDecimal(hi[j]));
        min = min.add(x.min(y));
        max = max.add(x.max(y));
      }
      assertTrue(new BigDecimal(fastLo[i]).compareTo(min) <= 0, "lower bound of output " + i);
      assertTrue(new BigDecimal(fastHi[i]).compareTo(max) >= 0, "upper bound of output " + i);
    }
  }

  @Test
  void infiniteOrEmptyBoundsTakeTheRowRule() {
    assertFalse(DenseIntervalRule.applies(new double[] {0, Double.NEGATIVE_INFINITY},
        new double[] {1, 0}));
    assertFalse(DenseIntervalRule.applies(new double[] {0, 2}, new double[] {1, 1}));
    assertFalse(DenseIntervalRule.applies(new double[] {Double.NaN}, new double[] {1}));
    // 0 * infinity must not turn an output into NaN: the row rule skips the zero weight
    DenseLayer layer = new DenseLayer("d", 2, 1, new double[] {0, 2}, new double[] {1});
    double[] lo = new double[1];
    double[] hi = new double[1];
    layer.intervalForward(new double[] {Double.NEGATIVE_INFINITY, 0},
        new double[] {Double.POSITIVE_INFINITY, 1}, lo, hi);
    assertTrue(lo[0] <= 1 && lo[0] > 0.99 && hi[0] >= 3 && hi[0] < 3.01);
  }
}
