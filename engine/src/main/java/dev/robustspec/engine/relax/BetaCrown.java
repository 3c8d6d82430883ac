package dev.robustspec.engine.relax;

import dev.robustspec.engine.base.Budget;
import java.util.List;

/**
 * β-CROWN: the α-CROWN bound of a ReLU-splitting sub-problem with its split constraints in the
 * objective, each through a multiplier optimised with the slopes.
 *
 * <p>Requires: a state whose bounds already hold on the sub-problem (the split neurons' intervals
 * cut by their decisions, intermediate bounds tightened, e.g. by {@link DeepPolyPass}); the
 * splits of the sub-problem. Returns: per objective a rigorous lower bound over the inputs of the
 * box where every split holds, the slopes and multipliers that gave it (a child's warm start) and
 * the coefficients over the input of the bound's linear function (where the relaxation puts the
 * minimum).
 *
 * <p>Method (Wang et al., "Beta-CROWN: Efficient Bound Propagation with Per-neuron Split
 * Constraints for Neural Network Robustness Verification", NeurIPS 2021, eq. 7 and 9): a split
 * {@code z >= 0} (or {@code z <= 0}) enters the Lagrangian as {@code -beta z} ({@code +beta z})
 * with {@code beta >= 0}; for every such multiplier, and every lower slope in [0, 1] of the
 * unstable ReLUs, back-substitution gives a lower bound of {@code objective + sum sign beta z},
 * which is at most the objective wherever the splits hold. The bound is concave in the
 * multipliers; slopes and multipliers take {@code iterations} projected Adam steps of gradient
 * ascent ({@link AlphaGradient}; slopes clipped to [0, 1], multipliers to [0, ∞)), starting from
 * the parent's (new splits at 0), as α,β-CROWN warm-starts its sub-domains. Intermediate bounds
 * stay the state's (only the objective rows are optimised). Soundness: sound, incomplete alone
 * (complete inside branch and bound). Every iterate is evaluated by the layers' rigorous
 * back-substitution with outward rounding, and the reported bounds are recomputed once more from
 * exactly the slopes and multipliers kept; the optimiser's own arithmetic never reaches a bound
 * (see {@link AlphaGradient#evaluate(double[][], double[][], Budget)} for why a rounded
 * multiplier keeps the bound valid).
 */
public final class BetaCrown {

  /** A split decision: the neuron {@code neuron} at bound index {@code index} (a ReLU input). */
  public record Split(int index, int neuron, boolean active) {}

  /**
   * @param iterations gradient steps per sub-problem (0: one rigorous evaluation of the warm
   *     start)
   * @param alphaRate Adam's initial step on the slopes
   * @param betaRate Adam's initial step on the multipliers
   * @param decay factor applied to both steps after each step
   */
  public record Options(int iterations, double alphaRate, double betaRate, double decay) {
    public Options {
      if (iterations < 0 || !(alphaRate > 0) || !(betaRate > 0) || !(decay > 0 && decay <= 1)) {
        throw new IllegalArgumentException("beta-crown options out of range: " + iterations
            + ", " + alphaRate + ", " + betaRate + ", " + decay);
      }
    }

    /** α,β-CROWN's defaults for sub-domains (a warm start needs few steps). */
    public static Options defaults() {
      return new Options(10, 0.1, 0.05, 0.98);
    }
  }

  /**
   * @param lower per objective, a rigorous lower bound over the sub-problem
   * @param inputCoefficients per objective, the bound's coefficients over the network input
   * @param slopes per layer, {@code objectives x lowerSlopeCount} slopes kept (row-major)
   * @param betas per objective, one multiplier per split (in the order of the splits)
   * @param gammas per objective, one multiplier per cut (in the order of the cuts)
   */
  public record Result(double[] lower, double[][] inputCoefficients, double[][] slopes,
      double[][] betas, double[][] gammas) {}

  private BetaCrown() {}

  /**
   * Optimises slopes and multipliers for {@code objectives} over {@code state} with
   * {@code splits}, from {@code slopes} (null: DeepPoly's choice) and {@code betas} (null, or per
   * objective the multipliers of a prefix of {@code splits}; the rest start at 0).
   */
  public static Result optimise(BoundState state, double[][] objectives, List<Split> splits,
      double[][] slopes, double[][] betas, Options options, Budget budget) {
    return optimise(state, objectives, splits, List.of(), slopes, betas, null, options, budget);
  }

  /**
   * As above, with multi-neuron constraints too (MN-BaB, Ferrari et al., "Complete Verification
   * via Multi-Neuron Relaxation Guided Branch-and-Bound", ICLR 2022): each cut
   * {@code alpha . x + beta . y <= rhs}, valid on the whole sub-problem, enters the Lagrangian
   * as {@code gamma (alpha . x + beta . y - rhs)} with {@code gamma >= 0}, optimised with the
   * slopes and split multipliers, from {@code gammas} (null, or per objective the multipliers of
   * a prefix of {@code cuts}; the rest start at 0). With every {@code gamma} at 0 the bound is
   * β-CROWN's, and the best iterate is kept, so cuts never loosen it.
   */
  public static Result optimise(BoundState state, double[][] objectives, List<Split> splits,
      List<NeuronCut> cuts, double[][] slopes, double[][] betas, double[][] gammas,
      Options options, Budget budget) {
    AlphaGradient chain = new AlphaGradient(state, objectives, splits, cuts);
    double[][] alpha = slopes == null ? chain.initialSlopes() : copy(slopes);
    double[][] beta = paddedBetas(betas, objectives.length, splits.size());
    double[][] gamma = paddedBetas(gammas, objectives.length, cuts.size());
    boolean withCuts = !cuts.isEmpty();
    double[][] bestAlpha = copy(alpha);
    double[][] bestBeta = copy(beta);
    double[][] bestGamma = copy(gamma);
    double[] bestValue = chain.evaluate(alpha, beta, withCuts ? gamma : null, budget);
    if (options.iterations() > 0) {
      Adam alphaAdam = new Adam(alpha, options.alphaRate(), 0.0, 1.0);
      Adam betaAdam = new Adam(beta, options.betaRate(), 0.0, Double.POSITIVE_INFINITY);
      Adam gammaAdam = new Adam(gamma, options.betaRate(), 0.0, Double.POSITIVE_INFINITY);
      double[][] betaGradient = new double[objectives.length][splits.size()];
      double[][] gammaGradient = new double[objectives.length][cuts.size()];
      for (int it = 0; it < options.iterations(); it++) {
        budget.check();
        double[][] alphaGradient = chain.gradient(alpha, betaGradient,
            withCuts ? gammaGradient : null);
        alphaAdam.ascend(alpha, alphaGradient);
        betaAdam.ascend(beta, betaGradient);
        if (withCuts) {
          gammaAdam.ascend(gamma, gammaGradient);
        }
        double[] value = chain.evaluate(alpha, beta, withCuts ? gamma : null, budget);
        for (int r = 0; r < value.length; r++) {
          if (value[r] > bestValue[r]) {
            bestValue[r] = value[r];
            chain.copyRow(alpha, bestAlpha, r);
            bestBeta[r] = beta[r].clone();
            bestGamma[r] = gamma[r].clone();
          }
        }
        alphaAdam.decay(options.decay());
        betaAdam.decay(options.decay());
        gammaAdam.decay(options.decay());
      }
    }
    // the reported bounds: one more rigorous evaluation from exactly the parameters kept
    double[] lower = chain.evaluate(bestAlpha, bestBeta, withCuts ? bestGamma : null, budget);
    double[][] coefficients = new double[objectives.length][];
    for (int r = 0; r < objectives.length; r++) {
      coefficients[r] = chain.inputRow(r);
    }
    return new Result(lower, coefficients, bestAlpha, bestBeta, bestGamma);
  }

  private static double[][] paddedBetas(double[][] betas, int rows, int count) {
    double[][] out = new double[rows][count];
    if (betas != null) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(betas[r], 0, out[r], 0, Math.min(count, betas[r].length));
      }
    }
    return out;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
