package dev.robustspec.engine;

import dev.robustspec.engine.network.ExactEvaluation;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.InputConstraint;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.math.BigDecimal;

/**
 * The tests' own exact check of a counterexample, written apart from the engine's
 * {@code CounterexampleCheck}: the point is in the region and the input polytope, and the
 * network in exact arithmetic meets every output constraint, strict ones strictly.
 */
public final class ExactChecks {
  private ExactChecks() {}

  public static boolean violatesExactly(Network net, UnsafeCase c, double[] x) {
    if (!c.region().contains(x)) {
      return false;
    }
    for (InputConstraint ic : c.inputConstraints()) {
      if (!ic.holdsExactlyAt(x)) {
        return false;
      }
    }
    BigDecimal[] y = ExactEvaluation.evaluate(net, x);
    for (OutputConstraint oc : c.constraints()) {
      BigDecimal s = BigDecimal.ZERO;
      for (int j = 0; j < y.length; j++) {
        s = s.add(new BigDecimal(oc.coefficients()[j]).multiply(y[j]));
      }
      int cmp = s.compareTo(new BigDecimal(oc.bound()));
      if (oc.strict() ? cmp >= 0 : cmp > 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code coefficients . N(x)} in exact arithmetic. */
  public static BigDecimal exactObjective(Network net, double[] coefficients, double[] x) {
    BigDecimal[] y = ExactEvaluation.evaluate(net, x);
    BigDecimal s = BigDecimal.ZERO;
    for (int j = 0; j < y.length; j++) {
      s = s.add(new BigDecimal(coefficients[j]).multiply(y[j]));
    }
    return s;
  }
}
