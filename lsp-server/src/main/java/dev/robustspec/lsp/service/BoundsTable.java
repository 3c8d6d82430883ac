package dev.robustspec.lsp.service;

import java.util.List;
import java.util.Map;

/**
 * Neuron bounds of a property's network under the property's input region, per pass and per
 * layer: what hovers summarise and what {@code robustspec/bounds} returns. The region is the
 * property's first input box (a VNN-LIB region may have several).
 */
public record BoundsTable(String property, String network, List<String> passes,
    List<LayerBounds> layers, Map<String, String> notComputed) {

  public BoundsTable {
    passes = List.copyOf(passes);
    layers = List.copyOf(layers);
    notComputed = Map.copyOf(notComputed);
  }

  /**
   * The output of layer {@code index} (0-based, in network order: a graph network's nodes, named
   * by their ONNX node; {@code -1} is the input). {@code kind} is {@code input} or the layer's
   * kind ({@code dense}, {@code conv}, {@code relu}, {@code add}, ...); {@code shape} addresses
   * its neurons ({@code (c, h, w)} for an image, row-major; {@code (n)} for a vector).
   */
  public record LayerBounds(int index, String name, String kind, int size, int[] shape,
      Map<String, PassBounds> bounds) {
    /** Neuron {@code i} as shown: {@code (c, h, w)} for an image, {@code i} for a vector. */
    public String neuronLabel(int i) {
      return view().neuronLabel(i);
    }

    /** Neuron {@code i}'s multi-index ({@code [c, h, w]} for an image). */
    public int[] index(int i) {
      return view().index(i);
    }

    private dev.robustspec.engine.network.NodeView view() {
      return new dev.robustspec.engine.network.NodeView(name, kind, shape, 0, null);
    }
  }

  /**
   * The bounds one pass gives a layer's values: the lowest lower and highest upper bound, the
   * mean width, how many neurons are stably active (lower ≥ 0), stably inactive (upper ≤ 0) or
   * unstable, and the first {@link BoundsCalculator#SHOWN_NEURONS} intervals. For a ReLU layer
   * the three counts are taken on its input (the pre-activation), where they mean something.
   * {@code channels}: the same summary per channel of a {@code (c, h, w)} value (else empty).
   */
  public record PassBounds(double min, double max, double meanWidth, int stableActive,
      int stableInactive, int unstable, List<Interval> neurons, double[] lower, double[] upper,
      List<dev.robustspec.engine.run.NodeBounds.Summary> channels) {}

  public record Interval(double lower, double upper) {}

  /** The network output's row. */
  public LayerBounds output() {
    return layers.get(layers.size() - 1);
  }

  public LayerBounds layer(int index) {
    for (LayerBounds l : layers) {
      if (l.index() == index) {
        return l;
      }
    }
    return null;
  }
}
