package dev.robustspec.engine.network;

import dev.robustspec.engine.relax.ForwardBounds;
import dev.robustspec.engine.relax.SymbolicRows;

/**
 * One layer of a feed-forward network, acting on flat vectors. Each layer type owns every rule
 * that concerns it (concrete evaluation here; the bound rules live beside it in the passes' layer
 * contract), so a new layer type (convolution, pooling, sigmoid) is a new implementation, not a
 * change to the passes' interface.
 */
public sealed interface Layer permits DenseLayer, ElementwiseAffineLayer, ReluLayer, ReshapeLayer,
    SigmoidLayer, TanhLayer, LeakyReluLayer, ClipLayer {

  /** A name for messages and bound tables: the ONNX node or `.nnet` layer it came from. */
  String name();

  int inputSize();

  int outputSize();

  /**
   * True when the bound rules relax this layer (a non-linear layer whose lines depend on the
   * bounds of its input), so DeepPoly tightens the bounds entering it first.
   */
  default boolean relaxed() {
    return false;
  }

  /** Concrete evaluation in double precision; {@code input} is not modified. */
  double[] evaluate(double[] input);

  /**
   * Interval rule: from bounds on this layer's input, rigorous bounds on its output (rounding
   * outward). Writes {@code outLower}/{@code outUpper}, each of length {@link #outputSize()}.
   */
  void intervalForward(double[] inLower, double[] inUpper, double[] outLower, double[] outUpper);

  /**
   * Back-substitution rule (DeepPoly/CROWN): rewrites linear lower bounds over this layer's
   * output into linear lower bounds over its input, given bounds on the input. {@code overInput}
   * is reset by the layer to {@code overOutput.rows() x inputSize()}.
   */
  void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput);

  /**
   * Forward symbolic rule (Neurify's symbolic intervals): from linear lower and upper bounds of
   * this layer's input as functions of the network input, linear bounds of its output, given
   * rigorous bounds {@code inLower}/{@code inUpper} on the input (a ReLU needs them to relax).
   * {@code in} has had {@link ForwardBounds#computeMagnitudes} called; the layer resets
   * {@code out} to {@link #outputSize()} rows and fills both batches, rounding errors in the slack.
   */
  void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper, ForwardBounds out);

  /** Gradient rule: the vector-Jacobian product at {@code input} (for the counterexample search). */
  double[] backpropagate(double[] input, double[] gradOutput);

  /** {@code max(|lower_i|, |upper_i|)}, the magnitude bound used by the rounding-error terms. */
  static double[] magnitudes(double[] lower, double[] upper) {
    double[] m = new double[lower.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = Math.max(Math.abs(lower[i]), Math.abs(upper[i]));
    }
    return m;
  }
}
