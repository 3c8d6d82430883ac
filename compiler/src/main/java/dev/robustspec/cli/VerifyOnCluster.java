package dev.robustspec.cli;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.service.PropertyRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code verify FILE.rspec --spark MASTER}: the selected properties (each item of a data-set
 * property, each {@code --sweep} value) as {@link PropertyItem}s, one Spark task each. The
 * results come back as the local run's outcomes, with the driver's compiled properties, so
 * that the table, the JSON, the counterexamples and the exit code are made by the same code.
 */
final class VerifyOnCluster {
  private VerifyOnCluster() {}

  /** Runs {@code selected}; {@code onDone} hears each as it finishes; results in order. */
  static List<PropertyRunner.Outcome> run(WorkBackend.Session cluster, RspecFile file,
      List<ParamRuns.Setting> settings, List<CompiledProperty> selected, double timeout,
      Consumer<PropertyRunner.Outcome> onDone, PrintWriter err) {
    Map<String, CompiledProperty> byKey = new HashMap<>();
    List<PropertyItem> items = new ArrayList<>();
    for (CompiledProperty p : selected) {
      PropertyItem item = PropertyItem.of(file, setting(settings, p.name()), p, timeout);
      byKey.put(item.key(), p);
      items.add(item);
    }
    Map<String, PropertyRunner.Outcome> finished = new HashMap<>();
    cluster.run("robustspec verify", items, r -> {
      if ("error".equals(r.verdict())) {
        err.println("robustspec verify: property " + r.key() + ": " + r.message());
        err.flush();
      }
      PropertyRunner.Outcome o = new PropertyRunner.Outcome(byKey.get(r.key()),
          r.verification());
      synchronized (finished) {
        finished.put(r.key(), o);
      }
      onDone.accept(o);
    });
    List<PropertyRunner.Outcome> outcomes = new ArrayList<>();
    for (PropertyItem item : items) {
      outcomes.add(finished.get(item.key()));
    }
    return outcomes;
  }

  /** The setting a property was compiled with: the one whose suffix ends its name. */
  private static ParamRuns.Setting setting(List<ParamRuns.Setting> settings, String name) {
    if (settings.size() == 1) {
      return settings.get(0);
    }
    int at = name.lastIndexOf('@');
    String suffix = at < 0 ? "" : name.substring(at);
    for (ParamRuns.Setting s : settings) {
      if (s.suffix().equals(suffix)) {
        return s;
      }
    }
    throw new IllegalStateException("property " + name + " has no --sweep value");
  }
}
