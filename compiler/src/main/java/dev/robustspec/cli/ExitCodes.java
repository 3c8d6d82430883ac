package dev.robustspec.cli;

/** Exit codes scripts can rely on. */
final class ExitCodes {
  /** A verdict was reached (instance, bounds, batch). */
  static final int OK = 0;
  /** Bad input: unreadable or malformed files, a usage error. */
  static final int INPUT_ERROR = 2;

  private ExitCodes() {}
}
