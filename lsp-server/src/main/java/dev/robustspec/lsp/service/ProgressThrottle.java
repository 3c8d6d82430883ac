package dev.robustspec.lsp.service;

import dev.robustspec.engine.base.ProgressListener;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns the engine runner's progress events of one property's verification into
 * {@link PropertyProgress} reports, at most one per {@link #INTERVAL_NANOS} (4 a second): an
 * event inside the interval only updates the state, and a flush at the interval's end reports
 * it, so the editor sees the latest state within a quarter second without being flooded (branch
 * and bound reports every box). Events come from engine threads, several at once; the methods
 * are synchronized and cheap. After {@link #end} nothing more is reported.
 */
final class ProgressThrottle implements ProgressListener {
  /** Least time between two reports of one property. */
  static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final String property;
  private final Consumer<PropertyProgress> sink;
  private final ScheduledExecutorService scheduler;
  private final long start = System.nanoTime();
  private long lastReport = start;
  private boolean flushScheduled;
  private boolean ended;
  private String pass;
  private long open;
  private long closed;
  private double margin = Double.NaN;

  /** Reports {@code BEGIN} at once; {@code sink} must not block (it queues a publication). */
  ProgressThrottle(String property, Consumer<PropertyProgress> sink,
      ScheduledExecutorService scheduler) {
    this.property = property;
    this.sink = sink;
    this.scheduler = scheduler;
    sink.accept(snapshot(PropertyProgress.Stage.BEGIN));
  }

  @Override
  public synchronized void passStarted(String pass) {
    this.pass = pass;
    open = 0;
    closed = 0;
    changed();
  }

  @Override
  public synchronized void boxes(long open, long closed) {
    this.open = open;
    this.closed = closed;
    changed();
  }

  @Override
  public synchronized void bestMargin(double margin) {
    this.margin = margin;
    changed();
  }

  /** The final report; nothing follows it. */
  synchronized void end() {
    if (!ended) {
      ended = true;
      sink.accept(snapshot(PropertyProgress.Stage.END));
    }
  }

  private void changed() {
    if (ended || flushScheduled) {
      return; // the pending flush reports the latest state
    }
    long now = System.nanoTime();
    if (now - lastReport >= INTERVAL_NANOS) {
      report(now);
    } else if (!flushScheduled) {
      flushScheduled = true;
      scheduler.schedule(this::flush, lastReport + INTERVAL_NANOS - now, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void flush() {
    flushScheduled = false; // scheduled at the interval's end: reporting now keeps the rate
    if (!ended) {
      report(System.nanoTime());
    }
  }

  private void report(long now) {
    lastReport = now;
    sink.accept(snapshot(PropertyProgress.Stage.REPORT));
  }

  private PropertyProgress snapshot(PropertyProgress.Stage stage) {
    return new PropertyProgress(property, stage, pass, open, closed, margin,
        (System.nanoTime() - start) / 1_000_000);
  }
}
