package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.NnetReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --result} file: its first line is exactly one of unsat/sat/unknown/timeout/error;
 * a {@code sat} block lists all inputs then all outputs and really violates; bad input of any
 * kind (unreadable files and bad options alike, as the help promises) gives {@code error}.
 */
class ResultFileContractTest {
  static final Set<String> WORDS = Set.of("unsat", "sat", "unknown", "timeout", "error");
  static final String ACAS_ONNX = "examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx";

  @TempDir Path tmp;

  private String run(int expectedExit, String... args) throws IOException {
    Path result = tmp.resolve("result.txt");
    Files.deleteIfExists(result);
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--result";
    all[args.length + 1] = result.toString();
    CliRun r = CliRun.of(all);
    assertEquals(expectedExit, r.exit(), "exit code; stderr: " + r.err());
    assertTrue(Files.exists(result), "no result file written for " + List.of(args));
    String text = Files.readString(result);
    assertTrue(text.endsWith("\n"), "result file does not end with a newline");
    String first = ResultFiles.first(text);
    assertTrue(WORDS.contains(first), "first line '" + first + "' is not a result word");
    return text;
  }

  @Test
  void holdsIsUnsat() throws IOException {
    assertEquals("unsat\n", run(0, "instance", "examples/mnist/mnist-net_256x2.onnx",
        "examples/mnist/prop_0_0.03.vnnlib"));
  }

  @Test
  void unknownIsUnknown() throws IOException {
    // without bab (which proves it), interval and deeppoly leave prop_1 open
    assertEquals("unknown\n", run(0, "instance", ACAS_ONNX, "examples/acasxu/prop_1.vnnlib",
        "--passes", "attack,interval,deeppoly"));
  }

  /** ACAS Xu prop_2 is violated on net 2_1 (shipped ONNX); the MNIST example is sat for sure. */
  @Test
  void satBlockListsAllInputsThenOutputsAndViolates() throws IOException, InputFormatException {
    String net = "examples/acasxu/ACASXU_run2a_2_1_batch_2000.onnx";
    String prop = "examples/acasxu/prop_2.vnnlib";
    String text = run(0, "instance", net, prop);
    if (!text.startsWith("sat")) {
      // the search may miss it; the MNIST example below is the firm sat check
      assertTrue(text.equals("unknown\n") || text.equals("timeout\n"), text);
    } else {
      checkSat(text, Inputs.network(Path.of(net)), VnnlibFiles.specification(Path.of(prop)));
    }
    String mnistNet = "examples/mnist/mnist-net_256x2.onnx";
    String mnistProp = "examples/mnist/prop_1_0.05.vnnlib";
    String mnist = run(0, "instance", mnistNet, mnistProp, "--json");
    checkSat(mnist, Inputs.network(Path.of(mnistNet)), VnnlibFiles.specification(Path.of(mnistProp)));
  }

  private static void checkSat(String text, Network net, Specification spec) {
    ResultFiles.Sat sat = ResultFiles.parseSat(text, net.inputSize(), net.outputSize());
    double[] y = net.evaluate(sat.x());
    for (int j = 0; j < y.length; j++) {
      assertEquals(y[j], sat.y()[j], 0.0, "Y_" + j + " is not the network output at X");
    }
    boolean violated = false;
    for (UnsafeCase c : spec.cases()) {
      violated |= c.isViolatedBy(sat.x(), y);
    }
    assertTrue(violated, "the sat block's X violates no unsafe case");
  }

  @Test
  void nnetNetworkGivesSameKindOfFile() throws IOException, InputFormatException {
    String text = run(0, "instance", "examples/acasxu/ACASXU_experimental_v2a_1_1.nnet",
        "examples/acasxu/prop_1.vnnlib");
    assertTrue(Set.of("unsat\n", "unknown\n").contains(text) || text.startsWith("sat\n"), text);
    assertEquals(5, NnetReader.read(Path.of("examples/acasxu/ACASXU_experimental_v2a_1_1.nnet"))
        .network().inputSize());
  }

  @Test
  void missingFileIsError() throws IOException {
    assertEquals("error\n", run(2, "instance", "examples/acasxu/none.onnx",
        "examples/acasxu/prop_1.vnnlib"));
  }

  @Test
  void wrongSizesIsError() throws IOException {
    assertEquals("error\n", run(2, "instance", ACAS_ONNX, "examples/mnist/prop_0_0.03.vnnlib"));
  }

  @Test
  void malformedPropertyIsError() throws IOException {
    Path bad = tmp.resolve("bad.vnnlib");
    Files.writeString(bad, "(declare-const X_0 Real)\n(assert (<= X_0 1.0)\n");
    assertEquals("error\n", run(2, "instance", ACAS_ONNX, bad.toString()));
  }

  /** The help says "2 for bad input (the result file then says 'error')": options too. */
  @Test
  void unknownPassIsError() throws IOException {
    assertEquals("error\n", run(2, "instance", ACAS_ONNX, "examples/acasxu/prop_1.vnnlib",
        "--passes", "simplex"));
  }

  @Test
  void negativeTimeoutIsError() throws IOException {
    assertEquals("error\n", run(2, "instance", ACAS_ONNX, "examples/acasxu/prop_1.vnnlib",
        "--timeout", "-1"));
  }

  /** JSON keys are stable: decided_by and counterexample are present (null) when not decided. */
  @Test
  void unknownJsonKeepsNullKeys() {
    CliRun r = CliRun.of("instance", ACAS_ONNX, "examples/acasxu/prop_1.vnnlib", "--json",
        "--passes", "attack,interval,deeppoly");
    JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("unknown", j.get("verdict").getAsString());
    assertTrue(j.has("decided_by") && j.get("decided_by").isJsonNull(),
        "decided_by missing from " + r.out());
    assertTrue(j.has("counterexample") && j.get("counterexample").isJsonNull(),
        "counterexample missing from " + r.out());
    assertFalse(r.errShowsStackTrace());
  }
}
