package dev.robustspec.cli;

import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.run.BallProbe;
import dev.robustspec.engine.run.EngineRunner;
import dev.robustspec.engine.run.RadiusSearch;
import dev.robustspec.engine.search.CounterexampleCheck;
import dev.robustspec.engine.spec.LocalRobustness;
import java.math.BigDecimal;

/**
 * Certifies one data item: local robustness at one epsilon, or the radius search, through the
 * item's {@link BallProbe} (the engine's, shared with the {@code largest eps in (a, b]} property
 * form), on the same engine runner {@code robustspec instance} uses.
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

  /** Local robustness of {@code item} at radius {@code eps} within {@code timeout} seconds. */
  Probe probe(Dataset.Item item, BigDecimal eps, double timeout) {
    long start = System.nanoTime();
    String problem = problem(item);
    if (problem != null) {
      return error(start, problem);
    }
    if (setup.robustness().ball(item.values(), eps, true).isEmpty()) {
      return error(start, "the item's values lie outside the clip range");
    }
    return probe(item, ball(item).probe(eps, timeout));
  }

  /**
   * The radius search in (0, maxRadius] ({@link RadiusSearch}, through the item's {@link
   * BallProbe}), within the item's time.
   */
  Radius radius(Dataset.Item item, double maxRadius, double tolerance) {
    long start = System.nanoTime();
    String problem = problem(item);
    if (problem == null && setup.robustness().ball(item.values(), BigDecimal.ZERO, true)
        .isEmpty()) {
      problem = "the item's values lie outside the clip range";
    }
    if (problem != null) {
      return new Radius(null, null, null, elapsed(start), false, problem);
    }
    BallProbe ball = ball(item);
    RadiusSearch.Result<Probe> r = RadiusSearch.search(0, maxRadius, tolerance,
        setup.timeout(), (eps, t) -> {
          BallProbe.Probe p = ball.probe(new BigDecimal(eps), t);
          RadiusSearch.Step<BallProbe.Probe> s = ball.step(p);
          return new RadiusSearch.Step<>(s.outcome(), s.distance(), probe(item, p));
        });
    return new Radius(r.certified(), r.falsified(), r.falsifying(), r.seconds(),
        r.withinTolerance(), null);
  }

  private String problem(Dataset.Item item) {
    Network net = setup.network();
    if (item.values().length != net.inputSize()) {
      return "item has " + item.values().length + " values but the network takes "
          + net.inputSize() + " inputs";
    }
    if (item.label() >= net.outputSize()) {
      return "label " + item.label() + " is not a class of the network (0.."
          + (net.outputSize() - 1) + ")";
    }
    return null;
  }

  /** The item's ball: local robustness for its label, the plan of {@code --passes}. */
  private BallProbe ball(Dataset.Item item) {
    Network net = setup.network();
    return new BallProbe(net, setup.robustness(), item.values(),
        box -> LocalRobustness.specification(box, item.label(), net.outputSize()),
        PassNames.plan(setup.passes(), net.inputSize(), setup.seed()), check,
        new EngineRunner());
  }

  /** The engine's probe in certify's terms: the predicted class, the margin at a counterexample. */
  private static Probe probe(Dataset.Item item, BallProbe.Probe p) {
    if (!p.falsified()) {
      return new Probe(p.verdict(), p.decidedBy(), p.margin(), p.seconds(), null, -1,
          p.message());
    }
    // the confirmed case makes some other class reach the label's output: the largest
    // other class is the prediction (on a tie with the label too, which counts against)
    double[] y = p.output();
    int predicted = other(y, item.label());
    return new Probe("falsified", p.decidedBy(), y[item.label()] - y[predicted], p.seconds(),
        p.counterexample(), predicted, null);
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
