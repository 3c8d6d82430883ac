package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.List;

/**
 * The attack inside an open sub-problem of {@link ReluSplitSearch}: from the point where the
 * sub-problem's relaxation puts the minimum of its closest constraint (the box corner its linear
 * lower bound picks), signed-gradient descent (PGD) on the most violated constraint, with a
 * decaying step. Every point is confirmed on the ORIGINAL case by the verifier's
 * {@link CounterexampleCheck} (real arithmetic, strict constraints strictly); a rejected
 * candidate only means the search goes on. Deterministic.
 */
final class LeafAttack {
  private final Network network;
  private final CounterexampleCheck check;

  LeafAttack(Network network, CounterexampleCheck check) {
    this.network = network;
    this.check = check;
  }

  /**
   * The relaxation's minimiser of the closest constraint, then signed-gradient steps from it on
   * the most violated constraint, each point confirmed on the original case.
   */
  Counterexample attack(ReluSubproblem p, UnsafeCase unsafeCase, int caseIndex,
      int steps, Budget budget) {
    double[] x = p.minimiser(p.closestConstraint());
    Counterexample cex = check.confirm(unsafeCase, caseIndex, x);
    double[] lo = p.state().lower(0);
    double[] hi = p.state().upper(0);
    List<Layer> layers = network.layers();
    for (int t = 0; t < steps && cex == null; t++) {
      budget.check();
      double[][] values = new double[layers.size() + 1][];
      values[0] = x;
      for (int k = 0; k < layers.size(); k++) {
        values[k + 1] = layers.get(k).evaluate(values[k]);
      }
      OutputConstraint worst = null;
      double worstValue = Double.NEGATIVE_INFINITY;
      for (OutputConstraint c : unsafeCase.constraints()) {
        double v = c.value(values[layers.size()]) - c.bound();
        if (v > worstValue) {
          worstValue = v;
          worst = c;
        }
      }
      double[] g = worst.coefficients().clone();
      for (int k = layers.size() - 1; k >= 0; k--) {
        g = layers.get(k).backpropagate(values[k], g);
      }
      double[] next = new double[x.length];
      double step = 0.5 / (t + 1); // relative to each width: large first, then finer
      for (int i = 0; i < x.length; i++) {
        double v = x[i] - step * (hi[i] - lo[i]) * Math.signum(g[i]);
        next[i] = Math.min(hi[i], Math.max(lo[i], v));
      }
      x = next;
      cex = check.confirm(unsafeCase, caseIndex, x);
    }
    return cex;
  }
}
