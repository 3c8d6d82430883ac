package dev.robustspec.engine.spec;

import java.util.Arrays;

/**
 * Value semantics shared by {@link InputConstraint} and {@link OutputConstraint}, both
 * {@code coefficients . v <= bound}: records compare arrays by identity, so both override
 * equals / hashCode / toString with these (the constructors store +0.0 for -0.0 first).
 */
final class LinearForms {
  private LinearForms() {}

  static boolean equal(double[] c1, double b1, double[] c2, double b2) {
    return Arrays.equals(c1, c2) && Double.compare(b1, b2) == 0;
  }

  static int hash(double[] coefficients, double bound) {
    return Arrays.hashCode(coefficients) * 31 + Double.hashCode(bound);
  }

  /** E.g. {@code -x0 + 2.5*x3 <= 1.0}; {@code variable} names the vector ("x", "y"). */
  static String format(double[] coefficients, double bound, String variable) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < coefficients.length; i++) {
      double c = coefficients[i];
      if (c == 0) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(c < 0 ? " - " : " + ");
      } else if (c < 0) {
        sb.append('-');
      }
      double a = Math.abs(c);
      if (a != 1) {
        sb.append(a).append('*');
      }
      sb.append(variable).append(i);
    }
    if (sb.length() == 0) {
      sb.append('0');
    }
    return sb.append(" <= ").append(bound).toString();
  }
}
