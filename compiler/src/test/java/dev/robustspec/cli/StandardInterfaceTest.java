package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.io.OnnxWriter;
import dev.robustspec.engine.io.Vnnlib2Reader;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.query.QueryLowering;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VNN-LIB 2 command line against independent truth: two networks, export round trips. */
class StandardInterfaceTest {
  @TempDir Path tmp;

  /** A 3-8-8-1 ReLU network; {@code lastScale} multiplies the last layer (the "perturbation"). */
  static Network net(double lastScale) {
    SplittableRandom r = new SplittableRandom(42);
    int[] widths = {3, 8, 8, 1};
    List<Layer> layers = new ArrayList<>();
    for (int k = 1; k < widths.length; k++) {
      int in = widths[k - 1];
      int out = widths[k];
      boolean last = k == widths.length - 1;
      double[] w = new double[in * out];
      double[] b = new double[out];
      for (int i = 0; i < w.length; i++) {
        w[i] = (r.nextDouble() * 2 - 1) * (last ? lastScale : 1);
      }
      for (int i = 0; i < out; i++) {
        b[i] = (r.nextDouble() - 0.5) * (last ? lastScale : 1);
      }
      layers.add(new DenseLayer("d" + k, in, out, w, b));
      if (!last) {
        layers.add(new ReluLayer("r" + k, out));
      }
    }
    return new Network("net", new int[] {3}, layers);
  }

  static String agreementQuery(double radius, double eps) {
    StringBuilder sb = new StringBuilder("(vnnlib-version <2.0>)\n"
        + "(declare-network f (declare-input A Real [3]) (declare-output B Real [1]))\n"
        + "(declare-network g (isomorphic-to f) (declare-input C Real [3])"
        + " (declare-output D Real [1]))\n");
    for (int i = 0; i < 3; i++) {
      sb.append(String.format(Locale.ROOT, "(assert (>= A[%d] %s)) (assert (<= A[%d] %s))"
          + " (assert (== A[%d] C[%d]))%n", i, -radius, i, radius, i, i));
    }
    // unsafe: the two networks disagree by more than eps
    sb.append(String.format(Locale.ROOT, "(assert (or (> (- B[0] D[0]) %s) (< (- B[0] D[0])"
        + " %s)))%n", eps, -eps));
    return sb.toString();
  }

  @Test
  void agreementOfANetworkAndAPerturbedCopy() throws Exception {
    double delta = 1e-3;
    Network f = net(1);
    Network g = net(1 + delta); // g(x) = (1 + delta) f(x): g - f = delta f
    Path fFile = tmp.resolve("f.onnx");
    Path gFile = tmp.resolve("g.onnx");
    OnnxWriter.write(f, fFile);
    OnnxWriter.write(g, gFile);
    // the written models compute what the test's networks compute
    SplittableRandom r = new SplittableRandom(1);
    double small = 0.01;
    double large = 10;
    double maxSmall = 0;
    double maxLarge = 0;
    for (int s = 0; s < 20_000; s++) {
      double[] x = new double[3];
      double[] z = new double[3];
      for (int i = 0; i < 3; i++) {
        x[i] = (r.nextDouble() * 2 - 1) * small;
        z[i] = (r.nextDouble() * 2 - 1) * large;
      }
      maxSmall = Math.max(maxSmall, Math.abs(g.evaluate(x)[0] - f.evaluate(x)[0]));
      maxLarge = Math.max(maxLarge, Math.abs(g.evaluate(z)[0] - f.evaluate(z)[0]));
    }
    double eps = 2 * maxSmall + 1e-4; // true on the small box with a wide margin
    assertTrue(maxLarge > 2 * eps, "the large box must hold disagreeing points: " + maxLarge);

    Path holds = tmp.resolve("small.vnnlib");
    Files.writeString(holds, agreementQuery(small, eps));
    CliRun h = CliRun.of("verify", holds.toString(), "--network", "f=" + fFile, "--network",
        "g=" + gFile);
    assertEquals(0, h.exit(), h.err());
    assertEquals("unsat\n", h.out(), h.err());

    Path fails = tmp.resolve("large.vnnlib");
    Files.writeString(fails, agreementQuery(large, eps));
    CliRun v = CliRun.of("verify", fails.toString(), "--network", "f=" + fFile, "--network",
        "g=" + gFile);
    assertEquals(0, v.exit(), v.err());
    String[] lines = v.out().split("\n");
    assertEquals("sat", lines[0], v.out() + v.err());
    // A, B, C, D in declaration order, each a header line and its values
    assertEquals("A Real [3]", lines[1]);
    assertEquals("B Real [1]", lines[5]);
    assertEquals("C Real [3]", lines[7]);
    assertEquals("D Real [1]", lines[11]);
    assertEquals(13, lines.length);
    double[] a = new double[3];
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      a[i] = Double.parseDouble(lines[2 + i]);
      c[i] = Double.parseDouble(lines[8 + i]);
      assertTrue(Math.abs(a[i]) <= large);
    }
    assertArrayEquals(a, c, 0.0);
    double fb = f.evaluate(a)[0];
    double gd = g.evaluate(c)[0];
    assertEquals(fb, Double.parseDouble(lines[6]), 0.0);
    assertEquals(gd, Double.parseDouble(lines[12]), 0.0);
    assertTrue(Math.abs(fb - gd) > eps, "a real disagreement: " + (fb - gd));
  }

  @Test
  void serialisedAssignmentsAreWritten() throws Exception {
    Path dir = tmp.resolve("assign");
    CliRun r = CliRun.of("verify", "examples/acasxu/vnnlib2/prop_2.vnnlib", "--network",
        "acasxu=examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx", "--serialise-assignments",
        dir.toString());
    assertEquals("sat\n", r.out(), r.err());
    byte[] x = Files.readAllBytes(dir.resolve("X.pb"));
    byte[] y = Files.readAllBytes(dir.resolve("Y.pb"));
    // 4 dims + type + name + 5 doubles; the doubles are the last 40 bytes
    assertTrue(x.length > 40 && y.length > 40);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(x, x.length - 40, 40)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    double[] in = new double[5];
    for (int i = 0; i < 5; i++) {
      in[i] = b.getDouble();
    }
    Network net = OnnxReader.read(Path.of("examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx"));
    double[] out = net.evaluate(in);
    // property 2's unsafe set: Y_0 is the largest score
    for (int j = 1; j < 5; j++) {
      assertTrue(out[0] >= out[j]);
    }
  }

  @Test
  void exportRoundTripsToTheSameUnsafeCases() throws Exception {
    for (String rspec : List.of("examples/tutorial.rspec", "examples/acasxu.rspec")) {
      Compilation c = Checker.compileFile(Path.of(rspec), FileLoader.direct());
      assertFalse(c.hasErrors());
      for (int version = 1; version <= 2; version++) {
        Path out = tmp.resolve("export" + version + rspec.hashCode());
        CliRun r = CliRun.of("export", rspec, "--vnnlib-version", Integer.toString(version),
            "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("instances.csv"));
        assertEquals(c.properties().size(), csv.size());
        for (Compilation.CompiledProperty p : c.properties()) {
          Path q = out.resolve(p.name() + ".vnnlib");
          Specification back = version == 1 ? VnnlibFiles.specification(q)
              : QueryLowering.lower(Vnnlib2Reader.read(q), null).spec();
          assertEquals(distinct(p.specification().cases()), distinct(back.cases()),
              rspec + " " + p.name() + " v" + version);
          Network model = OnnxReader.read(out.resolve(p.networkName() + ".onnx"));
          SplittableRandom rnd = new SplittableRandom(5);
          for (int s = 0; s < 100; s++) {
            double[] x = new double[model.inputSize()];
            for (int i = 0; i < x.length; i++) {
              x[i] = rnd.nextDouble() * 2 - 1;
            }
            assertArrayEquals(p.network().evaluate(x), model.evaluate(x), 0.0);
          }
          assertTrue(csv.contains(p.networkName() + ".onnx," + p.name() + ".vnnlib,60"), csv
              .toString());
        }
      }
    }
  }

  /** Hidden values printed for a sat answer are the network's own intermediate values. */
  @Test
  void hiddenNodeValuesMatchTheNetworksTrace() throws Exception {
    Network net = OnnxReader.read(Path.of("examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx"));
    for (String[] c : new String[][] {{"hidden_sat", "after"}, {"hidden_preactivation",
        "before"}}) {
      CliRun r = CliRun.of("verify", "compiler/src/test/resources/vnnlib2/" + c[0] + ".vnnlib",
          "--network", "acasxu=examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx");
      String[] lines = r.out().split("\n");
      assertEquals("sat", lines[0], r.err());
      assertEquals("X Real [1,1,1,5]", lines[1]);
      assertEquals("H Real [1,50]", lines[7]);
      assertEquals("Y Real [1,5]", lines[58]);
      double[] x = new double[5];
      for (int i = 0; i < 5; i++) {
        x[i] = Double.parseDouble(lines[2 + i]);
      }
      // relu_1 is the first ReLU's output; Operation_2_Add the second ReLU's input
      List<double[]> trace = net.trace(x);
      int relu = -1;
      int seen = 0;
      for (int k = 0; k < net.layers().size(); k++) {
        if (net.layers().get(k) instanceof ReluLayer) {
          seen++;
          if (c[1].equals("after") && seen == 1) {
            relu = k + 1;
          } else if (c[1].equals("before") && seen == 2) {
            relu = k;
          }
        }
      }
      double[] h = trace.get(relu);
      for (int i = 0; i < 50; i++) {
        assertEquals(h[i], Double.parseDouble(lines[8 + i]), 0.0, c[0] + " H[0," + i + "]");
      }
      double[] y = net.evaluate(x);
      for (int j = 0; j < 5; j++) {
        assertEquals(y[j], Double.parseDouble(lines[59 + j]), 0.0);
      }
    }
  }

  /** The exported question gets the same answer through the standard interface. */
  @Test
  void exportedQueriesGetTheSameVerdictsThroughVerify() throws Exception {
    Path out = tmp.resolve("tutorial");
    assertEquals(0, CliRun.of("export", "examples/tutorial.rspec", "--vnnlib-version", "2",
        "--out", out.toString()).exit());
    // verdicts of `robustspec verify examples/tutorial.rspec` (golden verify_tutorial.out)
    String[][] expected = {{"below_3", "unsat"}, {"below_1_2", "sat"}, {"class_0", "unsat"}};
    for (String[] e : expected) {
      String model = e[0].equals("class_0") ? "classifier" : "tiny";
      CliRun r = CliRun.of("verify", out.resolve(e[0] + ".vnnlib").toString(), "--network",
          model + "=" + out.resolve(model + ".onnx"));
      assertEquals(0, r.exit(), r.err());
      assertEquals(e[1], r.out().split("\n")[0], e[0] + ": " + r.err());
    }
  }

  /** Mutated queries against a real model: a verdict or a clean error, never a crash. */
  @Test
  void mutatedQueriesNeverCrashTheLoading() throws Exception {
    String seed = Files.readString(Path.of("compiler/src/test/resources/vnnlib2/"
        + "two_networks.vnnlib"));
    Network acas = OnnxReader.read(Path.of("examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx"));
    assertEquals(5, acas.inputSize());
    String[] tokens = {"(", ")", "A[0,0,0,9]", "C[0,0,0,1]", "D[0,1]", "B", "(equal-to f)",
        "(isomorphic-to g)", "(declare-hidden H Real [1,50] \"relu_1\")", "==", "!=", "<", "*",
        "-", "0.5", "Real", "float64", "[1,5]", "[5]", "(or", "(and"};
    SplittableRandom r = new SplittableRandom(11);
    Path q = tmp.resolve("m.vnnlib");
    for (int iter = 0; iter < 150; iter++) {
      StringBuilder sb = new StringBuilder(seed);
      int edits = 1 + r.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int at = r.nextInt(sb.length());
        if (r.nextBoolean()) {
          sb.delete(at, Math.min(sb.length(), at + r.nextInt(20)));
        } else {
          sb.insert(at, " " + tokens[r.nextInt(tokens.length)] + " ");
        }
      }
      Files.writeString(q, sb.toString());
      java.io.StringWriter err = new java.io.StringWriter();
      try {
        StandardVerify.load(q, List.of("f=examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx",
            "g=examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx"),
            new java.io.PrintWriter(err));
      } catch (dev.robustspec.engine.io.InputFormatException e) {
        assertFalse(e.getMessage().contains("internal error"), e.getMessage());
      }
    }
  }

  /**
   * Monotonicity across two copies of one network ({@code equal-to}): A[0] <= C[0] is a
   * general input constraint between the copies' inputs, A[1] == C[1] merges two inputs.
   * relu(x0 + x1) + k relu(x0 - 0.5) is increasing in x0 for k = 1, not for k = -2.
   */
  @Test
  void monotonicityAcrossTwoCopies() throws Exception {
    for (double k : new double[] {1, -2}) {
      Network n = new Network("mono", new int[] {2}, List.of(
          new DenseLayer("d1", 2, 2, new double[] {1, 1, 1, 0}, new double[] {0, -0.5}),
          new ReluLayer("r", 2),
          new DenseLayer("d2", 2, 1, new double[] {1, k}, new double[] {0})));
      Path model = tmp.resolve("mono" + k + ".onnx");
      OnnxWriter.write(n, model);
      Path q = tmp.resolve("mono" + k + ".vnnlib");
      Files.writeString(q, "(vnnlib-version <2.0>)\n"
          + "(declare-network f (declare-input A Real [2]) (declare-output B Real [1]))\n"
          + "(declare-network g (equal-to f) (declare-input C Real [2])"
          + " (declare-output D Real [1]))\n"
          + "(assert (and (>= A[0] 0) (<= A[0] 1) (>= A[1] 0) (<= A[1] 1)"
          + " (>= C[0] 0) (<= C[0] 1)))\n"
          + "(assert (== A[1] C[1]))\n(assert (<= A[0] C[0]))\n"
          + "; unsafe: the larger input gives a smaller output, by at least 0.01\n"
          + "(assert (>= B[0] (+ D[0] 0.01)))\n");
      CliRun r = CliRun.of("verify", q.toString(), "--network", "f=" + model, "--timeout",
          "100000");
      assertEquals(0, r.exit(), r.err());
      String[] lines = r.out().split("\n");
      if (k > 0) {
        assertEquals("unsat", lines[0], r.err());
      } else {
        assertEquals("sat", lines[0], r.err());
        double a0 = Double.parseDouble(lines[2]);
        double a1 = Double.parseDouble(lines[3]);
        double c0 = Double.parseDouble(lines[7]);
        double c1 = Double.parseDouble(lines[8]);
        assertTrue(a0 <= c0 && a1 == c1, r.out());
        assertTrue(n.evaluate(new double[] {a0, a1})[0]
            >= n.evaluate(new double[] {c0, c1})[0] + 0.01, r.out());
      }
    }
  }

  /** A VNN-LIB 2 polytope is a whole property in a .rspec file, never a (larger) box region. */
  @Test
  void polytopeQueriesInRspecFiles() throws Exception {
    Files.copy(Path.of("../shared/vnnlib2/standard-tests/acc.vnnlib"), tmp.resolve("acc.vnnlib"));
    String net = "network n {\n  input x[3]\n  dense [[1, 0, 0]] + [0]\n}\n";
    Path region = tmp.resolve("region.rspec");
    Files.writeString(region, net + "region r = vnnlib(\"acc.vnnlib\")\n"
        + "property p: forall x in r: n(x)[0] <= 100\n");
    CliRun bad = CliRun.of("check", region.toString());
    assertEquals(1, bad.exit(), bad.err());
    assertTrue(bad.err().contains("region.rspec:5:12: error RS0011") && bad.err().contains(
        "general linear constraints"), bad.err());
    Path prop = tmp.resolve("prop.rspec");
    Files.writeString(prop, net + "property ok = vnnlib(\"acc.vnnlib\") on n\n");
    CliRun v = CliRun.of("verify", prop.toString(), "--json");
    assertEquals(1, v.exit(), v.err()); // falsified: y = x0 reaches 0 <= y
    com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(v.out())
        .getAsJsonObject().getAsJsonArray("properties").get(0).getAsJsonObject();
    com.google.gson.JsonArray x = j.getAsJsonObject("counterexample").getAsJsonArray("input");
    // the counterexample lies in the polytope: -1.5 x1 + x2 <= -15
    assertTrue(-1.5 * x.get(1).getAsDouble() + x.get(2).getAsDouble() <= -15, x.toString());
  }

  /** Cases with duplicate constraints removed (the VNN-LIB 2 lowering drops repeats). */
  private static List<UnsafeCase> distinct(List<UnsafeCase> cases) {
    return cases.stream().map(u -> new UnsafeCase(u.region(),
        u.constraints().stream().distinct().toList(), u.inputConstraints())).toList();
  }
}
