package dev.robustspec.engine.plan;

import java.util.List;

/**
 * The one validator of plan steps, shared by the .rspec checker (which turns its problems into
 * located diagnostics) and {@code --passes} (which turns them into a CLI error). It answers with
 * problems as data; the wording belongs to each front end.
 */
public final class PlanValidator {

  /** What is wrong with a pass or one of its parameters. */
  public sealed interface Problem {
    /** No pass is called {@code name}; {@code known} lists the passes. */
    record UnknownPass(String name, List<String> known) implements Problem {}

    /** {@code pass} has no parameter {@code name}; {@code known} lists its parameters. */
    record UnknownParameter(PassRegistry.PassSpec pass, String name, List<String> known)
        implements Problem {}

    /** {@code value} lies outside {@code param}'s inclusive range. */
    record OutOfRange(PassRegistry.PassSpec pass, PassRegistry.ParamSpec param, double value)
        implements Problem {}
  }

  /** A lookup that found {@code found}, or the {@code problem} why not. */
  public record Lookup<T>(T found, Problem problem) {}

  private PlanValidator() {}

  /** The pass called {@code name}, or {@link Problem.UnknownPass}. */
  public static Lookup<PassRegistry.PassSpec> pass(String name) {
    PassRegistry.PassSpec spec = PassRegistry.get(name);
    return spec != null ? new Lookup<>(spec, null)
        : new Lookup<>(null, new Problem.UnknownPass(name, PassRegistry.names()));
  }

  /** {@code pass}'s parameter {@code name}, or {@link Problem.UnknownParameter}. */
  public static Lookup<PassRegistry.ParamSpec> parameter(PassRegistry.PassSpec pass,
      String name) {
    PassRegistry.ParamSpec ps = pass.param(name);
    return ps != null ? new Lookup<>(ps, null) : new Lookup<>(null,
        new Problem.UnknownParameter(pass, name,
            pass.params().stream().map(PassRegistry.ParamSpec::name).toList()));
  }

  /** {@link Problem.OutOfRange} when {@code value} lies outside the range, else null. */
  public static Problem range(PassRegistry.PassSpec pass, PassRegistry.ParamSpec param,
      double value) {
    // written so that NaN fails too
    return !(value >= param.min() && value <= param.max())
        ? new Problem.OutOfRange(pass, param, value) : null;
  }
}
