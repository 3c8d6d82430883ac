package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.OnnxNodeSink.IntAttribute;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A 2-D convolution (ONNX {@code Conv}, NCHW, batch 1) with strides, pads, dilations, groups and
 * a bias: {@code y[oc, oh, ow] = b[oc] + sum_(ic in group(oc), kh, kw) W[oc, ic', kh, kw]
 * x[ic, oh*sH - padTop + kh*dH, ow*sW - padLeft + kw*dW]}, padding positions contributing 0.
 * Weights are stored as ONNX stores them, {@code [outC][inC/group][kH][kW]} row-major; inputs and
 * outputs are the row-major flattenings of {@code [C][H][W]}.
 *
 * <p>Every rule is {@link DenseLayer}'s on the sparse matrix the convolution is, without ever
 * materialising it: the taps of one output (its input positions and weights) are enumerated on
 * the fly, so back-substitution is the transposed convolution applied to each row. The rounding
 * terms are the dense layer's with the same (or larger) term counts, so the same soundness
 * argument applies: a convolution is a dot product per output over its taps.
 */
public final class ConvLayer implements Layer {
  /** Multiply-adds above which back-substitution is split across cores. */
  private static final long PARALLEL_WORK = 500_000;

  private final String name;
  private final ConvGeometry g;
  private final double[] weights;
  private final double[] bias;
  private final int inputSize;
  private final int outputSize;
  private final int outPlane; // outHeight * outWidth

  public ConvLayer(String name, ConvGeometry geometry, double[] weights, double[] bias) {
    this.name = name;
    this.g = geometry;
    if (weights.length != (long) geometry.outChannels() * geometry.kernelSize()) {
      throw new IllegalArgumentException("conv layer " + name + ": " + weights.length
          + " weights, expected " + geometry.outChannels() + "x" + geometry.kernelSize());
    }
    if (bias.length != geometry.outChannels()) {
      throw new IllegalArgumentException("conv layer " + name + ": bias has " + bias.length
          + " entries, expected " + geometry.outChannels());
    }
    for (double w : weights) {
      DenseLayer.requireFinite(name, w);
    }
    for (double v : bias) {
      DenseLayer.requireFinite(name, v);
    }
    this.weights = weights;
    this.bias = bias;
    this.inputSize = geometry.inputSize();
    this.outPlane = geometry.outHeight() * geometry.outWidth();
    this.outputSize = geometry.outChannels() * outPlane;
  }

  @Override
  public String name() {
    return name;
  }

  public ConvGeometry geometry() {
    return g;
  }

  /** The weight array itself, {@code [outC][inC/group][kH][kW]} (not a copy): do not modify. */
  public double[] weights() {
    return weights;
  }

  /** The bias array itself (not a copy): callers must not modify it. */
  public double[] bias() {
    return bias;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int outputSize() {
    return outputSize;
  }

  /** Bias of output {@code o} (flat index). */
  private double biasOf(int o) {
    return bias[o / outPlane];
  }

  /**
   * The nonzero taps of output {@code o}: writes input indices and weights, returns their count
   * (at most {@link ConvGeometry#kernelSize()}; padding positions and zero weights are skipped).
   */
  private int taps(int o, int[] index, double[] w) {
    int oc = o / outPlane;
    int oh = o % outPlane / g.outWidth();
    int ow = o % g.outWidth();
    int perGroup = g.inChannels() / g.groups();
    int icBase = oc / (g.outChannels() / g.groups()) * perGroup;
    int kh = g.kernelHeight();
    int kw = g.kernelWidth();
    int h0 = oh * g.strideH() - g.padTop();
    int w0 = ow * g.strideW() - g.padLeft();
    int count = 0;
    int wOff = oc * g.kernelSize();
    for (int c = 0; c < perGroup; c++) {
      int plane = (icBase + c) * g.inHeight();
      for (int y = 0; y < kh; y++) {
        int ih = h0 + y * g.dilationH();
        if (ih < 0 || ih >= g.inHeight()) {
          continue;
        }
        int rowBase = (plane + ih) * g.inWidth();
        int wRow = wOff + (c * kh + y) * kw;
        for (int x = 0; x < kw; x++) {
          int iw = w0 + x * g.dilationW();
          double v = weights[wRow + x];
          if (iw < 0 || iw >= g.inWidth() || v == 0) {
            continue;
          }
          index[count] = rowBase + iw;
          w[count++] = v;
        }
      }
    }
    return count;
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] out = new double[outputSize];
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      double s = biasOf(o);
      for (int t = 0; t < n; t++) {
        s += w[t] * input[idx[t]];
      }
      out[o] = s;
    }
    return out;
  }

  /** As {@link DenseLayer#intervalForward}, over each output's taps. */
  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    double[] m = Layer.magnitudes(inLower, inUpper);
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      double b = biasOf(o);
      double lo = b;
      double hi = b;
      double magnitude = Math.abs(b);
      for (int t = 0; t < n; t++) {
        int j = idx[t];
        double a1 = w[t] * inLower[j];
        double a2 = w[t] * inUpper[j];
        lo += Math.min(a1, a2);
        hi += Math.max(a1, a2);
        magnitude += Math.abs(w[t]) * m[j];
      }
      double err = Rounding.dotError(g.kernelSize() + 1, magnitude);
      outLower[o] = Math.nextDown(lo - err);
      outUpper[o] = Math.nextUp(hi + err);
    }
  }

  /**
   * {@code sum_o A_o z_o = (A W) x + A b}, the product {@code A W} being the transposed
   * convolution of each row of A. Error terms exactly as {@link DenseLayer#backSubstitute}: each
   * input coefficient is a sum of at most {@code outputSize} products, so the slack
   * {@code dotError(outputSize + inputSize, sum_o |A_o| (|W_o| m) + |A_o b_o|)} covers the
   * coefficient errors on the box and the constant's.
   */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int rows = overOutput.rows();
    double[] m = Layer.magnitudes(inLower, inUpper);
    double[] wm = new double[outputSize]; // |W_o| m, rounded up
    double factor = 1 + 4 * Rounding.gamma(g.kernelSize());
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      double s = 0;
      for (int t = 0; t < n; t++) {
        s += Math.abs(w[t]) * m[idx[t]];
      }
      wm[o] = Math.nextUp(s * factor);
    }
    overInput.reset(rows, inputSize);
    overInput.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    double[] out = overInput.coef();
    long work = (long) rows * outputSize * g.kernelSize();
    int chunks = work >= PARALLEL_WORK ? Math.min(rows, 4 * Runtime.getRuntime()
        .availableProcessors()) : 1;
    int per = (rows + chunks - 1) / chunks;
    IntStream range = IntStream.range(0, chunks);
    (chunks > 1 ? range.parallel() : range).forEach(c -> transposedRows(a, out,
        c * per, Math.min(rows, (c + 1) * per), wm, overInput));
  }

  /** Rows {@code r0..r1-1} of {@code out = A W}, one output's taps enumerated for all rows. */
  private void transposedRows(double[] a, double[] out, int r0, int r1, double[] wm,
      SymbolicRows overInput) {
    if (r0 >= r1) {
      return;
    }
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = -1; // taps computed only when some row uses this output
      for (int r = r0; r < r1; r++) {
        double c = a[r * outputSize + o];
        if (c == 0) {
          continue;
        }
        if (n < 0) {
          n = taps(o, idx, w);
        }
        int oOff = r * inputSize;
        for (int t = 0; t < n; t++) {
          out[oOff + idx[t]] += c * w[t];
        }
      }
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
        double cb = c * biasOf(o);
        constant += cb;
        magnitude += Math.abs(c) * wm[o] + Math.abs(cb);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(outputSize + inputSize, magnitude));
    }
  }

  /** As {@link DenseLayer#forwardSymbolic}: each output a nonnegative combination of its taps. */
  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(outputSize);
    int k = g.kernelSize();
    int[] idx = new int[k];
    double[] w = new double[k];
    double[] abs = new double[k];
    boolean[] negLower = new boolean[k];
    boolean[] negUpper = new boolean[k];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      for (int t = 0; t < n; t++) {
        double v = in.isZero(idx[t]) ? 0 : w[t]; // inactive ReLU: skipping it changes nothing
        abs[t] = Math.abs(v);
        negLower[t] = v < 0;
        negUpper[t] = v > 0;
      }
      in.combine(out.lower(), o, n, abs, idx, negLower, biasOf(o));
      in.combine(out.negatedUpper(), o, n, abs, idx, negUpper, -biasOf(o));
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] grad = new double[inputSize];
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      double c = gradOutput[o];
      if (c == 0) {
        continue;
      }
      int n = taps(o, idx, w);
      for (int t = 0; t < n; t++) {
        grad[idx[t]] += c * w[t];
      }
    }
    return grad;
  }

  /** An affine layer: back-substitution is exact, there is no slope to choose. */
  @Override
  public int lowerSlopeCount() {
    return 0;
  }

  @Override
  public void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow) {
    // no slopes
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput) {
    backSubstitute(overOutput, inLower, inUpper, overInput);
  }

  /** As {@link DenseLayer#slopeGradientStep}: the adjoint of {@code a -> (a W, a . b)}. */
  @Override
  public double[] slopeGradientStep(double[] g, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow) {
    return evaluate(g);
  }

  /** As {@link DenseLayer#evaluateFloat32}: per output, its taps summed in float32 in order. */
  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[outputSize];
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w); // a skipped zero weight or pad adds +-0: the float sum is the same
      float acc = 0f;
      for (int t = 0; t < n; t++) {
        acc = acc + (float) w[t] * x[idx[t]];
      }
      y[o] = acc + (float) biasOf(o);
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal[] y = new BigDecimal[outputSize];
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      BigDecimal s = new BigDecimal(biasOf(o));
      for (int t = 0; t < n; t++) {
        if (v[idx[t]].signum() != 0) {
          s = s.add(new BigDecimal(w[t]).multiply(v[idx[t]]));
        }
      }
      y[o] = s;
    }
    return y;
  }

  /**
   * As {@link DenseLayer#evaluateRounded} with the dot product over the taps: {@code
   * gamma_{k+1} (sum |w_t x_t| + |b|) + sum |w_t| e_t} plus underflow, k the kernel size (at
   * least the tap count, and gamma grows with its argument).
   */
  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision p) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = p.float32()
        ? RoundedEvaluation.toDouble(evaluateFloat32(RoundedEvaluation.toFloat(x))) : evaluate(x);
    double[] ey = new double[outputSize];
    int k = g.kernelSize();
    double gk = RoundedEvaluation.gamma(k + 1, p.unit());
    int[] idx = new int[k];
    double[] w = new double[k];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      double mag = Math.abs(biasOf(o));
      double prop = 0;
      for (int t = 0; t < n; t++) {
        mag = Math.nextUp(mag + Math.nextUp(Math.abs(w[t] * x[idx[t]])));
        prop = Math.nextUp(prop + Math.nextUp(Math.abs(w[t]) * e[idx[t]]));
      }
      ey[o] = Math.nextUp(Math.nextUp(gk * mag) + prop + (k + 1) * p.tiny());
    }
    return new RoundedEvaluation.Result(y, ey);
  }

  /**
   * As {@link DenseLayer#encodeLp}, sparse: {@code y_o - sum_t w_t x_(idx t) = b_o} over the
   * taps, an input that is the constant 0 dropping out.
   */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = new int[outputSize];
    int[] taps = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      out[o] = lp.variable(bounds.outLower()[o], bounds.outUpper()[o]);
      int n = taps(o, taps, w);
      int used = 0;
      int[] idx = new int[n + 1];
      double[] coef = new double[n + 1];
      idx[used] = out[o];
      coef[used++] = 1;
      for (int t = 0; t < n; t++) {
        if (in[taps[t]] >= 0) {
          idx[used] = in[taps[t]];
          coef[used++] = -w[t];
        }
      }
      double b = biasOf(o);
      lp.row(Arrays.copyOf(idx, used), Arrays.copyOf(coef, used), b, b);
    }
    return out;
  }

  /**
   * Reshape to {@code [1, C, H, W]}, Conv with this layer's attributes, Reshape back to
   * {@code [1, outputSize]}: what {@code io.OnnxReader} reads back to this layer.
   */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.int64Initializer("convIn" + k, new long[] {1, g.inChannels(), g.inHeight(),
        g.inWidth()});
    onnx.int64Initializer("convOut" + k, new long[] {1, outputSize});
    onnx.initializer("W" + k, new long[] {g.outChannels(), g.inChannels() / g.groups(),
        g.kernelHeight(), g.kernelWidth()}, weights);
    onnx.initializer("B" + k, new long[] {g.outChannels()}, bias);
    onnx.nodeWithAttributes("convReshapeIn" + k, "Reshape", new String[] {input, "convIn" + k},
        input + "_nchw", List.of());
    onnx.nodeWithAttributes("conv" + k, "Conv", new String[] {input + "_nchw", "W" + k, "B" + k},
        output + "_nchw", List.of(
            IntAttribute.ints("kernel_shape", g.kernelHeight(), g.kernelWidth()),
            IntAttribute.ints("strides", g.strideH(), g.strideW()),
            IntAttribute.ints("pads", g.padTop(), g.padLeft(), g.padBottom(), g.padRight()),
            IntAttribute.ints("dilations", g.dilationH(), g.dilationW()),
            IntAttribute.integer("group", g.groups())));
    onnx.nodeWithAttributes("convReshapeOut" + k, "Reshape", new String[] {output + "_nchw", "convOut" + k},
        output, List.of());
  }

  /** A product network is built from affine steps: the convolution's matrix materialised. */
  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    DenseLayer dense = toDense();
    lane.affine(name, inputSize, outputSize, dense.weights(), dense.bias());
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(new double[] {g.inChannels(), g.inHeight(), g.inWidth(), g.outChannels(),
        g.kernelHeight(), g.kernelWidth(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(),
        g.padBottom(), g.padRight(), g.dilationH(), g.dilationW(), g.groups()});
    sink.numbers(weights);
    sink.numbers(bias);
  }

  @Override
  public String kind() {
    return "conv";
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

  /**
   * The same map as a dense layer (the convolution's matrix materialised): for tests, and to
   * measure what not materialising it saves. Throws when the matrix would not fit in an array.
   */
  public DenseLayer toDense() {
    long cells = (long) inputSize * outputSize;
    if (cells > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("conv layer " + name + ": " + outputSize + "x" + inputSize
          + " matrix is too large to materialise");
    }
    double[] dense = new double[(int) cells];
    double[] b = new double[outputSize];
    int[] idx = new int[g.kernelSize()];
    double[] w = new double[g.kernelSize()];
    for (int o = 0; o < outputSize; o++) {
      int n = taps(o, idx, w);
      for (int t = 0; t < n; t++) {
        dense[o * inputSize + idx[t]] += w[t];
      }
      b[o] = biasOf(o);
    }
    return new DenseLayer(name, inputSize, outputSize, dense, b);
  }

  @Override
  public String toString() {
    return "Conv " + name + " " + g.inChannels() + "x" + g.inHeight() + "x" + g.inWidth() + "->"
        + g.outChannels() + "x" + g.outHeight() + "x" + g.outWidth();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvLayer c && c.g.equals(g) && Arrays.equals(c.weights, weights)
        && Arrays.equals(c.bias, bias);
  }

  @Override
  public int hashCode() {
    return g.hashCode() * 31 + Arrays.hashCode(weights) * 17 + Arrays.hashCode(bias);
  }
}
