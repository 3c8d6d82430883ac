package dev.robustspec.compiler.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests' containment check must reject points outside, or the plot tests prove nothing. */
class SvgDocTest {
  static final List<double[]> SQUARE = List.of(new double[] {0, 0}, new double[] {10, 0},
      new double[] {10, 10}, new double[] {0, 10});

  @Test
  void insideOutsideAndDegenerate() {
    assertEquals(0, SvgDoc.distanceToConvex(SQUARE, new double[] {5, 5}));
    assertEquals(0, SvgDoc.distanceToConvex(List.of(SQUARE.get(3), SQUARE.get(2), SQUARE.get(1),
        SQUARE.get(0)), new double[] {5, 5}));
    assertEquals(2, SvgDoc.distanceToConvex(SQUARE, new double[] {12, 5}), 1e-12);
    assertEquals(Math.sqrt(2), SvgDoc.distanceToConvex(SQUARE, new double[] {-1, -1}), 1e-12);
    List<double[]> segment = List.of(new double[] {0, 0}, new double[] {0, 10});
    assertEquals(0, SvgDoc.distanceToConvex(segment, new double[] {0, 4}));
    assertEquals(3, SvgDoc.distanceToConvex(segment, new double[] {3, 4}), 1e-12);
  }

  @Test
  void writerEscapesAndFormatsCompactly() {
    assertEquals("12", SvgWriter.num(12.0));
    assertEquals("0.25", SvgWriter.num(0.25));
    assertEquals("0", SvgWriter.num(-0.001));
    assertEquals("-1.5", SvgWriter.num(-1.5));
    assertEquals("3.14", SvgWriter.num(Math.PI));
    SvgWriter w = new SvgWriter(10, 10);
    w.text("text", "a < b & \"c\"", "data-series", "x'<y>");
    SvgDoc doc = SvgDoc.parse(w.finish());
    assertEquals("a < b & \"c\"", SvgDoc.one(doc.root(), "text", "data-series", "x'<y>")
        .getTextContent());
    assertTrue(Geometry.convexHull(List.of(new double[] {1, 1}, new double[] {1, 1})).size()
        == 1);
  }
  @Test
  void ticksAreNiceAndLabelledWithTheDecimalsTheStepNeeds() {
    assertEquals(0.2, Ticks.step(-1.05, 0.43, 6), 1e-15);
    assertEquals(List.of(-1.0, -0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4),
        Ticks.linear(-1.05, 0.43, 0.2).stream().map(v -> Math.round(v * 10) / 10.0).toList());
    assertEquals(0.0, Ticks.linear(-1.05, 0.43, 0.2).get(5), "zero is exactly 0");
    assertEquals("-0.6", Ticks.label(-0.6000000000000001, 0.2));
    assertEquals("1500", Ticks.label(1500, 500));
    assertEquals("10\u207B\u00B3", Ticks.decade(-3));
    assertEquals("10\u00B9\u2070", Ticks.decade(10));
    assertTrue(Ticks.linear(0, 1, Double.NaN).isEmpty());
  }
}
