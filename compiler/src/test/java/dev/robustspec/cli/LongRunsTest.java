package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises of the long commands (issue 16): rows written as items finish, {@code --resume}
 * goes on from a file cut short with no row lost or doubled, exit codes a script can trust, and
 * one bad declaration does not stop {@code verify} from running the good ones.
 */
class LongRunsTest {
  @TempDir Path tmp;

  private static final String TINY = """
      network tiny {
        input x[2]
        dense [[1, -1], [1, 1]] + [0, 0]
        relu
        dense [[1, 1]] + [-0.5]
      }
      region square = box { x[0] in [-1, 1], x[1] in [-1, 1] }
      """;

  private Path acasCsv(boolean withMissingNetwork) throws IOException {
    TestData.benchmarks();
    Path acas = CliRun.ROOT.resolve("examples/acasxu");
    StringBuilder sb = new StringBuilder();
    sb.append(acas.resolve("ACASXU_run2a_1_1_batch_2000.onnx")).append(',')
        .append(acas.resolve("prop_3.vnnlib")).append(",60\n");
    sb.append(acas.resolve("ACASXU_run2a_2_1_batch_2000.onnx")).append(',')
        .append(acas.resolve("prop_2.vnnlib")).append(",60\n");
    if (withMissingNetwork) {
      sb.append(tmp.resolve("missing.onnx")).append(',').append(acas.resolve("prop_3.vnnlib"))
          .append(",60\n");
    }
    Path csv = tmp.resolve("instances.csv");
    Files.writeString(csv, sb.toString());
    return csv;
  }

  @Test
  void batchResumeRunsOnlyWhatIsMissingAndDropsACutOffRow() throws Exception {
    Path csv = acasCsv(false);
    Path rows = tmp.resolve("rows.csv");
    CliRun first = CliRun.of("batch", csv.toString(), "--out", rows.toString());
    assertEquals(0, first.exit(), first.err());
    List<String> full = Files.readAllLines(rows, StandardCharsets.UTF_8);
    assertEquals(3, full.size(), full.toString());
    // a run cut off while writing its second row: the first row and half of the second
    Files.writeString(rows, full.get(0) + "\n" + full.get(1) + "\n" + full.get(2).substring(0, 20));
    CliRun resumed = CliRun.of("batch", csv.toString(), "--out", rows.toString(), "--resume");
    assertEquals(0, resumed.exit(), resumed.err());
    List<String> after = Files.readAllLines(rows, StandardCharsets.UTF_8);
    assertEquals(3, after.size(), after.toString());
    assertEquals(full.get(1), after.get(1), "the finished row is kept as it was");
    assertEquals(key(full.get(2)), key(after.get(2)), "the cut-off instance ran again, once");
    assertTrue(resumed.err().contains("[2/2]") && !resumed.err().contains("[1/2]"),
        "only the missing instance runs: " + resumed.err());
    assertTrue(resumed.out().startsWith("2 instances: "), resumed.out());
    assertTrue(resumed.out().contains("holds=1") && resumed.out().contains("violated=1"),
        "the tally counts the resumed row too: " + resumed.out());
  }

  @Test
  void batchExitsOneWhenAnInstanceFailed() throws Exception {
    CliRun run = CliRun.of("batch", acasCsv(true).toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("error=1"), run.out());
    assertEquals(0, CliRun.of("batch", acasCsv(false).toString()).exit());
  }

  @Test
  void batchResumeNeedsOut() throws Exception {
    CliRun run = CliRun.of("batch", acasCsv(false).toString(), "--resume");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--resume needs --out"), run.err());
  }

  @Test
  void verifyRunsTheGoodPropertiesReportsTheBadOnesAndExitsTwo() throws Exception {
    Path file = tmp.resolve("partial.rspec");
    Files.writeString(file, TINY + """
        region line = box { x[0] in [-1, 1] }
        property good: forall x in square: tiny(x)[0] <= 3
        property wrong_region: forall x in line: tiny(x)[0] <= 3
        property wrong_output: forall x in square: tiny(x)[4] <= 3
        property too_low: forall x in square: tiny(x)[0] <= 1.2
        """);
    CliRun run = CliRun.of("verify", file.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("error RS0005") && run.err().contains("error RS0006"),
        run.err());
    assertTrue(run.err().contains("2 properties have errors and are not verified: wrong_region,"
        + " wrong_output"), run.err());
    assertTrue(run.out().matches("(?s).*\\ngood +certified .*"), run.out());
    assertTrue(run.out().matches("(?s).*\\ntoo_low +falsified .*"), run.out());
    assertFalse(run.out().contains("wrong_"), run.out());
  }

  @Test
  void verifyStopsAtASyntaxError() throws Exception {
    Path file = tmp.resolve("broken.rspec");
    Files.writeString(file, TINY + """
        property good: forall x in square: tiny(x)[0] <= 3
        property broken: forall x in square: tiny(x)[0] <=
        """);
    CliRun run = CliRun.of("verify", file.toString());
    assertEquals(2, run.exit());
    assertFalse(run.out().contains("certified"), "nothing runs in a file that does not parse");
  }

  @Test
  void verifyOutAndResume() throws Exception {
    Path file = tmp.resolve("two.rspec");
    Files.writeString(file, TINY + """
        property good: forall x in square: tiny(x)[0] <= 3
        property too_low: forall x in square: tiny(x)[0] <= 1.2
        """);
    Path rows = tmp.resolve("rows.csv");
    CliRun first = CliRun.of("verify", file.toString(), "--out", rows.toString());
    assertEquals(1, first.exit(), first.err());
    List<String> lines = Files.readAllLines(rows);
    assertEquals(PropertyResults.HEADER, lines.get(0));
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(1).startsWith("good,tiny,certified,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("too_low,tiny,falsified,attack,"), lines.get(2));
    Files.writeString(rows, lines.get(0) + "\n" + lines.get(1) + "\n");
    CliRun resumed = CliRun.of("verify", file.toString(), "--out", rows.toString(), "--resume");
    assertEquals(1, resumed.exit(), "the exit code counts the run-again falsified property");
    assertTrue(resumed.out().contains("(resumed)"), resumed.out());
    List<String> after = Files.readAllLines(rows);
    assertEquals(3, after.size(), after.toString());
    assertEquals(lines.get(1), after.get(1));
    assertTrue(after.get(2).startsWith("too_low,tiny,falsified,"), after.get(2));
  }

  private static String key(String row) {
    String[] f = row.split(",");
    return f[0] + "," + f[1];
  }
}
