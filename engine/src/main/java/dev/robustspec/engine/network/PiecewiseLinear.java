package dev.robustspec.engine.network;

/**
 * The piecewise-linear activations other than ReLU. Their values are exact up to one product
 * ({@code alpha x}), rounded outward; every piece is linear, so {@link ActivationLines} checks a
 * line at the interval's ends and breakpoints only, which is exact for such functions.
 */
final class PiecewiseLinear {
  private PiecewiseLinear() {}

  /** {@code x >= 0 ? x : alpha x}: convex for {@code alpha <= 1}, concave above. */
  record LeakyRelu(double alpha) implements ScalarActivation {
    @Override
    public String kind() {
      return "leakyrelu";
    }

    /** {@code x > 0 ? x : alpha x} with alpha and the product in float32 (ONNX's float alpha). */
    @Override
    public float valueFloat32(float x) {
      return x > 0f ? x : (float) alpha * x;
    }

    @Override
    public boolean hasExactValue() {
      return true;
    }

    @Override
    public java.math.BigDecimal exactValue(java.math.BigDecimal x) {
      return x.signum() > 0 ? x : new java.math.BigDecimal(alpha).multiply(x);
    }

    @Override
    public double[] parameters() {
      return new double[] {alpha};
    }

    /**
     * Both pieces' lines, exact rows valid everywhere: the function is {@code max(x, alpha x)}
     * for {@code alpha <= 1} (so {@code y >= x}, {@code y >= alpha x}) and {@code min(x, alpha
     * x)} above (so {@code y <=} both): with the chord, the triangle relaxation as for ReLU.
     */
    @Override
    public void addGlobalRows(LpRowSink lp, int out, int in) {
      boolean convex = alpha <= 1;
      for (double slope : new double[] {1, alpha}) {
        lp.row(new int[] {out, in}, new double[] {1, -slope},
            convex ? 0 : Double.NEGATIVE_INFINITY, convex ? Double.POSITIVE_INFINITY : 0);
      }
    }

    /** ONNX LeakyRelu with its float attribute {@code alpha}. */
    @Override
    public void writeOnnx(OnnxNodeSink onnx, String layerName, int k, String input,
        String output) throws java.io.IOException {
      if ((double) (float) alpha != alpha) {
        throw new java.io.IOException("leaky relu layer " + layerName + ": alpha " + alpha
            + " is not a float32 value, and ONNX's LeakyRelu alpha attribute is a float");
      }
      onnx.nodeWithFloat("leakyrelu" + k, "LeakyRelu", new String[] {input}, output,
          new OnnxNodeSink.FloatAttribute("alpha", (float) alpha));
    }

    @Override
    public double value(double x) {
      return x >= 0 ? x : alpha * x;
    }

    @Override
    public double derivative(double x) {
      return x >= 0 ? 1 : alpha;
    }

    @Override
    public double valueLower(double x) {
      return x >= 0 ? x : Directed.mulDown(alpha, x);
    }

    @Override
    public double valueUpper(double x) {
      return x >= 0 ? x : Directed.mulUp(alpha, x);
    }

    @Override
    public double derivativeLower(double x) {
      return derivative(x);
    }

    @Override
    public double derivativeUpper(double x) {
      return derivative(x);
    }

    @Override
    public double[] breakpoints() {
      return new double[] {0.0};
    }

    @Override
    public Curvature curvature(int piece) {
      return Curvature.LINEAR;
    }

    /**
     * Stable intervals: the piece's own slope both ways. Across 0: the chord on the side the
     * kink bends away from, and on the other side the slope of the longer piece (ReLU's area
     * rule, {@link ReluLayer}).
     */
    @Override
    public double[] slopes(double l, double u) {
      if (l >= 0) {
        return new double[] {1, 1};
      }
      if (u <= 0) {
        return new double[] {alpha, alpha};
      }
      double chord = (u - alpha * l) / (u - l);
      double longer = u > -l ? 1 : alpha;
      return alpha <= 1 ? new double[] {longer, chord} : new double[] {chord, longer};
    }
  }

  /** {@code min(max(x, min), max)}: convex at {@code min}, concave at {@code max}. */
  record Clip(double min, double max) implements ScalarActivation {
    @Override
    public String kind() {
      return "clip";
    }

    /** {@code min(max(x, lo), hi)} with the bounds in float32 (ONNX's float tensors). */
    @Override
    public float valueFloat32(float x) {
      return Math.min(Math.max(x, (float) min), (float) max);
    }

    @Override
    public boolean hasExactValue() {
      return true;
    }

    @Override
    public java.math.BigDecimal exactValue(java.math.BigDecimal x) {
      return x.max(new java.math.BigDecimal(min)).min(new java.math.BigDecimal(max));
    }

    @Override
    public double[] parameters() {
      return new double[] {min, max};
    }

    /** ONNX Clip (opset 11+): min and max as scalar initializers. */
    @Override
    public void writeOnnx(OnnxNodeSink onnx, String layerName, int k, String input,
        String output) throws java.io.IOException {
      onnx.initializer("clip_min" + k, new long[0], new double[] {min});
      onnx.initializer("clip_max" + k, new long[0], new double[] {max});
      onnx.node("clip" + k, "Clip", new String[] {input, "clip_min" + k, "clip_max" + k},
          output, null);
    }

    @Override
    public double value(double x) {
      return x < min ? min : x > max ? max : x;
    }

    @Override
    public double derivative(double x) {
      return x < min || x > max ? 0 : 1;
    }

    @Override
    public double valueLower(double x) {
      return value(x);
    }

    @Override
    public double valueUpper(double x) {
      return value(x);
    }

    @Override
    public double derivativeLower(double x) {
      return derivative(x);
    }

    @Override
    public double derivativeUpper(double x) {
      return derivative(x);
    }

    @Override
    public double[] breakpoints() {
      if (Double.isFinite(min) && Double.isFinite(max)) {
        return min == max ? new double[] {min} : new double[] {min, max};
      }
      return Double.isFinite(min) ? new double[] {min}
          : Double.isFinite(max) ? new double[] {max} : new double[0];
    }

    @Override
    public Curvature curvature(int piece) {
      return Curvature.LINEAR;
    }

    /**
     * Flat or identity intervals: exact slopes. One kink: ReLU's rule around it (chord on the
     * bending side, the longer piece's slope on the other). Both kinks: the lines through
     * {@code (min, min)} and {@code (u, max)} (lower) and through {@code (l, min)} and
     * {@code (max, max)} (upper), each tight at both clamps.
     */
    @Override
    public double[] slopes(double l, double u) {
      if (u <= min || l >= max) {
        return new double[] {0, 0};
      }
      boolean crossesMin = l < min;
      boolean crossesMax = u > max;
      if (!crossesMin && !crossesMax) {
        return new double[] {1, 1};
      }
      if (crossesMin && crossesMax) {
        return new double[] {(max - min) / (u - min), (max - min) / (max - l)};
      }
      if (crossesMin) {
        double chord = (u - min) / (u - l);
        return new double[] {u - min > min - l ? 1 : 0, chord};
      }
      double chord = (max - l) / (u - l);
      return new double[] {chord, max - l > u - max ? 1 : 0};
    }
  }
}
