package dev.robustspec.engine.relax;

import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import java.util.Arrays;
import java.util.List;

/**
 * Bounds on every value of a network under one input box, shared by the passes of a plan. Index 0
 * is the network input, index {@code k + 1} the output of layer {@code k} (so the pre-activation
 * of a ReLU layer {@code k} is index {@code k}). Bounds only ever tighten: {@link #tighten}
 * intersects.
 */
public final class BoundState {
  private final Network network;
  private final Box input;
  private final double[][] lower;
  private final double[][] upper;
  /**
   * Per layer k: its interval rule has been applied to the bounds at index k as they are now, so
   * applying it again cannot tighten index k + 1 ({@link #intervalApplied}); cleared whenever a
   * bound at index k changes.
   */
  private final boolean[] intervalApplied;
  private List<InputConstraint> inputConstraints = List.of();

  public BoundState(Network network, Box input) {
    if (input.dimension() != network.inputSize()) {
      throw new IllegalArgumentException("box of dimension " + input.dimension()
          + " for a network with " + network.inputSize() + " inputs");
    }
    this.network = network;
    this.input = input;
    int n = network.layers().size() + 1;
    lower = new double[n][];
    upper = new double[n][];
    intervalApplied = new boolean[n - 1];
    lower[0] = input.lower().clone();
    upper[0] = input.upper().clone();
    for (int k = 0; k < network.layers().size(); k++) {
      Layer layer = network.layers().get(k);
      lower[k + 1] = new double[layer.outputSize()];
      upper[k + 1] = new double[layer.outputSize()];
      Arrays.fill(lower[k + 1], Double.NEGATIVE_INFINITY);
      Arrays.fill(upper[k + 1], Double.POSITIVE_INFINITY);
    }
  }

  public Network network() {
    return network;
  }

  public Box input() {
    return input;
  }

  /**
   * General linear constraints every input of this state satisfies besides the box (a VNN-LIB 2
   * polytope): passes that can use them (the LP passes, as rows) do; the others need not.
   */
  public List<InputConstraint> inputConstraints() {
    return inputConstraints;
  }

  /** Declares that every input also satisfies {@code constraints}. */
  public void constrainInputs(List<InputConstraint> constraints) {
    this.inputConstraints = List.copyOf(constraints);
  }

  /** Number of bound vectors: layers + 1. */
  public int size() {
    return lower.length;
  }

  /** Lower bounds at index k (the array itself; read-only for callers). */
  public double[] lower(int k) {
    return lower[k];
  }

  /** Upper bounds at index k (the array itself; read-only for callers). */
  public double[] upper(int k) {
    return upper[k];
  }

  /** Intersects the bounds at index k with the given ones. */
  public void tighten(int k, double[] lo, double[] hi) {
    double[] l = lower[k];
    double[] u = upper[k];
    boolean changed = false;
    for (int i = 0; i < l.length; i++) {
      // NaN compares false: it never enters a bound
      if (lo[i] > l[i]) {
        l[i] = lo[i];
        changed = true;
      }
      if (hi[i] < u[i]) {
        u[i] = hi[i];
        changed = true;
      }
    }
    if (changed) {
      changed(k);
    }
  }

  /**
   * Intersects every bound with {@code other}'s, which must bound the same network on a box
   * containing this one (a parent box in branch and bound): its bounds hold here too. Where the
   * bounds at index k end equal to {@code other}'s and {@code other} had applied layer k's
   * interval rule to them, so has this state: its bounds at index k + 1 are within
   * {@code other}'s, which are within that rule's result.
   */
  public void tighten(BoundState other) {
    if (other.network != network) {
      throw new IllegalArgumentException("bounds of another network");
    }
    for (int k = 0; k < lower.length; k++) {
      tighten(k, other.lower[k], other.upper[k]);
    }
    for (int k = 0; k < intervalApplied.length; k++) {
      if (!intervalApplied[k] && other.intervalApplied[k]
          && Arrays.equals(lower[k], other.lower[k]) && Arrays.equals(upper[k], other.upper[k])) {
        intervalApplied[k] = true;
      }
    }
  }

  /** Tightens neuron i at index k. */
  public void tighten(int k, int i, double lo, double hi) {
    if (lo > lower[k][i]) {
      lower[k][i] = lo;
      changed(k);
    }
    if (hi < upper[k][i]) {
      upper[k][i] = hi;
      changed(k);
    }
  }

  private void changed(int k) {
    if (k < intervalApplied.length) {
      intervalApplied[k] = false;
    }
  }

  /**
   * True when layer k's interval rule was applied to the bounds at index k as they are now
   * ({@link #markIntervalApplied}): the rule is a function of those bounds alone, and bounds
   * only tighten, so applying it again would leave every bound as it is.
   */
  public boolean intervalApplied(int k) {
    return intervalApplied[k];
  }

  /** Records that layer k's interval rule has just tightened index k + 1 from index k. */
  public void markIntervalApplied(int k) {
    intervalApplied[k] = true;
  }

  /**
   * True when some value's lower bound exceeds its upper bound: no input of the box reaches this
   * point, which can only be proven when the box itself is empty.
   */
  public boolean isInfeasible() {
    for (int k = 0; k < lower.length; k++) {
      for (int i = 0; i < lower[k].length; i++) {
        if (lower[k][i] > upper[k][i]) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The unstable neurons of the layers with lower slopes (for a ReLU layer, its inputs whose
   * interval contains 0 inside): the ones whose relaxation α-CROWN can optimise.
   */
  public int unstableCount() {
    int count = 0;
    List<Layer> layers = network.layers();
    for (int k = 0; k < layers.size(); k++) {
      Layer layer = layers.get(k);
      if (layer.lowerSlopeCount() == 0) {
        continue;
      }
      for (int i = 0; i < layer.relaxedInputCount(); i++) {
        if (lower[k][i] < 0 && upper[k][i] > 0) {
          count++;
        }
      }
    }
    return count;
  }
}
