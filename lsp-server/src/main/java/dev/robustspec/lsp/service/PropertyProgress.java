package dev.robustspec.lsp.service;

import java.util.Locale;

/**
 * How far the verification of one property has come, as the editor shows it while it runs:
 * plain data built from the engine runner's progress events ({@link ProgressThrottle}).
 * {@code BEGIN} comes once when the run starts, {@code REPORT} at most a few times a second,
 * {@code END} once when it ends (decided, out of time, cancelled or failed).
 *
 * @param pass the plan step running (or last run), null before the first
 * @param openBoxes branch and bound's boxes waiting or being bounded (0 outside bab/relubab)
 * @param closedBoxes boxes done
 * @param bestMargin the smallest proven margin among the open cases so far; NaN: none yet
 * @param millis time since the run started
 */
public record PropertyProgress(String property, Stage stage, String pass, long openBoxes,
    long closedBoxes, double bestMargin, long millis) {

  public enum Stage { BEGIN, REPORT, END }

  /** E.g. {@code bab · 12 boxes open, 340 closed · margin -0.0123 · 4.2 s}. */
  public String message() {
    StringBuilder sb = new StringBuilder(pass == null ? "starting" : pass);
    if (openBoxes > 0 || closedBoxes > 0) {
      sb.append(" · ").append(openBoxes).append(" boxes open, ").append(closedBoxes)
          .append(" closed");
    }
    if (!Double.isNaN(bestMargin) && bestMargin != Double.NEGATIVE_INFINITY) {
      sb.append(" · margin ").append(String.format(Locale.ROOT, "%.4g", bestMargin));
    }
    sb.append(" · ").append(String.format(Locale.ROOT, "%.1f s", millis / 1000.0));
    return sb.toString();
  }
}
