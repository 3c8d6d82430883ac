package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * An element-wise activation other than ReLU, {@code y[i] = f(x[i])} for a
 * {@link ScalarActivation} f (sigmoid, tanh, leaky ReLU, clip), with every rule of the layer
 * contract stated once over f: relaxed by {@link ActivationLines}' two lines with rigorous
 * intercepts (for sigmoid and tanh {@link SCurve}'s tangents and chords, for the piecewise-linear
 * ones {@link PiecewiseLinear}'s), LP rows of those lines plus f's own global rows (leaky ReLU's
 * pieces: the triangle), no α slopes, and the rounded radius from f's rigorous enclosure
 * ({@link ElementwiseRules}). Sigmoid and tanh have no exact rule: {@link #evaluateExact}
 * throws {@link NoExactRuleException}.
 */
public record ElementwiseActivationLayer(String name, int size, ScalarActivation activation)
    implements Layer {
  private static final ScalarActivation SIGMOID = new SCurve.Sigmoid();
  private static final ScalarActivation TANH = new SCurve.Tanh();

  public ElementwiseActivationLayer {
    if (size <= 0) {
      throw new IllegalArgumentException(activation.kind() + " layer " + name
          + ": size must be positive");
    }
  }

  /** {@code 1 / (1 + exp(-x))} (ONNX Sigmoid). */
  public static ElementwiseActivationLayer sigmoid(String name, int size) {
    return new ElementwiseActivationLayer(name, size, SIGMOID);
  }

  /** {@code tanh x} (ONNX Tanh). */
  public static ElementwiseActivationLayer tanh(String name, int size) {
    return new ElementwiseActivationLayer(name, size, TANH);
  }

  /** {@code x >= 0 ? x : alpha x} (ONNX LeakyRelu). */
  public static ElementwiseActivationLayer leakyRelu(String name, int size, double alpha) {
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("leaky relu layer " + name + ": alpha must be finite,"
          + " got " + alpha);
    }
    return new ElementwiseActivationLayer(name, size, new PiecewiseLinear.LeakyRelu(alpha));
  }

  /** {@code min(max(x, min), max)} (ONNX Clip). */
  public static ElementwiseActivationLayer clip(String name, int size, double min, double max) {
    if (!(min <= max) || Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException("clip layer " + name + ": min " + min
          + " must not exceed max " + max);
    }
    return new ElementwiseActivationLayer(name, size, new PiecewiseLinear.Clip(min, max));
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public double[] evaluate(double[] input) {
    return ActivationLines.evaluate(activation, input);
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    ActivationLines.intervalForward(activation, inLower, inUpper, outLower, outUpper);
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    ActivationLines.backSubstitute(activation, overOutput, inLower, inUpper, overInput);
  }

  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    ActivationLines.forwardSymbolic(activation, in, inLower, inUpper, out);
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    return ActivationLines.backpropagate(activation, input, gradOutput);
  }

  /** No slopes to optimise: the lines are fixed by the input bounds. */
  @Override
  public int lowerSlopeCount() {
    return 0;
  }

  @Override
  public void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow) {
    // no slopes
  }

  /** With no slopes the rule is the fixed-line one. */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput) {
    backSubstitute(overOutput, inLower, inUpper, overInput);
  }

  @Override
  public double[] slopeGradientStep(double[] g, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow) {
    return ElementwiseRules.slopeGradientStep(activation, g, inLower, inUpper,
        coefOverOutputRow);
  }

  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    return ElementwiseRules.evaluateRounded(activation, in, precision);
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = activation.valueFloat32(x[i]);
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    if (!activation.hasExactValue()) {
      return ElementwiseRules.noExactRule(kind(), name);
    }
    BigDecimal[] y = new BigDecimal[v.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = activation.exactValue(v[i]);
    }
    return y;
  }

  /** The lines of {@link ActivationLines} as LP rows, plus the activation's global rows. */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = ElementwiseRules.encodeLp(activation, lp, in, bounds);
    for (int i = 0; i < out.length; i++) {
      if (in[i] >= 0) {
        activation.addGlobalRows(lp, out[i], in[i]);
      }
    }
    return out;
  }

  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    activation.writeOnnx(onnx, name, k, input, output);
  }

  /** Product networks join runs of affine maps separated by ReLUs only. */
  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    lane.general(); // no affine or ReLU step: the product becomes a graph of the lanes
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(activation.parameters());
  }

  @Override
  public String kind() {
    return activation.kind();
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return Shapes.size(inputShape) == outputSize() ? inputShape.clone() // element-wise
        : new int[] {outputSize()};
  }

  @Override
  public boolean isActivation() {
    return true;
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
    return 0;
  }
}
