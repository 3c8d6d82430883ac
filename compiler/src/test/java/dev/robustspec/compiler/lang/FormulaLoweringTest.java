package dev.robustspec.compiler.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How formulas lower to unsafe cases (the DNF of their negation, strictness kept), checked
 * exactly on small cases and, on random nets and formulas, semantically: every sampled input
 * that violates the formula lies in some unsafe case.
 */
class FormulaLoweringTest {
  static final String NET = """
      network n {
        input x[2]
        dense [[1, 0], [0, 1], [1, 1]] + [0, 0, 0]
      }
      region sq = box { x[0..1] in [-1, 1] }
      """;

  /** The unsafe cases' constraint lists of {@code formula} over n (3 outputs) on sq. */
  static List<List<OutputConstraint>> cases(String formula) {
    return cases("", formula);
  }

  static List<List<OutputConstraint>> cases(String lets, String formula) {
    Compilation c = LangTestSupport.compileOk(lets + NET + "property p: forall x in sq: "
        + formula + "\n");
    Specification s = LangTestSupport.spec(c, "p");
    List<List<OutputConstraint>> out = new ArrayList<>();
    for (UnsafeCase u : s.cases()) {
      assertEquals(c.regions().get("sq").boxes().get(0), u.region());
      out.add(u.constraints());
    }
    return out;
  }

  static OutputConstraint oc(double y0, double y1, double y2, double bound) {
    return new OutputConstraint(new double[] {y0, y1, y2}, bound);
  }

  /** A strict constraint {@code c . y < bound}. */
  static OutputConstraint ocs(double y0, double y1, double y2, double bound) {
    return new OutputConstraint(new double[] {y0, y1, y2}, bound, true);
  }

  static final String A = "n(x)[0] <= 1";     // unsafe: -y0 < -1
  static final String B = "n(x)[1] >= 0.5";   // unsafe:  y1 < 0.5
  static final String C = "n(x)[2] < 2";      // unsafe: -y2 <= -2
  static final String D = "n(x)[0] > n(x)[1]"; // unsafe: y0 - y1 <= 0
  static final OutputConstraint NOT_A = ocs(-1, 0, 0, -1);
  static final OutputConstraint NOT_B = ocs(0, 1, 0, 0.5);
  static final OutputConstraint NOT_C = oc(0, 0, -1, -2);
  static final OutputConstraint NOT_D = oc(1, -1, 0, 0);

  @Test
  void comparisons() {
    assertEquals(List.of(List.of(NOT_A)), cases(A));
    assertEquals(List.of(List.of(NOT_B)), cases(B));
    assertEquals(List.of(List.of(NOT_C)), cases(C));
    assertEquals(List.of(List.of(NOT_D)), cases(D));
    // the negation of a strict comparison is closed, of a closed one strict (issue 12:
    // y0 <= 1.5 holding with equality is no counterexample)
    assertEquals(List.of(List.of(oc(-1, 0, 0, -1))), cases("n(x)[0] < 1"));
    assertEquals(List.of(List.of(ocs(-1, 0, 0, -1))), cases("n(x)[0] <= 1"));
    assertEquals(List.of(List.of(oc(1, 0, 0, 1))), cases("n(x)[0] > 1"));
    assertEquals(List.of(List.of(ocs(1, 0, 0, 1))), cases("n(x)[0] >= 1"));
    // constants on either side
    assertEquals(List.of(List.of(ocs(0, 1, 0, 0.5))), cases("0.5 <= n(x)[1]"));
  }

  @Test
  void connectives() {
    assertEquals(List.of(List.of(NOT_A), List.of(NOT_B)), cases(A + " and " + B));
    assertEquals(List.of(List.of(NOT_A, NOT_B)), cases(A + " or " + B));
    assertEquals(List.of(List.of(oc(1, 0, 0, 1))), cases("not " + A));
    // a -> b: unsafe when a and not b
    assertEquals(List.of(List.of(oc(1, 0, 0, 1), NOT_B)), cases(A + " -> " + B));
    // -> is right-associative: a -> (b -> c)
    assertEquals(cases(A + " -> (" + B + " -> " + C + ")"), cases(A + " -> " + B + " -> " + C));
    assertEquals(cases("not (" + A + " and " + B + ")"), cases("not " + A + " or not " + B));
  }

  @Test
  void dnfProducts() {
    // the negation of (a or b) and (c or d) is (na and nb) or (nc and nd): two cases
    assertEquals(List.of(List.of(NOT_A, NOT_B), List.of(NOT_C, NOT_D)),
        cases("(" + A + " or " + B + ") and (" + C + " or " + D + ")"));
    // not ((a or b) and (c or d)) is unsafe as (a or b) and (c or d): four products
    List<List<OutputConstraint>> terms = cases("not ((" + A + " or " + B + ") and (" + C + " or "
        + D + "))");
    OutputConstraint a = oc(1, 0, 0, 1);
    OutputConstraint b = oc(0, -1, 0, -0.5);
    OutputConstraint c = ocs(0, 0, 1, 2);
    OutputConstraint d = ocs(-1, 1, 0, 0);
    assertEquals(List.of(List.of(a, c), List.of(b, c), List.of(a, d), List.of(b, d)), terms);
  }

  @Test
  void argmaxAndArgmin() {
    // argmax == 1: y1 beats y0 and y2; unsafe when y0 >= y1 or y2 >= y1
    assertEquals(List.of(List.of(oc(-1, 1, 0, 0)), List.of(oc(0, 1, -1, 0))),
        cases("argmax(n(x)) == 1"));
    assertEquals(List.of(List.of(ocs(1, -1, 0, 0), ocs(0, -1, 1, 0))),
        cases("argmax(n(x)) != 1"));
    assertEquals(List.of(List.of(oc(1, -1, 0, 0)), List.of(oc(0, -1, 1, 0))),
        cases("argmin(n(x)) == 1"));
    assertEquals(List.of(List.of(ocs(-1, 1, 0, 0), ocs(0, 1, -1, 0))),
        cases("argmin(n(x)) != 1"));
    // the class may be a named constant
    assertEquals(cases("argmax(n(x)) == 2"), cases("let k = 2\n", "argmax(n(x)) == k"));
  }

  @Test
  void arithmeticAndConstants() {
    assertEquals(List.of(List.of(ocs(-2, 1, 0, -0.5))),
        cases("2 * n(x)[0] - n(x)[1] + 0.5 <= 1"));
    assertEquals(List.of(List.of(ocs(-1, 0, 0, -1))), cases("let c = 0.5\n", "n(x)[0] <= c * 2"));
    assertEquals(List.of(List.of(ocs(0.5, 0, -1, 0))), cases("n(x)[0] / 2 >= n(x)[2]"));
    assertEquals(List.of(List.of(ocs(1, 0, 0, 3))), cases("-n(x)[0] <= -3"));
    // a comparison of constants is decided at compile time
    assertEquals(List.of(List.of(NOT_A)), cases(A + " and 1 <= 2"));
    assertEquals(List.of(), cases(A + " or 1 <= 2"));
    // strict ones strictly: 1 < 1 is false, so "A or 1 < 1" is A
    assertEquals(List.of(List.of(NOT_A)), cases(A + " or 1 < 1"));
    // false conjunct: the empty term (always unsafe) joins the cases; no simplification
    assertEquals(List.of(List.of(NOT_A), List.of()), cases(A + " and 2 <= 1"));
  }

  // ---- random nets and formulas ----

  /** A random formula: its text and a direct evaluator on outputs (with the smallest slack). */
  record F(String text, java.util.function.Function<double[], Boolean> eval) {}

  static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static F atom(Random r, int m) {
    if (r.nextInt(4) == 0) {
      int k = r.nextInt(m);
      boolean max = r.nextBoolean();
      boolean eq = r.nextBoolean();
      String t = (max ? "argmax" : "argmin") + "(n(x)) " + (eq ? "==" : "!=") + " " + k;
      return new F(t, y -> {
        boolean wins = true;
        for (int j = 0; j < m; j++) {
          if (j != k && (max ? y[j] >= y[k] : y[j] <= y[k])) {
            wins = false;
          }
        }
        return wins == eq;
      });
    }
    int i = r.nextInt(m);
    int j = r.nextInt(m);
    double a = Math.round((r.nextDouble() * 4 - 2) * 1000) / 1000.0;
    double b = Math.round((r.nextDouble() * 4 - 2) * 1000) / 1000.0;
    double c = Math.round((r.nextDouble() * 2 - 1) * 1000) / 1000.0;
    String op = List.of("<=", ">=", "<", ">").get(r.nextInt(4));
    String t = num(a) + " * n(x)[" + i + "] - " + num(b) + " * n(x)[" + j + "] " + op + " "
        + num(c);
    return new F(t, y -> {
      double l = a * y[i] - b * y[j];
      return switch (op) {
        case "<=" -> l <= c;
        case ">=" -> l >= c;
        case "<" -> l < c;
        default -> l > c;
      };
    });
  }

  static F formula(Random r, int m, int depth) {
    if (depth == 0 || r.nextInt(3) == 0) {
      return atom(r, m);
    }
    F a = formula(r, m, depth - 1);
    F b = formula(r, m, depth - 1);
    return switch (r.nextInt(4)) {
      case 0 -> new F("(" + a.text + ") and (" + b.text + ")",
          y -> a.eval.apply(y) && b.eval.apply(y));
      case 1 -> new F("(" + a.text + ") or (" + b.text + ")",
          y -> a.eval.apply(y) || b.eval.apply(y));
      case 2 -> new F("(" + a.text + ") -> (" + b.text + ")",
          y -> !a.eval.apply(y) || b.eval.apply(y));
      default -> new F("not (" + a.text + ")", y -> !a.eval.apply(y));
    };
  }

  static String matrix(Random r, int rows, int cols) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "[" : ", [");
      for (int j = 0; j < cols; j++) {
        sb.append(j == 0 ? "" : ", ").append(num(r.nextDouble() * 2 - 1));
      }
      sb.append(']');
    }
    return sb.append(']').toString();
  }

  static String vector(Random r, int n) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append(num(r.nextDouble() - 0.5));
    }
    return sb.append(']').toString();
  }

  @Test
  void loweringNeverLosesAnUnsafeInput() {
    Random r = new Random(20240611);
    int violations = 0;
    for (int trial = 0; trial < 150; trial++) {
      int in = 1 + r.nextInt(3);
      int hidden = 2 + r.nextInt(3);
      int m = 2 + r.nextInt(3);
      String net = "network n {\n  input x[" + in + "]\n  dense " + matrix(r, hidden, in) + " + "
          + vector(r, hidden) + "\n  relu\n  dense " + matrix(r, m, hidden) + " + " + vector(r, m)
          + "\n}\nregion b = box { x[0.." + (in - 1) + "] in [-1, 1] }\n";
      F f = formula(r, m, 3);
      String text = net + "property p: forall x in b: " + f.text + "\n";
      Compilation c = dev.robustspec.compiler.check.Checker.compile("random.rspec", text,
          LangTestSupport.ROOT, dev.robustspec.compiler.check.FileLoader.direct());
      if (c.diagnostics().stream().anyMatch(d -> d.code().code().equals("RS0022"))) {
        continue; // the DNF blew up: an error, rightly
      }
      assertTrue(c.diagnostics().isEmpty(), text + "\n" + c.diagnostics());
      Specification s = LangTestSupport.spec(c, "p");
      Network network = c.networks().get("n").network();
      for (int k = 0; k < 200; k++) {
        double[] x = new double[in];
        for (int i = 0; i < in; i++) {
          x[i] = r.nextInt(8) == 0 ? (r.nextBoolean() ? 1 : -1) : r.nextDouble() * 2 - 1;
        }
        double[] y = network.evaluate(x);
        if (f.eval.apply(y)) {
          continue;
        }
        violations++;
        boolean covered = false;
        for (UnsafeCase u : s.cases()) {
          covered |= u.isViolatedBy(x, y);
        }
        assertTrue(covered, "violating input in no unsafe case\n" + text + "x = "
            + java.util.Arrays.toString(x) + ", y = " + java.util.Arrays.toString(y)
            + "\ncases: " + s.cases());
      }
    }
    assertTrue(violations > 1000, "too few violating samples to mean anything: " + violations);
  }
}
