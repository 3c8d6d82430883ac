package dev.robustspec.engine.run;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.search.Counterexample;
import dev.robustspec.engine.search.CounterexampleCheck;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.LocalRobustness;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Function;

/**
 * A property over the L-infinity ball of radius {@code eps} around one point ({@link
 * LocalRobustness}: scaled, clipped, normalised), decided at any radius through the {@link
 * EngineRunner}, and the radius search over it ({@link RadiusSearch}). What {@code certify} runs
 * per item and what a {@code largest eps in (a, b]} property runs per region.
 *
 * <p>A counterexample counts only when it lies in the <em>real</em> ball ({@link
 * LocalRobustness#contains}, exact) and violates an unsafe case by the verifier's one
 * confirmation ({@link CounterexampleCheck}): the engine's region is the outward-rounded box, so
 * a point it reports may sit on the rounding edge; such a point is moved into the
 * inward-rounded box and confirmed again, or the probe is unknown. The centre is tried first:
 * a property false there is false at every radius (ERAN and alpha-beta-CROWN count a
 * misclassified item so).
 */
public final class BallProbe {
  /**
   * One verdict at one radius: {@code verdict} is certified, falsified, unknown or timeout;
   * {@code counterexample} (network input space) and its {@code output} are set when falsified;
   * {@code margin} is the proven margin (certified), the best bound (unknown, timeout) or NaN.
   */
  public record Probe(String verdict, String decidedBy, double margin, double seconds,
      double[] counterexample, double[] output, String message) {
    public boolean certified() {
      return verdict.equals("certified");
    }

    public boolean falsified() {
      return verdict.equals("falsified");
    }
  }

  private final Network network;
  private final LocalRobustness ball;
  private final double[] raw;
  private final Function<Box, Specification> property;
  private final Verifier.Plan plan;
  private final CounterexampleCheck check;
  private final EngineRunner runner;

  /**
   * {@code raw} is the centre as stored (before scaling); {@code property} gives the negated
   * property over a region (its unsafe cases, each over that region).
   */
  public BallProbe(Network network, LocalRobustness ball, double[] raw,
      Function<Box, Specification> property, Verifier.Plan plan, CounterexampleCheck check,
      EngineRunner runner) {
    this.network = network;
    this.ball = ball;
    this.raw = raw.clone();
    this.property = property;
    this.plan = plan;
    this.check = check;
    this.runner = runner;
  }

  /** The engine's region at radius {@code eps}: the outward-rounded box of the real ball. */
  public Box region(BigDecimal eps) {
    return ball.ball(raw, eps, true);
  }

  /** The property at radius {@code eps} within {@code timeout} seconds. */
  public Probe probe(BigDecimal eps, double timeout) {
    long start = System.nanoTime();
    Specification spec = property.apply(region(eps));
    Probe atCentre = confirmed(spec, eps, ball.center(raw), "centre", start);
    if (atCentre != null) {
      return atCentre;
    }
    Verdict v = runner.run(new Problem(network, spec, plan), EngineRunner.Limits.of(
        Duration.ofNanos((long) (Math.max(0, timeout) * 1e9)))).verdict();
    if (v instanceof Verdict.Certified c) {
      return new Probe("certified", c.decidedBy(), c.margin(), elapsed(start), null, null, null);
    }
    if (v instanceof Verdict.Falsified f) {
      Probe p = confirmed(spec, eps, f.input(), f.decidedBy(), start);
      if (p == null) {
        Box inner = ball.ball(raw, eps, false);
        double[] x = f.input().clone();
        for (int i = 0; i < x.length; i++) {
          x[i] = Math.min(Math.max(x[i], inner.lower()[i]), inner.upper()[i]);
        }
        p = confirmed(spec, eps, x, f.decidedBy(), start);
      }
      return p != null ? p : new Probe("unknown", "", Double.NEGATIVE_INFINITY, elapsed(start),
          null, null, "counterexample only on the rounding edge of the ball");
    }
    if (v instanceof Verdict.Unknown u) {
      return new Probe("unknown", "", u.bestMargin(), elapsed(start), null, null, u.reason());
    }
    return new Probe("timeout", "", ((Verdict.Timeout) v).bestMargin(), elapsed(start), null,
        null, null);
  }

  /** The radius search in {@code (from, to]}: see {@link RadiusSearch}. */
  public RadiusSearch.Result<Probe> radius(double from, double to, double tolerance,
      double seconds) {
    return RadiusSearch.search(from, to, tolerance, seconds, (r, t) -> step(probe(
        new BigDecimal(r), t)));
  }

  /** A probe as a step of the radius search. */
  public RadiusSearch.Step<Probe> step(Probe p) {
    if (p.certified()) {
      return new RadiusSearch.Step<>(RadiusSearch.Outcome.CERTIFIED, 0, p);
    }
    if (p.falsified()) {
      return new RadiusSearch.Step<>(RadiusSearch.Outcome.FALSIFIED,
          ball.distance(raw, p.counterexample()), p);
    }
    return new RadiusSearch.Step<>(RadiusSearch.Outcome.OPEN, 0, p);
  }

  /** A probe falsified at {@code x} when it violates a case exactly and lies in the real ball. */
  private Probe confirmed(Specification spec, BigDecimal eps, double[] x, String by,
      long start) {
    if (!ball.contains(raw, eps, x)) {
      return null;
    }
    for (int c = 0; c < spec.cases().size(); c++) {
      UnsafeCase uc = spec.cases().get(c);
      Counterexample cex = check.confirm(uc, c, x);
      if (cex != null) {
        return new Probe("falsified", by, Double.NaN, elapsed(start), x.clone(), cex.output(),
            null);
      }
    }
    return null;
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
