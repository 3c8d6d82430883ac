package dev.robustspec.engine.hull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The exact ReLU hull: sound on sampled points, equal to an independent brute-force hull for two
 * neurons, and the cube through the double-description method.
 */
class ReluHullTest {

  /** Octahedral bounds of {@code x = M t + b}, t in [-1, 1]^m: exact for every direction. */
  static double[][] octahedron(double[][] dirs, double[][] m, double[] b) {
    double[] lo = new double[dirs.length];
    double[] hi = new double[dirs.length];
    for (int d = 0; d < dirs.length; d++) {
      double centre = 0;
      double radius = 0;
      for (int i = 0; i < b.length; i++) {
        centre += dirs[d][i] * b[i];
      }
      for (int j = 0; j < m[0].length; j++) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
          s += dirs[d][i] * m[i][j];
        }
        radius += Math.abs(s);
      }
      lo[d] = centre - radius;
      hi[d] = centre + radius;
    }
    return new double[][] {lo, hi};
  }

  static double[][] randomMap(SplittableRandom r, int k, int m) {
    double[][] map = new double[k][m];
    for (double[] row : map) {
      for (int j = 0; j < m; j++) {
        row[j] = RandomNets.gaussian(r);
      }
    }
    return map;
  }

  @Property(tries = 40)
  void everySampledGraphPointSatisfiesEveryConstraint(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int k = 2 + r.nextInt(2);
    int m = 1 + r.nextInt(4);
    double[][] map = randomMap(r, k, m);
    double[] b = new double[k];
    for (int i = 0; i < k; i++) {
      b[i] = 0.5 * RandomNets.gaussian(r);
    }
    double[][] dirs = ReluHull.octahedralDirections(k);
    double[][] bounds = octahedron(dirs, map, b);
    ReluHull.Result hull = ReluHull.compute(dirs, bounds[0], bounds[1]);
    assertTrue(!hull.constraints().isEmpty(), "no constraints");
    // every vertex it was built from, and thousands of sampled (x, relu(x)), satisfy all of them
    for (double[] p : hull.points()) {
      for (ReluHull.Constraint c : hull.constraints()) {
        double[] x = java.util.Arrays.copyOfRange(p, 0, k);
        double[] y = java.util.Arrays.copyOfRange(p, k, 2 * k);
        assertTrue(c.violation(x, y) <= 1e-9, "a vertex violates " + c);
      }
    }
    for (int s = 0; s < 3000; s++) {
      double[] t = new double[m];
      for (int j = 0; j < m; j++) {
        t[j] = s % 4 == 0 ? (r.nextBoolean() ? 1 : -1) : r.nextDouble() * 2 - 1;
      }
      double[] x = new double[k];
      double[] y = new double[k];
      for (int i = 0; i < k; i++) {
        x[i] = b[i];
        for (int j = 0; j < m; j++) {
          x[i] += map[i][j] * t[j];
        }
        y[i] = Math.max(0, x[i]);
      }
      for (ReluHull.Constraint c : hull.constraints()) {
        assertTrue(c.violation(x, y) <= 1e-12 * (1 + Math.abs(c.gamma())),
            "sampled point violates a hull constraint by " + c.violation(x, y));
      }
    }
  }

  /**
   * Two neurons: the hull's facets equal those found by brute force — every hyperplane through
   * four of the graph's vertices (themselves found by intersecting pairs of the polygon's edge
   * lines in each quadrant) that has all vertices on one side.
   */
  @Property(tries = 25)
  void twoNeuronHullEqualsBruteForceHull(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] map = randomMap(r, 2, 3);
    double[] b = {0.3 * RandomNets.gaussian(r), 0.3 * RandomNets.gaussian(r)};
    double[][] dirs = ReluHull.octahedralDirections(2);
    double[][] bounds = octahedron(dirs, map, b);
    if (!(bounds[0][0] < 0 && bounds[1][0] > 0 && bounds[0][1] < 0 && bounds[1][1] > 0)) {
      return; // only unstable pairs are grouped
    }
    List<double[]> vertices = bruteForceGraphVertices(dirs, bounds[0], bounds[1]);
    List<double[]> expected = bruteForceFacets(vertices);
    List<double[]> actual = new ArrayList<>();
    for (ReluHull.Constraint c : ReluHull.compute(dirs, bounds[0], bounds[1]).constraints()) {
      actual.add(normalise(new double[] {c.alpha()[0], c.alpha()[1], c.beta()[0], c.beta()[1],
          c.gamma()}));
    }
    for (double[] f : expected) {
      assertTrue(contains(actual, f), "missing facet " + java.util.Arrays.toString(f));
    }
    for (double[] f : actual) {
      assertTrue(contains(expected, f), "extra constraint " + java.util.Arrays.toString(f));
    }
  }

  @Test
  void cubeHasEightVertices() {
    List<double[]> ineq = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int sgn : new int[] {1, -1}) {
        double[] a = new double[4];
        a[i] = sgn;
        a[3] = -1; // sgn x_i <= t
        ineq.add(a);
      }
    }
    ineq.add(new double[] {0, 0, 0, -1});
    DoubleDescription.Generators g = DoubleDescription.generators(ineq, 4);
    assertEquals(8, g.rays().size());
    assertEquals(0, g.lineality().size());
    for (double[] ray : g.rays()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(1, Math.abs(ray[i] / ray[3]), 1e-12);
      }
    }
  }

  @Test
  void identicalInputsGiveEqualOutputs() {
    // x1 = x2 in [-1, 1]: the hull forces y1 = y2, which no single-neuron relaxation can
    double[][] dirs = ReluHull.octahedralDirections(2);
    double[] lo = new double[dirs.length];
    double[] hi = new double[dirs.length];
    for (int d = 0; d < dirs.length; d++) {
      double s = dirs[d][0] + dirs[d][1];
      lo[d] = -Math.abs(s);
      hi[d] = Math.abs(s);
    }
    ReluHull.Result hull = ReluHull.compute(dirs, lo, hi);
    // (x, x, 0.5 + 0.2, 0.5 - 0.2) is inside both triangles at x = 0.5 but y1 != y2: cut off
    boolean cut = false;
    for (ReluHull.Constraint c : hull.constraints()) {
      cut |= c.violation(new double[] {0.5, 0.5}, new double[] {0.7, 0.3}) > 1e-6;
    }
    assertTrue(cut, "y1 = y2 not implied");
  }

  private static List<double[]> bruteForceGraphVertices(double[][] dirs, double[] lo, double[] hi) {
    List<double[]> lines = new ArrayList<>(); // a . x = c
    for (int d = 0; d < dirs.length; d++) {
      lines.add(new double[] {dirs[d][0], dirs[d][1], lo[d]});
      lines.add(new double[] {dirs[d][0], dirs[d][1], hi[d]});
    }
    lines.add(new double[] {1, 0, 0});
    lines.add(new double[] {0, 1, 0});
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      for (int j = i + 1; j < lines.size(); j++) {
        double[] p = lines.get(i);
        double[] q = lines.get(j);
        double det = p[0] * q[1] - p[1] * q[0];
        if (Math.abs(det) < 1e-12) {
          continue;
        }
        double x1 = (p[2] * q[1] - p[1] * q[2]) / det;
        double x2 = (p[0] * q[2] - p[2] * q[0]) / det;
        boolean inside = true;
        for (int d = 0; d < dirs.length && inside; d++) {
          double v = dirs[d][0] * x1 + dirs[d][1] * x2;
          inside = v >= lo[d] - 1e-9 && v <= hi[d] + 1e-9;
        }
        if (inside) {
          out.add(new double[] {x1, x2, Math.max(0, x1), Math.max(0, x2)});
        }
      }
    }
    return out;
  }

  private static List<double[]> bruteForceFacets(List<double[]> pts) {
    List<double[]> out = new ArrayList<>();
    int n = pts.size();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        for (int c = b + 1; c < n; c++) {
          for (int d = c + 1; d < n; d++) {
            double[] h = hyperplane(pts.get(a), pts.get(b), pts.get(c), pts.get(d));
            if (h == null) {
              continue;
            }
            int above = 0;
            int below = 0;
            for (double[] p : pts) {
              double v = h[0] * p[0] + h[1] * p[1] + h[2] * p[2] + h[3] * p[3] - h[4];
              if (v > 1e-7) {
                above++;
              } else if (v < -1e-7) {
                below++;
              }
            }
            if (above > 0 && below > 0) {
              continue;
            }
            if (above > 0) {
              for (int i = 0; i < 5; i++) {
                h[i] = -h[i];
              }
            }
            double[] f = normalise(h);
            if (!contains(out, f)) {
              out.add(f);
            }
          }
        }
      }
    }
    return out;
  }

  /** The hyperplane h . p = h4 through four points of R^4 (null when they are degenerate). */
  private static double[] hyperplane(double[] p0, double[] p1, double[] p2, double[] p3) {
    double[][] m = new double[3][4];
    double[][] ps = {p1, p2, p3};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        m[i][j] = ps[i][j] - p0[j];
      }
    }
    double[] h = new double[4];
    for (int j = 0; j < 4; j++) { // cofactor expansion: h_j = (-1)^j det(m without column j)
      double[][] minor = new double[3][3];
      for (int i = 0; i < 3; i++) {
        int t = 0;
        for (int c = 0; c < 4; c++) {
          if (c != j) {
            minor[i][t++] = m[i][c];
          }
        }
      }
      double det = minor[0][0] * (minor[1][1] * minor[2][2] - minor[1][2] * minor[2][1])
          - minor[0][1] * (minor[1][0] * minor[2][2] - minor[1][2] * minor[2][0])
          + minor[0][2] * (minor[1][0] * minor[2][1] - minor[1][1] * minor[2][0]);
      h[j] = (j % 2 == 0 ? 1 : -1) * det;
    }
    double norm = Math.abs(h[0]) + Math.abs(h[1]) + Math.abs(h[2]) + Math.abs(h[3]);
    if (norm < 1e-9) {
      return null;
    }
    double off = h[0] * p0[0] + h[1] * p0[1] + h[2] * p0[2] + h[3] * p0[3];
    return new double[] {h[0], h[1], h[2], h[3], off};
  }

  private static double[] normalise(double[] f) {
    double norm = 0;
    for (int i = 0; i < 4; i++) {
      norm += f[i] * f[i];
    }
    norm = Math.sqrt(norm);
    double[] out = new double[5];
    for (int i = 0; i < 5; i++) {
      out[i] = f[i] / norm;
    }
    return out;
  }

  private static boolean contains(List<double[]> fs, double[] f) {
    for (double[] g : fs) {
      boolean same = true;
      for (int i = 0; i < 5 && same; i++) {
        same = Math.abs(f[i] - g[i]) <= 1e-6;
      }
      if (same) {
        return true;
      }
    }
    return false;
  }
}
