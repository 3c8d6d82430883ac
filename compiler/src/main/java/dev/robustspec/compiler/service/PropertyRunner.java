package dev.robustspec.compiler.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.run.Problem;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.VerificationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the plans of compiled properties through the {@link EngineRunner}, several at once if
 * asked, each under its own wall-clock budget that the engine honours from inside.
 */
public final class PropertyRunner {

  /** A property's result. */
  public record Outcome(CompiledProperty property, VerificationResult result) {}

  private PropertyRunner() {}

  /**
   * Verifies the properties with {@code jobs} threads; {@code onDone} is called (from worker
   * threads) as each finishes. Results come back in the properties' order.
   */
  public static List<Outcome> run(List<CompiledProperty> properties, Duration timeout, int jobs,
      Consumer<Outcome> onDone, Budget cancelAll) {
    return run(new EngineRunner(), properties, timeout, jobs, onDone, cancelAll);
  }

  /** As above, on {@code runner} (whose listener hears the progress). */
  public static List<Outcome> run(EngineRunner runner, List<CompiledProperty> properties,
      Duration timeout, int jobs, Consumer<Outcome> onDone, Budget cancelAll) {
    List<Problem> problems = properties.stream().map(CompiledProperty::problem).toList();
    List<VerificationResult> results = runner.runAll(problems, timeout, jobs, (i, r) -> {
      if (onDone != null) {
        onDone.accept(new Outcome(properties.get(i), r));
      }
    }, cancelAll);
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < properties.size(); i++) {
      out.add(new Outcome(properties.get(i), results.get(i)));
    }
    return out;
  }
}
