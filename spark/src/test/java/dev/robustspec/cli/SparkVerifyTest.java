package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.spark.ExecutorNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify FILE.rspec --spark local[2]}: a file with ordinary properties (certified and
 * falsified) and a data-set property over 12 ACAS Xu points, swept at two radii (30 items),
 * gives the local verify's rows row by row, the same exit code and the same printed table and
 * counterexamples (times aside), in the CSV of --out R.parquet and in the Parquet table, and
 * resumed runs nothing again; each executor compiles the file once per swept value.
 */
class SparkVerifyTest {
  @TempDir Path dir;

  private Path spec() throws Exception {
    Path net = SparkRuns.network(dir);
    Path points = SparkRuns.dataSet(dir, 12);
    Path f = dir.resolve("suite.rspec");
    Files.writeString(f, """
        network acas = onnx("%s")
        network tiny {
          input x[2]
          dense [[1, -1], [1, 1]] + [0, 0]
          relu
          dense [[1, 1]] + [-0.5]
        }
        param eps = 0.02
        dataset points = csv("%s")
        region square = box { x[0] in [-1, 1], x[1] in [-1, 1] }
        property below_3: forall x in square: tiny(x)[0] <= 3
        property below_1_6: forall x in square: tiny(x)[0] <= 1.6
        property below_1_2: forall x in square: tiny(x)[0] <= 1.2
        property below_1: forall x in square: tiny(x)[0] <= 1
        property above_minus_1: forall x in square: tiny(x)[0] >= -1
        property above_0: forall x in square: tiny(x)[0] >= 0
        property robust: forall (p, label) in points:
          forall x in linf(center = p, eps = eps): argmax(acas(x)) == label
        """.formatted(net, points));
    return f;
  }

  @Test
  void local2GivesTheLocalVerifysRowsTableAndExitCode() throws Exception {
    Path file = spec();
    Path localOut = dir.resolve("local.csv");
    String[] common = {"verify", file.toString(), "--sweep", "eps=0.02,0.08", "--timeout",
        SparkRuns.TIMEOUT};
    SparkRuns.Run local = SparkRuns.cli(concat(common, "--out", localOut.toString()));
    assertEquals(1, local.exit(), local.err()); // some property falsified
    List<String> expected = withoutSeconds(localOut);
    assertEquals(2 * (6 + 12), expected.size());
    Set<String> verdicts = new HashSet<>();
    expected.forEach(r -> verdicts.add(r.split(",")[2]));
    assertTrue(verdicts.containsAll(Set.of("certified", "falsified")), verdicts.toString());
    assertTrue(expected.stream().anyMatch(r -> r.startsWith("robust[3]@eps=0.02,acas,")),
        expected.toString());

    Path sparkOut = dir.resolve("spark.parquet");
    int compilesBefore = ExecutorNetworks.compilesSoFar();
    SparkRuns.Run spark = SparkRuns.cli(concat(common, "--out", sparkOut.toString(), "--spark",
        "local[2]"));
    assertEquals(local.exit(), spark.exit(), spark.err());
    assertEquals(expected, withoutSeconds(ParquetOutput.csv(sparkOut)));
    // local mode: the executor is this JVM; the file was compiled once per swept value
    assertEquals(2, ExecutorNetworks.compilesSoFar() - compilesBefore);
    assertTrue(spark.err().contains("[36/36] items done"), spark.err());
    assertEquals(masked(local.out()), masked(spark.out()));
    assertTrue(spark.out().contains("counterexample to below_1_2@eps=0.02"), spark.out());

    // the Parquet table has the CSV's rows; resumed, nothing runs again and the verdicts and
    // exit code are the resumed rows'
    assertEquals(expected, parquetRows(sparkOut));
    SparkRuns.Run again = SparkRuns.cli(concat(common, "--out", sparkOut.toString(), "--spark",
        "local[2]", "--resume"));
    assertEquals(local.exit(), again.exit(), again.err());
    assertEquals(expected, withoutSeconds(ParquetOutput.csv(sparkOut)));
    assertEquals(expected, parquetRows(sparkOut));
    assertTrue(again.out().contains("robust[3]@eps=0.08"), again.out());
  }

  private static List<String> parquetRows(Path table) throws Exception {
    try (WorkBackend.Session s = WorkBackend.find().open("local[1]", false,
        new java.io.PrintWriter(java.io.Writer.nullWriter()))) {
      List<String> rows = new ArrayList<>();
      for (String[] r : s.readTable(table, PropertyResults.HEADER)) {
        rows.add(String.join(",", List.of(r).subList(0, r.length - 1)));
      }
      rows.sort(null);
      return rows;
    }
  }

  @Test
  void aChangedFileIsAnErrorOnTheExecutorNotAnotherVerdict() throws Exception {
    Path file = spec();
    Path points = dir.resolve("acas-points.csv");
    // the item runs on the driver's file digests: as if an executor saw another copy
    RspecFile.Digesting loader = new RspecFile.Digesting(NetworkSource.READ);
    var c = ParamRuns.compile(file, loader, List.of(), null, new java.io.PrintWriter(
        java.io.Writer.nullWriter()));
    RspecFile driver = RspecFile.of(file, c.source(), loader);
    var robust0 = c.properties().stream().filter(p -> p.name().equals("robust[0]"))
        .findFirst().orElseThrow();
    var below3 = c.properties().stream().filter(p -> p.name().equals("below_3"))
        .findFirst().orElseThrow();
    ParamRuns.Setting none = ParamRuns.settings(List.of(), null).get(0);
    PropertyItem item = PropertyItem.of(driver, none, robust0, 30);
    assertTrue(Set.of("certified", "falsified").contains(item.run(NetworkSource.READ).row()[2]));

    List<String> lines = new ArrayList<>(Files.readAllLines(points));
    lines.set(0, lines.get(1)); // item 0 now has item 1's label and values
    Files.write(points, lines);
    WorkResult moved = item.run(NetworkSource.READ);
    assertEquals("error", moved.verdict());
    assertTrue(moved.message().contains("property robust[0] is about another data item"),
        moved.message());
    assertEquals("unknown", moved.row()[2]);

    Files.writeString(file, Files.readString(file) + "\n// edited\n");
    WorkResult edited = PropertyItem.of(driver, none, below3, 30).run(NetworkSource.READ);
    assertEquals("error", edited.verdict());
    assertTrue(edited.message().contains("differs") && edited.message().contains(
        "from the file the run started with"), edited.message());
  }

  /** The rows of a verify CSV in file order, without the seconds column. */
  static List<String> withoutSeconds(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    List<String> rows = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      assertTrue(keys.add(line.split(",")[0]), "written twice: " + line);
      rows.add(line.substring(0, line.lastIndexOf(',')));
    }
    rows.sort(null);
    return rows;
  }

  /** Printed output with the times masked. */
  static String masked(String out) {
    return out.replaceAll(" +\\d+\\.\\d{3} s", " T s");
  }

  static String[] concat(String[] a, String... b) {
    return SparkStandaloneClusterTest.concat(a, b);
  }
}
