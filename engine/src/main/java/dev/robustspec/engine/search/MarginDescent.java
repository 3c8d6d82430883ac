package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.List;

/**
 * One run of projected gradient descent (PGD, Madry et al., "Towards Deep Learning Models
 * Resistant to Adversarial Attacks", ICLR 2018) on the margin of one or more unsafe cases, the
 * step of every attack ({@link CounterexampleSearch}, {@link LeafAttack}).
 *
 * <p>Loss: a case {@code c_1 . y <= d_1 and ... and c_m . y <= d_m} (a conjunction, as VNN-LIB
 * states it) has the margin {@code max_j (c_j . N(x) - d_j)}, which is {@code <= 0} exactly on
 * the case's inputs; several cases (a disjunction) have the minimum of their margins. The
 * descent follows the sub-gradient of the active constraint (the most violated one of the
 * closest case), one forward and one backward pass per step.
 *
 * <p>Step: signed gradient, clipped to the box, of size {@code a_t * (hi_i - lo_i)} per input,
 * with {@code a_t} decaying geometrically from {@link #FIRST_STEP} to {@link #LAST_STEP} over the
 * run (no faster than by {@code 1 - FIRST_STEP} a step, so that a short run can still cross the
 * box) (large steps first to cross activation regions, fine ones at the end to settle in a
 * corner of the case; alpha-beta-CROWN's attack likewise starts at a quarter of the width and
 * decays its step). A point the double pre-filter accepts is confirmed by the verifier's
 * {@link CounterexampleCheck} on its own case; a rejected near-miss (a violation only in double)
 * does not stop the descent, which goes on deeper into the case. Deterministic.
 */
final class MarginDescent {
  /** The first step, as a fraction of each input's width. */
  static final double FIRST_STEP = 0.25;
  /** The last step, as a fraction of each input's width. */
  static final double LAST_STEP = 0.001;

  /** How the step size changes over a run. */
  enum Schedule {
    /** From {@link #FIRST_STEP} of the width down to {@link #LAST_STEP}: wide, then fine. */
    DECAYING,
    /**
     * {@link #CONSTANT_TRAVEL} of the width over the whole run, in equal steps (small ones for
     * long runs): follows a narrow valley of a conjunction's margin, which wide steps jump over
     * (on ACAS Xu 4_9 prop_2 only such a run finds the violation).
     */
    CONSTANT
  }

  /** A {@link Schedule#CONSTANT} run travels this many widths in all. */
  static final double CONSTANT_TRAVEL = 1.25;

  /** What a run found: a confirmed counterexample, or null and the smallest margin reached. */
  record Result(Counterexample counterexample, double bestMargin, double[] bestPoint) {}

  private final Network network;
  private final CounterexampleCheck check;

  MarginDescent(Network network, CounterexampleCheck check) {
    this.network = network;
    this.check = check;
  }

  /**
   * Descends from {@code start} for {@code steps} steps inside {@code [lo, hi]} (which must lie in
   * every case's region) on the minimum margin of {@code cases} ({@code indices} their indices).
   */
  Result run(List<UnsafeCase> cases, List<Integer> indices, double[] lo, double[] hi,
      double[] start, int steps, Budget budget) {
    return run(cases, indices, lo, hi, start, steps, Schedule.DECAYING, budget);
  }

  /** {@link #run} with the given step schedule. */
  Result run(List<UnsafeCase> cases, List<Integer> indices, double[] lo, double[] hi,
      double[] start, int steps, Schedule schedule, Budget budget) {
    List<Layer> layers = network.layers();
    int n = start.length;
    double[] x = start.clone();
    double bestMargin = Double.POSITIVE_INFINITY;
    double[] bestPoint = x;
    // never faster than 1 - FIRST_STEP a step: then a short run still travels (up to) the whole
    // width, so a descent of a few steps from the centre reaches any corner
    double decay = steps > 1 && schedule == Schedule.DECAYING
        ? Math.max(Math.pow(LAST_STEP / FIRST_STEP, 1.0 / (steps - 1)), 1 - FIRST_STEP) : 1;
    double a = schedule == Schedule.DECAYING ? FIRST_STEP : CONSTANT_TRAVEL / Math.max(steps, 1);
    double[][] values = new double[layers.size() + 1][];
    for (int t = 0; t <= steps; t++) {
      budget.check();
      values[0] = x;
      for (int k = 0; k < layers.size(); k++) {
        values[k + 1] = layers.get(k).evaluate(values[k]);
      }
      double[] y = values[layers.size()];
      OutputConstraint active = null;
      double margin = Double.POSITIVE_INFINITY;
      for (int c = 0; c < cases.size(); c++) {
        UnsafeCase unsafeCase = cases.get(c);
        if (unsafeCase.isViolatedBy(x, y)) {
          Counterexample confirmed = check.confirm(unsafeCase, indices.get(c), x);
          if (confirmed != null) {
            return new Result(confirmed, Double.NEGATIVE_INFINITY, x);
          }
        }
        OutputConstraint worst = null;
        double worstValue = Double.NEGATIVE_INFINITY;
        for (OutputConstraint oc : unsafeCase.constraints()) {
          double v = oc.value(y) - oc.bound();
          if (v > worstValue) {
            worstValue = v;
            worst = oc;
          }
        }
        if (worst != null && worstValue < margin) {
          margin = worstValue;
          active = worst;
        }
      }
      if (margin < bestMargin) {
        bestMargin = margin;
        bestPoint = x;
      }
      if (active == null || t == steps) {
        break;
      }
      double[] g = active.coefficients().clone();
      for (int k = layers.size() - 1; k >= 0; k--) {
        g = layers.get(k).backpropagate(values[k], g);
      }
      double[] next = new double[n];
      for (int i = 0; i < n; i++) {
        double v = x[i] - a * (hi[i] - lo[i]) * Math.signum(g[i]);
        next[i] = Math.min(hi[i], Math.max(lo[i], v));
      }
      x = next;
      a *= decay;
    }
    return new Result(null, bestMargin, bestPoint);
  }

  /**
   * Output-diversified initialisation (ODI, Tashiro et al., "Diversity can be Transferred:
   * Output Diversification for White- and Black-box Attacks", NeurIPS 2020): {@code steps}
   * signed-gradient steps of {@link #FIRST_STEP} of the width, from
   * {@code start}, that increase {@code w . N(x)} for a random output direction {@code w}, so
   * that restarts begin in different regions of the output space rather than near the same
   * local optimum. Returns the point reached (inside the box).
   */
  double[] diversify(double[] lo, double[] hi, double[] start, double[] w, int steps,
      Budget budget) {
    List<Layer> layers = network.layers();
    double[] x = start.clone();
    double[][] values = new double[layers.size() + 1][];
    for (int t = 0; t < steps; t++) {
      budget.check();
      values[0] = x;
      for (int k = 0; k < layers.size(); k++) {
        values[k + 1] = layers.get(k).evaluate(values[k]);
      }
      double[] g = w.clone();
      for (int k = layers.size() - 1; k >= 0; k--) {
        g = layers.get(k).backpropagate(values[k], g);
      }
      double[] next = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        double v = x[i] + FIRST_STEP * (hi[i] - lo[i]) * Math.signum(g[i]);
        next[i] = Math.min(hi[i], Math.max(lo[i], v));
      }
      x = next;
    }
    return x;
  }
}
