package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.diag.SpecErrorCode;
import dev.robustspec.compiler.service.PropertyRunner;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.verify.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec verify FILE}: runs every property's plan. */
@Command(
    name = "verify",
    header = "Verify the properties of a .rspec file.",
    mixinStandardHelpOptions = true,
    description = {
        "Checks a .rspec file, then runs each property's plan and prints a table: property,",
        "verdict (certified / falsified / unknown / timeout), the pass that decided, the",
        "margin (positive: proven with that much room; negative: the best bound reached) and",
        "the time. Counterexamples are printed with their input and output, re-checked in",
        "double precision. A progress line shows on a terminal.",
        "Properties whose declarations have errors are reported and skipped; the others run",
        "(a syntax error stops the whole file). --out writes each property's row as it",
        "finishes, --resume skips those already there; Ctrl-C (SIGINT/SIGTERM) prints the",
        "table of what finished and exits 130.",
        "A radius search (property p: largest eps in (0, 0.1] tolerance 0.001: forall x in",
        "linf(center = ..., eps = eps) ...) prints per property the bracket [certified,",
        "falsified] and a summary; its --out rows are",
        "property,index,label,radius_certified,radius_falsified,seconds; --timeout is per",
        "search; exit 0 when every bracket reached its tolerance, else 3.", ""},
    footer = {"", "Examples:", "  robustspec verify examples/tutorial.rspec",
        "  robustspec verify examples/mnist.rspec --property robust0_small --json",
        "  robustspec verify examples/mnist.rspec --spark 'local[2]' --out results.parquet",
        "  robustspec verify examples/acasxu/vnnlib2/prop_1.vnnlib \\",
        "      --network acasxu=examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx --timeout 60", "",
        "Exit codes: 0 all certified, 1 some property falsified, 3 some unknown or timed out",
        "(and none falsified), 2 errors in the file or bad options, 130 interrupted.",
        "A .vnnlib query follows the VNN-LIB 2 solver interface instead: stdout is sat (with the",
        "assignment), unsat, unknown or timed-out; exit 0 for every verdict, 2 for errors;",
        "--timeout counts from the JVM's start and is unlimited when not given."})
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "a .rspec file, or a VNN-LIB query (.vnnlib: the standard's solver interface)")
  Path file;

  @Option(names = "--network", paramLabel = "NAME=MODEL",
      description = ".vnnlib only: the model of a declared network (repeatable)")
  List<String> networks = new ArrayList<>();

  @Option(names = "--serialise-assignments", paramLabel = "DIR",
      description = ".vnnlib only: write a sat assignment as DIR/VARIABLE.pb (ONNX TensorProto)")
  Path serialiseDir;

  @Option(names = "--property", paramLabel = "NAME",
      description = "verify only this property (repeatable)")
  List<String> only = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "wall-clock limit per property (default: ${DEFAULT-VALUE})")
  double timeout;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
      description = "properties verified at once (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--json", description = "print the results as JSON")
  boolean json;

  @Option(names = "--out", paramLabel = "FILE",
      description = "write one CSV row per property as it finishes:"
          + " property,network,verdict,decided_by,margin,seconds")
  Path outFile;

  @Option(names = "--resume",
      description = "skip the properties already in --out (a run cut short goes on)")
  boolean resume;

  @Option(names = "--set", paramLabel = "NAME=VALUE",
      description = "override a param declaration of the file (repeatable): --set eps=0.05")
  List<String> sets = new ArrayList<>();

  @Option(names = "--sweep", paramLabel = "NAME=V1,V2,...",
      description = "verify once per value of a param; properties are named p@NAME=V")
  String sweep;

  @Option(names = "--save-counterexamples", paramLabel = "DIR",
      description = "write each counterexample as DIR/<property>.csv and .npy (the network's"
          + " input), and for an image of a data set a PNG: item, counterexample, difference")
  Path cexDir;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "run the properties as Spark tasks: local[2], spark://host:7077, ... or"
          + " submit (the master of spark-submit); --out R.parquet writes Parquet too;"
          + " see docs/spark.md")
  String spark;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (file.getFileName() != null
        && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".vnnlib")) {
      // the VNN-LIB standard's contract: only the verdict (and a sat assignment) on stdout
      if (json || !only.isEmpty() || jobs != 1) {
        err.println("robustspec verify: --json, --property and --jobs apply to .rspec files");
        return ExitCodes.INPUT_ERROR;
      }
      boolean timed = spec.commandLine().getParseResult().hasMatchedOption("--timeout");
      if (timed && TimeoutOption.problem(timeout) != null) {
        err.println("robustspec verify: " + TimeoutOption.problem(timeout));
        return ExitCodes.INPUT_ERROR;
      }
      return StandardVerify.run(file, networks, timed ? TimeoutOption.saturated(timeout) : null,
          serialiseDir, out, err);
    }
    if (!networks.isEmpty() || serialiseDir != null) {
      err.println("robustspec verify: --network and --serialise-assignments apply to .vnnlib"
          + " queries; a .rspec file names its networks itself");
      return ExitCodes.INPUT_ERROR;
    }
    if (TimeoutOption.problem(timeout) != null || jobs < 1) {
      err.println("robustspec verify: " + (jobs < 1 ? "--jobs must be at least 1"
          : TimeoutOption.problem(timeout)));
      return ExitCodes.INPUT_ERROR;
    }
    Path rowsFile = outFile == null ? null : ParquetOutput.rowsFile(outFile);
    if (rowsFile != null && ResultDestination.problem(rowsFile) != null) {
      err.println("robustspec verify: --out " + ResultDestination.problem(rowsFile));
      return ExitCodes.INPUT_ERROR;
    }
    if (resume && outFile == null) {
      err.println("robustspec verify: --resume needs --out FILE (the properties to skip)");
      return ExitCodes.INPUT_ERROR;
    }
    if (ParquetOutput.problem(outFile, spark) != null || (spark != null && jobs != 1)) {
      err.println("robustspec verify: " + (jobs != 1 ? "--jobs is for a local run; with --spark"
          + " the cluster's cores run the properties" : ParquetOutput.problem(outFile, spark)));
      return ExitCodes.INPUT_ERROR;
    }
    // on a cluster the file and what it reads travel as digests (RspecFile), checked there
    RspecFile.Digesting loader = new RspecFile.Digesting(NetworkSource.READ);
    Compilation c;
    try {
      if (spark != null) {
        WorkBackend.find(); // a missing back end is an error before any work
      }
      c = ParamRuns.compile(file, spark == null ? FileLoader.direct() : loader, sets, sweep, err);
    } catch (IllegalArgumentException e) {
      err.println("robustspec verify: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    if (c == null) {
      return ExitCodes.INPUT_ERROR;
    }
    if (!json) {
      SpecFiles.printDiagnostics(c, err);
    }
    // One bad declaration does not stop the good ones (issue 16): the properties that compiled
    // run, and the exit code is still 2. A syntax error stops everything, because the parser's
    // recovery may have changed what a declaration after it says.
    boolean syntaxError = c.diagnostics().stream()
        .anyMatch(d -> d.isError() && d.code() == SpecErrorCode.SYNTAX);
    if (c.hasErrors() && (syntaxError || c.properties().isEmpty())) {
      if (json) {
        JsonObject j = new JsonObject();
        j.addProperty("file", c.fileName());
        j.add("diagnostics", DiagnosticFormatter.json(c.fileName(), c.diagnostics()));
        j.add("properties", new JsonArray());
        out.println(Reports.toJson(j));
        out.flush();
      }
      return ExitCodes.INPUT_ERROR;
    }
    List<String> skipped = VerifySelection.withErrors(c);
    for (String name : only) {
      if (skipped.contains(name)) {
        err.println("robustspec verify: property '" + name + "' has errors (above); it is not"
            + " verified");
        return ExitCodes.INPUT_ERROR;
      }
      if (c.properties().stream().noneMatch(p -> selects(name, p))) {
        err.println("robustspec verify: no property named '" + name + "' in " + file
            + "; its properties: " + String.join(", ",
                c.properties().stream().map(CompiledProperty::name).toList()));
        return ExitCodes.INPUT_ERROR;
      }
    }
    if (!skipped.isEmpty() && !json) {
      err.println("robustspec verify: " + skipped.size() + " propert"
          + (skipped.size() == 1 ? "y has" : "ies have") + " errors and " + (skipped.size() == 1
          ? "is" : "are") + " not verified: " + String.join(", ", skipped)
          + "; verifying the others");
    }
    List<CompiledProperty> searches = c.properties().stream().filter(p -> p.radius() != null
        && (only.isEmpty() || only.stream().anyMatch(n -> selects(n, p)))).toList();
    boolean others = c.properties().stream().anyMatch(p -> p.radius() == null
        && (only.isEmpty() || only.stream().anyMatch(n -> selects(n, p))));
    if (!searches.isEmpty() && others && (json || outFile != null)) {
      err.println("robustspec verify: --json and --out take either the radius searches"
          + " (largest ... in (a, b]) or the other properties: choose with --property");
      return ExitCodes.INPUT_ERROR;
    }
    int searched = ExitCodes.OK;
    if (!searches.isEmpty()) {
      if (spark != null) {
        // a search's probes depend on each other (bisection): one task would hold one core for
        // the whole search, so the searches stay on this machine
        err.println("robustspec verify: the radius searches run here, not on the cluster"
            + " (--spark runs the other properties)");
      }
      searched = RadiusVerify.run(c, searches, new RadiusVerify.Options(timeout, json, outFile,
          resume, cexDir), out, err);
      if (!others || searched == ExitCodes.INPUT_ERROR) {
        return c.hasErrors() ? ExitCodes.INPUT_ERROR : searched;
      }
      out.println();
    }
    ResultsTable table;
    WorkBackend.Session cluster = null;
    try {
      cluster = spark == null ? null
          : WorkBackend.find().open(spark, System.console() != null && !json, err);
      table = outFile == null ? null
          : ParquetOutput.open(cluster, outFile, PropertyResults.HEADER, new int[] {0}, resume, out);
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("robustspec verify: " + e.getMessage());
      if (cluster != null) {
        cluster.close();
      }
      return ExitCodes.INPUT_ERROR;
    }
    List<CompiledProperty> selected = new ArrayList<>();
    for (CompiledProperty p : c.properties()) {
      if (p.radius() == null && (only.isEmpty() || only.stream().anyMatch(n -> selects(n, p)))
          && (table == null || !table.has(p.name()))) {
        selected.add(p);
      }
    }
    List<String[]> resumed = table == null ? List.of() : table.rows();
    List<PropertyRunner.Outcome> finished = new ArrayList<>();
    Object lock = table != null ? table : finished;
    AtomicInteger done = new AtomicInteger();
    // on a cluster the back end draws the progress line (items done / total)
    ProgressLine progress = ProgressLine.forConsole(err, !json && cluster == null);
    progress.start("verifying " + selected.size() + " propert"
        + (selected.size() == 1 ? "y" : "ies"));
    List<PropertyRunner.Outcome> outcomes;
    Consumer<PropertyRunner.Outcome> onDone = o -> {
      synchronized (lock) {
        finished.add(o);
        if (table != null) {
          table.add(PropertyResults.row(o));
        }
      }
      progress.start(done.incrementAndGet() + "/" + selected.size() + " done ("
          + o.property().name() + ": " + PropertyResults.word(o.result().verdict()) + ")");
    };
    try (InterruptibleRun signal = InterruptibleRun.arm(lock, () -> {
      progress.clear();
      out.println("interrupted: " + (resumed.size() + finished.size()) + " of "
          + (resumed.size() + selected.size()) + " properties finished");
      PropertyResults.table(resumed, finished, out);
      out.flush();
      if (table != null) {
        table.close();
      }
    })) {
      outcomes = cluster != null ? VerifyOnCluster.run(cluster, RspecFile.of(file,
          c.source(), loader), ParamRuns.settings(sets, sweep), selected, timeout, onDone, err)
          : PropertyRunner.run(new EngineRunner(progress), selected,
              Duration.ofNanos((long) (TimeoutOption.saturated(timeout) * 1e9)), jobs, onDone,
              null);
      if (table != null) {
        ParquetOutput.finish(cluster, outFile, PropertyResults.HEADER, table);
      }
    } catch (java.io.IOException e) {
      err.println("robustspec verify: cannot write " + outFile + ": " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    } finally {
      if (table != null) {
        table.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    }
    progress.clear();
    if (cexDir != null) {
      for (PropertyRunner.Outcome o : outcomes) {
        if (o.result().verdict() instanceof Verdict.Falsified f) {
          try {
            var item = o.property().item();
            CounterexampleFiles.saveProperty(cexDir, o.property().name(), f.input(),
                o.property().network().inputShape(), item == null ? null : item.center(),
                item == null ? -1 : item.label(), f.output());
          } catch (java.io.IOException e) {
            err.println("robustspec verify: cannot save the counterexample of "
                + o.property().name() + " in " + cexDir + ": " + e.getMessage());
          }
        }
      }
    }
    if (json) {
      out.println(Reports.toJson(PropertyResults.json(c, resumed, outcomes)));
    } else {
      PropertyResults.table(resumed, outcomes, out);
      DatasetSummary.print(c.properties().stream().filter(p -> p.item() != null)
          .map(p -> p.item().property()).distinct().toList(), resumed, outcomes, out);
    }
    out.flush();
    int verified = PropertyResults.exitCode(resumed, outcomes);
    return c.hasErrors() ? ExitCodes.INPUT_ERROR : verified != ExitCodes.OK ? verified : searched;
  }

  /** {@code --property NAME} names a property, or every item of one over a data set. */
  private static boolean selects(String name, CompiledProperty p) {
    return p.name().equals(name) || p.name().startsWith(name + "@")
        || (p.item() != null && (p.item().property().equals(name)
            || p.item().property().startsWith(name + "@")));
  }
}
