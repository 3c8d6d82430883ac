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
   * The output of layer {@code index} (0-based, in network order; {@code -1} is the input).
   * {@code kind} is {@code input}, {@code dense}, {@code relu}, {@code affine} or {@code reshape}.
   */
  public record LayerBounds(int index, String name, String kind, int size,
      Map<String, PassBounds> bounds) {}

  /**
   * The bounds one pass gives a layer's values: the lowest lower and highest upper bound, the
   * mean width, how many neurons are stably active (lower ≥ 0), stably inactive (upper ≤ 0) or
   * unstable, and the first {@link BoundsCalculator#SHOWN_NEURONS} intervals. For a ReLU layer
   * the three counts are taken on its input (the pre-activation), where they mean something.
   */
  public record PassBounds(double min, double max, double meanWidth, int stableActive,
      int stableInactive, int unstable, List<Interval> neurons, double[] lower, double[] upper) {}

  public record Interval(double lower, double upper) {}

  public LayerBounds layer(int index) {
    for (LayerBounds l : layers) {
      if (l.index() == index) {
        return l;
      }
    }
    return null;
  }
}
