package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certify --spark local[2]}: 20 ACAS Xu points at two radii (40 items, one Spark task
 * each) give the local runner's rows, row by row; a task failing once is retried and gives the
 * same row; an item that keeps failing ends as error and the rest go on; a driver killed
 * mid-run (SIGTERM) keeps every finished row, and resuming it writes each item once, in the CSV
 * and in the Parquet table.
 */
class SparkLocalCertifyTest {
  @TempDir static Path dir;
  static Path net;
  static Path data;
  static Map<String, List<String>> local;

  static String[] certify(Path out, String... more) {
    return certify(net, out, more);
  }

  static String[] certify(Path network, Path out, String... more) {
    return SparkRuns.certify(network, data, out, more);
  }

  @BeforeAll
  static void localRun() throws Exception {
    net = SparkRuns.network(dir);
    data = SparkRuns.dataSet(dir, 20);
    local = SparkRuns.localCertifyRows(dir);
    Set<String> verdicts = new HashSet<>();
    local.values().forEach(r -> verdicts.add(r.get(3)));
    // the suite has both definite verdicts (and misclassified centres among the falsified)
    assertTrue(verdicts.containsAll(Set.of("certified", "falsified")), verdicts.toString());
  }

  @Test
  void local2GivesTheLocalRunnersRowsRowByRow() throws Exception {
    Path out = dir.resolve("spark.csv");
    // a copy no other test of this JVM has read: the count below is this run's alone
    Path fresh = SparkRuns.network(Files.createDirectories(dir.resolve("fresh")));
    int readsBefore = dev.robustspec.spark.ExecutorNetworks.readsSoFar();
    SparkRuns.Run run = SparkRuns.cli(certify(fresh, out, "--spark", "local[2]"));
    assertEquals(0, run.exit(), run.err());
    assertEquals(local, SparkRuns.rowsByKey(out));
    assertTrue(run.err().contains("[40/40] items done"), run.err());
    // the network was read once in this JVM (local mode: the executor is the driver's JVM),
    // not once per item
    assertEquals(1, dev.robustspec.spark.ExecutorNetworks.readsSoFar() - readsBefore);
    assertTrue(run.out().contains("eps 0.02: certified accuracy"), run.out());
  }

  @Test
  void aTaskFailingOnceIsRetriedAndAnItemFailingAlwaysEndsAsError() throws Exception {
    Path out = dir.resolve("faults.csv");
    System.setProperty("spark.robustspec.test.failAttempts", "3,0.02@1;5,0.08@99");
    SparkRuns.Run run;
    try {
      // 12 items are enough here: the 40-item comparison is the test above
      run = SparkRuns.cli(certify(out, "--spark", "local[2]", "--rows", "0..5"));
    } finally {
      System.clearProperty("spark.robustspec.test.failAttempts");
    }
    assertEquals(CertifyCommand.ITEM_ERRORS, run.exit(), run.err());
    Map<String, List<String>> rows = SparkRuns.rowsByKey(out);
    assertEquals(12, rows.size());
    assertTrue(run.err().contains("item 3,0.02: attempt 1 failed"), run.err());
    assertEquals(List.of("5", local.get("5,0.08").get(1), "0.08", "error", "", ""),
        rows.get("5,0.08"));
    assertTrue(run.err().contains("item 5 eps 0.08: failed 4 times; last: "
        + "java.lang.IllegalStateException: test hook: attempt 3 of item 5,0.08"), run.err());
    for (Map.Entry<String, List<String>> e : rows.entrySet()) {
      if (!e.getKey().equals("5,0.08")) {
        assertEquals(local.get(e.getKey()), e.getValue(), e.getKey());
      }
    }
  }

  @Test
  void aDriverKilledMidRunLosesNoFinishedRowAndResumeHasEachItemOnceInCsvAndParquet()
      throws Exception {
    Path out = dir.resolve("r.parquet");
    Path csv = ParquetOutput.csv(out);
    Path log = dir.resolve("killed.log");
    // the driver as its own process (local[2]: its executor is the same JVM), SIGTERM once
    // its first row is in
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-Xss")) {
        command.add(a);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "dev.robustspec.cli.Main"));
    command.addAll(List.of(certify(out, "--spark", "local[2]", "--rows", "0..9")));
    Process driver = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      long end = System.nanoTime() + 600_000_000_000L;
      while (rows(csv) < 1 && driver.isAlive() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertTrue(driver.isAlive(), "the driver ended before its first row: "
          + Files.readString(log));
      driver.destroy(); // SIGTERM
      assertTrue(driver.waitFor(120, TimeUnit.SECONDS), "the driver did not stop");
    } finally {
      driver.destroyForcibly();
    }
    assertEquals(InterruptibleRun.EXIT_CODE, driver.exitValue(), Files.readString(log));
    int kept = rows(csv);
    assertTrue(kept >= 1 && kept < 20, kept + " rows kept");
    Map<String, List<String>> before = SparkRuns.rowsByKey(csv);
    for (Map.Entry<String, List<String>> e : before.entrySet()) {
      assertEquals(local.get(e.getKey()), e.getValue(), e.getKey());
    }

    SparkRuns.Run resumed = SparkRuns.cli(certify(out, "--spark", "local[2]", "--resume",
        "--rows", "0..9"));
    assertEquals(0, resumed.exit(), resumed.err());
    assertTrue(resumed.err().contains("[" + (20 - kept) + "/" + (20 - kept) + "] items done"),
        resumed.err());
    Map<String, List<String>> first10 = new java.util.TreeMap<>(local);
    first10.keySet().removeIf(k -> Integer.parseInt(k.substring(0, k.indexOf(','))) > 9);
    assertEquals(20, first10.size());
    assertEquals(first10, SparkRuns.rowsByKey(csv)); // each item once, the local verdicts
    assertTrue(Files.isDirectory(out));
    // the Parquet table, read back as CSV through the same back end's reader
    try (WorkBackend.Session s = WorkBackend.find().open("local[1]", false,
        new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
      List<String[]> rows = s.readTable(out, CertifyRun.EPS_HEADER);
      Path back = dir.resolve("from-parquet.csv");
      StringBuilder sb = new StringBuilder(CertifyRun.EPS_HEADER + "\n");
      rows.forEach(r -> sb.append(String.join(",", r)).append('\n'));
      Files.writeString(back, sb.toString());
      assertEquals(first10, SparkRuns.rowsByKey(back));
    }
  }

  private static int rows(Path csv) throws java.io.IOException {
    return Files.exists(csv) ? Math.max(0, Files.readAllLines(csv).size() - 1) : 0;
  }

  @Test
  void parquetWithoutSparkIsAClearError() {
    SparkRuns.Run run = SparkRuns.cli(certify(dir.resolve("x.parquet")));
    assertEquals(ExitCodes.INPUT_ERROR, run.exit());
    assertTrue(run.err().contains("Parquet tables are written by the Spark back end"),
        run.err());
  }
}
