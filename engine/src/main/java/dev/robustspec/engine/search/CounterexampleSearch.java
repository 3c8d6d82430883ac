package dev.robustspec.engine.search;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.Comparator;
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

    /**
     * The search before ReLU splitting: a fifth of {@link #thorough}'s work, because
     * {@link ReluSplitSearch} goes on attacking from its open parts' minimisers, which know where
     * the relaxation puts each case's minimum (on MNIST-FC the thorough search took a 10 s
     * budget's whole share and found no violation the quick search and the first restarts missed).
     */
    public static Options beforeReluSplitting(long seed) {
      return new Options(seed, 64, 4, 100);
    }

    /** The thorough search run when the relaxations leave a case open. */
    public static Options thorough(long seed) {
      return new Options(seed, 256, 20, 100);
    }
  }

  private final Network network;
  private final CounterexampleCheck check;
  private final MarginDescent descent;

  /** A search with a confirmation of its own. */
  public CounterexampleSearch(Network network) {
    this(network, new CounterexampleCheck(network));
  }

  /** A search whose candidates {@code check} confirms (the verifier's one instance). */
  public CounterexampleSearch(Network network, CounterexampleCheck check) {
    this.network = network;
    this.check = check;
    this.descent = new MarginDescent(network, check);
  }

  /** Searches the case; returns a confirmed counterexample or null. */
  public Counterexample search(UnsafeCase unsafeCase, int caseIndex, Options options,
      Budget budget) {
    return searchAll(List.of(unsafeCase), List.of(caseIndex), options, budget);
  }

  /**
   * Searches several cases ({@code cases.get(t)} has index {@code indices.get(t)}) at once, the
   * work interleaved so that a budget cut short still tried every case: each case's centre, then
   * its samples round by round, then its descents round by round, the cases ordered by the
   * smallest violation their samples reached (the most promising first). Each case draws from its
   * own generator (seeded by the seed and its index), so a case's points do not depend on the
   * others. Returns the first confirmed counterexample, or null.
   */
  public Counterexample searchAll(List<UnsafeCase> cases, List<Integer> indices,
      Options options, Budget budget) {
    List<CaseSearch> live = new ArrayList<>();
    for (int t = 0; t < cases.size(); t++) {
      if (!cases.get(t).region().isEmpty()) {
        live.add(new CaseSearch(cases.get(t), indices.get(t), options.seed()));
      }
    }
    for (CaseSearch c : live) {
      Counterexample found = c.tryPoint(c.centre);
      if (found != null) {
        return found;
      }
    }
    for (int s = 0; s < options.samples(); s++) {
      for (CaseSearch c : live) {
        budget.check();
        Counterexample found = c.tryPoint(c.randomPoint());
        if (found != null) {
          return found;
        }
      }
    }
    live.sort(Comparator.comparingDouble((CaseSearch c) -> c.bestViolation));
    for (int r = 0; r < options.restarts(); r++) {
      for (CaseSearch c : live) {
        budget.check();
        MarginDescent.Result run = descent.run(List.of(c.unsafeCase), List.of(c.caseIndex),
            c.lower, c.upper, c.start(r), options.steps(), budget);
        if (run.counterexample() != null) {
          return run.counterexample();
        }
        c.reached(run);
      }
    }
    return null;
  }

  /** One case's generator, centre and the smallest violation its points reached. */
  private final class CaseSearch {
    final UnsafeCase unsafeCase;
    final int caseIndex;
    final SplittableRandom random;
    final double[] centre;
    final double[] lower;
    final double[] upper;
    double bestViolation = Double.POSITIVE_INFINITY;
    double[] bestPoint;

    CaseSearch(UnsafeCase unsafeCase, int caseIndex, long seed) {
      this.unsafeCase = unsafeCase;
      this.caseIndex = caseIndex;
      this.random = new SplittableRandom(seed * 1_000_003L + caseIndex);
      Box box = unsafeCase.region();
      lower = box.lower();
      upper = box.upper();
      centre = new double[box.dimension()];
      for (int i = 0; i < centre.length; i++) {
        centre[i] = box.lower()[i] + (box.upper()[i] - box.lower()[i]) / 2;
      }
      bestPoint = centre;
    }

    /**
     * Where descent {@code r} starts: the centre, then the best point seen so far (the samples'
     * and earlier descents'), then random corners (an L-infinity attack's optimum lies at a
     * corner in most inputs) and uniform random points in turn.
     */
    double[] start(int r) {
      if (r == 0) {
        return centre;
      }
      if (r == 1) {
        return bestPoint;
      }
      return r % 2 == 0 ? randomCorner() : randomPoint();
    }

    double[] randomCorner() {
      double[] x = new double[lower.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextBoolean() ? upper[i] : lower[i];
      }
      return x;
    }

    void reached(MarginDescent.Result run) {
      if (run.bestMargin() < bestViolation) {
        bestViolation = run.bestMargin();
        bestPoint = run.bestPoint();
      }
    }

    double[] randomPoint() {
      return CounterexampleSearch.randomPoint(unsafeCase.region(), random);
    }

    Counterexample tryPoint(double[] x) {
      double v = violation(unsafeCase.constraints(), network.evaluate(x));
      if (v < bestViolation) {
        bestViolation = v;
        bestPoint = x;
      }
      return confirm(unsafeCase, caseIndex, x);
    }
  }

  /** The violation {@code max_j (c_j . y - d_j)}; {@code <= 0} means all constraints hold. */
  public static double violation(List<OutputConstraint> constraints, double[] y) {
    double worst = Double.NEGATIVE_INFINITY;
    for (OutputConstraint c : constraints) {
      worst = Math.max(worst, c.value(y) - c.bound());
    }
    return worst;
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
