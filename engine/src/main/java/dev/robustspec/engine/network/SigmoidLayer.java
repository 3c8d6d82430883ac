package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@code y[i] = 1 / (1 + exp(-x[i]))} (ONNX Sigmoid), relaxed by {@link SCurve}'s tangent and
 * chord lines with rigorous intercepts ({@link ActivationLines}).
 */
public record SigmoidLayer(String name, int size) implements Layer {
  private static final ScalarActivation SIGMOID = new SCurve.Sigmoid();


  public SigmoidLayer {
    if (size <= 0) {
      throw new IllegalArgumentException("sigmoid layer " + name + ": size must be positive");
    }
  }

  /** The scalar function and its relaxation data. */
  public ScalarActivation activation() {
    return SIGMOID;
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

  @Override
  public float[] evaluateFloat32(float[] input) {
    return ElementwiseRules.evaluateFloat32(activation(), input);
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] input) {
    return ElementwiseRules.noExactRule(kind(), name);
  }

  /** The lines of {@link ActivationLines} as LP rows. */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    return ElementwiseRules.encodeLp(activation(), lp, in, bounds);
  }

  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.node("sigmoid" + k, "Sigmoid", new String[] {input}, output, null);
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    // nothing beyond the class and the size
  }

  @Override
  public String kind() {
    return "sigmoid";
  }
}
