package dev.robustspec.cli;

import com.google.gson.JsonObject;
import dev.robustspec.engine.run.EngineRunner;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One VNN-COMP instance of {@code batch}: {@code network} and {@code property} as the
 * instances.csv names them (the row's columns), resolved against {@code base}; {@code position}
 * (the row's place in the CSV, from 0) is its key. The network comes from the
 * {@link NetworkSource}; the property is read where the item runs, within its timeout.
 */
record InstanceItem(int position, String base, String network, String property,
    NetworkFile networkFile, String passes, double timeout, long seed) implements WorkItem {

  @Override
  public String key() {
    return Integer.toString(position);
  }

  @Override
  public WorkResult run(NetworkSource networks) {
    return run(networks, new EngineRunner());
  }

  /** With the engine runner to use (the local batch's, which carries its progress line). */
  WorkResult run(NetworkSource networks, EngineRunner runner) {
    InstanceRunner.Outcome o = InstanceRunner.run(networkFile, Path.of(base).resolve(property),
        passes, timeout, seed, runner, networks);
    String verdict = o.failed() ? "error" : o.result().verdict().word();
    String by = o.failed() ? "" : String.valueOf(Reports.decidedBy(o.result().verdict()));
    String[] row = {network, property, verdict, by.equals("null") ? "" : by,
        String.format(Locale.ROOT, "%.3f", o.seconds())};
    JsonObject j = Reports.json(o);
    j.addProperty("network", network);
    j.addProperty("property", property);
    return new WorkResult(key(), row, verdict, o.failed() ? o.error().getMessage() : null, null,
        -1, Double.NaN, j.toString(), Reports.oneLine(o), o.seconds());
  }

  @Override
  public WorkResult failed(String message, double seconds) {
    String[] row = {network, property, "error", "",
        String.format(Locale.ROOT, "%.3f", seconds)};
    JsonObject j = new JsonObject();
    j.addProperty("verdict", "error");
    j.addProperty("error", message);
    j.addProperty("network", network);
    j.addProperty("property", property);
    return new WorkResult(key(), row, "error", message, null, -1, Double.NaN, j.toString(),
        "error: " + message, seconds);
  }
}
