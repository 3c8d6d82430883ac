package dev.robustspec.engine.io;

import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of single-input ONNX operators lowered into one list of layers ({@link OnnxLowerer}),
 * from graph node {@link #start}: the data value it ends in and that value's ONNX shape, and the
 * dense, element-wise and convolution layers this reader made last, so that a constant Add after
 * a Gemm, consecutive element-wise maps and a BatchNormalization after a Conv still fold. It ends
 * where its value is used by several nodes, a join or the graph output, and then becomes one
 * graph node per layer.
 */
final class OnnxSegment {
  final int start;
  private final List<Layer> layers = new ArrayList<>();
  private DenseLayer lastDense;
  private ElementwiseAffineLayer lastElementwise;
  private ConvLayer lastConv;
  private String current; // name of the value on the data path
  private int[] shape; // its ONNX shape

  OnnxSegment(int start, String current, int[] shape) {
    this.start = start;
    this.current = current;
    this.shape = shape;
  }

  /** The layers so far (not a copy). */
  List<Layer> layers() {
    return layers;
  }

  /** The name of the data value the next operator consumes. */
  String current() {
    return current;
  }

  /** The next operator's output becomes the data value. */
  void setCurrent(String value) {
    current = value;
  }

  /** The ONNX shape of the data value (not a copy). */
  int[] shape() {
    return shape;
  }

  /** Sets the ONNX shape of the data value (an operator that changes it without a layer). */
  void setShape(int[] outShape) {
    shape = outShape;
  }

  /** Appends a layer whose output has ONNX shape {@code outShape}. */
  void append(Layer layer, int[] outShape) {
    layers.add(layer);
    shape = outShape;
  }

  /** The last layer appended, or null. */
  Layer lastLayer() {
    return layers.isEmpty() ? null : layers.get(layers.size() - 1);
  }

  /** Removes the last layer (merged into the one replacing it). */
  void removeLast() {
    layers.remove(layers.size() - 1);
  }

  /** Replaces the last layer by one of the same input and output size. */
  void replaceLast(Layer layer) {
    layers.set(layers.size() - 1, layer);
  }

  /** Appends a dense layer, remembered so that a following constant Add can fold. */
  void appendDense(DenseLayer dense, int[] outShape) {
    append(dense, outShape);
    lastDense = dense;
  }

  /** The last layer when it is a dense layer this reader made, else null (no type test). */
  DenseLayer lastLayerIfDense() {
    return lastDense != null && lastLayer() == lastDense ? lastDense : null;
  }

  /** Replaces the last layer, a dense one, by another (still foldable). */
  void replaceLastDense(DenseLayer dense) {
    replaceLast(dense);
    lastDense = dense;
  }

  /** Appends an element-wise affine layer, remembered so that a following one can merge. */
  void appendElementwise(ElementwiseAffineLayer layer) {
    append(layer, shape);
    lastElementwise = layer;
  }

  /** The last layer when it is an element-wise affine layer this reader made, else null. */
  ElementwiseAffineLayer lastLayerIfElementwise() {
    return lastElementwise != null && lastLayer() == lastElementwise ? lastElementwise : null;
  }

  /** Appends a convolution, remembered so that a following BatchNormalization can fold. */
  void appendConv(ConvLayer conv, int[] outShape) {
    append(conv, outShape);
    lastConv = conv;
  }

  /** The last layer when it is a convolution this reader made, else null (no type test). */
  ConvLayer lastLayerIfConv() {
    return lastConv != null && lastLayer() == lastConv ? lastConv : null;
  }

  /** Replaces the last layer, a convolution, by another (still foldable). */
  void replaceLastConv(ConvLayer conv) {
    replaceLast(conv);
    lastConv = conv;
  }
}
