package dev.robustspec.engine.network;

/**
 * One layer of a feed-forward network, acting on flat vectors. Each layer type owns every rule
 * that concerns it (concrete evaluation here; the bound rules live beside it in the passes' layer
 * contract), so a new layer type (convolution, pooling, sigmoid) is a new implementation, not a
 * change to the passes' interface.
 */
public sealed interface Layer permits DenseLayer, ElementwiseAffineLayer, ReluLayer, ReshapeLayer {

  /** A name for messages and bound tables: the ONNX node or `.nnet` layer it came from. */
  String name();

  int inputSize();

  int outputSize();

  /** Concrete evaluation in double precision; {@code input} is not modified. */
  double[] evaluate(double[] input);
}
