package dev.robustspec.engine.network;

import dev.robustspec.engine.network.ScalarActivation.Curvature;
import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;

/**
 * The bound rules of an element-wise activation layer, from one lower and one upper line per
 * neuron, {@code a_lo x + b_lo <= f(x) <= a_up x + b_up} on the neuron's input interval
 * {@code [l, u]} (DeepPoly, Singh et al. POPL 2019; CROWN's general activations, Zhang et al.
 * NeurIPS 2018). The slopes are the activation's proposal; the intercepts are derived here so
 * that the lines hold for the <em>real</em> function whatever the slopes are, under floating
 * point: {@code b_lo} is a rigorous lower bound of {@code min f(x) - a x} over {@code [l, u]},
 * {@code b_up} a rigorous upper bound of {@code max f(x) - a x}.
 *
 * <p>On each piece, {@code g(x) = f(x) - a x} has the piece's curvature. A concave g takes its
 * minimum, and a convex g its maximum, at the piece's ends; for the other extreme the tangent at
 * the point t where {@code f'(t) ~ a} (found by bisection) bounds g everywhere:
 * {@code g(x) >= g(t) + g'(t)(x - t)} for convex g (and {@code <=} for concave), evaluated over
 * the enclosure of {@code g'(t)} and of {@code x - t}, so an inexact t only loosens the bound.
 */
public final class ActivationLines {
  private static final int BISECTIONS = 60;

  final double[] lowerSlope;
  final double[] lowerIntercept;
  final double[] upperSlope;
  final double[] upperIntercept;

  private ActivationLines(int n) {
    lowerSlope = new double[n];
    lowerIntercept = new double[n];
    upperSlope = new double[n];
    upperIntercept = new double[n];
  }

  /** Lines for every neuron, on the input bounds {@code [inLower, inUpper]}. */
  public static ActivationLines of(ScalarActivation f, double[] inLower, double[] inUpper) {
    ActivationLines lines = new ActivationLines(inLower.length);
    for (int i = 0; i < inLower.length; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      double[] s = Double.isFinite(l) && Double.isFinite(u) && l < u ? f.slopes(l, u)
          : new double[] {0, 0};
      lines.lowerSlope[i] = s[0];
      lines.upperSlope[i] = s[1];
      lines.lowerIntercept[i] = lowerIntercept(f, l, u, s[0]);
      lines.upperIntercept[i] = upperIntercept(f, l, u, s[1]);
    }
    return lines;
  }

  public double lowerSlope(int i) {
    return lowerSlope[i];
  }

  public double lowerIntercept(int i) {
    return lowerIntercept[i];
  }

  public double upperSlope(int i) {
    return upperSlope[i];
  }

  public double upperIntercept(int i) {
    return upperIntercept[i];
  }

  // --- rigorous intercepts ---------------------------------------------------------------------

  /** The points {@code l, breakpoints inside (l, u), u}. */
  private static double[] points(ScalarActivation f, double l, double u) {
    double[] bp = f.breakpoints();
    double[] pts = new double[bp.length + 2];
    int n = 0;
    pts[n++] = l;
    for (double b : bp) {
      if (b > l && b < u) {
        pts[n++] = b;
      }
    }
    pts[n++] = u;
    return java.util.Arrays.copyOf(pts, n);
  }

  private static Curvature curvatureBetween(ScalarActivation f, double p, double q) {
    double mid = p + (q - p) / 2; // strictly inside when p < q (or p itself when equal)
    double[] bp = f.breakpoints();
    int piece = 0;
    while (piece < bp.length && mid >= bp[piece]) {
      piece++;
    }
    return f.curvature(piece);
  }

  /** Rigorous lower bound of {@code min f(x) - a x} on {@code [l, u]}. */
  static double lowerIntercept(ScalarActivation f, double l, double u, double a) {
    if (a == 0) {
      return minValue(f, l, u);
    }
    double[] pts = points(f, l, u);
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k + 1 < pts.length; k++) {
      double p = pts[k];
      double q = pts[k + 1];
      double v = curvatureBetween(f, p, q) == Curvature.CONVEX ? tangentBound(f, a, p, q, true)
          : Math.min(gLower(f, a, p), gLower(f, a, q));
      best = Math.min(best, v);
    }
    return best;
  }

  /** Rigorous upper bound of {@code max f(x) - a x} on {@code [l, u]}. */
  static double upperIntercept(ScalarActivation f, double l, double u, double a) {
    if (a == 0) {
      return maxValue(f, l, u);
    }
    double[] pts = points(f, l, u);
    double best = Double.NEGATIVE_INFINITY;
    for (int k = 0; k + 1 < pts.length; k++) {
      double p = pts[k];
      double q = pts[k + 1];
      double v = curvatureBetween(f, p, q) == Curvature.CONCAVE
          ? tangentBound(f, a, p, q, false)
          : Math.max(gUpper(f, a, p), gUpper(f, a, q));
      best = Math.max(best, v);
    }
    return best;
  }

  /** A rigorous lower bound of the real f on [l, u] (extremes at ends and breakpoints). */
  static double minValue(ScalarActivation f, double l, double u) {
    double best = Double.POSITIVE_INFINITY;
    for (double p : points(f, l, u)) {
      best = Math.min(best, f.valueLower(p));
    }
    return best;
  }

  /** A rigorous upper bound of the real f on [l, u]. */
  static double maxValue(ScalarActivation f, double l, double u) {
    double best = Double.NEGATIVE_INFINITY;
    for (double p : points(f, l, u)) {
      best = Math.max(best, f.valueUpper(p));
    }
    return best;
  }

  /** At most the real {@code f(x) - a x}. */
  private static double gLower(ScalarActivation f, double a, double x) {
    return Directed.subDown(f.valueLower(x), Directed.mulUp(a, x));
  }

  /** At least the real {@code f(x) - a x}. */
  private static double gUpper(ScalarActivation f, double a, double x) {
    return Directed.subUp(f.valueUpper(x), Directed.mulDown(a, x));
  }

  /**
   * The tangent bound on a piece where {@code g = f - a x} is convex ({@code lower}: bound below)
   * or concave (bound above): {@code g(t) + g'(t)(x - t)} minimised (maximised) over the
   * enclosures of {@code g'(t)} and of {@code x - t in [p - t, q - t]}.
   */
  private static double tangentBound(ScalarActivation f, double a, double p, double q,
      boolean lower) {
    double t = tangentPoint(f, a, p, q, lower);
    double dLo = Directed.subDown(f.derivativeLower(t), a);
    double dHi = Directed.subUp(f.derivativeUpper(t), a);
    double xLo = Directed.subDown(p, t);
    double xHi = Directed.subUp(q, t);
    double[] corners = {
        lower ? Directed.mulDown(dLo, xLo) : Directed.mulUp(dLo, xLo),
        lower ? Directed.mulDown(dLo, xHi) : Directed.mulUp(dLo, xHi),
        lower ? Directed.mulDown(dHi, xLo) : Directed.mulUp(dHi, xLo),
        lower ? Directed.mulDown(dHi, xHi) : Directed.mulUp(dHi, xHi)};
    double ext = corners[0];
    for (double c : corners) {
      ext = lower ? Math.min(ext, c) : Math.max(ext, c);
    }
    return lower ? Directed.addDown(gLower(f, a, t), ext) : Directed.addUp(gUpper(f, a, t), ext);
  }

  /**
   * The point of {@code [p, q]} where {@code f' = a}, by bisection on the monotone derivative
   * (increasing on a convex piece, decreasing on a concave one); an end when there is none.
   */
  private static double tangentPoint(ScalarActivation f, double a, double p, double q,
      boolean convex) {
    double lo = p;
    double hi = q;
    for (int k = 0; k < BISECTIONS && lo < hi; k++) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) {
        break;
      }
      boolean below = f.derivative(mid) < a;
      if (below == convex) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo + (hi - lo) / 2;
  }

  // --- the layer rules -------------------------------------------------------------------------

  /** Interval rule: f's extremes over each input interval. */
  public static void intervalForward(ScalarActivation f, double[] inLower, double[] inUpper,
      double[] outLower, double[] outUpper) {
    for (int i = 0; i < inLower.length; i++) {
      outLower[i] = minValue(f, inLower[i], inUpper[i]);
      outUpper[i] = maxValue(f, inLower[i], inUpper[i]);
    }
  }

  /**
   * Back-substitution: a positive coefficient c on {@code y_i} takes the lower line
   * ({@code c y >= c a x + c b}), a negative one the upper line. The products {@code c a} and
   * {@code c b} err by at most a unit roundoff of their size on the box, which
   * {@link Rounding#dotError} over the row's magnitude covers, as in {@link ReluLayer}.
   */
  public static void backSubstitute(ScalarActivation f, SymbolicRows overOutput,
      double[] inLower, double[] inUpper, SymbolicRows overInput) {
    int size = inLower.length;
    ActivationLines lines = of(f, inLower, inUpper);
    int rows = overOutput.rows();
    overInput.reset(rows, size);
    overInput.copyOffsets(overOutput);
    double[] coef = overOutput.coef();
    double[] out = overInput.coef();
    for (int r = 0; r < rows; r++) {
      int off = r * size;
      double constant = 0;
      double magnitude = 0;
      for (int i = 0; i < size; i++) {
        double c = coef[off + i];
        if (c == 0) {
          continue;
        }
        double a = c > 0 ? lines.lowerSlope[i] : lines.upperSlope[i];
        double b = c > 0 ? lines.lowerIntercept[i] : lines.upperIntercept[i];
        if (a != 0) {
          double ca = c * a;
          out[off + i] = ca;
          magnitude += Math.abs(ca) * Math.max(Math.abs(inLower[i]), Math.abs(inUpper[i]));
        }
        double cb = c * b;
        constant += cb;
        magnitude += Math.abs(cb);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(size + 4, magnitude));
    }
  }

  /**
   * Forward symbolic rule: {@code y >= a z + b} with {@code z} between the input's lower and
   * upper functions becomes {@code a * lower(x) + b} for {@code a >= 0} and
   * {@code (-a) * negatedUpper(x) + b} otherwise; likewise for the upper line. {@link
   * ForwardBounds#combine} accounts for the rounding.
   */
  public static void forwardSymbolic(ScalarActivation f, ForwardBounds in, double[] inLower,
      double[] inUpper, ForwardBounds out) {
    int size = inLower.length;
    ActivationLines lines = of(f, inLower, inUpper);
    out.reset(size);
    int[] index = new int[1];
    double[] w = new double[1];
    boolean[] negated = new boolean[1];
    for (int i = 0; i < size; i++) {
      index[0] = i;
      double a = lines.lowerSlope[i];
      w[0] = Math.abs(a);
      negated[0] = a < 0;
      in.combine(out.lower(), i, 1, w, index, negated, lines.lowerIntercept[i]);
      double au = lines.upperSlope[i];
      w[0] = Math.abs(au);
      negated[0] = au >= 0;
      in.combine(out.negatedUpper(), i, 1, w, index, negated, -lines.upperIntercept[i]);
    }
  }

  /** Gradient rule: {@code g_i = f'(x_i) gradOutput_i}. */
  public static double[] backpropagate(ScalarActivation f, double[] input, double[] gradOutput) {
    double[] g = new double[input.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = gradOutput[i] == 0 ? 0 : f.derivative(input[i]) * gradOutput[i];
    }
    return g;
  }

  /** Concrete evaluation. */
  public static double[] evaluate(ScalarActivation f, double[] input) {
    double[] y = new double[input.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = f.value(input[i]);
    }
    return y;
  }
}
