package dev.robustspec.cli;

/**
 * The {@code --timeout SECONDS} option's rules, shared by the commands: a positive number, and
 * anything above {@link #MAX_SECONDS} (including {@code Infinity} and {@code 1e308}) means "no
 * practical limit" and is cut to it, so that deadline arithmetic in milliseconds or nanoseconds
 * cannot overflow (issue 12: {@code --timeout 1e308} reported "timeout after 0.16 s").
 */
final class TimeoutOption {
  /** About 115 days: longer than any run, small enough for {@code now + nanos} in a long. */
  static final double MAX_SECONDS = 1e7;

  private TimeoutOption() {}

  /** Null when {@code seconds} is usable, else what is wrong with it. */
  static String problem(double seconds) {
    if (Double.isNaN(seconds) || !(seconds > 0)) {
      return "--timeout must be positive, got " + seconds;
    }
    return null;
  }

  /** A valid timeout with huge values cut to {@link #MAX_SECONDS}. */
  static double saturated(double seconds) {
    return Math.min(seconds, MAX_SECONDS);
  }
}
