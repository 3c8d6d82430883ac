package dev.robustspec.engine.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.Vnnlib2Reader;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every grammar test query of the VNN-LIB standard ({@code ../shared/vnnlib2/standard-tests})
 * parses, and lowers (against its declared shapes) to unsafe cases or to a documented error.
 * The outcome is compared with {@code engine/src/test/resources/vnnlib2/golden/NAME.out};
 * regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class Vnnlib2StandardTestsTest {
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final Path GOLDEN =
      TestData.repositoryRoot().resolve("engine/src/test/resources/vnnlib2/golden");

  static Path standardTests() {
    Path p = TestData.repositoryRoot().resolve("../shared/vnnlib2/standard-tests").normalize();
    if (!Files.isDirectory(p)) {
      Assumptions.assumeTrue(Boolean.getBoolean("robustspec.allowMissingShared"),
          "../shared/vnnlib2 is missing");
      throw new IllegalStateException("../shared/vnnlib2/standard-tests is missing: " + p);
    }
    return p;
  }

  static Stream<Path> queries() throws IOException {
    try (Stream<Path> s = Files.list(standardTests())) {
      return s.filter(p -> p.toString().endsWith(".vnnlib")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("queries")
  void standardQuery(Path file) throws IOException {
    String text = Files.readString(file);
    assertTrue(Vnnlib2Reader.hasVersionHeader(text), "version header of " + file);
    String name = file.getFileName().toString().replace(".vnnlib", "");
    String actual = describe(file, text);
    assertFalse(actual.contains("internal error"), actual);
    Path golden = GOLDEN.resolve(name + ".out");
    if (UPDATE) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(golden), "no golden file " + golden + " (run with -Dgolden.update=true)");
    assertEquals(Files.readString(golden), actual, "golden " + golden);
  }

  /** The parse and lowering outcome as stable text. */
  static String describe(Path file, String text) {
    StringBuilder sb = new StringBuilder();
    VnnlibQuery q;
    try {
      q = Vnnlib2Reader.read(text, Path.of(file.getFileName().toString()));
    } catch (InputFormatException e) {
      return "parse error: " + e.getMessage() + "\n";
    }
    sb.append("version ").append(q.version()).append('\n');
    for (VnnlibQuery.NetworkDecl n : q.networks()) {
      sb.append("network ").append(n.name());
      if (n.equivalence() != VnnlibQuery.Equivalence.NONE) {
        sb.append(' ').append(n.equivalence()).append(' ').append(n.target());
      }
      sb.append('\n');
      for (List<VnnlibQuery.VarDecl> group : List.of(n.inputs(), n.hidden(), n.outputs())) {
        for (VnnlibQuery.VarDecl v : group) {
          sb.append("  ").append(v.kind()).append(' ').append(v.name()).append(' ')
              .append(v.elementType()).append(' ').append(v.shapeText());
          if (v.onnxName() != null) {
            sb.append(" \"").append(v.onnxName()).append('"');
          }
          if (v.initialized()) {
            sb.append(" initialized");
          }
          sb.append('\n');
        }
      }
    }
    sb.append(q.atoms().size()).append(" atoms, ").append(q.common().length)
        .append(" in every case, ").append(q.disjunctive().size()).append(" disjunctive asserts\n");
    for (VnnlibQuery.Atom a : q.atoms()) {
      sb.append("  ").append(a.pos().line()).append(':').append(a.pos().column()).append("  ");
      for (int k = 0; k < a.slots().length; k++) {
        sb.append(k > 0 ? " + " : "").append(a.coefs()[k]).append('*')
            .append(q.slotName(a.slots()[k]));
      }
      sb.append(a.strict() ? " < " : " <= ").append(a.bound()).append('\n');
      if (sb.length() > 20_000) {
        sb.append("  ...\n");
        break;
      }
    }
    try {
      QueryLowering.Lowered l = QueryLowering.lower(q, null);
      sb.append("lowered: ").append(l.spec().inputSize()).append(" engine inputs, ")
          .append(l.spec().outputSize()).append(" outputs, ").append(l.spec().cases().size())
          .append(" unsafe cases\n");
      int c = 0;
      for (UnsafeCase uc : l.spec().cases()) {
        sb.append("  case ").append(c++).append(": box ").append(uc.region()).append('\n');
        for (InputConstraint ic : uc.inputConstraints()) {
          sb.append("    input ").append(ic).append('\n');
        }
        for (OutputConstraint oc : uc.constraints()) {
          sb.append("    output ").append(oc).append('\n');
        }
      }
    } catch (InputFormatException e) {
      sb.append("lowering error: ").append(e.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
