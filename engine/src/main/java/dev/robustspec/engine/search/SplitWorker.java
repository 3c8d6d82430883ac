package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.List;

/**
 * One {@link ReluSplitSearch} worker's loop: take the worst sub-problem, split it, bound and
 * queue its children, attack the open ones; the workers of a run share its queue.
 */
final class SplitWorker implements Runnable {
  private final SubproblemQueue shared;
  private final List<UnsafeCase> cases;
  private final List<Integer> indices;
  private final double[][] objectives;
  private final double[] bounds;
  private final ReluSplitSearch.Options options;
  /** One restart stream per case, taken in turn. */
  private final List<CounterexampleSearch.Restarts> restarts;
  private int nextRestart;
  private final LeafAttack leafAttack;
  private final List<double[]> biases;
  private final Budget budget;

  SplitWorker(SubproblemQueue shared, List<UnsafeCase> cases, List<Integer> indices,
      double[][] objectives, double[] bounds, ReluSplitSearch.Options options,
      List<CounterexampleSearch.Restarts> restarts, LeafAttack leafAttack,
      List<double[]> biases, Budget budget) {
    this.leafAttack = leafAttack;
    this.biases = biases;
    this.restarts = restarts;
    this.shared = shared;
    this.cases = cases;
    this.indices = indices;
    this.objectives = objectives;
    this.bounds = bounds;
    this.options = options;
    this.budget = budget;
  }

  @Override
  public void run() {
    try {
      while (true) {
        ReluSubproblem p = shared.take();
        if (p == null) {
          return;
        }
        boolean expanded = false;
        try {
          budget.check();
          boolean go = expand(p);
          expanded = true;
          if (!go) {
            return;
          }
        } finally {
          if (!expanded) {
            shared.putBack(p); // cut short: its part is still open
          }
          shared.done();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shared.finish(null, new BudgetExhaustedException("interrupted"));
    } catch (RuntimeException e) {
      shared.finish(null, e);
    }
  }

  /** The restart stream of the next case in turn (workers share the streams). */
  private synchronized CounterexampleSearch.Restarts nextRestart() {
    CounterexampleSearch.Restarts r = restarts.get(nextRestart);
    nextRestart = (nextRestart + 1) % restarts.size();
    return r;
  }

  /** Splits {@code p}; false when the run is decided or must stop. */
  private boolean expand(ReluSubproblem p) {
    if (shared.leafAttackDue()) {
      // a longer descent from the worst open part's minimiser: where the relaxation, tightened
      // by every split so far, puts the case's minimum
      Counterexample cex = leafAttack.attack(p, cases, indices,
          ReluSplitSearch.LEAF_ATTACK_STEPS, budget);
      for (int r = 0; r < ReluSplitSearch.RESTARTS_PER_LEAF_ATTACK && cex == null; r++) {
        cex = nextRestart().next(budget);
      }
      if (cex != null) {
        shared.finish(cex, null);
        return false;
      }
    }
    Split split = options.fsbCandidates() > 0
        ? p.chooseSplitFsb(objectives, bounds, biases, options.fsbCandidates(), budget)
        : p.chooseSplit(objectives[p.closestConstraint()], biases, budget);
    if (split == null) {
      shared.putBack(p); // still open: the open parts' bound must cover it
      shared.giveUp(); // every ReLU fixed and still open: DeepPoly cannot close it
      return false;
    }
    Split inactive = new Split(split.index(), split.neuron(), false);
    for (Split s : List.of(inactive, split)) {
      ReluSubproblem child = p.child(s, objectives, bounds, options.beta(), budget);
      shared.bounded(1);
      if (child.margin() > 0) {
        if (!child.infeasible()) {
          shared.closed(child.margin());
        }
        continue;
      }
      int steps = shared.childAttackDue() ? options.attackSteps() : 0; // 0: the point only
      Counterexample cex = leafAttack.attack(child, cases, indices, steps, budget);
      if (cex != null) {
        shared.finish(cex, null);
        return false;
      }
      shared.offer(child);
    }
    return true;
  }
}
