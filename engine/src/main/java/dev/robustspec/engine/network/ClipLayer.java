package dev.robustspec.engine.network;

import dev.robustspec.engine.relax.ForwardBounds;
import dev.robustspec.engine.relax.SymbolicRows;

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
