package dev.robustspec.engine.search;

import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Looks for a concrete input in an unsafe case: random samples of the box, then projected
 * gradient descent (PGD, Madry et al., ICLR 2018) on the case's violation
 * {@code f(x) = max_j (c_j . N(x) - d_j)}, which is {@code <= 0} exactly on the case's inputs,
 * with signed-gradient steps clipped to the box and several restarts. Deterministic for a seed.
 * A point that meets the case in double is only a candidate: it is returned once
 * {@link CounterexampleCheck} confirmed it in real arithmetic; a candidate that fails does not
 * end the search (the descent goes on from it, the sampling goes on), so a returned
 * counterexample is always real.
 */
public final class CounterexampleSearch {

  /**
   * @param seed random seed (same seed, same search)
   * @param samples random points tried per case before PGD
   * @param restarts PGD runs per case (the first starts at the box centre)
   * @param steps PGD steps per run
   */
  public record Options(long seed, int samples, int restarts, int steps) {
    public Options {
      if (samples < 0 || restarts < 0 || steps < 0) {
        throw new IllegalArgumentException("search options must be non-negative");
      }
    }

    /** A quick look, run before any relaxation: cheap, finds blatant violations. */
    public static Options quick(long seed) {
      return new Options(seed, 16, 1, 20);
    }

    /** The thorough search run when the relaxations leave a case open. */
    public static Options thorough(long seed) {
      return new Options(seed, 256, 20, 100);
    }
  }

  private final Network network;
  private final CounterexampleCheck check;

  /** A search with a confirmation of its own. */
  public CounterexampleSearch(Network network) {
    this(network, new CounterexampleCheck(network));
  }

  /** A search whose candidates {@code check} confirms (the verifier's one instance). */
  public CounterexampleSearch(Network network, CounterexampleCheck check) {
    this.network = network;
    this.check = check;
  }

  /** Searches the case; returns a confirmed counterexample or null. */
  public Counterexample search(UnsafeCase unsafeCase, int caseIndex, Options options,
      Budget budget) {
    Box box = unsafeCase.region();
    if (box.isEmpty()) {
      return null;
    }
    SplittableRandom random = new SplittableRandom(options.seed() * 1_000_003L + caseIndex);
    int n = box.dimension();
    double[] centre = new double[n];
    for (int i = 0; i < n; i++) {
      centre[i] = box.lower()[i] + (box.upper()[i] - box.lower()[i]) / 2;
    }
    Counterexample found = confirm(unsafeCase, caseIndex, centre);
    for (int s = 0; s < options.samples() && found == null; s++) {
      budget.check();
      found = confirm(unsafeCase, caseIndex, randomPoint(box, random));
    }
    for (int r = 0; r < options.restarts() && found == null; r++) {
      found = descend(unsafeCase, caseIndex, r == 0 ? centre : randomPoint(box, random),
          options.steps(), budget);
    }
    return found;
  }

  /** The violation {@code max_j (c_j . y - d_j)}; {@code <= 0} means all constraints hold. */
  public static double violation(List<OutputConstraint> constraints, double[] y) {
    double worst = Double.NEGATIVE_INFINITY;
    for (OutputConstraint c : constraints) {
      worst = Math.max(worst, c.value(y) - c.bound());
    }
    return worst;
  }

  private Counterexample descend(UnsafeCase unsafeCase, int caseIndex, double[] start, int steps,
      Budget budget) {
    Box box = unsafeCase.region();
    int n = box.dimension();
    double[] x = start.clone();
    double[] stepSize = new double[n];
    for (int i = 0; i < n; i++) {
      stepSize[i] = 2.5 * (box.upper()[i] - box.lower()[i]) / 2 / Math.max(steps, 1);
    }
    List<Layer> layers = network.layers();
    for (int t = 0; t < steps; t++) {
      budget.check();
      double[][] values = new double[layers.size() + 1][];
      values[0] = x;
      for (int k = 0; k < layers.size(); k++) {
        values[k + 1] = layers.get(k).evaluate(values[k]);
      }
      double[] y = values[layers.size()];
      if (unsafeCase.isViolatedBy(x, y)) {
        Counterexample confirmed = confirm(unsafeCase, caseIndex, x);
        if (confirmed != null) {
          return confirmed;
        }
        // a candidate only in double: keep descending, deeper into the case
      }
      // gradient of the most violated constraint
      OutputConstraint worst = null;
      double worstValue = Double.NEGATIVE_INFINITY;
      for (OutputConstraint c : unsafeCase.constraints()) {
        double v = c.value(y) - c.bound();
        if (v > worstValue) {
          worstValue = v;
          worst = c;
        }
      }
      if (worst == null) {
        return null;
      }
      double[] g = worst.coefficients().clone();
      for (int k = layers.size() - 1; k >= 0; k--) {
        g = layers.get(k).backpropagate(values[k], g);
      }
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        double v = x[i] - stepSize[i] * Math.signum(g[i]);
        next[i] = Math.min(box.upper()[i], Math.max(box.lower()[i], v));
      }
      x = next;
    }
    return confirm(unsafeCase, caseIndex, x);
  }

  private Counterexample confirm(UnsafeCase unsafeCase, int caseIndex, double[] x) {
    return check.confirm(unsafeCase, caseIndex, x);
  }

  private static double[] randomPoint(Box box, SplittableRandom random) {
    int n = box.dimension();
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double lo = box.lower()[i];
      double hi = box.upper()[i];
      x[i] = Math.min(hi, lo + random.nextDouble() * (hi - lo));
    }
    return x;
  }
}
