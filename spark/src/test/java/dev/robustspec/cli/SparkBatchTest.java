package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch --spark local[2]}: VNN-COMP instances (holds, violated, and one whose network
 * is missing) give the local batch's rows and tally; the missing network is an error row with
 * its message, and the others go on.
 */
class SparkBatchTest {
  @TempDir Path dir;

  @Test
  void local2GivesTheLocalBatchRows() throws Exception {
    Path ex = SparkRuns.ROOT.resolve("examples");
    Path csv = dir.resolve("instances.csv");
    Files.writeString(csv,
        ex.resolve("acasxu/ACASXU_run2a_1_1_batch_2000.onnx") + ","
            + ex.resolve("acasxu/prop_1.vnnlib") + ",30\n"
            + ex.resolve("acasxu/ACASXU_run2a_2_1_batch_2000.onnx") + ","
            + ex.resolve("acasxu/prop_2.vnnlib") + ",30\n"
            + ex.resolve("mnist/mnist-net_256x2.onnx") + ","
            + ex.resolve("mnist/prop_0_0.03.vnnlib") + ",30\n"
            + dir.resolve("missing.onnx") + "," + ex.resolve("acasxu/prop_1.vnnlib") + ",30\n");
    Path localOut = dir.resolve("local.csv");
    Path sparkOut = dir.resolve("spark.csv");
    SparkRuns.Run local = SparkRuns.cli("batch", csv.toString(), "--out", localOut.toString());
    SparkRuns.Run spark = SparkRuns.cli("batch", csv.toString(), "--out", sparkOut.toString(),
        "--spark", "local[2]");
    assertEquals(1, local.exit(), local.err()); // an instance failed: exit 1
    assertEquals(local.exit(), spark.exit(), spark.err());
    assertEquals(withoutSeconds(localOut), withoutSeconds(sparkOut));
    String violated = ex.resolve("acasxu/ACASXU_run2a_2_1_batch_2000.onnx") + ","
        + ex.resolve("acasxu/prop_2.vnnlib") + ",violated,";
    assertTrue(withoutSeconds(sparkOut).stream().anyMatch(r -> r.startsWith(violated)),
        withoutSeconds(sparkOut).toString());
    assertTrue(spark.err().contains("missing.onnx: no such file"), spark.err());
    // the tally line, times aside
    assertEquals(local.out().split(";")[0], spark.out().split(";")[0]);
  }

  private static TreeSet<String> withoutSeconds(Path csv) throws Exception {
    TreeSet<String> rows = new TreeSet<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      rows.add(line.substring(0, line.lastIndexOf(',')));
    }
    assertEquals(lines.size() - 1, rows.size(), "each instance once");
    return rows;
  }
}
