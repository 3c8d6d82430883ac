package dev.robustspec.engine.run;

import dev.robustspec.engine.lp.LpPass;
import dev.robustspec.engine.lp.LpSolvers;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;

/**
 * The bound tables that {@code robustspec bounds}, {@code plot} and the language server's bounds
 * view show: every neuron's bounds on one input box after one pass alone, on a fresh state, as
 * a plan would run it ({@code interval}; {@code deeppoly} after interval, refining every neuron:
 * DeepPoly only tightens, so its widths never exceed interval's; {@code lp} after deeppoly:
 * the triangle LP tightens every unstable ReLU input and bounds each output, two LPs per
 * neuron, rigorous through the LP's multipliers — slow on wide networks).
 */
public final class LayerBounds {
  /** The passes a bound table can show. */
  public enum Pass {
    INTERVAL("interval"),
    DEEPPOLY("deeppoly"),
    LP("lp");

    private final String word;

    Pass(String word) {
      this.word = word;
    }

    /** The pass's name as plans and tables print it. */
    public String word() {
      return word;
    }
  }

  private LayerBounds() {}

  /**
   * The bounds of every layer of {@code network} on {@code region} after {@code pass}.
   *
   * @throws dev.robustspec.engine.base.BudgetExhaustedException when the budget runs out
   */
  public static BoundState compute(Network network, Box region,
      Pass pass, Budget budget) {
    BoundState state = new BoundState(network, region);
    new IntervalPass().run(state, new double[0][], budget);
    if (pass == Pass.DEEPPOLY || pass == Pass.LP) {
      new DeepPolyPass(true).run(state, new double[0][], budget);
    }
    if (pass == Pass.LP) {
      int last = state.size() - 1;
      int n = network.outputSize();
      double[][] objectives = new double[2 * n][];
      for (int i = 0; i < n; i++) {
        objectives[2 * i] = new double[n];
        objectives[2 * i][i] = 1;
        objectives[2 * i + 1] = new double[n];
        objectives[2 * i + 1][i] = -1;
      }
      double[] lower = new LpPass(LpSolvers.best(), true).run(state, objectives, budget);
      for (int i = 0; i < n; i++) {
        state.tighten(last, i, lower[2 * i], -lower[2 * i + 1]);
      }
    }
    return state;
  }
}
