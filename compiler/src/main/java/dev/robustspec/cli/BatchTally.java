package dev.robustspec.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tally of a {@code batch} run: verdict counts, total and median time, and each instance's
 * JSON, over the instances finished so far (those read back by {@code --resume} included), so
 * that the same summary ends a whole run and one cut short by Ctrl-C.
 */
final class BatchTally {
  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<Double> times = new ArrayList<>();
  private final JsonArray instances = new JsonArray();

  /** One instance run now. */
  synchronized void add(String verdict, double seconds, JsonObject json) {
    counts.merge(verdict, 1, Integer::sum);
    times.add(seconds);
    instances.add(json);
  }

  /** One row of a resumed results file: network,property,verdict,decided_by,seconds. */
  synchronized void addResumed(String[] row) {
    double seconds;
    try {
      seconds = Double.parseDouble(row[4]);
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    JsonObject j = new JsonObject();
    j.addProperty("network", row[0]);
    j.addProperty("property", row[1]);
    j.addProperty("verdict", row[2]);
    j.addProperty("decided_by", row[3].isEmpty() ? null : row[3]);
    j.add("seconds", Reports.number(seconds));
    j.addProperty("resumed", true);
    add(row[2], seconds, j);
  }

  synchronized int count() {
    return times.size();
  }

  synchronized int errors() {
    return counts.getOrDefault("error", 0);
  }

  /** {@code 186 instances: holds=134, violated=45; total 167.2 s, median 0.036 s}, or JSON. */
  synchronized void print(PrintWriter out, boolean json) {
    double total = times.stream().mapToDouble(Double::doubleValue).sum();
    double median = BatchCommand.median(times);
    if (json) {
      JsonObject root = new JsonObject();
      JsonObject t = new JsonObject();
      counts.forEach(t::addProperty);
      root.add("tally", t);
      root.addProperty("instances", count());
      root.add("total_seconds", Reports.number(total));
      root.add("median_seconds", Reports.number(median));
      root.add("results", instances);
      out.println(Reports.toJson(root));
    } else {
      out.printf(Locale.ROOT, "%d instances: %s; total %.1f s, median %.3f s%n", count(),
          counts.toString().replaceAll("[{}]", ""), total, median);
    }
  }
}
