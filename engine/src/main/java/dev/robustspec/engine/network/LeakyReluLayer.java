package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@code y[i] = x[i]} for {@code x[i] >= 0}, else {@code alpha x[i]} (ONNX LeakyRelu). Relaxed like
 * {@link ReluLayer}: on an unstable neuron the chord on one side and, on the other, whichever of
 * the two pieces' lines leaves the smaller area ({@link PiecewiseLinear.LeakyRelu}).
 */
public record LeakyReluLayer(String name, int size, double alpha) implements Layer {

  public LeakyReluLayer {
    if (size <= 0) {
      throw new IllegalArgumentException("leaky relu layer " + name + ": size must be positive");
    }
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("leaky relu layer " + name + ": alpha must be finite, got "
          + alpha);
    }
  }

  /** The scalar function and its relaxation data. */
  public ScalarActivation activation() {
    return new PiecewiseLinear.LeakyRelu(alpha);
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

  /** {@code x > 0 ? x : alpha x} with alpha and the product in float32 (ONNX's float alpha). */
  @Override
  public float[] evaluateFloat32(float[] x) {
    float a = (float) alpha;
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i] > 0f ? x[i] : a * x[i];
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal a = new BigDecimal(alpha);
    BigDecimal[] y = new BigDecimal[v.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = v[i].signum() > 0 ? v[i] : a.multiply(v[i]);
    }
    return y;
  }

  /**
   * The lines of {@link ActivationLines} plus both pieces' lines, exact rows valid everywhere:
   * the function is {@code max(x, alpha x)} for {@code alpha <= 1} (so {@code y >= x},
   * {@code y >= alpha x}) and {@code min(x, alpha x)} above (so {@code y <=} both): with the
   * chord, the triangle relaxation as for ReLU.
   */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = ElementwiseRules.encodeLp(activation(), lp, in, bounds);
    boolean convex = alpha <= 1;
    for (int i = 0; i < out.length; i++) {
      if (in[i] < 0) {
        continue;
      }
      for (double slope : new double[] {1, alpha}) {
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -slope},
            convex ? 0 : Double.NEGATIVE_INFINITY, convex ? Double.POSITIVE_INFINITY : 0);
      }
    }
    return out;
  }

  /** ONNX LeakyRelu with its float attribute {@code alpha}. */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    if ((double) (float) alpha != alpha) {
      throw new IOException("leaky relu layer " + name + ": alpha " + alpha + " is not a float32"
          + " value, and ONNX's LeakyRelu alpha attribute is a float");
    }
    onnx.nodeWithFloat("leakyrelu" + k, "LeakyRelu", new String[] {input}, output,
        new OnnxNodeSink.FloatAttribute("alpha", (float) alpha));
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(new double[] {alpha});
  }

  @Override
  public String kind() {
    return "leakyrelu";
  }
}
