package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.OnnxNodeSink.IntAttribute;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A 2-D convolution (ONNX {@code Conv}, NCHW, batch 1) with strides, pads, dilations, groups and
 * a bias: {@code y[oc, oh, ow] = b[oc] + sum_(ic in group(oc), kh, kw) W[oc, ic', kh, kw]
 * x[ic, oh*sH - padTop + kh*dH, ow*sW - padLeft + kw*dW]}, padding positions contributing 0.
 * Weights are stored as ONNX stores them, {@code [outC][inC/group][kH][kW]} row-major; inputs and
 * outputs are the row-major flattenings of {@code [C][H][W]}.
 *
 * <p>Every arithmetic rule is {@link DenseLayer}'s on the sparse matrix the convolution is,
 * stated once in {@link SparseLinearRules}: this class only enumerates the taps of one output
 * (its input positions and weights), so back-substitution is the transposed convolution applied
 * to each row ({@link ConvBackSubstitution}: the same sums, a row at a time). A convolution is a
 * dot product per output over its taps.
 */
public final class ConvLayer implements AffineLayer {
  private final String name;
  private final ConvGeometry g;
  private final double[] weights;
  private final double[] bias;
  private final int inputSize;
  private final int outputSize;
  private final int outPlane; // outHeight * outWidth
  private final SparseLinearRules rules;

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
    this.rules = new SparseLinearRules(inputSize, outputSize, geometry.kernelSize(),
        new SparseLinearRules.Taps() {
          @Override
          public int taps(int o, int[] index, double[] weight) {
            return ConvLayer.this.taps(o, index, weight);
          }

          @Override
          public double bias(int o) {
            return biasOf(o);
          }
        }, new ConvBackSubstitution(geometry, weights)::scatterRow);
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
    return rules.evaluate(input);
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    rules.intervalForward(inLower, inUpper, outLower, outUpper);
  }

  /** The transposed convolution of each row ({@link SparseLinearRules#backSubstitute}). */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    rules.backSubstitute(overOutput, inLower, inUpper, overInput);
  }

  /** The same rule, the product tap by tap: the reference {@link ConvBackSubstitution} meets. */
  void backSubstituteByTaps(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    rules.backSubstitute(overOutput, inLower, inUpper, overInput, null);
  }

  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    rules.forwardSymbolic(in, out);
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    return rules.backpropagate(gradOutput);
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    return rules.evaluateFloat32(x);
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    return rules.evaluateExact(v);
  }

  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision p) {
    return rules.evaluateRounded(in, p);
  }

  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    return rules.encodeLp(lp, in, bounds);
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
    lane.general(); // kept sparse: the product becomes a graph of the lanes
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
  public int[] outputShape(int[] inputShape) {
    return new int[] {g.outChannels(), g.outHeight(), g.outWidth()};
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
    return rules.toDense(name);
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
