package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code robustspec certify}: per-item verdicts, resume, errors and pictures. */
class CertifyCommandTest {
  static final String NET = "../shared/benchmarks/mnistfc/onnx/mnist-net_256x2.onnx";
  static final String MNIST = "../shared/datasets/mnist_test.csv";

  @TempDir Path dir;

  static List<String[]> rows(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String[]> rows = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      rows.add(l.split(",", -1));
    }
    return rows;
  }

  static String[] pixels(int row) throws IOException {
    return Files.readAllLines(CliRun.ROOT.resolve(MNIST)).get(row).split(",");
  }

  /**
   * Each item's verdict equals that of {@code instance} on the same item written by hand as a
   * VNN-LIB file (box max(0, p/255 - eps) .. min(1, p/255 + eps), unsafe: some other class's
   * output >= the label's). Items and radii are ones both decide well inside the timeout.
   */
  @Test
  void verdictsEqualInstanceOnEachItemAlone() throws Exception {
    Path out = dir.resolve("r.csv");
    CliRun run = CliRun.of("certify", NET, "--data", MNIST, "--scale", "1/255", "--clip",
        "0,1", "--rows", "2..4", "--eps", "0.01,0.03", "--timeout", "20", "--out",
        out.toString());
    assertEquals(0, run.exit(), run.err());
    List<String[]> rows = rows(out);
    assertEquals(6, rows.size());
    Set<String> decided = new HashSet<>();
    for (String[] r : rows) {
      int index = Integer.parseInt(r[0]);
      String[] px = pixels(index);
      assertEquals(px[0], r[1], "label column");
      Path vnnlib = dir.resolve("item" + index + "_" + r[2] + ".vnnlib");
      Files.writeString(vnnlib, vnnlib(px, Double.parseDouble(r[2])));
      CliRun alone = CliRun.of("instance", NET, vnnlib.toString(), "--timeout", "20");
      assertEquals(0, alone.exit(), alone.err());
      String word = alone.out().split(" ")[0].strip();
      String expected = switch (word) {
        case "holds" -> "certified";
        case "violated" -> "falsified";
        default -> word;
      };
      assertEquals(expected, r[3], "item " + index + " eps " + r[2] + ": " + alone.out());
      decided.add(r[3]);
    }
    // the sample exercises both definite verdicts
    assertTrue(decided.contains("certified") && decided.contains("falsified"), decided.toString());
    assertTrue(run.out().contains("eps 0.01: certified accuracy"), run.out());
  }

  static String vnnlib(String[] px, double eps) {
    StringBuilder sb = new StringBuilder();
    int n = px.length - 1;
    int label = Integer.parseInt(px[0]);
    for (int i = 0; i < n; i++) {
      sb.append("(declare-const X_").append(i).append(" Real)\n");
    }
    for (int j = 0; j < 10; j++) {
      sb.append("(declare-const Y_").append(j).append(" Real)\n");
    }
    for (int i = 0; i < n; i++) {
      double v = Integer.parseInt(px[i + 1]) / 255.0;
      sb.append(String.format(Locale.ROOT, "(assert (>= X_%d %s))%n(assert (<= X_%d %s))%n", i,
          Math.max(0, v - eps), i, Math.min(1, v + eps)));
    }
    sb.append("(assert (or");
    for (int j = 0; j < 10; j++) {
      if (j != label) {
        sb.append(" (and (>= Y_").append(j).append(" Y_").append(label).append("))");
      }
    }
    return sb.append("))\n").toString();
  }

  /**
   * --resume after a run cut short (last row half written, some rows missing): every key once,
   * the complete rows kept as they were, the cut row run again.
   */
  @Test
  void resumeLosesNoRowAndDuplicatesNone() throws Exception {
    Path out = dir.resolve("r.csv");
    String[] common = {"certify", NET, "--data", MNIST, "--scale", "1/255", "--clip", "0,1",
        "--eps", "0.002,0.004", "--timeout", "10", "--out", out.toString()};
    CliRun first = CliRun.of(concat(common, "--rows", "0..2"));
    assertEquals(0, first.exit(), first.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(7, lines.size());
    // keep the header and four rows, and half of the fifth, as a kill mid-write leaves it
    String kept = String.join("\n", lines.subList(0, 5)) + "\n" + lines.get(5).substring(0, 5);
    Files.writeString(out, kept);
    CliRun resumed = CliRun.of(concat(common, "--rows", "0..3", "--resume"));
    assertEquals(0, resumed.exit(), resumed.err());
    List<String> after = Files.readAllLines(out);
    assertEquals(lines.subList(0, 5), after.subList(0, 5), "finished rows kept unchanged");
    Map<String, Integer> keys = new HashMap<>();
    for (String[] r : rows(out)) {
      keys.merge(r[0] + "@" + r[2], 1, Integer::sum);
      assertEquals(7, r.length);
    }
    assertEquals(8, keys.size(), keys.toString());
    assertTrue(keys.values().stream().allMatch(c -> c == 1), keys.toString());
    // the summary counts the resumed rows as well
    assertTrue(resumed.out().contains("4 items, 8 rows"), resumed.out());
    // a foreign file is not appended to
    Path other = dir.resolve("other.csv");
    Files.writeString(other, "a,b\n1,2\n");
    String[] onOther = common.clone();
    onOther[onOther.length - 1] = other.toString();
    CliRun foreign = CliRun.of(concat(onOther, "--rows", "0..0", "--resume"));
    assertEquals(2, foreign.exit());
    assertTrue(foreign.err().contains("other.csv:1: --resume needs this command's results file"),
        foreign.err());
    assertEquals("a,b\n1,2\n", Files.readString(other));
  }

  @Test
  void anItemErrorGivesAnErrorRowAndExitOne() throws Exception {
    String[] px = pixels(0);
    String good = String.join(",", px);
    px[0] = "12"; // not one of the ten classes
    Path data = dir.resolve("d.csv");
    Files.writeString(data, good + "\n" + String.join(",", px) + "\n");
    Path out = dir.resolve("r.csv");
    CliRun run = CliRun.of("certify", NET, "--data", data.toString(), "--scale", "1/255",
        "--clip", "0,1", "--eps", "0.001", "--timeout", "10", "--out", out.toString());
    assertEquals(CertifyCommand.ITEM_ERRORS, run.exit(), run.err());
    List<String[]> rows = rows(out);
    assertEquals("certified", rows.get(0)[3]);
    assertEquals("error", rows.get(1)[3]);
    assertTrue(run.err().contains("item 1 eps 0.001: label 12 is not a class of the network"),
        run.err());
    assertFalse(run.errShowsStackTrace(), run.err());
  }

  @Test
  void badInputIsAClearErrorWithoutAStackTrace() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "7,0,0\n7,0,zero\n");
    String[][] cases = {
        {"--data", MNIST, "--eps", "0.01", "--scale", "1/0"}, {"--scale must be positive"},
        {"--data", MNIST, "--eps", "0.01,x"}, {"--eps: 'x' is not a decimal number"},
        {"--data", MNIST, "--eps", "0.01", "--rows", "5..2"}, {"0 <= first <= last"},
        {"--data", MNIST, "--eps", "0.01", "--resume"}, {"--resume needs --out FILE"},
        {"--data", MNIST, "--radius"}, {"--radius needs --max-radius R or --clip LO,HI"},
        {"--data", bad.toString(), "--eps", "0.01"}, {"bad.csv:2:5: value 1: 'zero' is not"},
        {"--data", MNIST, "--eps", "0.01", "--clip", "1,0"}, {"--clip takes LO,HI with LO <= HI"},
        {"--data", MNIST, "--eps", "0.01", "--radius"}, {"mutually exclusive"},
    };
    for (int c = 0; c < cases.length; c += 2) {
      CliRun run = CliRun.of(concat(new String[] {"certify", NET}, cases[c]));
      assertEquals(2, run.exit(), String.join(" ", cases[c]));
      assertTrue(run.err().contains(cases[c + 1][0]), run.err());
      assertFalse(run.errShowsStackTrace(), run.err());
    }
  }

  /**
   * The radius search: its bracket is consistent (certified below falsified, within the
   * tolerance when the search ended on it), the certified radius re-certifies at that eps, and
   * both pictures are well-formed SVG.
   */
  @Test
  void radiusSearchBracketAndPictures() throws Exception {
    Path out = dir.resolve("radius.csv");
    Path svg = dir.resolve("acc.svg");
    CliRun run = CliRun.of("certify", NET, "--data", MNIST, "--scale", "1/255", "--clip",
        "0,1", "--rows", "3..3", "--radius", "--max-radius", "0.1", "--tolerance", "0.005",
        "--timeout", "60", "--out", out.toString(), "--plot", svg.toString());
    assertEquals(0, run.exit(), run.err());
    String[] r = rows(out).get(0);
    double certified = Double.parseDouble(r[2]);
    assertTrue(certified > 0, String.join(",", r));
    if (!r[3].isEmpty()) {
      assertTrue(Double.parseDouble(r[3]) > certified);
    }
    CliRun again = CliRun.of("certify", NET, "--data", MNIST, "--scale", "1/255", "--clip",
        "0,1", "--rows", "3..3", "--eps", new BigDecimal(certified).toPlainString(),
        "--timeout", "30");
    assertTrue(again.out().contains(",certified,"), again.out());
    assertTrue(run.out().contains("certified radius: 1 items"), run.out());
    for (Path p : List.of(svg, dir.resolve("acc-histogram.svg"))) {
      assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(p.toFile()).getDocumentElement().getTagName());
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
