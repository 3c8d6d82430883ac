package dev.robustspec.engine.lp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.linear.DualBound;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.base.Budget;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Rigorous LP bounds from approximate, perturbed or wrong-signed multipliers. */
class DualBoundTest {

  /** Both solvers: their multipliers must follow DualBound's sign convention. */
  static java.util.List<LpSolver> solvers() {
    return GlopLpSolver.available() ? java.util.List.of(new OjAlgoLpSolver(), new GlopLpSolver())
        : java.util.List.of(new OjAlgoLpSolver());
  }

  @Test
  void handSolvedProgramGivesItsOptimum() {
    // min x + y  s.t.  x + y >= 0.5,  x - y = 0.25,  x <= 0.9,  -1 <= x, y <= 1: optimum 0.5
    LinearProgram p = new LinearProgram();
    int x = p.addVariable(-1, 1);
    int y = p.addVariable(-1, 1);
    p.addRow(new int[] {x, y}, new double[] {1, 1}, 0.5, Double.POSITIVE_INFINITY);
    p.addRow(new int[] {x, y}, new double[] {1, -1}, 0.25, 0.25);
    p.addRow(new int[] {x}, new double[] {1}, Double.NEGATIVE_INFINITY, 0.9);
    double[] c = {1, 1};
    for (LpSolver solver : solvers()) {
      LpSolver.Solution s = solver.minimise(p, c, Budget.unlimited());
      assertEquals(LpSolver.Status.OPTIMAL, s.status());
      double bound = DualBound.lowerBound(p, c, s.rowMultipliers());
      assertTrue(bound <= 0.5, "a lower bound above the optimum: " + bound);
      assertEquals(0.5, bound, 1e-9, solver.getClass().getSimpleName());
    }
    // no multipliers: the box bound -2
    assertEquals(-2, DualBound.lowerBound(p, c, null), 1e-12);
    // hand multipliers: y1 = 1 on x + y >= 0.5 gives exactly 0.5 (below by the rounding slack)
    assertEquals(0.5, DualBound.lowerBound(p, c, new double[] {1, 0, 0}), 1e-12);
    // a wrong sign is ignored (multiplier -1 on a row with no upper side), not trusted
    assertEquals(-2, DualBound.lowerBound(p, c, new double[] {-1, 0, 0}), 1e-12);
  }

  /**
   * Random feasible programs (rows built around a known feasible point z0): the bound from the
   * solver's multipliers is close to the solver's optimum, and every perturbed or sign-flipped
   * multiplier vector still gives a bound below c . z0 for the feasible z0 (so below the true
   * minimum is all it can claim, and it never claims more).
   */
  @Property(tries = 60)
  void perturbedMultipliersStillGiveValidBounds(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 2 + r.nextInt(6);
    int m = 1 + r.nextInt(8);
    LinearProgram p = new LinearProgram();
    double[] z0 = new double[n];
    for (int j = 0; j < n; j++) {
      double lo = r.nextDouble() * 4 - 3;
      double hi = lo + r.nextDouble() * 3;
      p.addVariable(lo, hi);
      z0[j] = lo + r.nextDouble() * (hi - lo);
    }
    for (int i = 0; i < m; i++) {
      int[] idx = new int[n];
      double[] a = new double[n];
      for (int j = 0; j < n; j++) {
        idx[j] = j;
        a[j] = RandomNets.gaussian(r);
      }
      double v = 0;
      for (int j = 0; j < n; j++) {
        v += a[j] * z0[j];
      }
      switch (r.nextInt(3)) {
        case 0 -> p.addRow(idx, a, Double.NEGATIVE_INFINITY, v + r.nextDouble());
        case 1 -> p.addRow(idx, a, v - r.nextDouble(), Double.POSITIVE_INFINITY);
        default -> p.addRow(idx, a, v - 1e-3, v + 1e-3);
      }
    }
    double[] c = new double[n];
    double cz0 = 0;
    for (int j = 0; j < n; j++) {
      c[j] = RandomNets.gaussian(r);
      cz0 += c[j] * z0[j];
    }
    LpSolver.Solution s = solvers().get(seed % solvers().size()).minimise(p, c, Budget.unlimited());
    double exact = DualBound.lowerBound(p, c, s.rowMultipliers());
    assertTrue(exact <= cz0, "bound " + exact + " above a feasible value " + cz0);
    if (s.status() == LpSolver.Status.OPTIMAL) {
      assertTrue(exact <= s.value() + 1e-9, "bound above the optimum");
      assertTrue(exact >= s.value() - 1e-6 * (1 + Math.abs(s.value())),
          "solver multipliers give a loose bound: " + exact + " vs optimum " + s.value());
    }
    for (int t = 0; t < 20; t++) {
      double[] y = s.rowMultipliers().clone();
      for (int i = 0; i < y.length; i++) {
        y[i] = t % 2 == 0 ? y[i] * (1 + 0.3 * RandomNets.gaussian(r)) + 0.1 * RandomNets.gaussian(r)
            : -y[i];
      }
      double b = DualBound.lowerBound(p, c, y);
      assertTrue(b <= cz0, "perturbed multipliers give " + b + " above a feasible value " + cz0);
      assertTrue(b <= exact + 1e-9 || s.status() != LpSolver.Status.OPTIMAL || b <= s.value() + 1e-9,
          "perturbed bound above the optimum");
    }
  }
}
