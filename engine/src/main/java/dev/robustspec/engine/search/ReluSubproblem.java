package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.relax.NeuronCut;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
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
  /** Per case, its best row's margin (computed once: a part's margins never change). */
  private final double[] caseMargin;
  /** The case with the smallest margin here (the first such): the one splits aim at. */
  private final int worstCase;

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
    this.caseMargin = caseMargins(margins);
    int worst = 0;
    for (int c = 1; c < caseMargin.length; c++) {
      if (caseMargin[c] < caseMargin[worst]) {
        worst = c;
      }
    }
    this.worstCase = worst;
  }

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
    if (child.infeasible) {
      return child;
    }
    // this part's margin is rigorous on its set, which holds the child's; a child's own bound
    // can be weaker (its β-CROWN steps start over from the warm start and need not reach the
    // parent's), and on MNIST-FC 256x4 prop_14 eps 0.05 the smallest open margin then fell as
    // the tree grew (-0.12 to -0.27 over 5000 parts)
    double[] raised = child.margins.clone();
    for (int j = 0; j < raised.length; j++) {
      raised[j] = Math.max(raised[j], margins[j]);
    }
    return new ReluSubproblem(child.splits, child.state, raised, child.inputCoefficients, false,
        child.slopes, child.betas, child.cuts, child.gammas, rowCase);
  }

  /**
   * This part with the multi-neuron cuts {@code kept} (this part's cuts' subset) and their
   * multipliers {@code keptGammas} per row: the root once the unused cuts are dropped.
   */
  ReluSubproblem withCuts(List<NeuronCut> kept, double[][] keptGammas) {
    return new ReluSubproblem(splits, state, margins, inputCoefficients, infeasible, slopes,
        betas, List.copyOf(kept), keptGammas, rowCase);
  }

  /** β-CROWN's multipliers of this part's multi-neuron cuts per row (null without). */
  double[][] gammas() {
    return gammas;
  }

  /**
   * Bounds a child of this part over its state {@code s}: only the rows of the cases still open
   * here are bounded again (a case proven on this part is proven on the child, whose set lies
   * inside; its rows keep this part's margins, slopes and multipliers, the new split's at 0), so
   * a tree shared by several cases costs less as they close.
   */
  private ReluSubproblem boundOpenRows(List<Split> childSplits, BoundState s,
      double[][] objectives, double[] bounds, BetaCrown.Options beta, Budget budget) {
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

  /**
   * Bounds the part of {@code splits} over {@code state} (already cut by the decisions): DeepPoly
   * over every layer, the split neurons again, then β-CROWN (when {@code beta} is not null) from
   * the given slopes and multipliers (null: DeepPoly's, 0).
   */
  static ReluSubproblem bound(List<Split> splits, BoundState state,
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
    return caseMargin[worstCase];
  }

  /** Per case, its best row's margin (positive: the case is empty on this sub-problem). */
  double[] caseMargins() {
    return caseMargin.clone();
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

  /**
   * Index of the row whose bound is closest to proving the worst case (its best margin): the
   * row the split choice and the attacks aim at.
   */
  int closestConstraint() {
    int best = -1;
    for (int j = 0; j < margins.length; j++) {
      if (rowCase[j] == worstCase && (best < 0 || margins[j] > margins[best])) {
        best = j;
      }
    }
    return best;
  }

  /** The cases (0 to cases - 1) not proven empty on this sub-problem. */
  List<Integer> openCases() {
    List<Integer> open = new ArrayList<>();
    for (int c = 0; c < caseMargin.length; c++) {
      if (!infeasible && !(caseMargin[c] > 0)) {
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
}
