package dev.robustspec.engine.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A feed-forward network: a chain of layers over flat vectors. The input shape is kept for
 * messages and VNN-LIB variable naming ({@code X_i} indexes the flattened input).
 *
 * @param views what bound tables, hovers and plots show: the graph's nodes for a lowered
 *     {@link NetworkGraph}, else one per layer ({@link NodeView#ofChain}; null means that)
 */
public record Network(String name, int[] inputShape, List<Layer> layers, List<NodeView> views) {

  /** A chain shown layer by layer. */
  public Network(String name, int[] inputShape, List<Layer> layers) {
    this(name, inputShape, layers, null);
  }

  public Network {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("network " + name + " has no layers");
    }
    views = views == null ? NodeView.ofChain(inputShape, layers) : List.copyOf(views);
    for (NodeView v : views) {
      if (v.boundIndex() < 1 || v.boundIndex() > layers.size()
          || v.size() > layers.get(v.boundIndex() - 1).outputSize()) {
        throw new IllegalArgumentException("network " + name + ": node " + v + " is not in it");
      }
    }
    int size = Shapes.size(inputShape);
    for (Layer layer : layers) {
      if (layer.inputSize() != size) {
        throw new IllegalArgumentException(
            "network " + name + ": layer " + layer.name() + " expects " + layer.inputSize()
                + " inputs but receives " + size);
      }
      size = layer.outputSize();
    }
  }

  public int inputSize() {
    return Shapes.size(inputShape);
  }

  /** The input as tables show it: its shape without the batch dimension. */
  public NodeView inputView() {
    return new NodeView("input", "input", Shapes.withoutBatch(inputShape), 0, null);
  }

  public int outputSize() {
    return layers.get(layers.size() - 1).outputSize();
  }

  /** Concrete forward pass in double precision. */
  public double[] evaluate(double[] input) {
    if (input.length != inputSize()) {
      throw new IllegalArgumentException(
          "network " + name + " takes " + inputSize() + " inputs, got " + input.length);
    }
    double[] v = input;
    for (Layer layer : layers) {
      v = layer.evaluate(v);
    }
    return v;
  }

  /** Every intermediate value: entry 0 is the input, entry k+1 the output of layer k. */
  public List<double[]> trace(double[] input) {
    List<double[]> values = new ArrayList<>(layers.size() + 1);
    double[] v = input.clone();
    values.add(v);
    for (Layer layer : layers) {
      v = layer.evaluate(v);
      values.add(v);
    }
    return values;
  }

  /** Number of weights and biases. */
  public long parameterCount() {
    long n = 0;
    for (Layer l : layers) {
      n += l.parameterCount();
    }
    return n;
  }

  @Override
  public String toString() {
    return "Network " + name + " " + Arrays.toString(inputShape) + " " + layers.size() + " layers";
  }
}
