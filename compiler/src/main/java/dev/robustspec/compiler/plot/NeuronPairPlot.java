package dev.robustspec.compiler.plot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The neuron-pair picture: two panels side by side, the plane of two ReLUs' inputs and the plane
 * of their outputs, each with the relaxations' sets as translucent polygons and the sampled true
 * values as dots drawn last. Pure drawing: {@link PlotService} computes what is drawn.
 *
 * <p>For tests and tools, each set is a {@code <polygon data-series="LABEL">} and the dots are the
 * {@code <circle>}s of a {@code <g data-series="samples">}, inside a {@code <g data-panel=...>}.
 */
final class NeuronPairPlot {
  private NeuronPairPlot() {}

  /** Colours and dash patterns, assigned in series order to sets without a colour. */
  static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
      "#8c564b"};
  private static final String[] DASHES = {null, "7 4", "2 3", "10 3 2 3", "4 4", "1 2"};
  static final String SAMPLE_COLOUR = "#111111";

  /**
   * One plane: its title, axis labels, the sets in legend order and the sampled points
   * ({@code points[n] = {x, y}} in data coordinates).
   */
  record Panel(String id, String title, String xLabel, String yLabel, List<PlotSet> sets,
      double[][] points, String samplesLabel) {}

  private static final double PANEL_WIDTH = 500;
  private static final double PLOT_LEFT = 78;
  private static final double PLOT_WIDTH = 400;
  private static final double PLOT_HEIGHT = 340;

  static String render(String title, List<String> subtitle, Panel left, Panel right,
      List<String> notes) {
    int legendRows = Math.max(left.sets().size(), right.sets().size()) + 1;
    double panelTop = 40 + 17 * subtitle.size() + 22;
    double plotTop = panelTop + 16;
    double legendTop = plotTop + PLOT_HEIGHT + 56;
    double notesTop = legendTop + 19 * legendRows + 12;
    double height = notesTop + 16 * notes.size() + 8;
    SvgWriter svg = new SvgWriter(2 * PANEL_WIDTH, height);
    svg.empty("rect", "width", 2 * PANEL_WIDTH, "height", height, "fill", "white");
    svg.text("text", title, "x", PANEL_WIDTH, "y", 28, "text-anchor", "middle", "font-size", 17,
        "font-weight", "bold", "data-role", "title");
    for (int k = 0; k < subtitle.size(); k++) {
      svg.text("text", subtitle.get(k), "x", PANEL_WIDTH, "y", 48 + 17 * k, "text-anchor",
          "middle", "fill", "#444");
    }
    panel(svg, left, 0, panelTop, plotTop, legendTop);
    panel(svg, right, PANEL_WIDTH, panelTop, plotTop, legendTop);
    for (int k = 0; k < notes.size(); k++) {
      svg.text("text", notes.get(k), "x", 20, "y", notesTop + 16 * k, "font-size", 11, "fill",
          "#444", "data-role", "note");
    }
    return svg.finish();
  }

  private static void panel(SvgWriter svg, Panel p, double x0, double panelTop, double plotTop,
      double legendTop) {
    List<List<double[]>> hulls = new ArrayList<>();
    for (PlotSet s : p.sets()) {
      hulls.add(Geometry.convexHull(s.vertices()));
    }
    // the view: the samples and the sets, tightest first, as long as a set does not make it
    // more than WIDE times larger; a much wider set (the interval box of a deep layer) is
    // clipped at the frame and says how far it extends
    List<Integer> byArea = new ArrayList<>();
    for (int k = 0; k < hulls.size(); k++) {
      byArea.add(k);
    }
    byArea.sort(Comparator.comparingDouble((Integer k) -> Geometry.area(hulls.get(k))));
    double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double[] pt : p.points()) {
      include(range, pt[0], pt[1]);
    }
    Set<Integer> clipped = new HashSet<>();
    for (int k : byArea) {
      double[] with = range.clone();
      for (double[] v : hulls.get(k)) {
        include(with, v[0], v[1]);
      }
      if (k != byArea.get(0) && span(range) > 0 && span(with) > WIDE * span(range)) {
        clipped.add(k);
      } else {
        range = with;
      }
    }
    double[] xr = padded(range[0], range[1]);
    double[] yr = padded(range[2], range[3]);
    double left = x0 + PLOT_LEFT;
    double bottom = plotTop + PLOT_HEIGHT;
    Scale sx = new Scale(xr[0], xr[1], left, left + PLOT_WIDTH);
    Scale sy = new Scale(yr[0], yr[1], bottom, plotTop);

    svg.start("g", "data-panel", p.id());
    svg.text("text", p.title(), "x", left + PLOT_WIDTH / 2, "y", panelTop, "text-anchor",
        "middle", "font-size", 14, "font-weight", "bold", "data-role", "panel-title");
    svg.empty("rect", "x", left, "y", plotTop, "width", PLOT_WIDTH, "height", PLOT_HEIGHT,
        "fill", "#fbfbfb", "stroke", "#999");
    axisTicks(svg, sx, true, bottom, left);
    axisTicks(svg, sy, false, bottom, left);
    svg.text("text", p.xLabel(), "x", left + PLOT_WIDTH / 2, "y", bottom + 38, "text-anchor",
        "middle", "data-role", "x-label");
    double ly = plotTop + PLOT_HEIGHT / 2;
    double lx = left - 58;
    svg.text("text", p.yLabel(), "x", lx, "y", ly, "text-anchor", "middle", "transform",
        "rotate(-90 " + SvgWriter.num(lx) + " " + SvgWriter.num(ly) + ")", "data-role",
        "y-label");

    // the frame clips what extends beyond the view
    String clip = "frame-" + p.id();
    svg.start("clipPath", "id", clip);
    svg.empty("rect", "x", left, "y", plotTop, "width", PLOT_WIDTH, "height", PLOT_HEIGHT);
    svg.end("clipPath");
    // larger sets first, smaller ones on top; fills are opaque tints, so every region shows
    // the tint of the smallest set over it, the colour of that set's legend swatch
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < hulls.size(); k++) {
      order.add(k);
    }
    // equal areas keep the legend order: the later set on top
    order.sort(Comparator.comparingDouble((Integer k) -> -Geometry.area(hulls.get(k))));
    for (int k : order) {
      PlotSet s = p.sets().get(k);
      StringBuilder pts = new StringBuilder();
      for (double[] v : hulls.get(k)) {
        pts.append(pts.length() == 0 ? "" : " ").append(SvgWriter.num(sx.map(v[0]))).append(',')
            .append(SvgWriter.num(sy.map(v[1])));
      }
      svg.start("polygon", "data-series", s.label(), "data-clipped",
          clipped.contains(k) ? "true" : null, "points", pts.toString(), "fill",
          fill(colour(s, k)), "stroke", colour(s, k), "stroke-width", 2,
          "stroke-dasharray", DASHES[k % DASHES.length], "stroke-linejoin", "round",
          "stroke-linecap", "round", "clip-path", "url(#" + clip + ")");
      svg.text("title", s.label());
      svg.end("polygon");
    }
    int marks = 0;
    for (int k = 0; k < p.sets().size(); k++) {
      if (clipped.contains(k)) {
        double[] b = bounds(hulls.get(k));
        svg.text("text", "↗ " + p.sets().get(k).label() + " extends beyond the frame, to ["
            + g4(b[0]) + ", " + g4(b[1]) + "] × [" + g4(b[2]) + ", " + g4(b[3]) + "]", "x", left + 6, "y",
            plotTop + 14 + 13 * marks++, "font-size", 10, "fill", colour(p.sets().get(k), k),
            "data-role", "clipped", "data-series", p.sets().get(k).label());
      }
    }
    // dots last; points that land on the same spot are drawn once
    svg.start("g", "data-series", "samples", "fill", SAMPLE_COLOUR, "fill-opacity", 0.5);
    Set<String> drawn = new HashSet<>();
    for (double[] pt : p.points()) {
      String cx = SvgWriter.num(sx.map(pt[0]));
      String cy = SvgWriter.num(sy.map(pt[1]));
      if (drawn.add(cx + "," + cy)) {
        svg.empty("circle", "cx", cx, "cy", cy, "r", 1.3);
      }
    }
    svg.end("g");

    svg.start("g", "data-role", "legend");
    for (int k = 0; k < p.sets().size(); k++) {
      PlotSet s = p.sets().get(k);
      double y = legendTop + 19 * k;
      svg.empty("rect", "x", left, "y", y - 10, "width", 26, "height", 12, "fill",
          fill(colour(s, k)), "stroke", colour(s, k), "stroke-width", 2, "stroke-dasharray",
          DASHES[k % DASHES.length], "data-swatch", s.label());
      svg.text("text", s.label(), "x", left + 34, "y", y, "data-legend", s.label());
    }
    double y = legendTop + 19 * p.sets().size();
    svg.empty("circle", "cx", left + 13, "cy", y - 4, "r", 2.5, "fill", SAMPLE_COLOUR);
    svg.text("text", p.samplesLabel(), "x", left + 34, "y", y, "data-legend", "samples");
    svg.end("g");
    svg.end("g");
  }

  /** A set larger than this many times the view of the samples and tighter sets is clipped. */
  static final double WIDE = 4;
  /** How much of the set's colour its fill tint takes (the rest is white). */
  static final double TINT = 0.16;

  /** The opaque tint of {@code #rrggbb} (other CSS colours are taken as they are). */
  static String fill(String colour) {
    if (!colour.matches("#[0-9a-fA-F]{6}")) {
      return colour;
    }
    StringBuilder sb = new StringBuilder("#");
    for (int c = 0; c < 3; c++) {
      int v = Integer.parseInt(colour.substring(1 + 2 * c, 3 + 2 * c), 16);
      sb.append(String.format("%02x", (int) Math.round(255 - (255 - v) * TINT)));
    }
    return sb.toString();
  }

  private static String g4(double v) {
    return v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.4g", v);
  }

  /** The larger side of a range {xLo, xHi, yLo, yHi} (0 for an empty or a single point). */
  private static double span(double[] r) {
    return r[0] <= r[1] ? Math.max(r[1] - r[0], r[3] - r[2]) : 0;
  }

  /** {xLo, xHi, yLo, yHi} of the points. */
  private static double[] bounds(List<double[]> points) {
    double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (double[] v : points) {
      include(r, v[0], v[1]);
    }
    return r;
  }

  private static String colour(PlotSet s, int index) {
    return s.colour() != null ? s.colour() : PALETTE[index % PALETTE.length];
  }

  private static void axisTicks(SvgWriter svg, Scale s, boolean horizontal, double bottom,
      double left) {
    double step = Ticks.step(s.lo(), s.hi(), 6);
    for (double v : Ticks.linear(s.lo(), s.hi(), step)) {
      double pos = s.map(v);
      String label = Ticks.label(v, step);
      if (horizontal) {
        svg.empty("line", "x1", pos, "y1", bottom - PLOT_HEIGHT, "x2", pos, "y2", bottom,
            "stroke", "#e3e3e3");
        svg.empty("line", "x1", pos, "y1", bottom, "x2", pos, "y2", bottom + 5, "stroke", "#555");
        svg.text("text", label, "x", pos, "y", bottom + 18, "text-anchor", "middle",
            "font-size", 11);
      } else {
        svg.empty("line", "x1", left, "y1", pos, "x2", left + PLOT_WIDTH, "y2", pos, "stroke",
            "#e3e3e3");
        svg.empty("line", "x1", left - 5, "y1", pos, "x2", left, "y2", pos, "stroke", "#555");
        svg.text("text", label, "x", left - 8, "y", pos + 4, "text-anchor", "end",
            "font-size", 11);
      }
    }
  }

  private static void include(double[] range, double x, double y) {
    range[0] = Math.min(range[0], x);
    range[1] = Math.max(range[1], x);
    range[2] = Math.min(range[2], y);
    range[3] = Math.max(range[3], y);
  }

  /** [lo, hi] widened by 5% each side; a single value gets a visible range around it. */
  static double[] padded(double lo, double hi) {
    if (!(lo <= hi)) {
      return new double[] {-1, 1};
    }
    double w = hi - lo;
    if (w <= 1e-12 * Math.max(1, Math.abs(lo))) {
      double half = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      return new double[] {lo - half, hi + half};
    }
    return new double[] {lo - 0.05 * w, hi + 0.05 * w};
  }

  /** A linear map from data [lo, hi] to pixels [from, to]. */
  record Scale(double lo, double hi, double from, double to) {
    double map(double v) {
      return from + (v - lo) / (hi - lo) * (to - from);
    }
  }
}
