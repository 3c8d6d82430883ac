package dev.robustspec.compiler.plot;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.List;

/**
 * The pictures of a property's relaxations, as SVG text: the plane of two ReLUs of a layer
 * ({@link #neuronPairSvg}) and the mean bound width per layer ({@link #widthsSvg}). Shared by the
 * CLI ({@code robustspec plot}) and the language server; protocol-free, stateless apart from the
 * extra relaxations it was built with.
 *
 * <p>Conventions: {@code layer} is the 1-based number of a ReLU layer of the network ("hidden
 * layer L"); neurons are 0-based indices within it, like {@code net(x)[i]} in the language. When
 * a property's unsafe cases have several input boxes, the sets drawn are the hulls of each box's
 * sets and the samples are split among the boxes in proportion to their unsafe cases.
 *
 * <p>Drawn by {@link NeuronPairPicture} and {@link WidthsPicture}, both over the property's
 * distinct input boxes and their bounds ({@link RegionBounds}); this class checks requests.
 */
public final class PlotService {
  public static final int DEFAULT_SAMPLES = 4000;
  public static final long DEFAULT_SEED = 1;
  /** The largest sample count accepted (each sample is one evaluation of the network). */
  public static final int MAX_SAMPLES = 1_000_000;

  /** How many random inputs of the region are drawn as true values, and the random seed. */
  public record Sampling(int count, long seed) {
    public static final Sampling DEFAULT = new Sampling(DEFAULT_SAMPLES, DEFAULT_SEED);
  }

  private final List<RelaxationProjector> projectors;
  private final List<WidthSeries> widthSeries;

  /** Boxes from interval and DeepPoly only. */
  public PlotService() {
    this(List.of(), List.of());
  }

  /**
   * What {@code robustspec plot} draws: the boxes, and the triangle LP and the pair's k-ReLU hull
   * projected onto the plane (one LP per polygon side, so slower on deep layers of wide nets).
   */
  public static PlotService standard() {
    return new PlotService(LpProjector.both(), List.of());
  }

  /**
   * @param projectors extra sets of the neuron-pair plot, drawn after the boxes in this order
   * @param widthSeries extra series of the widths plot, after interval and DeepPoly
   */
  public PlotService(List<RelaxationProjector> projectors, List<WidthSeries> widthSeries) {
    this.projectors = List.copyOf(projectors);
    this.widthSeries = List.copyOf(widthSeries);
  }

  /**
   * {@link #neuronPairSvg(Compilation, String, int, int, int, Sampling, Budget)} with the
   * default sampling.
   */
  public String neuronPairSvg(Compilation c, String property, int layer, int i, int j,
      Budget budget) throws PlotException {
    return neuronPairSvg(c, property, layer, i, j, Sampling.DEFAULT, budget);
  }

  /**
   * Two ReLUs of hidden layer {@code layer} under the property's region: in the plane of their
   * inputs (pre-activations) and of their outputs, the sets each relaxation allows and the true
   * values at sampled inputs.
   *
   * @throws PlotException for an unknown property, a layer or neuron out of range, equal neurons
   *     or a bad sample count, with a message for the user
   * @throws dev.robustspec.engine.base.BudgetExhaustedException when the budget runs out
   */
  public String neuronPairSvg(Compilation c, String property, int layer, int i, int j,
      Sampling sampling, Budget budget) throws PlotException {
    CompiledProperty p = property(c, property);
    Network net = p.network();
    List<Integer> relus = reluLayerIndices(net);
    if (relus.isEmpty()) {
      throw new PlotException("network " + p.networkName() + " has no ReLU layer: there is no "
          + "neuron pair to plot (--widths still works)");
    }
    if (layer < 1 || layer > relus.size()) {
      throw new PlotException("layer " + layer + " does not exist: the network "
          + p.networkName() + " has " + relus.size() + " ReLU layer" + (relus.size() == 1 ? ""
          : "s") + ", numbered 1 to " + relus.size());
    }
    int k = relus.get(layer - 1);
    NodeView view = viewAt(net, k + 1);
    int size = view.size();
    for (int n : new int[] {i, j}) {
      if (n < 0 || n >= size) {
        throw new PlotException("neuron " + n + " does not exist: hidden layer " + layer
            + " has " + size + " neurons, numbered 0 to " + (size - 1));
      }
    }
    if (i == j) {
      throw new PlotException("the two neurons must differ: got " + i + " twice");
    }
    if (sampling.count() < 1 || sampling.count() > MAX_SAMPLES) {
      throw new PlotException("the sample count must be between 1 and " + MAX_SAMPLES
          + ": got " + sampling.count());
    }
    return NeuronPairPicture.svg(p, layer, k, view, i, j, sampling, projectors, budget);
  }

  /**
   * Per layer (Reshape layers left out), the mean bound width under interval, DeepPoly (all
   * neurons refined) and each extra series, as grouped bars on a log scale.
   *
   * @throws PlotException for an unknown property, with a message for the user
   * @throws dev.robustspec.engine.base.BudgetExhaustedException when the budget runs out
   */
  public String widthsSvg(Compilation c, String property, Budget budget) throws PlotException {
    return WidthsPicture.svg(property(c, property), widthSeries, budget);
  }

  /** Bound-state indices of the network's ReLU layers, in order ("hidden layer L" = entry L-1). */
  public static List<Integer> reluLayerIndices(Network net) {
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < net.layers().size(); k++) {
      if (net.layers().get(k).isRelu()) {
        out.add(k);
      }
    }
    return out;
  }

  private static CompiledProperty property(Compilation c, String name) throws PlotException {
    for (CompiledProperty p : c.properties()) {
      if (p.name().equals(name)) {
        if (p.specification().cases().isEmpty()) {
          throw new PlotException("property " + name + " has no unsafe case (it holds"
              + " trivially), hence no input region to plot");
        }
        return p;
      }
    }
    List<String> names = c.properties().stream().map(CompiledProperty::name).toList();
    throw new PlotException("no property named '" + name + "' in " + c.fileName()
        + (names.isEmpty() ? " (it has no property that checked out)"
            : "; its properties: " + String.join(", ", names)));
  }

  /** The shown value at bound index {@code b} (a graph node, a chain layer), or null. */
  static NodeView viewAt(Network net, int b) {
    for (NodeView v : net.views()) {
      if (v.boundIndex() == b) {
        return v;
      }
    }
    return b == 0 ? net.inputView() : null;
  }

  /**
   * The flat index of the neuron at {@code index} ({@code (c, h, w)} for an image, one number
   * for a vector) of hidden layer {@code layer} of the property's network.
   */
  public int neuronAt(Compilation c, String property, int layer, int[] index)
      throws PlotException {
    Network net = property(c, property).network();
    List<Integer> relus = reluLayerIndices(net);
    if (layer < 1 || layer > relus.size()) {
      throw new PlotException("layer " + layer + " does not exist: the network has "
          + relus.size() + " ReLU layer" + (relus.size() == 1 ? "" : "s") + ", numbered 1 to "
          + relus.size());
    }
    NodeView view = viewAt(net, relus.get(layer - 1) + 1);
    int flat = view.flat(index);
    if (flat < 0) {
      throw new PlotException("neuron " + java.util.Arrays.toString(index).replace('[', '(')
          .replace(']', ')') + " does not exist: hidden layer " + layer + " (" + view.name()
          + ") has shape " + view.shapeLabel() + "; give " + view.shape().length
          + " indices per neuron, each from 0");
    }
    return flat;
  }
}
