package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.base.Budget;

/**
 * The back-substituted lower bound of a batch of objectives as a function of per-objective ReLU
 * lower slopes, and its gradient, for {@link AlphaPass}. The intermediate bounds are the
 * state's, fixed.
 *
 * <p>{@link #evaluate} runs the layers' rigorous back-substitution (so its values are bounds)
 * and keeps the coefficient rows entering every ReLU layer and reaching the input. With
 * {@code g} the derivative of the bound by the coefficients over a layer's input (at the network
 * input, the box corner each coefficient picks: {@code l_j} when it is {@code >= 0}, else
 * {@code u_j}), one step up is: through an affine layer {@code y = W x + b}, whose rule maps
 * {@code a} to {@code a W} and adds {@code a . b} to the constant, the derivative by {@code a} is
 * {@code W g + b}, the layer's own forward evaluation of {@code g}; through a ReLU with
 * coefficient {@code a_i} on an unstable neuron, the lower line {@code alpha_i x} (when
 * {@code a_i >= 0}) gives {@code alpha_i g_i} and contributes {@code a_i g_i} to the slope's
 * gradient, the chord {@code s (x - l)} (when {@code a_i < 0}) gives {@code s g_i - s l_i}.
 * Plain doubles suffice there: the gradient only steers, every reported value is recomputed.
 */
final class AlphaGradient {
  private final BoundState state;
  private final Network net;
  private final double[][] objectives;
  private final int rows;
  /** Per layer j: for a ReLU layer, the rows over its output from the last evaluation. */
  private final double[][] overRelu;
  private double[] overInput;
  private final SymbolicRows start = new SymbolicRows();
  private final SymbolicRows a = new SymbolicRows();
  private final SymbolicRows b = new SymbolicRows();

  AlphaGradient(BoundState state, double[][] objectives) {
    this.state = state;
    this.net = state.network();
    this.objectives = objectives;
    this.rows = objectives.length;
    this.overRelu = new double[net.layers().size()][];
  }

  /** DeepPoly's slopes (1 when {@code u > -l}, else 0) for every row; null for non-ReLU layers. */
  double[][] areaRuleSlopes() {
    double[][] slopes = new double[net.layers().size()][];
    for (int j = 0; j < slopes.length; j++) {
      if (net.layers().get(j) instanceof ReluLayer relu) {
        int n = relu.size();
        double[] lo = state.lower(j);
        double[] hi = state.upper(j);
        slopes[j] = new double[rows * n];
        for (int r = 0; r < rows; r++) {
          for (int i = 0; i < n; i++) {
            slopes[j][r * n + i] = hi[i] > -lo[i] ? 1.0 : 0.0;
          }
        }
      }
    }
    return slopes;
  }

  /** Copies row r of every layer's slopes from {@code from} to {@code to}. */
  void copyRow(double[][] from, double[][] to, int r) {
    for (int j = 0; j < from.length; j++) {
      if (from[j] != null) {
        int n = from[j].length / rows;
        System.arraycopy(from[j], r * n, to[j], r * n, n);
      }
    }
  }

  /** Rigorous lower bounds of every objective with these slopes (keeps rows for the gradient). */
  double[] evaluate(double[][] slopes, Budget budget) {
    int out = net.outputSize();
    start.reset(rows, out);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(objectives[r], 0, start.coef(), r * out, out);
    }
    SymbolicRows current = start;
    for (int j = net.layers().size() - 1; j >= 0; j--) {
      budget.check();
      SymbolicRows next = current == a ? b : a;
      Layer layer = net.layers().get(j);
      if (layer instanceof ReluLayer relu) {
        overRelu[j] = copyCoefficients(current, overRelu[j]);
        relu.backSubstitute(current, state.lower(j), state.upper(j), slopes[j], next);
      } else {
        layer.backSubstitute(current, state.lower(j), state.upper(j), next);
      }
      current = next;
    }
    overInput = copyCoefficients(current, overInput);
    return current.concretise(state.lower(0), state.upper(0));
  }

  private static double[] copyCoefficients(SymbolicRows rows, double[] into) {
    int n = rows.rows() * rows.width();
    double[] c = into != null && into.length == n ? into : new double[n];
    System.arraycopy(rows.coef(), 0, c, 0, n);
    return c;
  }

  /** Gradient of each row's bound by its own slopes, at the slopes of the last evaluation. */
  double[][] gradient(double[][] slopes) {
    double[][] grad = new double[slopes.length][];
    for (int j = 0; j < slopes.length; j++) {
      if (slopes[j] != null) {
        grad[j] = new double[slopes[j].length];
      }
    }
    int width = net.inputSize();
    double[] lo0 = state.lower(0);
    double[] hi0 = state.upper(0);
    for (int r = 0; r < rows; r++) {
      double[] g = new double[width];
      for (int i = 0; i < width; i++) {
        g[i] = overInput[r * width + i] >= 0 ? lo0[i] : hi0[i];
      }
      for (int j = 0; j < net.layers().size(); j++) {
        Layer layer = net.layers().get(j);
        if (!(layer instanceof ReluLayer relu)) {
          g = layer.evaluate(g);
          continue;
        }
        int n = relu.size();
        double[] lo = state.lower(j);
        double[] hi = state.upper(j);
        double[] coef = overRelu[j];
        double[] next = new double[n];
        for (int i = 0; i < n; i++) {
          double l = lo[i];
          double u = hi[i];
          if (u <= 0) {
            continue;
          }
          if (l >= 0) {
            next[i] = g[i];
            continue;
          }
          double c = coef[r * n + i];
          if (c >= 0) {
            next[i] = slopes[j][r * n + i] * g[i];
            grad[j][r * n + i] = c * g[i];
          } else {
            double s = u / (u - l);
            next[i] = s * (g[i] - l);
          }
        }
        g = next;
      }
    }
    return grad;
  }
}
