package dev.robustspec.compiler.plot;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.relax.BoundState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of {@link PlotService}'s widths plot: per shown layer, the mean bound width under
 * interval, DeepPoly and each extra series, the titles and notes; {@link WidthsPlot} draws it.
 */
final class WidthsPicture {
  private WidthsPicture() {}

  /**
   * The SVG of the property's mean bound widths per layer (Reshape layers left out).
   *
   * @throws PlotException when a series' bounds are unbounded (the values overflow)
   */
  static String svg(CompiledProperty p, List<WidthSeries> widthSeries, Budget budget)
      throws PlotException {
    Network net = p.network();
    List<RegionBounds> regions = RegionBounds.of(p, budget);
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
}
