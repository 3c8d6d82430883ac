package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.List;

/**
 * The attack inside an open sub-problem of {@link ReluSplitSearch}: from the point where the
 * sub-problem's relaxation puts the minimum of its closest constraint (the box corner its linear
 * lower bound picks), projected gradient descent on the margin of the cases open there ({@link MarginDescent}:
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
   * The relaxation's minimiser of the closest constraint (of the part's worst case), then
   * {@code steps} descent steps from it on the cases still open in the part (of {@code cases},
   * {@code indices} their indices, the part's cases in order), each point confirmed on the
   * original case.
   */
  Counterexample attack(ReluSubproblem p, List<UnsafeCase> cases, List<Integer> indices,
      int steps, Budget budget) {
    double[] x = p.minimiser(p.closestConstraint());
    List<UnsafeCase> open = new ArrayList<>();
    List<Integer> openIndices = new ArrayList<>();
    for (int c : p.openCases()) {
      open.add(cases.get(c));
      openIndices.add(indices.get(c));
    }
    for (int c = 0; c < open.size(); c++) {
      Counterexample cex = check.confirm(open.get(c), openIndices.get(c), x);
      if (cex != null) {
        return cex;
      }
    }
    if (steps == 0 || open.isEmpty()) {
      return null;
    }
    return descent.run(open, openIndices, p.state().lower(0), p.state().upper(0), x, steps,
        budget).counterexample();
  }
}
