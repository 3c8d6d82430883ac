package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our forward pass equals ONNX Runtime's ({@link ModelCheck}, within 2^10 float32 ulps of the
 * output magnitude) on every network shipped in examples/ and every network of
 * ../shared/benchmarks that our reader loads, at 12 points of a VNN-LIB input box of that
 * network (centre, two corners, random points). Networks the reader rejects with its
 * unsupported-operator error are listed, and that list must be exactly the expected one, so
 * no network is skipped silently.
 */
class OnnxRuntimeCrossCheckTest {

  /** Networks the reader refuses today: none (residual graphs load since issue 13's graph
   *  network, cgan's ConvTranspose/Upsample since issue 14); a refusal is a test failure. */
  private static final List<String> EXPECTED_UNSUPPORTED = List.of();

  private static List<Path> onnxFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
    }
  }

  /** A VNN-LIB file of the same folder tree whose input dimension is the network's. */
  private static Optional<Box> boxFor(Path net, Path suite, int inputs) throws IOException {
    Path csv = suite.resolve("instances.csv");
    if (Files.exists(csv)) {
      for (String line : Files.readAllLines(csv)) {
        String[] f = line.split(",");
        if (f.length >= 2 && suite.resolve(f[0].trim()).normalize().equals(net.normalize())) {
          return box(suite.resolve(f[1].trim()), inputs);
        }
      }
    }
    try (Stream<Path> s = Files.walk(net.getParent())) {
      for (Path p : s.filter(q -> q.toString().endsWith(".vnnlib")).sorted().toList()) {
        Optional<Box> b = box(p, inputs);
        if (b.isPresent()) {
          return b;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Box> box(Path vnnlib, int inputs) {
    try {
      Box b = VnnlibFiles.specification(vnnlib).regions().get(0);
      return b.dimension() == inputs ? Optional.of(b) : Optional.empty();
    } catch (InputFormatException e) {
      return Optional.empty();
    }
  }

  @Test
  void forwardPassEqualsOnnxRuntimeOnEveryNetworkWeRead() throws Exception {
    Path benchmarks = TestData.benchmarks(); // fails loudly when ../shared is missing
    TreeSet<String> unsupported = new TreeSet<>();
    int checked = 0;
    for (Path top : List.of(TestData.examples(), benchmarks)) {
      for (Path file : onnxFiles(top)) {
        Path rel = top.relativize(file);
        Path suite = top.equals(benchmarks) ? top.resolve(rel.getName(0)) : file.getParent();
        Network net;
        try {
          net = OnnxReader.read(file);
        } catch (InputFormatException e) {
          if (e.getMessage().contains("unsupported ONNX operator")) {
            unsupported.add(top.getFileName() + "/" + rel);
            continue;
          }
          throw new AssertionError("the reader fails on " + file + ": " + e.getMessage(), e);
        }
        Box box = boxFor(file, suite, net.inputSize())
            .orElseGet(() -> fail("no VNN-LIB box of dimension " + net.inputSize() + " for "
                + file));
        ModelCheck.Report r = ModelCheck.check(file, net, box, 12, 42);
        assertNull(r.mismatch(), () -> file + ": output " + r.mismatch().output() + " ours "
            + r.mismatch().ours()[r.mismatch().output()] + " vs ONNX Runtime "
            + r.mismatch().onnxRuntime()[r.mismatch().output()]);
        assertEquals(12, r.points());
        checked++;
      }
    }
    assertEquals(EXPECTED_UNSUPPORTED, List.copyOf(unsupported),
        "networks skipped as unsupported");
    assertTrue(checked >= 50, "only " + checked + " networks checked");
  }

  @Test
  void aWrongImportIsCaught() throws Exception {
    // the weights of one ACAS Xu net against ONNX Runtime running another: must disagree
    Path a = TestData.examples().resolve("acasxu/ACASXU_run2a_1_1_batch_2000.onnx");
    Path b = TestData.examples().resolve("acasxu/ACASXU_run2a_2_1_batch_2000.onnx");
    Network wrong = OnnxReader.read(b);
    Box box = boxFor(a, a.getParent(), wrong.inputSize()).orElseThrow();
    ModelCheck.Report r = ModelCheck.check(a, wrong, box, 12, 1);
    assertTrue(r.mismatch() != null && r.worstRatio() > 1, "a different net passed the check");
    String message = ModelCheck.refusal(a, r);
    assertTrue(message.startsWith(a + ": our forward pass differs from ONNX Runtime's at output")
        && message.contains("refusing to verify") && message.contains("point: ["
        + r.mismatch().point()[0]) && message.contains("ONNX Runtime: ["), message);
    ModelCheck.Report same = ModelCheck.check(a, OnnxReader.read(a), box, 12, 1);
    assertNull(same.mismatch());
  }

  @Test
  void checkModelOptionVerifiesAModelThatAgreesAndRefusesWhatItCannotCheck() throws Exception {
    CliRun ok = CliRun.of("instance", "examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx",
        "examples/acasxu/prop_1.vnnlib", "--check-model", "--timeout", "20");
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().matches("(holds|violated|unknown|timeout)[^\\n]*\\n"), ok.out());
    CliRun nnet = CliRun.of("instance", "examples/acasxu/ACASXU_experimental_v2a_1_1.nnet",
        "examples/acasxu/prop_1.vnnlib", "--check-model");
    assertEquals(2, nnet.exit());
    assertTrue(nnet.err().contains("--check-model compares with ONNX Runtime and needs an .onnx"
        + " network"), nnet.err());
  }
}
