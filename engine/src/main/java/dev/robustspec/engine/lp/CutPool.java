package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.LinearProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid rows kept aside and added to a program only when its solution violates them (cutting
 * planes): the exact hulls of many groups have tens of thousands of facets in all, far more than
 * an LP needs at its optimum. The bound is that of the program with every row once no row of the
 * pool is violated; stopping earlier only leaves it looser, never unsound, since every row is
 * valid.
 */
final class CutPool {
  private final List<int[]> index = new ArrayList<>();
  private final List<double[]> coef = new ArrayList<>();
  private final List<Double> upper = new ArrayList<>();
  private final List<Boolean> added = new ArrayList<>();
  private int used;

  /** A row {@code coef . z <= upper} over the program's variables. */
  void add(int[] idx, double[] c, double up) {
    index.add(idx);
    coef.add(c);
    upper.add(up);
    added.add(false);
  }

  int size() {
    return index.size();
  }

  /** Rows added to the program so far. */
  int used() {
    return used;
  }

  /**
   * Adds to {@code program} the (at most {@code max}) rows most violated by {@code z}, beyond a
   * small tolerance; returns how many.
   */
  int separate(LinearProgram program, double[] z, int max) {
    List<Integer> violated = new ArrayList<>();
    List<Double> amount = new ArrayList<>(); // by row index
    for (int r = 0; r < index.size(); r++) {
      double v = Double.NEGATIVE_INFINITY;
      if (!added.get(r)) {
        int[] idx = index.get(r);
        double[] a = coef.get(r);
        v = -upper.get(r);
        double scale = Math.abs(upper.get(r));
        for (int t = 0; t < idx.length; t++) {
          v += a[t] * z[idx[t]];
          scale += Math.abs(a[t] * z[idx[t]]);
        }
        if (v > 1e-7 * (1 + scale)) {
          violated.add(r);
        }
      }
      amount.add(v);
    }
    violated.sort((x, y) -> Double.compare(amount.get(y), amount.get(x)));
    int n = Math.min(max, violated.size());
    for (int t = 0; t < n; t++) {
      int r = violated.get(t);
      program.addRow(index.get(r), coef.get(r), Double.NEGATIVE_INFINITY, upper.get(r));
      added.set(r, true);
    }
    used += n;
    return n;
  }
}
