package dev.robustspec.compiler.plot;

import java.util.List;
import java.util.Locale;

/**
 * The pictures of a data-set certification: certified accuracy against epsilon (the curve
 * robustness papers show), from an epsilon sweep (points) or from per-item certified radii (a
 * step function), and a histogram of the certified radii.
 */
public final class CertifyPlots {
  private static final double WIDTH = 560;
  private static final double HEIGHT = 360;
  private static final double LEFT = 60;
  private static final double RIGHT = 20;
  private static final double TOP = 40;
  private static final double BOTTOM = 50;

  private CertifyPlots() {}

  /** One point of the curve: at {@code eps}, {@code accuracy} in [0, 1] of the items. */
  public record Point(double eps, double accuracy) {}

  /**
   * Certified accuracy against epsilon. {@code steps}: draw a staircase (from radii: accuracy
   * is constant up to the next certified radius) rather than straight segments between points.
   */
  public static String accuracyCurve(String title, List<Point> points, boolean steps,
      int items) {
    double xMax = 0;
    for (Point p : points) {
      xMax = Math.max(xMax, p.eps());
    }
    xMax = xMax > 0 ? xMax : 1;
    SvgWriter svg = frame(title, "epsilon (L-inf radius)", "certified accuracy (" + items
        + " items)", 0, xMax, 0, 1);
    StringBuilder path = new StringBuilder();
    double lastY = Double.NaN;
    for (Point p : points) {
      double x = x(p.eps(), xMax);
      double y = y(p.accuracy(), 1);
      if (path.length() == 0) {
        path.append("M").append(SvgWriter.num(x)).append(' ').append(SvgWriter.num(y));
      } else {
        if (steps) {
          path.append(" L").append(SvgWriter.num(x)).append(' ').append(SvgWriter.num(lastY));
        }
        path.append(" L").append(SvgWriter.num(x)).append(' ').append(SvgWriter.num(y));
      }
      lastY = y;
    }
    svg.empty("path", "d", path.toString(), "fill", "none", "stroke", "#1f77b4",
        "stroke-width", 2);
    if (!steps) {
      for (Point p : points) {
        svg.start("circle", "cx", x(p.eps(), xMax), "cy", y(p.accuracy(), 1), "r", 4,
            "fill", "#1f77b4");
        svg.text("title", String.format(Locale.ROOT, "eps %s: %.1f%%", p.eps(),
            100 * p.accuracy()));
        svg.end("circle");
      }
    }
    return svg.finish();
  }

  /** A histogram of certified radii ({@code bins} equal bins over [0, max]). */
  public static String radiusHistogram(String title, List<Double> radii, int uncertified,
      double max, int bins) {
    int[] counts = new int[bins];
    for (double r : radii) {
      counts[Math.min(bins - 1, (int) Math.floor(r / max * bins))]++;
    }
    int top = uncertified;
    for (int c : counts) {
      top = Math.max(top, c);
    }
    top = Math.max(top, 1);
    SvgWriter svg = frame(title, "largest certified radius", "items", 0, max, 0, top);
    double bw = (WIDTH - LEFT - RIGHT) / bins;
    for (int b = 0; b < bins; b++) {
      double h = counts[b] / (double) top * (HEIGHT - TOP - BOTTOM);
      svg.start("rect", "x", LEFT + b * bw + 1, "y", HEIGHT - BOTTOM - h, "width", bw - 2,
          "height", h, "fill", "#2ca02c");
      svg.text("title", String.format(Locale.ROOT, "[%.4g, %.4g): %d items", b * max / bins,
          (b + 1) * max / bins, counts[b]));
      svg.end("rect");
    }
    svg.text("text", uncertified + " items with no certified radius", "x", LEFT + 8, "y",
        TOP + 14, "fill", "#d62728");
    return svg.finish();
  }

  private static SvgWriter frame(String title, String xLabel, String yLabel, double x0,
      double x1, double y0, double y1) {
    SvgWriter svg = new SvgWriter(WIDTH, HEIGHT);
    svg.empty("rect", "x", 0, "y", 0, "width", WIDTH, "height", HEIGHT, "fill", "white");
    svg.text("text", title, "x", WIDTH / 2, "y", 22, "text-anchor", "middle", "font-size", 14);
    svg.empty("line", "x1", LEFT, "y1", HEIGHT - BOTTOM, "x2", WIDTH - RIGHT, "y2",
        HEIGHT - BOTTOM, "stroke", "black");
    svg.empty("line", "x1", LEFT, "y1", TOP, "x2", LEFT, "y2", HEIGHT - BOTTOM, "stroke",
        "black");
    double xs = Ticks.step(x0, x1, 6);
    for (double t : Ticks.linear(x0, x1, xs)) {
      double px = LEFT + (t - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
      svg.empty("line", "x1", px, "y1", HEIGHT - BOTTOM, "x2", px, "y2", HEIGHT - BOTTOM + 5,
          "stroke", "black");
      svg.text("text", Ticks.label(t, xs), "x", px, "y", HEIGHT - BOTTOM + 18, "text-anchor",
          "middle");
    }
    double ys = Ticks.step(y0, y1, 5);
    for (double t : Ticks.linear(y0, y1, ys)) {
      double py = HEIGHT - BOTTOM - (t - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);
      svg.empty("line", "x1", LEFT - 5, "y1", py, "x2", LEFT, "y2", py, "stroke", "black");
      svg.empty("line", "x1", LEFT, "y1", py, "x2", WIDTH - RIGHT, "y2", py, "stroke",
          "#dddddd");
      svg.text("text", Ticks.label(t, ys), "x", LEFT - 8, "y", py + 4, "text-anchor", "end");
    }
    svg.text("text", xLabel, "x", (LEFT + WIDTH - RIGHT) / 2, "y", HEIGHT - 12, "text-anchor",
        "middle");
    svg.text("text", yLabel, "x", 16, "y", (TOP + HEIGHT - BOTTOM) / 2, "text-anchor",
        "middle", "transform", "rotate(-90 16 " + SvgWriter.num((TOP + HEIGHT - BOTTOM) / 2)
            + ")");
    return svg;
  }

  private static double x(double v, double max) {
    return LEFT + v / max * (WIDTH - LEFT - RIGHT);
  }

  private static double y(double v, double max) {
    return HEIGHT - BOTTOM - v / max * (HEIGHT - TOP - BOTTOM);
  }
}
