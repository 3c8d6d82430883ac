package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.base.Budget;
import java.util.Arrays;

/**
 * The back-substituted lower bound of a batch of objectives as a function of per-objective
 * lower slopes (those of every layer with {@link Layer#lowerSlopeCount()} above 0: the unstable
 * ReLUs), and its gradient, for {@link AlphaPass}. The intermediate bounds are the state's,
 * fixed.
 *
 * <p>{@link #evaluate} runs the layers' rigorous back-substitution with the slopes (so its
 * values are bounds) and keeps the coefficient rows over every layer's output and over the
 * input. {@link #gradient} then sweeps forward, one objective row at a time: {@code g}, the
 * derivative of the bound by the coefficients over the network input, is the box corner each
 * coefficient picks ({@code l_j} when it is {@code >= 0}, else {@code u_j}), and each layer's
 * {@link Layer#slopeGradientStep} carries it to the coefficients over its output and yields the
 * derivative by its own slopes.
 */
final class AlphaGradient {
  private final BoundState state;
  private final Network net;
  private final double[][] objectives;
  private final int rows;
  /** Per layer j and row r: the coefficients over layer j's output from the last evaluation. */
  private final double[][][] overOutput;
  private double[] overInput;
  private final SymbolicRows start = new SymbolicRows();
  private final SymbolicRows a = new SymbolicRows();
  private final SymbolicRows b = new SymbolicRows();

  AlphaGradient(BoundState state, double[][] objectives) {
    this.state = state;
    this.net = state.network();
    this.objectives = objectives;
    this.rows = objectives.length;
    this.overOutput = new double[net.layers().size()][rows][];
  }

  /**
   * Per layer, {@code rows x lowerSlopeCount()} slopes (row-major; empty for a layer without
   * slopes), every row the layer's {@link Layer#initialLowerSlopes} (DeepPoly's choice).
   */
  double[][] initialSlopes() {
    double[][] slopes = new double[net.layers().size()][];
    for (int j = 0; j < slopes.length; j++) {
      Layer layer = net.layers().get(j);
      int n = layer.lowerSlopeCount();
      double[] row = new double[n];
      layer.initialLowerSlopes(state.lower(j), state.upper(j), row);
      slopes[j] = new double[rows * n];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(row, 0, slopes[j], r * n, n);
      }
    }
    return slopes;
  }

  /** Copies row r of every layer's slopes from {@code from} to {@code to}. */
  void copyRow(double[][] from, double[][] to, int r) {
    for (int j = 0; j < from.length; j++) {
      int n = from[j].length / rows;
      System.arraycopy(from[j], r * n, to[j], r * n, n);
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
      keepRows(current, overOutput[j]);
      net.layers().get(j).backSubstitute(current, state.lower(j), state.upper(j), slopes[j],
          next);
      current = next;
    }
    overInput = copyCoefficients(current, overInput);
    return current.concretise(state.lower(0), state.upper(0));
  }

  private static void keepRows(SymbolicRows rows, double[][] into) {
    int w = rows.width();
    for (int r = 0; r < into.length; r++) {
      if (into[r] == null || into[r].length != w) {
        into[r] = new double[w];
      }
      System.arraycopy(rows.coef(), r * w, into[r], 0, w);
    }
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
      grad[j] = new double[slopes[j].length];
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
        int n = layer.lowerSlopeCount();
        double[] slopesRow = Arrays.copyOfRange(slopes[j], r * n, (r + 1) * n);
        double[] gradRow = new double[n];
        g = layer.slopeGradientStep(g, state.lower(j), state.upper(j), overOutput[j][r],
            slopesRow, gradRow);
        System.arraycopy(gradRow, 0, grad[j], r * n, n);
      }
    }
    return grad;
  }
}
