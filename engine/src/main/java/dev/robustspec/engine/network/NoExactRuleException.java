package dev.robustspec.engine.network;

/**
 * A layer whose real-valued function cannot be evaluated exactly (sigmoid, tanh:
 * transcendental). Callers of {@link ExactEvaluation} treat it as "not decidable exactly": a
 * counterexample whose rigorous enclosure straddles its bound is then rejected, never reported
 * unconfirmed.
 */
public final class NoExactRuleException extends UnsupportedOperationException {
  private static final long serialVersionUID = 1L;

  public NoExactRuleException(String message) {
    super(message);
  }
}
