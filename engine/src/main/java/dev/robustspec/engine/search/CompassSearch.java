package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.SplittableRandom;

/**
 * Derivative-free compass search (Kolda, Lewis and Torczon, "Optimization by Direct Search: New
 * Perspectives on Some Classical and Modern Methods", SIAM Review 2003) on one case's margin
 * {@code max_j (c_j . N(x) - d_j)}: from a point, try a step of {@code s * (hi_i - lo_i)} up and
 * down each input, then along as many random directions, keep every move that lowers the margin, and shrink {@code s} by
 * {@link #SHRINK} when none does, from {@link #FIRST_STEP} down to {@link #LAST_STEP}.
 *
 * <p>Why beside the gradient descent: on small inputs a conjunction's unsafe set can be a sliver
 * far thinner than {@link MarginDescent}'s finest step, where the active constraint switches at
 * every step and signed-gradient steps zig-zag across it. On ACAS Xu 5_3 prop_2 the best of
 * 100,000 samples misses by 7e-6 and no descent gets closer; this search, from that sample, walks
 * along the sliver to a point with margin -5.7e-5 (every output but the first at least that far
 * below it). It costs {@code 2n} forward passes a sweep, so the attack runs it only where the
 * box has few inputs that vary ({@link #MAX_INPUTS}). A point the double test accepts is
 * confirmed by the verifier's {@link CounterexampleCheck}, as every candidate is. Deterministic.
 */
final class CompassSearch {
  /** The first step, as a fraction of each input's width. */
  static final double FIRST_STEP = 0.25;
  /** The step's factor after a sweep that found no better point. */
  static final double SHRINK = 0.7;
  /** The last step, as a fraction of each input's width (about float32's resolution at 1). */
  static final double LAST_STEP = 1e-9;
  /** The search runs on boxes with at most this many inputs that vary. */
  static final int MAX_INPUTS = 16;

  private final Network network;
  private final CounterexampleCheck check;

  CompassSearch(Network network, CounterexampleCheck check) {
    this.network = network;
    this.check = check;
  }

  /** How many inputs vary in {@code [lo, hi]}. */
  static int varyingInputs(double[] lo, double[] hi) {
    int n = 0;
    for (int i = 0; i < lo.length; i++) {
      if (hi[i] > lo[i]) {
        n++;
      }
    }
    return n;
  }

  /**
   * Searches from {@code start} inside {@code [lo, hi]} (which must lie in the case's region) for
   * at most {@code maxEvaluations} forward passes; a confirmed counterexample, or null and the
   * smallest margin reached with its point.
   */
  MarginDescent.Result run(UnsafeCase unsafeCase, int caseIndex, double[] lo, double[] hi,
      double[] start, SplittableRandom random, int maxEvaluations, Budget budget) {
    double[] x = start.clone();
    double fx = margin(unsafeCase, x);
    int evaluations = 1;
    int n = x.length;
    for (double s = FIRST_STEP; s >= LAST_STEP && evaluations < maxEvaluations; s *= SHRINK) {
      boolean moved = true;
      while (moved && evaluations < maxEvaluations) {
        moved = false;
        // the axes, then as many random directions: a max of several margins often decreases
        // only along a diagonal, where no axis step helps
        for (int d = 0; d < 2 * n && evaluations < maxEvaluations; d++) {
          double[] dir = new double[n];
          if (d < n) {
            dir[d] = 1;
          } else {
            for (int i = 0; i < n; i++) {
              dir[i] = 2 * random.nextDouble() - 1;
            }
          }
          for (int sign = -1; sign <= 1; sign += 2) {
            budget.check();
            double[] y = new double[n];
            boolean changed = false;
            for (int i = 0; i < n; i++) {
              y[i] = Math.min(hi[i], Math.max(lo[i], x[i] + sign * s * dir[i] * (hi[i] - lo[i])));
              changed |= y[i] != x[i];
            }
            if (!changed) {
              continue;
            }
            double[] out = network.evaluate(y);
            evaluations++;
            double fy = CounterexampleSearch.violation(unsafeCase.constraints(), out);
            if (fy < fx) {
              x = y;
              fx = fy;
              moved = true;
              if (unsafeCase.isViolatedBy(x, out)) {
                Counterexample confirmed = check.confirm(unsafeCase, caseIndex, x);
                if (confirmed != null) {
                  return new MarginDescent.Result(confirmed, Double.NEGATIVE_INFINITY, x);
                }
              }
            }
          }
        }
      }
    }
    return new MarginDescent.Result(null, fx, x);
  }

  private double margin(UnsafeCase unsafeCase, double[] x) {
    return CounterexampleSearch.violation(unsafeCase.constraints(), network.evaluate(x));
  }
}
