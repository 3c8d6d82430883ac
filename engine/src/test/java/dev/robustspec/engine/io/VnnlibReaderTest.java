package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VnnlibReaderTest {
  private static final Path NAME = Path.of("inline.vnnlib");

  private static Path acas(int k) {
    return TestData.benchmarks().resolve("acasxu/vnnlib/prop_" + k + ".vnnlib");
  }

  /** Coefficient row over 5 outputs. */
  private static OutputConstraint row5(double bound, double... c) {
    return new OutputConstraint(c, bound);
  }

  /** y_a - y_b <= 0 over m outputs. */
  private static OutputConstraint lessEq(int m, int a, int b) {
    double[] c = new double[m];
    c[a] = 1;
    c[b] = -1;
    return new OutputConstraint(c, 0);
  }

  private static Specification read(String text) throws InputFormatException {
    return VnnlibFiles.specification(text, NAME);
  }

  /** Declarations for n inputs, m outputs. */
  private static String decls(int n, int m) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("(declare-const X_").append(i).append(" Real)\n");
    }
    for (int j = 0; j < m; j++) {
      sb.append("(declare-const Y_").append(j).append(" Real)\n");
    }
    return sb.toString();
  }

  // ---- ACAS Xu -------------------------------------------------------------------------------

  @Test
  void allAcasXuPropertiesRead() throws Exception {
    int[] expectedCases = {1, 1, 1, 1, 4, 8, 2, 3, 4, 4};
    for (int k = 1; k <= 10; k++) {
      Specification s = VnnlibFiles.specification(acas(k));
      assertEquals(5, s.inputSize(), "prop " + k);
      assertEquals(5, s.outputSize(), "prop " + k);
      assertEquals(expectedCases[k - 1], s.cases().size(), "prop " + k);
      for (UnsafeCase c : s.cases()) {
        for (int i = 0; i < 5; i++) {
          assertTrue(Double.isFinite(c.region().lower()[i]) && Double.isFinite(c.region().upper()[i]));
        }
      }
    }
  }

  @Test
  void acasProp1BoxAndConstraint() throws Exception {
    Specification s = VnnlibFiles.specification(acas(1));
    UnsafeCase c = s.cases().get(0);
    assertArrayEquals(new double[] {0.6, -0.5, -0.5, 0.45, -0.5}, c.region().lower());
    assertArrayEquals(new double[] {0.679857769, 0.5, 0.5, 0.5, -0.45}, c.region().upper());
    assertEquals(List.of(row5(-3.991125645861615, -1, 0, 0, 0, 0)), c.constraints());
    assertEquals("-y0 <= -3.991125645861615", c.constraints().get(0).toString());
  }

  @Test
  void acasProp2Prop3Prop4ConstraintShapes() throws Exception {
    // prop 2: (<= Y_j Y_0) for j = 1..4, i.e. y_j - y_0 <= 0, all in one case
    Specification p2 = VnnlibFiles.specification(acas(2));
    assertEquals(List.of(lessEq(5, 1, 0), lessEq(5, 2, 0), lessEq(5, 3, 0), lessEq(5, 4, 0)),
        p2.cases().get(0).constraints());
    // props 3 and 4: (<= Y_0 Y_j): y_0 - y_j <= 0
    List<OutputConstraint> coc = List.of(lessEq(5, 0, 1), lessEq(5, 0, 2), lessEq(5, 0, 3),
        lessEq(5, 0, 4));
    Specification p3 = VnnlibFiles.specification(acas(3));
    assertEquals(coc, p3.cases().get(0).constraints());
    assertArrayEquals(new double[] {-0.303531156, -0.009549297, 0.493380324, 0.3, 0.3},
        p3.cases().get(0).region().lower());
    Specification p4 = VnnlibFiles.specification(acas(4));
    assertEquals(coc, p4.cases().get(0).constraints());
    assertEquals(0.0, p4.cases().get(0).region().lower()[2]);
    assertEquals(0.0, p4.cases().get(0).region().upper()[2]);
  }

  @Test
  void acasProp6IsTwoBoxesTimesFourOutputCases() throws Exception {
    Specification s = VnnlibFiles.specification(acas(6));
    assertEquals(8, s.cases().size());
    List<Box> regions = s.regions();
    assertEquals(2, regions.size());
    assertArrayEquals(new double[] {-0.129289109, 0.11140846, -0.499999896, -0.5, -0.5},
        regions.get(0).lower());
    assertArrayEquals(new double[] {0.700434925, 0.499999896, -0.499204121, 0.5, 0.5},
        regions.get(0).upper());
    assertEquals(-0.11140846, regions.get(1).upper()[1]);
    for (int b = 0; b < 2; b++) {
      for (int j = 1; j <= 4; j++) {
        UnsafeCase c = s.cases().get(b * 4 + j - 1);
        assertEquals(regions.get(b), c.region());
        assertEquals(List.of(lessEq(5, j, 0)), c.constraints());
      }
    }
  }

  // ---- MNIST ---------------------------------------------------------------------------------

  @Test
  void allMnistPropertiesRead() throws Exception {
    Path dir = TestData.benchmarks().resolve("mnistfc/vnnlib");
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".vnnlib")).sorted().toList();
    }
    assertEquals(30, files.size());
    Pattern label = Pattern.compile("; Mnist property with label: (\\d+)\\.");
    for (Path f : files) {
      Matcher mt = label.matcher(Files.readString(f));
      assertTrue(mt.find(), f.toString());
      int c = Integer.parseInt(mt.group(1));
      Specification s = VnnlibFiles.specification(f);
      assertEquals(784, s.inputSize());
      assertEquals(10, s.outputSize());
      assertEquals(9, s.cases().size(), f.toString());
      assertEquals(1, s.regions().size());
      Box box = s.regions().get(0);
      for (int i = 0; i < 784; i++) {
        assertTrue(box.lower()[i] >= 0 && box.upper()[i] <= 1 && box.lower()[i] <= box.upper()[i],
            f + " X_" + i);
      }
      Set<Integer> others = new HashSet<>();
      for (UnsafeCase uc : s.cases()) {
        assertEquals(1, uc.constraints().size());
        double[] k = uc.constraints().get(0).coefficients();
        // (>= Y_j Y_c) is y_c - y_j <= 0
        assertEquals(1.0, k[c], f.toString());
        int j = -1;
        for (int q = 0; q < 10; q++) {
          if (k[q] == -1.0) {
            j = q;
          } else if (q != c) {
            assertEquals(0.0, k[q]);
          }
        }
        assertTrue(j >= 0 && j != c);
        others.add(j);
        assertEquals(0.0, uc.constraints().get(0).bound());
      }
      assertEquals(9, others.size());
    }
  }

  // ---- edge cases ----------------------------------------------------------------------------

  @Test
  void numbersInAllSpellings() throws Exception {
    Specification s = read(decls(4, 1)
        + "(assert (>= X_0 1e-5)) (assert (<= X_0 3.2E+2))\n"
        + "(assert (>= X_1 (- 0.5))) (assert (<= X_1 -0.25))\n"
        + "(assert (>= X_2 -3.2E+2)) (assert (<= X_2 7))\n"
        + "(assert (>= X_3 .5)) (assert (<= X_3 +2.))\n"
        + "(assert (<= Y_0 1.5e1))");
    Box b = s.cases().get(0).region();
    assertArrayEquals(new double[] {1e-5, -0.5, -320, 0.5}, b.lower());
    assertArrayEquals(new double[] {320, -0.25, 7, 2}, b.upper());
    assertEquals(List.of(new OutputConstraint(new double[] {1}, 15)),
        s.cases().get(0).constraints());
  }

  @Test
  void reversedAtomOrderAndStrictComparisons() throws Exception {
    Specification s = read(decls(1, 2)
        + "(assert (>= 0.5 X_0)) (assert (< -0.5 X_0))\n"
        + "(assert (> Y_0 Y_1)) (assert (< 2 Y_1))");
    UnsafeCase c = s.cases().get(0);
    assertArrayEquals(new double[] {-0.5}, c.region().lower());
    assertArrayEquals(new double[] {0.5}, c.region().upper());
    // y0 > y1 -> y1 - y0 < 0 ; 2 < y1 -> -y1 < -2: strict kept (the passes close them)
    assertEquals(List.of(new OutputConstraint(new double[] {-1, 1}, 0, true),
        new OutputConstraint(new double[] {0, -1}, -2, true)), c.constraints());
    // a strict comparison of constants is decided strictly: (< 1 1) is false, no case left
    assertEquals(0, read(decls(1, 1) + "(assert (>= X_0 0)) (assert (<= X_0 1))\n"
        + "(assert (< 1 1)) (assert (<= Y_0 0))").cases().size());
  }

  @Test
  void nestedAndOrExpandsToDnf() throws Exception {
    Specification s = read(decls(1, 2)
        + "(assert (and (<= X_0 1) (>= X_0 0)))\n"
        + "(assert (and (or (<= Y_0 1) (<= Y_0 2)) (or (<= Y_1 3) (and (<= Y_1 4)))))");
    assertEquals(4, s.cases().size());
    double[][] expected = {{1, 3}, {1, 4}, {2, 3}, {2, 4}};
    for (int k = 0; k < 4; k++) {
      List<OutputConstraint> cs = s.cases().get(k).constraints();
      assertEquals(List.of(new OutputConstraint(new double[] {1, 0}, expected[k][0]),
          new OutputConstraint(new double[] {0, 1}, expected[k][1])), cs);
    }
    // an or nested under and under or
    Specification t = read(decls(1, 1)
        + "(assert (<= X_0 1)) (assert (>= X_0 0))\n"
        + "(assert (or (<= Y_0 0) (and (>= Y_0 5) (or (<= Y_0 6) (<= Y_0 7)))))");
    assertEquals(3, t.cases().size());
    assertEquals(2, t.cases().get(2).constraints().size());
  }

  @Test
  void longFlatConjunctionInOneAssertReadsEveryBound() throws Exception {
    // e.g. a CIFAR-sized input with all bounds in a single (and ...); distinct bounds per element
    // so that a reader mixing up elements or dropping the tail of a long list fails
    int n = 6000;
    StringBuilder sb = new StringBuilder(decls(n, 2)).append("(assert (and");
    for (int i = 0; i < n; i++) {
      sb.append(" (>= X_").append(i).append(' ').append(i).append(") (<= X_").append(i)
          .append(' ').append(i + 0.5).append(')');
    }
    sb.append(" (or (<= Y_0 Y_1) (<= Y_1 Y_0))))");
    Specification s = read(sb.toString());
    assertEquals(2, s.cases().size());
    assertEquals(1, s.regions().size());
    Box box = s.regions().get(0);
    for (int i = 0; i < n; i++) {
      assertEquals(i, box.lower()[i], "lower bound of X_" + i);
      assertEquals(i + 0.5, box.upper()[i], "upper bound of X_" + i);
    }
  }

  @Test
  void disjunctiveInputRegionsAndEmptyBoxTermDropped() throws Exception {
    Specification s = read(decls(1, 1)
        + "(assert (or (and (>= X_0 0) (<= X_0 1)) (and (>= X_0 3) (<= X_0 2))"
        + " (and (>= X_0 5) (<= X_0 6))))\n"
        + "(assert (or (<= Y_0 0) (>= Y_0 1)))");
    assertEquals(4, s.cases().size()); // the [3, 2] box is empty: its 2 cases are dropped
    assertEquals(List.of(new Box(new double[] {0}, new double[] {1}),
        new Box(new double[] {5}, new double[] {6})), s.regions());
    // A common box that is empty leaves no unsafe case at all: the property holds trivially.
    Specification none = read(decls(1, 1) + "(assert (>= X_0 1)) (assert (<= X_0 0)) "
        + "(assert (<= Y_0 0))");
    assertEquals(0, none.cases().size());
  }

  @Test
  void commentsEverywhereAndCrlf() throws Exception {
    String text = "; header\r\n(declare-const X_0 Real) ; trailing\r\n"
        + "(declare-const ; inside\r\n Y_0 real)\r\n"
        + "(assert ; a\r\n (and (<= X_0 ; b\r\n 1) ; c\r\n (>= X_0 0)))\r\n"
        + "(assert (<= Y_0 0)) ; end without newline";
    Specification s = read(text);
    assertEquals(1, s.cases().size());
    // positions still count CRLF as one line end
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> read("(declare-const X_0 Real)\r\n\r\n  (assert (<= X_9 1))"));
    assertEquals(3, e.line());
    assertEquals(15, e.column());
  }

  @Test
  void equalityLinearTermsAndIgnoredCommands() throws Exception {
    Specification s = read("(set-logic QF_LRA)\n" + decls(2, 2)
        + "(assert (= X_0 0.25)) (assert (<= (* 2 X_1) 1)) (assert (>= (- X_1) (/ 1 2)))"
        + " (assert (>= X_1 -1))\n"
        + "(assert (<= (+ Y_0 (* 2 Y_1)) (- 3 1)))\n(check-sat)\n(exit)");
    Box b = s.cases().get(0).region();
    assertArrayEquals(new double[] {0.25, -1}, b.lower());
    assertArrayEquals(new double[] {0.25, -0.5}, b.upper());
    assertEquals(List.of(new OutputConstraint(new double[] {1, 2}, 2)),
        s.cases().get(0).constraints());
  }

  // ---- errors --------------------------------------------------------------------------------

  private static InputFormatException fails(String text, int line, int column, String fragment) {
    InputFormatException e = assertThrows(InputFormatException.class, () -> read(text));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(e.problem().contains(fragment), e.getMessage());
    assertEquals(NAME, e.file());
    return e;
  }

  private static final String OK_TAIL = "(assert (<= X_0 1)) (assert (>= X_0 0))\n";

  @Test
  void unbalancedParentheses() {
    // too few: the outermost unclosed '(' is named
    fails(decls(1, 1) + "(assert (<= X_0 1)\n(assert (>= X_0 0))", 3, 1, "never closed");
    // too many
    fails(decls(1, 1) + OK_TAIL + "(assert (<= Y_0 1)))", 4, 20, "no matching '('");
    fails(")", 1, 1, "no matching '('");
  }

  @Test
  void undeclaredVariableAndUnknownSymbols() {
    fails(decls(1, 1) + "(assert (<= X_1 1))", 3, 13, "undeclared variable X_1");
    fails(decls(1, 1) + "(assert (<= foo 1))", 3, 13, "undeclared variable or unknown symbol");
    fails(decls(1, 1) + "(assert (foo X_0 1))", 3, 10, "unknown function symbol 'foo'");
    fails(decls(1, 1) + "(assert (not (<= X_0 1)))", 3, 10, "'not' is not supported");
    fails(decls(1, 1) + "(assert (<= (sin X_0) 1))", 3, 14, "unknown function symbol 'sin'");
    fails(decls(1, 1) + "(check-model)", 3, 2, "unknown command 'check-model'");
  }

  @Test
  void badNumbersAndNan() {
    fails(decls(1, 1) + "(assert (<= X_0 NaN))", 3, 17, "NaN");
    fails(decls(1, 1) + "(assert (<= X_0 -inf))", 3, 17, "infinite");
    fails(decls(1, 1) + "(assert (<= X_0 1.2.3))", 3, 17, "bad number '1.2.3'");
    fails(decls(1, 1) + "(assert (<= X_0 1e999))", 3, 17, "out of range");
  }

  @Test
  void declarationErrors() {
    fails("(declare-const X_0 Real)\n(declare-const X_0 Real)", 2, 16, "duplicate declaration");
    fails("(declare-const X_0 Int)", 1, 20, "only Real");
    fails("(declare-const X_0 Real)(declare-const X_2 Real)(declare-const Y_0 Real)"
        + "(assert (<= Y_0 1))", 1, 40, "X_1 is not");
    fails("(declare-const Z Real)", 1, 16, "unsupported variable name");
  }

  @Test
  void missingInputBound() {
    fails(decls(2, 1) + "(assert (<= X_0 1)) (assert (>= X_0 0)) (assert (<= X_1 1))\n"
        + "(assert (<= Y_0 0))", 2, 16, "input X_1 has no lower bound");
    fails(decls(2, 1) + "(assert (<= X_0 1)) (assert (>= X_0 0)) (assert (>= X_1 1))\n"
        + "(assert (<= Y_0 0))", 2, 16, "input X_1 has no upper bound");
  }

  @Test
  void relationsBetweenInputsAreRejected() {
    fails(decls(2, 1) + OK_TAIL + "(assert (<= X_0 X_1))", 5, 9,
        "input constraints between two variables are not supported yet: (<= X_0 X_1)");
    fails(decls(1, 1) + OK_TAIL + "(assert (<= X_0 Y_0))", 4, 9, "not supported yet");
  }

  @Test
  void emptyFileAndNoAsserts() {
    fails("", 1, 1, "empty");
    fails("  ; only a comment\n\n", 1, 1, "empty");
    fails(decls(1, 1), 3, 1, "no (assert");
  }

  @Test
  void tooDeepAndTooManyCases() {
    String deep = "(assert " + "(and ".repeat(300) + ")".repeat(301);
    fails(decls(1, 1) + deep, 3, 1 + 8 + 5 * (VnnlibReader.MAX_DEPTH - 1), "nested deeper");
    StringBuilder sb = new StringBuilder(decls(1, 1) + OK_TAIL);
    for (int k = 0; k < 20; k++) {
      sb.append("(assert (or (<= Y_0 ").append(k).append(") (>= Y_0 ").append(k).append(")))\n");
    }
    InputFormatException e = assertThrows(InputFormatException.class, () -> read(sb.toString()));
    assertTrue(e.problem().contains("more than " + VnnlibReader.MAX_CASES), e.getMessage());
  }

  @Test
  void unreadableFile() {
    Path missing = Path.of("does/not/exist.vnnlib");
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> VnnlibFiles.specification(missing));
    assertEquals(missing, e.file());
  }
}
