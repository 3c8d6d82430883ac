package dev.robustspec.engine.network;

import dev.robustspec.engine.relax.ForwardBounds;
import dev.robustspec.engine.relax.SymbolicRows;

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
  public boolean relaxed() {
    return true;
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
}
