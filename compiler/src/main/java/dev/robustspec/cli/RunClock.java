package dev.robustspec.cli;

import java.util.Locale;

/** The head of a long run's progress line: items done of total, elapsed, estimated time left. */
final class RunClock {
  private RunClock() {}

  /**
   * {@code [12/300] 0:41 elapsed, ~9:20 left}: {@code done} counts resumed rows too, the estimate
   * uses only the {@code ranHere} items run since {@code startNanos} (resumed rows took no time).
   */
  static String status(int done, int total, int ranHere, long startNanos) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    String left = ranHere == 0 ? "?" : clock(elapsed / ranHere * (total - done));
    return String.format(Locale.ROOT, "[%d/%d] %s elapsed, ~%s left", done, total,
        clock(elapsed), left);
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
