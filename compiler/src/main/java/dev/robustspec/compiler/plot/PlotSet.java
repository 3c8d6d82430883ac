package dev.robustspec.compiler.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * One set drawn in a plane: a convex polygon given by its vertices in the plane's data
 * coordinates (any order: the convex hull of the vertices is drawn), a legend label, and a CSS
 * colour, or null to take the next colour of the plot's palette.
 */
public record PlotSet(String label, List<double[]> vertices, String colour) {

  public PlotSet {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("a plot set needs a label");
    }
    if (vertices.isEmpty()) {
      throw new IllegalArgumentException("plot set '" + label + "' has no vertex");
    }
    List<double[]> copy = new ArrayList<>(vertices.size());
    for (double[] v : vertices) {
      if (v.length != 2 || !Double.isFinite(v[0]) || !Double.isFinite(v[1])) {
        throw new IllegalArgumentException("plot set '" + label
            + "': every vertex must be two finite numbers");
      }
      copy.add(v.clone());
    }
    vertices = List.copyOf(copy);
  }

  /** The rectangle [xLo, xHi] x [yLo, yHi]. */
  public static PlotSet box(String label, double xLo, double xHi, double yLo, double yHi,
      String colour) {
    return new PlotSet(label, List.of(new double[] {xLo, yLo}, new double[] {xHi, yLo},
        new double[] {xHi, yHi}, new double[] {xLo, yHi}), colour);
  }
}
