package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.List;

/**
 * The attack inside an open sub-problem of {@link ReluSplitSearch}: from the point where the
 * sub-problem's relaxation puts the minimum of its closest constraint (the box corner its linear
 * lower bound picks), projected gradient descent on the case's margin ({@link MarginDescent}:
 * signed steps of decaying size) inside the sub-problem's input box. Every point is confirmed on
 * the ORIGINAL case by the verifier's {@link CounterexampleCheck} (real arithmetic, strict
 * constraints strictly); a rejected candidate only means the search goes on. Deterministic.
 */
final class LeafAttack {
  private final CounterexampleCheck check;
  private final MarginDescent descent;

  LeafAttack(Network network, CounterexampleCheck check) {
    this.check = check;
    this.descent = new MarginDescent(network, check);
  }

  /**
   * The relaxation's minimiser of the closest constraint, then {@code steps} descent steps from
   * it, each point confirmed on the original case.
   */
  Counterexample attack(ReluSubproblem p, UnsafeCase unsafeCase, int caseIndex,
      int steps, Budget budget) {
    double[] x = p.minimiser(p.closestConstraint());
    Counterexample cex = check.confirm(unsafeCase, caseIndex, x);
    if (cex != null || steps == 0) {
      return cex;
    }
    return descent.run(List.of(unsafeCase), List.of(caseIndex), p.state().lower(0),
        p.state().upper(0), x, steps, budget).counterexample();
  }
}
