package dev.robustspec.cli;

import com.google.gson.JsonParser;
import dev.robustspec.engine.run.EngineRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code robustspec batch instances.csv}: a VNN-COMP benchmark in one process. */
@Command(
    name = "batch",
    header = "Run a whole VNN-COMP instances.csv in one process.",
    mixinStandardHelpOptions = true,
    description = {
        "Runs every instance of a VNN-COMP instances.csv (rows: network,property,timeout;",
        "paths relative to the CSV's folder) in one process, one after the other, with a",
        "progress line per instance on stderr, then prints the tally: how many hold, are",
        "violated, unknown, timed out or failed, with the total and median time.",
        "With --out, each instance's row is written as it finishes; --resume skips the",
        "instances already there; Ctrl-C (SIGINT/SIGTERM) prints the tally of what finished",
        "and exits 130.",
        ""},
    footer = {
        "",
        "Example:",
        "  robustspec batch ../shared/benchmarks/acasxu/instances.csv --timeout 10 \\",
        "                   --out acasxu-results.csv",
        "",
        "Exit codes: 0 every instance reached a verdict (holds, violated, unknown or timeout),",
        "1 some instance failed (error), 2 bad input or options, 130 interrupted."})
final class BatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CSV", description = "instances.csv")
  Path csv;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "per-instance limit; the smaller of this and the CSV's (default: the CSV's)")
  Double timeout;

  @Option(names = "--passes", paramLabel = "P1,P2", defaultValue = PassNames.DEFAULT,
      description = "the plan: passes in order, from interval, deeppoly, alpha, lp, krelu, kalpha,"
          + " attack, bab, relubab, with parameters in parentheses (krelu(k=3,ns=8)); or"
          + " 'default' (attack, interval, deeppoly, attack, then bab when at most 16 inputs"
          + " vary, otherwise alpha(interm=20,share=0.5), relubab(timeout=20), kalpha(timeout=120),"
          + " relubab)")
  String passes;

  @Option(names = "--out", paramLabel = "FILE",
      description = "write one CSV row per instance: network,property,verdict,decided_by,seconds")
  Path outFile;

  @Option(names = "--json", description = "print the tally and every instance as JSON")
  boolean json;

  @Option(names = "--seed", defaultValue = "0", description = "search seed (default: 0)")
  long seed;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "run the instances as Spark tasks: local[2], spark://host:7077, ... or"
          + " submit (the master of spark-submit); see docs/spark.md")
  String spark;

  record Row(String network, String property, double timeout) {}

  @Option(names = "--resume",
      description = "skip the instances already in --out (a run cut short goes on where it stopped)")
  boolean resume;

  static final String HEADER = "network,property,verdict,decided_by,seconds";

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Row> rows;
    if (timeout != null && TimeoutOption.problem(timeout) != null) {
      err.println("robustspec batch: " + TimeoutOption.problem(timeout));
      return ExitCodes.INPUT_ERROR;
    }
    if (outFile != null && ResultDestination.problem(outFile) != null) {
      err.println("robustspec batch: --out " + ResultDestination.problem(outFile));
      return ExitCodes.INPUT_ERROR;
    }
    if (resume && outFile == null) {
      err.println("robustspec batch: --resume needs --out FILE (the instances to skip)");
      return ExitCodes.INPUT_ERROR;
    }
    ResultsTable table;
    try {
      PassNames.validate(passes);
      rows = readCsv(csv);
      table = outFile == null ? null
          : new ResultsTable(outFile, HEADER, new int[] {0, 1}, resume, out);
    } catch (IllegalArgumentException e) {
      err.println("robustspec batch: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    Path base = csv.toAbsolutePath().getParent();
    BatchTally tally = new BatchTally();
    if (table != null) {
      table.rows().forEach(tally::addResumed);
    }
    Object lock = table != null ? table : tally;
    ProgressLine progress = ProgressLine.forConsole(err, true);
    List<InstanceItem> items = new ArrayList<>();
    Map<String, NetworkFile> digests = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      if (table != null && table.has(row.network(), row.property())) {
        continue;
      }
      double limit = TimeoutOption.saturated(
          timeout == null ? row.timeout() : Math.min(timeout, row.timeout()));
      Path net = base.resolve(row.network());
      // on a cluster each network is hashed once here and checked where it is read
      NetworkFile file = spark == null ? NetworkFile.unchecked(net)
          : digests.computeIfAbsent(row.network(), n -> digestOrUnchecked(net));
      items.add(new InstanceItem(i, base.toString(), row.network(), row.property(), file, passes,
          limit, seed));
    }
    Consumer<WorkResult> record = r -> {
      int i = Integer.parseInt(r.key());
      synchronized (lock) {
        tally.add(r.verdict(), r.seconds(), JsonParser.parseString(r.json()).getAsJsonObject());
        if (table != null) {
          table.add(r.row());
        }
      }
      err.printf(Locale.ROOT, "[%d/%d] %s: %s%n", i + 1, rows.size(), name(rows.get(i)),
          r.summary());
      err.flush();
    };
    try (InterruptibleRun signal = InterruptibleRun.arm(lock, () -> {
      progress.clear();
      out.println("interrupted: " + tally.count() + " of " + rows.size() + " instances finished");
      tally.print(out, json);
      out.flush();
      if (table != null) {
        table.close();
      }
    })) {
      if (spark != null) {
        try (WorkBackend.Session cluster = WorkBackend.find().open(spark, false, err)) {
          cluster.run("robustspec batch", items, record);
        } catch (IllegalArgumentException e) {
          err.println("robustspec batch: " + e.getMessage());
          return ExitCodes.INPUT_ERROR;
        }
      } else {
        EngineRunner runner = new EngineRunner(progress);
        long start = System.nanoTime();
        int ranHere = 0;
        for (InstanceItem item : items) {
          progress.start(RunClock.status(tally.count(), rows.size(), ranHere, start) + " "
              + name(rows.get(item.position())));
          WorkResult r = item.run(NetworkSource.READ, runner);
          progress.clear();
          ranHere++;
          record.accept(r);
        }
      }
    } finally {
      if (table != null) {
        table.close();
      }
    }
    tally.print(out, json);
    out.flush();
    return tally.errors() > 0 ? CertifyCommand.ITEM_ERRORS : ExitCodes.OK;
  }

  private static String name(Row row) {
    return Path.of(row.network()).getFileName() + " " + Path.of(row.property()).getFileName();
  }

  private static NetworkFile digestOrUnchecked(Path net) {
    try {
      return NetworkFile.of(net);
    } catch (dev.robustspec.engine.io.InputFormatException e) {
      return NetworkFile.unchecked(net); // the item reports it, as the local run does
    }
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Reads {@code network,property,timeout} rows; a missing final newline is fine. */
  static List<Row> readCsv(Path file) {
    List<String> lines;
    try {
      lines = dev.robustspec.engine.io.Utf8Text.read(file).lines().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
    }
    List<Row> rows = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length != 3) {
        throw new IllegalArgumentException(file + ":" + (n + 1)
            + ": expected network,property,timeout but found " + f.length + " fields");
      }
      double t;
      try {
        t = Double.parseDouble(f[2].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + ":" + (n + 1) + ": timeout '" + f[2].strip()
            + "' is not a number");
      }
      rows.add(new Row(f[0].strip(), f[1].strip(), t));
    }
    return rows;
  }
}
