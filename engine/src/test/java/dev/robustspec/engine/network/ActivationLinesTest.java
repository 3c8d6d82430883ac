package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The relaxation lines hold for the real functions: every line of {@link ActivationLines} is
 * evaluated exactly (BigDecimal) at the interval's ends, its breakpoints and many points inside,
 * and compared with the function computed to ~80 digits ({@link HighPrecision}) or exactly (the
 * piecewise-linear ones). Intervals are drawn narrow (down to a few ulps), wide (up to 2000),
 * convex, concave, straddling the inflection point and far in the tails.
 */
class ActivationLinesTest {
  /** Relative error of {@link HighPrecision}, far below a double's. */
  private static final BigDecimal SLACK = new BigDecimal("1e-60");

  private record Case(String name, ScalarActivation f, DoubleFunction<BigDecimal> exact,
      DoubleFunction<BigDecimal> derivative) {}

  private static Case[] cases(SplittableRandom random) {
    double alpha = random.nextInt(4) == 0 ? random.nextDouble() * 3 : random.nextDouble();
    double min = random.nextDouble() * 4 - 3;
    double max = min + random.nextDouble() * 3;
    return new Case[] {
        new Case("sigmoid", new SCurve.Sigmoid(), HighPrecision::sigmoid,
            HighPrecision::sigmoidDerivative),
        new Case("tanh", new SCurve.Tanh(), HighPrecision::tanh, HighPrecision::tanhDerivative),
        new Case("leaky(" + alpha + ")", new PiecewiseLinear.LeakyRelu(alpha),
            x -> x >= 0 ? new BigDecimal(x) : new BigDecimal(alpha).multiply(new BigDecimal(x)),
            null),
        new Case("clip(" + min + "," + max + ")", new PiecewiseLinear.Clip(min, max),
            x -> new BigDecimal(Math.min(Math.max(x, min), max)), null)};
  }

  private static double[] interval(SplittableRandom random) {
    double c;
    double w;
    switch (random.nextInt(6)) {
      case 0 -> { // narrow, anywhere
        c = random.nextDouble() * 20 - 10;
        w = Math.ulp(c) * random.nextInt(1, 50);
      }
      case 1 -> { // wide
        c = random.nextDouble() * 200 - 100;
        w = random.nextDouble() * 2000;
      }
      case 2 -> { // straddling 0, the inflection point
        c = random.nextDouble() * 2 - 1;
        w = 2 * Math.abs(c) + random.nextDouble() * 10;
      }
      case 3 -> { // far tails
        c = (random.nextBoolean() ? 1 : -1) * (20 + random.nextDouble() * 700);
        w = random.nextDouble() * 30;
      }
      case 4 -> { // tiny, near 0
        c = (random.nextDouble() - 0.5) * 1e-6;
        w = random.nextDouble() * 1e-6;
      }
      default -> {
        c = random.nextDouble() * 10 - 5;
        w = random.nextDouble() * 5;
      }
    }
    double l = c - w / 2;
    double u = c + w / 2;
    return new double[] {Math.min(l, u), Math.max(l, u)};
  }

  private static BigDecimal line(double slope, double intercept, double x) {
    return new BigDecimal(slope).multiply(new BigDecimal(x)).add(new BigDecimal(intercept));
  }

  @Test
  void linesHoldForTheRealFunctionsAtEndsBreakpointsAndInside() {
    SplittableRandom random = new SplittableRandom(20261201);
    int checked = 0;
    for (int trial = 0; trial < 1500; trial++) {
      double[] lu = interval(random);
      double l = lu[0];
      double u = lu[1];
      for (Case c : cases(random)) {
        ActivationLines lines = ActivationLines.of(c.f(), new double[] {l}, new double[] {u});
        double[] lo = new double[1];
        double[] hi = new double[1];
        ActivationLines.intervalForward(c.f(), new double[] {l}, new double[] {u}, lo, hi);
        double[] pts = new double[40];
        pts[0] = l;
        pts[1] = u;
        for (int k = 2; k < pts.length; k++) {
          pts[k] = Math.min(u, l + random.nextDouble() * (u - l));
        }
        for (double b : c.f().breakpoints()) {
          if (b > l && b < u) {
            pts[2] = b;
          }
        }
        for (double x : pts) {
          BigDecimal fx = c.exact().apply(x);
          BigDecimal tol = fx.abs().multiply(SLACK);
          // the exact value lies within tol of fx: a bound closer than tol is not decidable
          // here, and no double bound error is that small
          BigDecimal below = fx.add(tol);
          BigDecimal above = fx.subtract(tol);
          String where = c.name() + " on [" + l + ", " + u + "] at " + x + ": f = " + fx;
          assertTrue(line(lines.lowerSlope(0), lines.lowerIntercept(0), x).compareTo(below) <= 0,
              "lower line above f: " + where);
          assertTrue(line(lines.upperSlope(0), lines.upperIntercept(0), x).compareTo(above) >= 0,
              "upper line below f: " + where);
          assertTrue(new BigDecimal(lo[0]).compareTo(below) <= 0
              && new BigDecimal(hi[0]).compareTo(above) >= 0, "interval misses f: " + where);
          checked++;
        }
      }
    }
    assertEquals(1500 * 4 * 40, checked);
  }

  @Test
  void enclosuresContainTheRealValuesAndDerivatives() {
    SplittableRandom random = new SplittableRandom(7);
    for (int t = 0; t < 4000; t++) {
      double x = switch (t % 4) {
        case 0 -> random.nextDouble() * 80 - 40;
        case 1 -> (random.nextDouble() - 0.5) * 1e-8;
        case 2 -> (random.nextBoolean() ? 1 : -1) * random.nextDouble() * 745;
        default -> random.nextDouble() * 4 - 2;
      };
      for (Case c : cases(random)) {
        if (c.derivative() == null) {
          continue;
        }
        BigDecimal fx = c.exact().apply(x);
        BigDecimal tol = fx.abs().multiply(SLACK);
        assertTrue(new BigDecimal(c.f().valueLower(x)).compareTo(fx.add(tol)) <= 0
            && new BigDecimal(c.f().valueUpper(x)).compareTo(fx.subtract(tol)) >= 0,
            c.name() + " value enclosure misses f(" + x + ") = " + fx);
        BigDecimal dx = c.derivative().apply(x);
        BigDecimal dtol = dx.abs().multiply(SLACK);
        assertTrue(new BigDecimal(c.f().derivativeLower(x)).compareTo(dx.add(dtol)) <= 0
            && new BigDecimal(c.f().derivativeUpper(x)).compareTo(dx.subtract(dtol)) >= 0,
            c.name() + " derivative enclosure misses f'(" + x + ") = " + dx);
        // the enclosures are tight: a few ulps, not a loose box
        assertTrue(c.f().valueUpper(x) - c.f().valueLower(x) <= 64 * Math.ulp(fx.doubleValue())
            + 1e-300, c.name() + " enclosure too wide at " + x);
      }
    }
  }

  @Test
  void handComputedLines() {
    ScalarActivation sigmoid = new SCurve.Sigmoid();
    // convex [-3, -1]: the upper line is the chord, exact up to rounding
    ActivationLines a = ActivationLines.of(sigmoid, new double[] {-3}, new double[] {-1});
    double s3 = 1 / (1 + Math.exp(3));
    double s1 = 1 / (1 + Math.exp(1));
    double chord = (s1 - s3) / 2;
    assertEquals(chord, a.upperSlope(0), 1e-15);
    assertEquals(s1 + chord, a.upperIntercept(0), 1e-14); // through (-1, s(-1))
    // lower line: tangent at the midpoint -2
    double s2 = 1 / (1 + Math.exp(2));
    assertEquals(s2 * (1 - s2), a.lowerSlope(0), 1e-15);
    assertEquals(s2 + 2 * s2 * (1 - s2), a.lowerIntercept(0), 1e-14);
    // leaky relu 0.5 on [-2, 2]: lower slope alpha (u > -l fails), upper chord (2 + 1) / 4
    ActivationLines b = ActivationLines.of(new PiecewiseLinear.LeakyRelu(0.5),
        new double[] {-2}, new double[] {2});
    assertEquals(0.5, b.lowerSlope(0));
    assertTrue(b.lowerIntercept(0) == 0);
    assertEquals(0.75, b.upperSlope(0));
    assertEquals(0.5, b.upperIntercept(0)); // 0.75 x + 0.5 passes (-2, -1) and (2, 2)
    // clip [0, 1] on [-1, 3]: lower through (0, 0), (3, 1); upper through (-1, 0), (1, 1)
    ActivationLines c = ActivationLines.of(new PiecewiseLinear.Clip(0, 1),
        new double[] {-1}, new double[] {3});
    assertEquals(1.0 / 3, c.lowerSlope(0));
    assertTrue(c.lowerIntercept(0) <= 0 && c.lowerIntercept(0) > -1e-15);
    assertEquals(0.5, c.upperSlope(0));
    assertEquals(0.5, c.upperIntercept(0));
    // stable identity piece: exact lines y = x
    ActivationLines d = ActivationLines.of(new PiecewiseLinear.Clip(0, 1),
        new double[] {0.25}, new double[] {0.75});
    assertEquals(1.0, d.lowerSlope(0));
    assertTrue(d.lowerIntercept(0) == 0 && d.upperIntercept(0) == 0);
  }
}
