package dev.robustspec.cli;

import dev.robustspec.engine.verify.VerificationResult;
import java.io.Serializable;

/**
 * What a {@link WorkItem} produced, in the form the local runner writes it: {@code row} is the
 * results table's row (CSV fields), {@code verdict} its verdict word, {@code message} an
 * error's text (else null). {@code counterexample} and {@code predicted} are set when an item
 * was falsified (the point in network input space and the class it gets), with
 * {@code counterexampleRadius} the radius it was found at; {@code json} is the item's JSON
 * object where the command prints JSON (batch), and {@code summary} its one-line report.
 * {@code verification} is the engine's whole result where the command prints more than the row
 * ({@code verify}: counterexamples, case margins; without the layer bounds), else null.
 */
public record WorkResult(String key, String[] row, String verdict, String message,
    double[] counterexample, int predicted, double counterexampleRadius, String json,
    String summary, double seconds, VerificationResult verification) implements Serializable {

  /** A result without the engine's whole result. */
  public WorkResult(String key, String[] row, String verdict, String message,
      double[] counterexample, int predicted, double counterexampleRadius, String json,
      String summary, double seconds) {
    this(key, row, verdict, message, counterexample, predicted, counterexampleRadius, json,
        summary, seconds, null);
  }

  /** A result with a row and nothing else. */
  static WorkResult of(String key, String[] row, String verdict, String message,
      double seconds) {
    return new WorkResult(key, row, verdict, message, null, -1, Double.NaN, null, null, seconds);
  }
}
