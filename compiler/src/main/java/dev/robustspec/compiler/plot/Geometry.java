package dev.robustspec.compiler.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Planar helpers for the plots. */
final class Geometry {
  private Geometry() {}

  /**
   * The convex hull of the points, counter-clockwise in a y-up frame, without repeated or
   * collinear points (Andrew's monotone chain). A single point or a segment when the points are
   * degenerate.
   */
  static List<double[]> convexHull(List<double[]> points) {
    double[][] p = points.toArray(new double[0][]);
    Arrays.sort(p, Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
    int n = p.length;
    if (n <= 1) {
      return List.of(p);
    }
    double[][] hull = new double[2 * n][];
    int k = 0;
    for (int i = 0; i < n; i++) {
      while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
        k--;
      }
      hull[k++] = p[i];
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) {
      while (k >= lower && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) {
        k--;
      }
      hull[k++] = p[i];
    }
    List<double[]> out = new ArrayList<>(Arrays.asList(hull).subList(0, k - 1));
    if (out.size() == 2 && Arrays.equals(out.get(0), out.get(1))) {
      return List.of(out.get(0));
    }
    return out;
  }

  /** Twice the signed area of (a, b, c): positive when c is left of a -> b. */
  static double cross(double[] a, double[] b, double[] c) {
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  }

  /** The area of a convex polygon (0 for a point or a segment). */
  static double area(List<double[]> polygon) {
    double twice = 0;
    for (int i = 0; i < polygon.size(); i++) {
      double[] a = polygon.get(i);
      double[] b = polygon.get((i + 1) % polygon.size());
      twice += a[0] * b[1] - a[1] * b[0];
    }
    return Math.abs(twice) / 2;
  }
}
