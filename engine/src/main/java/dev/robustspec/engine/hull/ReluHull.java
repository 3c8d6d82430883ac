package dev.robustspec.engine.hull;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * The convex hull of the graph of k ReLUs over a polytope of their joint inputs:
 * {@code conv{(x, relu(x)) : x in P}} with {@code P = {x : lower_a <= a . x <= upper_a}} for the
 * given directions a (octahedral: every {@code a in {-1,0,1}^k}). Method (kPoly's, Singh et al.,
 * NeurIPS 2019, done exactly rather than approximately as PRIMA's SBLM): in each orthant ReLU is
 * linear, so the hull is the hull of the images of the vertices of every {@code P ∩ orthant};
 * those vertices come from the double-description method (H to V), and the hull's facets from it
 * again (V to H, on the cone of valid inequalities). Both conversions run in floating point, so
 * every facet's right-hand side is then re-derived rigorously: in each orthant, an upper bound of
 * the facet's left side over {@code P ∩ orthant} from LP duality ({@link DualBound}), with
 * multipliers read off the vertex where it peaks. A constraint this class returns therefore holds
 * for every {@code (x, relu(x))}, x in P, in real arithmetic, whatever the rounding did.
 */
public final class ReluHull {
  /** {@code alpha . x + beta . y <= gamma} over inputs x and outputs y = relu(x) of a group. */
  public record Constraint(double[] alpha, double[] beta, double gamma) {
    /** {@code alpha . x + beta . y - gamma}, in double (for tests). */
    public double violation(double[] x, double[] y) {
      double s = -gamma;
      for (int i = 0; i < x.length; i++) {
        s += alpha[i] * x[i] + beta[i] * y[i];
      }
      return s;
    }
  }

  /** The hull's constraints and the points (x, relu(x)) it was built from. */
  public record Result(List<Constraint> constraints, List<double[]> points) {}

  private ReluHull() {}

  /** The directions {@code a in {-1,0,1}^k \ {0}} with first non-zero entry 1 (the unit vectors first). */
  public static double[][] octahedralDirections(int k) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      double[] e = new double[k];
      e[i] = 1;
      out.add(e);
    }
    int total = 1;
    for (int i = 0; i < k; i++) {
      total *= 3;
    }
    for (int code = 0; code < total; code++) {
      double[] a = new double[k];
      int c = code;
      int nonZero = 0;
      for (int i = 0; i < k; i++) {
        a[i] = c % 3 - 1;
        c /= 3;
        if (a[i] != 0) {
          nonZero++;
        }
      }
      if (nonZero < 2) {
        continue;
      }
      int first = 0;
      while (a[first] == 0) {
        first++;
      }
      if (a[first] == 1) {
        out.add(a);
      }
    }
    return out.toArray(new double[0][]);
  }

  /**
   * The hull for inputs in {@code P}. The first k directions must be the unit vectors (so P is
   * boxed), with finite bounds.
   */
  public static Result compute(double[][] directions, double[] lower, double[] upper) {
    int k = directions[0].length;
    for (int i = 0; i < k; i++) {
      if (directions[i][i] != 1 || !Double.isFinite(lower[i]) || !Double.isFinite(upper[i])) {
        throw new IllegalArgumentException("the first directions must be the unit vectors, boxed");
      }
    }
    List<Orthant> orthants = new ArrayList<>();
    List<double[]> points = new ArrayList<>();
    for (int sign = 0; sign < (1 << k); sign++) {
      Orthant o = Orthant.of(sign, directions, lower, upper);
      if (o == null) {
        continue;
      }
      orthants.add(o);
      for (double[] v : o.vertices) {
        double[] p = new double[2 * k];
        for (int i = 0; i < k; i++) {
          p[i] = v[i];
          p[k + i] = o.positive(i) ? v[i] : 0;
        }
        addDistinct(points, p);
      }
    }
    List<double[]> candidates = facets(points, 2 * k);
    List<Constraint> out = new ArrayList<>();
    for (double[] f : candidates) {
      clean(f, 2 * k);
      double[] alpha = new double[k];
      double[] beta = new double[k];
      System.arraycopy(f, 0, alpha, 0, k);
      System.arraycopy(f, k, beta, 0, k);
      double gamma = Double.NEGATIVE_INFINITY;
      for (Orthant o : orthants) {
        // on this orthant y_i is x_i or 0, so the left side is g . x with g = alpha + beta there;
        // TwoSum gives each sum's rounding error exactly, and the box bounds what it can add
        double[] g = new double[k];
        double extra = 0;
        for (int i = 0; i < k; i++) {
          if (!o.positive(i)) {
            g[i] = alpha[i];
            continue;
          }
          double sum = alpha[i] + beta[i];
          double bb = sum - alpha[i];
          double err = (alpha[i] - (sum - bb)) + (beta[i] - bb);
          g[i] = sum;
          double m = Math.max(Math.abs(o.program.variableLower(i)),
              Math.abs(o.program.variableUpper(i)));
          extra = Math.nextUp(extra + Math.nextUp(Math.abs(err) * m));
        }
        gamma = Math.max(gamma, Math.nextUp(o.upperBound(g) + extra));
      }
      if (gamma < Double.POSITIVE_INFINITY && gamma > Double.NEGATIVE_INFINITY) {
        out.add(new Constraint(alpha, beta, gamma));
      }
    }
    return new Result(out, points);
  }

  /**
   * Rounds a candidate's coefficients to 12 significant bits after scaling its largest to 1: the
   * floating-point hull leaves noise such as 1e-13 entries that make LPs ill-conditioned (GLOP
   * ended ABNORMAL). Any coefficients are fine for soundness: the right-hand side is derived for
   * these exact ones afterwards.
   */
  private static void clean(double[] f, int d) {
    double max = 0;
    for (int i = 0; i < d; i++) {
      max = Math.max(max, Math.abs(f[i]));
    }
    if (max == 0) {
      return;
    }
    for (int i = 0; i <= d; i++) {
      double v = f[i] / max;
      f[i] = Math.abs(v) < 0x1p-12 && i < d ? 0 : Math.rint(v * 0x1p12) / 0x1p12;
    }
  }

  /** Facet candidates {@code (alpha, beta, gamma)} of conv(points) in dimension d, by DD. */
  private static List<double[]> facets(List<double[]> points, int d) {
    List<double[]> rows = new ArrayList<>();
    for (double[] p : points) {
      double[] r = new double[d + 1];
      System.arraycopy(p, 0, r, 0, d);
      r[d] = -1; // alpha . p - gamma <= 0
      rows.add(r);
    }
    DoubleDescription.Generators g = DoubleDescription.generators(rows, d + 1);
    List<double[]> out = new ArrayList<>();
    for (double[] r : g.rays()) {
      if (isNormal(r, d)) {
        out.add(r);
      }
    }
    for (double[] l : g.lineality()) {
      if (isNormal(l, d)) {
        out.add(l.clone());
        double[] neg = l.clone();
        for (int i = 0; i < neg.length; i++) {
          neg[i] = -neg[i];
        }
        out.add(neg);
      }
    }
    return out;
  }

  private static boolean isNormal(double[] r, int d) {
    for (int i = 0; i < d; i++) {
      if (Math.abs(r[i]) > 1e-12) {
        return true;
      }
    }
    return false; // (0, gamma): the trivial 0 <= gamma
  }

  private static void addDistinct(List<double[]> points, double[] p) {
    for (double[] q : points) {
      boolean same = true;
      for (int i = 0; i < p.length && same; i++) {
        same = Math.abs(p[i] - q[i]) <= 1e-12 * Math.max(1, Math.abs(p[i]));
      }
      if (same) {
        return;
      }
    }
    points.add(p);
  }
}
