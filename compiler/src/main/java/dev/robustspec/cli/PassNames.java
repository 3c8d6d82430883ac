package dev.robustspec.cli;

import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.RelaxationPass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The relaxation passes the CLI can name, in one registry. */
final class PassNames {
  private static final Map<String, Supplier<RelaxationPass>> PASSES = new TreeMap<>(Map.of(
      "interval", IntervalPass::new,
      "deeppoly", DeepPolyPass::new));

  /** The default plan: cheap to expensive. */
  static final String DEFAULT = "interval,deeppoly";

  private PassNames() {}

  static List<RelaxationPass> parse(String list) {
    List<RelaxationPass> passes = new ArrayList<>();
    for (String raw : list.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      Supplier<RelaxationPass> p = PASSES.get(name);
      if (p == null) {
        throw new IllegalArgumentException("unknown pass '" + raw.trim() + "'; known passes: "
            + String.join(", ", PASSES.keySet()));
      }
      passes.add(p.get());
    }
    if (passes.isEmpty()) {
      throw new IllegalArgumentException("no pass named; known passes: "
          + String.join(", ", PASSES.keySet()));
    }
    return passes;
  }

  static String known() {
    return String.join(", ", PASSES.keySet());
  }
}
