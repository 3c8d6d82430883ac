package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.base.Budget;

/**
 * A floating-point LP solver. Its answers are never used as bounds directly: {@link DualBound}
 * turns the row multipliers into a rigorous bound, so a solver that is inexact, or stops early,
 * costs precision, never soundness.
 */
public interface LpSolver {

  /** The solver's (approximate) answer to {@code min c . z} over a program. */
  record Solution(Status status, double value, double[] primal, double[] rowMultipliers) {}

  enum Status { OPTIMAL, INFEASIBLE, UNBOUNDED, FAILED }

  /**
   * Minimises {@code objective . z}. Row multipliers follow the convention of {@link DualBound}:
   * at an optimum, {@code objective = sum_r y_r a_r + (reduced costs of the variable bounds)}
   * with {@code y_r >= 0} on rows whose lower side is active and {@code y_r <= 0} on rows whose
   * upper side is. A solver that gives no multipliers returns null for them.
   */
  Solution minimise(LinearProgram program, double[] objective, Budget budget);
}
