package dev.robustspec.cli;

import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec check FILE}: diagnostics only. */
@Command(
    name = "check",
    header = "Check a .rspec file: diagnostics only, nothing is verified.",
    mixinStandardHelpOptions = true,
    description = {
        "Checks a .rspec file without verifying anything: syntax, names, dimensions, files,",
        "pass names and parameters. Prints each problem as file:line:col: severity CODE:",
        "message, with the source line and a caret under the spot.", ""},
    footer = {"", "Example:", "  robustspec check examples/tutorial.rspec", "",
        "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 the file cannot be read."})
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "a .rspec file")
  Path file;

  @Option(names = "--json", description = "print the diagnostics as JSON")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Compilation c = SpecFiles.load(file, err);
    if (c == null) {
      return ExitCodes.INPUT_ERROR;
    }
    if (json) {
      JsonObject j = new JsonObject();
      j.addProperty("file", c.fileName());
      j.add("diagnostics", DiagnosticFormatter.json(c.fileName(), c.diagnostics()));
      out.println(Reports.toJson(j));
      out.flush();
    } else {
      SpecFiles.printDiagnostics(c, err);
      if (!c.hasErrors()) {
        out.println(c.fileName() + ": ok (" + c.properties().size() + " propert"
            + (c.properties().size() == 1 ? "y" : "ies") + ")");
        out.flush();
      }
    }
    return c.hasErrors() ? 1 : ExitCodes.OK;
  }
}
