package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** What the Spark tests share: the CLI run in-process, an ACAS Xu data set, row comparison. */
final class SparkRuns {
  static final Path ROOT = TestData.repositoryRoot();
  static final Path ACAS = ROOT.resolve("examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx");
  /** ACAS Xu's normalised input box (VNN-COMP's properties stay inside it). */
  static final double[] LO = {-0.3284, -0.5, -0.5, -0.5, -0.5};
  static final double[] HI = {0.6799, 0.5, 0.5, 0.5, 0.5};

  /**
   * The certify suite's per-item budget: every item of it is decided well within it on an idle
   * machine, and still under a load of 20 on two cores (at 30 s one bab item timed out there).
   */
  static final String TIMEOUT = "60";

  private static Map<String, List<String>> localRows;

  private SparkRuns() {}

  /** The certify suite's arguments: {@code data} at eps 0.02 and 0.08, seed 1. */
  static String[] certify(Path network, Path data, Path out, String... more) {
    String[] base = {"certify", network.toString(), "--data", data.toString(), "--eps",
        "0.02,0.08", "--seed", "1", "--timeout", TIMEOUT, "--out", out.toString()};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  /**
   * The local runner's rows of the certify suite on 20 points (40 items), by key: run once per
   * test JVM, in {@code dir}, and shared by the test classes that compare against it.
   */
  static synchronized Map<String, List<String>> localCertifyRows(Path dir) throws Exception {
    if (localRows == null) {
      Path work = Files.createDirectories(dir.resolve("local-suite"));
      Path out = work.resolve("local.csv");
      Run run = cli(certify(network(work), dataSet(work, 20), out));
      assertEquals(0, run.exit(), run.err());
      localRows = Map.copyOf(rowsByKey(out));
      assertEquals(40, localRows.size());
    }
    return new TreeMap<>(localRows);
  }

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** The network copied to {@code dir}: a path no earlier test has cached. */
  static Path network(Path dir) throws IOException {
    Path copy = dir.resolve("acas.onnx");
    Files.copy(ACAS, copy, StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  /**
   * {@code rows} ACAS Xu points (label, 5 values), seeded: three in four labelled with the
   * network's own class at the point (certified or falsified by the radius), the rest with
   * another class (misclassified at the centre).
   */
  static Path dataSet(Path dir, int rows) throws Exception {
    Network net = OnnxReader.read(ACAS);
    Random random = new Random(18);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      double[] x = new double[5];
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        x[i] = LO[i] + random.nextDouble() * (HI[i] - LO[i]);
        values.append(',').append(String.format(Locale.ROOT, "%.4f", x[i]));
        x[i] = Double.parseDouble(String.format(Locale.ROOT, "%.4f", x[i]));
      }
      double[] y = net.evaluate(x);
      int best = 0;
      for (int j = 1; j < y.length; j++) {
        best = y[j] > y[best] ? j : best;
      }
      int label = r % 4 == 3 ? (best + 1) % y.length : best;
      sb.append(label).append(values).append('\n');
    }
    Path file = dir.resolve("acas-points.csv");
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** The rows of a results CSV by key (index,eps), without the seconds column. */
  static Map<String, List<String>> rowsByKey(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    Map<String, List<String>> rows = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      List<String> fields = new ArrayList<>(List.of(f).subList(0, f.length - 1));
      List<String> before = rows.put(f[0] + "," + f[2], fields);
      assertEquals(null, before, "key " + f[0] + "," + f[2] + " written twice in " + csv);
    }
    return rows;
  }
}
