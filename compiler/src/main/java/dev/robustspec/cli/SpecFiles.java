package dev.robustspec.cli;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Compiling a {@code .rspec} file for the check, plan and verify commands. */
final class SpecFiles {
  private SpecFiles() {}

  /** False (after saying why on err) when the file cannot be read at all. */
  private static boolean readable(Path file, PrintWriter err) {
    if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
      err.println("robustspec: " + file + ": " + (java.nio.file.Files.exists(file)
          ? "not a readable file" : "no such file"));
      err.flush();
      return false;
    }
    return true;
  }

  /** The compiled file, or null (after saying why on err) when it cannot be read at all. */
  static Compilation load(Path file, PrintWriter err) {
    return load(file, FileLoader.direct(), err);
  }

  /** As above, reading the files it names through {@code loader}. */
  static Compilation load(Path file, FileLoader loader, PrintWriter err) {
    return readable(file, err) ? Checker.compileFile(file, loader) : null;
  }

  /** Prints the diagnostics in their text form (to err), or nothing when there are none. */
  static void printDiagnostics(Compilation c, PrintWriter err) {
    if (!c.diagnostics().isEmpty()) {
      err.print(DiagnosticFormatter.text(c.fileName(), c.source(), c.diagnostics()));
      long errors = c.diagnostics().stream().filter(d -> d.isError()).count();
      long warnings = c.diagnostics().size() - errors;
      err.println(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
          + (warnings == 1 ? "" : "s"));
      err.flush();
    }
  }
}
