package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests of the CLI: each case runs the CLI in-process (working directory = repository
 * root, relative paths), masks the volatile parts (times, temp and absolute paths) and compares
 * exit code, stdout, stderr (and any file written) with {@code golden/<name>.out}.
 *
 * <p>Regenerate every golden with:
 * {@code mvn -q test -pl compiler -Dtest=CliGoldenTest -Dgolden.update=true}
 * (compiler/pom.xml maps the Maven property to the forked JVM's system property), then review
 * the diff with {@code git diff compiler/src/test/resources/golden}. That command takes the
 * engine from ~/.m2, which other checkouts may overwrite with their own install; to build the
 * engine from this checkout in the same run, add {@code -am -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CliGoldenTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final Path GOLDEN = CliRun.ROOT.resolve("compiler/src/test/resources/golden");

  static final String MNIST_NET = "examples/mnist/mnist-net_256x2.onnx";
  static final String MNIST_HOLDS = "examples/mnist/prop_0_0.03.vnnlib";
  static final String MNIST_VIOLATED = "examples/mnist/prop_1_0.05.vnnlib";
  static final String ACAS_NET = "examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx";

  @TempDir static Path tmp;

  // ---- help ----

  @Test
  void help() throws IOException {
    golden("help", Map.of(), "--help");
  }

  @Test
  void instanceHelp() throws IOException {
    golden("instance_help", Map.of(), "instance", "--help");
  }

  @Test
  void boundsHelp() throws IOException {
    golden("bounds_help", Map.of(), "bounds", "--help");
  }

  @Test
  void batchHelp() throws IOException {
    golden("batch_help", Map.of(), "batch", "--help");
  }

  // ---- verdicts ----

  @Test
  void mnistHolds() throws IOException {
    CliRun r = golden("instance_mnist_holds", Map.of(), "instance", MNIST_NET, MNIST_HOLDS);
    assertEquals(0, r.exit());
    assertEquals(1, r.out().lines().count(), "one line: " + r.out());
    assertTrue(r.out().startsWith("holds by deeppoly in "), r.out());
  }

  @Test
  void mnistHoldsByAlphaWithAWiderMargin() throws IOException {
    CliRun alpha = golden("instance_mnist_holds_alpha", Map.of(), "instance", MNIST_NET,
        MNIST_HOLDS, "--passes", "alpha(iterations=20,lr=0.5)");
    assertEquals(0, alpha.exit());
    assertTrue(alpha.out().startsWith("holds by alpha in "), alpha.out());
    CliRun deeppoly = golden("instance_mnist_holds", Map.of(), "instance", MNIST_NET, MNIST_HOLDS);
    // optimised slopes start at deeppoly's, so the margin can only grow; on this net it does
    assertTrue(margin(alpha.out()) > margin(deeppoly.out()), alpha.out() + deeppoly.out());
  }

  private static double margin(String line) {
    int at = line.indexOf("(margin ");
    return Double.parseDouble(line.substring(at + 8, line.indexOf(')', at)));
  }

  @Test
  void mnistHoldsJson() throws IOException {
    CliRun r = golden("instance_mnist_holds_json", Map.of(), "instance", MNIST_NET, MNIST_HOLDS,
        "--json");
    assertTrue(r.out().startsWith("{\"verdict\":\"holds\""), r.out());
  }

  @Test
  void mnistViolatedWithResultFile() throws IOException, InputFormatException {
    Path result = tmp.resolve("violated-result.txt");
    CliRun r = golden("instance_mnist_violated_result", Map.of("result.txt", result),
        "instance", MNIST_NET, MNIST_VIOLATED, "--result", result.toString());
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("violated by attack in "), r.out());
    // the counterexample of the result file, re-evaluated with the network, really violates
    String text = Files.readString(result);
    Network net = OnnxReader.read(Path.of(MNIST_NET));
    Specification spec = VnnlibFiles.specification(Path.of(MNIST_VIOLATED));
    ResultFiles.Sat sat = ResultFiles.parseSat(text, net.inputSize(), net.outputSize());
    double[] y = net.evaluate(sat.x());
    assertTrue(java.util.Arrays.equals(y, sat.y()),
        "the Y values of the result file are not the network's outputs at X");
    boolean violates = false;
    for (UnsafeCase c : spec.cases()) {
      violates |= c.isViolatedBy(sat.x(), y);
    }
    assertTrue(violates, "the counterexample of the result file violates no unsafe case");
  }

  @Test
  void acasUnknownJson() throws IOException {
    // without bab (which proves it), interval and deeppoly leave prop_1 open: an unknown verdict
    CliRun r = golden("instance_acas_1_1_prop_1_json", Map.of(), "instance", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--json", "--passes", "attack,interval,deeppoly");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("{\"verdict\":\"unknown\""), r.out());
  }

  @Test
  void boundsDeeppolyJson() throws IOException {
    CliRun r = golden("bounds_acas_1_1_prop_3_deeppoly_json", Map.of(), "bounds", ACAS_NET,
        "examples/acasxu/prop_3.vnnlib", "--pass", "deeppoly", "--json");
    assertEquals(0, r.exit());
  }

  @Test
  void boundsIntervalTable() throws IOException {
    CliRun r = golden("bounds_acas_1_1_prop_3_interval", Map.of(), "bounds", ACAS_NET,
        "examples/acasxu/prop_3.vnnlib", "--pass", "interval");
    assertEquals(0, r.exit());
  }

  @Test
  void boundsOfARspecPropertyWithLp() throws IOException {
    CliRun r = golden("bounds_acasxu_rspec_phi1_lp", Map.of(), "bounds", "examples/acasxu.rspec",
        "--property", "phi1", "--pass", "lp");
    assertEquals(0, r.exit());
  }

  /** A conv net: layers by ONNX node with their shapes, a line per channel (ConvDisplayCliTest). */
  @Test
  void boundsOfAConvNetByShapeAndChannel() throws IOException {
    CliRun r = golden("bounds_collins_rspec_robust_interval", Map.of(), "bounds",
        "examples/collins.rspec", "--property", "robust", "--pass", "interval");
    assertEquals(0, r.exit(), r.err());
  }

  // ---- bad input: exit code 2, a clear message, no stack trace ----

  @Test
  void missingNetwork() throws IOException {
    CliRun r = inputError("error_missing_network", Map.of(), "instance",
        "examples/acasxu/no_such_net.onnx", "examples/acasxu/prop_1.vnnlib");
    assertTrue(r.err().contains("no such file"), r.err());
  }

  @Test
  void missingNetworkJsonWithResult() throws IOException {
    Path result = tmp.resolve("missing-result.txt");
    CliRun r = inputError("error_missing_network_json", Map.of("result.txt", result), "instance",
        "examples/acasxu/no_such_net.onnx", "examples/acasxu/prop_1.vnnlib", "--json",
        "--result", result.toString());
    assertTrue(r.out().contains("\"verdict\":\"error\""), r.out());
    assertEquals("error\n", Files.readString(result));
  }

  @Test
  void vnnlibAsNetwork() throws IOException {
    CliRun r = inputError("error_vnnlib_as_network", Map.of(), "instance",
        "examples/acasxu/prop_1.vnnlib", "examples/acasxu/prop_1.vnnlib");
    assertTrue(r.err().contains("unknown network format"), r.err());
  }

  @Test
  void wrongNumberOfInputs() throws IOException {
    CliRun r = inputError("error_wrong_input_count", Map.of(), "instance", ACAS_NET, MNIST_HOLDS);
    assertTrue(r.err().contains("784 inputs") && r.err().contains("has 5"), r.err());
  }

  @Test
  void wrongNumberOfInputsBounds() throws IOException {
    CliRun r = inputError("error_bounds_wrong_input_count", Map.of(), "bounds", ACAS_NET,
        MNIST_HOLDS, "--pass", "interval");
    assertTrue(r.err().contains("784 inputs"), r.err());
  }

  @Test
  void malformedVnnlib() throws IOException {
    Path bad = tmp.resolve("unbalanced.vnnlib");
    Files.writeString(bad, "; unbalanced\n(declare-const X_0 Real)\n(assert (<= X_0 1.0)\n");
    CliRun r = inputError("error_malformed_vnnlib", Map.of(), "instance", ACAS_NET,
        bad.toString());
    assertTrue(r.err().matches("(?s).*unbalanced\\.vnnlib:\\d+:\\d+: .*"),
        "message with line:column expected: " + r.err());
  }

  @Test
  void unknownPass() throws IOException {
    CliRun r = inputError("error_unknown_pass", Map.of(), "instance", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--passes", "interval,simplex");
    assertTrue(r.err().contains("unknown pass 'simplex'"), r.err());
  }

  @Test
  void passParametersAreCheckedAgainstTheRegistry() throws IOException {
    CliRun range = inputError("error_pass_parameter_range", Map.of(), "instance", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--passes", "deeppoly,krelu(k=5)");
    assertTrue(range.err().contains("k must be in 2..4"), range.err());
    CliRun unknown = inputError("error_pass_parameter_unknown", Map.of(), "instance", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--passes", "deeppoly,krelu(q=1)");
    assertTrue(unknown.err().contains("its parameters: k, ns, s, tighten, timeout"), unknown.err());
    CliRun open = inputError("error_pass_parameter_syntax", Map.of(), "instance", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--passes", "deeppoly,krelu(k=2");
    assertTrue(open.err().contains("parameters go in parentheses"), open.err());
  }

  @Test
  void unknownBoundsPass() throws IOException {
    CliRun r = inputError("error_bounds_unknown_pass", Map.of(), "bounds", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--pass", "simplex");
    assertTrue(r.err().contains("simplex"), r.err());
  }

  @Test
  void negativeTimeout() throws IOException {
    CliRun r = inputError("error_negative_timeout", Map.of(), "instance", ACAS_NET,
        "examples/acasxu/prop_1.vnnlib", "--timeout", "-1");
    assertTrue(r.err().contains("--timeout must be positive"), r.err());
  }

  @Test
  void batchNegativeTimeout() throws IOException {
    Path csv = tmp.resolve("neg.csv");
    Files.writeString(csv, CliRun.ROOT.resolve(ACAS_NET) + ","
        + CliRun.ROOT.resolve("examples/acasxu/prop_1.vnnlib") + ",5\n");
    CliRun r = inputError("error_batch_negative_timeout", Map.of(), "batch", csv.toString(),
        "--timeout", "-1");
    assertTrue(r.err().contains("--timeout must be positive"), r.err());
  }

  @Test
  void batchTwoInstances() throws IOException {
    Path csv = tmp.resolve("two.csv");
    Path out = tmp.resolve("two-results.csv");
    Files.writeString(csv, "# a comment line\n"
        + CliRun.ROOT.resolve(ACAS_NET) + "," + CliRun.ROOT.resolve("examples/acasxu/prop_1.vnnlib")
        + ",30\n" + CliRun.ROOT.resolve(MNIST_NET) + "," + CliRun.ROOT.resolve(MNIST_HOLDS)
        + ",30"); // no final newline, as in mnistfc_2021/instances.csv
    CliRun r = golden("batch_two_instances", Map.of("results.csv", out), "batch", csv.toString(),
        "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("2 instances: holds=2"), r.out());
  }

  // ---- .rspec files: plan, verify, check ----

  @Test
  void planTutorial() throws IOException {
    assertEquals(0, golden("plan_tutorial", Map.of(), "plan", "examples/tutorial.rspec").exit());
  }

  @Test
  void planAcasxu() throws IOException {
    assertEquals(0, golden("plan_acasxu", Map.of(), "plan", "examples/acasxu.rspec").exit());
  }

  @Test
  void planMnist() throws IOException {
    assertEquals(0, golden("plan_mnist", Map.of(), "plan", "examples/mnist.rspec").exit());
  }

  @Test
  void verifyTutorial() throws IOException {
    CliRun r = golden("verify_tutorial", Map.of(), "verify", "examples/tutorial.rspec",
        "--timeout", "300", "--jobs", "2");
    assertEquals(1, r.exit(), "below_1_2 is falsified: " + r.out() + r.err());
  }

  @Test
  void verifyAcasxu() throws IOException {
    CliRun r = golden("verify_acasxu", Map.of(), "verify", "examples/acasxu.rspec",
        "--timeout", "300", "--jobs", "2");
    assertEquals(0, r.exit(), "all certified by bab in the default plans: " + r.out() + r.err());
  }

  @Test
  void verifyMnist() throws IOException {
    CliRun r = golden("verify_mnist", Map.of(), "verify", "examples/mnist.rspec",
        "--timeout", "300", "--jobs", "2");
    assertEquals(1, r.exit(), "robust1_large and robust2_large are falsified: " + r.out()
        + r.err());
  }

  @Test
  void verifyRadius() throws IOException {
    CliRun r = golden("verify_radius", Map.of(), "verify", "examples/radius.rspec",
        "--timeout", "300");
    assertEquals(0, r.exit(), "every bracket within its tolerance: " + r.out() + r.err());
    assertTrue(r.out().contains("margin     0.12499"), "tiny's radius is 0.125 by hand: "
        + r.out());
  }

  @Test
  void checkJsonOnDiagnosticsFile() throws IOException {
    CliRun r = golden("check_json_did_you_mean", Map.of(), "check",
        "compiler/src/test/resources/diagnostics/RS0002_did_you_mean.rspec", "--json");
    assertEquals(1, r.exit());
    assertTrue(r.out().contains("\"code\":\"RS0002\""), r.out());
  }

  @Test
  void checkTutorialOk() throws IOException {
    assertEquals(0, golden("check_tutorial", Map.of(), "check", "examples/tutorial.rspec")
        .exit());
  }

  // ---- the VNN-LIB 2 solver interface (verify QUERY.vnnlib, supports, --name) ----

  static final String ACAS_2_1 = "examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx";
  static final String V2 = "compiler/src/test/resources/vnnlib2/";

  @Test
  void vnnlib2Sat() throws IOException {
    // no --timeout: in-process, the JVM started long ago and the timeout counts from its start
    CliRun r = golden("verify_vnnlib2_acas_2_1_prop_2_sat", Map.of(), "verify",
        "examples/acasxu/vnnlib2/prop_2.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("sat\nX Real [1,1,1,5]\n"), r.out());
  }

  @Test
  void vnnlib2Unsat() throws IOException {
    CliRun r = golden("verify_vnnlib2_acas_2_1_prop_3_unsat", Map.of(), "verify",
        "examples/acasxu/vnnlib2/prop_3.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    assertEquals("unsat\n", r.out());
  }

  @Test
  void vnnlib1QueryThroughTheStandardInterface() throws IOException {
    CliRun r = golden("verify_vnnlib1_acas_2_1_prop_2_sat", Map.of(), "verify",
        "examples/acasxu/prop_2.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    assertTrue(r.out().startsWith("sat\nX Real [5]\n"), r.out());
  }

  @Test
  void vnnlib2TimeoutCountsFromJvmStart() throws IOException {
    // this JVM started more than a second ago, so a 1 s budget is already spent
    CliRun r = golden("verify_vnnlib2_timed_out", Map.of(), "verify",
        "examples/acasxu/vnnlib2/prop_3.vnnlib", "--network", "acasxu=" + ACAS_2_1,
        "--timeout", "1");
    assertEquals("timed-out\n", r.out());
    assertEquals(0, r.exit());
  }

  @Test
  void vnnlib2Errors() throws IOException {
    inputError("error_vnnlib2_missing_network", Map.of(), "verify",
        "examples/acasxu/vnnlib2/prop_3.vnnlib");
    inputError("error_vnnlib2_unknown_network", Map.of(), "verify",
        "examples/acasxu/vnnlib2/prop_3.vnnlib", "--network", "acasxu=" + ACAS_2_1,
        "--network", "other=" + ACAS_2_1);
    inputError("error_vnnlib2_type_mismatch", Map.of(), "verify",
        V2 + "acas_prop3_float64.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    inputError("error_vnnlib2_float32_unsound", Map.of(), "verify",
        V2 + "acas_prop3_float32.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    inputError("error_vnnlib2_poly", Map.of(), "verify", V2 + "poly.vnnlib",
        "--network", "acasxu=" + ACAS_2_1);
    inputError("error_vnnlib2_wrong_network_count", Map.of(), "verify",
        V2 + "two_networks.vnnlib", "--network", "f=" + ACAS_2_1);
    inputError("error_vnnlib2_model_size", Map.of(), "verify",
        "examples/acasxu/vnnlib2/prop_3.vnnlib", "--network", "acasxu=" + MNIST_NET);
    inputError("error_vnnlib2_rspec_options", Map.of(), "verify", "examples/tutorial.rspec",
        "--network", "a=b.onnx");
  }

  @Test
  void vnnlib2TwoNetworks() throws IOException {
    // f and g are the same model here, so B - D is exactly 0 and never reaches 1000
    CliRun r = golden("verify_vnnlib2_two_networks_unsat", Map.of(), "verify",
        V2 + "two_networks.vnnlib", "--network", "f=" + ACAS_2_1, "--network", "g=" + ACAS_2_1);
    assertEquals("unsat\n", r.out());
  }

  @Test
  void vnnlib2HiddenNodes() throws IOException {
    CliRun sat = golden("verify_vnnlib2_hidden_relu_output_sat", Map.of(), "verify",
        V2 + "hidden_sat.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    assertTrue(sat.out().startsWith("sat\n"), sat.out());
    CliRun unsat = golden("verify_vnnlib2_hidden_unsat", Map.of(), "verify",
        V2 + "hidden_unsat.vnnlib", "--network", "acasxu=" + ACAS_2_1);
    assertEquals("unsat\n", unsat.out());
    inputError("error_vnnlib2_hidden_invisible", Map.of(), "verify",
        V2 + "hidden_invisible.vnnlib", "--network", "acasxu=" + ACAS_2_1);
  }

  @Test
  void supportsAndName() throws IOException {
    String[] capabilities = {"--onnx-opset-versions", "--onnx-element-types", "--onnx-operators",
        "--vnnlib-versions", "--hidden-node-theories", "--multiple-input-output-theories",
        "--multiple-network-theories", "--multiple-node-comparison-theories",
        "--arithmetic-complexity-theories", "--optimised-disjunctive-reasoning",
        "--serialise-assignments", "--unsat-proofs"};
    for (String c : capabilities) {
      CliRun r = golden("supports_" + c.substring(2).replace('-', '_'), Map.of(), "supports", c);
      assertEquals(0, r.exit());
      assertTrue(r.err().isEmpty(), r.err());
    }
    assertEquals("robustspec\n", golden("name", Map.of(), "--name").out());
  }

  // ---- plot: pictures of the relaxations (the SVG itself is checked in compiler.plot) ----

  @Test
  void plotHelp() throws IOException {
    golden("plot_help", Map.of(), "plot", "--help");
  }

  @Test
  void plotWritesSvgToFileAndStdout() throws IOException {
    Path svg = tmp.resolve("widths.svg");
    CliRun r = CliRun.of("plot", "examples/acasxu.rspec", "--property", "phi3", "--widths",
        "--out", svg.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.readString(svg).startsWith("<?xml") && Files.readString(svg)
        .contains("data-series=\"deeppoly\""), "no widths SVG written");
    CliRun s = CliRun.of("plot", "examples/tutorial.rspec", "--property", "below_3", "--layer",
        "1", "--neurons", "1,0", "--samples", "2000", "--out", "-");
    assertEquals(0, s.exit(), s.err());
    assertTrue(s.out().startsWith("<?xml") && s.out().trim().endsWith("</svg>"), s.out());
    assertTrue(s.out().contains("neurons 1 and 0") && s.err().isEmpty(), s.err());
  }

  @Test
  void plotOutOfTimeIsAMessage() {
    CliRun r = CliRun.of("plot", "examples/mnist.rspec", "--property", "robust0_small",
        "--layer", "1", "--neurons", "0,1", "--timeout", "1e-9", "--out", "-");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith("robustspec plot: out of time after 1.00e-09 s; raise"
        + " --timeout"), r.err());
    assertFalse(r.errShowsStackTrace(), r.err());
    assertTrue(r.out().isEmpty(), "no partial SVG on stdout");
  }

  @Test
  void plotUnknownProperty() throws IOException {
    CliRun r = inputError("error_plot_unknown_property", Map.of(), "plot",
        "examples/acasxu.rspec", "--property", "phi9", "--widths", "--out", "-");
    assertTrue(r.err().contains("its properties: phi1, phi2"), r.err());
  }

  @Test
  void plotLayerOutOfRange() throws IOException {
    CliRun r = inputError("error_plot_layer_out_of_range", Map.of(), "plot",
        "examples/acasxu.rspec", "--property", "phi1", "--layer", "7", "--neurons", "0,1",
        "--out", "-");
    assertTrue(r.err().contains("numbered 1 to 6"), r.err());
  }

  @Test
  void plotNeuronOutOfRange() throws IOException {
    CliRun r = inputError("error_plot_neuron_out_of_range", Map.of(), "plot",
        "examples/acasxu.rspec", "--property", "phi1", "--layer", "2", "--neurons", "3,50",
        "--out", "-");
    assertTrue(r.err().contains("numbered 0 to 49"), r.err());
  }

  @Test
  void plotSameNeuronTwice() throws IOException {
    CliRun r = inputError("error_plot_same_neuron", Map.of(), "plot", "examples/acasxu.rspec",
        "--property", "phi1", "--layer", "2", "--neurons", "4,4", "--out", "-");
    assertTrue(r.err().contains("two different neurons"), r.err());
  }

  @Test
  void plotNeuronsNotTwoNumbers() throws IOException {
    CliRun r = inputError("error_plot_neurons_not_a_pair", Map.of(), "plot",
        "examples/acasxu.rspec", "--property", "phi1", "--layer", "2", "--neurons", "1,2,3",
        "--out", "-");
    assertTrue(r.err().contains("e.g. --neurons 0,1"), r.err());
  }

  @Test
  void plotWidthsWithNeurons() throws IOException {
    CliRun r = inputError("error_plot_widths_with_neurons", Map.of(), "plot",
        "examples/acasxu.rspec", "--property", "phi1", "--widths", "--layer", "2", "--neurons",
        "0,1", "--out", "-");
    assertTrue(r.err().contains("drop --layer and --neurons, or drop --widths"), r.err());
  }

  @Test
  void plotNothingToDraw() throws IOException {
    CliRun r = inputError("error_plot_nothing_to_draw", Map.of(), "plot",
        "examples/acasxu.rspec", "--property", "phi1", "--out", "-");
    assertTrue(r.err().contains("--layer L --neurons I,J"), r.err());
  }

  // ---- machinery ----

  private CliRun inputError(String name, Map<String, Path> files, String... args)
      throws IOException {
    CliRun r = golden(name, files, args);
    assertEquals(2, r.exit(), "exit code of bad input; stderr: " + r.err());
    assertFalse(r.errShowsStackTrace(), "stack trace or exception name shown:\n" + r.err());
    assertFalse(r.err().isBlank() && r.out().isBlank(), "no message at all");
    return r;
  }

  /** Runs the CLI; compares (or, with -Dgolden.update=true, rewrites) golden/NAME.out. */
  static CliRun golden(String name, Map<String, Path> files, String... args) throws IOException {
    CliRun r = CliRun.of(args);
    StringBuilder sb = new StringBuilder();
    sb.append("$ robustspec ").append(String.join(" ", args)).append('\n');
    sb.append("exit code: ").append(r.exit()).append('\n');
    sb.append("----- stdout -----\n").append(r.out());
    sb.append("----- stderr -----\n").append(r.err());
    for (Map.Entry<String, Path> f : new LinkedHashMap<>(files).entrySet()) {
      sb.append("----- file ").append(f.getKey()).append(" -----\n");
      sb.append(Files.exists(f.getValue()) ? Files.readString(f.getValue()) : "(not written)\n");
    }
    String actual = mask(sb.toString());
    Path file = GOLDEN.resolve(name + ".out");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return r;
    }
    if (!Files.exists(file)) {
      fail("missing golden " + file + "; create it with: mvn -q test -pl compiler "
          + "-Dtest=CliGoldenTest -Dgolden.update=true\nactual:\n" + actual);
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertEquals(expected, actual, "golden " + file.getFileName() + " differs (regenerate with"
        + " -Dgolden.update=true if the change is intended)");
    return r;
  }

  /** Replaces times, the temp folder and the repository's absolute path by placeholders. */
  static String mask(String s) {
    String out = s.replace(tmp.toString(), "<TMP>").replace(CliRun.ROOT.toString(), "<ROOT>");
    // a time in a table column is right-aligned: 10 s and more take one padding space less,
    // so the padding is masked with it (always four spaces, the width of a time under 10 s)
    out = out.replaceAll("(?<=\\S) {2,}\\d+\\.\\d+ s\\b", "    <T> s");
    out = out.replaceAll("\\b\\d+\\.\\d+ s\\b", "<T> s");
    out = out.replaceAll("(?m),\\d+\\.\\d{3}$", ",<T>"); // seconds column of batch --out
    out = out.replaceAll("\"(\\w*seconds)\":(-?[0-9][0-9.eE+-]*|null)", "\"$1\":\"<T>\"");
    return out;
  }
}
