package dev.robustspec.engine.network;

import dev.robustspec.engine.relax.ForwardBounds;
import dev.robustspec.engine.relax.SymbolicRows;

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
