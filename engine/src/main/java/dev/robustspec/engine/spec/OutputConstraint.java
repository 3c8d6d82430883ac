package dev.robustspec.engine.spec;

import java.util.Arrays;

/**
 * One linear constraint over the network's outputs: {@code sum_j coefficients[j] * y[j] <= bound}.
 * VNN-LIB's {@code (<= Y_1 Y_0)} is {@code y1 - y0 <= 0}; {@code (>= Y_0 3.99)} is
 * {@code -y0 <= -3.99}.
 */
public record OutputConstraint(double[] coefficients, double bound) {

  public OutputConstraint {
    // -0.0 and 0.0 mean the same constraint; store +0.0 so equal constraints compare equal
    coefficients = coefficients.clone();
    for (int j = 0; j < coefficients.length; j++) {
      coefficients[j] += 0.0;
    }
    bound += 0.0;
    for (double c : coefficients) {
      if (!Double.isFinite(c)) {
        throw new IllegalArgumentException("non-finite coefficient in an output constraint");
      }
    }
    if (!Double.isFinite(bound)) {
      throw new IllegalArgumentException("non-finite bound in an output constraint");
    }
  }

  /** {@code coefficients . y}, in double. */
  public double value(double[] y) {
    double s = 0;
    for (int j = 0; j < coefficients.length; j++) {
      s += coefficients[j] * y[j];
    }
    return s;
  }

  /** True when the concrete output {@code y} satisfies the constraint (in double). */
  public boolean holdsAt(double[] y) {
    return value(y) <= bound;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputConstraint c && Arrays.equals(c.coefficients, coefficients)
        && Double.compare(c.bound, bound) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(coefficients) * 31 + Double.hashCode(bound);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < coefficients.length; j++) {
      double c = coefficients[j];
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
      sb.append("y").append(j);
    }
    if (sb.length() == 0) {
      sb.append('0');
    }
    return sb.append(" <= ").append(bound).toString();
  }
}
