package dev.robustspec.engine.search;

import dev.robustspec.engine.search.BoxStack.Node;

/**
 * How {@link BranchAndBound} splits a box: which input dimension (ReluVal's smear with a
 * completeness guard), where (a midpoint whose halves cover the box exactly), and the box's
 * centre (its first counterexample candidate).
 */
final class BoxSplit {

  private BoxSplit() {}

  /** Largest ratio of relative widths the smear heuristic may leave (see {@link #dimension}). */
  private static final double GUARD = 64;

  /**
   * The dimension maximising {@code coef_i * width_i} among those whose midpoint lies strictly
   * inside the box, unless it is over 64 times narrower (relative to the region) than the
   * relatively widest, which is then chosen; the relatively widest too when every product is 0
   * (the bounds ignore the input); -1 when no dimension can be split.
   */
  static int dimension(Node node, double[] coef, double[] originalWidth) {
    int bestSmear = -1;
    double smear = 0;
    int bestRelative = -1;
    double relative = -1;
    for (int i = 0; i < coef.length; i++) {
      double lo = node.lower()[i];
      double hi = node.upper()[i];
      double mid = midpoint(lo, hi);
      if (!(lo < mid && mid < hi)) {
        continue; // a point or two adjacent doubles: nothing to split
      }
      double width = hi - lo;
      double s = Math.abs(coef[i]) * width;
      if (s > smear) {
        smear = s;
        bestSmear = i;
      }
      double r = originalWidth[i] > 0 ? width / originalWidth[i] : Double.POSITIVE_INFINITY;
      if (r > relative) {
        relative = r;
        bestRelative = i;
      }
    }
    if (bestSmear >= 0 && bestRelative >= 0) {
      // completeness guard: never let one dimension stay far wider than the one being split
      double r = (node.upper()[bestSmear] - node.lower()[bestSmear]) / originalWidth[bestSmear];
      if (r * GUARD < relative) {
        return bestRelative;
      }
    }
    return bestSmear >= 0 ? bestSmear : bestRelative;
  }

  /** Per input, the sum over the constraints of |input coefficient| of their linear bounds. */
  static double[] sensitivity(double[][] coefficients) {
    double[] s = new double[coefficients[0].length];
    for (double[] row : coefficients) {
      for (int i = 0; i < s.length; i++) {
        s[i] += Math.abs(row[i]);
      }
    }
    return s;
  }

  /** A double in [lo, hi] near the middle (lo < result < hi whenever a double lies between). */
  static double midpoint(double lo, double hi) {
    double w = hi - lo;
    return Double.isFinite(w) ? lo + w / 2 : lo / 2 + hi / 2;
  }

  static double[] centre(double[] lower, double[] upper) {
    double[] c = new double[lower.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.min(upper[i], Math.max(lower[i], midpoint(lower[i], upper[i])));
    }
    return c;
  }
}
