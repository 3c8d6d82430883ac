package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The progress model of one run: begin at once, the latest state in the end report, nothing
 * after the end, and a burst of events (branch and bound reports every box) never reported
 * more often than once per interval: the number of reports is bounded by the events' span.
 */
class ProgressThrottleTest {

  @Test
  void beginThenLatestStateAtEndAndNothingAfter() throws Exception {
    List<PropertyProgress> out = new CopyOnWriteArrayList<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ProgressThrottle t = new ProgressThrottle("p", out::add, scheduler);
      assertEquals(PropertyProgress.Stage.BEGIN, out.get(0).stage());
      assertEquals("p", out.get(0).property());
      t.passStarted("interval");
      t.passStarted("bab");
      t.boxes(3, 7);
      t.bestMargin(-0.25);
      t.end();
      PropertyProgress last = out.get(out.size() - 1);
      assertEquals(PropertyProgress.Stage.END, last.stage());
      assertEquals("bab", last.pass());
      assertEquals(3, last.openBoxes());
      assertEquals(7, last.closedBoxes());
      assertEquals(-0.25, last.bestMargin());
      assertEquals("bab · 3 boxes open, 7 closed · margin -0.2500", last.message().substring(0,
          last.message().lastIndexOf(" · ")));
      int before = out.size();
      t.boxes(4, 9);
      t.passStarted("relubab");
      t.end();
      scheduler.shutdown();
      scheduler.awaitTermination(10, TimeUnit.SECONDS); // a pending flush has run
      assertEquals(before, out.size());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aBurstOfEventsIsReportedAtMostOncePerInterval() throws Exception {
    List<PropertyProgress> out = new CopyOnWriteArrayList<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ProgressThrottle t = new ProgressThrottle("p", out::add, scheduler);
      long t0 = System.nanoTime();
      for (int k = 0; k < 100_000; k++) {
        t.boxes(k, k);
      }
      long span = System.nanoTime() - t0;
      t.end();
      long reports = out.stream().filter(p -> p.stage() == PropertyProgress.Stage.REPORT)
          .count();
      // one report per started interval of the burst at most (the flush of the last one may
      // have been overtaken by the end)
      long bound = span / ProgressThrottle.INTERVAL_NANOS + 1;
      assertTrue(reports <= bound, reports + " reports over " + span + " ns");
      assertEquals(99_999, out.get(out.size() - 1).closedBoxes());
    } finally {
      scheduler.shutdownNow();
    }
  }
}
