package dev.robustspec.engine.search;

import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.Float32Evaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NoExactRuleException;
import dev.robustspec.engine.network.RoundedEvaluation;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one confirmation of a counterexample, shared by every search (attack, branch and bound,
 * any plan step): a candidate is a counterexample only when it lies in the case's region,
 * satisfies the case's input constraints exactly, and the real-valued network (the model's own
 * weights, no rounding) meets every output constraint of the case, strict ones strictly.
 *
 * <p>Method: a double forward pass with the closed constraints first (the searches' cheap
 * pre-filter, {@link UnsafeCase#isViolatedBy}); then a rigorous enclosure of the real output
 * ({@link RoundedEvaluation}: the double value and a radius that bounds its distance to the
 * real value), each constraint {@code c . y <= d} decided exactly from
 * {@code c . v +- |c| . r} when the enclosure lies on one side; only when some enclosure
 * straddles its bound is the network evaluated in exact arithmetic ({@link ExactEvaluation}),
 * and a network too large for that, or with a layer that has no exact rule (sigmoid, tanh:
 * {@link NoExactRuleException}), leaves the candidate rejected. Beside it, the network is
 * evaluated in float32 as ONNX Runtime would ({@link Float32Evaluation}) and the confirmation
 * records whether that output (at the input rounded to float32) violates the case too: it is
 * reported, it does not decide.
 *
 * <p>Soundness: a returned counterexample violates the property in real arithmetic. A rejected
 * candidate is not a counterexample; the search that proposed it goes on. Thread-safe (branch
 * and bound confirms from several threads).
 */
public final class CounterexampleCheck {

  /** How the real-valued comparison was decided. */
  public enum Method {
    /** A rigorous enclosure of the exact output decided every comparison. */
    ENCLOSURE,
    /** Some enclosure straddled its bound; the exact (BigDecimal) output decided. */
    EXACT;

    /** The word reports use: {@code enclosure}, {@code exact}. */
    public String word() {
      return this == ENCLOSURE ? "enclosure" : "exact";
    }
  }

  /**
   * What was checked: the real-arithmetic {@code method}, the float32 output at the input rounded
   * to float32, and whether that float32 point violates the case too (region, input and output
   * constraints, strict ones strictly).
   */
  public record Confirmation(Method method, double[] float32Output, boolean float32Violates)
      implements java.io.Serializable {}

  /** How one comparison fares over an enclosure. */
  private enum Decision { HOLDS, FAILS, STRADDLES }

  private final Network network;
  private final boolean exactAffordable;
  private final AtomicLong rejected = new AtomicLong();

  public CounterexampleCheck(Network network) {
    this.network = network;
    this.exactAffordable = ExactEvaluation.affordable(network);
  }

  /**
   * A confirmed counterexample to {@code unsafeCase} (index {@code caseIndex}) at {@code x}, or
   * null when {@code x} does not violate it in real arithmetic (or that cannot be decided).
   */
  public Counterexample confirm(UnsafeCase unsafeCase, int caseIndex, double[] x) {
    double[] y = network.evaluate(x);
    if (!unsafeCase.isViolatedBy(x, y)) {
      return null; // not even a candidate: not counted
    }
    Method method = realMethod(unsafeCase, x);
    if (method == null) {
      rejected.incrementAndGet();
      return null;
    }
    float[] f = Float32Evaluation.evaluate(network, x);
    double[] y32 = new double[f.length];
    for (int j = 0; j < f.length; j++) {
      y32[j] = f[j];
    }
    Confirmation check = new Confirmation(method, y32, violatesInFloat32(unsafeCase, x, y32));
    return new Counterexample(x.clone(), y, caseIndex, check);
  }

  /** Candidates that passed the double pre-filter but failed the real-arithmetic check. */
  public long rejected() {
    return rejected.get();
  }

  /** How the violation was confirmed in real arithmetic, or null when it was not. */
  private Method realMethod(UnsafeCase unsafeCase, double[] x) {
    for (double v : x) {
      if (!Double.isFinite(v)) {
        return null;
      }
    }
    RoundedEvaluation.Result r = RoundedEvaluation.evaluate(network, x, false);
    boolean straddles = false;
    for (OutputConstraint c : unsafeCase.constraints()) {
      Decision d = decide(c, r.values(), r.radius());
      if (d == Decision.FAILS) {
        return null;
      }
      straddles |= d == Decision.STRADDLES;
    }
    if (!straddles) {
      return Method.ENCLOSURE;
    }
    if (!exactAffordable) {
      return null;
    }
    BigDecimal[] exact;
    try {
      exact = ExactEvaluation.evaluate(network, x);
    } catch (NoExactRuleException e) {
      return null; // sigmoid, tanh: only the enclosure can decide, and it straddled
    }
    for (OutputConstraint c : unsafeCase.constraints()) {
      if (!c.holdsExactly(exact)) {
        return null;
      }
    }
    return Method.EXACT;
  }

  /**
   * Decides {@code c . y <= d} (or {@code <}) for every real {@code y} with
   * {@code |y_j - values_j| <= radius_j}, exactly.
   */
  private static Decision decide(OutputConstraint c, double[] values, double[] radius) {
    BigDecimal centre = BigDecimal.ZERO;
    BigDecimal spread = BigDecimal.ZERO;
    for (int j = 0; j < values.length; j++) {
      double a = c.coefficients()[j];
      if (a == 0) {
        continue;
      }
      if (!Double.isFinite(values[j]) || !Double.isFinite(radius[j])) {
        return Decision.STRADDLES;
      }
      centre = centre.add(new BigDecimal(a).multiply(new BigDecimal(values[j])));
      spread = spread.add(new BigDecimal(Math.abs(a)).multiply(new BigDecimal(radius[j])));
    }
    BigDecimal d = new BigDecimal(c.bound());
    int high = centre.add(spread).compareTo(d);
    int low = centre.subtract(spread).compareTo(d);
    if (c.strict() ? high < 0 : high <= 0) {
      return Decision.HOLDS;
    }
    if (c.strict() ? low >= 0 : low > 0) {
      return Decision.FAILS;
    }
    return Decision.STRADDLES;
  }

  /** True when the float32-rounded input and its float32 output violate the case too. */
  private static boolean violatesInFloat32(UnsafeCase unsafeCase, double[] x, double[] y32) {
    double[] x32 = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x32[i] = (float) x[i];
    }
    if (!unsafeCase.region().contains(x32)) {
      return false;
    }
    for (InputConstraint ic : unsafeCase.inputConstraints()) {
      if (!ic.holdsExactlyAt(x32)) {
        return false;
      }
    }
    BigDecimal[] y = new BigDecimal[y32.length];
    for (int j = 0; j < y.length; j++) {
      if (!Double.isFinite(y32[j])) {
        return false;
      }
      y[j] = new BigDecimal(y32[j]);
    }
    for (OutputConstraint c : unsafeCase.constraints()) {
      if (!c.holdsExactly(y)) {
        return false;
      }
    }
    return true;
  }
}
