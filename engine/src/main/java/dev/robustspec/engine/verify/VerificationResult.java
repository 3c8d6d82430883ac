package dev.robustspec.engine.verify;

import java.util.List;

/**
 * The outcome of verifying one specification: the verdict, the time taken, each unsafe case's
 * best proven margin (a case is proven empty when its margin is positive), and what each pass did.
 */
public record VerificationResult(Verdict verdict, double seconds, double[] caseMargins,
    List<PassRun> passRuns) {

  public VerificationResult {
    passRuns = List.copyOf(passRuns);
  }

  /** One pass run on one region: how long it took and how many cases it closed. */
  public record PassRun(String pass, int region, double seconds, int casesCertified) {}
}
