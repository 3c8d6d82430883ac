package dev.robustspec.engine.search;

/**
 * Picking the rows of some constraints out of a part's per-row arrays (β-CROWN's slopes,
 * multipliers), for {@link ReluSubproblem}'s children that bound only the constraints of the
 * cases still open.
 */
final class RowBlocks {
  private RowBlocks() {}

  /** Per layer, the slope blocks of rows {@code open} out of {@code rows} (null stays null). */
  static double[][] slopes(double[][] slopes, int rows, int[] open) {
    if (slopes == null) {
      return null;
    }
    double[][] out = new double[slopes.length][];
    for (int k = 0; k < slopes.length; k++) {
      int n = slopes[k].length / rows;
      out[k] = new double[open.length * n];
      for (int t = 0; t < open.length; t++) {
        System.arraycopy(slopes[k], open[t] * n, out[k], t * n, n);
      }
    }
    return out;
  }

  /** Rows {@code open} of {@code a} (the same arrays; null stays null). */
  static double[][] rows(double[][] a, int[] open) {
    if (a == null) {
      return null;
    }
    double[][] out = new double[open.length][];
    for (int t = 0; t < open.length; t++) {
      out[t] = a[open[t]];
    }
    return out;
  }

  /** A copy of every row. */
  static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
