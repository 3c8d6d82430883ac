package dev.robustspec.engine.base;

/**
 * What a verification reports while it runs, for progress lines (CLI) and status displays (the
 * language server). Called from engine threads, possibly several at once (branch and bound
 * works on several threads): implementations must be thread-safe and cheap, since
 * {@link #boxes} comes once per box. Every method does nothing unless overridden.
 */
public interface ProgressListener {
  /** Listens to nothing. */
  ProgressListener NONE = new ProgressListener() {};

  /** A plan step ({@code attack}, {@code deeppoly}, {@code bab}, ...) starts. */
  default void passStarted(String pass) {}

  /** That step ended (decided, exhausted or out of its time cap) after {@code seconds}. */
  default void passFinished(String pass, double seconds) {}

  /** Branch and bound on one case: boxes waiting or being bounded, and boxes done. */
  default void boxes(long open, long closed) {}

  /** The smallest proven margin among the cases still open after a step (-inf: none yet). */
  default void bestMargin(double margin) {}
}
