package dev.robustspec.engine.plan;

import dev.robustspec.engine.verify.PlanStep;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One step of a property's plan: a known pass with every parameter resolved. Plain data of the
 * engine; where a {@code .rspec} file wrote it stays on the compiler's side (the AST's pass
 * calls, which the diagnostics point at).
 */
public record PassInvocation(PassRegistry.PassSpec pass, Map<String, Double> parameters) {

  public PassInvocation {
    parameters = Map.copyOf(parameters);
  }

  /** The engine step, built by the registry's factory. */
  public PlanStep toStep() {
    return pass.factory().apply(parameters);
  }

  /** {@code attack(samples = 256, restarts = 20, ...)}, parameters in declaration order. */
  public String display() {
    StringJoiner j = new StringJoiner(", ", pass.name() + "(", ")");
    j.setEmptyValue(pass.name());
    for (PassRegistry.ParamSpec p : pass.params()) {
      Double v = parameters.get(p.name());
      if (v != null) {
        j.add(p.name() + " = " + format(p, v));
      }
    }
    return j.toString();
  }

  static String format(PassRegistry.ParamSpec p, double v) {
    return switch (p.type()) {
      case INTEGER -> Long.toString((long) v);
      case DURATION -> (v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT,
          "%.3f", v)) + "s";
      case NUMBER -> Double.toString(v);
    };
  }
}
