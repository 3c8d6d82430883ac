package dev.robustspec.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

/**
 * The radius bisection against a property whose true radius {@code R} is known: probes below R
 * are certified, at or above R falsified by a point at distance {@code max(R, r * shrink)}
 * (a counterexample closer than the probed radius, as an attack finds), or left open.
 */
class RadiusSearchTest {
  /** A synthetic property: its probes, and the radii probed. */
  private static final class Truth implements RadiusSearch.Prober<Double> {
    final double radius;
    final double shrink;
    final boolean falsifies;
    final List<Double> probed = new ArrayList<>();

    Truth(double radius, double shrink, boolean falsifies) {
      this.radius = radius;
      this.shrink = shrink;
      this.falsifies = falsifies;
    }

    @Override
    public RadiusSearch.Step<Double> probe(double r, double seconds) {
      probed.add(r);
      if (r < radius) {
        return new RadiusSearch.Step<>(RadiusSearch.Outcome.CERTIFIED, 0, r);
      }
      if (!falsifies) {
        return new RadiusSearch.Step<>(RadiusSearch.Outcome.OPEN, 0, r);
      }
      double d = Math.max(radius, r * shrink);
      return new RadiusSearch.Step<>(RadiusSearch.Outcome.FALSIFIED, d, d);
    }
  }

  @Property(tries = 200)
  void theBracketHoldsTheTrueRadiusWithinTheTolerance(
      @ForAll @DoubleRange(min = 0.001, max = 0.999) @Scale(6) double radius,
      @ForAll @DoubleRange(min = 0.5, max = 1) @Scale(6) double shrink,
      @ForAll @DoubleRange(min = 0.000001, max = 0.1) @Scale(8) double tolerance, @ForAll boolean falsifies) {
    Truth t = new Truth(radius, shrink, falsifies);
    RadiusSearch.Result<Double> r = RadiusSearch.search(0, 1, tolerance, 60, t);
    assertTrue(r.withinTolerance(), r.toString());
    assertTrue(r.notCertified() - (r.certified() == null ? 0 : r.certified()) <= tolerance,
        "tolerance respected: " + r);
    if (r.certified() != null) {
      assertTrue(r.certified() < radius, "certified below the truth: " + r);
    }
    assertTrue(r.notCertified() >= radius, "the top is never below the truth: " + r);
    if (falsifies) {
      // every probe at or above R falsifies: the smallest counterexample distance bounds R
      assertTrue(r.falsified() != null && r.falsified() >= radius, r.toString());
      assertEquals(r.falsified(), r.falsifying());
      assertTrue(r.notCertified() <= r.falsified(), "a counterexample lowers the top: " + r);
    } else {
      assertNull(r.falsified());
    }
    // monotone: every radius probed below the certified one was certified, none above it
    for (double p : t.probed) {
      if (r.certified() != null && p <= r.certified()) {
        assertTrue(p < radius);
      }
    }
  }

  @Test
  void aCounterexampleAtTheCentreEndsTheSearchAtOnce() {
    Truth t = new Truth(0, 0, true); // every probe falsified by the centre itself
    RadiusSearch.Result<Double> r = RadiusSearch.search(0, 0.5, 0.001, 60, t);
    assertEquals(1, t.probed.size());
    assertNull(r.certified());
    assertEquals(0.0, r.falsified());
  }

  @Test
  void aCounterexampleBelowTheProbedRadiusSavesTheStepsAboveIt() {
    // the first probe (0.5) finds a point at distance 0.2: the next probe is at 0.1, not 0.25
    Truth t = new Truth(0.2, 0.4, true);
    RadiusSearch.search(0, 0.5, 0.01, 60, t);
    assertEquals(0.5, t.probed.get(0));
    assertEquals(0.1, t.probed.get(1), 1e-15);
  }

  @Test
  void aStartAboveZeroSearchesOnlyTheInterval() {
    Truth t = new Truth(0.3, 1, true);
    RadiusSearch.Result<Double> r = RadiusSearch.search(0.25, 0.5, 0.001, 60, t);
    assertTrue(t.probed.stream().allMatch(p -> p > 0.25 && p <= 0.5), t.probed.toString());
    assertTrue(r.certified() >= 0.25 && r.certified() < 0.3, r.toString());
  }
}
