package dev.robustspec.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.SpecDiagnostic;
import dev.robustspec.compiler.diag.SpecErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deep nesting is a located RS0024, never a StackOverflowError (issue 12): texts just inside the
 * limit compile on a small (512 KiB) thread stack, and 100k levels of each kind are refused at
 * the first token past the limit.
 */
class NestingDepthTest {
  private static final String NET = "network tiny {\n  input x[2]\n  dense [[1, -1], [1, 1]] + "
      + "[0, 0]\n  relu\n  dense [[1, 1]] + [-0.5]\n}\nregion square = box { x[0] in [-1, 1], "
      + "x[1] in [-1, 1] }\n";

  static String parens(int n) {
    return "(".repeat(n) + "1" + ")".repeat(n);
  }

  static String signs(int n) {
    return "-".repeat(n) + "1";
  }

  static String sum(int n) {
    return "1" + " + 1".repeat(n);
  }

  static String text(String kind, int n) {
    return switch (kind) {
      case "parens" -> "let p = " + parens(n) + "\n";
      case "signs" -> "let p = " + signs(n) + "\n";
      case "sum" -> "let p = " + sum(n) + "\n";
      case "property" -> NET + "property q: forall x in square: tiny(x)[0] <= " + parens(n) + "\n";
      case "formula" -> NET + "property q: forall x in square: " + "not ".repeat(n)
          + "tiny(x)[0] <= 3\n";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Runs on a thread with a small stack, so the test does not depend on surefire's -Xss. */
  static <T> T onSmallStack(Supplier<T> job) throws InterruptedException {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(job.get());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "small-stack", 512 * 1024);
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("threw", failure.get());
    }
    return result.get();
  }

  static Compilation compile(String text) throws InterruptedException {
    return onSmallStack(() -> Checker.compile("deep.rspec", text, Path.of("."),
        FileLoader.direct()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"parens", "signs", "sum", "property", "formula"})
  void justInsideTheLimitCompiles(String kind) throws InterruptedException {
    // the base of the let or the comparison counts up to 2 levels of its own
    Compilation c = compile(text(kind, NestingDepth.LIMIT - 3));
    List<SpecDiagnostic> errors = c.diagnostics().stream().filter(SpecDiagnostic::isError)
        .toList();
    assertEquals(List.of(), errors);
  }

  @ParameterizedTest
  @ValueSource(strings = {"parens", "signs", "sum", "property", "formula"})
  void hundredThousandLevelsAreOneLocatedError(String kind) throws InterruptedException {
    String text = text(kind, 100_000);
    Compilation c = compile(text);
    assertEquals(1, c.diagnostics().size(), () -> c.diagnostics().toString());
    SpecDiagnostic d = c.diagnostics().get(0);
    assertEquals(SpecErrorCode.TOO_DEEP, d.code());
    assertTrue(d.message().contains(NestingDepth.LIMIT + " levels"), d.message());
    // the range points at the token that goes one level too deep
    int offset = d.range().startOffset();
    String token = text.substring(offset, d.range().endOffset());
    assertTrue(List.of("(", "-", "+", "not").contains(token), token);
    assertEquals(NestingDepth.LIMIT + 1, depthBefore(text, offset) + 1, "offset " + offset);
    assertFalse(c.properties().stream().findAny().isPresent());
  }

  /** The nesting counted by hand from the text before offset (the let / comparison level 0). */
  private static int depthBefore(String text, int offset) {
    String declaration = text.substring(text.lastIndexOf('\n', offset) + 1, offset);
    int depth = 0;
    for (String op : List.of("(", "-", "+ ", "not ", "<=")) {
      depth += (declaration.length() - declaration.replace(op, "").length()) / op.length();
    }
    // "tiny(x)" opens and closes one bracket: balanced, counted neither
    return depth - (declaration.length() - declaration.replace(")", "").length());
  }

  @Test
  void listsOfAnyLengthAreNotNesting() throws InterruptedException {
    StringBuilder list = new StringBuilder("let v = [");
    for (int i = 0; i < 20_000; i++) {
      list.append(i == 0 ? "" : ", ").append(-i);
    }
    Compilation c = compile(list.append("]\n").toString());
    assertFalse(c.hasErrors(), () -> c.diagnostics().toString());
  }
}
