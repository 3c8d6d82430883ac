package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CompassSearch} on a hand-made sliver: {@code y0 = y1 = relu(x0 - x1)} over
 * {@code [0, 1]^3}; the case {@code y0 <= 0.3 + w and -y1 <= -0.3} holds exactly where
 * {@code 0.3 <= x0 - x1 <= 0.3 + w}, a band of width {@code w} (a random sample lands in it
 * with probability about {@code w}). What the search returns must lie in the band, checked in
 * exact decimal arithmetic; where the band is empty it returns nothing.
 */
class CompassSearchTest {

  private static final Network NET = new Network("band", new int[] {3}, List.of(
      new DenseLayer("d", 3, 2, new double[] {1, -1, 0, 1, -1, 0}, new double[] {0, 0}),
      new ReluLayer("r", 2)));
  private static final Box BOX = new Box(new double[] {0, 0, 0}, new double[] {1, 1, 1});

  private static UnsafeCase band(double width) {
    return new UnsafeCase(BOX, List.of(new OutputConstraint(new double[] {1, 0}, 0.3 + width),
        new OutputConstraint(new double[] {0, -1}, -0.3)));
  }

  private static MarginDescent.Result search(UnsafeCase c, double[] start, long seed) {
    return new CompassSearch(NET, new CounterexampleCheck(NET)).run(c, 0, BOX.lower(),
        BOX.upper(), start, new SplittableRandom(seed), 5000, Budget.unlimited());
  }

  @Test
  void findsAPointInABandOfWidthOneMillionth() {
    for (long seed = 0; seed < 10; seed++) {
      // starts where the margin slopes (where x0 < x1 it is flat and there is nothing to follow)
      double[] start = {0.5 + 0.05 * seed, 0.4 - 0.03 * seed, 0.1 * seed};
      MarginDescent.Result r = search(band(1e-6), start, seed);
      assertNotNull(r.counterexample(), "seed " + seed + ": stopped at margin " + r.bestMargin());
      double[] x = r.counterexample().input();
      BigDecimal gap = new BigDecimal(x[0]).subtract(new BigDecimal(x[1]));
      assertTrue(gap.compareTo(new BigDecimal("0.3")) >= 0
          && gap.compareTo(new BigDecimal(0.3).add(new BigDecimal(1e-6))) <= 0,
          "x0 - x1 = " + gap + " is outside the band");
      assertTrue(BOX.contains(x), "outside the box");
    }
  }

  @Test
  void returnsNothingWhereTheBandIsEmpty() {
    // y0 <= 0.3 - 1e-6 and x0 - x1 >= 0.3: no input meets both
    MarginDescent.Result r = search(band(-1e-6), new double[] {0.5, 0.5, 0.5}, 1);
    assertNull(r.counterexample());
    assertTrue(r.bestMargin() > 0, "margin " + r.bestMargin());
  }

  @Test
  void sameSeedSameWalk() {
    double[] start = {0.9, 0.05, 0.2};
    assertArrayEquals(search(band(1e-6), start, 3).bestPoint(),
        search(band(1e-6), start, 3).bestPoint());
  }

  @Test
  void theThoroughAttackFindsTheBand() {
    // its descents' finest step (a thousandth of the width) is a thousand times the band's
    Counterexample found = new CounterexampleSearch(NET).search(band(1e-6), 0,
        CounterexampleSearch.Options.thorough(0), Budget.unlimited());
    assertNotNull(found);
  }
}
