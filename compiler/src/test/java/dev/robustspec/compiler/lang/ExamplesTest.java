package dev.robustspec.compiler.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.service.PropertyRunner;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.verify.Verdict;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The shipped examples compile without diagnostics, and the verdicts they are known to reach
 * stay reached; every counterexample, re-evaluated with the network, violates its property.
 */
class ExamplesTest {

  static Compilation compile(String name) {
    return Checker.compileFile(LangTestSupport.EXAMPLES.resolve(name), FileLoader.direct());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tutorial.rspec", "acasxu.rspec", "mnist.rspec"})
  void compilesWithoutDiagnostics(String name) {
    Compilation c = compile(name);
    assertTrue(c.diagnostics().isEmpty(),
        DiagnosticFormatter.text(name, c.source(), c.diagnostics()));
    assertFalse(c.properties().isEmpty());
  }

  @Test
  void tutorialVerdicts() {
    Map<String, Class<?>> expected = new LinkedHashMap<>();
    expected.put("below_3", Verdict.Certified.class);
    expected.put("below_1_2", Verdict.Falsified.class);
    expected.put("class_0", Verdict.Certified.class);
    check(compile("tutorial.rspec"), expected);
  }

  @Test
  void mnistVerdicts() {
    // robust0_large and robust1_small end unknown (and take the longest); the CLI golden
    // verify_mnist covers them.
    Map<String, Class<?>> expected = new LinkedHashMap<>();
    expected.put("robust0_small", Verdict.Certified.class);
    expected.put("robust1_large", Verdict.Falsified.class);
    expected.put("robust2_small", Verdict.Certified.class);
    expected.put("robust2_large", Verdict.Falsified.class);
    expected.put("vnncomp_prop0", Verdict.Certified.class);
    check(compile("mnist.rspec"), expected);
  }

  private static void check(Compilation c, Map<String, Class<?>> expected) {
    List<CompiledProperty> selected = c.properties().stream()
        .filter(p -> expected.containsKey(p.name())).toList();
    assertEquals(expected.size(), selected.size());
    List<PropertyRunner.Outcome> outcomes = PropertyRunner.run(selected, Duration.ofSeconds(300),
        2, null, null);
    for (PropertyRunner.Outcome o : outcomes) {
      String name = o.property().name();
      Verdict v = o.result().verdict();
      assertInstanceOf(expected.get(name), v, name + ": " + v);
      if (v instanceof Verdict.Falsified f) {
        double[] y = o.property().network().evaluate(f.input());
        boolean violates = false;
        for (UnsafeCase uc : o.property().specification().cases()) {
          violates |= uc.isViolatedBy(f.input(), y);
        }
        assertTrue(violates, name + ": the counterexample re-evaluated violates no unsafe case");
        // and, independently of the lowering, the property as written is violated
        if (name.equals("below_1_2")) {
          assertTrue(y[0] >= 1.2, "tiny(x)[0] = " + y[0]);
          assertTrue(Math.abs(f.input()[0]) <= 1 && Math.abs(f.input()[1]) <= 1);
        } else {
          int label = name.startsWith("robust1") ? 7 : 4;
          double best = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < y.length; j++) {
            if (j != label) {
              best = Math.max(best, y[j]);
            }
          }
          assertTrue(y[label] <= best, name + ": label " + label + " still strictly wins");
          for (double xi : f.input()) {
            assertTrue(xi >= 0 && xi <= 1, "pixel outside [0, 1]");
          }
        }
      }
    }
  }
}
