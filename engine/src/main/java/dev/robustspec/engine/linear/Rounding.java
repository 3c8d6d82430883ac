package dev.robustspec.engine.linear;

/**
 * Rigorous floating-point error bounds, so that every bound the passes report holds for the
 * real-valued network (DESIGN.md, correctness rule 1).
 *
 * <p>Model: IEEE double, round to nearest, unit roundoff {@code u = 2^-53}. A scalar result is
 * moved one ulp outward with {@link Math#nextDown}/{@link Math#nextUp}, which is enough because
 * round-to-nearest errs by at most half an ulp. A sum of {@code n} products computed in any order
 * errs by at most {@code gamma_n * sum |a_i b_i|} with {@code gamma_n = n u / (1 - n u)} (Higham,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., Thm. 3.1 and Sec. 3.1), plus one
 * underflow term per product. The magnitude sum is itself computed in floating point, so
 * {@link #dotError} doubles the factor and uses {@code gamma_{n+2}}: the overestimate costs about
 * 1e-13 of relative width, far below any margin that matters.
 */
public final class Rounding {
  /** Unit roundoff of double, 2^-53. */
  public static final double UNIT = 0x1p-53;

  private Rounding() {}

  /** {@code gamma_n = n u / (1 - n u)}, rounded up. */
  public static double gamma(int n) {
    double nu = n * UNIT; // exact: n < 2^53, scaling by a power of two
    if (nu >= 0.5) {
      throw new IllegalArgumentException("sum too long for a rigorous error bound: " + n);
    }
    return Math.nextUp(Math.nextUp(nu / Math.nextDown(1 - nu)));
  }

  /**
   * Bound on the rounding error of a sum of {@code n} products whose absolute values add up to
   * {@code magnitude} (itself computed in floating point).
   */
  public static double dotError(int n, double magnitude) {
    return Math.nextUp(2 * gamma(n + 2) * magnitude) + (n + 1) * Double.MIN_VALUE;
  }

  /** A value at most {@code x}'s exact counterpart when {@code x} was just rounded once. */
  public static double down(double x) {
    return Math.nextDown(x);
  }

  /** A value at least {@code x}'s exact counterpart when {@code x} was just rounded once. */
  public static double up(double x) {
    return Math.nextUp(x);
  }
}
