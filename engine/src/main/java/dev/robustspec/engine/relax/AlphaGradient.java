package dev.robustspec.engine.relax;

import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The back-substituted lower bound of a batch of objectives as a function of per-objective
 * lower slopes (those of every layer with {@link Layer#lowerSlopeCount()} above 0: the unstable
 * ReLUs), and its gradient, for {@link AlphaPass}. The intermediate bounds are the state's,
 * fixed. The rows are over the network output, or over the values at any bound index
 * {@code top} (an intermediate layer's pre-activations, {@link IntermediateCuts}): then only the
 * layers below {@code top} take part.
 *
 * <p>{@link #evaluate} runs the layers' rigorous back-substitution with the slopes (so its
 * values are bounds) and keeps the coefficient rows over every layer's output and over the
 * input. {@link #gradient} then sweeps forward, one objective row at a time: {@code g}, the
 * derivative of the bound by the coefficients over the network input, is the box corner each
 * coefficient picks ({@code l_j} when it is {@code >= 0}, else {@code u_j}), and each layer's
 * {@link Layer#slopeGradientStep} carries it to the coefficients over its output and yields the
 * derivative by its own slopes.
 *
 * <p>With split constraints (β-CROWN, {@link BetaCrown}): each split {@code s} fixes the sign of
 * a neuron {@code z} at bound index {@code k}; its multiplier {@code beta >= 0} adds
 * {@code sign_s beta z} to every row where the rows reach index {@code k} ({@code sign_s = -1}
 * for {@code z >= 0}, {@code +1} for {@code z <= 0}), a term that is at most 0 wherever the split
 * holds, so the bound stays a lower bound of the objective there. The derivative of a row's
 * bound by {@code beta} is {@code sign_s} times the forward sweep's {@code g} at index
 * {@code k}.
 */
final class AlphaGradient {
  private final BoundState state;
  private final Network net;
  private final double[][] objectives;
  /** Bound index the rows are over: layers {@code top - 1} down to 0 are back-substituted. */
  private final int top;
  private final int rows;
  /** Per layer j and row r: the coefficients over layer j's output from the last evaluation. */
  private final double[][][] overOutput;
  private double[] overInput;
  private final SymbolicRows start = new SymbolicRows();
  private final SymbolicRows a = new SymbolicRows();
  private final SymbolicRows b = new SymbolicRows();
  private final List<BetaCrown.Split> splits;
  private final List<NeuronCut> cuts;
  /** Per bound index, the usable cuts with terms there (every bound they touch finite). */
  private final int[][] cutsAt;

  AlphaGradient(BoundState state, double[][] objectives) {
    this(state, objectives, List.of());
  }

  /** The chain of {@code objectives} with a multiplier per row and split of {@code splits}. */
  AlphaGradient(BoundState state, double[][] objectives, List<BetaCrown.Split> splits) {
    this(state, state.network().layers().size(), objectives, splits, List.of());
  }

  /** As above, with a multiplier per row and cut of {@code cuts} too. */
  AlphaGradient(BoundState state, double[][] objectives, List<BetaCrown.Split> splits,
      List<NeuronCut> cuts) {
    this(state, state.network().layers().size(), objectives, splits, cuts);
  }

  /** The chain of {@code rows} over the values at bound index {@code top}, with cuts. */
  AlphaGradient(BoundState state, int top, double[][] objectives,
      List<BetaCrown.Split> splits, List<NeuronCut> cuts) {
    this.splits = splits;
    this.cuts = cuts;
    this.state = state;
    this.net = state.network();
    if (top < 0 || top > net.layers().size()) {
      throw new IllegalArgumentException("bound index " + top + " out of range");
    }
    this.top = top;
    this.objectives = objectives;
    this.rows = objectives.length;
    this.overOutput = new double[top][rows][];
    List<List<Integer>> at = new ArrayList<>();
    for (int k = 0; k <= top; k++) {
      at.add(new ArrayList<>());
    }
    for (int c = 0; c < cuts.size(); c++) {
      NeuronCut cut = cuts.get(c);
      boolean usable = cut.index() + 1 <= top;
      for (int i : cut.neurons()) {
        for (int k = cut.index(); usable && k <= cut.index() + 1; k++) {
          usable = Double.isFinite(state.lower(k)[i]) && Double.isFinite(state.upper(k)[i]);
        }
      }
      if (usable) {
        at.get(cut.index()).add(c);
        at.get(cut.index() + 1).add(c);
      }
    }
    this.cutsAt = new int[top + 1][];
    for (int k = 0; k <= top; k++) {
      cutsAt[k] = at.get(k).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /**
   * Per layer below {@code top}, {@code rows x lowerSlopeCount()} slopes (row-major; empty for
   * a layer without slopes), every row the layer's {@link Layer#initialLowerSlopes} (DeepPoly's choice).
   */
  double[][] initialSlopes() {
    double[][] slopes = new double[top][];
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
    return evaluate(slopes, null, budget);
  }

  /**
   * Rigorous lower bounds of every objective with these slopes and split multipliers
   * ({@code betas[r][s] >= 0} for row r and split s; null: none), keeping rows for the gradient.
   * Each multiplier enters as a coefficient change {@code c := c + sign beta} rounded by the
   * hardware; rounding is monotone, so the change actually made has the sign of
   * {@code sign beta} (or is 0) and the added term is still at most 0 where the split holds:
   * the rigorous back-substitution of the changed row bounds the objective there.
   */
  double[] evaluate(double[][] slopes, double[][] betas, Budget budget) {
    return evaluate(slopes, betas, null, budget);
  }

  /**
   * As {@link #evaluate(double[][], double[][], Budget)}, with cut multipliers too
   * ({@code gammas[r][c] >= 0} for row r and cut c; null: none): cut c adds
   * {@code gamma (alpha . x + beta . y - rhs)}, at most 0 everywhere, to row r. The coefficient
   * changes are rounded, so the change actually made differs from {@code gamma alpha} by at
   * most {@code 2^-52 (|gamma alpha| + |new coefficient|)} per entry; that times the value's
   * largest magnitude (from the state's bounds) goes into the row's slack, so the term added is
   * still at most 0 and the bound stays rigorous.
   */
  double[] evaluate(double[][] slopes, double[][] betas, double[][] gammas, Budget budget) {
    int out = state.lower(top).length;
    start.reset(rows, out);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(objectives[r], 0, start.coef(), r * out, out);
    }
    SymbolicRows current = start;
    if (gammas != null) {
      addCutTerms(current, top, gammas);
    }
    for (int j = top - 1; j >= 0; j--) {
      budget.check();
      SymbolicRows next = current == a ? b : a;
      keepRows(current, overOutput[j]);
      net.layers().get(j).backSubstitute(current, state.lower(j), state.upper(j), slopes[j],
          next);
      current = next;
      if (betas != null) {
        addSplitTerms(current, j, betas);
      }
      if (gammas != null) {
        addCutTerms(current, j, gammas);
      }
    }
    overInput = copyCoefficients(current, overInput);
    return current.concretise(state.lower(0), state.upper(0));
  }

  /** Adds {@code sign_s beta[r][s]} to row r's coefficient of every split at bound index k. */
  private void addSplitTerms(SymbolicRows rowsAtK, int k, double[][] betas) {
    int w = rowsAtK.width();
    double[] c = rowsAtK.coef();
    for (int s = 0; s < splits.size(); s++) {
      BetaCrown.Split split = splits.get(s);
      if (split.index() != k) {
        continue;
      }
      for (int r = 0; r < rows; r++) {
        double beta = betas[r][s];
        if (!(beta >= 0)) {
          throw new IllegalArgumentException("split multiplier " + beta + " below 0");
        }
        int at = r * w + split.neuron();
        c[at] = split.active() ? c[at] - beta : c[at] + beta;
      }
    }
  }

  /**
   * Adds each usable cut's terms at bound index k to every row with a positive multiplier: its
   * {@code alpha} part where k is the cut's pre-activation index, its {@code beta} part and
   * {@code -gamma rhs} where k is the ReLU output's, with the rounding slack described at
   * {@link #evaluate(double[][], double[][], double[][], Budget)}.
   */
  private void addCutTerms(SymbolicRows rowsAtK, int k, double[][] gammas) {
    int w = rowsAtK.width();
    double[] c = rowsAtK.coef();
    double[] lo = state.lower(k);
    double[] hi = state.upper(k);
    for (int q : cutsAt[k]) {
      NeuronCut cut = cuts.get(q);
      boolean pre = cut.index() == k;
      double[] weight = pre ? cut.alpha() : cut.beta();
      int[] neurons = cut.neurons();
      for (int r = 0; r < rows; r++) {
        double gamma = gammas[r][q];
        if (!(gamma >= 0)) {
          throw new IllegalArgumentException("cut multiplier " + gamma + " below 0");
        }
        if (gamma == 0) {
          continue;
        }
        rowsAtK.clearNonzeroColumns(); // a neuron the bounds show inactive may get a coefficient
        double deviation = 0;
        for (int t = 0; t < neurons.length; t++) {
          int i = neurons[t];
          int at = r * w + i;
          double add = gamma * weight[t];
          double updated = c[at] + add;
          c[at] = updated;
          deviation += (Math.abs(add) + Math.abs(updated))
              * Math.max(Math.abs(lo[i]), Math.abs(hi[i]));
        }
        // the sum of 2k nonnegative terms is within a relative 1e-9 of its value
        rowsAtK.addSlack(r, Math.nextUp(deviation * (1 + 1e-9) * 0x1p-52)
            + 4 * neurons.length * Double.MIN_VALUE);
        if (!pre) {
          rowsAtK.addConstant(r, -Math.nextUp(gamma * cut.gamma()));
        }
      }
    }
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

  /** Row r's coefficients over the network input from the last evaluation (a copy). */
  double[] inputRow(int r) {
    int width = net.inputSize();
    return Arrays.copyOfRange(overInput, r * width, (r + 1) * width);
  }

  /** Gradient of each row's bound by its own slopes, at the slopes of the last evaluation. */
  double[][] gradient(double[][] slopes) {
    return gradient(slopes, null);
  }

  /**
   * Gradient of each row's bound by its own slopes, at the slopes of the last evaluation; when
   * {@code betaGradient} is not null ({@code rows x splits}), also by the split multipliers.
   */
  double[][] gradient(double[][] slopes, double[][] betaGradient) {
    return gradient(slopes, betaGradient, null);
  }

  /**
   * As above; when {@code gammaGradient} is not null ({@code rows x cuts}), also by the cut
   * multipliers: {@code alpha . g_x + beta . g_y - rhs}, with {@code g} at the cut's two bound
   * indices (0 for a cut that is not usable).
   */
  double[][] gradient(double[][] slopes, double[][] betaGradient, double[][] gammaGradient) {
    double[][] grad = new double[slopes.length][];
    for (int j = 0; j < slopes.length; j++) {
      grad[j] = new double[slopes[j].length];
    }
    int width = net.inputSize();
    double[] lo0 = state.lower(0);
    double[] hi0 = state.upper(0);
    // all the rows layer by layer (each row's values as if swept alone): a layer's weights are
    // read once for every row
    double[][] g = new double[rows][width];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < width; i++) {
        g[r][i] = overInput[r * width + i] >= 0 ? lo0[i] : hi0[i];
      }
      splitGradient(g[r], 0, r, betaGradient);
      if (gammaGradient != null) {
        Arrays.fill(gammaGradient[r], 0.0);
        cutGradient(g[r], 0, r, gammaGradient);
      }
    }
    for (int j = 0; j < top; j++) {
      Layer layer = net.layers().get(j);
      int n = layer.lowerSlopeCount();
      double[][] slopeRows = new double[rows][];
      double[][] gradRows = new double[rows][n];
      for (int r = 0; r < rows; r++) {
        slopeRows[r] = Arrays.copyOfRange(slopes[j], r * n, (r + 1) * n);
      }
      g = layer.slopeGradientSteps(g, state.lower(j), state.upper(j), overOutput[j], slopeRows,
          gradRows);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(gradRows[r], 0, grad[j], r * n, n);
        splitGradient(g[r], j + 1, r, betaGradient);
        if (gammaGradient != null) {
          cutGradient(g[r], j + 1, r, gammaGradient);
        }
      }
    }
    return grad;
  }

  /** Adds to row r's derivative by each cut multiplier its part at bound index k. */
  private void cutGradient(double[] g, int k, int r, double[][] gammaGradient) {
    for (int q : cutsAt[k]) {
      NeuronCut cut = cuts.get(q);
      boolean pre = cut.index() == k;
      double[] weight = pre ? cut.alpha() : cut.beta();
      double d = pre ? 0 : -cut.gamma();
      int[] neurons = cut.neurons();
      for (int t = 0; t < neurons.length; t++) {
        d += weight[t] * g[neurons[t]];
      }
      gammaGradient[r][q] += d;
    }
  }

  /** Row r's derivative by the multipliers of the splits at bound index k, from {@code g}. */
  private void splitGradient(double[] g, int k, int r, double[][] betaGradient) {
    if (betaGradient == null) {
      return;
    }
    for (int s = 0; s < splits.size(); s++) {
      BetaCrown.Split split = splits.get(s);
      if (split.index() == k) {
        betaGradient[r][s] = split.active() ? -g[split.neuron()] : g[split.neuron()];
      }
    }
  }
}
