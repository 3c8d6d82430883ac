package dev.robustspec.engine.spec;

import java.math.BigDecimal;

/**
 * One linear constraint over the network's outputs: {@code sum_j coefficients[j] * y[j] <= bound},
 * or {@code < bound} when {@code strict}. VNN-LIB's {@code (<= Y_1 Y_0)} is {@code y1 - y0 <= 0};
 * {@code (> Y_0 3.99)} is {@code -y0 < -3.99}.
 *
 * <p>The passes treat every constraint as closed ({@code <=}): the closed unsafe set contains the
 * strict one, so proving it empty is still a proof. Only a counterexample's confirmation honours
 * {@code strict} ({@link #holdsExactly}), since a point on the boundary of a strict constraint
 * is not in the unsafe set.
 */
public record OutputConstraint(double[] coefficients, double bound, boolean strict) {

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

  /** A non-strict constraint {@code coefficients . y <= bound}. */
  public OutputConstraint(double[] coefficients, double bound) {
    this(coefficients, bound, false);
  }

  /** {@code coefficients . y}, in double. */
  public double value(double[] y) {
    double s = 0;
    for (int j = 0; j < coefficients.length; j++) {
      s += coefficients[j] * y[j];
    }
    return s;
  }

  /**
   * True when the concrete output {@code y} satisfies the closed constraint in double (the
   * search's cheap pre-filter; not a confirmation).
   */
  public boolean holdsAt(double[] y) {
    return value(y) <= bound;
  }

  /**
   * True when the exact output {@code y} satisfies the constraint in exact arithmetic, strict
   * comparisons strictly.
   */
  public boolean holdsExactly(BigDecimal[] y) {
    int c = exactValue(y).compareTo(new BigDecimal(bound));
    return strict ? c < 0 : c <= 0;
  }

  /** {@code coefficients . y} in exact arithmetic. */
  public BigDecimal exactValue(BigDecimal[] y) {
    BigDecimal s = BigDecimal.ZERO;
    for (int j = 0; j < coefficients.length; j++) {
      if (coefficients[j] != 0) {
        s = s.add(new BigDecimal(coefficients[j]).multiply(y[j]));
      }
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputConstraint c && c.strict == strict
        && LinearForms.equal(c.coefficients, c.bound, coefficients, bound);
  }

  @Override
  public int hashCode() {
    return LinearForms.hash(coefficients, bound) * 2 + (strict ? 1 : 0);
  }

  @Override
  public String toString() {
    String closed = LinearForms.format(coefficients, bound, "y");
    return strict ? closed.replace(" <= ", " < ") : closed;
  }
}
