package dev.robustspec.compiler.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The neuron-pair picture, checked by parsing the SVG: every series is drawn and named in the
 * legend, and every sampled true value lies inside every drawn set (each set is a sound
 * over-approximation, so a dot outside one would be a soundness or drawing bug).
 */
class NeuronPairPlotTest {
  static final Path ROOT = TestData.repositoryRoot();
  /** Pixels: the strokes are 2 px wide and coordinates are written with two decimals. */
  static final double TOLERANCE = 0.75;

  static Compilation example(String name) {
    Compilation c = Checker.compileFile(ROOT.resolve("examples").resolve(name),
        FileLoader.direct());
    assertTrue(!c.hasErrors(), "example " + name + " has errors: " + c.diagnostics());
    return c;
  }

  static final String TINY = """
      network tiny {
        input x[2]
        dense [[1, -1], [1, 1]] + [0, 0]
        relu
        dense [[1, 1]] + [-0.5]
      }
      region square = box { x[0] in [-1, 1], x[1] in [-1, 1] }
      property below_3: forall x in square: tiny(x)[0] <= 3
      """;

  static Compilation tiny() {
    Compilation c = Checker.compile("tiny.rspec", TINY, ROOT, FileLoader.direct());
    assertTrue(!c.hasErrors(), c.diagnostics().toString());
    return c;
  }

  @Test
  void acasPairHasBothBoxesAndEverySampleInsideThem() throws PlotException {
    // neurons 0 and 2 of hidden layer 2 are unstable on phi1's region (bounds straddle 0)
    SvgDoc svg = SvgDoc.parse(new PlotService().neuronPairSvg(example("acasxu.rspec"), "phi1", 2,
        0, 2, Budget.unlimited()));
    Element title = SvgDoc.one(svg.root(), "text", "data-role", "title");
    assertEquals("Hidden layer 2 of acas, neurons 0 and 2, under property phi1",
        title.getTextContent());
    for (String panel : List.of("inputs", "outputs")) {
      Element g = SvgDoc.one(svg.root(), "g", "data-panel", panel);
      for (String series : List.of("box (interval)", "box (deeppoly)", "samples")) {
        SvgDoc.one(g, "text", "data-legend", series);
      }
      List<double[]> interval = SvgDoc.polygon(
          SvgDoc.one(g, "polygon", "data-series", "box (interval)"));
      List<double[]> deeppoly = SvgDoc.polygon(
          SvgDoc.one(g, "polygon", "data-series", "box (deeppoly)"));
      assertEquals(4, interval.size(), panel);
      assertEquals(4, deeppoly.size(), panel);
      assertTrue(Geometry.area(deeppoly) < 0.9 * Geometry.area(interval),
          panel + ": DeepPoly's box should be visibly tighter than interval's here");
      for (double[] v : deeppoly) {
        assertTrue(SvgDoc.distanceToConvex(interval, v) <= TOLERANCE,
            panel + ": DeepPoly's box leaves interval's (it only tightens)");
      }
      List<double[]> dots = samples(g);
      // distinct pixel positions: in the input plane nearly every one of the 4000 samples
      assertTrue(dots.size() >= (panel.equals("inputs") ? 2000 : 10),
          panel + ": only " + dots.size() + " dots drawn");
      assertEverySampleInside(g, dots);
    }
    Element legend = SvgDoc.one(SvgDoc.one(svg.root(), "g", "data-panel", "inputs"), "text",
        "data-legend", "samples");
    assertTrue(legend.getTextContent().contains("4000 random inputs"),
        legend.getTextContent());
  }

  @Test
  void extraRelaxationIsDrawnInBothPlanesAndContainsTheSamples() throws PlotException {
    // tiny's pre-activations are (x0 - x1, x0 + x1) on the square: exactly the diamond
    // |a| + |b| <= 2, whose image under relu is the triangle (0,0), (2,0), (0,2)
    RelaxationProjector byHand = new RelaxationProjector() {
      @Override
      public String label() {
        return "exact (by hand)";
      }

      @Override
      public Optional<PlotSet> project(Network net, BoundState state, UnsafeCase regionCase,
          int preIndex, int i, int j, boolean post, Budget budget) {
        assertEquals(1, preIndex, "the ReLU is layer 1: its input is bound index 1");
        List<double[]> v = post
            ? List.of(new double[] {0, 0}, new double[] {2, 0}, new double[] {0, 2})
            : List.of(new double[] {2, 0}, new double[] {0, 2}, new double[] {-2, 0},
                new double[] {0, -2});
        return Optional.of(new PlotSet(label(), v, null));
      }
    };
    SvgDoc svg = SvgDoc.parse(new PlotService(List.of(byHand), List.of()).neuronPairSvg(tiny(),
        "below_3", 1, 0, 1, Budget.unlimited()));
    for (String panel : List.of("inputs", "outputs")) {
      Element g = SvgDoc.one(svg.root(), "g", "data-panel", panel);
      SvgDoc.one(g, "text", "data-legend", "exact (by hand)");
      Element hand = SvgDoc.one(g, "polygon", "data-series", "exact (by hand)");
      assertEquals(NeuronPairPlot.PALETTE[2], hand.getAttribute("stroke"),
          "a set without colour takes the palette's next colour");
      assertEquals(NeuronPairPlot.fill(NeuronPairPlot.PALETTE[2]), hand.getAttribute("fill"));
      List<double[]> polygon = SvgDoc.polygon(hand);
      assertEquals(panel.equals("inputs") ? 4 : 3, polygon.size(), panel);
      // drawn after (above) the larger interval box, which is listed first
      List<Element> order = SvgDoc.all(g, "polygon");
      assertTrue(order.indexOf(hand) > order.indexOf(
          SvgDoc.one(g, "polygon", "data-series", "box (interval)")), panel);
      assertEverySampleInside(g, samples(g));
    }
    // in the input plane the interval box is [-2, 2]^2: the diamond's corners are the
    // midpoints of the box's edges, which checks that both use the same data-to-pixel map
    Element inputs = SvgDoc.one(svg.root(), "g", "data-panel", "inputs");
    List<double[]> box = SvgDoc.polygon(
        SvgDoc.one(inputs, "polygon", "data-series", "box (interval)"));
    List<double[]> diamond = SvgDoc.polygon(
        SvgDoc.one(inputs, "polygon", "data-series", "exact (by hand)"));
    for (int e = 0; e < 4; e++) {
      double[] a = box.get(e);
      double[] b = box.get((e + 1) % 4);
      double[] mid = {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2};
      assertTrue(diamond.stream().anyMatch(d -> Math.hypot(d[0] - mid[0], d[1] - mid[1]) < 0.5),
          "no diamond corner at the midpoint of an interval box edge");
    }
  }

  @Test
  void aProjectorWithNothingToDrawIsNamedInANote() throws PlotException {
    RelaxationProjector inputsOnly = new RelaxationProjector() {
      @Override
      public String label() {
        return "inputs only";
      }

      @Override
      public Optional<PlotSet> project(Network net, BoundState state, UnsafeCase regionCase,
          int preIndex, int i, int j, boolean post, Budget budget) {
        return post ? Optional.empty() : Optional.of(PlotSet.box(label(), -2, 2, -2, 2, "#000"));
      }
    };
    SvgDoc svg = SvgDoc.parse(new PlotService(List.of(inputsOnly), List.of()).neuronPairSvg(
        tiny(), "below_3", 1, 0, 1, Budget.unlimited()));
    Element outputs = SvgDoc.one(svg.root(), "g", "data-panel", "outputs");
    assertTrue(SvgDoc.with(outputs, "polygon", "data-series", "inputs only").isEmpty());
    assertTrue(SvgDoc.with(svg.root(), "text", "data-role", "note").stream()
        .anyMatch(n -> n.getTextContent().equals(
            "inputs only: nothing to draw in the plane of the outputs")));
  }

  @Test
  void severalInputBoxesGiveHullsThatContainTheSamplesOfEveryBox() throws PlotException {
    Compilation c = tiny();
    CompiledProperty p = c.properties().get(0);
    UnsafeCase only = p.specification().cases().get(0);
    Box left = new Box(new double[] {-1, -1}, new double[] {-0.5, 1});
    Box right = new Box(new double[] {0.5, -1}, new double[] {1, 1});
    Specification twoBoxes = new Specification(2, 1, List.of(
        new UnsafeCase(left, only.constraints()), new UnsafeCase(right, only.constraints())));
    Compilation split = new Compilation(c.fileName(), c.source(), c.ast(), c.diagnostics(),
        c.networks(), c.regions(), List.of(new CompiledProperty("split", p.networkName(),
            p.network(), twoBoxes, p.plan(), p.range())));
    SvgDoc svg = SvgDoc.parse(new PlotService().neuronPairSvg(split, "split", 1, 0, 1,
        Budget.unlimited()));
    for (String panel : List.of("inputs", "outputs")) {
      Element g = SvgDoc.one(svg.root(), "g", "data-panel", panel);
      assertEverySampleInside(g, samples(g));
    }
    assertTrue(SvgDoc.with(svg.root(), "text", "data-role", "note").stream()
        .anyMatch(n -> n.getTextContent().startsWith("The property has 2 input boxes")));
  }

  @Test
  void theSeedFixesTheSamples() throws PlotException {
    PlotService service = new PlotService();
    Compilation c = tiny();
    String a = service.neuronPairSvg(c, "below_3", 1, 0, 1, new PlotService.Sampling(2000, 7),
        Budget.unlimited());
    String b = service.neuronPairSvg(c, "below_3", 1, 0, 1, new PlotService.Sampling(2000, 7),
        Budget.unlimited());
    String other = service.neuronPairSvg(c, "below_3", 1, 0, 1,
        new PlotService.Sampling(2000, 8), Budget.unlimited());
    assertEquals(a, b);
    assertNotEquals(a, other);
  }

  @Test
  void badRequestsSayWhatWouldFixThem() {
    PlotService s = new PlotService();
    Compilation acas = example("acasxu.rspec");
    Budget b = Budget.unlimited();
    assertEquals("layer 7 does not exist: the network acas has 6 ReLU layers, numbered 1 to 6",
        assertThrows(PlotException.class, () -> s.neuronPairSvg(acas, "phi1", 7, 0, 1, b))
            .getMessage());
    assertEquals("layer 0 does not exist: the network acas has 6 ReLU layers, numbered 1 to 6",
        assertThrows(PlotException.class, () -> s.neuronPairSvg(acas, "phi1", 0, 0, 1, b))
            .getMessage());
    assertEquals("neuron 50 does not exist: hidden layer 2 has 50 neurons, numbered 0 to 49",
        assertThrows(PlotException.class, () -> s.neuronPairSvg(acas, "phi1", 2, 3, 50, b))
            .getMessage());
    assertEquals("neuron -1 does not exist: hidden layer 2 has 50 neurons, numbered 0 to 49",
        assertThrows(PlotException.class, () -> s.neuronPairSvg(acas, "phi1", 2, -1, 3, b))
            .getMessage());
    assertEquals("the two neurons must differ: got 4 twice",
        assertThrows(PlotException.class, () -> s.neuronPairSvg(acas, "phi1", 2, 4, 4, b))
            .getMessage());
    String unknown = assertThrows(PlotException.class,
        () -> s.neuronPairSvg(acas, "phi9", 2, 0, 1, b)).getMessage();
    assertTrue(unknown.startsWith("no property named 'phi9' in ")
        && unknown.endsWith("; its properties: phi1, phi2, phi3, phi4, phi1_vnnlib, phi2_vnnlib,"
            + " phi3_vnnlib, phi4_vnnlib"), unknown);
    assertTrue(assertThrows(PlotException.class, () -> s.widthsSvg(acas, "phi9", b))
        .getMessage().startsWith("no property named 'phi9'"));
    assertEquals("the sample count must be between 1 and 1000000: got 0",
        assertThrows(PlotException.class, () -> s.neuronPairSvg(acas, "phi1", 2, 0, 1,
            new PlotService.Sampling(0, 1), b)).getMessage());
  }

  /**
   * The plot {@code robustspec plot} draws: the triangle LP's and the pair hull's projected sets
   * are present in both planes, contain every sample, lie inside the DeepPoly box (they only
   * tighten it), and in the output plane the pair hull is no larger than the triangle's set.
   */
  @Test
  void lpAndPairHullSetsContainTheSamplesAndTightenTheBoxes() throws PlotException {
    SvgDoc svg = SvgDoc.parse(PlotService.standard().neuronPairSvg(example("acasxu.rspec"), "phi1",
        1, 0, 14, new PlotService.Sampling(3000, 3), Budget.unlimited()));
    for (String panel : List.of("inputs", "outputs")) {
      Element g = SvgDoc.one(svg.root(), "g", "data-panel", panel);
      List<double[]> deeppoly = SvgDoc.polygon(
          SvgDoc.one(g, "polygon", "data-series", "box (deeppoly)"));
      List<double[]> triangle = SvgDoc.polygon(
          SvgDoc.one(g, "polygon", "data-series", "triangle (LP)"));
      List<double[]> pair = SvgDoc.polygon(
          SvgDoc.one(g, "polygon", "data-series", "k-ReLU (pair hull, LP)"));
      for (double[] v : triangle) {
        assertTrue(SvgDoc.distanceToConvex(deeppoly, v) <= 1.5,
            panel + ": the triangle LP's set leaves DeepPoly's box");
      }
      if (panel.equals("outputs")) {
        assertTrue(Geometry.area(pair) <= Geometry.area(triangle) * 1.01,
            "the pair hull allows more than the triangle LP");
      }
      assertEverySampleInside(g, samples(g));
    }
  }

  @Test
  void aDeepLayerFitsTheTightSetsAndSamplesAndClipsTheWideIntervalBox() throws PlotException {
    // ACAS Xu's sixth hidden layer under phi3: interval's box is over a hundred times wider
    // than DeepPoly's (the CLI's picture: [-1617, 1043] against a few units)
    SvgDoc svg = SvgDoc.parse(new PlotService().neuronPairSvg(example("acasxu.rspec"), "phi3",
        6, 0, 1, Budget.unlimited()));
    for (String panel : List.of("inputs", "outputs")) {
      Element g = SvgDoc.one(svg.root(), "g", "data-panel", panel);
      Element frame = SvgDoc.one(g, "rect", "fill", "#fbfbfb");
      double x0 = SvgDoc.num(frame, "x");
      double y0 = SvgDoc.num(frame, "y");
      double x1 = x0 + SvgDoc.num(frame, "width");
      double y1 = y0 + SvgDoc.num(frame, "height");
      // every sample and every vertex of the tightest set lie inside the frame
      for (double[] d : samples(g)) {
        assertTrue(x0 <= d[0] && d[0] <= x1 && y0 <= d[1] && d[1] <= y1,
            panel + ": sample at " + d[0] + "," + d[1] + " outside the frame");
      }
      List<Element> polygons = SvgDoc.all(g, "polygon");
      Element tightest = polygons.get(polygons.size() - 1); // drawn last: the smallest
      for (Element e : polygons) {
        assertTrue(Geometry.area(SvgDoc.polygon(e)) + 1e-6
            >= Geometry.area(SvgDoc.polygon(tightest)), panel + ": drawn by decreasing area");
      }
      for (double[] v : SvgDoc.polygon(tightest)) {
        assertTrue(x0 - TOLERANCE <= v[0] && v[0] <= x1 + TOLERANCE && y0 - TOLERANCE <= v[1]
            && v[1] <= y1 + TOLERANCE, panel + ": '" + tightest.getAttribute("data-series")
            + "' vertex " + v[0] + "," + v[1] + " outside the frame");
      }
      // the interval box leaves the frame: clipped to it, marked, and named with its extent
      Element interval = SvgDoc.one(g, "polygon", "data-series", "box (interval)");
      assertEquals("true", interval.getAttribute("data-clipped"), panel);
      assertTrue(SvgDoc.polygon(interval).stream().anyMatch(v -> v[0] < x0 || v[0] > x1
          || v[1] < y0 || v[1] > y1), panel + ": the interval box should extend beyond");
      assertEquals("url(#frame-" + panel + ")", interval.getAttribute("clip-path"));
      Element clipRect = SvgDoc.all(SvgDoc.one(g, "clipPath", "id", "frame-" + panel), "rect")
          .get(0);
      assertEquals(x0, SvgDoc.num(clipRect, "x"));
      assertEquals(y1 - y0, SvgDoc.num(clipRect, "height"));
      Element mark = SvgDoc.one(g, "text", "data-role", "clipped");
      assertEquals("box (interval)", mark.getAttribute("data-series"));
      assertTrue(mark.getTextContent().contains("box (interval) extends beyond the frame, to ["),
          mark.getTextContent());
      assertTrue(SvgDoc.with(g, "polygon", "data-series", "box (deeppoly)").get(0)
          .getAttribute("data-clipped").isEmpty(), panel + ": DeepPoly's box fits");
      assertLegendColoursAreTheFills(g);
    }
  }

  /**
   * Each set's legend swatch has its polygon's fill, stroke and dashes, and the fills are
   * opaque: where sets overlap, the smallest one (drawn last) shows exactly its legend colour.
   */
  static void assertLegendColoursAreTheFills(Element panel) {
    for (Element polygon : SvgDoc.all(panel, "polygon")) {
      String series = polygon.getAttribute("data-series");
      Element swatch = SvgDoc.one(panel, "rect", "data-swatch", series);
      for (String a : List.of("fill", "stroke", "stroke-dasharray")) {
        assertEquals(polygon.getAttribute(a), swatch.getAttribute(a), series + " " + a);
      }
      assertTrue(polygon.getAttribute("fill-opacity").isEmpty()
          && swatch.getAttribute("fill-opacity").isEmpty(), series + ": opaque fill");
      assertNotEquals(polygon.getAttribute("fill"), polygon.getAttribute("stroke"),
          series + ": the fill is a light tint of the stroke colour");
    }
  }

  /** The dots of a panel, in pixels. */
  static List<double[]> samples(Element panel) {
    List<double[]> out = new ArrayList<>();
    for (Element c : SvgDoc.all(SvgDoc.one(panel, "g", "data-series", "samples"), "circle")) {
      out.add(new double[] {SvgDoc.num(c, "cx"), SvgDoc.num(c, "cy")});
    }
    assertTrue(!out.isEmpty(), "no sample drawn");
    return out;
  }

  static void assertEverySampleInside(Element panel, List<double[]> dots) {
    List<Element> sets = SvgDoc.all(panel, "polygon");
    assertTrue(sets.size() >= 2, "sets drawn: " + sets.size());
    for (Element set : sets) {
      List<double[]> polygon = SvgDoc.polygon(set);
      int outside = 0;
      double worst = 0;
      for (double[] d : dots) {
        double dist = SvgDoc.distanceToConvex(polygon, d);
        if (dist > TOLERANCE) {
          outside++;
          worst = Math.max(worst, dist);
        }
      }
      assertEquals(0, outside, panel.getAttribute("data-panel") + ": " + outside
          + " dots outside '" + set.getAttribute("data-series") + "', up to " + worst + " px");
    }
  }
}
