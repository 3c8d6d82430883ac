package dev.robustspec.compiler.service;

/**
 * The radius search's bisection, shared by {@code robustspec certify --radius} (per data item)
 * and the editor's quick fix "set eps to the largest certified radius": probes halve the bracket
 * [certified, not certified] in (0, maxRadius] until it is at most {@code tolerance} wide or the
 * time is spent, the time shared evenly by the steps still needed. A certificate at r holds for
 * every smaller radius; a counterexample at distance d from the centre is one for every radius
 * >= d, so the bracket's top drops to d, not only to the probed radius.
 *
 * <p>What a probe is (one item's ball, or a whole document recompiled at radius r) is the
 * caller's: this class only decides where to probe next.
 */
public final class RadiusSearch {
  private RadiusSearch() {}

  /** What a probe decided. */
  public enum Outcome {
    CERTIFIED, FALSIFIED, OPEN, ERROR
  }

  /**
   * One probe's answer: {@code distance} is the falsifying point's distance from the centre
   * (FALSIFIED; NaN when the caller does not know it: the probed radius is used), {@code detail}
   * the caller's own record of the probe.
   */
  public record Step<P>(Outcome outcome, double distance, P detail) {}

  /** Verifies at {@code radius} within {@code seconds}. */
  @FunctionalInterface
  public interface Prober<P> {
    Step<P> probe(double radius, double seconds);
  }

  /**
   * The bracket: the largest certified radius (null: none), the smallest falsifying distance
   * (null: none) with its probe, whether the bracket reached the tolerance, and the probe that
   * failed with an error (the search stops at once).
   */
  public record Result<P>(Double certified, Double falsified, P falsifying,
      boolean withinTolerance, P error) {}

  /** The search in (0, maxRadius] within {@code seconds} in all. */
  public static <P> Result<P> search(double maxRadius, double tolerance, double seconds,
      Prober<P> prober) {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    double lo = 0;
    double hi = maxRadius;
    Double certified = null;
    Double falsified = null;
    P falsifying = null;
    double r = maxRadius;
    boolean first = true;
    while (first || hi - lo > tolerance) {
      double left = (deadline - System.nanoTime()) / 1e9;
      if (left <= 0.01) {
        break;
      }
      // what is left shared by the bisection steps still needed, so that a hard probe cannot
      // take every later one's time; quick probes (most certificates, easy counterexamples)
      // hand their unused time on
      int needed = first ? 1 + steps(maxRadius, tolerance) : steps(hi - lo, tolerance);
      Step<P> p = prober.probe(r, left / Math.max(1, needed));
      first = false;
      switch (p.outcome()) {
        case ERROR:
          return new Result<>(null, null, null, false, p.detail());
        case CERTIFIED:
          lo = r;
          certified = r;
          break;
        case FALSIFIED: {
          double d = Double.isNaN(p.distance()) ? r : p.distance();
          hi = Math.min(r, d);
          if (falsified == null || d < falsified) {
            falsified = d;
            falsifying = p.detail();
          }
          break;
        }
        default:
          hi = r;
      }
      if (p.outcome() == Outcome.FALSIFIED && hi == 0) {
        break; // misclassified at the centre: no radius is certified
      }
      r = lo + (hi - lo) / 2;
    }
    return new Result<>(certified, falsified, falsifying, hi - lo <= tolerance, null);
  }

  /** Bisection steps that bring a bracket of {@code width} down to {@code tolerance}. */
  static int steps(double width, double tolerance) {
    return (int) Math.ceil(Math.log(width / tolerance) / Math.log(2));
  }
}
