package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden files of what the editor shows for each example: every diagnostic once all verdicts are
 * in (checker diagnostics and verdicts, with related information), and the hovers at chosen
 * places. Times are masked; everything else (margins, bounds, counterexamples) is deterministic.
 *
 * <p>Regenerate with
 * {@code mvn -q test -pl lsp-server -am -Dtest=LanguageServiceGoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true} and review the diff in
 * {@code lsp-server/src/test/resources/golden}.
 */
class LanguageServiceGoldenTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final Path GOLDEN = ServiceFixture.ROOT.resolve("lsp-server/src/test/resources/golden");

  /** A hover place: the {@code n}-th occurrence of {@code marker}, {@code shift} chars in. */
  record Place(String marker, int n, int shift) {}

  @Test
  void tutorial() throws Exception {
    check("tutorial.rspec", List.of(
        new Place("network tiny", 0, 9),     // network declaration
        new Place("dense [[1, -1]", 0, 2),   // first inline layer
        new Place("  relu", 0, 3),           // the ReLU after it
        new Place("x[0] in [-1, 1]", 0, 1),  // an input in a box
        new Place("tiny(x)[0] <= 3", 0, 8),  // an output in a formula
        new Place("below_1_2", 0, 2),        // a falsified property
        new Place("deeppoly", 1, 3),         // a pass name in a plan
        new Place("attack(", 0, 2),          // a pass with parameters
        new Place("eps = eps", 0, 7)));      // a constant
  }

  @Test
  void acasxu() throws Exception {
    check("acasxu.rspec", List.of(
        new Place("acas(x)[0]", 0, 1),       // a network inside a property: layers and bounds
        new Place("acas(x)[0]", 0, 8),       // the output
        new Place("property phi1", 0, 10),   // a property's verdict and plan
        new Place("x[4] in", 0, 1),          // an input of a box
        new Place("far_and_slow", 0, 3)));   // a region
  }

  @Test
  void mnist() throws Exception {
    check("mnist.rspec", List.of(
        new Place("network mnist", 0, 9),    // an imported network: its layers
        new Place("robust1_large:", 0, 3),   // falsified
        new Place("robust0_large:", 0, 3),   // unknown
        new Place("mnist(x)) == 4", 0, 2),   // the network under robust0_small's region
        new Place("argmax(mnist(x)) == 7", 0, 2))); // every output, under robust1_small's
  }

  private void check(String example, List<Place> places) throws IOException {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample(example);
      String text = ServiceFixture.read(ServiceFixture.example(example));
      f.awaitVerdicts(uri, 1);
      StringBuilder sb = new StringBuilder();
      sb.append("== diagnostics of examples/").append(example).append(" ==\n");
      for (EditorDiagnostic d : f.diagnostics.get(uri)) {
        sb.append(d.range().startLine()).append(':').append(d.range().startColumn()).append('-')
            .append(d.range().endLine()).append(':').append(d.range().endColumn()).append(' ')
            .append(d.severity().word()).append(' ').append(d.code()).append(": ")
            .append(d.message()).append('\n');
        for (EditorDiagnostic.Related r : d.related()) {
          sb.append("    related: ").append(r.message()).append('\n');
        }
      }
      for (Place p : places) {
        int offset = ServiceFixture.offsetOf(text, p.marker(), p.n(), p.shift());
        HoverResult h;
        try {
          h = f.service.hover(uri, offset);
        } catch (LanguageService.ServiceException e) {
          throw new AssertionError(e.getMessage(), e);
        }
        sb.append("\n== hover at '").append(p.marker()).append("' #").append(p.n()).append(" +")
            .append(p.shift()).append(" ==\n");
        if (h == null) {
          sb.append("(none)\n");
        } else {
          sb.append("range ").append(h.range().startLine()).append(':')
              .append(h.range().startColumn()).append('-').append(h.range().endLine())
              .append(':').append(h.range().endColumn()).append('\n').append(h.markdown())
              .append(h.markdown().endsWith("\n") ? "" : "\n");
        }
      }
      compare(example.replace(".rspec", ""), mask(sb.toString()));
    }
  }

  /**
   * Times vary from run to run, and so does how many subproblems a time-limited relubab (parallel)
   * bounds before its limit; nothing else may.
   */
  static String mask(String s) {
    return s.replaceAll("\\b\\d+ ms\\b", "<T>").replaceAll("\\b\\d+\\.\\d+ s\\b", "<T>")
        .replaceAll("\\b[\\d,]+ subproblems\\b", "<N> subproblems");
  }

  static void compare(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve("service_" + name + ".out");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("missing golden " + file + "; create it with -Dgolden.update=true\nactual:\n" + actual);
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertEquals(expected, actual, "golden " + file.getFileName() + " differs (regenerate with"
        + " -Dgolden.update=true if the change is intended)");
  }
}
