package dev.robustspec.engine.relax;

import dev.robustspec.engine.base.Budget;

/**
 * One relaxation method. A pass reads the bounds earlier passes left in the {@link BoundState},
 * may only tighten them, and returns a rigorous lower bound of each objective
 * {@code c . y} over the network outputs y, for every input of the state's box.
 */
public interface RelaxationPass {

  /** The name used in plans, CLI output and results ({@code interval}, {@code deeppoly}). */
  String name();

  /**
   * Tightens {@code state} and bounds the objectives.
   *
   * @param objectives rows {@code c} of length {@code outputSize}
   * @return for each objective, a value {@code <= min c . y} over the box (may be -infinity)
   * @throws dev.robustspec.engine.base.BudgetExhaustedException when the budget runs out
   */
  double[] run(BoundState state, double[][] objectives, Budget budget);
}
