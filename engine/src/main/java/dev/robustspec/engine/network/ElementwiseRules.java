package dev.robustspec.engine.network;

import java.math.BigDecimal;

/**
 * The layer-contract rules shared by the element-wise activations other than ReLU (sigmoid,
 * tanh, leaky ReLU, clip), each stated once for any {@link ScalarActivation} and sound by the
 * activation's rigorous enclosures and {@link ActivationLines}' rigorous intercepts.
 */
final class ElementwiseRules {
  private ElementwiseRules() {}

  /**
   * Rounded evaluation: the real input lies in {@code [x - e, x + e]}, so the real output lies
   * between f's rigorous minimum and maximum there ({@link ActivationLines#minValue}, extremes at
   * the ends and breakpoints); the radius is the computed value's distance to the farther end,
   * rounded up. The computed value is f in double, rounded to float32 in float32 mode.
   */
  static RoundedEvaluation.Result evaluateRounded(ScalarActivation f, RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = new double[x.length];
    double[] r = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      double v = f.value(x[i]);
      y[i] = precision.float32() ? (float) v : v;
      double lo = ActivationLines.minValue(f, Directed.subDown(x[i], e[i]),
          Directed.addUp(x[i], e[i]));
      double hi = ActivationLines.maxValue(f, Directed.subDown(x[i], e[i]),
          Directed.addUp(x[i], e[i]));
      double radius = Math.max(Directed.subUp(hi, y[i]), Directed.subUp(y[i], lo));
      r[i] = Double.isNaN(radius) || !Double.isFinite(y[i]) ? Double.POSITIVE_INFINITY : radius;
    }
    return new RoundedEvaluation.Result(y, r);
  }

  /**
   * LP rows: every neuron gets a variable boxed by its output bounds and the two lines of
   * {@link ActivationLines} as exact rows, {@code y - a_L x >= b_L} and {@code y - a_U x <= b_U}
   * (valid for every x in the input bounds, since the intercepts are rigorous). An input that is
   * the constant 0 ({@code -1}) leaves only the box.
   */
  static int[] encodeLp(ScalarActivation f, LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    ActivationLines lines = ActivationLines.of(f, bounds.inLower(), bounds.inUpper());
    int[] out = new int[in.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = lp.variable(bounds.outLower()[i], bounds.outUpper()[i]);
      if (in[i] < 0) {
        continue;
      }
      double bl = lines.lowerIntercept(i);
      if (Double.isFinite(bl)) {
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -lines.lowerSlope(i)}, bl,
            Double.POSITIVE_INFINITY);
      }
      double bu = lines.upperIntercept(i);
      if (Double.isFinite(bu)) {
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -lines.upperSlope(i)},
            Double.NEGATIVE_INFINITY, bu);
      }
    }
    return out;
  }

  /**
   * α-CROWN's gradient step with the fixed lines of {@link ActivationLines#backSubstitute}
   * (these layers offer no slopes to optimise): a coefficient {@code c >= 0} takes the lower line
   * {@code a x + b}, giving {@code a g + b}; a negative one the upper line.
   */
  static double[] slopeGradientStep(ScalarActivation f, double[] g, double[] inLower,
      double[] inUpper, double[] coefOverOutputRow) {
    ActivationLines lines = ActivationLines.of(f, inLower, inUpper);
    double[] next = new double[g.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = coefOverOutputRow[i] >= 0
          ? lines.lowerSlope(i) * g[i] + lines.lowerIntercept(i)
          : lines.upperSlope(i) * g[i] + lines.upperIntercept(i);
    }
    return next;
  }

  /** f in double, rounded once to float32 (a correctly rounded float32 runtime). */
  static float[] evaluateFloat32(ScalarActivation f, float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) f.value(x[i]);
    }
    return y;
  }

  /** For sigmoid and tanh: their values at rational points are not rational. */
  static BigDecimal[] noExactRule(String layerKind, String name) {
    throw new NoExactRuleException(layerKind + " layer " + name + " has no exact (BigDecimal)"
        + " evaluation: exp of a rational is irrational; rely on the rigorous enclosure of"
        + " RoundedEvaluation instead");
  }
}
