package dev.robustspec.engine.relax;

import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.verify.Budget;

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
      nonlinearSeen |= layer instanceof ReluLayer;
      boolean preActivation = k + 1 < layers && net.layers().get(k + 1) instanceof ReluLayer;
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
   * Refines the bounds at {@code index} of the selected neurons by back-substitution. Unless all
   * neurons are wanted, a neuron's rows stop early at any ReLU layer where the bounds already
   * there prove it stable (GPUPoly's early termination, Müller et al., MLSys 2021): its
   * relaxation is then exact, so going on to the input would change no later bound.
   */
  private void refine(BoundState state, int index, Workspace ws, Budget budget) {
    double[] lo = state.lower(index);
    double[] hi = state.upper(index);
    int n = lo.length;
    int[] selected = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (allNeurons || (lo[i] < 0 && hi[i] > 0)) {
        selected[count++] = i;
      }
    }
    if (count == 0) {
      return;
    }
    // row 2p: lower bound of z_i; row 2p+1: lower bound of -z_i (the upper bound negated), for
    // i = selected[pair[p]]
    ws.start.reset(2 * count, n);
    double[] c = ws.start.coef();
    int[] pair = new int[count];
    for (int s = 0; s < count; s++) {
      c[(2 * s) * n + selected[s]] = 1;
      c[(2 * s + 1) * n + selected[s]] = -1;
      pair[s] = s;
    }
    double[] best = new double[2 * count];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    Network net = state.network();
    SymbolicRows current = ws.start;
    int live = count;
    for (int j = index - 1; j >= 0 && live > 0; j--) {
      budget.check();
      SymbolicRows next = current == ws.a ? ws.b : ws.a;
      net.layers().get(j).backSubstitute(current, state.lower(j), state.upper(j), next);
      current = next;
      if (j == 0) {
        double[] v = current.concretise(state.lower(0), state.upper(0));
        for (int p = 0; p < live; p++) {
          best[2 * pair[p]] = Math.max(best[2 * pair[p]], v[2 * p]);
          best[2 * pair[p] + 1] = Math.max(best[2 * pair[p] + 1], v[2 * p + 1]);
        }
      } else if (!allNeurons && net.layers().get(j) instanceof ReluLayer) {
        double[] v = current.concretise(state.lower(j), state.upper(j));
        int kept = 0;
        int[] keep = new int[2 * live];
        for (int p = 0; p < live; p++) {
          best[2 * pair[p]] = Math.max(best[2 * pair[p]], v[2 * p]);
          best[2 * pair[p] + 1] = Math.max(best[2 * pair[p] + 1], v[2 * p + 1]);
          boolean stable = v[2 * p] >= 0 || v[2 * p + 1] >= 0;
          if (!stable) {
            pair[kept / 2] = pair[p];
            keep[kept++] = 2 * p;
            keep[kept++] = 2 * p + 1;
          }
        }
        if (kept < 2 * live) {
          current.keepRows(keep, kept);
          live = kept / 2;
        }
      }
    }
    for (int s = 0; s < count; s++) {
      state.tighten(index, selected[s], best[2 * s], -best[2 * s + 1]);
    }
  }

  /** Back-substitutes {@code ws.start} (rows over values at {@code index}) to the input box. */
  private static SymbolicRows backSubstitute(BoundState state, int index, Workspace ws,
      Budget budget) {
    Network net = state.network();
    SymbolicRows current = ws.start;
    for (int j = index - 1; j >= 0; j--) {
      budget.check();
      SymbolicRows next = current == ws.a ? ws.b : ws.a;
      net.layers().get(j).backSubstitute(current, state.lower(j), state.upper(j), next);
      current = next;
    }
    return current;
  }

  /** Buffers reused across the layers of one run. */
  private static final class Workspace {
    final SymbolicRows start = new SymbolicRows();
    final SymbolicRows a = new SymbolicRows();
    final SymbolicRows b = new SymbolicRows();
  }
}
