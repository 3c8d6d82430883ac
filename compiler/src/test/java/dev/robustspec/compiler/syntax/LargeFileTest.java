package dev.robustspec.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.diag.SpecErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Checking is linear (issue 12: 10k unused lets took 31 s, 300k did not finish): a 300k-let file
 * with a warning per let is checked and its diagnostics printed within surefire's patience. No
 * time is asserted; the quadratic part was the text form re-splitting the whole file per
 * diagnostic, so the printed form is checked too. scripts/check-scaling.sh measures the times.
 */
class LargeFileTest {
  @Test
  void threeHundredThousandUnusedLetsCheck() {
    int n = 300_000;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append("let a").append(i).append(" = ").append(i).append('\n');
    }
    Compilation c = Checker.compile("big.rspec", text.toString(), Path.of("."),
        FileLoader.direct());
    assertEquals(n, c.diagnostics().size());
    assertTrue(c.diagnostics().stream().allMatch(d -> d.code() == SpecErrorCode.UNUSED));
    String printed = DiagnosticFormatter.text("big.rspec", c.source(), c.diagnostics());
    String last = "big.rspec:" + n + ":5: warning RS0021";
    assertTrue(printed.contains(last + ": the value 'a" + (n - 1) + "' is never used\n  let a"
        + (n - 1) + " = " + (n - 1) + "\n"), () -> printed.substring(printed.length() - 300));
  }
}
