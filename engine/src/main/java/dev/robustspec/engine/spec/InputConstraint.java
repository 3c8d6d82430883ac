package dev.robustspec.engine.spec;

import java.math.BigDecimal;

/**
 * One general linear constraint over the network's inputs: {@code sum_i coefficients[i] * x[i]
 * <= bound} (VNN-LIB 2's input polytopes, e.g. {@code (<= (+ (* -1.5 X[1]) X[2]) -15.0)}).
 * The box passes see only the case's bounding box (which contains the polytope); LP passes can
 * add these as rows; counterexamples must satisfy them exactly ({@link #holdsExactlyAt}).
 */
public record InputConstraint(double[] coefficients, double bound) {

  public InputConstraint {
    coefficients = coefficients.clone();
    for (int i = 0; i < coefficients.length; i++) {
      if (!Double.isFinite(coefficients[i])) {
        throw new IllegalArgumentException("non-finite coefficient in an input constraint");
      }
      coefficients[i] += 0.0; // -0.0 -> 0.0, so equal constraints compare equal
    }
    if (!Double.isFinite(bound)) {
      throw new IllegalArgumentException("non-finite bound in an input constraint");
    }
    bound += 0.0;
  }

  /**
   * True when {@code x} satisfies the constraint in exact arithmetic (the sum is computed with
   * BigDecimal, so no rounding can accept a point that lies just outside the polytope).
   */
  public boolean holdsExactlyAt(double[] x) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < coefficients.length; i++) {
      if (coefficients[i] != 0) {
        if (!Double.isFinite(x[i])) {
          return false;
        }
        s = s.add(new BigDecimal(coefficients[i]).multiply(new BigDecimal(x[i])));
      }
    }
    return s.compareTo(new BigDecimal(bound)) <= 0;
  }

  /**
   * Shrinks {@code lower}/{@code upper} (in place) to a box that still contains every point of
   * the box satisfying the constraint: for each {@code i} with a non-zero coefficient,
   * {@code a_i x_i <= bound - sum_{k != i} min(a_k x_k)}, every step rounded outward so the new
   * box is sound. One pass of interval constraint propagation; callers iterate.
   */
  public void tighten(double[] lower, double[] upper) {
    int n = coefficients.length;
    // minimum of each term a_k x_k over the box, rounded down
    double[] minTerm = new double[n];
    int infinite = 0;
    double finiteSum = 0;
    for (int k = 0; k < n; k++) {
      double a = coefficients[k];
      if (a == 0) {
        continue;
      }
      double m = a > 0 ? a * lower[k] : a * upper[k];
      if (Double.isNaN(m) || m == Double.NEGATIVE_INFINITY) {
        minTerm[k] = Double.NEGATIVE_INFINITY;
        infinite++;
      } else {
        minTerm[k] = Math.nextDown(m);
        finiteSum = Math.nextDown(finiteSum + minTerm[k]);
      }
    }
    for (int i = 0; i < n; i++) {
      double a = coefficients[i];
      if (a == 0) {
        continue;
      }
      double rest; // lower bound of sum_{k != i} a_k x_k, rounded down
      if (minTerm[i] == Double.NEGATIVE_INFINITY) {
        if (infinite > 1) {
          continue;
        }
        rest = finiteSum;
      } else {
        if (infinite > 0) {
          continue;
        }
        // finiteSum - minTerm[i], rounded down: the subtraction of a lower bound needs care;
        // recompute the sum without i instead of subtracting, so every step rounds down.
        rest = 0;
        for (int k = 0; k < n; k++) {
          if (k != i && coefficients[k] != 0) {
            rest = Math.nextDown(rest + minTerm[k]);
          }
        }
      }
      double slackUp = Math.nextUp(bound - rest); // a_i x_i <= slackUp
      if (Double.isNaN(slackUp) || slackUp == Double.POSITIVE_INFINITY) {
        continue;
      }
      if (a > 0) {
        double u = Math.nextUp(slackUp / a);
        if (u < upper[i]) {
          upper[i] = u;
        }
      } else {
        double l = Math.nextDown(slackUp / a);
        if (l > lower[i]) {
          lower[i] = l;
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputConstraint c
        && LinearForms.equal(c.coefficients, c.bound, coefficients, bound);
  }

  @Override
  public int hashCode() {
    return LinearForms.hash(coefficients, bound);
  }

  @Override
  public String toString() {
    return LinearForms.format(coefficients, bound, "x");
  }
}
