package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@code y[i] = min(max(x[i], min), max)} (ONNX Clip): two ReLU-like kinks, relaxed as in
 * {@link PiecewiseLinear.Clip}.
 */
public record ClipLayer(String name, int size, double min, double max) implements Layer {

  public ClipLayer {
    if (size <= 0) {
      throw new IllegalArgumentException("clip layer " + name + ": size must be positive");
    }
    if (!(min <= max) || Double.isNaN(min) || Double.isNaN(max)) {
      throw new IllegalArgumentException("clip layer " + name + ": min " + min
          + " must not exceed max " + max);
    }
  }

  /** The scalar function and its relaxation data. */
  public ScalarActivation activation() {
    return new PiecewiseLinear.Clip(min, max);
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
    return ActivationLines.evaluate(activation(), input);
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    ActivationLines.intervalForward(activation(), inLower, inUpper, outLower, outUpper);
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    ActivationLines.backSubstitute(activation(), overOutput, inLower, inUpper, overInput);
  }

  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    ActivationLines.forwardSymbolic(activation(), in, inLower, inUpper, out);
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    return ActivationLines.backpropagate(activation(), input, gradOutput);
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
    return ElementwiseRules.slopeGradientStep(activation(), g, inLower, inUpper,
        coefOverOutputRow);
  }

  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    return ElementwiseRules.evaluateRounded(activation(), in, precision);
  }

  /** Product networks join runs of affine maps separated by ReLUs only. */
  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    throw new IllegalArgumentException("layer " + name + " (" + kind() + "): a query over"
        + " several networks supports only affine and relu layers; verify this network alone");
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

  /** {@code min(max(x, lo), hi)} with the bounds in float32 (ONNX's float tensors). */
  @Override
  public float[] evaluateFloat32(float[] x) {
    float lo = (float) min;
    float hi = (float) max;
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.min(Math.max(x[i], lo), hi);
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal lo = new BigDecimal(min);
    BigDecimal hi = new BigDecimal(max);
    BigDecimal[] y = new BigDecimal[v.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = v[i].max(lo).min(hi);
    }
    return y;
  }

  /** The lines of {@link ActivationLines} as LP rows; the box gives {@code min <= y <= max}. */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    return ElementwiseRules.encodeLp(activation(), lp, in, bounds);
  }

  /** ONNX Clip (opset 11+): min and max as scalar initializers. */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.initializer("clip_min" + k, new long[0], new double[] {min});
    onnx.initializer("clip_max" + k, new long[0], new double[] {max});
    onnx.node("clip" + k, "Clip", new String[] {input, "clip_min" + k, "clip_max" + k}, output,
        null);
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(new double[] {min, max});
  }

  @Override
  public String kind() {
    return "clip";
  }
}
