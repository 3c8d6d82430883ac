package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.compiler.service.RadiusRunner;
import dev.robustspec.engine.run.BallProbe;
import dev.robustspec.engine.run.EngineRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code verify} of radius-search properties ({@code largest eps in (a, b]}): per property (per
 * item over a data set) the bracket [certified, falsified] by {@link RadiusRunner}, a table, a
 * summary per declared property (the certified radii's distribution, the smallest falsified
 * radius with its counterexample), {@code --out} rows like {@code certify --radius} with the
 * property first, and JSON. {@code --timeout} is per property for its whole search.
 */
final class RadiusVerify {
  static final String HEADER =
      "property,index,label,radius_certified,radius_falsified,seconds";

  /** What the command asked for. */
  record Options(double timeout, boolean json, Path out, boolean resume, Path cexDir) {}

  private RadiusVerify() {}

  /** Runs the searches; the exit code: 0 every bracket within its tolerance, else 3. */
  static int run(Compilation c, List<CompiledProperty> properties, Options o, PrintWriter out,
      PrintWriter err) {
    ResultsTable table;
    try {
      table = o.out() == null ? null : new ResultsTable(o.out(), HEADER, new int[] {0},
          o.resume(), out);
    } catch (IllegalArgumentException | IOException e) {
      err.println("robustspec verify: " + e.getMessage());
      return ExitCodes.INPUT_ERROR;
    }
    List<CompiledProperty> todo = properties.stream()
        .filter(p -> table == null || !table.has(p.name())).toList();
    List<String[]> resumed = table == null ? List.of() : table.rows();
    List<RadiusRunner.Outcome> finished = new ArrayList<>();
    boolean failed = false;
    Object lock = table != null ? table : finished;
    ProgressLine progress = ProgressLine.forConsole(err, !o.json());
    EngineRunner runner = new EngineRunner(progress);
    try (InterruptibleRun signal = InterruptibleRun.arm(lock, () -> {
      progress.clear();
      out.println("interrupted: " + (resumed.size() + finished.size()) + " of "
          + (resumed.size() + todo.size()) + " radius searches finished");
      table(resumed, finished, out);
      out.flush();
      if (table != null) {
        table.close();
      }
    })) {
      int done = 0;
      for (CompiledProperty p : todo) {
        progress.start("[" + done + "/" + todo.size() + "] " + p.name() + " radius");
        RadiusRunner.Outcome r;
        try {
          r = RadiusRunner.run(p, runner, TimeoutOption.saturated(o.timeout()));
        } catch (EngineRunner.EngineFailure e) {
          progress.clear();
          err.println("robustspec verify: " + p.name() + ": internal error (please report it): "
              + e.getCause());
          failed = true;
          continue;
        }
        synchronized (lock) {
          finished.add(r);
          if (table != null) {
            table.add(row(r));
          }
        }
        done++;
      }
    } finally {
      if (table != null) {
        table.close();
      }
    }
    progress.clear();
    if (o.cexDir() != null) {
      save(finished, o.cexDir(), err);
    }
    if (o.json()) {
      out.println(Reports.toJson(json(c, finished)));
    } else {
      table(resumed, finished, out);
      summary(finished, out);
    }
    out.flush();
    boolean open = failed || finished.stream().anyMatch(r -> !r.result().withinTolerance());
    return open ? 3 : ExitCodes.OK;
  }

  /** {@code property,index,label,radius_certified,radius_falsified,seconds}. */
  static String[] row(RadiusRunner.Outcome r) {
    var item = r.property().item();
    return new String[] {r.property().name(), item == null ? "" : Integer.toString(item.index()),
        item == null ? "" : Integer.toString(item.label()),
        RadiusRunner.radiusText(r.result().certified(), RoundingMode.FLOOR),
        RadiusRunner.radiusText(r.result().falsified(), RoundingMode.CEILING),
        String.format(Locale.ROOT, "%.3f", r.result().seconds())};
  }

  private static void table(List<String[]> resumed, List<RadiusRunner.Outcome> outcomes,
      PrintWriter out) {
    int w = PropertyResults.nameWidth(Stream.concat(outcomes.stream().map(o -> o.property()
        .name()), resumed.stream().map(r -> r[0])).toList());
    String fmt = "%-" + w + "s  %-14s  %-16s  %-14s  %9s%n";
    out.printf(Locale.ROOT, fmt, "property", "certified", "not certified", "falsified", "time");
    for (String[] r : resumed) {
      out.printf(Locale.ROOT, fmt, r[0], dash(r[3]), "", dash(r[4]), r[5] + " s (resumed)");
    }
    for (RadiusRunner.Outcome o : outcomes) {
      String[] r = row(o);
      out.printf(Locale.ROOT, fmt, r[0], dash(r[3]), RadiusRunner.radiusText(
          o.result().notCertified(), RoundingMode.CEILING) + (o.result().withinTolerance() ? ""
          : " *"), dash(r[4]), r[5] + " s");
    }
    if (outcomes.stream().anyMatch(o -> !o.result().withinTolerance())) {
      out.println("* [certified, not certified] is wider than the tolerance: the search's time"
          + " ran out");
    }
  }

  /**
   * Per declared property: the certified radii (min, median, max) and the smallest falsified
   * radius with its counterexample.
   */
  private static void summary(List<RadiusRunner.Outcome> outcomes, PrintWriter out) {
    Map<String, List<RadiusRunner.Outcome>> groups = new LinkedHashMap<>();
    for (RadiusRunner.Outcome o : outcomes) {
      String name = o.property().item() != null ? o.property().item().property()
          : o.property().name();
      groups.computeIfAbsent(name, k -> new ArrayList<>()).add(o);
    }
    for (Map.Entry<String, List<RadiusRunner.Outcome>> g : groups.entrySet()) {
      List<RadiusRunner.Outcome> os = g.getValue();
      double[] certified = os.stream().mapToDouble(o -> o.result().certified() == null ? 0
          : o.result().certified()).sorted().toArray();
      long within = os.stream().filter(o -> o.result().withinTolerance()).count();
      RadiusRunner.Outcome smallest = null;
      for (RadiusRunner.Outcome o : os) {
        Double f = o.result().falsified();
        if (f != null && (smallest == null || f < smallest.result().falsified())) {
          smallest = o;
        }
      }
      out.println();
      long none = os.stream().filter(o -> o.result().certified() == null).count();
      out.printf(Locale.ROOT, "%s: %d search%s, certified radius min %s, median %s, max %s"
          + "%s; %d of %d within tolerance %s%n", g.getKey(), os.size(),
          os.size() == 1 ? "" : "es", text(certified[0]), text(certified[certified.length / 2]),
          text(certified[certified.length - 1]), none == 0 ? "" : " (" + none
          + " with none certified, counted as 0)", within, os.size(),
          text(os.get(0).property().radius().tolerance()));
      if (smallest == null) {
        out.println("  no counterexample found");
        continue;
      }
      BallProbe.Probe p = smallest.result().falsifying();
      out.println("  smallest falsified radius "
          + RadiusRunner.radiusText(smallest.result().falsified(), RoundingMode.CEILING)
          + " (" + smallest.property().name() + "), counterexample:");
      out.println("    input  " + PropertyResults.vector(p.counterexample()));
      out.println("    output " + PropertyResults.vector(p.output()));
    }
  }

  private static void save(List<RadiusRunner.Outcome> outcomes, Path dir, PrintWriter err) {
    for (RadiusRunner.Outcome o : outcomes) {
      BallProbe.Probe p = o.result().falsifying();
      if (p == null) {
        continue;
      }
      var item = o.property().item();
      try {
        CounterexampleFiles.saveProperty(dir, o.property().name(), p.counterexample(),
            o.property().network().inputShape(), item == null ? null : item.center(),
            item == null ? -1 : item.label(), p.output());
      } catch (IOException e) {
        err.println("robustspec verify: cannot save the counterexample of "
            + o.property().name() + " in " + dir + ": " + e.getMessage());
      }
    }
  }

  private static JsonObject json(Compilation c, List<RadiusRunner.Outcome> outcomes) {
    JsonObject root = new JsonObject();
    root.addProperty("file", c.fileName());
    root.add("diagnostics", DiagnosticFormatter.json(c.fileName(), c.diagnostics()));
    JsonArray props = new JsonArray();
    for (RadiusRunner.Outcome o : outcomes) {
      JsonObject j = new JsonObject();
      String[] r = row(o);
      j.addProperty("property", r[0]);
      j.addProperty("network", o.property().networkName());
      if (o.property().item() != null) {
        j.addProperty("index", o.property().item().index());
        j.addProperty("label", o.property().item().label());
      }
      j.add("radius_certified", o.result().certified() == null ? null
          : Reports.number(o.result().certified()));
      j.add("radius_falsified", o.result().falsified() == null ? null
          : Reports.number(o.result().falsified()));
      j.add("radius_not_certified", Reports.number(o.result().notCertified()));
      j.addProperty("radius_certified_text", r[3]);
      j.addProperty("radius_falsified_text", r[4]);
      j.addProperty("within_tolerance", o.result().withinTolerance());
      j.add("tolerance", Reports.number(o.property().radius().tolerance()));
      j.add("seconds", Reports.number(o.result().seconds()));
      BallProbe.Probe p = o.result().falsifying();
      if (p != null) {
        JsonObject cex = new JsonObject();
        cex.add("input", Reports.array(p.counterexample()));
        cex.add("output", Reports.array(p.output()));
        j.add("counterexample", cex);
      } else {
        j.add("counterexample", null);
      }
      props.add(j);
    }
    root.add("properties", props);
    return root;
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static String text(double v) {
    return RadiusRunner.radiusText(v, RoundingMode.FLOOR);
  }

}
