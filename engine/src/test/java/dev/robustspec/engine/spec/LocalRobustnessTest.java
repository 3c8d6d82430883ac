package dev.robustspec.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LocalRobustnessTest {
  private static final BigDecimal ONE = BigDecimal.ONE;

  private static LocalRobustness pixels(String mean, String std) {
    return new LocalRobustness(ONE, new BigDecimal(255), new BigDecimal[] {new BigDecimal(mean)},
        new BigDecimal[] {new BigDecimal(std)}, BigDecimal.ZERO, ONE);
  }

  /**
   * The outward box contains the real ball's ends and the inward box lies inside it, checked
   * against exact arithmetic: (p/255 - eps - mean)/std to 60 digits.
   */
  @Property(tries = 300)
  void outwardBoxContainsTheBallAndInwardBoxLiesInIt(@ForAll @IntRange(max = 255) int pixel,
      @ForAll @IntRange(min = 1, max = 400) int epsThousandths) {
    LocalRobustness r = pixels("0.1307", "0.3081");
    BigDecimal eps = new BigDecimal(epsThousandths).movePointLeft(3);
    MathContext mc = new MathContext(60);
    BigDecimal s = new BigDecimal(pixel).divide(new BigDecimal(255), mc);
    BigDecimal lo = s.subtract(eps).max(BigDecimal.ZERO).subtract(new BigDecimal("0.1307"))
        .divide(new BigDecimal("0.3081"), mc);
    BigDecimal hi = s.add(eps).min(ONE).subtract(new BigDecimal("0.1307"))
        .divide(new BigDecimal("0.3081"), mc);
    double[] raw = {pixel};
    Box out = r.ball(raw, eps, true);
    Box in = r.ball(raw, eps, false);
    assertTrue(new BigDecimal(out.lower()[0]).compareTo(lo) <= 0);
    assertTrue(new BigDecimal(out.upper()[0]).compareTo(hi) >= 0);
    assertTrue(new BigDecimal(in.lower()[0]).compareTo(lo) >= 0);
    assertTrue(new BigDecimal(in.upper()[0]).compareTo(hi) <= 0);
    // the inward box's corners are in the real ball; one step outside the real ends is not
    assertTrue(r.contains(raw, eps, new double[] {in.lower()[0]}));
    assertTrue(r.contains(raw, eps, new double[] {in.upper()[0]}));
    assertTrue(r.contains(raw, eps, r.center(raw)));
    double below = Math.nextDown(in.lower()[0]);
    assertEquals(new BigDecimal(below).compareTo(lo) >= 0, r.contains(raw, eps,
        new double[] {below}));
    assertFalse(r.contains(raw, eps, new double[] {Math.nextDown(out.lower()[0])}));
    assertTrue(r.distance(raw, new double[] {in.upper()[0]}) <= eps.doubleValue() * (1 + 1e-12));
  }

  @Test
  void clippedBallAndEmptyBall() {
    LocalRobustness r = pixels("0", "1");
    Box b = r.ball(new double[] {0, 255}, new BigDecimal("0.1"), true);
    assertEquals(0.0, b.lower()[0]);
    assertEquals(1.0, b.upper()[1]);
    assertTrue(b.upper()[0] >= 0.1 && b.upper()[0] < 0.1 + 1e-15);
    // a stored value outside the clip range (scale forgotten) gives an empty box
    LocalRobustness unscaled = new LocalRobustness(ONE, ONE, new BigDecimal[] {BigDecimal.ZERO},
        new BigDecimal[] {ONE}, BigDecimal.ZERO, ONE);
    assertTrue(unscaled.ball(new double[] {200}, new BigDecimal("0.01"), true).isEmpty());
  }

  @Test
  void perChannelNormalisationUsesTheLastAxis() {
    LocalRobustness r = new LocalRobustness(ONE, ONE,
        new BigDecimal[] {new BigDecimal("0.5"), BigDecimal.ZERO, ONE},
        new BigDecimal[] {new BigDecimal("0.5"), ONE, new BigDecimal("2")},
        new BigDecimal("-10"), new BigDecimal("10"));
    double[] c = r.center(new double[] {1, 1, 1, 0, 0, 0});
    assertEquals(1.0, c[0]);
    assertEquals(1.0, c[1]);
    assertEquals(0.0, c[2]);
    assertEquals(-1.0, c[3]);
    assertEquals(0.0, c[4]);
    assertEquals(-0.5, c[5]);
  }

  @Test
  void specificationIsOneCasePerOtherClass() {
    Box b = new Box(new double[] {0}, new double[] {1});
    Specification s = LocalRobustness.specification(b, 2, 4);
    assertEquals(3, s.cases().size());
    // y = (0, 0, 1, 1): a tie between class 2 and class 3 violates the case for 3
    double[] y = {0, 0, 1, 1};
    assertTrue(s.cases().get(2).isViolatedBy(new double[] {0.5}, y));
    assertFalse(s.cases().get(0).isViolatedBy(new double[] {0.5}, y));
    assertThrows(IllegalArgumentException.class, () -> LocalRobustness.specification(b, 4, 4));
  }
}
