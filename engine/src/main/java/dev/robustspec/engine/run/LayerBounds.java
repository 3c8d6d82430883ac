package dev.robustspec.engine.run;

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
 * DeepPoly only tightens, so its widths never exceed interval's).
 */
public final class LayerBounds {
  /** The passes a bound table can show. */
  public enum Pass {
    INTERVAL("interval"),
    DEEPPOLY("deeppoly");

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
    if (pass == Pass.DEEPPOLY) {
      new DeepPolyPass(true).run(state, new double[0][], budget);
    }
    return state;
  }
}
