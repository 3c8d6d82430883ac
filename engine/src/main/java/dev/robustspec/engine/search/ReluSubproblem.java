package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
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
 * input has {@code z >= 0} or {@code z <= 0}), so no input is ever lost.
 */
final class ReluSubproblem {

  /** One decision: ReLU input at bound index {@code index}, neuron {@code neuron}. */
  record Split(int index, int neuron, boolean active) {}

  private final List<Split> splits;
  private final BoundState state;
  /** Rigorous lower bound of each constraint's {@code c . y}, minus its bound, rounded down. */
  private final double[] margins;
  /** Input coefficients of each constraint's back-substituted lower bound (the minimiser). */
  private final double[][] inputCoefficients;
  private final boolean infeasible;

  private ReluSubproblem(List<Split> splits, BoundState state, double[] margins,
      double[][] inputCoefficients, boolean infeasible) {
    this.splits = splits;
    this.state = state;
    this.margins = margins;
    this.inputCoefficients = inputCoefficients;
    this.infeasible = infeasible;
  }

  /** The root: the box with no decision, bounded by DeepPoly. */
  static ReluSubproblem root(Network network, Box box, double[][] objectives, double[] bounds,
      Budget budget) {
    BoundState state = new BoundState(network, box);
    return bound(List.of(), state, objectives, bounds, budget);
  }

  /** The child of this sub-problem that adds {@code split}, bounded. */
  ReluSubproblem child(Split split, double[][] objectives, double[] bounds, Budget budget) {
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
    return bound(List.copyOf(all), s, objectives, bounds, budget);
  }

  private static ReluSubproblem bound(List<Split> splits, BoundState state,
      double[][] objectives, double[] bounds, Budget budget) {
    int m = objectives.length;
    double[] margins = new double[m];
    double[][] coefficients = new double[m][state.input().dimension()];
    if (state.isInfeasible()) {
      return new ReluSubproblem(splits, state, margins, coefficients, true);
    }
    double[] lower = new DeepPolyPass().run(state, objectives, coefficients, budget);
    reboundSplitNeurons(splits, state, budget);
    boolean infeasible = state.isInfeasible();
    for (int j = 0; j < m; j++) {
      margins[j] = Math.nextDown(lower[j] - bounds[j]);
    }
    return new ReluSubproblem(splits, state, margins, coefficients, infeasible);
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

  /** The best margin: positive means the case is empty on this sub-problem. */
  double margin() {
    if (infeasible) {
      return Double.POSITIVE_INFINITY;
    }
    double best = Double.NEGATIVE_INFINITY;
    for (double v : margins) {
      best = Math.max(best, v);
    }
    return best;
  }

  /** Index of the constraint whose bound is closest to proving the case (the best margin). */
  int closestConstraint() {
    int best = 0;
    for (int j = 1; j < margins.length; j++) {
      if (margins[j] > margins[best]) {
        best = j;
      }
    }
    return best;
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

  /**
   * The unstable neuron to split next by BaBSR's score (Bunel et al., "Branch and Bound for
   * Piecewise Linear Neural Network Verification", JMLR 2020, eq. for {@code s_i}; as in
   * auto_LiRPA's {@code babsr_score}): back-substitute the closest constraint's lower bound; at
   * each ReLU with coefficient {@code lambda_i} on its output, pre-activation bounds
   * {@code [l, u]}, chord slope {@code s = u / (u - l)} and intercept {@code t = -s l}, and
   * {@code b_i} the bias feeding the neuron, the score estimates how much fixing the neuron would
   * move the bound: {@code |min(b_i lambda_i (s - 1), b_i lambda_i s) + min(lambda_i, 0) t|}.
   * Ties and all-zero scores fall back to the widest triangle {@code u (-l) / (u - l)}, so a
   * sub-problem with an unstable neuron always has a split. Null when every ReLU is stable.
   */
  Split chooseSplit(double[] objective, List<double[]> biases, Budget budget) {
    Network net = state.network();
    List<Layer> layers = net.layers();
    SymbolicRows current = new SymbolicRows();
    SymbolicRows other = new SymbolicRows();
    current.reset(1, net.outputSize());
    System.arraycopy(objective, 0, current.coef(), 0, objective.length);
    Split best = null;
    double bestScore = -1;
    double bestWidth = -1;
    for (int j = layers.size() - 1; j >= 0; j--) {
      budget.check();
      if (isRelu(layers.get(j)) && biases.get(j) != null) {
        double[] lambda = current.coef();
        double[] lo = state.lower(j);
        double[] hi = state.upper(j);
        double[] bias = biases.get(j);
        int relaxed = layers.get(j).relaxedInputCount(); // carried values are never split
        for (int i = 0; i < relaxed; i++) {
          double l = lo[i];
          double u = hi[i];
          if (!(l < 0 && u > 0)) {
            continue;
          }
          double s = u / (u - l);
          double t = -s * l;
          double bl = bias[i] * lambda[i];
          double score = Math.abs(Math.min(bl * (s - 1), bl * s) + Math.min(lambda[i], 0) * t);
          double width = t; // u (-l) / (u - l)
          if (score > bestScore || (score == bestScore && width > bestWidth)) {
            bestScore = score;
            bestWidth = width;
            best = new Split(j, i, true);
          }
        }
      }
      layers.get(j).backSubstitute(current, state.lower(j), state.upper(j), other);
      SymbolicRows swap = current;
      current = other;
      other = swap;
    }
    return best;
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
