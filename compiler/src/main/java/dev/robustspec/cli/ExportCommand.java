package dev.robustspec.cli;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledNetwork;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.io.OnnxWriter;
import dev.robustspec.engine.io.VnnlibWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code robustspec export FILE.rspec --vnnlib-version 1|2 --out DIR}: each property's question
 * as a VNN-LIB query ({@code DIR/PROPERTY.vnnlib}, the property's unsafe cases), the networks as
 * ONNX ({@code DIR/NETWORK.onnx}, written from the checked model, so inline and {@code .nnet}
 * networks export too) and {@code DIR/instances.csv} (VNN-COMP: model, query, timeout per line),
 * so the same question can be handed to any other verifier.
 */
@Command(
    name = "export",
    header = "Export a .rspec file's properties as VNN-LIB queries.",
    mixinStandardHelpOptions = true,
    description = {"Writes one VNN-LIB query per property (its negation as unsafe cases), one ONNX",
        "model per network it uses and an instances.csv listing them, into DIR.", ""},
    footer = {"", "Example:",
        "  robustspec export examples/acasxu.rspec --vnnlib-version 2 --out /tmp/acas", "",
        "Exit codes: 0 written, 2 errors in the file or bad options."})
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "a .rspec file")
  Path file;

  @Option(names = "--property", paramLabel = "NAME",
      description = "export only this property (repeatable)")
  List<String> only = new ArrayList<>();

  @Option(names = "--vnnlib-version", paramLabel = "1|2", required = true,
      description = "1: the VNN-COMP subset (declare-const X_i); 2: VNN-LIB 2.0")
  int version;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "output folder")
  Path out;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "the timeout column of instances.csv (default: ${DEFAULT-VALUE})")
  double timeout;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (version != 1 && version != 2) {
      err.println("robustspec export: --vnnlib-version must be 1 or 2");
      return ExitCodes.INPUT_ERROR;
    }
    if (!(timeout > 0)) {
      err.println("robustspec export: --timeout must be positive");
      return ExitCodes.INPUT_ERROR;
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      err.println("robustspec export: --out " + out + " is a file; name a directory (it is"
          + " created when missing)");
      return ExitCodes.INPUT_ERROR;
    }
    Compilation c = SpecFiles.load(file, err);
    if (c == null) {
      return ExitCodes.INPUT_ERROR;
    }
    SpecFiles.printDiagnostics(c, err);
    if (c.hasErrors()) {
      return ExitCodes.INPUT_ERROR;
    }
    for (String name : only) {
      if (c.properties().stream().noneMatch(p -> p.name().equals(name))) {
        err.println("robustspec export: no property named '" + name + "' in " + file);
        return ExitCodes.INPUT_ERROR;
      }
    }
    try {
      Files.createDirectories(out);
      Map<String, String> models = new LinkedHashMap<>();
      StringBuilder csv = new StringBuilder();
      for (CompiledProperty p : c.properties()) {
        if (!only.isEmpty() && !only.contains(p.name())) {
          continue;
        }
        String model = models.get(p.networkName());
        if (model == null) {
          CompiledNetwork cn = c.networks().get(p.networkName());
          model = safe(p.networkName()) + ".onnx";
          OnnxWriter.write(cn != null ? cn.network() : p.network(), out.resolve(model));
          models.put(p.networkName(), model);
        }
        String query = safe(p.name()) + ".vnnlib";
        String text = VnnlibWriter.write(p.specification(), version, safe(p.networkName()),
            p.network().inputShape(), "property " + p.name() + " of " + file.getFileName()
                + " (network " + p.networkName() + "), exported by robustspec\n"
                + "satisfiable (sat) = the property is violated");
        Files.writeString(out.resolve(query), text);
        csv.append(model).append(',').append(query).append(',')
            .append(String.format(Locale.ROOT, "%s", fmt(timeout))).append('\n');
        stdout.println(out.resolve(query));
      }
      Files.writeString(out.resolve("instances.csv"), csv.toString());
      stdout.println(out.resolve("instances.csv"));
      stdout.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("robustspec export: cannot write to " + out + ": " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
  }

  private static String fmt(double t) {
    return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
  }

  /** A file-name- and VNN-LIB-name-safe form of a .rspec name (they are identifiers already). */
  private static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9_]", "_");
    return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "n" + s : s;
  }
}
