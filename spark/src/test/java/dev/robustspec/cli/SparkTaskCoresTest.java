package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.base.Cores;
import dev.robustspec.spark.SparkWorkBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A Spark task's item runs with the task's cores ({@code spark.task.cpus}, 1 here), not every
 * core of the executor's JVM, and so do the threads the item starts (branch and bound's
 * workers): on {@code local[2]} two items run at once, each with one core.
 */
class SparkTaskCoresTest {

  /** Reports the cores its run and a thread it starts may use. */
  record CoresItem(int index) implements WorkItem {
    @Override
    public String key() {
      return Integer.toString(index);
    }

    @Override
    public WorkResult run(NetworkSource networks) {
      AtomicInteger inWorker = new AtomicInteger(-1);
      Thread worker = new Thread(() -> inWorker.set(Cores.available()));
      worker.start();
      try {
        worker.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return WorkResult.of(key(), new String[] {key(), Integer.toString(Cores.available()),
          Integer.toString(inWorker.get())}, "done", null, 0);
    }

    @Override
    public WorkResult failed(String message, double seconds) {
      return WorkResult.of(key(), new String[] {key(), "error", message}, "error", message,
          seconds);
    }
  }

  @Test
  void eachTaskRunsWithOneCoreAndItsThreadsInheritIt() {
    List<CoresItem> items = IntStream.range(0, 6).mapToObj(CoresItem::new).toList();
    List<String> rows = new ArrayList<>();
    try (WorkBackend.Session s = new SparkWorkBackend().open("local[2]", false,
        new PrintWriter(new StringWriter()))) {
      s.run("cores", items, r -> rows.add(String.join(",", r.row())));
    }
    assertEquals(6, rows.size(), rows.toString());
    for (String row : rows) {
      assertEquals("1,1", row.substring(row.indexOf(',') + 1), row);
    }
    // the driver's own thread keeps every core of its JVM
    assertEquals(Runtime.getRuntime().availableProcessors(), Cores.available());
  }
}
