package dev.robustspec.compiler.plot;

import java.util.List;

/**
 * The widths picture: per layer, the mean bound width under each pass as grouped bars on a
 * log-scale y axis with decade ticks, so a user sees where precision is lost. Pure drawing:
 * {@link PlotService} computes the widths.
 *
 * <p>For tests and tools, each bar is a {@code <rect data-series="PASS" data-layer="K"
 * data-value="WIDTH">} and each decade tick (its line and its label) carries
 * {@code data-decade="E"} for 10^E.
 */
final class WidthsPlot {
  private WidthsPlot() {}

  /** One pass: its label, colour and mean width per layer (in layer order). */
  record Series(String label, String colour, double[] meanWidths) {}

  /** One group of bars: the label under it and a tooltip (e.g. the layer's name in the file). */
  record Group(String label, String tooltip) {}

  private static final double PLOT_LEFT = 84;
  private static final double PLOT_HEIGHT = 320;
  /** The most decades the y axis spans; smaller widths are drawn at its floor. */
  static final int MAX_DECADES = 12;

  /** The decade exponents [floor, top] of the y axis for these widths. */
  static int[] decades(List<Series> series) {
    double minPositive = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Series s : series) {
      for (double w : s.meanWidths()) {
        if (w > 0) {
          minPositive = Math.min(minPositive, w);
          max = Math.max(max, w);
        }
      }
    }
    if (max == 0) {
      return new int[] {-3, 0};
    }
    // one decade below the smallest width, so that the smallest bar is still a visible bar,
    // but at most MAX_DECADES below the top: rounding slack alone can leave widths of 1e-300
    int top = (int) Math.ceil(Math.log10(max));
    int floor = Math.max(top - MAX_DECADES, (int) Math.floor(Math.log10(minPositive)) - 1);
    return new int[] {floor, Math.max(top, floor + 1)};
  }

  static String render(String title, List<String> subtitle, List<Group> groups,
      List<Series> series, List<String> notes) {
    int[] dec = decades(series);
    double floor = Math.pow(10, dec[0]);
    // at least 860 px wide (room for the notes), the bars spread over the whole width
    double width = Math.max(860, PLOT_LEFT + 30
        + groups.size() * Math.max(56, 16 * series.size() + 24));
    double plotWidth = width - PLOT_LEFT - 30;
    double groupWidth = plotWidth / groups.size();
    double plotTop = 40 + 17 * subtitle.size() + 16;
    double bottom = plotTop + PLOT_HEIGHT;
    double legendTop = bottom + 100;
    double notesTop = legendTop + 19 * series.size() + 12;
    double height = notesTop + 16 * notes.size() + 8;

    SvgWriter svg = new SvgWriter(width, height);
    svg.empty("rect", "width", width, "height", height, "fill", "white");
    svg.text("text", title, "x", width / 2, "y", 28, "text-anchor", "middle", "font-size", 17,
        "font-weight", "bold", "data-role", "title");
    for (int k = 0; k < subtitle.size(); k++) {
      svg.text("text", subtitle.get(k), "x", width / 2, "y", 48 + 17 * k, "text-anchor",
          "middle", "fill", "#444");
    }
    double left = PLOT_LEFT;
    svg.empty("rect", "x", left, "y", plotTop, "width", plotWidth, "height", PLOT_HEIGHT,
        "fill", "#fbfbfb", "stroke", "#999");
    for (int e = dec[0]; e <= dec[1]; e++) {
      double y = logY(Math.pow(10, e), dec, plotTop);
      svg.empty("line", "x1", left, "y1", y, "x2", left + plotWidth, "y2", y, "stroke",
          "#e3e3e3");
      svg.empty("line", "x1", left - 5, "y1", y, "x2", left, "y2", y, "stroke", "#555",
          "data-decade", e);
      svg.text("text", Ticks.decade(e), "x", left - 8, "y", y + 4, "text-anchor", "end",
          "font-size", 11, "data-decade", e);
    }
    double ly = plotTop + PLOT_HEIGHT / 2;
    svg.text("text", "mean bound width (log scale)", "x", left - 56, "y", ly, "text-anchor",
        "middle", "transform", "rotate(-90 " + SvgWriter.num(left - 56) + " "
            + SvgWriter.num(ly) + ")", "data-role", "y-label");

    double barWidth = (groupWidth - 16) / series.size();
    for (int g = 0; g < groups.size(); g++) {
      double gx = left + g * groupWidth + 8;
      for (int s = 0; s < series.size(); s++) {
        Series ser = series.get(s);
        double w = ser.meanWidths()[g];
        double top = logY(Math.max(w, floor), dec, plotTop);
        svg.start("rect", "data-series", ser.label(), "data-layer", g, "data-value",
            Double.toString(w), "x", gx + s * barWidth, "y", top, "width", barWidth - 1,
            "height", bottom - top, "fill", ser.colour());
        svg.text("title", groups.get(g).label() + " (" + groups.get(g).tooltip() + "), "
            + ser.label() + ": mean width " + String.format(java.util.Locale.ROOT, "%.4g", w));
        svg.end("rect");
      }
      double cx = left + (g + 0.5) * groupWidth;
      double cy = bottom + 14;
      svg.start("text", "x", cx, "y", cy, "text-anchor", "end", "font-size", 11, "transform",
          "rotate(-40 " + SvgWriter.num(cx) + " " + SvgWriter.num(cy) + ")", "data-role",
          "layer-label");
      svg.text("title", groups.get(g).tooltip());
      svg.text("tspan", groups.get(g).label());
      svg.end("text");
    }
    svg.start("g", "data-role", "legend");
    for (int s = 0; s < series.size(); s++) {
      double y = legendTop + 19 * s;
      svg.empty("rect", "x", left, "y", y - 10, "width", 26, "height", 12, "fill",
          series.get(s).colour());
      svg.text("text", series.get(s).label(), "x", left + 34, "y", y, "data-legend",
          series.get(s).label());
    }
    svg.end("g");
    for (int k = 0; k < notes.size(); k++) {
      svg.text("text", notes.get(k), "x", 20, "y", notesTop + 16 * k, "font-size", 11, "fill",
          "#444", "data-role", "note");
    }
    return svg.finish();
  }

  /** The pixel row of value {@code v} (at least 10^floor) on the log axis. */
  private static double logY(double v, int[] dec, double plotTop) {
    double t = (Math.log10(v) - dec[0]) / (dec[1] - dec[0]);
    return plotTop + PLOT_HEIGHT * (1 - t);
  }
}
