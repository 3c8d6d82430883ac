package dev.robustspec.engine.network;

/**
 * Concrete evaluation with a rigorous radius: the network evaluated at one point in float64 or
 * float32 arithmetic, and for every output a bound {@code r} with
 * {@code |computed - exact| <= r}, where exact is the network in real arithmetic at the same
 * point. Any other evaluation order in the same precision (a runtime's blocked sums, fused
 * multiply-adds) obeys the same bound, so it lies within {@code 2r} of the value computed here.
 * The counterexample replay uses this so that a reported violation holds for the real-valued
 * network and for every float32 runtime, not only for this one evaluation.
 *
 * <p>Error rules (Higham, "Accuracy and Stability of Numerical Algorithms", Thm. 3.1): a dense
 * row {@code sum_j w_j x_j + b} of {@code n} products errs by at most
 * {@code gamma_{n+1} (sum |w_j x_j| + |b|)} plus the propagated input errors
 * {@code sum |w_j| e_j} and an underflow term; an element-wise {@code x s + t} by
 * {@code gamma_3 (|x s| + |t|) + |s| e} (the third rounding covers a float32 runtime's own
 * rounding of s and t, e.g. dividing by c where the reader stored 1/c); ReLU and reshapes do not
 * increase the error. The radius arithmetic itself is rounded upward.
 */
public final class RoundedEvaluation {
  private RoundedEvaluation() {}

  /** Values (in the chosen precision, widened to double) and their radii. */
public record Result(double[] values, double[] radius) {}

  public static Result evaluate(Network network, double[] input, boolean float32) {
    double u = float32 ? 0x1p-24 : 0x1p-53;
    double tiny = float32 ? 0x1p-149 : Double.MIN_VALUE;
    double[] x = input.clone();
    if (float32) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) x[i];
      }
    }
    Precision precision = new Precision(float32, u, tiny);
    Result r = new Result(x, new double[x.length]); // the input is exact
    for (Layer layer : network.layers()) {
      r = layer.evaluateRounded(r, precision);
    }
    return r;
  }

  /**
   * The arithmetic evaluated in: float32 or float64, its unit roundoff {@code unit} and its
   * smallest positive (subnormal) number {@code tiny}.
   */
  public record Precision(boolean float32, double unit, double tiny) {}

  /** {@code gamma_n = n u / (1 - n u)}, rounded up. */
  static double gamma(int n, double u) {
    double nu = n * u;
    if (nu >= 0.5) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.nextUp(Math.nextUp(nu / Math.nextDown(1 - nu)));
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
