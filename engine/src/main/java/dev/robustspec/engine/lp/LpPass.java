package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.base.Budget;
import java.util.function.Supplier;

/**
 * The triangle LP: the tightest relaxation that treats each ReLU on its own (the "convex
 * barrier", Salman et al., NeurIPS 2019), over the intermediate bounds earlier passes left.
 *
 * <p>Requires: dense, element-wise affine, reshape and ReLU layers. Returns: a rigorous lower bound
 * of each objective (LP duality, {@link DualBound}); with {@code tighten}, also LP-tightened
 * pre-activation bounds of every unstable neuron (two LPs each, layer by layer — slow on wide
 * nets). Soundness: sound (the solver's answer is only used through its multipliers), incomplete.
 */
public final class LpPass implements RelaxationPass {
  private final LpSolver solver;
  private final boolean tighten;

  /** Solvers of the helpers that tighten beside the calling thread (null: none). */
  private final Supplier<LpSolver> moreSolvers;

  /** One solver, {@code solver}: the intermediate bounds are tightened on one thread. */
  public LpPass(LpSolver solver, boolean tighten) {
    this.solver = solver;
    this.tighten = tighten;
    this.moreSolvers = null;
  }

  /**
   * Solvers from {@code solvers}: the intermediate bounds are tightened by one worker per core,
   * each with its own solver.
   */
  public LpPass(Supplier<LpSolver> solvers, boolean tighten) {
    this.solver = solvers.get();
    this.tighten = tighten;
    this.moreSolvers = solvers;
  }

  public LpPass() {
    this(LpSolvers.best(), false);
  }

  @Override
  public String name() {
    return "lp";
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    IntervalPass.propagate(state, 0, budget);
    if (tighten) {
      LpBounds.tighten(state, solver, moreSolvers, null, budget);
    }
    NetworkLp lp = new NetworkLp(state, state.size() - 1);
    return LpBounds.objectives(lp, state, objectives, solver, null, budget);
  }
}
