package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.base.Budget;
import java.util.List;

/**
 * α-CROWN: DeepPoly/CROWN with the lower slope of every unstable ReLU optimised per objective.
 *
 * <p>Requires: any network DeepPoly handles. Returns: the DeepPoly-tightened state (this pass
 * runs {@link DeepPolyPass} first) and, for each objective, a lower bound at least DeepPoly's.
 * Method: the lower line {@code y >= alpha x} of an unstable ReLU is valid for every alpha in
 * [0, 1]; the back-substituted bound is a concave-in-pieces function of the slopes, and its
 * gradient with respect to them comes from one forward sweep over the stored coefficient rows
 * (each layer's {@link Layer#slopeGradientStep}, the adjoint of its back-substitution; see
 * {@link AlphaGradient}). Which slopes a layer has is its own rule
 * ({@link Layer#lowerSlopeCount}). Slopes start at DeepPoly's area rule
 * ({@link Layer#initialLowerSlopes}), take {@code iterations}
 * Adam steps of projected gradient ascent (projection: clip to [0, 1]) with the learning rate
 * decayed by {@code decay} per step, each objective with its own slopes (auto_LiRPA's defaults:
 * Adam, lr 0.5, decay 0.98, keep the best iterate). With {@code intermediateIterations} 0 the
 * intermediate bounds stay DeepPoly's (only the objectives' slopes are optimised); above 0, the
 * pre-activation bounds of every ReLU layer are first optimised the same way, layer by layer,
 * each unstable neuron's upper and lower bound with slopes of its own
 * ({@link IntermediateCuts} without cuts), and DeepPoly is re-run over the tightened state. Soundness:
 * sound, incomplete. Every iterate is evaluated by the rigorous back-substitution of the layers
 * ({@link Layer#backSubstitute(SymbolicRows, double[], double[], double[], SymbolicRows)},
 * rounding in the slack), so the best one reported is a rigorous bound whatever the
 * optimiser's arithmetic; the result is also never below DeepPoly's or the output box's bound.
 * Reference: Xu et al., "Fast and Complete: Enabling Complete Neural Network Verification with
 * Rapid and Massively Parallel Incomplete Verifiers", ICLR 2021 (https://arxiv.org/abs/2011.13824).
 */
public final class AlphaPass implements RelaxationPass {

  /**
   * @param iterations gradient steps per call (0: DeepPoly's slopes only)
   * @param learningRate Adam's initial step size on the slopes
   * @param decay factor applied to the step size after each step (exponential schedule)
   * @param intermediateIterations gradient steps per batch of intermediate-bound rows (0: the
   *     intermediate bounds stay DeepPoly's)
   * @param intermediateShare most of the time left when the pass starts that the intermediate
   *     bounds may use (1: all); at its end they keep what was tightened so far (the earlier
   *     layers, which matter most, and the batch of neurons under way, evaluated once with its
   *     best slopes) and the objectives are bounded over them
   */
  public record Options(int iterations, double learningRate, double decay,
      int intermediateIterations, double intermediateShare) {
    public Options {
      if (iterations < 0 || !(learningRate > 0) || !(decay > 0 && decay <= 1)
          || intermediateIterations < 0
          || !(intermediateShare > 0 && intermediateShare <= 1)) {
        throw new IllegalArgumentException("alpha options out of range: " + iterations + ", "
            + learningRate + ", " + decay + ", " + intermediateIterations + ", "
            + intermediateShare);
      }
    }

    /** The objectives' slopes only: intermediate bounds stay DeepPoly's. */
    public Options(int iterations, double learningRate, double decay) {
      this(iterations, learningRate, decay, 0, 1.0);
    }

    /** Intermediate bounds optimised too, with all the time they need. */
    public Options(int iterations, double learningRate, double decay,
        int intermediateIterations) {
      this(iterations, learningRate, decay, intermediateIterations, 1.0);
    }

    public static Options defaults() {
      return new Options(20, 0.5, 0.98);
    }
  }

  /** Split decision of one neuron for {@link #bound}: its pre-activation's sign is fixed. */
  public static final int ACTIVE = 1;
  public static final int INACTIVE = -1;

  private final Options options;

  public AlphaPass(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  @Override
  public String name() {
    return "alpha";
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    return bound(state, objectives, null, budget);
  }

  /**
   * The bounding step of a ReLU-splitting branch and bound: fixes the split neurons, runs
   * DeepPoly on the state (which must be the subproblem's own state: it is tightened), then
   * optimises the slopes.
   *
   * @param splits null, or per bound index {@code k} ({@code splits.length == state.size()})
   *     null or one entry per neuron at index k: {@link #ACTIVE} ({@code z >= 0}),
   *     {@link #INACTIVE} ({@code z <= 0}) or 0 (free). A split is enforced through the bounds
   *     of its neuron (so the relaxation treats it as stable), not by β multipliers: the bound
   *     holds on the part of the box where every split holds. When the splits contradict the
   *     bounds, {@link BoundState#isInfeasible()} turns true: the part is empty, which the
   *     caller checks (every value bounds the minimum over an empty part).
   */
  public double[] bound(BoundState state, double[][] objectives, int[][] splits, Budget budget) {
    if (splits != null) {
      for (int k = 0; k < splits.length; k++) {
        if (splits[k] == null) {
          continue;
        }
        for (int i = 0; i < splits[k].length; i++) {
          if (splits[k][i] == ACTIVE) {
            state.tighten(k, i, 0.0, Double.POSITIVE_INFINITY);
          } else if (splits[k][i] == INACTIVE) {
            state.tighten(k, i, Double.NEGATIVE_INFINITY, 0.0);
          }
        }
      }
    }
    double[] best = new DeepPolyPass().run(state, objectives, budget);
    if (options.intermediateIterations() > 0 && !state.isInfeasible()) {
      tightenIntermediate(state, budget);
      // DeepPoly again over the tightened bounds: the later layers' rows and the objectives
      double[] again = new DeepPolyPass().run(state, objectives, budget);
      for (int r = 0; r < best.length; r++) {
        best[r] = Math.max(best[r], again[r]);
      }
    }
    if (objectives.length == 0 || options.iterations() == 0) {
      return best;
    }
    AlphaGradient chain = new AlphaGradient(state, objectives);
    double[][] slopes = chain.initialSlopes();
    double[][] bestSlopes = copy(slopes);
    double[] bestValue = chain.evaluate(slopes, budget);
    Adam adam = new Adam(slopes, options.learningRate(), 0.0, 1.0);
    for (int it = 0; it < options.iterations(); it++) {
      budget.check();
      double[][] gradient = chain.gradient(slopes);
      adam.ascend(slopes, gradient);
      double[] value = chain.evaluate(slopes, budget);
      for (int r = 0; r < value.length; r++) {
        if (value[r] > bestValue[r]) {
          bestValue[r] = value[r];
          chain.copyRow(slopes, bestSlopes, r);
        }
      }
      adam.decay(options.decay());
    }
    // Each value above came from the rigorous chain; re-evaluating the best slopes in one batch
    // gives the reported bounds from exactly the slopes kept.
    double[] rigorous = chain.evaluate(bestSlopes, budget);
    for (int r = 0; r < best.length; r++) {
      best[r] = Math.max(best[r], rigorous[r]);
    }
    return best;
  }

  /**
   * The intermediate bounds within their share of the time left (its end is not the pass's):
   * {@link IntermediateCuts} with no multi-neuron cut, i.e. slopes only.
   */
  private void tightenIntermediate(BoundState state, Budget budget) {
    IntermediateCuts slopesOnly = new IntermediateCuts((s, index, b) -> List.of(),
        new IntermediateCuts.Options(options.intermediateIterations(), options.learningRate(),
            1.0, options.decay())); // the cut step size is unused: there is no cut
    Budget share = budget.share(options.intermediateShare());
    slopesOnly.tighten(state, share::isExhausted, budget); // the batch under way is kept
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
