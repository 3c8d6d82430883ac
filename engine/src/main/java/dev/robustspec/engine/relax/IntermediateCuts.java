package dev.robustspec.engine.relax;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Optimised intermediate bounds, with multi-neuron constraints or without: layer by layer,
 * every unstable neuron's upper and lower pre-activation bound is an objective of its own,
 * optimised over the lower slopes of the ReLUs below it and one multiplier per multi-neuron cut
 * of those ReLU layers (the k-ReLU hull facets of {@code lp.KReluPass#cuts}, made over the bounds
 * already tightened there).
 *
 * <p>Without cuts (a source that gives none) this is α-CROWN's optimised intermediate bounds,
 * {@code alpha(interm = n)} (Xu et al., ICLR 2021, §3.1: every intermediate bound is itself an
 * α-CROWN bound with slopes of its own; auto_LiRPA optimises them jointly through the final
 * objective, here each is optimised for itself, which needs no gradient through the
 * relaxation's dependence on the bounds).
 *
 * <p>Method with cuts: the dual form of the LP with the cuts, as MN-BaB bounds with multi-neuron
 * constraints (Ferrari et al., ICLR 2022; PRIMA's constraints, Müller et al., POPL 2022): each
 * cut {@code alpha . x + beta . y <= rhs} enters the back-substituted row as
 * {@code gamma (alpha . x + beta . y - rhs)} with {@code gamma >= 0}, and slopes and multipliers
 * take projected Adam steps ({@link AlphaGradient}, as {@link BetaCrown} with no split), from
 * DeepPoly's slopes and no cut. At the optimum this is the LP's bound with every cut, which the
 * {@code krelu(tighten = 1)} LPs reach one neuron at a time with a simplex solve per cutting
 * round; here all the unstable neurons of a layer share one batched chain. For each bound index
 * {@code k} of a ReLU's input after the first ReLU layer (before it the chain is affine), from
 * the first layer up: the rows {@code -e_i} (upper bounds first) and then {@code e_i} of the
 * neurons still unstable, with the cuts of every ReLU layer below {@code k}; after index
 * {@code k} is tightened, its layer's cuts are made over the new bounds for the layers above.
 * The rows a first evaluation proves stable drop out, and a batch stops once every row is
 * stable.
 *
 * <p>Soundness: every value tightened into the state is the rigorous back-substitution with
 * outward rounding ({@link AlphaGradient#evaluate(double[][], double[][], double[][], Budget)},
 * whose slack covers the rounded cut terms) of exactly the slopes and multipliers kept; any
 * slope in [0, 1] and any multiplier {@code >= 0} gives a lower bound, and every cut is valid on
 * the state's region (made over bounds that hold there; tighter bounds later keep it valid), so
 * the optimiser's arithmetic never reaches a bound. {@link BoundState#tighten} intersects.
 *
 * <p>Stopping: a caller that gives the tightening part of its time passes a stop condition
 * besides the budget. Once it holds, the batch under way ends its steps and its best parameters
 * are evaluated (under the budget) and tightened in, and no further batch or layer starts: what
 * the steps so far earned is kept, where a deadline inside the steps would lose the batch.
 */
public final class IntermediateCuts {
  /** Most doubles a batch keeps per row set (coefficients and multipliers): 64 MB. */
  static final long MAX_BATCH_CELLS = 1L << 23;

  /** The multi-neuron cuts of one ReLU layer over the state's current bounds. */
  @FunctionalInterface
  public interface CutSource {
    /** Cuts of the ReLU layer whose input is at bound index {@code index}. */
    List<NeuronCut> layer(BoundState state, int index, Budget budget);
  }

  /**
   * @param iterations projected Adam steps per batch of rows
   * @param alphaRate Adam's initial step on the slopes (in [0, 1])
   * @param gammaRate Adam's initial step on the cut multipliers
   * @param decay factor on both steps after each step
   */
  public record Options(int iterations, double alphaRate, double gammaRate, double decay) {
    public Options {
      if (iterations < 0 || !(alphaRate > 0) || !(gammaRate > 0) || !(decay > 0 && decay <= 1)) {
        throw new IllegalArgumentException("intermediate cut options out of range");
      }
    }
  }

  private final CutSource source;
  private final Options options;

  public IntermediateCuts(CutSource source, Options options) {
    this.source = source;
    this.options = options;
  }

  /**
   * Tightens the pre-activation bounds of every ReLU layer after the first one and returns the
   * cuts of every ReLU layer, made over the bounds as tightened (for the objectives' bound).
   */
  public List<NeuronCut> tighten(BoundState state, Budget budget) {
    return tighten(state, () -> false, budget);
  }

  /**
   * As {@link #tighten(BoundState, Budget)}, until {@code stop} holds (asked before every batch,
   * every step and every layer's cuts): then the batch under way keeps its best parameters, and
   * the cuts of the layers reached so far are returned (valid on the region all the same).
   */
  public List<NeuronCut> tighten(BoundState state, BooleanSupplier stop, Budget budget) {
    Network net = state.network();
    List<NeuronCut> cuts = new ArrayList<>();
    boolean slopesBelow = false;
    for (int k = 0; k < net.layers().size(); k++) {
      Layer layer = net.layers().get(k);
      if (layer.lowerSlopeCount() == 0) {
        continue;
      }
      if (slopesBelow
          && !tightenIndex(state, k, layer.relaxedInputCount(), List.copyOf(cuts), stop, budget)) {
        break;
      }
      if (layer.isRelu()) {
        if (stop.getAsBoolean()) {
          break;
        }
        cuts.addAll(source.layer(state, k, budget));
      }
      slopesBelow = true;
    }
    return cuts;
  }

  /** False when {@code stop} ended the tightening of index {@code k}. */
  private boolean tightenIndex(BoundState state, int k, int relaxed, List<NeuronCut> cuts,
      BooleanSupplier stop, Budget budget) {
    long cellsPerRow = cuts.size();
    for (int j = 0; j <= k; j++) {
      cellsPerRow += state.lower(j).length;
    }
    int batch = (int) Math.max(1, Math.min(Integer.MAX_VALUE, MAX_BATCH_CELLS / cellsPerRow));
    for (int sign : new int[] {-1, 1}) {
      int[] unstable = unstable(state, k, relaxed);
      for (int from = 0; from < unstable.length; from += batch) {
        budget.check();
        if (stop.getAsBoolean() || !optimise(state, k, Arrays.copyOfRange(unstable, from,
            Math.min(unstable.length, from + batch)), sign, cuts, stop, budget)) {
          return false;
        }
      }
    }
    return true;
  }

  private static int[] unstable(BoundState state, int k, int relaxed) {
    double[] lo = state.lower(k);
    double[] hi = state.upper(k);
    int[] out = new int[relaxed];
    int count = 0;
    for (int i = 0; i < relaxed; i++) {
      if (lo[i] < 0 && hi[i] > 0) {
        out[count++] = i;
      }
    }
    return Arrays.copyOf(out, count);
  }

  /**
   * Optimises the rows {@code sign e_i} at index k and tightens the state with their values;
   * false when {@code stop} ended the steps (the best parameters so far are tightened in).
   */
  private boolean optimise(BoundState state, int k, int[] neurons, int sign,
      List<NeuronCut> cuts, BooleanSupplier stop, Budget budget) {
    AlphaGradient chain = new AlphaGradient(state, k, rows(state, k, neurons, sign), List.of(),
        cuts);
    double[][] alpha = chain.initialSlopes();
    double[][] gamma = new double[neurons.length][cuts.size()];
    double[][] none = new double[neurons.length][0];
    double[] first = chain.evaluate(alpha, none, gamma, budget);
    apply(state, k, neurons, sign, first);
    int open = 0;
    for (double v : first) {
      open += v < 0 ? 1 : 0;
    }
    if (open == 0 || options.iterations() == 0) {
      return true;
    }
    if (open < neurons.length) {
      int[] keep = new int[open];
      int at = 0;
      for (int r = 0; r < neurons.length; r++) {
        if (first[r] < 0) {
          keep[at++] = neurons[r];
        }
      }
      neurons = keep;
      chain = new AlphaGradient(state, k, rows(state, k, neurons, sign), List.of(), cuts);
      alpha = chain.initialSlopes();
      gamma = new double[open][cuts.size()];
      none = new double[open][0];
      first = chain.evaluate(alpha, none, gamma, budget);
    }
    double[][] bestAlpha = copy(alpha);
    double[][] bestGamma = copy(gamma);
    double[] bestValue = first.clone();
    Adam alphaAdam = new Adam(alpha, options.alphaRate(), 0.0, 1.0);
    Adam gammaAdam = new Adam(gamma, options.gammaRate(), 0.0, Double.POSITIVE_INFINITY);
    double[][] gammaGradient = new double[neurons.length][cuts.size()];
    boolean stopped = false;
    for (int it = 0; it < options.iterations(); it++) {
      budget.check();
      if (stop.getAsBoolean()) {
        stopped = true;
        break;
      }
      double[][] alphaGradient = chain.gradient(alpha, none, gammaGradient);
      alphaAdam.ascend(alpha, alphaGradient);
      gammaAdam.ascend(gamma, gammaGradient);
      double[] value = chain.evaluate(alpha, none, gamma, budget);
      boolean allStable = true;
      for (int r = 0; r < value.length; r++) {
        if (value[r] > bestValue[r]) {
          bestValue[r] = value[r];
          chain.copyRow(alpha, bestAlpha, r);
          bestGamma[r] = gamma[r].clone();
        }
        allStable &= bestValue[r] >= 0;
      }
      alphaAdam.decay(options.decay());
      gammaAdam.decay(options.decay());
      if (allStable) {
        break;
      }
    }
    // the values tightened in: one rigorous evaluation of exactly the parameters kept
    apply(state, k, neurons, sign, chain.evaluate(bestAlpha, none, bestGamma, budget));
    return !stopped;
  }

  private static double[][] rows(BoundState state, int k, int[] neurons, int sign) {
    double[][] rows = new double[neurons.length][state.lower(k).length];
    for (int r = 0; r < neurons.length; r++) {
      rows[r][neurons[r]] = sign;
    }
    return rows;
  }

  /** {@code values[r]} is a rigorous lower bound of {@code sign z_{neurons[r]}}. */
  private static void apply(BoundState state, int k, int[] neurons, int sign, double[] values) {
    for (int r = 0; r < neurons.length; r++) {
      if (sign > 0) {
        state.tighten(k, neurons[r], values[r], Double.POSITIVE_INFINITY);
      } else {
        state.tighten(k, neurons[r], Double.NEGATIVE_INFINITY, -values[r]);
      }
    }
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
