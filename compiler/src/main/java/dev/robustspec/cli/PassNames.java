package dev.robustspec.cli;

import dev.robustspec.compiler.syntax.Durations;
import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.plan.PassRegistry;
import dev.robustspec.engine.plan.PlanValidator;
import dev.robustspec.engine.plan.PropertyPlan;
import dev.robustspec.engine.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plans for the VNN-COMP commands ({@code instance}, {@code batch}): the passes of the engine's
 * {@link PassRegistry}, named in a comma-separated list with their default parameters, or the
 * engine's default plan; checked by the {@link PlanValidator} that .rspec plans go through, and
 * built as the engine's {@link PropertyPlan} directly (no source ranges: a CLI error names the
 * list item).
 */
final class PassNames {
  /** The word that selects the default plan. */
  static final String DEFAULT = "default";

  private PassNames() {}

  /** Checks a {@code --passes} value; throws IllegalArgumentException with a clear message. */
  static void validate(String list) {
    plan(list, 1, 0);
  }

  /** The plan for a problem with {@code inputSize} varying inputs; {@code seed} seeds every search. */
  static Verifier.Plan plan(String list, int inputSize, long seed) {
    PropertyPlan plan = list.trim().equalsIgnoreCase(DEFAULT)
        ? PropertyPlan.defaultPlan(inputSize) : new PropertyPlan(named(list), false);
    return plan.seeded(seed).toEnginePlan();
  }

  private static List<PassInvocation> named(String list) {
    List<PassInvocation> steps = new ArrayList<>();
    for (String raw : splitTopLevel(list)) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      Map<String, Double> given = new java.util.HashMap<>();
      Map<String, String> units = new java.util.HashMap<>(); // parameters written with a unit
      String name = item;
      int open = item.indexOf('(');
      if (open >= 0) {
        if (!item.endsWith(")")) {
          throw new IllegalArgumentException("pass '" + item + "': parameters go in parentheses,"
              + " e.g. krelu(k=3,ns=8)");
        }
        name = item.substring(0, open).trim();
        for (String kv : item.substring(open + 1, item.length() - 1).split(",")) {
          if (kv.isBlank()) {
            continue;
          }
          String[] parts = kv.split("=", 2);
          String key = parts[0].trim().toLowerCase(Locale.ROOT);
          Double previous;
          String text = parts.length == 2 ? parts[1].trim() : "";
          String unit = durationUnit(text);
          try {
            // a duration with a unit reads as the .rspec language reads it
            previous = given.put(key,
                unit == null ? Double.parseDouble(text) : Durations.seconds(text));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pass '" + item + "': parameter '" + kv.trim()
                + "' is not name=number (durations in seconds, or with a unit as robustspec plan"
                + " shows them: timeout=20s, 500ms, 2min)");
          }
          if (unit != null) {
            units.put(key, unit);
          }
          if (previous != null) {
            throw new IllegalArgumentException("pass '" + item + "': parameter '" + key
                + "' is given twice");
          }
        }
      }
      name = name.toLowerCase(Locale.ROOT);
      PlanValidator.Lookup<PassRegistry.PassSpec> found = PlanValidator.pass(name);
      if (found.problem() instanceof PlanValidator.Problem.UnknownPass u) {
        throw new IllegalArgumentException("unknown pass '" + name + "'; known passes: "
            + String.join(", ", u.known()) + " (or 'default')");
      }
      PassRegistry.PassSpec spec = found.found();
      for (Map.Entry<String, Double> e : given.entrySet()) {
        PlanValidator.Lookup<PassRegistry.ParamSpec> param =
            PlanValidator.parameter(spec, e.getKey());
        if (param.problem() instanceof PlanValidator.Problem.UnknownParameter u) {
          throw new IllegalArgumentException("pass " + name + " has no parameter '" + e.getKey()
              + "'; its parameters: " + String.join(", ", u.known()));
        }
        PassRegistry.ParamSpec ps = param.found();
        if (units.containsKey(e.getKey()) && ps.type() != PassRegistry.ParamType.DURATION) {
          throw new IllegalArgumentException("pass " + name + ": " + e.getKey() + " is a number,"
              + " not a duration: write it without '" + units.get(e.getKey()) + "'");
        }
        if (PlanValidator.range(spec, ps, e.getValue()) != null) {
          throw new IllegalArgumentException("pass " + name + ": " + e.getKey() + " must be in "
              + number(ps.min()) + ".." + number(ps.max()));
        }
      }
      steps.add(new PassInvocation(spec, PassRegistry.withDefaults(spec, given)));
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("no pass named; known passes: "
          + String.join(", ", PassRegistry.names()) + " (or 'default')");
    }
    return steps;
  }

  /** A bound as users write it: 2, not 2.0. */
  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Splits at commas outside parentheses: {@code deeppoly,krelu(k=3,ns=8)}. */
  private static List<String> splitTopLevel(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char ch = list.charAt(i);
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        out.add(list.substring(start, i));
        start = i + 1;
      }
    }
    out.add(list.substring(start));
    return out;
  }

  /**
   * The unit a duration is written with, as the .rspec language (and {@code robustspec plan})
   * writes them: {@code ms}, {@code min} or {@code s}; null for a plain number (seconds).
   */
  private static String durationUnit(String text) {
    for (String unit : new String[] {"ms", "min", "s"}) { // "ms" before "s": it ends with s
      if (text.endsWith(unit)) {
        return unit;
      }
    }
    return null;
  }
}
