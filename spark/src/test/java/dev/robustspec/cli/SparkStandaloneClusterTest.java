package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster on this machine: a Spark standalone master and two workers as separate JVMs on
 * 127.0.0.1. {@code certify --spark spark://127.0.0.1:PORT} gives the local runner's rows; with
 * one worker (and its executor) killed mid-job, Spark runs the lost tasks on the other, and the
 * output still has each item exactly once with the local run's verdicts.
 */
class SparkStandaloneClusterTest {
  @TempDir Path dir;

  @Test
  void twoWorkersGiveTheLocalRowsAndLosingOneMidJobLosesNoRowAndDuplicatesNone()
      throws Exception {
    Path net = SparkRuns.network(dir);
    Path data = SparkRuns.dataSet(dir, 20);
    Map<String, List<String>> expected = SparkRuns.localCertifyRows(dir);

    try (StandaloneCluster cluster = new StandaloneCluster(dir, 2)) {
      System.setProperty("spark.executor.extraClassPath", cluster.classFolders);
      System.setProperty("spark.driver.host", "127.0.0.1");
      System.setProperty("spark.driver.bindAddress", "127.0.0.1");
      System.setProperty("spark.executor.memory", "512m");
      System.setProperty("spark.cores.max", "2");
      try {
        Path whole = dir.resolve("cluster.csv");
        SparkRuns.Run run = SparkRuns.cli(SparkRuns.certify(net, data, whole, "--spark",
            cluster.url()));
        assertEquals(0, run.exit(), run.err());
        assertEquals(expected, SparkRuns.rowsByKey(whole));

        // again, killing worker 0 once a quarter of the rows are in
        Path cut = dir.resolve("cut.csv");
        AtomicInteger rowsAtKill = new AtomicInteger(-1);
        CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
          try {
            while (rows(cut) < 10) {
              Thread.sleep(50);
            }
            cluster.killWorker(0);
            rowsAtKill.set(rows(cut));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        SparkRuns.Run lost = SparkRuns.cli(SparkRuns.certify(net, data, cut, "--spark",
            cluster.url()));
        killer.get(10, TimeUnit.SECONDS);
        assertEquals(0, lost.exit(), lost.err());
        assertTrue(rowsAtKill.get() < 40, "the worker died before the job ended: "
            + rowsAtKill.get() + " rows then");
        assertTrue(!cluster.workerAlive(0));
        assertTrue(lost.err().contains("Spark runs it again"), lost.err());
        assertEquals(expected, SparkRuns.rowsByKey(cut)); // each key once, same verdicts
      } finally {
        for (String p : List.of("spark.executor.extraClassPath", "spark.driver.host",
            "spark.driver.bindAddress", "spark.executor.memory", "spark.cores.max")) {
          System.clearProperty(p);
        }
      }
    }
  }

  private static int rows(Path csv) throws java.io.IOException {
    return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
