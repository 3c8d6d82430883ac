package dev.robustspec.engine.hull;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ReluHull}'s piece {@code P ∩ orthant}: its box, rows and vertices (in one orthant
 * every ReLU is linear), and the rigorous upper bound of a facet's left side over it.
 */
final class Orthant {
  /**
   * Relative distance within which a vertex counts as on a constraint (the constraint is active
   * there): only which multipliers are tried depends on it, never a bound's validity.
   */
  private static final double ACTIVE = 1e-9;
  final int sign;
  final LinearProgram program = new LinearProgram();
  final List<double[]> vertices = new ArrayList<>();
  final double[][] directions;
  final double[] rowLower;
  final double[] rowUpper;
  final int k;

  private Orthant(int sign, double[][] directions, double[] lower, double[] upper) {
    this.sign = sign;
    this.directions = directions;
    this.rowLower = lower;
    this.rowUpper = upper;
    this.k = directions[0].length;
  }

  boolean positive(int i) {
    return (sign >> i & 1) == 1;
  }

  /** The orthant's piece, or null when it is provably empty. */
  static Orthant of(int sign, double[][] directions, double[] lower, double[] upper) {
    Orthant o = new Orthant(sign, directions, lower, upper);
    int k = o.k;
    double[] lo = new double[k];
    double[] hi = new double[k];
    for (int i = 0; i < k; i++) {
      lo[i] = o.positive(i) ? Math.max(lower[i], 0) : lower[i];
      hi[i] = o.positive(i) ? upper[i] : Math.min(upper[i], 0);
      if (lo[i] > hi[i]) {
        return null;
      }
      o.program.addVariable(lo[i], hi[i]);
    }
    for (int a = k; a < directions.length; a++) {
      int[] idx = new int[k];
      for (int i = 0; i < k; i++) {
        idx[i] = i;
      }
      o.program.addRow(idx, directions[a], lower[a], upper[a]);
      // rigorous emptiness by one row: its range over the box misses [lower, upper]
      double min = DualBound.lowerBound(o.program, directions[a], null);
      double[] neg = negate(directions[a]);
      double max = -DualBound.lowerBound(o.program, neg, null);
      if (min > upper[a] || max < lower[a]) {
        return null;
      }
    }
    o.enumerateVertices(lo, hi);
    return o;
  }

  private void enumerateVertices(double[] lo, double[] hi) {
    List<double[]> ineq = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      double[] up = new double[k + 1];
      up[i] = 1;
      up[k] = -hi[i];
      double[] down = new double[k + 1];
      down[i] = -1;
      down[k] = lo[i];
      ineq.add(up);
      ineq.add(down);
    }
    for (int a = k; a < directions.length; a++) {
      double[] up = new double[k + 1];
      double[] down = new double[k + 1];
      for (int i = 0; i < k; i++) {
        up[i] = directions[a][i];
        down[i] = -directions[a][i];
      }
      up[k] = -rowUpper[a];
      down[k] = rowLower[a];
      ineq.add(up);
      ineq.add(down);
    }
    double[] t = new double[k + 1];
    t[k] = -1;
    ineq.add(t);
    DoubleDescription.Generators g = DoubleDescription.generators(ineq, k + 1);
    for (double[] r : g.rays()) {
      if (r[k] > 1e-12) {
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
          v[i] = Math.min(hi[i], Math.max(lo[i], r[i] / r[k]));
        }
        vertices.add(v);
      }
    }
  }

  /**
   * A rigorous upper bound of {@code max g . x} over this piece: LP duality with the
   * multipliers of the rows tight at the vertex where g peaks (the box absorbs the rest).
   */
  double upperBound(double[] g) {
    double[] c = negate(g); // max g.x = -min(-g.x)
    double[] best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (double[] v : vertices) {
      double s = DoubleDescription.dot(g, v);
      if (s > bestValue) {
        bestValue = s;
        best = v;
      }
    }
    double[] y = best == null ? null : multipliers(c, best);
    return -DualBound.lowerBound(program, c, y);
  }

  /**
   * Multipliers that express c at vertex v as a combination of the constraints tight there —
   * rows with their sign (a tight lower side >= 0, a tight upper side <= 0, both: free) and
   * variable bounds likewise — found among k-subsets of the tight set; only the rows' part is
   * returned (the box in {@link DualBound} stands for the variable bounds). Null when no
   * subset fits (then the bound falls back to the box).
   */
  private double[] multipliers(double[] c, double[] v) {
    List<LinearProgram.Row> rows = program.rows();
    List<double[]> normals = new ArrayList<>();
    List<Integer> signs = new ArrayList<>(); // 1: >= 0, -1: <= 0, 0: free
    List<Integer> rowIndex = new ArrayList<>(); // -1 for a variable bound
    for (int r = 0; r < rows.size(); r++) {
      LinearProgram.Row row = rows.get(r);
      double s = row.value(v);
      double tol = ACTIVE * (1 + Math.abs(s));
      boolean up = Math.abs(s - row.upper()) <= tol;
      boolean down = Math.abs(s - row.lower()) <= tol;
      if (up || down) {
        double[] a = new double[k];
        for (int t = 0; t < row.index().length; t++) {
          a[row.index()[t]] = row.coef()[t];
        }
        normals.add(a);
        signs.add(up && down ? 0 : up ? -1 : 1);
        rowIndex.add(r);
      }
    }
    for (int i = 0; i < k; i++) {
      double tol = ACTIVE * (1 + Math.abs(v[i]));
      boolean up = Math.abs(v[i] - program.variableUpper(i)) <= tol;
      boolean down = Math.abs(v[i] - program.variableLower(i)) <= tol;
      if (up || down) {
        double[] e = new double[k];
        e[i] = 1;
        normals.add(e);
        signs.add(up && down ? 0 : up ? -1 : 1);
        rowIndex.add(-1);
      }
    }
    int n = normals.size();
    if (n < k) {
      return null;
    }
    int[] choose = new int[k];
    for (int i = 0; i < k; i++) {
      choose[i] = i;
    }
    while (true) {
      double[] sol = solve(normals, choose, c);
      if (sol != null) {
        boolean ok = true;
        for (int i = 0; i < k && ok; i++) {
          ok = sol[i] * signs.get(choose[i]) >= -1e-12;
        }
        if (ok) {
          double[] y = new double[rows.size()];
          for (int i = 0; i < k; i++) {
            int r = rowIndex.get(choose[i]);
            if (r >= 0) {
              y[r] = signs.get(choose[i]) * sol[i] < 0 ? 0 : sol[i];
            }
          }
          return y;
        }
      }
      int i = k - 1;
      while (i >= 0 && choose[i] == n - k + i) {
        i--;
      }
      if (i < 0) {
        return null;
      }
      choose[i]++;
      for (int j = i + 1; j < k; j++) {
        choose[j] = choose[j - 1] + 1;
      }
    }
  }

  /** Solves {@code sum_i y_i normals[choose[i]] = c} (k x k); null if singular. */
  private static double[] solve(List<double[]> normals, int[] choose, double[] c) {
    int m = choose.length;
    double[][] a = new double[m][m + 1];
    for (int i = 0; i < m; i++) {
      double[] col = normals.get(choose[i]);
      for (int f = 0; f < m; f++) {
        a[f][i] = col[f];
      }
    }
    for (int f = 0; f < m; f++) {
      a[f][m] = c[f];
    }
    for (int col = 0; col < m; col++) {
      int p = col;
      for (int r = col + 1; r < m; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[p][col])) {
          p = r;
        }
      }
      if (Math.abs(a[p][col]) < 1e-12) {
        return null;
      }
      double[] tmp = a[p];
      a[p] = a[col];
      a[col] = tmp;
      for (int r = 0; r < m; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int j = col; j <= m; j++) {
            a[r][j] -= f * a[col][j];
          }
        }
      }
    }
    double[] x = new double[m];
    for (int i = 0; i < m; i++) {
      x[i] = a[i][m] / a[i][i];
    }
    return x;
  }

  private static double[] negate(double[] a) {
    double[] n = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      n[i] = -a[i];
    }
    return n;
  }
}
