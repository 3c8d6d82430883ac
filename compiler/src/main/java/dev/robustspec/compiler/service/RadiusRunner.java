package dev.robustspec.compiler.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.RadiusForm;
import dev.robustspec.engine.run.BallProbe;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.run.RadiusSearch;
import dev.robustspec.engine.search.CounterexampleCheck;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Runs a property's radius search ({@code largest eps in (a, b]}): the engine's {@link
 * BallProbe} over the property's ball and unsafe cases, bisected by {@link RadiusSearch} (the
 * same code {@code certify --radius} runs per item), every probe through {@code runner}.
 */
public final class RadiusRunner {
  /** A property's bracket; {@code result.falsifying()} holds the smallest counterexample. */
  public record Outcome(CompiledProperty property, RadiusSearch.Result<BallProbe.Probe> result) {
    /**
     * {@code [0.01234, 0.01250]}: [certified, not certified], "-" where nothing was certified.
     */
    public String bracket() {
      return "[" + orDash(radiusText(result.certified(), RoundingMode.FLOOR)) + ", "
          + radiusText(result.notCertified(), RoundingMode.CEILING) + "]";
    }

    private static String orDash(String s) {
      return s.isEmpty() ? "-" : s;
    }
  }

  private RadiusRunner() {}

  /** The search of {@code p} (which has a radius form) within {@code seconds} in all. */
  public static Outcome run(CompiledProperty p, EngineRunner runner, double seconds) {
    RadiusForm form = p.radius();
    if (form == null) {
      throw new IllegalArgumentException(p.name() + " has no radius search");
    }
    BallProbe ball = new BallProbe(p.network(), form.ball(), form.center(),
        box -> RadiusForm.at(p.specification(), box), p.plan().toEnginePlan(),
        new CounterexampleCheck(p.network()), runner);
    return new Outcome(p, ball.radius(form.from(), form.to(), form.tolerance(), seconds));
  }

  /**
   * A radius as a decimal of 10 significant digits, rounded so that the text itself stays true:
   * down for a certified radius (every smaller one is certified too), up for a falsified one
   * (the counterexample lies within it). The empty string when there is none.
   */
  public static String radiusText(Double v, RoundingMode mode) {
    return v == null ? "" : new BigDecimal(v).round(new MathContext(10, mode))
        .stripTrailingZeros().toPlainString();
  }
}
