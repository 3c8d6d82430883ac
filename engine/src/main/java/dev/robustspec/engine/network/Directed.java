package dev.robustspec.engine.network;

/**
 * Directed rounding of one double operation: the result is at most ({@code Down}) or at least
 * ({@code Up}) the exact real result. The exact error of a product comes from {@link Math#fma}
 * and that of a sum from TwoSum (Knuth), so an exact operation is not widened; where those error
 * terms could underflow (tiny products) or overflow, the result is moved one ulp regardless.
 */
final class Directed {
  private static final double TINY = 0x1p-960;
  private static final double HUGE = 0x1p1000;

  private Directed() {}

  static double mulUp(double a, double b) {
    double p = a * b;
    if (!Double.isFinite(p) || a == 0 || b == 0) {
      return a == 0 || b == 0 ? 0 : p;
    }
    if (Math.abs(p) < TINY) {
      return Math.nextUp(p);
    }
    return Math.fma(a, b, -p) > 0 ? Math.nextUp(p) : p;
  }

  static double mulDown(double a, double b) {
    return -mulUp(-a, b);
  }

  static double addUp(double a, double b) {
    double s = a + b;
    if (!Double.isFinite(s)) {
      return s;
    }
    if (Math.abs(s) > HUGE || Math.abs(a) > HUGE || Math.abs(b) > HUGE) {
      return Math.nextUp(s);
    }
    double bb = s - a;
    double err = (a - (s - bb)) + (b - bb); // exact: a + b = s + err
    return err > 0 ? Math.nextUp(s) : s;
  }

  static double addDown(double a, double b) {
    return -addUp(-a, -b);
  }

  static double subUp(double a, double b) {
    return addUp(a, -b);
  }

  static double subDown(double a, double b) {
    return addDown(a, -b);
  }
}
