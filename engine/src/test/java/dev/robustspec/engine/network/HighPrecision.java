package dev.robustspec.engine.network;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Sigmoid and tanh to about 80 significant digits in BigDecimal, independent of {@link Math}:
 * exp by a Taylor series after halving the argument below 1/2 and squaring back; tanh by its own
 * Taylor series near 0, where {@code (e^2x - 1) / (e^2x + 1)} would cancel.
 */
final class HighPrecision {
  static final MathContext MC = new MathContext(90, RoundingMode.HALF_EVEN);

  private HighPrecision() {}

  static BigDecimal exp(BigDecimal x) {
    int halvings = 0;
    BigDecimal r = x;
    BigDecimal half = new BigDecimal("0.5");
    while (r.abs().compareTo(half) > 0) {
      r = r.divide(BigDecimal.valueOf(2), MC);
      halvings++;
    }
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal term = BigDecimal.ONE;
    for (int k = 1; k < 200; k++) {
      term = term.multiply(r, MC).divide(BigDecimal.valueOf(k), MC);
      sum = sum.add(term, MC);
      if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(95)) < 0) {
        break;
      }
    }
    for (int k = 0; k < halvings; k++) {
      sum = sum.multiply(sum, MC);
    }
    return sum;
  }

  static BigDecimal sigmoid(double x) {
    BigDecimal e = exp(new BigDecimal(x).negate());
    return BigDecimal.ONE.divide(BigDecimal.ONE.add(e, MC), MC);
  }

  static BigDecimal sigmoidDerivative(double x) {
    BigDecimal s = sigmoid(x);
    return s.multiply(BigDecimal.ONE.subtract(s, MC), MC);
  }

  static BigDecimal tanh(double x) {
    BigDecimal bx = new BigDecimal(x);
    if (Math.abs(x) < 1e-4) {
      // x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835: the next term is below 1e-44 |x|
      BigDecimal x2 = bx.multiply(bx, MC);
      BigDecimal[] c = {BigDecimal.ONE, new BigDecimal(-1).divide(new BigDecimal(3), MC),
          new BigDecimal(2).divide(new BigDecimal(15), MC),
          new BigDecimal(-17).divide(new BigDecimal(315), MC),
          new BigDecimal(62).divide(new BigDecimal(2835), MC)};
      BigDecimal sum = BigDecimal.ZERO;
      BigDecimal p = bx;
      for (BigDecimal ck : c) {
        sum = sum.add(ck.multiply(p, MC), MC);
        p = p.multiply(x2, MC);
      }
      return sum;
    }
    if (Math.abs(x) > 200) {
      // 1 - tanh|x| = 2 / (e^2|x| + 1) < 1e-170: far below any double's ulp near 1
      BigDecimal e = exp(new BigDecimal(-2 * Math.abs(x)));
      BigDecimal t = BigDecimal.ONE.subtract(e.multiply(BigDecimal.valueOf(2), MC), MC);
      return x > 0 ? t : t.negate();
    }
    BigDecimal e = exp(bx.multiply(BigDecimal.valueOf(2)));
    return e.subtract(BigDecimal.ONE, MC).divide(e.add(BigDecimal.ONE, MC), MC);
  }

  static BigDecimal tanhDerivative(double x) {
    BigDecimal t = tanh(x);
    return BigDecimal.ONE.subtract(t.multiply(t, MC), MC);
  }
}
