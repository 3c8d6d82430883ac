package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certify --spark local[2]}: 20 ACAS Xu points at two radii (40 items, one Spark task
 * each) give the local runner's rows, row by row; a task failing once is retried and gives the
 * same row; an item that keeps failing ends as error and the rest go on; Parquet with resume.
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
    String[] base = {"certify", network.toString(), "--data", data.toString(), "--eps",
        "0.02,0.08", "--seed", "1", "--timeout", "30", "--out", out.toString()};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @BeforeAll
  static void localRun() throws Exception {
    net = SparkRuns.network(dir);
    data = SparkRuns.dataSet(dir, 20);
    Path out = dir.resolve("local.csv");
    SparkRuns.Run run = SparkRuns.cli(certify(out));
    assertEquals(0, run.exit(), run.err());
    local = SparkRuns.rowsByKey(out);
    assertEquals(40, local.size());
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
      run = SparkRuns.cli(certify(out, "--spark", "local[2]"));
    } finally {
      System.clearProperty("spark.robustspec.test.failAttempts");
    }
    assertEquals(CertifyCommand.ITEM_ERRORS, run.exit(), run.err());
    Map<String, List<String>> rows = SparkRuns.rowsByKey(out);
    assertEquals(40, rows.size());
    assertTrue(run.err().contains("item 3,0.02: attempt 1 failed"), run.err());
    assertEquals(List.of("5", local.get("5,0.08").get(1), "0.08", "error", "", ""),
        rows.get("5,0.08"));
    assertTrue(run.err().contains("item 5 eps 0.08: failed 4 times; last: "
        + "java.lang.IllegalStateException: test hook: attempt 3 of item 5,0.08"), run.err());
    for (Map.Entry<String, List<String>> e : local.entrySet()) {
      if (!e.getKey().equals("5,0.08")) {
        assertEquals(e.getValue(), rows.get(e.getKey()), e.getKey());
      }
    }
  }

  @Test
  void parquetTableResumesWithEveryRowOnce() throws Exception {
    Path out = dir.resolve("r.parquet");
    SparkRuns.Run first = SparkRuns.cli("certify", net.toString(), "--data", data.toString(),
        "--eps", "0.02,0.08", "--seed", "1", "--timeout", "30", "--out", out.toString(),
        "--rows", "0..9", "--spark", "local[2]");
    assertEquals(0, first.exit(), first.err());
    assertTrue(Files.isDirectory(out));
    SparkRuns.Run resumed = SparkRuns.cli(certify(out, "--spark", "local[2]", "--resume"));
    assertEquals(0, resumed.exit(), resumed.err());
    assertTrue(resumed.err().contains("[20/20] items done"), resumed.err());
    // read back as CSV through the same back end's reader
    try (WorkBackend.Session s = WorkBackend.find().open("local[1]", false,
        new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
      List<String[]> rows = s.readTable(out, CertifyRun.EPS_HEADER);
      Path csv = dir.resolve("from-parquet.csv");
      StringBuilder sb = new StringBuilder(CertifyRun.EPS_HEADER + "\n");
      rows.forEach(r -> sb.append(String.join(",", r)).append('\n'));
      Files.writeString(csv, sb.toString());
      assertEquals(local, SparkRuns.rowsByKey(csv));
    }
  }

  @Test
  void parquetWithoutSparkIsAClearError() {
    SparkRuns.Run run = SparkRuns.cli(certify(dir.resolve("x.parquet")));
    assertEquals(ExitCodes.INPUT_ERROR, run.exit());
    assertTrue(run.err().contains("Parquet tables are written by the Spark back end"),
        run.err());
  }
}
