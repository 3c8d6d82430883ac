package dev.robustspec.engine.search;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Looks for a concrete input in an unsafe case: random samples of the box, then projected
 * gradient descent (PGD, Madry et al., ICLR 2018) on the case's violation
 * {@code f(x) = max_j (c_j . N(x) - d_j)}, which is {@code <= 0} exactly on the case's inputs
 * ({@link MarginDescent}: signed steps clipped to the box, in turn equal small steps and steps
 * decaying from a quarter of the width),
 * with many restarts, every case targeted in turn: the first from the box centre, the second
 * from the best point seen, then random corners, uniform random points and output-diversified
 * points ({@link MarginDescent#diversify}) in turn. A search of several restarts, on a box with
 * few inputs that vary, also polishes points by a derivative-free {@link CompassSearch}: the
 * {@link #POLISHED_SAMPLES} best samples, and the best point after every descent that beats it. Deterministic for a seed.
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
   * @param share the fraction of the budget left when the search starts that it may use
   *     (1: all of it; below 1 the search stops quietly at its share, so the steps after it
   *     keep the rest)
   */
  public record Options(long seed, int samples, int restarts, int steps, double share) {
    public Options {
      if (samples < 0 || restarts < 0 || steps < 0 || !(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("search options out of range");
      }
    }

    /** A search that may use its whole budget. */
    public Options(long seed, int samples, int restarts, int steps) {
      this(seed, samples, restarts, steps, 1);
    }

    /** A quick look, run before any relaxation: cheap, finds blatant violations. */
    public static Options quick(long seed) {
      return new Options(seed, 16, 1, 20);
    }

    /**
     * The search before ReLU splitting: short descents (30 steps) restarted until a tenth of the
     * time left is spent, then {@link ReluSplitSearch} gets the rest and goes on attacking from
     * its open parts' minimisers and with more restarts ({@link Restarts}). Measured on MNIST-FC's 256x4 and 256x6 nets at eps 0.05
     * (the three VNN-COMP 2022 violations the old search missed): many short runs found all
     * three within 30 s, 100- and 400-step runs missed one (BENCHMARKS.md, issue 15). A fifth
     * until the dense layers' forward pass became 4.7x faster (issue 15, seventh round): a tenth
     * now runs more than twice the descents a fifth ran then. At most
     * {@link #RESTARTS_BEFORE_RELU_SPLITTING} rounds, though: on a property that holds the search
     * can only spend the tenth (12 s of 120 on MNIST-FC, before every proof that follows), and
     * the splitting's own restarts go on beside it.
     */
    public static Options beforeReluSplitting(long seed) {
      return new Options(seed, 64, RESTARTS_BEFORE_RELU_SPLITTING, 30, 0.1);
    }

    /**
     * Rounds of descents (one per open case each) of {@link #beforeReluSplitting}: the hardest
     * MNIST-FC violation this search finds, 256x6 prop_1 eps 0.05, took 32 to 185 rounds over
     * seeds 0-11 (median 64, 1.6-4.7 s in all); 400 is twice the most.
     */
    public static final int RESTARTS_BEFORE_RELU_SPLITTING = 400;

    /**
     * The thorough search run when the relaxations leave a case open (before input splitting,
     * on small inputs such as ACAS Xu): 4096 samples (their best four polished, a forward pass
     * each: on ACAS Xu 5_3 prop_2, 256 left the unsafe sliver unfound), then many cheap restarts
     * of 100 steps (the first is the earlier search's descent from the centre, equal steps), at
     * most a tenth of the time left.
     */
    public static Options thorough(long seed) {
      return new Options(seed, 4096, 100, 100, 0.1);
    }
  }

  /** Forward passes of one {@link CompassSearch} from a case's best point. */
  static final int POLISH_EVALUATIONS = 5000;
  /**
   * How many of the best samples are polished: on ACAS Xu 5_3 prop_2 (4096 samples, 20 seeds)
   * the best one alone leads to the counterexample for 6 seeds, the best four for 11.
   */
  static final int POLISHED_SAMPLES = 4;

  /** Steps of output-diversified initialisation before a diversified restart's descent. */
  static final int ODI_STEPS = 10;

  private final Network network;
  private final CounterexampleCheck check;
  private final MarginDescent descent;
  private final CompassSearch compass;

  /** A search with a confirmation of its own. */
  public CounterexampleSearch(Network network) {
    this(network, new CounterexampleCheck(network));
  }

  /** A search whose candidates {@code check} confirms (the verifier's one instance). */
  public CounterexampleSearch(Network network, CounterexampleCheck check) {
    this.network = network;
    this.check = check;
    this.descent = new MarginDescent(network, check);
    this.compass = new CompassSearch(network, check);
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
    Budget share = budget.share(options.share());
    if (share == budget) {
      return searchWithin(cases, indices, options, budget);
    }
    try {
      return searchWithin(cases, indices, options, share);
    } catch (BudgetExhaustedException e) {
      budget.check(); // the caller's own budget ended: let it know
      return null; // only the share ended
    }
  }

  private Counterexample searchWithin(List<UnsafeCase> cases, List<Integer> indices,
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
    boolean polish = options.restarts() > 1;
    for (CaseSearch c : live) {
      for (int k = 0; polish && k < c.bestSamples.size(); k++) {
        Counterexample found = c.polish(c.bestSamples.get(k), budget);
        if (found != null) {
          return found;
        }
      }
    }
    for (int r = 0; r < options.restarts(); r++) {
      for (CaseSearch c : live) {
        budget.check();
        MarginDescent.Result run = descent.run(List.of(c.unsafeCase), List.of(c.caseIndex),
            c.lower, c.upper, c.start(r, budget), options.steps(), schedule(r), budget);
        if (run.counterexample() != null) {
          return run.counterexample();
        }
        Counterexample found = c.reached(run) && polish ? c.polish(c.bestPoint, budget) : null;
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * Descents on one case that a caller runs one at a time, interleaved with its own work
   * ({@link ReluSplitSearch} runs a few every {@link ReluSplitSearch#LEAF_ATTACK_EVERY} parts):
   * each {@link #next} runs the next descent of the sequence {@link #searchAll} would run for the
   * case (random corners, random points, output-diversified points; the centre and the best point
   * come first only in {@link #searchAll}). Thread-safe; deterministic for a seed when called in
   * a deterministic order.
   */
  public final class Restarts {
    private final CaseSearch search;
    private final int steps;
    private int next = 2;

    private Restarts(CaseSearch search, int steps) {
      this.search = search;
      this.steps = steps;
    }

    /** Runs one more descent of {@code steps} steps; a confirmed counterexample or null. */
    public synchronized Counterexample next(Budget budget) {
      int r = next++;
      MarginDescent.Result run = descent.run(List.of(search.unsafeCase),
          List.of(search.caseIndex), search.lower, search.upper, search.start(r, budget),
          steps, schedule(r), budget);
      search.reached(run);
      return run.counterexample();
    }
  }

  /**
   * Descent {@code r}'s step schedule: even ones (the first, from the centre, included) take
   * equal small steps, odd ones decaying wide steps ({@link MarginDescent.Schedule}).
   */
  static MarginDescent.Schedule schedule(int r) {
    return r % 2 == 0 ? MarginDescent.Schedule.CONSTANT : MarginDescent.Schedule.DECAYING;
  }

  /** Resumable descents on {@code unsafeCase} ({@link Restarts}), seeded by {@code seed}. */
  public Restarts restarts(UnsafeCase unsafeCase, int caseIndex, long seed, int steps) {
    return new Restarts(new CaseSearch(unsafeCase, caseIndex, seed), steps);
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
    /** The samples (centre included) with the smallest violations, best first. */
    final List<double[]> bestSamples = new ArrayList<>();
    private final List<Double> bestSampleViolations = new ArrayList<>();

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
    double[] start(int r, Budget budget) {
      if (r == 0) {
        return centre;
      }
      if (r == 1) {
        return bestPoint;
      }
      return switch (r % 3) {
        case 0 -> randomCorner();
        case 1 -> randomPoint();
        default -> diversified(budget);
      };
    }

    /** A random point moved by {@link MarginDescent#diversify} along a random output direction. */
    double[] diversified(Budget budget) {
      double[] w = new double[network.outputSize()];
      for (int j = 0; j < w.length; j++) {
        w[j] = 2 * random.nextDouble() - 1;
      }
      return descent.diversify(lower, upper, randomPoint(), w, ODI_STEPS, budget);
    }

    double[] randomCorner() {
      double[] x = new double[lower.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextBoolean() ? upper[i] : lower[i];
      }
      return x;
    }

    /** Keeps the run's best point if it beats the case's; whether it did. */
    boolean reached(MarginDescent.Result run) {
      if (run.bestMargin() < bestViolation) {
        bestViolation = run.bestMargin();
        bestPoint = run.bestPoint();
        return true;
      }
      return false;
    }

    /**
     * A {@link CompassSearch} from {@code start}, on boxes with few varying inputs (nothing
     * otherwise); a confirmed counterexample or null.
     */
    Counterexample polish(double[] start, Budget budget) {
      if (CompassSearch.varyingInputs(lower, upper) > CompassSearch.MAX_INPUTS) {
        return null;
      }
      MarginDescent.Result run = compass.run(unsafeCase, caseIndex, lower, upper, start,
          random.split(), POLISH_EVALUATIONS, budget);
      reached(run);
      return run.counterexample();
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
      int at = bestSamples.size();
      while (at > 0 && v < bestSampleViolations.get(at - 1)) {
        at--;
      }
      if (at < POLISHED_SAMPLES) {
        bestSamples.add(at, x);
        bestSampleViolations.add(at, v);
        if (bestSamples.size() > POLISHED_SAMPLES) {
          bestSamples.remove(POLISHED_SAMPLES);
          bestSampleViolations.remove(POLISHED_SAMPLES);
        }
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
