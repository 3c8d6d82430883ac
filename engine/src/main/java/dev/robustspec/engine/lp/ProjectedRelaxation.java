package dev.robustspec.engine.lp;

import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.base.Budget;
import java.util.ArrayList;
import java.util.List;

/**
 * The set of values of two neurons that an LP relaxation allows, as an outer polygon: its support
 * function in evenly spaced directions, each a rigorous LP bound ({@link DualBound}), and the
 * polygon cut out by those half-planes. Every true pair of values lies inside, because every
 * half-plane is a sound bound of the relaxation, which contains the network.
 */
public final class ProjectedRelaxation {
  private ProjectedRelaxation() {}

  /**
   * The polygon of {@code (v_i, v_j)} at bound index {@code index} under {@code lp} (which must
   * encode at least that depth), from {@code directions} support LPs; null when an LP failed to
   * give a finite bound.
   */
  public static List<double[]> polygon(NetworkLp lp, BoundState state, int index, int i, int j,
      int directions, LpSolver solver, Budget budget) {
    int width = state.lower(index).length;
    double[] angle = new double[directions];
    double[] support = new double[directions];
    for (int d = 0; d < directions; d++) {
      budget.check();
      angle[d] = 2 * Math.PI * d / directions;
      double[] c = new double[width];
      c[i] = -Math.cos(angle[d]);
      c[j] = -Math.sin(angle[d]);
      double[] objective = lp.objective(index, c);
      if (objective == null) {
        return null;
      }
      LpSolver.Solution s = solver.minimise(lp.program(), objective, budget);
      double lower = DualBound.lowerBound(lp.program(), objective, s.rowMultipliers());
      if (!Double.isFinite(lower)) {
        return null;
      }
      support[d] = -lower; // cos * v_i + sin * v_j <= support
    }
    List<double[]> vertices = new ArrayList<>();
    for (int d = 0; d < directions; d++) {
      int e = (d + 1) % directions;
      double a1 = Math.cos(angle[d]);
      double b1 = Math.sin(angle[d]);
      double a2 = Math.cos(angle[e]);
      double b2 = Math.sin(angle[e]);
      double det = a1 * b2 - a2 * b1;
      double x = (support[d] * b2 - support[e] * b1) / det;
      double y = (a1 * support[e] - a2 * support[d]) / det;
      vertices.add(new double[] {x, y});
    }
    return vertices;
  }
}
