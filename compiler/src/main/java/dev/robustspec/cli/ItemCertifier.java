package dev.robustspec.cli;

import dev.robustspec.compiler.service.RadiusSearch;
import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.run.Problem;
import dev.robustspec.engine.search.Counterexample;
import dev.robustspec.engine.search.CounterexampleCheck;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.LocalRobustness;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Certifies one data item: local robustness at one epsilon, or the radius search. Each
 * verification is one {@code (Network, Specification)} run through {@link #verify}, the same
 * path {@code robustspec instance} takes.
 */
final class ItemCertifier {
  /** What every item shares: the network, the ball, the plan and the per-item limits. */
  record Setup(Network network, LocalRobustness robustness, String passes, double timeout,
      long seed) {}

  /**
   * One verdict at one radius: {@code verdict} is certified, falsified, unknown, timeout or
   * error; {@code counterexample} (network input space) is set when falsified and confirmed to
   * lie in the real ball; {@code margin} is the proven margin (certified), the best bound
   * (unknown, timeout) or the margin at the counterexample (falsified).
   */
  record Probe(String verdict, String decidedBy, double margin, double seconds,
      double[] counterexample, int predicted, String message) {
    boolean certified() {
      return verdict.equals("certified");
    }

    boolean falsified() {
      return verdict.equals("falsified");
    }
  }

  /** The radius search's answer: the bracket, the smallest falsified radius and its point. */
  record Radius(Double certified, Double falsified, Probe falsifying, double seconds,
      boolean tolerance, String error) {}

  private final Setup setup;
  private final CounterexampleCheck check;

  ItemCertifier(Setup setup) {
    this.setup = setup;
    this.check = new CounterexampleCheck(setup.network());
  }

  /** The one call into the verifier: the engine runner, as {@code instance} uses it. */
  static VerificationResult verify(Network net, Specification spec, String passes,
      double timeout, long seed) {
    return new EngineRunner().run(new Problem(net, spec, PassNames.plan(passes, net.inputSize(),
        seed)), EngineRunner.Limits.of(Duration.ofNanos((long) (Math.max(0, timeout) * 1e9))));
  }

  /** Local robustness of {@code item} at radius {@code eps} within {@code timeout} seconds. */
  Probe probe(Dataset.Item item, BigDecimal eps, double timeout) {
    long start = System.nanoTime();
    Network net = setup.network();
    LocalRobustness ball = setup.robustness();
    if (item.values().length != net.inputSize()) {
      return error(start, "item has " + item.values().length + " values but the network takes "
          + net.inputSize() + " inputs");
    }
    if (item.label() >= net.outputSize()) {
      return error(start, "label " + item.label() + " is not a class of the network (0.."
          + (net.outputSize() - 1) + ")");
    }
    Box region = ball.ball(item.values(), eps, true);
    if (region.isEmpty()) {
      return error(start, "the item's values lie outside the clip range");
    }
    Specification spec = LocalRobustness.specification(region, item.label(), net.outputSize());
    // misclassified at the centre: falsified with the centre as counterexample (as ERAN and
    // alpha-beta-CROWN count such items), confirmed like any other counterexample
    double[] centre = ball.center(item.values());
    Probe atCentre = confirmed(spec, item, eps, centre, "centre", start);
    if (atCentre != null) {
      return atCentre;
    }
    Verdict v = verify(net, spec, setup.passes(), timeout, setup.seed()).verdict();
    if (v instanceof Verdict.Certified c) {
      return new Probe("certified", c.decidedBy(), c.margin(), elapsed(start), null, -1, null);
    }
    if (v instanceof Verdict.Falsified f) {
      Probe p = confirmed(spec, item, eps, f.input(), f.decidedBy(), start);
      if (p == null) {
        // the verifier's point lies in the outward-rounded box but not in the real ball; moved
        // into the inward-rounded box it must be confirmed again
        Box inner = ball.ball(item.values(), eps, false);
        double[] x = f.input().clone();
        for (int i = 0; i < x.length; i++) {
          x[i] = Math.min(Math.max(x[i], inner.lower()[i]), inner.upper()[i]);
        }
        p = confirmed(spec, item, eps, x, f.decidedBy(), start);
      }
      return p != null ? p : new Probe("unknown", "", Double.NEGATIVE_INFINITY, elapsed(start),
          null, -1, "counterexample only on the rounding edge of the ball");
    }
    if (v instanceof Verdict.Unknown u) {
      return new Probe("unknown", "", u.bestMargin(), elapsed(start), null, -1, u.reason());
    }
    return new Probe("timeout", "", ((Verdict.Timeout) v).bestMargin(), elapsed(start), null,
        -1, null);
  }

  /**
   * The radius search in (0, maxRadius] within the item's time ({@link RadiusSearch}: the
   * bisection, with a counterexample's distance from the item lowering the bracket's top).
   */
  Radius radius(Dataset.Item item, double maxRadius, double tolerance) {
    long start = System.nanoTime();
    RadiusSearch.Result<Probe> r = RadiusSearch.search(maxRadius, tolerance, setup.timeout(),
        (radius, seconds) -> {
          Probe p = probe(item, new BigDecimal(radius), seconds);
          if (p.verdict().equals("error")) {
            return new RadiusSearch.Step<>(RadiusSearch.Outcome.ERROR, Double.NaN, p);
          }
          if (p.certified()) {
            return new RadiusSearch.Step<>(RadiusSearch.Outcome.CERTIFIED, Double.NaN, p);
          }
          if (p.falsified()) {
            return new RadiusSearch.Step<>(RadiusSearch.Outcome.FALSIFIED,
                setup.robustness().distance(item.values(), p.counterexample()), p);
          }
          return new RadiusSearch.Step<>(RadiusSearch.Outcome.OPEN, Double.NaN, p);
        });
    if (r.error() != null) {
      return new Radius(null, null, null, elapsed(start), false, r.error().message());
    }
    return new Radius(r.certified(), r.falsified(), r.falsifying(), elapsed(start),
        r.withinTolerance(), null);
  }

  /** A probe falsified at {@code x} when it violates a case exactly and lies in the real ball. */
  private Probe confirmed(Specification spec, Dataset.Item item, BigDecimal eps, double[] x,
      String by, long start) {
    if (!setup.robustness().contains(item.values(), eps, x)) {
      return null;
    }
    for (int c = 0; c < spec.cases().size(); c++) {
      UnsafeCase uc = spec.cases().get(c);
      Counterexample cex = check.confirm(uc, c, x);
      if (cex != null) {
        double[] y = cex.output();
        // the confirmed case makes some other class reach the label's output: the largest
        // other class is the prediction (on a tie with the label too, which counts against)
        int predicted = other(y, item.label());
        double margin = y[item.label()] - y[predicted];
        return new Probe("falsified", by, margin, elapsed(start), x.clone(), predicted, null);
      }
    }
    return null;
  }

  private static int other(double[] y, int label) {
    int best = label == 0 ? 1 : 0;
    for (int j = 0; j < y.length; j++) {
      if (j != label && y[j] > y[best]) {
        best = j;
      }
    }
    return best;
  }

  private static Probe error(long start, String message) {
    return new Probe("error", "", Double.NaN, elapsed(start), null, -1, message);
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
