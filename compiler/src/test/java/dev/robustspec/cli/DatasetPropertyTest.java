package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Properties quantified over a data set, params, {@code --set} and {@code --sweep} (issue 16),
 * held to an independent path: {@code robustspec certify} on the same network, images and
 * epsilons must give the same per-item verdicts.
 */
class DatasetPropertyTest {
  static final String NET = "../shared/benchmarks/mnistfc/onnx/mnist-net_256x2.onnx";
  static final String MNIST = "../shared/datasets/mnist_test.csv";

  @TempDir Path tmp;

  private Path spec(String body) throws Exception {
    TestData.benchmarks();
    Path f = tmp.resolve("data.rspec");
    Files.writeString(f, """
        network mnist = onnx("%s")
        param eps = 0.01
        dataset digits = csv("%s", scale = 1/255, rows = 0..7)
        """.formatted(CliRun.ROOT.resolve(NET), CliRun.ROOT.resolve(MNIST)) + body);
    return f;
  }

  private static final String ROBUST = """
      property robust: forall (image, label) in digits:
        forall x in linf(center = image, eps = eps) clip [0, 1]: argmax(mnist(x)) == label
      """;

  @Test
  void perItemVerdictsEqualCertifysAtEachSweptEps() throws Exception {
    Path rows = tmp.resolve("verify.csv");
    CliRun v = CliRun.of("verify", spec(ROBUST).toString(), "--sweep", "eps=0.01,0.03",
        "--timeout", "10", "--out", rows.toString());
    assertTrue(v.exit() == 1 || v.exit() == 3 || v.exit() == 0, v.err());
    Path cert = tmp.resolve("certify.csv");
    CliRun c = CliRun.of("certify", NET, "--data", MNIST, "--scale", "1/255", "--clip", "0,1",
        "--eps", "0.01,0.03", "--rows", "0..7", "--timeout", "10", "--out", cert.toString());
    assertEquals(0, c.exit(), c.err());
    Map<String, String> certify = new HashMap<>();
    for (String line : Files.readAllLines(cert).subList(1, 17)) {
      String[] f = line.split(",", -1);
      certify.put("robust[" + f[0] + "]@eps=" + f[2], f[3]);
    }
    List<String> lines = Files.readAllLines(rows);
    assertEquals(17, lines.size(), "8 items x 2 eps: " + lines);
    int compared = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String theirs = certify.get(f[0]);
      assertTrue(theirs != null, "certify has no row for " + f[0]);
      boolean bothDefinite = !f[2].equals("timeout") && !f[2].equals("unknown")
          && !theirs.equals("timeout") && !theirs.equals("unknown");
      if (bothDefinite) {
        assertEquals(theirs, f[2], f[0]);
        compared++;
      }
    }
    assertTrue(compared >= 8, "at least the eps 0.01 rows are decided by both: " + compared);
    long certifiedAtSmall = lines.stream().filter(l -> l.contains("@eps=0.01,")
        && l.contains(",certified,")).count();
    assertTrue(v.out().contains("robust@eps=0.01: certified " + certifiedAtSmall + " of 8"),
        v.out());
  }

  @Test
  void savedCounterexamplesLieInTheBallAndAreMisclassified() throws Exception {
    Path dir = tmp.resolve("cex");
    CliRun v = CliRun.of("verify", spec(ROBUST).toString(), "--set", "eps=0.05", "--timeout",
        "10", "--save-counterexamples", dir.toString());
    List<String> falsified = v.out().lines().filter(l -> l.matches("robust\\[\\d+\\] +falsified.*"))
        .map(l -> l.substring(0, l.indexOf(' '))).toList();
    assertFalse(falsified.isEmpty(), "eps 0.05 falsifies some of the 8 items: " + v.out());
    List<String> images = Files.readAllLines(CliRun.ROOT.resolve(MNIST)).subList(0, 8);
    dev.robustspec.engine.network.Network net = dev.robustspec.engine.io.OnnxReader.read(
        CliRun.ROOT.resolve(NET));
    for (String name : falsified) {
      String stem = name.replace('[', '_').replace(']', '_');
      assertTrue(Files.exists(dir.resolve(stem + ".npy")), stem);
      assertTrue(Files.exists(dir.resolve(stem + ".png")), "an image item gets a picture");
      String[] xs = Files.readString(dir.resolve(stem + ".csv")).strip().split(",");
      int item = Integer.parseInt(name.substring(7, name.length() - 1));
      String[] row = images.get(item).split(",");
      double[] x = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        x[i] = Double.parseDouble(xs[i]);
        double pixel = Double.parseDouble(row[i + 1]) / 255;
        assertTrue(Math.abs(x[i] - pixel) <= 0.05 + 1e-12 && x[i] >= 0 && x[i] <= 1,
            name + " input " + i + " leaves the clipped ball");
      }
      double[] y = net.evaluate(x);
      int label = Integer.parseInt(row[0]);
      int argmax = 0;
      for (int j = 1; j < y.length; j++) {
        argmax = y[j] > y[argmax] ? j : argmax;
      }
      boolean tie = false;
      for (int j = 0; j < y.length; j++) {
        tie |= j != label && y[j] >= y[label];
      }
      assertTrue(tie, name + ": the saved input is misclassified (argmax " + argmax + ")");
    }
  }

  @Test
  void setOverridesAParamAndOnlyAParam() throws Exception {
    Path f = spec(ROBUST + "let other = 2\n");
    CliRun zero = CliRun.of("verify", f.toString(), "--set", "eps=0", "--timeout", "10");
    // eps 0: the ball is the image itself; each item is certified iff it is classified right
    assertTrue(zero.out().contains("robust: certified"), zero.out() + zero.err());
    CliRun let = CliRun.of("verify", f.toString(), "--set", "other=3");
    assertEquals(2, let.exit());
    assertTrue(let.err().contains("'other' is a let; declare it with 'param other = ...'"),
        let.err());
    CliRun unknown = CliRun.of("verify", f.toString(), "--set", "epsilon=3");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("no param named 'epsilon'") && unknown.err()
        .contains("its params: eps"), unknown.err());
    CliRun malformed = CliRun.of("verify", f.toString(), "--sweep", "eps");
    assertEquals(2, malformed.exit());
    assertTrue(malformed.err().contains("--sweep takes NAME=VALUES"), malformed.err());
  }

  @Test
  void dataSetMistakesAreDiagnosedAtTheirCause() throws Exception {
    TestData.benchmarks();
    Path f = tmp.resolve("bad.rspec");
    String mnist = CliRun.ROOT.resolve(MNIST).toString();
    Files.writeString(f, """
        network mnist = onnx("%s")
        dataset a = cvs("%s")
        dataset b = csv("%s", rows = 5..2)
        dataset c = npy("x.npy")
        dataset d = csv("%s", scael = 1/255)
        dataset e = csv("%s", scale = 1/255, mean = 0.1, std = 0.3, rows = 0..1)
        property p: forall (image, label) in e:
          forall x in box { x[0] in [0, 1] }: argmax(mnist(x)) == label
        property q: forall (image, label) in nosuch:
          forall x in linf(center = image, eps = 0.1): argmax(mnist(x)) == label
        """.formatted(CliRun.ROOT.resolve(NET), mnist, mnist, mnist, mnist));
    CliRun r = CliRun.of("check", f.toString());
    assertEquals(1, r.exit());
    String all = r.out() + r.err();
    assertTrue(all.contains("2:13: error RS0018: unknown data set format 'cvs' (did you mean"
        + " 'csv'?); a data set is csv(\"file.csv\")"), all);
    assertTrue(all.contains("the rows 5..2 are empty"), all);
    assertTrue(all.contains("a npy data set needs its labels: add labels = npy("), all);
    assertTrue(all.contains("unknown option 'scael' of a data set (did you mean 'scale'?); the"
        + " options are scale,"), all);
    assertTrue(all.contains("data set 'e' is normalised (mean, std): its region must be"
        + " linf(center = image, eps = ...)"), all);
    assertTrue(all.contains("'nosuch'"), all);
    assertFalse(r.errShowsStackTrace(), all);
  }

  @Test
  void anItemThatFailsAloneIsReportedOnceByIndex() throws Exception {
    // 'label - 5' is out of the network's 10 classes for the items labelled 0..4 only (the
    // first item, a 7, checks out)
    Path f = spec("""
        property shifted: forall (image, label) in digits:
          forall x in linf(center = image, eps = eps) clip [0, 1]: argmax(mnist(x)) == label - 5
        """);
    CliRun r = CliRun.of("check", f.toString());
    String all = r.out() + r.err();
    assertEquals(1, all.split("cannot be checked", -1).length - 1, all);
    assertTrue(all.contains("items of 'digits' cannot be checked and are left out (rows "), all);
  }
}
