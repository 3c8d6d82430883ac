package dev.robustspec.compiler.plot;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.plot.PlotService.Sampling;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The content of {@link PlotService}'s neuron-pair plot for a request it has checked: the boxes
 * and the projectors' sets of two ReLUs in the planes of their inputs and of their outputs, the
 * true values at sampled inputs, the titles and notes; {@link NeuronPairPlot} draws it.
 */
final class NeuronPairPicture {
  private NeuronPairPicture() {}

  /**
   * The SVG of neurons {@code i} and {@code j} of hidden layer {@code layer}, whose ReLU is at
   * bound index {@code k} and whose outputs {@code view} shows.
   *
   * @throws PlotException when a box is unbounded (the values overflow)
   */
  static String svg(CompiledProperty p, int layer, int k, NodeView view, int i, int j,
      Sampling sampling, List<RelaxationProjector> projectors, Budget budget)
      throws PlotException {
    Network net = p.network();
    String li = view.neuronLabel(i);
    String lj = view.neuronLabel(j);
    // an image's neurons by (c, h, w), on the axes with the node that computes them
    NodeView pre = PlotService.viewAt(net, k);
    String preName = pre != null && pre.size() == view.size() ? pre.name()
        : view.name() + " input";
    boolean image = view.shape().length > 1;
    List<RegionBounds> regions = RegionBounds.of(p, budget);

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
}
