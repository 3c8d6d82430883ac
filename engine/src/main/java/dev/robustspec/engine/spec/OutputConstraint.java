package dev.robustspec.engine.spec;

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
    return o instanceof OutputConstraint c
        && LinearForms.equal(c.coefficients, c.bound, coefficients, bound);
  }

  @Override
  public int hashCode() {
    return LinearForms.hash(coefficients, bound);
  }

  @Override
  public String toString() {
    return LinearForms.format(coefficients, bound, "y");
  }
}
