package dev.robustspec.engine.base;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A wall-clock deadline plus a cancellation flag, passed explicitly to every pass and search
 * loop, which call {@link #check()} often enough that a run stops soon after either trips.
 */
public final class Budget {
  private final long deadlineNanos;
  private final AtomicBoolean cancelled;

  private Budget(long deadlineNanos, AtomicBoolean cancelled) {
    this.deadlineNanos = deadlineNanos;
    this.cancelled = cancelled;
  }

  /** A budget that ends {@code timeout} from now. */
  public static Budget of(Duration timeout) {
    long now = System.nanoTime();
    long nanos = timeout.toNanos();
    return new Budget(nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos,
        new AtomicBoolean());
  }

  /** A budget with no deadline (tests, benchmarks). */
  public static Budget unlimited() {
    return new Budget(Long.MAX_VALUE, new AtomicBoolean());
  }

  /**
   * A budget that ends at the earlier of this one's deadline and {@code cap} from now, and is
   * cancelled with this one.
   */
  public Budget capped(Duration cap) {
    long now = System.nanoTime();
    long nanos = cap.toNanos();
    long deadline = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    if (deadlineNanos != Long.MAX_VALUE && deadlineNanos - deadline < 0) {
      deadline = deadlineNanos;
    }
    return new Budget(deadline, cancelled);
  }

  /**
   * A budget that ends once {@code fraction} of the time left now has passed, cancelled with
   * this one; this one itself when it has no deadline or {@code fraction >= 1}.
   */
  public Budget share(double fraction) {
    double left = secondsLeft();
    if (fraction >= 1 || left == Double.POSITIVE_INFINITY) {
      return this;
    }
    return capped(Duration.ofNanos((long) (left * fraction * 1e9)));
  }

  /** Requests that work under this budget stop at its next check. */
  public void cancel() {
    cancelled.set(true);
  }

  public boolean isExhausted() {
    if (cancelled.get()) {
      return true;
    }
    return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0;
  }

  /** Throws {@link BudgetExhaustedException} when the deadline has passed or the run was cancelled. */
  public void check() {
    if (isExhausted()) {
      throw new BudgetExhaustedException(cancelled.get() ? "cancelled" : "timeout");
    }
  }

  /** Seconds left, 0 when exhausted. */
  public double secondsLeft() {
    if (deadlineNanos == Long.MAX_VALUE) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(0, (deadlineNanos - System.nanoTime()) / 1e9);
  }
}
