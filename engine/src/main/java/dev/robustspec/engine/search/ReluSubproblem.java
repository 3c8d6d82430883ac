package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.relax.NeuronCut;
import dev.robustspec.engine.lp.KReluPass;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * One sub-problem of ReLU-splitting branch and bound: the input box plus a set of split
 * decisions, each fixing one ReLU's pre-activation {@code z} to {@code z >= 0} (active) or
 * {@code z <= 0} (inactive), with the bounds every value takes on the inputs of the box that
 * meet every decision, and how the case's constraints are bounded there.
 *
 * <p>Soundness: a sub-problem's {@link BoundState} holds rigorous bounds over the set
 * {@code S = {x in box : every decision holds at x}}. A child starts from its parent's bounds
 * (its set is a subset), intersects the split neuron's interval with the decision (active:
 * lower := max(lower, 0); inactive: upper := min(upper, 0)) — true on the child's set by
 * definition — and then re-runs the whole {@link DeepPolyPass} over the state, which only
 * tightens and whose every relaxation is valid for the bounds it is given; with the split
 * neuron now stable its ReLU is relaxed exactly (identity or 0). Finally every split neuron's
 * own pre-activation is bounded again by back-substitution over the tightened earlier layers
 * ({@link DeepPolyPass#boundRows}): the decisions of deeper splits can show an earlier decision
 * impossible. When some value's rigorous lower bound exceeds its upper bound, {@code S} is empty
 * and the sub-problem is closed. The two children of a split cover their parent's set (every
 * input has {@code z >= 0} or {@code z <= 0}), so no input is ever lost. The margins are the
 * better of DeepPoly's and β-CROWN's ({@link BetaCrown}: valid on {@code S} for every
 * multiplier {@code >= 0} and slope in [0, 1], recomputed rigorously), both lower bounds on
 * {@code S}, and never below the parent's (a lower bound on the parent's set, which holds
 * {@code S}), so a child's margin never falls below its parent's.
 */
final class ReluSubproblem {

  private final List<Split> splits;
  private final BoundState state;
  /** Rigorous lower bound of each constraint's {@code c . y}, minus its bound, rounded down. */
  private final double[] margins;
  /** Input coefficients of each constraint's back-substituted lower bound (the minimiser). */
  private final double[][] inputCoefficients;
  private final boolean infeasible;
  /** β-CROWN's slopes and multipliers of this sub-problem (null without β): its children's start. */
  private final double[][] slopes;
  private final double[][] betas;
  /** The multi-neuron cuts of the whole tree (the root's, pruned), and this part's multipliers. */
  private final List<NeuronCut> cuts;
  private final double[][] gammas;
  /**
   * Per constraint row, the unsafe case it belongs to (0 to cases - 1; the rows of a case are
   * one conjunction): a case is empty on this part when one of its rows is proven, and the part
   * is closed when every case is. Several cases share one tree (their common splits and
   * intermediate bounds are bounded once).
   */
  private final int[] rowCase;

  private ReluSubproblem(List<Split> splits, BoundState state, double[] margins,
      double[][] inputCoefficients, boolean infeasible, double[][] slopes, double[][] betas,
      List<NeuronCut> cuts, double[][] gammas, int[] rowCase) {
    this.rowCase = rowCase;
    this.cuts = cuts;
    this.gammas = gammas;
    this.splits = splits;
    this.state = state;
    this.margins = margins;
    this.inputCoefficients = inputCoefficients;
    this.infeasible = infeasible;
    this.slopes = slopes;
    this.betas = betas;
  }

  /**
   * The root: the box with no decision, bounded by DeepPoly, then (when {@code beta} is not
   * null) by α-CROWN with {@code beta}'s steps at least {@link #ROOT_ITERATIONS}: the slopes every
   * sub-problem starts from. {@code prior} (null: none) holds bounds valid on a box containing
   * {@code box} (the plan's earlier passes'): the root's state starts from them.
   */
  static ReluSubproblem root(Network network, Box box, BoundState prior, double[][] objectives,
      double[] bounds, BetaCrown.Options beta, Budget budget) {
    return root(network, box, prior, objectives, bounds, beta, null, new int[objectives.length],
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
  static ReluSubproblem root(Network network, Box box, BoundState prior, double[][] objectives,
      double[] bounds, BetaCrown.Options beta,
      java.util.function.Function<BoundState, List<NeuronCut>> cutSource, int[] rowCase,
      Budget budget) {
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
      return bound(List.of(), state, objectives, bounds, rootOptions, null, null, List.of(),
          null, rowCase, budget);
    }
    ReluSubproblem plain = bound(List.of(), state, objectives, bounds, rootOptions, null, null,
        List.of(), null, rowCase, budget);
    if (plain.infeasible || plain.margin() > 0) {
      return plain;
    }
    BetaCrown.Options cutOptions = new BetaCrown.Options(ROOT_CUT_ITERATIONS,
        beta.alphaRate(), beta.betaRate(), beta.decay());
    ReluSubproblem full = bound(List.of(), state, objectives, bounds, cutOptions, null, null,
        all, null, rowCase, budget);
    if (full.infeasible || full.gammas == null) {
      return full;
    }
    if (full.margin() < plain.margin() + CUT_PAYOFF * -plain.margin()) {
      return plain; // the cuts would slow every part down for too little
    }
    List<NeuronCut> kept = new ArrayList<>();
    List<Integer> keptIndex = new ArrayList<>();
    for (int q = 0; q < all.size(); q++) {
      for (double[] row : full.gammas) {
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
        gammas[r][t] = full.gammas[r][keptIndex.get(t)];
      }
    }
    return new ReluSubproblem(full.splits, full.state, full.margins, full.inputCoefficients,
        false, full.slopes, full.betas, List.copyOf(kept), gammas, rowCase);
  }

  /** kPoly's set size and overlap for the root's cut groups (the {@code krelu} defaults). */
  static final int CUT_SET = 8;
  static final int CUT_SHARED = 1;
  /**
   * The share of the gap of the root's margin without cuts (below 0) by which the cuts must
   * raise it to be kept: they slow every part's bound down (on MNIST-FC 256x6 prop_7 eps 0.03, where they
   * raised the root's margins by 0-8 %, relubab took 22 s with them and 4.7 s without; on 256x4
   * prop_11 eps 0.05, +17-25 %, 13 s with them and no proof in 120 s without).
   */
  static final double CUT_PAYOFF = 0.15;
  /** Steps of the root's bound with every cut, before the unused ones are dropped. */
  static final int ROOT_CUT_ITERATIONS = 100;

  /** α-CROWN steps at the root (from DeepPoly's slopes; the children start from the root's). */
  static final int ROOT_ITERATIONS = 30;

  /**
   * The child of this sub-problem that adds {@code split}, bounded by DeepPoly and then, when
   * {@code beta} is not null, by β-CROWN warm-started from this sub-problem's slopes and
   * multipliers (the new split's at 0).
   */
  ReluSubproblem child(Split split, double[][] objectives, double[] bounds,
      BetaCrown.Options beta, Budget budget) {
    BoundState s = new BoundState(state.network(), state.input());
    s.tighten(state); // the child's set lies inside this one's
    if (split.active()) {
      s.tighten(split.index(), split.neuron(), 0.0, Double.POSITIVE_INFINITY);
    } else {
      s.tighten(split.index(), split.neuron(), Double.NEGATIVE_INFINITY, 0.0);
    }
    List<Split> all = new ArrayList<>(splits.size() + 1);
    all.addAll(splits);
    all.add(split);
    ReluSubproblem child = boundOpenRows(List.copyOf(all), s, objectives, bounds, beta, budget);
    if (!child.infeasible) {
      for (int j = 0; j < margins.length; j++) {
        // this part's margin is rigorous on its set, which holds the child's; a child's own
        // bound can be weaker (its β-CROWN steps start over from the warm start and need not
        // reach the parent's), and on MNIST-FC 256x4 prop_14 eps 0.05 the smallest open margin
        // then fell as the tree grew (-0.12 to -0.27 over 5000 parts)
        child.margins[j] = Math.max(child.margins[j], margins[j]);
      }
    }
    return child;
  }

  /**
   * Bounds a child of this part over its state {@code s}: only the rows of the cases still open
   * here are bounded again (a case proven on this part is proven on the child, whose set lies
   * inside; its rows keep this part's margins, slopes and multipliers, the new split's at 0), so
   * a tree shared by several cases costs less as they close.
   */
  private ReluSubproblem boundOpenRows(List<Split> childSplits, BoundState s,
      double[][] objectives, double[] bounds, BetaCrown.Options beta, Budget budget) {
    double[] caseMargin = caseMargins();
    int[] open = java.util.stream.IntStream.range(0, margins.length)
        .filter(j -> !(caseMargin[rowCase[j]] > 0)).toArray();
    if (open.length == margins.length || open.length == 0) {
      return bound(childSplits, s, objectives, bounds, beta, slopes, betas, cuts, gammas,
          rowCase, budget);
    }
    int m = open.length;
    double[][] subObjectives = new double[m][];
    double[] subBounds = new double[m];
    int[] subCase = new int[m];
    for (int t = 0; t < m; t++) {
      subObjectives[t] = objectives[open[t]];
      subBounds[t] = bounds[open[t]];
      subCase[t] = rowCase[open[t]];
    }
    ReluSubproblem q = bound(childSplits, s, subObjectives, subBounds, beta,
        RowBlocks.slopes(slopes, margins.length, open), RowBlocks.rows(betas, open), cuts,
        RowBlocks.rows(gammas, open), subCase, budget);
    double[] fullMargins = margins.clone();
    double[][] fullCoefficients = inputCoefficients.clone();
    double[][] fullSlopes = q.slopes == null || slopes == null ? null : RowBlocks.copy(slopes);
    double[][] fullBetas = q.betas == null || betas == null ? null : new double[margins.length][];
    double[][] fullGammas = q.gammas == null || gammas == null ? null : RowBlocks.copy(gammas);
    if (fullBetas != null) {
      for (int j = 0; j < fullBetas.length; j++) {
        fullBetas[j] = java.util.Arrays.copyOf(betas[j], childSplits.size());
      }
    }
    for (int t = 0; t < m; t++) {
      int j = open[t];
      fullMargins[j] = q.margins[t];
      fullCoefficients[j] = q.inputCoefficients[t];
      if (fullSlopes != null) {
        for (int k = 0; k < fullSlopes.length; k++) {
          int n = fullSlopes[k].length / margins.length;
          System.arraycopy(q.slopes[k], t * n, fullSlopes[k], j * n, n);
        }
      }
      if (fullBetas != null) {
        fullBetas[j] = q.betas[t];
      }
      if (fullGammas != null) {
        fullGammas[j] = q.gammas[t];
      }
    }
    return new ReluSubproblem(childSplits, q.state, fullMargins, fullCoefficients, q.infeasible,
        fullSlopes, fullBetas, cuts, fullGammas, rowCase);
  }

  private static ReluSubproblem bound(List<Split> splits, BoundState state,
      double[][] objectives, double[] bounds, BetaCrown.Options beta, double[][] startSlopes,
      double[][] startBetas, List<NeuronCut> cuts, double[][] startGammas, int[] rowCase,
      Budget budget) {
    int m = objectives.length;
    double[] margins = new double[m];
    double[][] coefficients = new double[m][state.input().dimension()];
    if (state.isInfeasible()) {
      return new ReluSubproblem(splits, state, margins, coefficients, true, null, null, cuts,
          null, rowCase);
    }
    double[] lower = new DeepPolyPass().run(state, objectives, coefficients, budget);
    reboundSplitNeurons(splits, state, budget);
    boolean infeasible = state.isInfeasible();
    double[][] keptSlopes = null;
    double[][] keptBetas = null;
    double[][] keptGammas = null;
    if (beta != null && !infeasible) {
      BetaCrown.Result r = BetaCrown.optimise(state, objectives, splits, cuts, startSlopes,
          startBetas, startGammas, beta, budget);
      for (int j = 0; j < m; j++) {
        if (r.lower()[j] > lower[j]) {
          lower[j] = r.lower()[j]; // both rigorous on the sub-problem: keep the better
          coefficients[j] = r.inputCoefficients()[j];
        }
      }
      keptSlopes = r.slopes();
      keptBetas = r.betas();
      keptGammas = r.gammas();
    }
    for (int j = 0; j < m; j++) {
      margins[j] = Math.nextDown(lower[j] - bounds[j]);
    }
    return new ReluSubproblem(splits, state, margins, coefficients, infeasible, keptSlopes,
        keptBetas, cuts, keptGammas, rowCase);
  }

  /** Back-substitutes the split neurons' pre-activations again, layer by layer (see class). */
  private static void reboundSplitNeurons(List<Split> splits, BoundState state, Budget budget) {
    if (splits.isEmpty()) {
      return;
    }
    int maxIndex = 0;
    for (Split s : splits) {
      maxIndex = Math.max(maxIndex, s.index());
    }
    for (int index = 1; index <= maxIndex; index++) {
      List<Split> here = new ArrayList<>();
      for (Split s : splits) {
        if (s.index() == index) {
          here.add(s);
        }
      }
      if (here.isEmpty()) {
        continue;
      }
      int n = state.lower(index).length;
      double[][] rows = new double[here.size()][n];
      for (int r = 0; r < rows.length; r++) {
        // active: bound -z from below (its upper bound); inactive: z from below
        rows[r][here.get(r).neuron()] = here.get(r).active() ? -1 : 1;
      }
      double[] b = DeepPolyPass.boundRows(state, index, rows, budget);
      for (int r = 0; r < rows.length; r++) {
        Split s = here.get(r);
        if (s.active()) {
          state.tighten(index, s.neuron(), Double.NEGATIVE_INFINITY, -b[r]);
        } else {
          state.tighten(index, s.neuron(), b[r], Double.POSITIVE_INFINITY);
        }
      }
    }
  }

  List<Split> splits() {
    return splits;
  }

  BoundState state() {
    return state;
  }

  boolean infeasible() {
    return infeasible;
  }

  /**
   * The worst case's margin (a case's is its best row's): positive means every case is empty on
   * this sub-problem; in any case a lower bound of every case's margin here.
   */
  double margin() {
    if (infeasible) {
      return Double.POSITIVE_INFINITY;
    }
    return caseMargins()[worstCase()];
  }

  /** Per case, its best row's margin (positive: the case is empty on this sub-problem). */
  double[] caseMargins() {
    return caseMargins(margins);
  }

  /** The worst case's margin for the row margins {@code rowMargins} (one per constraint row). */
  double worstCaseMargin(double[] rowMargins) {
    double worst = Double.POSITIVE_INFINITY;
    for (double m : caseMargins(rowMargins)) {
      worst = Math.min(worst, m);
    }
    return worst;
  }

  private double[] caseMargins(double[] margins) {
    int cases = 0;
    for (int c : rowCase) {
      cases = Math.max(cases, c + 1);
    }
    double[] best = new double[cases];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (int j = 0; j < margins.length; j++) {
      best[rowCase[j]] = Math.max(best[rowCase[j]], margins[j]);
    }
    return best;
  }

  /** The case with the smallest margin here (the first such): the one splits aim at. */
  private int worstCase() {
    double[] best = caseMargins();
    int worst = 0;
    for (int c = 1; c < best.length; c++) {
      if (best[c] < best[worst]) {
        worst = c;
      }
    }
    return worst;
  }

  /**
   * Index of the row whose bound is closest to proving the worst case (its best margin): the
   * row the split choice and the attacks aim at.
   */
  int closestConstraint() {
    int worst = worstCase();
    int best = -1;
    for (int j = 0; j < margins.length; j++) {
      if (rowCase[j] == worst && (best < 0 || margins[j] > margins[best])) {
        best = j;
      }
    }
    return best;
  }

  /** The cases (0 to cases - 1) not proven empty on this sub-problem. */
  List<Integer> openCases() {
    double[] best = caseMargins();
    List<Integer> open = new ArrayList<>();
    for (int c = 0; c < best.length; c++) {
      if (!infeasible && !(best[c] > 0)) {
        open.add(c);
      }
    }
    return open;
  }

  /**
   * The box corner minimising constraint {@code j}'s linear lower bound: where the relaxation
   * says the constraint is most violated, a cheap attack's start.
   */
  double[] minimiser(int j) {
    double[] lo = state.lower(0);
    double[] hi = state.upper(0);
    double[] x = new double[lo.length];
    for (int i = 0; i < x.length; i++) {
      double a = inputCoefficients[j][i];
      x[i] = a > 0 ? lo[i] : a < 0 ? hi[i] : lo[i] + (hi[i] - lo[i]) / 2;
    }
    return x;
  }

  /** The neuron to split next by BaBSR's score ({@link SplitChoice#babsr}); null: all stable. */
  Split chooseSplit(double[] objective, List<double[]> biases, Budget budget) {
    return SplitChoice.babsr(this, objective, slopeRow(closestConstraint()), biases, budget);
  }

  /**
   * The neuron to split next by filtered smart branching over {@code candidates} of BaBSR's
   * ({@link SplitChoice#fsb}); null when every ReLU is stable.
   */
  Split chooseSplitFsb(double[][] objectives, double[] bounds, List<double[]> biases,
      int candidates, Budget budget) {
    return SplitChoice.fsb(this, objectives, bounds, biases, candidates, budget);
  }

  /** Per layer, row r's β-CROWN slopes (null without β). */
  double[][] slopeRow(int r) {
    if (slopes == null) {
      return null;
    }
    int rows = margins.length;
    double[][] out = new double[slopes.length][];
    for (int k = 0; k < slopes.length; k++) {
      int n = slopes[k].length / rows;
      out[k] = java.util.Arrays.copyOfRange(slopes[k], r * n, (r + 1) * n);
    }
    return out;
  }

  /** β-CROWN's slopes of every row (null without β): the warm start of this part's children. */
  double[][] slopes() {
    return slopes;
  }

  /** The multi-neuron cuts of this part's tree (empty without). */
  List<NeuronCut> cuts() {
    return cuts;
  }

  /** β-CROWN's multipliers per row and split (null without β). */
  double[][] betas() {
    return betas;
  }

  /**
   * Per layer index {@code j}: when layer {@code j} is a ReLU, the bias of its input (the
   * previous layer evaluated at 0, an affine layer's constant term; zeros for a ReLU first);
   * otherwise null.
   */
  static List<double[]> biases(Network network) {
    List<double[]> out = new ArrayList<>();
    List<Layer> layers = network.layers();
    for (int j = 0; j < layers.size(); j++) {
      if (!isRelu(layers.get(j))) {
        out.add(null);
      } else if (j == 0) {
        out.add(new double[layers.get(j).inputSize()]);
      } else {
        Layer before = layers.get(j - 1);
        out.add(before.evaluate(new double[before.inputSize()]));
      }
    }
    return out;
  }

  /** The layers whose input neurons can be split: ReLUs (the layer says, {@link Layer#isRelu}). */
  static boolean isRelu(Layer layer) {
    return layer.isRelu();
  }
}
