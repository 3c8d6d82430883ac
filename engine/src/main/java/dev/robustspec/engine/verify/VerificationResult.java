package dev.robustspec.engine.verify;

import java.util.List;

/**
 * The outcome of verifying one specification: the verdict, the time taken, each unsafe case's
 * best proven margin (a case is proven empty when its margin is positive), what each step did,
 * and the final bounds of every layer for each input region the passes ran on (for bound tables,
 * hovers and plots).
 */
public record VerificationResult(Verdict verdict, double seconds, double[] caseMargins,
    List<PassRun> passRuns, List<RegionBounds> bounds) implements java.io.Serializable {

  public VerificationResult {
    passRuns = List.copyOf(passRuns);
    bounds = List.copyOf(bounds);
  }

  /**
   * One step run on one region (-1 for searches over all cases): time, cases it closed, the
   * weakest margin among the cases it worked on once it was done ({@code NaN} for a search;
   * positive: all closed), and for branch and bound the boxes or subproblems it bounded (0
   * otherwise). For hovers that explain how a property was decided.
   */
  public record PassRun(String pass, int region, double seconds, int casesCertified,
      double weakestMargin, long boxes) implements java.io.Serializable {

    public PassRun(String pass, int region, double seconds, int casesCertified) {
      this(pass, region, seconds, casesCertified, Double.NaN, 0);
    }
  }

  /**
   * Bounds at every index of the network (0 = input, k + 1 = output of layer k) after the last
   * pass that ran on region {@code region}.
   */
  public record RegionBounds(int region, double[][] lower, double[][] upper)
      implements java.io.Serializable {}
}
