package dev.robustspec.compiler.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The widths picture, checked by parsing the SVG: a bar per layer and pass, interval's never
 * below DeepPoly's, and every bar's height where the drawn decade ticks put its value.
 */
class WidthsPlotTest {
  /** Pixels: coordinates are written with two decimals. */
  static final double PIXEL = 0.02;

  @Test
  void mnistBarsPerLayerMonotoneAndOnTheLogScale() throws PlotException {
    SvgDoc svg = SvgDoc.parse(new PlotService().widthsSvg(
        NeuronPairPlotTest.example("mnist.rspec"), "robust0_small", Budget.unlimited()));
    assertEquals("Mean bound width per layer of mnist under property robust0_small",
        SvgDoc.one(svg.root(), "text", "data-role", "title").getTextContent());
    List<String> layers = SvgDoc.with(svg.root(), "text", "data-role", "layer-label").stream()
        .map(e -> SvgDoc.all(e, "tspan").get(0).getTextContent()).toList();
    // the Flatten (reshape) layer is left out
    assertEquals(List.of("dense 1", "relu 1", "dense 2", "relu 2", "dense 3 (output)"), layers);
    SvgDoc.one(svg.root(), "text", "data-legend", "interval");
    SvgDoc.one(svg.root(), "text", "data-legend", "deeppoly");
    List<Element> interval = bars(svg, "interval");
    List<Element> deeppoly = bars(svg, "deeppoly");
    assertEquals(5, interval.size());
    assertEquals(5, deeppoly.size());
    LogAxis axis = LogAxis.of(svg);
    boolean someTighter = false;
    for (int g = 0; g < 5; g++) {
      double wi = SvgDoc.num(interval.get(g), "data-value");
      double wd = SvgDoc.num(deeppoly.get(g), "data-value");
      assertTrue(wi >= wd, "layer " + g + ": interval " + wi + " < deeppoly " + wd);
      assertTrue(height(interval.get(g)) >= height(deeppoly.get(g)), "layer " + g);
      someTighter |= wd < 0.9 * wi;
      axis.assertOnScale(interval.get(g));
      axis.assertOnScale(deeppoly.get(g));
    }
    assertTrue(someTighter, "DeepPoly should tighten some layer of this network");
  }

  @Test
  void extraSeriesIsDrawnWhereItsWidthsBelong() throws PlotException {
    // a fake pass that halves every width: its bars are log10(2) decades below DeepPoly's
    WidthSeries halving = new WidthSeries() {
      @Override
      public String label() {
        return "half of deeppoly";
      }

      @Override
      public Optional<BoundState> bounds(Network net, BoundState start, UnsafeCase regionCase,
          Budget budget) {
        for (int k = 0; k < start.size(); k++) {
          double[] lo = start.lower(k).clone();
          double[] hi = start.upper(k).clone();
          for (int n = 0; n < lo.length; n++) {
            double quarter = (hi[n] - lo[n]) / 4;
            lo[n] += quarter;
            hi[n] -= quarter;
          }
          start.tighten(k, lo, hi);
        }
        return Optional.of(start);
      }
    };
    SvgDoc svg = SvgDoc.parse(new PlotService(List.of(), List.of(halving)).widthsSvg(
        NeuronPairPlotTest.example("acasxu.rspec"), "phi3", Budget.unlimited()));
    SvgDoc.one(svg.root(), "text", "data-legend", "half of deeppoly");
    List<Element> deeppoly = bars(svg, "deeppoly");
    List<Element> half = bars(svg, "half of deeppoly");
    assertEquals(13, half.size(), "6 dense + 6 relu + the output");
    LogAxis axis = LogAxis.of(svg);
    for (int g = 0; g < half.size(); g++) {
      double wd = SvgDoc.num(deeppoly.get(g), "data-value");
      assertEquals(wd / 2, SvgDoc.num(half.get(g), "data-value"), 1e-9 * wd);
      axis.assertOnScale(half.get(g));
      if (wd > 0) {
        assertEquals(Math.log10(2) * axis.pixelsPerDecade(),
            height(deeppoly.get(g)) - height(half.get(g)), 2 * PIXEL, "layer " + g);
      }
    }
  }

  @Test
  void zeroWidthIsDrawnAtTheFloorAndExplained() throws PlotException {
    // relu(x - 10) on x in [0, 1]: the ReLU is stably inactive, its output width is 0
    Compilation c = Checker.compile("dead.rspec", """
        network dead {
          input x[1]
          dense [[1]] + [-10]
          relu
          dense [[1]] + [0]
        }
        region r = box { x[0] in [0, 1] }
        property p: forall x in r: dead(x)[0] <= 1
        """, NeuronPairPlotTest.ROOT, FileLoader.direct());
    assertTrue(!c.hasErrors(), c.diagnostics().toString());
    SvgDoc svg = SvgDoc.parse(new PlotService().widthsSvg(c, "p", Budget.unlimited()));
    Element relu = bars(svg, "interval").get(1);
    assertEquals(0.0, SvgDoc.num(relu, "data-value"));
    assertEquals(0.0, height(relu), PIXEL);
    LogAxis axis = LogAxis.of(svg);
    assertEquals(axis.floorY(), SvgDoc.num(relu, "y"), PIXEL);
    String floor = Ticks.decade(axis.floorDecade());
    assertTrue(SvgDoc.with(svg.root(), "text", "data-role", "note").stream()
        .anyMatch(n -> n.getTextContent().contains("a width of 0")
            && n.getTextContent().contains("drawn at the floor " + floor)));
  }

  static List<Element> bars(SvgDoc svg, String series) {
    List<Element> out = new ArrayList<>(SvgDoc.with(svg.root(), "rect", "data-series", series));
    out.sort((a, b) -> Integer.compare(Integer.parseInt(a.getAttribute("data-layer")),
        Integer.parseInt(b.getAttribute("data-layer"))));
    return out;
  }

  static double height(Element bar) {
    return SvgDoc.num(bar, "height");
  }

  /** The y axis as drawn: the pixel row of each decade tick. */
  record LogAxis(List<int[]> decades, List<Double> rows) {
    static LogAxis of(SvgDoc svg) {
      List<int[]> d = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Element tick : SvgDoc.all(svg.root(), "line")) {
        if (!tick.getAttribute("data-decade").isEmpty()) {
          d.add(new int[] {Integer.parseInt(tick.getAttribute("data-decade"))});
          y.add(SvgDoc.num(tick, "y1"));
        }
      }
      assertTrue(d.size() >= 2, "fewer than two decade ticks");
      // decades are evenly spaced: a log scale
      int last = d.size() - 1;
      double step = (y.get(0) - y.get(last)) / (d.get(last)[0] - d.get(0)[0]);
      assertTrue(step > 0, "decades must go up the page");
      for (int k = 1; k < d.size(); k++) {
        assertEquals(d.get(0)[0] + k, d.get(k)[0], "consecutive decades");
        assertEquals(y.get(0) - k * step, y.get(k), 2 * PIXEL, "decade spacing");
      }
      return new LogAxis(d, y);
    }

    int floorDecade() {
      return decades.get(0)[0];
    }

    double floorY() {
      return rows.get(0);
    }

    double pixelsPerDecade() {
      return (rows.get(0) - rows.get(rows.size() - 1)) / (rows.size() - 1);
    }

    /** The bar stands on the floor and its top is at its value (the floor for 0) on the axis. */
    void assertOnScale(Element bar) {
      double w = SvgDoc.num(bar, "data-value");
      double top = SvgDoc.num(bar, "y");
      assertEquals(floorY(), top + height(bar), 2 * PIXEL, "bar bottom on the floor");
      // a width below the floor (0, or rounding slack alone) is drawn at the floor
      double decades = w > 0 ? Math.max(0, Math.log10(w) - floorDecade()) : 0;
      double expected = floorY() - decades * pixelsPerDecade();
      assertEquals(expected, top, 2 * PIXEL, bar.getAttribute("data-series") + " bar of layer "
          + bar.getAttribute("data-layer") + " (width " + w + ")");
    }
  }
}
