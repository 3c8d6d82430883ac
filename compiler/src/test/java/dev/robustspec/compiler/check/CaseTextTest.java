package dev.robustspec.compiler.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.spec.OutputConstraint;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link CaseText}: unsafe cases in the file's terms. Hand-written expectations, the compiled
 * properties of a small file, and a read-back check: the text is parsed again (by a reader of
 * its own, below) and must hold at exactly the same points as the engine's constraint.
 */
class CaseTextTest {
  private static final List<String> NAMES = CaseText.names("net(x)[", "]", 3);

  @Test
  void handWritten() {
    assertEquals("net(x)[0] > 3", CaseText.of(new OutputConstraint(new double[] {-1, 0, 0}, -3,
        true), NAMES));
    assertEquals("net(x)[0] <= net(x)[2]", CaseText.of(new OutputConstraint(
        new double[] {1, 0, -1}, 0), NAMES));
    assertEquals("net(x)[1] < net(x)[0]", CaseText.of(new OutputConstraint(
        new double[] {-1, 1, 0}, 0, true), NAMES));
    assertEquals("2*net(x)[0] - 0.5*net(x)[1] <= 1.25", CaseText.of(new OutputConstraint(
        new double[] {2, -0.5, 0}, 1.25), NAMES));
    assertEquals("net(x)[0] + net(x)[1] >= 0", CaseText.of(new OutputConstraint(
        new double[] {-1, -1, 0}, 0), NAMES));
    assertEquals("0 <= 1", CaseText.of(new OutputConstraint(new double[] {0, 0, 0}, 1), NAMES));
  }

  @Test
  void compiledPropertiesUseTheNetworkAndVariableOfTheFile() {
    String text = """
        network tiny {
          input v[2]
          dense [[1, 1], [1, -1]] + [0, 0]
        }
        region square = box { v[0..1] in [-1, 1] }
        property p: forall v in square: tiny(v)[0] <= 3 and tiny(v)[1] >= -2
        property c: forall v in square: argmax(tiny(v)) == 1
        """;
    Compilation c = Checker.compile("t.rspec", text, Path.of("."), FileLoader.direct());
    assertEquals(List.of(), c.diagnostics());
    CompiledProperty p = c.properties().get(0);
    assertEquals(List.of("tiny(v)[0] > 3", "tiny(v)[1] < -2"), p.specification().cases().stream()
        .map(p::caseText).toList());
    CompiledProperty k = c.properties().get(1);
    assertEquals(List.of("tiny(v)[1] <= tiny(v)[0]"), k.specification().cases().stream()
        .map(k::caseText).toList());
  }

  private static final Pattern TERM = Pattern.compile(
      "\\s*([+-])?\\s*(?:([0-9.Ee+-]+)\\*)?y\\[(\\d)\\]");

  /** Reads "a*y[i] - y[j] ... OP number" or "y[i] OP y[j]" and evaluates it at {@code y}. */
  private static boolean holdsAsWritten(String text, double[] y) {
    Matcher op = Pattern.compile(" (<=|>=|<|>) ").matcher(text);
    if (!op.find()) {
      throw new AssertionError("no comparison in " + text);
    }
    double left = side(text.substring(0, op.start()), y);
    double right = side(text.substring(op.end()), y);
    return switch (op.group(1)) {
      case "<=" -> left <= right;
      case "<" -> left < right;
      case ">=" -> left >= right;
      default -> left > right;
    };
  }

  private static double side(String s, double[] y) {
    if (!s.contains("y[")) {
      return Double.parseDouble(s.trim());
    }
    double sum = 0;
    Matcher m = TERM.matcher(s);
    int end = 0;
    while (m.find() && m.start() == end) {
      double k = m.group(2) == null ? 1 : Double.parseDouble(m.group(2));
      sum += ("-".equals(m.group(1)) ? -k : k) * y[Integer.parseInt(m.group(3))];
      end = m.end();
    }
    assertEquals(s.length(), end, "unread text in " + s);
    return sum;
  }

  @Test
  void textHoldsExactlyWhereTheConstraintHolds() {
    Random r = new Random(17);
    List<String> names = CaseText.names("y[", "]", 3);
    for (int trial = 0; trial < 500; trial++) {
      double[] k = new double[3];
      for (int j = 0; j < 3; j++) {
        k[j] = r.nextInt(3) == 0 ? 0 : r.nextInt(7) - 3;
      }
      double bound = r.nextInt(5) == 0 ? 0 : r.nextInt(9) - 4;
      OutputConstraint c = new OutputConstraint(k, bound, r.nextBoolean());
      String text = CaseText.of(c, names);
      for (int point = 0; point < 20; point++) {
        double[] y = new double[3];
        for (int j = 0; j < 3; j++) {
          y[j] = r.nextInt(7) - 3; // small integers: both sides are exact, ties do occur
        }
        double value = c.value(y);
        boolean holds = c.strict() ? value < bound : value <= bound;
        assertEquals(holds, holdsAsWritten(text, y), text + " at " + java.util.Arrays.toString(y)
            + " for " + c);
      }
    }
  }
}
