package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.engine.run.EngineRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
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
        ""},
    footer = {
        "",
        "Example:",
        "  robustspec batch ../shared/benchmarks/acasxu/instances.csv --timeout 10 \\",
        "                   --out acasxu-results.csv"})
final class BatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CSV", description = "instances.csv")
  Path csv;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "per-instance limit; the smaller of this and the CSV's (default: the CSV's)")
  Double timeout;

  @Option(names = "--passes", paramLabel = "P1,P2", defaultValue = PassNames.DEFAULT,
      description = "the plan: passes in order, from interval, deeppoly, alpha, lp, krelu, attack, bab,"
          + " relubab, with parameters in parentheses (krelu(k=3,ns=8)); or"
          + " 'default' (attack, interval, deeppoly, attack, then bab when at most 16 inputs"
          + " vary, relubab otherwise)")
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
    try {
      PassNames.validate(passes);
      rows = readCsv(csv);
    } catch (IllegalArgumentException e) {
      err.println("robustspec batch: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    Path base = csv.toAbsolutePath().getParent();
    Map<String, Integer> tally = new TreeMap<>();
    List<Double> times = new ArrayList<>();
    JsonArray instances = new JsonArray();
    List<InstanceItem> items = new ArrayList<>();
    Map<String, NetworkFile> digests = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      double limit = TimeoutOption.saturated(
          timeout == null ? row.timeout() : Math.min(timeout, row.timeout()));
      Path net = base.resolve(row.network());
      // on a cluster each network is hashed once here and checked where it is read
      NetworkFile file = spark == null ? NetworkFile.unchecked(net)
          : digests.computeIfAbsent(row.network(), n -> digestOrUnchecked(net));
      items.add(new InstanceItem(i, base.toString(), row.network(), row.property(), file, passes,
          limit, seed));
    }
    JsonObject[] ordered = new JsonObject[rows.size()];
    try (StreamedRows csvOut =
        StreamedRows.open(outFile, "network,property,verdict,decided_by,seconds")) {
      java.util.function.Consumer<WorkResult> record = r -> {
        int i = Integer.parseInt(r.key());
        tally.merge(r.verdict(), 1, Integer::sum);
        times.add(r.seconds());
        try {
          csvOut.row(String.join(",", r.row()));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        ordered[i] = com.google.gson.JsonParser.parseString(r.json()).getAsJsonObject();
        err.printf(Locale.ROOT, "[%d/%d] %s %s: %s%n", i + 1, rows.size(),
            Path.of(rows.get(i).network()).getFileName(),
            Path.of(rows.get(i).property()).getFileName(), r.summary());
        err.flush();
      };
      if (spark != null) {
        try (WorkBackend.Session cluster = WorkBackend.find().open(spark, false, err)) {
          cluster.run("robustspec batch", items, record);
        } catch (IllegalArgumentException e) {
          err.println("robustspec batch: " + e.getMessage());
          return ExitCodes.INPUT_ERROR;
        }
      } else {
        ProgressLine progress = ProgressLine.forConsole(err, true);
        EngineRunner runner = new EngineRunner(progress);
        for (InstanceItem item : items) {
          Row row = rows.get(item.position());
          progress.start(String.format(Locale.ROOT, "[%d/%d] %s %s", item.position() + 1,
              rows.size(), Path.of(row.network()).getFileName(),
              Path.of(row.property()).getFileName()));
          WorkResult r = item.run(NetworkSource.READ, runner);
          progress.clear();
          record.accept(r);
        }
      }
    }
    for (JsonObject j : ordered) {
      if (j != null) {
        instances.add(j);
      }
    }
    double total = times.stream().mapToDouble(Double::doubleValue).sum();
    double median = median(times);
    if (json) {
      JsonObject root = new JsonObject();
      JsonObject t = new JsonObject();
      tally.forEach(t::addProperty);
      root.add("tally", t);
      root.addProperty("instances", rows.size());
      root.add("total_seconds", Reports.number(total));
      root.add("median_seconds", Reports.number(median));
      root.add("results", instances);
      out.println(Reports.toJson(root));
    } else {
      out.printf(Locale.ROOT, "%d instances: %s; total %.1f s, median %.3f s%n", rows.size(),
          tally.toString().replaceAll("[{}]", ""), total, median);
    }
    out.flush();
    return ExitCodes.OK;
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
