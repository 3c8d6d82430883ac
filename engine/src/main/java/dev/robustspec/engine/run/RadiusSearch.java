package dev.robustspec.engine.run;

/**
 * The largest radius at which a family of nested regions (balls of growing radius around one
 * point) satisfies a property: a bracket {@code [certified, falsified]} found by bisection in
 * {@code (from, to]}, the one radius search of {@code certify --radius} and of the
 * {@code largest r in (a, b]} property form.
 *
 * <p>Each step reuses what earlier steps proved: a certificate at {@code r} holds for every
 * smaller radius (the regions are nested), so the bracket's bottom rises to {@code r}; a
 * counterexample at distance {@code d} from the centre is one for every radius {@code >= d}, so
 * the top drops to {@code d}, not only to the probed radius. An open step (unknown, timeout)
 * lowers the top to the probed radius without claiming anything about it. The search stops when
 * the bracket is at most {@code tolerance} wide or the time is spent; the time left is shared
 * evenly by the steps still needed, so that one hard probe cannot take every later one's time.
 */
public final class RadiusSearch {
  /** What one probe decided. */
  public enum Outcome { CERTIFIED, FALSIFIED, OPEN, ERROR }

  /**
   * One probe's answer: {@code distance} is the falsifying point's distance from the centre
   * (rounded up; only for {@link Outcome#FALSIFIED}; NaN when the caller does not know it: the
   * probed radius is used), {@code probe} the caller's own record.
   */
  public record Step<P>(Outcome outcome, double distance, P probe) {}

  /** Decides the property at {@code radius} within {@code seconds}. */
  @FunctionalInterface
  public interface Prober<P> {
    Step<P> probe(double radius, double seconds);
  }

  /**
   * The bracket: {@code certified} is the largest certified radius (null: none), {@code
   * notCertified} the bracket's top (the smallest radius not certified: falsified, undecided,
   * or {@code to} when every probe was certified), {@code falsified} the smallest distance of a
   * confirmed counterexample (null: none) and {@code falsifying} its probe; {@code
   * withinTolerance} says [certified, notCertified] reached the tolerance; {@code error} is set
   * (and the rest empty) when a probe failed.
   */
  public record Result<P>(Double certified, double notCertified, Double falsified, P falsifying,
      double seconds, boolean withinTolerance, P error) {}

  private RadiusSearch() {}

  /** The search in {@code (from, to]} with the given tolerance and time (seconds). */
  public static <P> Result<P> search(double from, double to, double tolerance, double seconds,
      Prober<P> prober) {
    if (!(from >= 0 && to > from && tolerance > 0)) {
      throw new IllegalArgumentException("a radius search needs 0 <= from < to and a positive"
          + " tolerance, got (" + from + ", " + to + "] tolerance " + tolerance);
    }
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    double lo = from;
    double hi = to;
    Double certified = null;
    P falsifying = null;
    Double falsified = null;
    double r = to;
    boolean first = true;
    while (first || hi - lo > tolerance) {
      double left = (deadline - System.nanoTime()) / 1e9;
      if (left <= 0.01) {
        break;
      }
      // quick probes (most certificates, easy counterexamples) hand their unused time on
      int needed = first ? 1 + steps(to - from, tolerance) : steps(hi - lo, tolerance);
      Step<P> s = prober.probe(r, left / Math.max(1, needed));
      first = false;
      switch (s.outcome()) {
        case ERROR -> {
          return new Result<>(null, to, null, null, elapsed(start), false, s.probe());
        }
        case CERTIFIED -> {
          lo = r;
          certified = r;
        }
        case FALSIFIED -> {
          // NaN: the caller does not know the point's distance (the probed radius stands for it)
          double d = Double.isNaN(s.distance()) ? r : s.distance();
          hi = Math.min(r, d);
          if (falsified == null || d < falsified) {
            falsified = d;
            falsifying = s.probe();
          }
        }
        case OPEN -> hi = r;
        default -> throw new IllegalStateException();
      }
      if (hi <= lo) {
        break; // a counterexample at or below the bracket's bottom (at the centre: distance 0)
      }
      r = lo + (hi - lo) / 2;
    }
    return new Result<>(certified, hi, falsified, falsifying, elapsed(start),
        hi - lo <= tolerance, null);
  }

  /** Bisection steps that bring a bracket of {@code width} down to {@code tolerance}. */
  private static int steps(double width, double tolerance) {
    return (int) Math.ceil(Math.log(width / tolerance) / Math.log(2));
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
