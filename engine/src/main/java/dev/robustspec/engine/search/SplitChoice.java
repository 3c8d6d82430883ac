package dev.robustspec.engine.search;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BetaCrown;
import dev.robustspec.engine.relax.BetaCrown.Split;
import dev.robustspec.engine.relax.BoundState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which unstable ReLU a sub-problem of {@link ReluSplitSearch} splits next: BaBSR's score, or
 * filtered smart branching over its best candidates. Only the choice of split depends on this
 * class; any choice is sound (the two children of a split always cover their parent).
 */
final class SplitChoice {

  /** An unstable neuron with BaBSR's score and the intercept score of its upper line. */
  private record Candidate(Split split, double score, double intercept, double width) {}

  private SplitChoice() {}

  /**
   * BaBSR's choice (Bunel et al., "Branch and Bound for Piecewise Linear Neural Network
   * Verification", JMLR 2020, eq. for {@code s_i}; as in auto_LiRPA's {@code babsr_score}):
   * back-substitute the objective's lower bound (with the sub-problem's β-CROWN slopes
   * {@code slopes} when not null); at each ReLU with coefficient {@code lambda_i} on its output,
   * pre-activation bounds {@code [l, u]}, chord slope {@code s = u / (u - l)} and intercept
   * {@code t = -s l}, and {@code b_i} the bias feeding the neuron, the score estimates how much
   * fixing the neuron would move the bound:
   * {@code |min(b_i lambda_i (s - 1), b_i lambda_i s) + min(lambda_i, 0) t|}. Ties and all-zero
   * scores fall back to the widest triangle {@code u (-l) / (u - l)}, so a sub-problem with an
   * unstable neuron always has a split. Null when every ReLU is stable.
   */
  static Split babsr(ReluSubproblem p, double[] objective, double[][] slopes,
      List<double[]> biases, Budget budget) {
    List<Candidate> all = candidates(p, objective, slopes, biases, budget);
    Candidate best = null;
    for (Candidate c : all) {
      if (best == null || c.score() > best.score()
          || (c.score() == best.score() && c.width() > best.width())) {
        best = c;
      }
    }
    return best == null ? null : best.split();
  }

  /**
   * Filtered smart branching (De Palma et al., "Improved Branch and Bound for Neural Network
   * Verification via Lagrangian Decomposition", 2021, section 5; α,β-CROWN's {@code kfsb}):
   * the {@code k} best neurons by BaBSR's score and the {@code k} best by the intercept score
   * {@code |min(lambda_i, 0) t|} are each tried: both children's objectives are bounded once
   * by β-CROWN from this sub-problem's slopes and multipliers (the new split's at 0; no
   * optimisation, intermediate bounds as they are), and the neuron whose worse child has the
   * best margin is split (ties: BaBSR's order). The trial bounds only choose; the children are
   * bounded afresh. Null when every ReLU is stable.
   */
  static Split fsb(ReluSubproblem p, double[][] objectives, double[] bounds,
      List<double[]> biases, int k, Budget budget) {
    int closest = p.closestConstraint();
    List<Candidate> all = candidates(p, objectives[closest], p.slopeRow(closest), biases, budget);
    if (all.isEmpty()) {
      return null;
    }
    List<Candidate> byScore = new ArrayList<>(all);
    byScore.sort(Comparator.comparingDouble(Candidate::score).reversed()
        .thenComparing(Comparator.comparingDouble(Candidate::width).reversed()));
    List<Candidate> byIntercept = new ArrayList<>(all);
    byIntercept.sort(Comparator.comparingDouble(Candidate::intercept).reversed());
    List<Split> tried = new ArrayList<>();
    for (int i = 0; i < Math.min(k, byScore.size()); i++) {
      tried.add(byScore.get(i).split());
    }
    for (int i = 0; i < Math.min(k, byIntercept.size()); i++) {
      if (!tried.contains(byIntercept.get(i).split())) {
        tried.add(byIntercept.get(i).split());
      }
    }
    BetaCrown.Options once = new BetaCrown.Options(0, 1, 1, 1);
    Split best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (Split s : tried) {
      budget.check();
      double worse = Double.POSITIVE_INFINITY;
      for (boolean active : new boolean[] {false, true}) {
        worse = Math.min(worse, trialMargin(p, new Split(s.index(), s.neuron(), active),
            objectives, bounds, once, budget));
      }
      if (best == null || worse > bestValue) {
        best = s;
        bestValue = worse;
      }
    }
    return best;
  }

  /** The child adding {@code split}: its worst case's margin, bounded once over p's bounds. */
  private static double trialMargin(ReluSubproblem p, Split split, double[][] objectives,
      double[] bounds, BetaCrown.Options once, Budget budget) {
    BoundState s = new BoundState(p.state().network(), p.state().input());
    s.tighten(p.state());
    if (split.active()) {
      s.tighten(split.index(), split.neuron(), 0.0, Double.POSITIVE_INFINITY);
    } else {
      s.tighten(split.index(), split.neuron(), Double.NEGATIVE_INFINITY, 0.0);
    }
    if (s.isInfeasible()) {
      return Double.POSITIVE_INFINITY;
    }
    List<Split> splits = new ArrayList<>(p.splits());
    splits.add(split);
    double[] lower = BetaCrown.optimise(s, objectives, splits, p.slopes(), p.betas(), once,
        budget).lower();
    double[] rowMargins = new double[lower.length];
    for (int j = 0; j < lower.length; j++) {
      rowMargins[j] = lower[j] - bounds[j];
    }
    return p.worstCaseMargin(rowMargins); // a part shared by several cases closes on the worst
  }

  /** Every unstable ReLU of {@code p} with its scores, from the objective's back-substitution. */
  private static List<Candidate> candidates(ReluSubproblem p, double[] objective,
      double[][] slopes, List<double[]> biases, Budget budget) {
    BoundState state = p.state();
    Network net = state.network();
    List<Layer> layers = net.layers();
    SymbolicRows current = new SymbolicRows();
    SymbolicRows other = new SymbolicRows();
    current.reset(1, net.outputSize());
    System.arraycopy(objective, 0, current.coef(), 0, objective.length);
    List<Candidate> out = new ArrayList<>();
    for (int j = layers.size() - 1; j >= 0; j--) {
      budget.check();
      if (layers.get(j).isRelu() && biases.get(j) != null) {
        double[] lambda = current.coef();
        double[] lo = state.lower(j);
        double[] hi = state.upper(j);
        double[] bias = biases.get(j);
        for (int i = 0; i < layers.get(j).relaxedInputCount(); i++) { // carried values are never split
          double l = lo[i];
          double u = hi[i];
          if (!(l < 0 && u > 0)) {
            continue;
          }
          double s = u / (u - l);
          double t = -s * l;
          double bl = bias[i] * lambda[i];
          double intercept = Math.min(lambda[i], 0) * t;
          double score = Math.abs(Math.min(bl * (s - 1), bl * s) + intercept);
          out.add(new Candidate(new Split(j, i, true), score, Math.abs(intercept), t));
        }
      }
      if (slopes == null) {
        layers.get(j).backSubstitute(current, state.lower(j), state.upper(j), other);
      } else {
        layers.get(j).backSubstitute(current, state.lower(j), state.upper(j), slopes[j], other);
      }
      SymbolicRows swap = current;
      current = other;
      other = swap;
    }
    return out;
  }

  /**
   * Per layer index {@code j}: when layer {@code j} is a ReLU, the bias of its input (the
   * previous layer evaluated at 0, an affine layer's constant term; zeros for a ReLU first);
   * otherwise null. BaBSR's score reads them.
   */
  static List<double[]> biases(Network network) {
    List<double[]> out = new ArrayList<>();
    List<Layer> layers = network.layers();
    for (int j = 0; j < layers.size(); j++) {
      if (!layers.get(j).isRelu()) {
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
}
