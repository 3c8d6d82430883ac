package dev.robustspec.compiler.plot;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.run.LayerBounds;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

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

  /** {@link #neuronPairSvg(Compilation, String, int, int, int, Sampling, Budget)} with the default sampling. */
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
    String li = view.neuronLabel(i);
    String lj = view.neuronLabel(j);
    // an image's neurons by (c, h, w), on the axes with the node that computes them
    NodeView pre = viewAt(net, k);
    String preName = pre != null && pre.size() == size ? pre.name() : view.name() + " input";
    boolean image = view.shape().length > 1;
    if (i == j) {
      throw new PlotException("the two neurons must differ: got " + i + " twice");
    }
    if (sampling.count() < 1 || sampling.count() > MAX_SAMPLES) {
      throw new PlotException("the sample count must be between 1 and " + MAX_SAMPLES
          + ": got " + sampling.count());
    }
    List<RegionBounds> regions = regionBounds(p, budget);

    List<PlotSet> inputSets = new ArrayList<>();
    List<PlotSet> outputSets = new ArrayList<>();
    for (boolean dp : new boolean[] {false, true}) {
      double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
      double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
      for (RegionBounds r : regions) {
        BoundState s = dp ? r.deeppoly() : r.interval();
        lo[0] = Math.min(lo[0], s.lower(k)[i]);
        lo[1] = Math.min(lo[1], s.lower(k)[j]);
        hi[0] = Math.max(hi[0], s.upper(k)[i]);
        hi[1] = Math.max(hi[1], s.upper(k)[j]);
      }
      String label = dp ? "box (deeppoly)" : "box (interval)";
      if (!(Double.isFinite(lo[0]) && Double.isFinite(lo[1]) && Double.isFinite(hi[0])
          && Double.isFinite(hi[1]))) {
        throw new PlotException("the " + label + " of neurons " + i + " and " + j
            + " is unbounded (the values overflow): there is no picture to draw");
      }
      String colour = NeuronPairPlot.PALETTE[dp ? 1 : 0];
      inputSets.add(PlotSet.box(label, lo[0], hi[0], lo[1], hi[1], colour));
      outputSets.add(PlotSet.box(label, relu(lo[0]), relu(hi[0]), relu(lo[1]), relu(hi[1]),
          colour));
    }
    List<String> notes = new ArrayList<>();
    int extra = 2;
    for (RelaxationProjector proj : projectors) {
      String colour = NeuronPairPlot.PALETTE[extra++ % NeuronPairPlot.PALETTE.length];
      for (boolean post : new boolean[] {false, true}) {
        Optional<PlotSet> set = projected(proj, net, regions, k, i, j, post, colour, budget);
        if (set.isPresent()) {
          (post ? outputSets : inputSets).add(set.get());
        } else {
          notes.add(proj.label() + ": nothing to draw in the plane of the "
              + (post ? "outputs" : "inputs"));
        }
      }
    }

    double[][][] samples = sample(net, regions, k, i, j, sampling, budget);
    RegionBounds first = regions.get(0);
    String samplesLabel = "true values at " + sampling.count() + " random inputs (seed "
        + sampling.seed() + ")";
    NeuronPairPlot.Panel in = new NeuronPairPlot.Panel("inputs",
        "Inputs of the ReLUs (pre-activations)",
        image ? preName + " " + li + " (before ReLU)" : "x" + i + " (neuron " + i + " before ReLU)",
        image ? preName + " " + lj + " (before ReLU)" : "x" + j + " (neuron " + j + " before ReLU)",
        inputSets, samples[0], samplesLabel);
    NeuronPairPlot.Panel out = new NeuronPairPlot.Panel("outputs",
        "Outputs of the ReLUs (post-activations)",
        image ? "relu(" + preName + " " + li + ")" : "relu(x" + i + ")",
        image ? "relu(" + preName + " " + lj + ")" : "relu(x" + j + ")",
        outputSets, samples[1], samplesLabel);
    String title = "Hidden layer " + layer + " of " + p.networkName() + ", neurons " + li
        + " and " + lj + ", under property " + p.name();
    List<String> subtitle = List.of(
        "neuron " + li + ": " + status(first.deeppoly(), k, i, li) + "  \u00B7  neuron " + lj
            + ": " + status(first.deeppoly(), k, j, lj),
        "layer " + view.name() + (image ? " (" + view.shapeLabel() + ")" : "") + " in the file; "
            + regions.size()
            + " input box" + (regions.size() == 1 ? "" : "es") + " ("
            + net.inputSize() + " inputs)");
    notes.add(0, "Each set is a sound over-approximation: it contains the true values (dots) of"
        + " every input of the region.");
    notes.add(1, "A box bounds each neuron alone; in the output plane it is [relu(l), relu(u)]"
        + " for each neuron's bounds [l, u].");
    if (regions.size() > 1) {
      notes.add("The property has " + regions.size() + " input boxes: each set is the hull of"
          + " the boxes' sets; the samples are split among the boxes by their unsafe cases.");
    }
    return NeuronPairPlot.render(title, subtitle, in, out, notes);
  }

  /**
   * Per layer (Reshape layers left out), the mean bound width under interval, DeepPoly (all
   * neurons refined) and each extra series, as grouped bars on a log scale.
   *
   * @throws PlotException for an unknown property, with a message for the user
   * @throws dev.robustspec.engine.base.BudgetExhaustedException when the budget runs out
   */
  public String widthsSvg(Compilation c, String property, Budget budget) throws PlotException {
    CompiledProperty p = property(c, property);
    Network net = p.network();
    List<RegionBounds> regions = regionBounds(p, budget);
    List<NodeView> shown = new ArrayList<>();
    List<WidthsPlot.Group> groups = new ArrayList<>();
    Map<String, Integer> ordinals = new LinkedHashMap<>();
    List<NodeView> views = net.views();
    for (int k = 0; k < views.size(); k++) {
      NodeView v = views.get(k);
      if (v.layer().isShapeOnly()) {
        continue;
      }
      String kind = v.kind();
      int n = ordinals.merge(kind, 1, Integer::sum);
      boolean output = k == views.size() - 1;
      shown.add(v);
      groups.add(new WidthsPlot.Group(kind + " " + n + (output ? " (output)" : ""),
          "layer " + v.name() + " in the file, " + v.size() + " values"
              + (v.shape().length > 1 ? " (" + v.shapeLabel() + ")" : "")));
    }
    List<WidthsPlot.Series> series = new ArrayList<>();
    series.add(new WidthsPlot.Series("interval", NeuronPairPlot.PALETTE[0],
        meanWidths(regions, shown, RegionBounds::interval)));
    series.add(new WidthsPlot.Series("deeppoly", NeuronPairPlot.PALETTE[1],
        meanWidths(regions, shown, RegionBounds::deeppoly)));
    List<String> notes = new ArrayList<>();
    int extra = 2;
    for (WidthSeries ws : widthSeries) {
      List<BoundState> states = new ArrayList<>();
      for (RegionBounds r : regions) {
        BoundState start = new BoundState(net, r.regionCase().region());
        start.tighten(r.deeppoly());
        ws.bounds(net, start, r.regionCase(), budget).ifPresent(states::add);
      }
      if (states.size() == regions.size()) {
        double[] means = new double[shown.size()];
        for (int g = 0; g < shown.size(); g++) {
          for (BoundState s : states) {
            means[g] += meanWidth(s, shown.get(g)) / states.size();
          }
        }
        series.add(new WidthsPlot.Series(ws.label(), NeuronPairPlot.PALETTE[extra
            % NeuronPairPlot.PALETTE.length], means));
      } else {
        notes.add(ws.label() + ": does not apply to this network, not drawn");
      }
      extra++;
    }
    for (WidthsPlot.Series ser : series) {
      for (double w : ser.meanWidths()) {
        if (!Double.isFinite(w)) {
          throw new PlotException("a layer's " + ser.label() + " bounds are unbounded (the"
              + " values overflow): there is no width to draw");
        }
      }
    }
    int floor = WidthsPlot.decades(series)[0];
    notes.add(0, "Mean over each layer's values of (upper bound - lower bound); a layer's values"
        + " are its outputs (a ReLU layer: after the ReLU).");
    notes.add(1, "Log scale: a width below " + Ticks.decade(floor) + ", such as a width of 0"
        + " (a ReLU layer whose neurons are all stably inactive), is drawn at the floor "
        + Ticks.decade(floor) + ", with no bar.");
    if (regions.size() > 1) {
      notes.add("The property has " + regions.size() + " input boxes: each width is the mean"
          + " over the boxes.");
    }
    String title = "Mean bound width per layer of " + p.networkName() + " under property "
        + p.name();
    List<String> subtitle = List.of(regions.size() + " input box"
        + (regions.size() == 1 ? "" : "es") + ", " + net.inputSize() + " inputs; lower is"
        + " tighter; DeepPoly refines every neuron");
    return WidthsPlot.render(title, subtitle, groups, series, notes);
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

  // ---- computing ----

  /** One distinct input box of a property: its first unsafe case, case count and bounds. */
  private record RegionBounds(UnsafeCase regionCase, int cases, BoundState interval,
      BoundState deeppoly) {}

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

  private static List<RegionBounds> regionBounds(CompiledProperty p, Budget budget) {
    Map<Box, List<UnsafeCase>> byRegion = new LinkedHashMap<>();
    for (UnsafeCase uc : p.specification().cases()) {
      byRegion.computeIfAbsent(uc.region(), b -> new ArrayList<>()).add(uc);
    }
    List<RegionBounds> out = new ArrayList<>();
    for (List<UnsafeCase> cases : byRegion.values()) {
      Box box = cases.get(0).region();
      BoundState interval =
          LayerBounds.compute(p.network(), box, LayerBounds.Pass.INTERVAL, budget);
      BoundState deeppoly =
          LayerBounds.compute(p.network(), box, LayerBounds.Pass.DEEPPOLY, budget);
      out.add(new RegionBounds(cases.get(0), cases.size(), interval, deeppoly));
    }
    return out;
  }

  /** The hull over the regions of a projector's polygons, or empty if one region has none. */
  private static Optional<PlotSet> projected(RelaxationProjector proj, Network net,
      List<RegionBounds> regions, int k, int i, int j, boolean post, String colour,
      Budget budget) {
    List<double[]> vertices = new ArrayList<>();
    String setColour = null;
    for (RegionBounds r : regions) {
      Optional<PlotSet> set = proj.project(net, r.deeppoly(), r.regionCase(), k, i, j, post,
          budget);
      if (set.isEmpty()) {
        return Optional.empty(); // drawing the other boxes' sets alone would not be sound
      }
      vertices.addAll(set.get().vertices());
      setColour = set.get().colour();
    }
    return Optional.of(new PlotSet(proj.label(), Geometry.convexHull(vertices),
        setColour != null ? setColour : colour));
  }

  /**
   * {@code [plane][sample] = {value of neuron i, value of neuron j}}: plane 0 the pre-activations
   * (index k), plane 1 the post-activations (index k+1), at uniform random inputs of each region.
   */
  private static double[][][] sample(Network net, List<RegionBounds> regions, int k, int i,
      int j, Sampling sampling, Budget budget) {
    int total = sampling.count();
    int cases = regions.stream().mapToInt(RegionBounds::cases).sum();
    double[][][] out = new double[2][total][];
    SplittableRandom random = new SplittableRandom(sampling.seed());
    int n = 0;
    int casesSoFar = 0;
    for (RegionBounds r : regions) {
      casesSoFar += r.cases();
      int until = (int) ((long) total * casesSoFar / cases);
      Box box = r.regionCase().region();
      for (; n < until; n++) {
        if ((n & 127) == 0) {
          budget.check();
        }
        double[] x = new double[box.dimension()];
        for (int d = 0; d < x.length; d++) {
          double lo = box.lower()[d];
          double hi = box.upper()[d];
          x[d] = Math.min(hi, lo + (hi - lo) * random.nextDouble());
        }
        double[] v = x;
        for (int layer = 0; layer < k; layer++) {
          v = net.layers().get(layer).evaluate(v);
        }
        double[] after = net.layers().get(k).evaluate(v);
        out[0][n] = new double[] {v[i], v[j]};
        out[1][n] = new double[] {after[i], after[j]};
      }
    }
    return out;
  }

  private interface StateOf {
    BoundState of(RegionBounds r);
  }

  private static double[] meanWidths(List<RegionBounds> regions, List<NodeView> shown,
      StateOf which) {
    double[] means = new double[shown.size()];
    for (int g = 0; g < shown.size(); g++) {
      for (RegionBounds r : regions) {
        means[g] += meanWidth(which.of(r), shown.get(g)) / regions.size();
      }
    }
    return means;
  }

  /** Mean width of a shown value's own neurons (not the values a graph carries past it). */
  private static double meanWidth(BoundState s, NodeView view) {
    double sum = 0;
    double[] lo = s.lower(view.boundIndex());
    double[] hi = s.upper(view.boundIndex());
    int n = view.size();
    for (int i = 0; i < n; i++) {
      sum += hi[i] - lo[i];
    }
    return sum / n;
  }


  private static double relu(double v) {
    return Math.max(v, 0.0);
  }

  private static String status(BoundState s, int k, int n, String label) {
    double lo = s.lower(k)[n];
    double hi = s.upper(k)[n];
    String word = lo >= 0 ? "always active" : hi <= 0 ? "always inactive (output 0)"
        : "unstable";
    return String.format(Locale.ROOT, "x%s in [%.4g, %.4g] by deeppoly, %s", label, lo, hi,
        word);
  }

  /** The shown value at bound index {@code b} (a graph node, a chain layer), or null. */
  private static NodeView viewAt(Network net, int b) {
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
