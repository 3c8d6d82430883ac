package dev.robustspec.engine.network;

import dev.robustspec.engine.base.Cores;
import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * {@link DenseLayer}'s rules, stated once for a linear map whose matrix is sparse and never
 * materialised: each output's nonzero taps (input indices and weights) are enumerated on the fly
 * by a {@link Taps} function. {@link ConvLayer} and {@link ConvTransposeLayer} (and so nearest
 * upsampling) delegate every arithmetic rule here; what differs between them is only which
 * inputs an output reads. The rounding terms are the dense layer's with {@code maxTaps} as the
 * term count (at least every output's tap count, and gamma grows with its argument), so the
 * same soundness argument applies: the map is a dot product per output over its taps.
 */
final class SparseLinearRules {
  /** Multiply-adds above which back-substitution is split across cores. */
  private static final long PARALLEL_WORK = 500_000;

  /** The nonzero taps of one output and its bias. */
  interface Taps {
    /**
     * Writes output {@code o}'s input indices and weights (zero weights may be skipped), returns
     * their count (at most {@code maxTaps}). An input index appears at most once per output.
     */
    int taps(int o, int[] index, double[] weight);

    double bias(int o);
  }

  /**
   * A faster way to the same product: adds {@code a[aOff ..] W} into {@code out[oOff ..]}
   * summing, for every input, the same products in the same order (outputs ascending) as the
   * tap-by-tap scatter, so every rule's error term stays valid as stated. Inputs marked in
   * {@code zero} (null: none) may be left out: their bounds are {@code [0, 0]}, so the value is
   * the constant 0 there and its coefficient changes no bound (its magnitude is 0 too).
   */
  interface RowScatter {
    void scatterRow(double[] a, int aOff, double[] out, int oOff, boolean[] zero);
  }

  private final int inputSize;
  private final int outputSize;
  private final int maxTaps;
  private final Taps t;
  private final RowScatter rowScatter; // null: the product tap by tap

  SparseLinearRules(int inputSize, int outputSize, int maxTaps, Taps taps) {
    this(inputSize, outputSize, maxTaps, taps, null);
  }

  SparseLinearRules(int inputSize, int outputSize, int maxTaps, Taps taps,
      RowScatter rowScatter) {
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.maxTaps = Math.max(1, maxTaps);
    this.t = taps;
    this.rowScatter = rowScatter;
  }

  double[] evaluate(double[] input) {
    double[] out = new double[outputSize];
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      double s = t.bias(o);
      for (int k = 0; k < n; k++) {
        s += w[k] * input[idx[k]];
      }
      out[o] = s;
    }
    return out;
  }

  /** As {@link DenseLayer#intervalForward}, over each output's taps. */
  void intervalForward(double[] inLower, double[] inUpper, double[] outLower, double[] outUpper) {
    double[] m = Layer.magnitudes(inLower, inUpper);
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      double b = t.bias(o);
      double lo = b;
      double hi = b;
      double magnitude = Math.abs(b);
      for (int k = 0; k < n; k++) {
        int j = idx[k];
        double a1 = w[k] * inLower[j];
        double a2 = w[k] * inUpper[j];
        lo += Math.min(a1, a2);
        hi += Math.max(a1, a2);
        magnitude += Math.abs(w[k]) * m[j];
      }
      double err = Rounding.dotError(maxTaps + 1, magnitude);
      outLower[o] = Math.nextDown(lo - err);
      outUpper[o] = Math.nextUp(hi + err);
    }
  }

  /**
   * {@code sum_o A_o z_o = (A W) x + A b}, the product {@code A W} scattered output by output
   * (for a convolution: the transposed convolution of each row of A). Error terms exactly as
   * {@link DenseLayer#backSubstitute}: each input coefficient is a sum of at most
   * {@code outputSize} products, so the slack
   * {@code dotError(outputSize + inputSize, sum_o |A_o| (|W_o| m) + |A_o b_o|)} covers the
   * coefficient errors on the box and the constant's.
   */
  void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    backSubstitute(overOutput, inLower, inUpper, overInput, rowScatter);
  }

  /** As {@link #backSubstitute}, the product {@code A W} by {@code scatter} (null: tap by tap). */
  void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput, RowScatter scatter) {
    int rows = overOutput.rows();
    double[] m = Layer.magnitudes(inLower, inUpper);
    double[] wm = new double[outputSize]; // |W_o| m, rounded up
    double[] bias = new double[outputSize];
    double factor = 1 + 4 * Rounding.gamma(maxTaps);
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += Math.abs(w[k]) * m[idx[k]];
      }
      wm[o] = Math.nextUp(s * factor);
      bias[o] = t.bias(o);
    }
    overInput.reset(rows, inputSize);
    overInput.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    double[] out = overInput.coef();
    boolean[] zero = scatter == null ? null : constantZeroInputs(inLower, inUpper);
    long work = (long) rows * outputSize * maxTaps;
    int chunks = work >= PARALLEL_WORK && Cores.available() > 1
        ? Math.min(rows, 4 * Cores.available()) : 1;
    int per = (rows + chunks - 1) / chunks;
    IntStream range = IntStream.range(0, chunks);
    (chunks > 1 ? range.parallel() : range).forEach(c -> scatterRows(a, out,
        c * per, Math.min(rows, (c + 1) * per), wm, bias, overInput, scatter, zero));
  }

  /**
   * Inputs whose bounds are {@code [0, 0]} (the outputs of ReLUs the bounds show inactive), or
   * null when there are none: a back-substituted coefficient of one of them is never used.
   */
  private boolean[] constantZeroInputs(double[] inLower, double[] inUpper) {
    boolean[] zero = new boolean[inputSize];
    boolean any = false;
    for (int j = 0; j < inputSize; j++) {
      zero[j] = inLower[j] == 0 && inUpper[j] == 0;
      any |= zero[j];
    }
    return any ? zero : null;
  }

  /** Rows {@code r0..r1-1}: {@code A W} (by {@code scatter} or tap by tap), {@code A b}, slacks. */
  private void scatterRows(double[] a, double[] out, int r0, int r1, double[] wm,
      double[] bias, SymbolicRows overInput, RowScatter scatter, boolean[] zero) {
    if (r0 >= r1) {
      return;
    }
    if (scatter != null) {
      for (int r = r0; r < r1; r++) {
        scatter.scatterRow(a, r * outputSize, out, r * inputSize, zero);
      }
    } else {
      scatterByTaps(a, out, r0, r1);
    }
    for (int r = r0; r < r1; r++) {
      int aOff = r * outputSize;
      double constant = 0;
      double magnitude = 0;
      for (int o = 0; o < outputSize; o++) {
        double c = a[aOff + o];
        if (c == 0) {
          continue;
        }
        double cb = c * bias[o];
        constant += cb;
        magnitude += Math.abs(c) * wm[o] + Math.abs(cb);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(outputSize + inputSize, magnitude));
    }
  }

  /** Rows {@code r0..r1-1} of {@code out = A W}, one output's taps enumerated for all rows. */
  private void scatterByTaps(double[] a, double[] out, int r0, int r1) {
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = -1; // taps computed only when some row uses this output
      for (int r = r0; r < r1; r++) {
        double c = a[r * outputSize + o];
        if (c == 0) {
          continue;
        }
        if (n < 0) {
          n = t.taps(o, idx, w);
        }
        int oOff = r * inputSize;
        for (int k = 0; k < n; k++) {
          out[oOff + idx[k]] += c * w[k];
        }
      }
    }
  }

  /** As {@link DenseLayer#forwardSymbolic}: each output a nonnegative combination of its taps. */
  void forwardSymbolic(ForwardBounds in, ForwardBounds out) {
    out.reset(outputSize);
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    double[] abs = new double[maxTaps];
    boolean[] negLower = new boolean[maxTaps];
    boolean[] negUpper = new boolean[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      for (int k = 0; k < n; k++) {
        double v = in.isZero(idx[k]) ? 0 : w[k]; // inactive ReLU: skipping it changes nothing
        abs[k] = Math.abs(v);
        negLower[k] = v < 0;
        negUpper[k] = v > 0;
      }
      in.combine(out.lower(), o, n, abs, idx, negLower, t.bias(o));
      in.combine(out.negatedUpper(), o, n, abs, idx, negUpper, -t.bias(o));
    }
  }

  /** The vector-Jacobian product {@code W^T g} (independent of the input: the map is linear). */
  double[] backpropagate(double[] gradOutput) {
    double[] grad = new double[inputSize];
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      double c = gradOutput[o];
      if (c == 0) {
        continue;
      }
      int n = t.taps(o, idx, w);
      for (int k = 0; k < n; k++) {
        grad[idx[k]] += c * w[k];
      }
    }
    return grad;
  }

  /** As {@link DenseLayer#evaluateFloat32}: per output, its taps summed in float32 in order. */
  float[] evaluateFloat32(float[] x) {
    float[] y = new float[outputSize];
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w); // a skipped zero weight or pad adds +-0: the float sum is the same
      float acc = 0f;
      for (int k = 0; k < n; k++) {
        acc = acc + (float) w[k] * x[idx[k]];
      }
      y[o] = acc + (float) t.bias(o);
    }
    return y;
  }

  BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal[] y = new BigDecimal[outputSize];
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      BigDecimal s = new BigDecimal(t.bias(o));
      for (int k = 0; k < n; k++) {
        if (v[idx[k]].signum() != 0) {
          s = s.add(new BigDecimal(w[k]).multiply(v[idx[k]]));
        }
      }
      y[o] = s;
    }
    return y;
  }

  /**
   * As {@link DenseLayer#evaluateRounded} with the dot product over the taps: {@code
   * gamma_{k+1} (sum |w_t x_t| + |b|) + sum |w_t| e_t} plus underflow, k = {@code maxTaps}.
   */
  RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision p) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = p.float32()
        ? RoundedEvaluation.toDouble(evaluateFloat32(RoundedEvaluation.toFloat(x))) : evaluate(x);
    double[] ey = new double[outputSize];
    double gk = RoundedEvaluation.gamma(maxTaps + 1, p.unit());
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      double mag = Math.abs(t.bias(o));
      double prop = 0;
      for (int k = 0; k < n; k++) {
        mag = Math.nextUp(mag + Math.nextUp(Math.abs(w[k] * x[idx[k]])));
        prop = Math.nextUp(prop + Math.nextUp(Math.abs(w[k]) * e[idx[k]]));
      }
      ey[o] = Math.nextUp(Math.nextUp(gk * mag) + prop + (maxTaps + 1) * p.tiny());
    }
    return new RoundedEvaluation.Result(y, ey);
  }

  /**
   * As {@link DenseLayer#encodeLp}, sparse: {@code y_o - sum_t w_t x_(idx t) = b_o} over the
   * taps, an input that is the constant 0 dropping out.
   */
  int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = new int[outputSize];
    int[] taps = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      out[o] = lp.variable(bounds.outLower()[o], bounds.outUpper()[o]);
      int n = t.taps(o, taps, w);
      int used = 0;
      int[] idx = new int[n + 1];
      double[] coef = new double[n + 1];
      idx[used] = out[o];
      coef[used++] = 1;
      for (int k = 0; k < n; k++) {
        if (in[taps[k]] >= 0) {
          idx[used] = in[taps[k]];
          coef[used++] = -w[k];
        }
      }
      double b = t.bias(o);
      lp.row(Arrays.copyOf(idx, used), Arrays.copyOf(coef, used), b, b);
    }
    return out;
  }

  /**
   * The same map as a dense layer (the matrix materialised): for product networks and tests.
   * Throws when the matrix would not fit in an array.
   */
  DenseLayer toDense(String name) {
    long cells = (long) inputSize * outputSize;
    if (cells > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("layer " + name + ": " + outputSize + "x" + inputSize
          + " matrix is too large to materialise");
    }
    double[] dense = new double[(int) cells];
    double[] b = new double[outputSize];
    int[] idx = new int[maxTaps];
    double[] w = new double[maxTaps];
    for (int o = 0; o < outputSize; o++) {
      int n = t.taps(o, idx, w);
      for (int k = 0; k < n; k++) {
        dense[o * inputSize + idx[k]] += w[k];
      }
      b[o] = t.bias(o);
    }
    return new DenseLayer(name, inputSize, outputSize, dense, b);
  }
}
