package dev.robustspec.engine.linear;

import java.util.List;

/**
 * A rigorous lower bound of an LP from any row multipliers, however inexact (Neumaier and
 * Shcherbina, "Safe bounds in linear and mixed-integer linear programming", Math. Programming
 * 99, 2004). For every feasible z and multipliers y with {@code y_r >= 0} on rows with a finite
 * lower side and {@code y_r <= 0} on rows with a finite upper side,
 * {@code y_r (a_r . z - rhs_r) >= 0}, so
 * <pre>  c . z  >=  (c - sum_r y_r a_r) . z + sum_r y_r rhs_r  >=  min over the variable box of that,</pre>
 * which needs only the variables' finite bounds. Multipliers of the wrong sign are set to zero
 * (still valid, only looser); every floating-point step is bounded with {@link Rounding}, so the
 * value returned is at most the true minimum of the real-valued program.
 */
public final class DualBound {
  private DualBound() {}

  /**
   * @param multipliers one per row (null: none, the bound is then the box bound of c . z)
   * @return a value {@code <=} the minimum of {@code c . z} over the program (may be -infinity)
   */
  public static double lowerBound(LinearProgram program, double[] c, double[] multipliers) {
    int n = program.variables();
    List<LinearProgram.Row> rows = program.rows();
    double[] reduced = new double[n];
    double[] magnitude = new double[n];
    int[] terms = new int[n];
    for (int j = 0; j < n; j++) {
      reduced[j] = c[j];
      magnitude[j] = Math.abs(c[j]);
      terms[j] = 1;
    }
    double constant = 0;
    double constantMagnitude = 0;
    int constantTerms = 0;
    for (int r = 0; multipliers != null && r < rows.size(); r++) {
      LinearProgram.Row row = rows.get(r);
      double y = usable(multipliers[r], row);
      if (y == 0) {
        continue;
      }
      double rhs = y > 0 ? row.lower() : row.upper();
      double yb = y * rhs;
      constant += yb;
      constantMagnitude += Math.abs(yb);
      constantTerms++;
      int[] idx = row.index();
      double[] a = row.coef();
      for (int t = 0; t < idx.length; t++) {
        double p = y * a[t];
        reduced[idx[t]] -= p;
        magnitude[idx[t]] += Math.abs(p);
        terms[idx[t]]++;
      }
    }
    // min over the box of each reduced-cost term, each coefficient known to within e_j
    double sum = constant;
    double sumMagnitude = constantMagnitude;
    double widening = Rounding.dotError(constantTerms, constantMagnitude);
    for (int j = 0; j < n; j++) {
      double lo = program.variableLower(j);
      double hi = program.variableUpper(j);
      double rj = reduced[j];
      double v = Math.min(rj * lo, rj * hi);
      sum += v;
      sumMagnitude += Math.abs(v);
      double e = Rounding.dotError(terms[j], magnitude[j]);
      double m = Math.max(Math.abs(lo), Math.abs(hi));
      widening = Math.nextUp(widening + Math.nextUp(e * m));
    }
    // the products r_j * bound and the running sum: one more dot-product error term
    widening = Math.nextUp(widening + Rounding.dotError(n + constantTerms, sumMagnitude));
    double bound = Math.nextDown(sum - widening);
    return Double.isNaN(bound) ? Double.NEGATIVE_INFINITY : bound;
  }

  /** The multiplier if its sign is usable for this row, else 0. */
  private static double usable(double y, LinearProgram.Row row) {
    if (!(y > 0 || y < 0)) {
      return 0; // zero or NaN
    }
    if (y > 0 && row.lower() == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (y < 0 && row.upper() == Double.POSITIVE_INFINITY) {
      return 0;
    }
    return Double.isFinite(y) ? y : 0;
  }
}
