package dev.robustspec.engine.verify;

import dev.robustspec.engine.search.CounterexampleCheck;

/** How a verification ended (serialisable: a cluster's executor sends it to the driver). */
public sealed interface Verdict extends java.io.Serializable {

  /** The word scripts read: {@code holds}, {@code violated}, {@code unknown}, {@code timeout}. */
  String word();

  /** Every unsafe case was proven empty; {@code decidedBy} names the pass that closed the last. */
  record Certified(String decidedBy, double margin) implements Verdict {
    @Override
    public String word() {
      return "holds";
    }
  }

  /**
   * A confirmed counterexample: {@code input} lies in case {@code caseIndex}'s region and the
   * real-valued network's output on it meets every constraint of that case, strict ones strictly
   * ({@link CounterexampleCheck}); {@code output} is the double-precision output printed, and
   * {@code check} says how the real comparison was decided and what float32 gives.
   */
  record Falsified(double[] input, double[] output, int caseIndex, String decidedBy,
      CounterexampleCheck.Confirmation check) implements Verdict {
    @Override
    public String word() {
      return "violated";
    }
  }

  /** Every method within budget ran without deciding; {@code bestMargin} is the weakest open
   *  case's best proven margin (negative), {@code reason} says what was tried. */
  record Unknown(double bestMargin, String reason) implements Verdict {
    @Override
    public String word() {
      return "unknown";
    }
  }

  /** The wall-clock budget ran out first. */
  record Timeout(double bestMargin) implements Verdict {
    @Override
    public String word() {
      return "timeout";
    }
  }
}
