package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12's crash paths in the CLI: unusable timeouts and pass parameters, result destinations
 * that cannot be written (refused before any verification runs), each a clear message and the
 * input-error exit code, never a stack trace.
 */
class CliRobustnessTest {
  static final String ACAS_NET = "examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx";
  static final String ACAS_PROP = "examples/acasxu/prop_1.vnnlib";

  @TempDir Path tmp;

  static String net() {
    return CliRun.ROOT.resolve(ACAS_NET).toString();
  }

  static String prop() {
    return CliRun.ROOT.resolve(ACAS_PROP).toString();
  }

  private static CliRun inputError(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCodes.INPUT_ERROR, r.exit(), r.out() + r.err());
    assertFalse(r.errShowsStackTrace(), r.err());
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "-1", "0", "-Infinity"})
  void unusableTimeoutsAreRefused(String value) {
    CliRun r = inputError("instance", net(), prop(), "--timeout", value);
    assertTrue(r.err().contains("--timeout must be positive, got"), r.err());
    CliRun v = inputError("verify", "examples/tutorial.rspec", "--timeout", value);
    assertTrue(v.err().contains("--timeout must be positive, got"), v.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e308", "Infinity"})
  void hugeTimeoutsMeanNoPracticalLimit(String value) {
    // deeppoly proves ACAS Xu prop 1 at once; an overflowed deadline said "timeout after 0.16 s"
    CliRun r = CliRun.of("instance", net(), prop(), "--timeout", value, "--passes",
        "interval,deeppoly,attack");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertFalse(r.out().startsWith("timeout"), r.out());
    assertTrue(TimeoutOption.saturated(Double.parseDouble(value)) == TimeoutOption.MAX_SECONDS);
  }

  @Test
  void saturationKeepsOrdinaryValues() {
    assertEquals(60, TimeoutOption.saturated(60));
    assertEquals(TimeoutOption.MAX_SECONDS, TimeoutOption.saturated(Double.POSITIVE_INFINITY));
    assertEquals(null, TimeoutOption.problem(0.5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lp(tighten=NaN)", "krelu(k=3,k=4)", "attack(restarts=NaN)"})
  void badPassParametersAreRefused(String passes) {
    CliRun r = inputError("instance", net(), prop(), "--passes", passes);
    assertTrue(r.err().contains(passes.startsWith("krelu") ? "'k' is given twice"
        : "must be in"), r.err());
  }

  @Test
  void resultIntoMissingDirectoryIsRefusedFirst() {
    Path missing = tmp.resolve("no/such/dir/result.txt");
    CliRun r = inputError("instance", net(), prop(), "--result", missing.toString());
    assertTrue(r.err().contains("does not exist; create it first"), r.err());
    assertTrue(r.wallSeconds() < 60); // a guard, not a timing: nothing was verified
    assertFalse(Files.exists(missing));
  }

  @Test
  void resultOntoDirectoryIsRefused() {
    CliRun r = inputError("instance", net(), prop(), "--result", tmp.toString());
    assertTrue(r.err().contains("is a directory"), r.err());
  }

  @Test
  void resultIntoUnwritableFileIsRefused() throws IOException {
    Path locked = Files.writeString(tmp.resolve("locked.txt"), "old\n");
    assertTrue(locked.toFile().setWritable(false));
    if (Files.isWritable(locked)) {
      // root ignores file permissions; the check is then the directory one
      CliRun r = inputError("batch", "no_such.csv", "--out", tmp.toString());
      assertTrue(r.err().contains("is a directory"), r.err());
      return;
    }
    CliRun r = inputError("instance", net(), prop(), "--result", locked.toString());
    assertTrue(r.err().contains("is not writable"), r.err());
  }

  @Test
  void batchOutAndPlotOutAreCheckedFirst() {
    Path missing = tmp.resolve("nowhere/rows.csv");
    CliRun b = inputError("batch", "no_such.csv", "--out", missing.toString());
    assertTrue(b.err().contains("--out") && b.err().contains("does not exist"), b.err());
    CliRun p = inputError("plot", "examples/tutorial.rspec", "--property", "below_3",
        "--widths", "--out", missing.toString());
    assertTrue(p.err().contains("does not exist"), p.err());
  }

  @Test
  void exportOntoAFileIsRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    CliRun r = inputError("export", "examples/tutorial.rspec", "--vnnlib-version", "1", "--out",
        file.toString());
    assertTrue(r.err().contains("is a file"), r.err());
  }

  @Test
  void invalidUtf8IsLocatedInRspecCsvAndQuery() throws IOException {
    byte[] bad = {'/', '/', ' ', 'x', '\n', 'l', 'e', 't', ' ', (byte) 0xFF, '\n'};
    Path rspec = Files.write(tmp.resolve("bad.rspec"), bad);
    CliRun c = CliRun.of("check", rspec.toString());
    assertEquals(1, c.exit(), c.err()); // check: 1 = the file has errors
    assertFalse(c.errShowsStackTrace(), c.err());
    assertTrue(c.err().contains("byte 0xFF at byte offset 9 (line 2, byte 5"), c.err());
    Path csv = Files.write(tmp.resolve("bad.csv"), bad);
    CliRun b = inputError("batch", csv.toString());
    assertTrue(b.err().contains("byte offset 9 (line 2"), b.err());
    Path query = Files.write(tmp.resolve("bad.vnnlib"), bad);
    CliRun v = inputError("verify", query.toString(), "--network", "N=" + net());
    assertTrue(v.err().contains("byte offset 9 (line 2"), v.err());
  }
}
