package dev.robustspec.compiler.syntax;

/** Durations as the language writes them: {@code 20s}, {@code 500ms}, {@code 2min}. */
public final class Durations {
  private Durations() {}

  /** {@code text} (a number and one of the units {@code s}, {@code ms}, {@code min}) in seconds. */
  public static double seconds(String text) {
    if (text.endsWith("ms")) {
      return Double.parseDouble(text.substring(0, text.length() - 2)) / 1000;
    }
    if (text.endsWith("min")) {
      return Double.parseDouble(text.substring(0, text.length() - 3)) * 60;
    }
    return Double.parseDouble(text.substring(0, text.length() - 1));
  }
}
