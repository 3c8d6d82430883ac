package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.base.Budget;

/**
 * DeepPoly / CROWN: symbolic linear bounds back-substituted to the input.
 *
 * <p>Requires: any network whose layers have a back-substitution rule (all of ours). Returns:
 * tightened pre-activation bounds of every ReLU layer and of the output, and a lower bound of
 * each objective. Method: layer by layer, the interval rule first (cheap, and it decides which
 * neurons are stable); then, for the neurons still unstable, their lower and upper bounds as
 * linear functions back-substituted through every earlier layer to the input box, each ReLU
 * relaxed by {@link ReluLayer}'s area-minimising rule. Objectives are back-substituted the same
 * way, never composed from output bounds. Stable neurons keep their interval bounds: their
 * relaxation is exact whatever the bounds, so refining them changes no later bound (set
 * {@code allNeurons} to refine them anyway, for bound tables). Soundness: sound, incomplete; every
 * step's rounding error goes into a rigorous slack (see {@link SymbolicRows}, {@link Rounding}).
 * Reference: Singh et al., "An Abstract Domain for Certifying Neural Networks", POPL 2019;
 * identical bounds to CROWN (Zhang et al., NeurIPS 2018) with the same lower-slope rule.
 */
public final class DeepPolyPass implements RelaxationPass {
  private final boolean allNeurons;
  private final boolean objectivesOnly;

  /**
   * @param allNeurons refine stable neurons' bounds too (for bound tables; no effect on verdicts)
   * @param objectivesOnly refine no intermediate bound: only the interval rule runs layer by
   *     layer (it can only tighten), then the objectives are back-substituted over the bounds
   *     already in the state, e.g. left there by {@link SymbolicIntervalPass}, at the cost of one
   *     back-substitution of the objective rows instead of two rows per unstable neuron
   */
  public DeepPolyPass(boolean allNeurons, boolean objectivesOnly) {
    this.allNeurons = allNeurons;
    this.objectivesOnly = objectivesOnly;
  }

  /** @param allNeurons refine stable neurons' bounds too (for bound tables; no effect on verdicts) */
  public DeepPolyPass(boolean allNeurons) {
    this(allNeurons, false);
  }

  public DeepPolyPass() {
    this(false, false);
  }

  /** Back-substitutes the objectives only, over intermediate bounds already in the state. */
  public static DeepPolyPass objectivesOnly() {
    return new DeepPolyPass(false, true);
  }

  @Override
  public String name() {
    return "deeppoly";
  }

  @Override
  public double[] run(BoundState state, double[][] objectives, Budget budget) {
    return run(state, objectives, null, budget);
  }

  /**
   * Like {@link #run(BoundState, double[][], Budget)}, and also fills {@code inputCoefficients}
   * (when not null; one row of length {@code inputSize} per objective) with the coefficients over
   * the network input of each objective's back-substituted linear lower bound: the sensitivity
   * of the bound to each input, for branching heuristics (ReluVal's smear). The returned bounds
   * are the same as {@code run}'s.
   */
  public double[] run(BoundState state, double[][] objectives, double[][] inputCoefficients,
      Budget budget) {
    Network net = state.network();
    int layers = net.layers().size();
    Workspace ws = new Workspace();
    boolean nonlinearSeen = false;
    for (int k = 0; k < layers; k++) {
      budget.check();
      IntervalPass.propagateLayer(state, k);
      Layer layer = net.layers().get(k);
      nonlinearSeen |= layer.isActivation();
      boolean preActivation = k + 1 < layers && net.layers().get(k + 1).isActivation();
      // before the first ReLU the net is affine and the interval rule is already exact
      if (preActivation && nonlinearSeen && !objectivesOnly) {
        refine(state, k + 1, ws, budget);
      }
    }
    if (nonlinearSeen && !objectivesOnly) {
      refine(state, layers, ws, budget);
    }
    int n = net.outputSize();
    ws.start.reset(objectives.length, n);
    for (int r = 0; r < objectives.length; r++) {
      System.arraycopy(objectives[r], 0, ws.start.coef(), r * n, n);
    }
    SymbolicRows rows = backSubstitute(state, layers, ws, budget);
    double[] symbolic = rows.concretise(state.lower(0), state.upper(0));
    if (inputCoefficients != null) {
      int w = rows.width();
      for (int r = 0; r < objectives.length; r++) {
        System.arraycopy(rows.coef(), r * w, inputCoefficients[r], 0, w);
      }
    }
    // Back-substitution is not always tighter than the output box (the lower line of an unstable
    // ReLU can dip below 0): both are sound, keep the better of the two.
    double[] boxed = IntervalPass.bound(objectives, state.lower(layers), state.upper(layers));
    for (int r = 0; r < symbolic.length; r++) {
      symbolic[r] = Math.max(symbolic[r], boxed[r]);
    }
    return symbolic;
  }

  /**
   * Refines the bounds at {@code index} by back-substitution: every neuron's when all are
   * wanted, otherwise only the unstable ones', upper bounds first. A row stops early at any ReLU
   * layer where the bounds already there prove its neuron stable (GPUPoly's early termination,
   * Müller et al., MLSys 2021): its relaxation is then exact, so going on to the input would
   * change no later bound.
   */
  private void refine(BoundState state, int index, Workspace ws, Budget budget) {
    double[] lo = state.lower(index);
    double[] hi = state.upper(index);
    int n = lo.length;
    if (allNeurons) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      double[] lower = bound(state, index, all, n, 1, ws, budget);
      double[] upper = bound(state, index, all, n, -1, ws, budget);
      for (int i = 0; i < n; i++) {
        state.tighten(index, i, lower[i], -upper[i]);
      }
      return;
    }
    // Upper bounds first: on real nets most unstable-looking neurons turn out inactive, and an
    // inactive neuron needs no lower bound at all. Values a lowered graph carries past the
    // activation (network.CarryLayer) are not relaxed there: their bounds change nothing.
    Network net = state.network();
    int relaxed = index < net.layers().size() ? net.layers().get(index).relaxedInputCount() : n;
    for (int sign : new int[] {-1, 1}) {
      int[] selected = new int[n];
      int count = 0;
      for (int i = 0; i < relaxed; i++) {
        if (lo[i] < 0 && hi[i] > 0) {
          selected[count++] = i;
        }
      }
      if (count == 0) {
        return;
      }
      double[] b = bound(state, index, selected, count, sign, ws, budget);
      for (int s = 0; s < count; s++) {
        if (sign > 0) {
          state.tighten(index, selected[s], b[s], Double.POSITIVE_INFINITY);
        } else {
          state.tighten(index, selected[s], Double.NEGATIVE_INFINITY, -b[s]);
        }
      }
    }
  }

  /**
   * Lower bounds of {@code sign * z_i} for the {@code count} neurons {@code selected} at
   * {@code index}, by back-substitution to the input. Unless all neurons are wanted, a row stops
   * at the first ReLU layer where the bounds there already show {@code sign * z_i >= 0} (the
   * neuron is then stable: active for sign 1, inactive for sign -1), keeping that bound.
   */
  private double[] bound(BoundState state, int index, int[] selected, int count, int sign,
      Workspace ws, Budget budget) {
    int widest = 1;
    for (int j = 0; j <= index; j++) {
      widest = Math.max(widest, state.lower(j).length);
    }
    int chunk = (int) Math.max(1, Math.min(count, MAX_ROW_CELLS / widest));
    if (chunk >= count) {
      return boundChunk(state, index, selected, count, sign, ws, budget);
    }
    // rows x widest layer doubles per workspace matrix: a conv net's layer of 10^4-10^5 neurons
    // would need gigabytes at once, so its rows go back in slices (the bounds are the same)
    double[] best = new double[count];
    for (int from = 0; from < count; from += chunk) {
      int size = Math.min(chunk, count - from);
      double[] part = boundChunk(state, index,
          java.util.Arrays.copyOfRange(selected, from, from + size), size, sign, ws, budget);
      System.arraycopy(part, 0, best, from, size);
    }
    return best;
  }

  private double[] boundChunk(BoundState state, int index, int[] selected, int count, int sign,
      Workspace ws, Budget budget) {
    int n = state.lower(index).length;
    ws.start.reset(count, n);
    double[] c = ws.start.coef();
    int[] row = new int[count]; // live row r holds neuron selected[row[r]]
    for (int s = 0; s < count; s++) {
      c[s * n + selected[s]] = sign;
      row[s] = s;
    }
    double[] best = new double[count];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    Network net = state.network();
    SymbolicRows current = ws.start;
    int live = count;
    for (int j = index - 1; j >= 0 && live > 0; j--) {
      budget.check();
      current = substitute(net.layers().get(j), current, state.lower(j), state.upper(j), ws);
      boolean last = j == 0;
      if (!last && (allNeurons || !net.layers().get(j).isActivation())) {
        continue;
      }
      double[] v = current.concretise(state.lower(j), state.upper(j));
      int kept = 0;
      int[] keep = new int[live];
      for (int r = 0; r < live; r++) {
        best[row[r]] = Math.max(best[row[r]], v[r]);
        if (!last && v[r] < 0) {
          row[kept] = row[r];
          keep[kept++] = r;
        }
      }
      if (!last && kept < live) {
        current.keepRows(keep, kept);
        live = kept;
      }
    }
    return best;
  }

  /**
   * Rigorous lower bounds of {@code c . z} for each row c over the values z at bound index
   * {@code index}, by back-substitution to the input over the relaxations the state's bounds
   * define (kept no looser than the box bound at that index). Used for joint bounds of groups of
   * neurons (the k-ReLU pass's octahedral constraints).
   */
  public static double[] boundRows(BoundState state, int index, double[][] rows, Budget budget) {
    Workspace ws = new Workspace();
    int n = state.lower(index).length;
    ws.start.reset(rows.length, n);
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, ws.start.coef(), r * n, n);
    }
    double[] symbolic = backSubstitute(state, index, ws, budget)
        .concretise(state.lower(0), state.upper(0));
    double[] boxed = IntervalPass.bound(rows, state.lower(index), state.upper(index));
    for (int r = 0; r < rows.length; r++) {
      symbolic[r] = Math.max(symbolic[r], boxed[r]);
    }
    return symbolic;
  }

  /** Back-substitutes {@code ws.start} (rows over values at {@code index}) to the input box. */
  private static SymbolicRows backSubstitute(BoundState state, int index, Workspace ws,
      Budget budget) {
    Network net = state.network();
    SymbolicRows current = ws.start;
    for (int j = index - 1; j >= 0; j--) {
      budget.check();
      current = substitute(net.layers().get(j), current, state.lower(j), state.upper(j), ws);
    }
    return current;
  }

  /**
   * {@code current} rewritten over the input of {@code layer}, in the workspace batch it does not
   * occupy. A shape-only layer (a flatten) passes the flat vector unchanged, so rows over its
   * output already are rows over its input: they stay where they are, not copied (on MNIST-FC
   * that copy was megabytes per run, the leading flatten).
   */
  private static SymbolicRows substitute(Layer layer, SymbolicRows current, double[] lower,
      double[] upper, Workspace ws) {
    if (layer.isShapeOnly()) {
      return current;
    }
    SymbolicRows next = current == ws.a ? ws.b : ws.a;
    layer.backSubstitute(current, lower, upper, next);
    return next;
  }

  /** Doubles per workspace matrix above which refinement rows are back-substituted in slices. */
  private static final long MAX_ROW_CELLS = 1L << 24;

  /** Buffers reused across the layers of one run. */
  private static final class Workspace {
    final SymbolicRows start = new SymbolicRows();
    final SymbolicRows a = new SymbolicRows();
    final SymbolicRows b = new SymbolicRows();
  }
}
