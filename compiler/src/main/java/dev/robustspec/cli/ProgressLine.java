package dev.robustspec.cli;

import dev.robustspec.engine.base.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live progress line on stderr of {@code batch} and {@code verify}, drawn from the engine's
 * progress events: the current step, branch-and-bound boxes open and closed, and the best margin
 * so far. Drawn only on a terminal (a log or a pipe gets the per-instance lines alone), at most
 * every {@link #REDRAW_NANOS}, and always over the same line.
 */
final class ProgressLine implements ProgressListener {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int WIDTH = 100;

  private final PrintWriter err;
  private final boolean terminal;
  private String prefix = "";
  private String pass = "";
  private long open;
  private long closed;
  private double margin = Double.NEGATIVE_INFINITY;
  private long lastDraw;

  ProgressLine(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** A line for a terminal, when stderr is one. */
  static ProgressLine forConsole(PrintWriter err, boolean wanted) {
    return new ProgressLine(err, wanted && System.console() != null);
  }

  /** Starts a new item (an instance): what the line begins with. */
  synchronized void start(String what) {
    prefix = what;
    pass = "";
    open = 0;
    closed = 0;
    margin = Double.NEGATIVE_INFINITY;
    draw(true);
  }

  /** Wipes the line, so that a full line can be printed in its place. */
  synchronized void clear() {
    if (terminal) {
      err.print("\r" + " ".repeat(WIDTH) + "\r");
      err.flush();
    }
  }

  @Override
  public synchronized void passStarted(String name) {
    pass = name;
    open = 0;
    closed = 0;
    draw(true);
  }

  @Override
  public synchronized void boxes(long openBoxes, long closedBoxes) {
    open = openBoxes;
    closed = Math.max(closed, closedBoxes);
    draw(false);
  }

  @Override
  public synchronized void bestMargin(double m) {
    margin = m;
    draw(false);
  }

  private void draw(boolean now) {
    if (!terminal) {
      return;
    }
    long t = System.nanoTime();
    if (!now && t - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = t;
    StringBuilder line = new StringBuilder(prefix);
    if (!pass.isEmpty()) {
      line.append(line.length() > 0 ? ": " : "").append(pass);
    }
    if (closed > 0) {
      line.append(String.format(Locale.ROOT, ", boxes %d open %d closed", open, closed));
    }
    if (Double.isFinite(margin)) {
      line.append(String.format(Locale.ROOT, ", best margin %.4g", margin));
    }
    String text = line.length() > WIDTH ? line.substring(0, WIDTH) : line.toString();
    err.print("\r" + text + " ".repeat(WIDTH - text.length()));
    err.flush();
  }
}
