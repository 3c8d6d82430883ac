package dev.robustspec.compiler.plot;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A produced SVG parsed with the JDK's XML parser, and the queries the plot tests need. */
final class SvgDoc {
  final Document doc;

  private SvgDoc(Document doc) {
    this.doc = doc;
  }

  /** Parses {@code svg}; a malformed document fails the test with the parser's message. */
  static SvgDoc parse(String svg) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      return new SvgDoc(f.newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
    }
  }

  Element root() {
    return doc.getDocumentElement();
  }

  /** Every element named {@code tag} under {@code scope}, in document order. */
  static List<Element> all(Element scope, String tag) {
    NodeList nodes = scope.getElementsByTagNameNS("*", tag);
    List<Element> out = new ArrayList<>();
    for (int n = 0; n < nodes.getLength(); n++) {
      out.add((Element) nodes.item(n));
    }
    return out;
  }

  /** Elements named {@code tag} under {@code scope} whose attribute {@code name} is {@code value}. */
  static List<Element> with(Element scope, String tag, String name, String value) {
    return all(scope, tag).stream().filter(e -> value.equals(e.getAttribute(name))).toList();
  }

  /** The one element named {@code tag} with that attribute value; fails unless exactly one. */
  static Element one(Element scope, String tag, String name, String value) {
    List<Element> found = with(scope, tag, name, value);
    if (found.size() != 1) {
      throw new AssertionError("expected one <" + tag + " " + name + "=\"" + value + "\">, found "
          + found.size());
    }
    return found.get(0);
  }

  static double num(Element e, String attribute) {
    String v = e.getAttribute(attribute);
    if (v.isEmpty()) {
      throw new AssertionError("<" + e.getTagName() + "> has no " + attribute);
    }
    return Double.parseDouble(v);
  }

  /** The vertices of a {@code <polygon points="x,y x,y ...">}. */
  static List<double[]> polygon(Element polygon) {
    List<double[]> out = new ArrayList<>();
    for (String pair : polygon.getAttribute("points").trim().split("\\s+")) {
      String[] xy = pair.split(",");
      out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
    }
    return out;
  }

  /**
   * Distance from {@code p} to the convex polygon (0 inside), in either orientation; a point or
   * a segment is handled as a degenerate polygon.
   */
  static double distanceToConvex(List<double[]> poly, double[] p) {
    int n = poly.size();
    double area = 0;
    for (int k = 0; k < n; k++) {
      double[] a = poly.get(k);
      double[] b = poly.get((k + 1) % n);
      area += a[0] * b[1] - a[1] * b[0];
    }
    if (n >= 3 && Math.abs(area) > 1e-9) {
      double sign = Math.signum(area);
      boolean inside = true;
      for (int k = 0; k < n; k++) {
        double[] a = poly.get(k);
        double[] b = poly.get((k + 1) % n);
        double cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
        inside &= sign * cross >= 0;
      }
      if (inside) {
        return 0;
      }
    }
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      best = Math.min(best, segmentDistance(poly.get(k), poly.get((k + 1) % n), p));
    }
    return best;
  }

  private static double segmentDistance(double[] a, double[] b, double[] p) {
    double dx = b[0] - a[0];
    double dy = b[1] - a[1];
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1,
        ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
    return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
  }
}
