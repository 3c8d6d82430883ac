package dev.robustspec.engine.hull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The double-description method: from a cone given by homogeneous inequalities
 * {@code a_i . h <= 0}, its generators — extreme rays and a lineality basis — with, for each ray,
 * the set of inequalities it makes tight. Incremental (one inequality at a time), with the
 * combinatorial adjacency test; Fukuda and Prodon, "Double description method revisited", 1996
 * (the method of Motzkin et al., 1953).
 *
 * <p>Arithmetic is double with a relative tolerance, so a ray may be slightly off or, in a
 * near-degenerate cone, missing. Callers never rely on the result for soundness: every
 * constraint derived from it is re-validated rigorously ({@link ReluHull}).
 */
public final class DoubleDescription {
  private static final double TOLERANCE = 1e-10;

  /** The generators of a cone: {@code cone = cone(rays) + span(lineality)}. */
  public record Generators(List<double[]> rays, List<BitSet> tight, List<double[]> lineality) {}

  private DoubleDescription() {}

  /** Generators of {@code {h in R^d : a_i . h <= 0 for all rows a_i}}. */
  public static Generators generators(List<double[]> inequalities, int d) {
    List<double[]> lin = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      double[] e = new double[d];
      e[i] = 1;
      lin.add(e);
    }
    List<double[]> rays = new ArrayList<>();
    List<BitSet> zero = new ArrayList<>();
    for (int c = 0; c < inequalities.size(); c++) {
      double[] a = inequalities.get(c);
      double scale = norm(a);
      if (scale == 0) {
        continue; // 0 <= 0: no constraint
      }
      double tol = TOLERANCE * scale;
      int pivot = -1;
      double best = tol;
      for (int t = 0; t < lin.size(); t++) {
        double v = Math.abs(dot(a, lin.get(t)));
        if (v > best) {
          best = v;
          pivot = t;
        }
      }
      if (pivot >= 0) {
        double[] l0 = lin.remove(pivot);
        double al0 = dot(a, l0);
        for (double[] l : lin) {
          axpy(-dot(a, l) / al0, l0, l);
        }
        for (double[] r : rays) {
          axpy(-dot(a, r) / al0, l0, r);
        }
        for (BitSet z : zero) {
          z.set(c);
        }
        double[] r0 = l0.clone();
        if (al0 > 0) {
          scale(-1, r0);
        }
        BitSet z0 = new BitSet();
        z0.set(0, c); // a lineality vector was tight on every earlier inequality
        rays.add(normalise(r0));
        zero.add(z0);
        continue;
      }
      int n = rays.size();
      double[] value = new double[n];
      List<Integer> plus = new ArrayList<>();
      List<Integer> minus = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        value[r] = dot(a, rays.get(r));
        if (value[r] > tol * norm(rays.get(r))) {
          plus.add(r);
        } else if (value[r] < -tol * norm(rays.get(r))) {
          minus.add(r);
        } else {
          zero.get(r).set(c);
        }
      }
      if (plus.isEmpty()) {
        continue;
      }
      int needed = d - 2 - lin.size();
      List<double[]> newRays = new ArrayList<>();
      List<BitSet> newZero = new ArrayList<>();
      for (int p : plus) {
        for (int m : minus) {
          BitSet common = (BitSet) zero.get(p).clone();
          common.and(zero.get(m));
          if (common.cardinality() < needed || !adjacent(common, p, m, zero)) {
            continue;
          }
          double[] r = rays.get(m).clone();
          scale(value[p], r);
          axpy(-value[m], rays.get(p), r);
          common.set(c);
          newRays.add(normalise(r));
          newZero.add(common);
        }
      }
      List<double[]> keptRays = new ArrayList<>();
      List<BitSet> keptZero = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        if (!(value[r] > tol * norm(rays.get(r)))) {
          keptRays.add(rays.get(r));
          keptZero.add(zero.get(r));
        }
      }
      keptRays.addAll(newRays);
      keptZero.addAll(newZero);
      rays = keptRays;
      zero = keptZero;
    }
    return new Generators(rays, zero, lin);
  }

  /** No third ray is tight on every inequality that both p and m make tight. */
  private static boolean adjacent(BitSet common, int p, int m, List<BitSet> zero) {
    for (int r = 0; r < zero.size(); r++) {
      if (r == p || r == m) {
        continue;
      }
      BitSet z = zero.get(r);
      BitSet missing = (BitSet) common.clone();
      missing.andNot(z);
      if (missing.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void axpy(double f, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += f * x[i];
    }
  }

  private static void scale(double f, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= f;
    }
  }

  private static double[] normalise(double[] r) {
    double m = norm(r);
    if (m > 0) {
      scale(1 / m, r);
    }
    return r;
  }
}
