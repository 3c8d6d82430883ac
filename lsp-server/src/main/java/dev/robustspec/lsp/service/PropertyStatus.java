package dev.robustspec.lsp.service;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.engine.verify.VerificationResult;

/**
 * Where one property's verification stands. {@code pass}, {@code margin} and {@code millis} are
 * null until there is a result (and {@code margin} for a falsified property); {@code result} is
 * the engine's full result once finished, {@code error} the message of a crashed run.
 */
public record PropertyStatus(String name, State state, String pass, Double margin, Long millis,
    SourceRange nameRange, VerificationResult result, String error) {

  /** The states a property goes through; {@link #word()} is what the protocol sends. */
  public enum State {
    PENDING, RUNNING, CERTIFIED, FALSIFIED, UNKNOWN, TIMEOUT, ERROR;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean finished() {
      return this != PENDING && this != RUNNING;
    }
  }
}
