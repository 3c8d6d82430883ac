package dev.robustspec.engine.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoresTest {
  private static final int JVM = Runtime.getRuntime().availableProcessors();

  @Test
  void withoutALimitARunHasTheJvmsCores() {
    assertEquals(JVM, Cores.available());
  }

  @Test
  void aLimitHoldsInsideTheRunAndInTheThreadsItStartsAndEndsWithIt() throws Exception {
    AtomicInteger inChild = new AtomicInteger(-1);
    int inside = Cores.limitedTo(1, () -> {
      Thread t = new Thread(() -> inChild.set(Cores.available()));
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return Cores.available();
    });
    assertEquals(1, inside);
    assertEquals(1, inChild.get(), "a worker started inside the run inherits the limit");
    assertEquals(JVM, Cores.available(), "the limit ends with the run");
  }

  @Test
  void aLimitNeverExceedsTheJvmNorFallsBelowOneAndNestedLimitsRestore() {
    assertEquals(JVM, Cores.limitedTo(JVM + 7, Cores::available));
    assertEquals(1, Cores.limitedTo(0, Cores::available));
    int[] seen = new int[2];
    Cores.limitedTo(1, () -> {
      seen[0] = Cores.limitedTo(JVM, Cores::available);
      seen[1] = Cores.available();
      return null;
    });
    assertEquals(JVM, seen[0]);
    assertEquals(1, seen[1], "the outer limit is back after the inner run");
  }
}
