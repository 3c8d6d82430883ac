package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * {@code y = W x + b} with W stored row-major as {@code weights[i * inputSize + j] = W[i][j]}
 * (one row per output). The flat row-major array is what both the plain-array kernels and an
 * ND4J view ({@code Nd4j.create(weights, new long[] {out, in}, 'c')}) use without copying.
 */
public final class DenseLayer implements AffineLayer {
  private final String name;
  private final int inputSize;
  private final int outputSize;
  private final double[] weights;
  private final double[] bias;
  /** W's rows as separate arrays, for {@link DenseBackSubstitution}; made on first use. */
  private volatile double[][] weightRows;
  /** W's transposed sign parts for the interval rule; made on first use. */
  private volatile DenseIntervalRule intervalRule;
  /** W by columns for {@link #evaluate}; made on first use. */
  private volatile DenseForward forward;
  /**
   * Each thread's last back-substitution preparation (immutable; replaced when the bounds
   * change). Per thread, because branch-and-bound workers bound different boxes through the
   * same layer at once: one shared slot made them overwrite each other's on every call.
   */
  private final ThreadLocal<DenseBackSubstitution.Preparation> preparation = new ThreadLocal<>();

  public DenseLayer(String name, int inputSize, int outputSize, double[] weights, double[] bias) {
    if (inputSize <= 0 || outputSize <= 0) {
      throw new IllegalArgumentException("dense layer " + name + ": sizes must be positive");
    }
    if (weights.length != inputSize * outputSize) {
      throw new IllegalArgumentException(
          "dense layer " + name + ": " + weights.length + " weights for a " + outputSize + "x"
              + inputSize + " matrix");
    }
    if (bias.length != outputSize) {
      throw new IllegalArgumentException(
          "dense layer " + name + ": bias has " + bias.length + " entries, expected " + outputSize);
    }
    for (double w : weights) {
      requireFinite(name, w);
    }
    for (double v : bias) {
      requireFinite(name, v);
    }
    this.name = name;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.weights = weights;
    this.bias = bias;
  }

  static void requireFinite(String layer, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("layer " + layer + " has a non-finite parameter " + v);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int outputSize() {
    return outputSize;
  }

  /** The row-major weight array itself (not a copy): callers must not modify it. */
  public double[] weights() {
    return weights;
  }

  /** The bias array itself (not a copy): callers must not modify it. */
  public double[] bias() {
    return bias;
  }

  /**
   * Row k of W as its own array (copies made once, on first use; a race only makes them twice).
   * Callers must not modify them.
   */
  double[][] weightRows() {
    double[][] rows = weightRows;
    if (rows == null) {
      rows = new double[outputSize][];
      for (int k = 0; k < outputSize; k++) {
        rows[k] = Arrays.copyOfRange(weights, k * inputSize, (k + 1) * inputSize);
      }
      weightRows = rows;
    }
    return rows;
  }

  DenseBackSubstitution.Preparation preparation() {
    return preparation.get();
  }

  void keepPreparation(DenseBackSubstitution.Preparation p) {
    preparation.set(p);
  }

  public double weight(int row, int column) {
    return weights[row * inputSize + column];
  }

  /** {@code W x + b}, each output summed in input order from the bias: {@link DenseForward}. */
  @Override
  public double[] evaluate(double[] input) {
    return forward().evaluate(bias, input);
  }

  /** Every row as {@link #evaluate} gives it, W's columns read once for all the rows. */
  @Override
  public double[][] evaluateRows(double[][] inputs) {
    return forward().evaluateRows(bias, inputs);
  }

  private DenseForward forward() {
    DenseForward f = forward;
    if (f == null) {
      f = new DenseForward(weights, inputSize, outputSize); // a race makes it twice
      forward = f;
    }
    return f;
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    double[] m = Layer.magnitudes(inLower, inUpper);
    if (DenseIntervalRule.applies(inLower, inUpper)) {
      DenseIntervalRule rule = intervalRule;
      if (rule == null) {
        rule = new DenseIntervalRule(weights, inputSize, outputSize); // a race makes it twice
        intervalRule = rule;
      }
      rule.forward(bias, inLower, inUpper, m, outLower, outUpper);
      return;
    }
    // infinite or empty input bounds: row by row, a zero weight skipped (0 * inf is NaN)
    boolean finite = true;
    for (double v : m) {
      finite &= Double.isFinite(v);
    }
    for (int i = 0; i < outputSize; i++) {
      int off = i * inputSize;
      double lo = bias[i];
      double hi = bias[i];
      double magnitude = Math.abs(bias[i]);
      for (int j = 0; j < inputSize; j++) {
        double w = weights[off + j];
        if (!finite && w == 0) {
          continue; // 0 * infinite bound would be NaN
        }
        double a = w * inLower[j];
        double b = w * inUpper[j];
        lo += Math.min(a, b);
        hi += Math.max(a, b);
        magnitude += Math.abs(w) * m[j];
      }
      double err = Rounding.dotError(inputSize + 1, magnitude);
      outLower[i] = Math.nextDown(lo - err);
      outUpper[i] = Math.nextUp(hi + err);
    }
  }

  /**
   * {@code sum_k A_k z_k = (A W) x + A b}. The product {@code A W} is computed in floating point;
   * its error on any feasible x is at most {@code gamma * |A| (|W| m)} with m the magnitude bound
   * of x, which goes into the slack (a matrix-vector product, not a second matrix product). Zero
   * coefficients (inactive neurons) are skipped, and inputs whose bounds are {@code [0, 0]} drop
   * out (their coefficient is left 0), which is most of the saving on real nets; the kernel is
   * {@link DenseBackSubstitution}.
   */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    DenseBackSubstitution.run(this, overOutput, inLower, inUpper, overInput);
  }

  /**
   * {@code z_i = sum_j W_ij x_j + b_i >= sum_(W_ij > 0) W_ij lower_j + sum_(W_ij < 0) |W_ij|
   * (-upper_j) + b_i}, and symmetrically for {@code -z_i}: each output row a nonnegative
   * combination of input rows, with the rounding error of {@link ForwardBounds#combine}.
   */
  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(outputSize);
    double[] w = new double[inputSize];
    int[] index = new int[inputSize];
    boolean[] negLower = new boolean[inputSize];
    boolean[] negUpper = new boolean[inputSize];
    boolean[] zero = new boolean[inputSize];
    for (int j = 0; j < inputSize; j++) {
      index[j] = j;
      zero[j] = in.isZero(j); // inactive ReLU: skipping it changes nothing
    }
    for (int i = 0; i < outputSize; i++) {
      int off = i * inputSize;
      for (int j = 0; j < inputSize; j++) {
        double v = zero[j] ? 0 : weights[off + j];
        w[j] = Math.abs(v);
        negLower[j] = v < 0;
        negUpper[j] = v > 0;
      }
      in.combine(out.lower(), i, inputSize, w, index, negLower, bias[i]);
      in.combine(out.negatedUpper(), i, inputSize, w, index, negUpper, -bias[i]);
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] g = new double[inputSize];
    for (int k = 0; k < outputSize; k++) {
      double c = gradOutput[k];
      if (c == 0) {
        continue;
      }
      int off = k * inputSize;
      for (int j = 0; j < inputSize; j++) {
        g[j] += c * weights[off + j];
      }
    }
    return g;
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[outputSize];
    for (int r = 0; r < y.length; r++) {
      float acc = 0f;
      int base = r * inputSize;
      for (int c = 0; c < inputSize; c++) {
        float prod = (float) weights[base + c] * x[c];
        acc = acc + prod;
      }
      y[r] = acc + (float) bias[r];
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal[] y = new BigDecimal[outputSize];
    for (int r = 0; r < y.length; r++) {
      BigDecimal s = new BigDecimal(bias[r]);
      for (int c = 0; c < inputSize; c++) {
        double w = weights[r * inputSize + c];
        if (w != 0 && v[c].signum() != 0) {
          s = s.add(new BigDecimal(w).multiply(v[c]));
        }
      }
      y[r] = s;
    }
    return y;
  }

  /** Row error {@code gamma_{n+1} (sum |w_j x_j| + |b|) + sum |w_j| e_j} plus underflow. */
  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision p) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = p.float32()
        ? RoundedEvaluation.toDouble(evaluateFloat32(RoundedEvaluation.toFloat(x))) : evaluate(x);
    double[] ey = new double[outputSize];
    int n = inputSize;
    double g = RoundedEvaluation.gamma(n + 1, p.unit());
    for (int r = 0; r < ey.length; r++) {
      double mag = Math.abs(bias[r]);
      double prop = 0;
      for (int c = 0; c < n; c++) {
        double w = weights[r * n + c];
        mag = Math.nextUp(mag + Math.nextUp(Math.abs(w * x[c])));
        prop = Math.nextUp(prop + Math.nextUp(Math.abs(w) * e[c]));
      }
      ey[r] = Math.nextUp(Math.nextUp(g * mag) + prop + (n + 1) * p.tiny());
    }
    return new RoundedEvaluation.Result(y, ey);
  }

  /** Equalities {@code y_i - sum_j W_ij x_j = b_i}; an input that is the constant 0 drops out. */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int n = inputSize;
    int[] out = new int[outputSize];
    for (int i = 0; i < out.length; i++) {
      out[i] = lp.variable(bounds.outLower()[i], bounds.outUpper()[i]);
      int[] idx = new int[n + 1];
      double[] coef = new double[n + 1];
      idx[0] = out[i];
      coef[0] = 1;
      for (int j = 0; j < n; j++) {
        if (in[j] >= 0) {
          idx[j + 1] = in[j];
          coef[j + 1] = -weights[i * n + j];
        }
      }
      lp.row(idx, coef, bias[i], bias[i]);
    }
    return out;
  }

  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.initializer("W" + k, new long[] {outputSize, inputSize}, weights);
    onnx.initializer("B" + k, new long[] {outputSize}, bias);
    onnx.node("gemm" + k, "Gemm", new String[] {input, "W" + k, "B" + k}, output, "transB");
  }

  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    lane.affine(name, inputSize, outputSize, weights, bias);
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(weights);
    sink.numbers(bias);
  }

  @Override
  public String kind() {
    return "dense";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return new int[] {outputSize()};
  }

  @Override
  public boolean isActivation() {
    return false;
  }

  @Override
  public boolean isRelu() {
    return false;
  }

  @Override
  public boolean isShapeOnly() {
    return false;
  }

  @Override
  public long parameterCount() {
    return weights.length + (long) bias.length;
  }

  @Override
  public String toString() {
    return "Dense " + name + " " + inputSize + "->" + outputSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DenseLayer d && d.inputSize == inputSize && Arrays.equals(d.weights, weights)
        && Arrays.equals(d.bias, bias);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights) * 31 + Arrays.hashCode(bias);
  }
}
