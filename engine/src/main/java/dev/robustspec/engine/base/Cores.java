package dev.robustspec.engine.base;

import java.util.function.Supplier;

/**
 * The cores one run may use: every search that starts worker threads asks here, not the JVM.
 * Alone in a JVM a run has all of its cores; a host that runs several items side by side in one
 * JVM (a Spark executor runs one task per core it was given) limits each item to its share, so
 * that two items on two cores do not each start two workers and slow each other down. The limit
 * is inherited by the threads a run starts (an {@link InheritableThreadLocal}), so a limit set
 * around a run holds for the engine's own threads too.
 */
public final class Cores {
  private static final InheritableThreadLocal<Integer> LIMIT = new InheritableThreadLocal<>();

  private Cores() {}

  /** The cores this thread's run may use: the JVM's, or fewer inside {@link #limitedTo}. */
  public static int available() {
    int jvm = Runtime.getRuntime().availableProcessors();
    Integer limit = LIMIT.get();
    return limit == null ? jvm : Math.max(1, Math.min(limit, jvm));
  }

  /** Runs {@code work} with {@link #available()} at most {@code cores} (at least 1). */
  public static <T> T limitedTo(int cores, Supplier<T> work) {
    Integer before = LIMIT.get();
    LIMIT.set(Math.max(1, cores));
    try {
      return work.get();
    } finally {
      if (before == null) {
        LIMIT.remove();
      } else {
        LIMIT.set(before);
      }
    }
  }
}
