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
    double[] e = new double[x.length]; // the input is exact
    for (Layer layer : network.layers()) {
      double[] y;
      double[] ey;
      if (layer instanceof DenseLayer d) {
        y = float32 ? toDouble(Float32Evaluation.evaluate(d, toFloat(x))) : d.evaluate(x);
        ey = new double[d.outputSize()];
        int n = d.inputSize();
        double g = gamma(n + 1, u);
        for (int r = 0; r < ey.length; r++) {
          double mag = Math.abs(d.bias()[r]);
          double prop = 0;
          for (int c = 0; c < n; c++) {
            double w = d.weights()[r * n + c];
            mag = Math.nextUp(mag + Math.nextUp(Math.abs(w * x[c])));
            prop = Math.nextUp(prop + Math.nextUp(Math.abs(w) * e[c]));
          }
          ey[r] = Math.nextUp(Math.nextUp(g * mag) + prop + (n + 1) * tiny);
        }
      } else if (layer instanceof ElementwiseAffineLayer a) {
        y = float32 ? toDouble(Float32Evaluation.evaluate(a, toFloat(x))) : a.evaluate(x);
        ey = new double[y.length];
        double g = gamma(3, u);
        for (int i = 0; i < y.length; i++) {
          double s = a.scale()[i];
          double mag = Math.nextUp(Math.nextUp(Math.abs(x[i] * s)) + Math.abs(a.shift()[i]));
          ey[i] = Math.nextUp(Math.nextUp(g * mag) + Math.nextUp(Math.abs(s) * e[i]) + 2 * tiny);
        }
      } else if (layer instanceof ReluLayer) {
        y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
          y[i] = x[i] > 0 ? x[i] : 0;
        }
        ey = e.clone(); // max(0, .) is 1-Lipschitz
      } else if (layer instanceof ReshapeLayer) {
        y = x.clone(); // reshape: the flat vector is unchanged
        ey = e.clone();
      } else {
        throw new IllegalArgumentException("rounded evaluation is not yet supported for layer "
            + layer.name());
      }
      x = y;
      e = ey;
    }
    return new Result(x, e);
  }

  /** {@code gamma_n = n u / (1 - n u)}, rounded up. */
  static double gamma(int n, double u) {
    double nu = n * u;
    if (nu >= 0.5) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.nextUp(Math.nextUp(nu / Math.nextDown(1 - nu)));
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
