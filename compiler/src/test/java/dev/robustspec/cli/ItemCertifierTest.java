package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.io.dataset.Dataset;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.LocalRobustness;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The item verdicts and the radius search on a network whose answer is known by hand: y0 = x,
 * y1 = 0.625 - x/4. Around x = 1 with label 0 the property y0 > y1 holds iff x > 0.5, so every
 * radius below 0.5 is certified and 0.5 (the tie at x = 0.5) is falsified. (The numbers are
 * dyadic on purpose: with a threshold such as 0.4, which no double equals, the only real
 * counterexample at the critical radius is no double, and the answer there is rightly unknown.)
 */
class ItemCertifierTest {
  private static final Network NET = new Network("hand", new int[] {1}, List.of(
      new DenseLayer("d", 1, 2, new double[] {1, -0.25}, new double[] {0, 0.625})));

  private static ItemCertifier certifier(String clipLow) {
    LocalRobustness ball = new LocalRobustness(BigDecimal.ONE, BigDecimal.ONE,
        new BigDecimal[] {BigDecimal.ZERO}, new BigDecimal[] {BigDecimal.ONE},
        new BigDecimal(clipLow), new BigDecimal("2"));
    return new ItemCertifier(new ItemCertifier.Setup(NET, ball, PassNames.DEFAULT, 20, 0));
  }

  @Test
  void verdictsAroundTheKnownRadius() {
    ItemCertifier c = certifier("-2");
    Dataset.Item item = new Dataset.Item(0, 0, new double[] {1});
    assertEquals("certified", c.probe(item, new BigDecimal("0.49"), 20).verdict());
    ItemCertifier.Probe at = c.probe(item, new BigDecimal("0.5"), 20);
    assertEquals("falsified", at.verdict());
    assertEquals(0.5, at.counterexample()[0]);
    assertEquals(1, at.predicted(), "the tie counts against the label");
    assertEquals("falsified", c.probe(item, new BigDecimal("0.7"), 20).verdict());
    // clipped at 0.55: the ball never reaches 0.5, so even a radius of 1 is certified
    assertEquals("certified", certifier("0.55").probe(item, BigDecimal.ONE, 20).verdict());
    // misclassified at the centre: falsified there, by the centre
    ItemCertifier.Probe wrong = c.probe(new Dataset.Item(1, 1, new double[] {1}),
        new BigDecimal("0.1"), 20);
    assertEquals("falsified", wrong.verdict());
    assertEquals("centre", wrong.decidedBy());
    assertEquals(1.0, wrong.counterexample()[0]);
  }

  @Test
  void radiusSearchBracketsTheKnownRadius() {
    ItemCertifier.Radius r = certifier("-2").radius(new Dataset.Item(0, 0, new double[] {1}),
        1.0, 0.001);
    assertNotNull(r.certified());
    assertNotNull(r.falsified());
    assertTrue(r.certified() < 0.5 && r.certified() >= 0.499, r.toString());
    assertTrue(r.falsified() >= 0.5 && r.falsified() - r.certified() <= 0.001 + 1e-12,
        r.toString());
    assertTrue(r.tolerance());
    ItemCertifier.Radius wrong = certifier("-2").radius(new Dataset.Item(1, 1,
        new double[] {1}), 1.0, 0.001);
    assertNull(wrong.certified());
    assertEquals(0.0, wrong.falsified());
    ItemCertifier.Radius all = certifier("0.55").radius(new Dataset.Item(0, 0,
        new double[] {1}), 1.0, 0.001);
    assertEquals(1.0, all.certified());
    assertNull(all.falsified());
  }
}
