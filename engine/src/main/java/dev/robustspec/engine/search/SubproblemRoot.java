package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.NeuronCut;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The root of a {@link ReluSplitSearch} tree: the box with no decision bounded once, with the
 * steps and multi-neuron cuts every part of the tree starts from.
 */
final class SubproblemRoot {
  private SubproblemRoot() {}

  /**
   * The root: the box with no decision, bounded by DeepPoly, then (when {@code beta} is not
   * null) by α-CROWN with {@code beta}'s steps at least {@link #ROOT_ITERATIONS}: the slopes every
   * sub-problem starts from. {@code prior} (null: none) holds bounds valid on a box containing
   * {@code box} (the plan's earlier passes'): the root's state starts from them.
   */
  static ReluSubproblem bound(Network network, Box box, BoundState prior, double[][] objectives,
      double[] bounds, BetaCrown.Options beta, Budget budget) {
    return bound(network, box, prior, objectives, bounds, beta, null, new int[objectives.length],
        budget);
  }

  /**
   * As above, with MN-BaB's multi-neuron constraints when β is on and {@code cutSource} (null:
   * none) gives some for the root's bounds after DeepPoly: the k-ReLU hulls of kPoly's groups
   * ({@link KReluPass#cuts}), valid on every part, enter the root's bound with multipliers
   * optimised over {@link #ROOT_CUT_ITERATIONS} steps. Where they pay (they raise the root's
   * margin by at least {@link #CUT_PAYOFF} of its gap), the cuts whose multiplier stays 0 in
   * every row are dropped and the rest go with their multipliers into every part (each child
   * warm-starts from its parent's); otherwise the tree goes on without cuts.
   */
  static ReluSubproblem bound(Network network, Box box, BoundState prior, double[][] objectives,
      double[] bounds, BetaCrown.Options beta,
      Function<BoundState, List<NeuronCut>> cutSource, int[] rowCase, Budget budget) {
    if (rowCase.length != objectives.length) {
      throw new IllegalArgumentException("one case per constraint row");
    }
    BoundState state = new BoundState(network, box);
    if (prior != null) {
      state.tighten(prior); // the box lies inside the prior's: its bounds hold here too
    }
    BetaCrown.Options rootOptions = beta == null ? null : new BetaCrown.Options(
        Math.max(ROOT_ITERATIONS, beta.iterations()), beta.alphaRate(), beta.betaRate(),
        beta.decay());
    List<NeuronCut> all = List.of();
    if (beta != null && cutSource != null) {
      new DeepPolyPass().run(state, objectives, budget); // the bounds the hulls are made over
      all = cutSource.apply(state);
    }
    if (all.isEmpty()) {
      return ReluSubproblem.bound(List.of(), state, objectives, bounds, rootOptions, null, null,
          List.of(), null, rowCase, budget);
    }
    ReluSubproblem plain = ReluSubproblem.bound(List.of(), state, objectives, bounds,
        rootOptions, null, null, List.of(), null, rowCase, budget);
    if (plain.infeasible() || plain.margin() > 0) {
      return plain;
    }
    BetaCrown.Options cutOptions = new BetaCrown.Options(ROOT_CUT_ITERATIONS,
        beta.alphaRate(), beta.betaRate(), beta.decay());
    ReluSubproblem full = ReluSubproblem.bound(List.of(), state, objectives, bounds,
        cutOptions, null, null, all, null, rowCase, budget);
    if (full.infeasible() || full.gammas() == null) {
      return full;
    }
    if (full.margin() < plain.margin() + CUT_PAYOFF * -plain.margin()) {
      return plain; // the cuts would slow every part down for too little
    }
    List<NeuronCut> kept = new ArrayList<>();
    List<Integer> keptIndex = new ArrayList<>();
    for (int q = 0; q < all.size(); q++) {
      for (double[] row : full.gammas()) {
        if (row[q] > 0) {
          kept.add(all.get(q));
          keptIndex.add(q);
          break;
        }
      }
    }
    double[][] gammas = new double[objectives.length][kept.size()];
    for (int r = 0; r < gammas.length; r++) {
      for (int t = 0; t < kept.size(); t++) {
        gammas[r][t] = full.gammas()[r][keptIndex.get(t)];
      }
    }
    return full.withCuts(kept, gammas);
  }

  /** kPoly's set size and overlap for the root's cut groups (the {@code krelu} defaults). */
  static final int CUT_SET = 8;
  static final int CUT_SHARED = 1;
  /**
   * The share of the gap of the root's margin without cuts (below 0) by which the cuts must
   * raise it to be kept: they slow every part's bound down (on MNIST-FC 256x6 prop_7 eps 0.03,
   * where they raised the root's margins by 0-8 %, relubab took 22 s with them and 4.7 s without;
   * on 256x4 prop_11 eps 0.05, +17-25 %, 13 s with them and no proof in 120 s without).
   */
  static final double CUT_PAYOFF = 0.15;
  /** Steps of the root's bound with every cut, before the unused ones are dropped. */
  static final int ROOT_CUT_ITERATIONS = 100;

  /** α-CROWN steps at the root (from DeepPoly's slopes; the children start from the root's). */
  static final int ROOT_ITERATIONS = 30;
}
