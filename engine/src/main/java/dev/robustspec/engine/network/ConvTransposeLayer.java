package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.OnnxNodeSink.IntAttribute;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A 2-D transposed convolution (ONNX {@code ConvTranspose}, NCHW, batch 1): the adjoint of the
 * convolution {@code adjoint} (whose input is this layer's output and whose output is this
 * layer's input), plus a bias per output channel. With ONNX's attributes (strides s, pads,
 * dilations d, groups, output_padding op) the adjoint is the convolution with the same kernel,
 * strides, pads, dilations and groups over the image of height
 * {@code s (H - 1) + op + d (k - 1) + 1 - padTop - padBottom}; ONNX's weight layout
 * {@code [C_in][C_out/group][kH][kW]} is exactly the adjoint's {@code [M][C/group][kH][kW]}.
 * {@code y[q] = b[channel(q)] + sum over the adjoint's outputs o reading q of W[o, q] x[o]}.
 *
 * <p>Every arithmetic rule is {@link SparseLinearRules}' over the taps of one output: the
 * adjoint's outputs whose window contains this output's position (for each kernel row y the row
 * {@code (h + padTop - y d) / s} when that divides). Nearest-neighbour upsampling by integer
 * scales is the depthwise transposed convolution of a kernel of ones with stride = scale
 * ({@link #nearestUpsample}).
 */
public final class ConvTransposeLayer implements AffineLayer {
  private final String name;
  private final ConvGeometry g;
  private final double[] weights;
  private final double[] bias;
  private final SparseLinearRules rules;

  public ConvTransposeLayer(String name, ConvGeometry adjoint, double[] weights, double[] bias) {
    this.name = name;
    this.g = adjoint;
    if (weights.length != (long) adjoint.outChannels() * adjoint.kernelSize()) {
      throw new IllegalArgumentException("conv transpose layer " + name + ": " + weights.length
          + " weights, expected " + adjoint.outChannels() + "x" + adjoint.kernelSize());
    }
    if (bias.length != adjoint.inChannels()) {
      throw new IllegalArgumentException("conv transpose layer " + name + ": bias has "
          + bias.length + " entries, expected " + adjoint.inChannels());
    }
    for (double w : weights) {
      DenseLayer.requireFinite(name, w);
    }
    for (double v : bias) {
      DenseLayer.requireFinite(name, v);
    }
    this.weights = weights;
    this.bias = bias;
    int maxTaps = adjoint.outChannels() / adjoint.groups() * adjoint.kernelHeight()
        * adjoint.kernelWidth();
    this.rules = new SparseLinearRules(adjoint.outputSize(), adjoint.inputSize(), maxTaps,
        new SparseLinearRules.Taps() {
          @Override
          public int taps(int o, int[] index, double[] weight) {
            return ConvTransposeLayer.this.taps(o, index, weight);
          }

          @Override
          public double bias(int o) {
            return biasOf(o);
          }
        });
  }

  /**
   * Nearest-neighbour upsampling of a {@code [channels][height][width]} image by integer scales:
   * {@code y[c, h, w] = x[c, h / scaleH, w / scaleW]}, the depthwise transposed convolution of a
   * {@code scaleH x scaleW} kernel of ones with stride = scale (each output has one tap).
   */
  public static ConvTransposeLayer nearestUpsample(String name, int channels, int height,
      int width, int scaleH, int scaleW) {
    ConvGeometry adjoint = new ConvGeometry(channels, height * scaleH, width * scaleW, channels,
        scaleH, scaleW, scaleH, scaleW, 0, 0, 0, 0, 1, 1, channels);
    double[] ones = new double[channels * scaleH * scaleW];
    Arrays.fill(ones, 1);
    return new ConvTransposeLayer(name, adjoint, ones, new double[channels]);
  }

  @Override
  public String name() {
    return name;
  }

  /** The convolution this layer is the adjoint of (its input = this layer's output). */
  public ConvGeometry adjoint() {
    return g;
  }

  /** The weight array itself, {@code [inC][outC/group][kH][kW]} (not a copy): do not modify. */
  public double[] weights() {
    return weights;
  }

  /** The bias array itself, one per output channel (not a copy): do not modify. */
  public double[] bias() {
    return bias;
  }

  @Override
  public int inputSize() {
    return g.outputSize();
  }

  @Override
  public int outputSize() {
    return g.inputSize();
  }

  /** ONNX's output_padding: rows (columns) past the last one the adjoint's windows reach. */
  public int[] outputPadding() {
    int spanH = g.dilationH() * (g.kernelHeight() - 1) + 1;
    int spanW = g.dilationW() * (g.kernelWidth() - 1) + 1;
    return new int[] {
        g.inHeight() - (g.strideH() * (g.outHeight() - 1) + spanH - g.padTop() - g.padBottom()),
        g.inWidth() - (g.strideW() * (g.outWidth() - 1) + spanW - g.padLeft() - g.padRight())};
  }

  private double biasOf(int q) {
    return bias[q / (g.inHeight() * g.inWidth())];
  }

  /** The adjoint's outputs that read input position {@code q} of the adjoint, and their weights. */
  private int taps(int q, int[] index, double[] w) {
    int plane = g.inHeight() * g.inWidth();
    int ic = q / plane;
    int ih = q % plane / g.inWidth();
    int iw = q % g.inWidth();
    int perGroupIn = g.inChannels() / g.groups();
    int perGroupOut = g.outChannels() / g.groups();
    int group = ic / perGroupIn;
    int c = ic - group * perGroupIn;
    int kh = g.kernelHeight();
    int kw = g.kernelWidth();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int count = 0;
    for (int oc = group * perGroupOut; oc < (group + 1) * perGroupOut; oc++) {
      int wOff = oc * g.kernelSize() + c * kh * kw;
      for (int y = 0; y < kh; y++) {
        int num = ih + g.padTop() - y * g.dilationH();
        if (num < 0 || num % g.strideH() != 0 || num / g.strideH() >= outH) {
          continue;
        }
        int rowBase = (oc * outH + num / g.strideH()) * outW;
        for (int x = 0; x < kw; x++) {
          int numW = iw + g.padLeft() - x * g.dilationW();
          if (numW < 0 || numW % g.strideW() != 0 || numW / g.strideW() >= outW) {
            continue;
          }
          double v = weights[wOff + y * kw + x];
          if (v != 0) {
            index[count] = rowBase + numW / g.strideW();
            w[count++] = v;
          }
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

  /** Each row of the objective goes back through the adjoint's own convolution pattern. */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    rules.backSubstitute(overOutput, inLower, inUpper, overInput);
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

  /** Reshape to {@code [1, C, H, W]}, ConvTranspose with this layer's attributes, Reshape back. */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.int64Initializer("convTIn" + k, new long[] {1, g.outChannels(), g.outHeight(),
        g.outWidth()});
    onnx.int64Initializer("convTOut" + k, new long[] {1, outputSize()});
    onnx.initializer("W" + k, new long[] {g.outChannels(), g.inChannels() / g.groups(),
        g.kernelHeight(), g.kernelWidth()}, weights);
    onnx.initializer("B" + k, new long[] {g.inChannels()}, bias);
    onnx.nodeWithAttributes("convTReshapeIn" + k, "Reshape",
        new String[] {input, "convTIn" + k}, input + "_nchw", List.of());
    int[] op = outputPadding();
    onnx.nodeWithAttributes("convT" + k, "ConvTranspose",
        new String[] {input + "_nchw", "W" + k, "B" + k}, output + "_nchw", List.of(
            IntAttribute.ints("kernel_shape", g.kernelHeight(), g.kernelWidth()),
            IntAttribute.ints("strides", g.strideH(), g.strideW()),
            IntAttribute.ints("pads", g.padTop(), g.padLeft(), g.padBottom(), g.padRight()),
            IntAttribute.ints("dilations", g.dilationH(), g.dilationW()),
            IntAttribute.ints("output_padding", op[0], op[1]),
            IntAttribute.integer("group", g.groups())));
    onnx.nodeWithAttributes("convTReshapeOut" + k, "Reshape",
        new String[] {output + "_nchw", "convTOut" + k}, output, List.of());
  }

  /** A product network is built from affine steps: the matrix materialised. */
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
    return "convtranspose";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return new int[] {g.inChannels(), g.inHeight(), g.inWidth()}; // the adjoint's input
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

  /** The same map as a dense layer (the matrix materialised), for tests and product networks. */
  public DenseLayer toDense() {
    return rules.toDense(name);
  }

  @Override
  public String toString() {
    return "ConvTranspose " + name + " " + g.outChannels() + "x" + g.outHeight() + "x"
        + g.outWidth() + "->" + g.inChannels() + "x" + g.inHeight() + "x" + g.inWidth();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvTransposeLayer c && c.g.equals(g)
        && Arrays.equals(c.weights, weights) && Arrays.equals(c.bias, bias);
  }

  @Override
  public int hashCode() {
    return g.hashCode() * 37 + Arrays.hashCode(weights) * 17 + Arrays.hashCode(bias);
  }
}
