package dev.robustspec.engine.network;

/**
 * The S-shaped activations, sigmoid and tanh: increasing, convex below 0 and concave above. The
 * slope proposal is CROWN's (Zhang et al. 2018): on a convex interval the chord above and the
 * tangent at the midpoint below; on a concave one the mirror image; on an interval around the
 * inflection point the chord where it is valid (for the upper line: when {@code f'(u)} is at
 * least the chord's slope), else the tangent at the point {@code d >= 0} whose tangent passes
 * through {@code (l, f(l))} (for the lower line: {@code d <= 0} through {@code (u, f(u))}),
 * found by bisection.
 *
 * <p>Enclosures use the library functions' documented accuracy: {@link Math#exp} is within 1
 * ulp and {@link Math#tanh} within 2.5 ulps of the exact result. An ulp of the exact result is
 * at most two ulps of the computed one (at a binade boundary), so the computed value is moved
 * outward by 3 (exp) and 6 (tanh) ulps; every following operation is rounded outward.
 */
abstract class SCurve implements ScalarActivation {
  private static final double[] BREAKPOINTS = {0.0};
  private static final int BISECTIONS = 50;

  @Override
  public double[] breakpoints() {
    return BREAKPOINTS.clone();
  }

  @Override
  public Curvature curvature(int piece) {
    return piece == 0 ? Curvature.CONVEX : Curvature.CONCAVE;
  }

  static double widenDown(double v, int ulps) {
    for (int k = 0; k < ulps; k++) {
      v = Math.nextDown(v);
    }
    return v;
  }

  static double widenUp(double v, int ulps) {
    for (int k = 0; k < ulps; k++) {
      v = Math.nextUp(v);
    }
    return v;
  }

  @Override
  public double[] slopes(double l, double u) {
    double fl = value(l);
    double fu = value(u);
    double chord = (fu - fl) / (u - l);
    if (!Double.isFinite(chord)) {
      chord = 0;
    }
    double mid = l + (u - l) / 2;
    if (u <= 0) {
      return new double[] {derivative(mid), chord};
    }
    if (l >= 0) {
      return new double[] {chord, derivative(mid)};
    }
    double upper = derivative(u) >= chord ? chord : derivative(tangentThrough(l, fl, 0, u));
    double lower = derivative(l) >= chord ? chord : derivative(tangentThrough(u, fu, l, 0));
    return new double[] {lower, upper};
  }

  /**
   * A point d of {@code [lo, hi]} whose tangent passes (approximately) through {@code (x, fx)}:
   * bisection on the sign of {@code (f(d) - fx) / (d - x) - f'(d)}, kept on the side where the
   * tangent clears the point (any d is sound; this one is tight).
   */
  private double tangentThrough(double x, double fx, double lo, double hi) {
    boolean right = x < lo; // the point lies left of the search interval
    for (int k = 0; k < BISECTIONS; k++) {
      double d = lo + (hi - lo) / 2;
      if (d <= lo || d >= hi) {
        break;
      }
      boolean clears = (value(d) - fx) / (d - x) >= derivative(d);
      if (clears == right) {
        hi = d;
      } else {
        lo = d;
      }
    }
    return right ? hi : lo;
  }

  /** {@code 1 / (1 + e^-x)}, and its derivative {@code s (1 - s)}. */
  static final class Sigmoid extends SCurve {
    @Override
    public String kind() {
      return "sigmoid";
    }

    @Override
    public void writeOnnx(OnnxNodeSink onnx, String layerName, int k, String input,
        String output) throws java.io.IOException {
      onnx.node("sigmoid" + k, "Sigmoid", new String[] {input}, output, null);
    }

    @Override
    public double value(double x) {
      return 1.0 / (1.0 + Math.exp(-x));
    }

    @Override
    public double derivative(double x) {
      double s = value(x);
      return s * (1 - s);
    }

    /** Enclosure {@code [lo, hi]} of the exact {@code e^-x}. */
    private static double expLower(double x) {
      return Math.max(0, widenDown(Math.exp(-x), 3));
    }

    private static double expUpper(double x) {
      return widenUp(Math.exp(-x), 3);
    }

    @Override
    public double valueLower(double x) {
      double den = Directed.addUp(1.0, expUpper(x));
      return Math.max(0, Math.nextDown(1.0 / den));
    }

    @Override
    public double valueUpper(double x) {
      double den = Directed.addDown(1.0, expLower(x));
      return Math.min(1, Math.nextUp(1.0 / den));
    }

    @Override
    public double derivativeLower(double x) {
      double lo = valueLower(x);
      double hi = valueUpper(x);
      return Math.max(0, Directed.mulDown(lo, Directed.subDown(1, hi)));
    }

    @Override
    public double derivativeUpper(double x) {
      double lo = valueLower(x);
      double hi = valueUpper(x);
      return Math.min(0.25, Directed.mulUp(hi, Directed.subUp(1, lo)));
    }
  }

  /** {@code tanh x}, and its derivative {@code 1 - tanh^2 x}. */
  static final class Tanh extends SCurve {
    @Override
    public String kind() {
      return "tanh";
    }

    @Override
    public void writeOnnx(OnnxNodeSink onnx, String layerName, int k, String input,
        String output) throws java.io.IOException {
      onnx.node("tanh" + k, "Tanh", new String[] {input}, output, null);
    }

    @Override
    public double value(double x) {
      return Math.tanh(x);
    }

    @Override
    public double derivative(double x) {
      double t = Math.tanh(x);
      return 1 - t * t;
    }

    @Override
    public double valueLower(double x) {
      return Math.max(-1, widenDown(Math.tanh(x), 6));
    }

    @Override
    public double valueUpper(double x) {
      return Math.min(1, widenUp(Math.tanh(x), 6));
    }

    /** Enclosure of {@code tanh^2 x}: {@code [sqLo, sqHi]}. */
    private double[] square(double x) {
      double lo = valueLower(x);
      double hi = valueUpper(x);
      double m = Math.max(Math.abs(lo), Math.abs(hi));
      double n = lo <= 0 && hi >= 0 ? 0 : Math.min(Math.abs(lo), Math.abs(hi));
      return new double[] {Directed.mulDown(n, n), Directed.mulUp(m, m)};
    }

    @Override
    public double derivativeLower(double x) {
      return Math.max(0, Directed.subDown(1, square(x)[1]));
    }

    @Override
    public double derivativeUpper(double x) {
      return Math.min(1, Directed.subUp(1, square(x)[0]));
    }
  }
}
