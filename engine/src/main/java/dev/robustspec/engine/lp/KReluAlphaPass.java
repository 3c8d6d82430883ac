package dev.robustspec.engine.lp;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.IntermediateCuts;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.NeuronCut;
import dev.robustspec.engine.relax.RelaxationPass;
import java.util.List;

/**
 * The k-ReLU multi-neuron relaxation bounded by gradient, without LPs ({@code kalpha}): every
 * unstable neuron's bounds, layer by layer, and then the objectives, each optimised over the
 * ReLUs' lower slopes and one multiplier per k-ReLU hull facet of the layers below
 * ({@link IntermediateCuts}, then {@link BetaCrown#optimise} with the cuts and no split). The
 * hull facets are {@link KReluPass}'s (kPoly's groups of {@code k} neurons in sets of {@code ns},
 * sharing at most {@code s}), each layer's made over its bounds once they are tightened.
 *
 * <p>Why: {@code krelu(tighten = 1)} reaches the same relaxation's bounds with two LPs per
 * unstable neuron and a simplex re-solve per cutting round, 0.2-0.7 s per LP on MNIST-FC 256x4
 * and 256x6 (where it does not finish the tightening in 300 s); the gradient form bounds all the
 * neurons of a layer in one batch. Requires: as {@link KReluPass} (put {@code deeppoly} or
 * {@code alpha(interm = 20)} first: the first layer's hulls are made over the bounds there).
 * Within a time limit, the layers stop at {@link #TIGHTENING_SHARE} of it, keeping the batch
 * under way, and the objectives are bounded with the cuts made by then.
 * Soundness: sound, incomplete; every bound is a rigorous back-substitution (see
 * {@link IntermediateCuts}); a later {@code relubab} starts from the tightened bounds.
 */
public final class KReluAlphaPass implements RelaxationPass {
  /** The default plan's groups, the registry's defaults: k = 3 in sets of 8, sharing one. */
  public static final Groups DEFAULT_GROUPS = new Groups(3, 8, 1);
  /** The default plan's steps: the registry's defaults (50 steps, rates 0.5 and 0.05). */
  public static final IntermediateCuts.Options DEFAULT_OPTIONS =
      new IntermediateCuts.Options(50, 0.5, 0.05, 0.98);
  /**
   * Most of the pass's time the layers' tightening takes: the rest bounds the objectives with
   * the cuts made so far. Why: a pass cut short inside the layers would otherwise end with no
   * objective bound at all; the objectives' batch is a few rows, the layers' hundreds.
   */
  static final double TIGHTENING_SHARE = 0.9;

  /** kPoly's groups: {@code k} neurons in sets of {@code ns}, sharing at most {@code s}. */
  public record Groups(int k, int ns, int s) {}

  private final IntermediateCuts.CutSource cuts;
  private final IntermediateCuts.Options options;
  private final Groups groups;

  /** {@code k}, {@code ns}, {@code s} as {@link KReluPass}; {@code options} for every batch. */
  public KReluAlphaPass(int k, int ns, int s, IntermediateCuts.Options options) {
    this(new KReluPass((LpSolver) null, k, ns, s, false)::cuts, options, new Groups(k, ns, s));
  }

  /** The cuts of each layer from {@code cuts} (tests: none, for the same steps without them). */
  KReluAlphaPass(IntermediateCuts.CutSource cuts, IntermediateCuts.Options options,
      Groups groups) {
    this.cuts = cuts;
    this.options = options;
    this.groups = groups;
  }

  /** The default plan's pass: {@link #DEFAULT_GROUPS} and {@link #DEFAULT_OPTIONS}. */
  public static KReluAlphaPass defaults() {
    return new KReluAlphaPass(DEFAULT_GROUPS.k(), DEFAULT_GROUPS.ns(), DEFAULT_GROUPS.s(),
        DEFAULT_OPTIONS);
  }

  public IntermediateCuts.Options options() {
    return options;
  }

  public Groups groups() {
    return groups;
  }

  @Override
  public String name() {
    return "kalpha";
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    IntervalPass.propagate(state, 0, budget);
    List<NeuronCut> all = new IntermediateCuts(cuts, options)
        .tighten(state, budget.share(TIGHTENING_SHARE)::isExhausted, budget);
    IntervalPass.propagate(state, 0, budget);
    BetaCrown.Result r = BetaCrown.optimise(state, objectives, List.of(), all, null, null, null,
        new BetaCrown.Options(options.iterations(), options.alphaRate(), options.gammaRate(),
            options.decay()), budget);
    int out = state.size() - 1;
    double[] boxed = IntervalPass.bound(objectives, state.lower(out), state.upper(out));
    double[] lower = r.lower();
    for (int j = 0; j < lower.length; j++) {
      lower[j] = Math.max(lower[j], boxed[j]);
    }
    return lower;
  }
}
