package dev.robustspec.engine.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A value the bound tables, hovers and plots show: a graph node's output under the node's own
 * name (the ONNX node), or a chain layer's output for a network that is a chain. Its neurons are
 * the first {@link #size()} values of bound index {@link #boundIndex()}: the lowering of a graph
 * puts a node's values at the front of the chain's vector and the values it carries after them
 * ({@link NetworkGraph#lower()}), so carried values and routing are never shown as layers.
 * Neurons are addressed by {@link #shape()} ({@code (c, h, w)} for an image, row-major).
 *
 * @param layer the node's layer (or join map): whether it is an activation, shape-only
 */
public record NodeView(String name, String kind, int[] shape, int boundIndex, Layer layer) {

  public NodeView {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Number of neurons. */
  public int size() {
    return Shapes.size(shape);
  }

  /**
   * True when the values have channels worth summarising one by one: a shape {@code (c, h, w)}
   * with more than one position per channel (a {@code (c, 1, 1)} value is a vector).
   */
  public boolean hasChannels() {
    return shape.length == 3 && Math.max(shape[1], 1) * Math.max(shape[2], 1) > 1;
  }

  /** Neurons per channel ({@code h * w}; the whole size without channels). */
  public int channelSize() {
    return hasChannels() ? Math.max(shape[1], 1) * Math.max(shape[2], 1) : size();
  }

  /** The multi-index of flat neuron {@code i} (row-major), e.g. {@code [c, h, w]}. */
  public int[] index(int i) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = i % Math.max(shape[d], 1);
      i /= Math.max(shape[d], 1);
    }
    return idx;
  }

  /** The flat neuron at a multi-index, or -1 when it is outside the shape (or of wrong rank). */
  public int flat(int[] index) {
    if (index.length != shape.length) {
      return -1;
    }
    int i = 0;
    for (int d = 0; d < shape.length; d++) {
      if (index[d] < 0 || index[d] >= Math.max(shape[d], 1)) {
        return -1;
      }
      i = i * Math.max(shape[d], 1) + index[d];
    }
    return i;
  }

  /** A neuron as shown: {@code (3, 4, 5)} for an image, {@code 7} for a vector. */
  public String neuronLabel(int i) {
    if (shape.length <= 1) {
      return Integer.toString(i);
    }
    int[] idx = index(i);
    StringBuilder sb = new StringBuilder("(");
    for (int d = 0; d < idx.length; d++) {
      sb.append(d == 0 ? "" : ", ").append(idx[d]);
    }
    return sb.append(')').toString();
  }

  /** The shape as shown: {@code 16x8x8}. */
  public String shapeLabel() {
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d < shape.length; d++) {
      sb.append(d == 0 ? "" : "x").append(shape[d]);
    }
    return sb.toString();
  }

  /** The view of a chain: one entry per layer, each shape from its layer's display rule. */
  static List<NodeView> ofChain(int[] inputShape, List<Layer> layers) {
    List<NodeView> views = new ArrayList<>();
    int[] shape = Shapes.withoutBatch(inputShape);
    for (int k = 0; k < layers.size(); k++) {
      Layer l = layers.get(k);
      shape = l.outputShape(shape);
      if (Shapes.size(shape) != l.outputSize()) {
        shape = new int[] {l.outputSize()};
      }
      views.add(new NodeView(l.name(), l.kind(), shape, k + 1, l));
    }
    return views;
  }

  @Override
  public String toString() {
    return name + " (" + kind + ", " + Arrays.toString(shape) + " at " + boundIndex + ")";
  }
}
