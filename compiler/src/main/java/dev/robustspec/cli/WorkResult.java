package dev.robustspec.cli;

import java.io.Serializable;

/**
 * What a {@link WorkItem} produced, in the form the local runner writes it: {@code row} is the
 * results table's row (CSV fields), {@code verdict} its verdict word, {@code message} an
 * error's text (else null). {@code counterexample} and {@code predicted} are set when an item
 * was falsified (the point in network input space and the class it gets), with
 * {@code counterexampleRadius} the radius it was found at; {@code json} is the item's JSON
 * object where the command prints JSON (batch), and {@code summary} its one-line report.
 */
public record WorkResult(String key, String[] row, String verdict, String message,
    double[] counterexample, int predicted, double counterexampleRadius, String json,
    String summary, double seconds) implements Serializable {

  /** A result with a row and nothing else. */
  static WorkResult of(String key, String[] row, String verdict, String message,
      double seconds) {
    return new WorkResult(key, row, verdict, message, null, -1, Double.NaN, null, null, seconds);
  }
}
