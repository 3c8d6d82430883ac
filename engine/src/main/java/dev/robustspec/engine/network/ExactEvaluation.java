package dev.robustspec.engine.network;

import java.math.BigDecimal;

/**
 * The network evaluated in exact arithmetic at one point (BigDecimal, no rounding at all):
 * every weight is the double it is stored as, so this is the real-valued function the passes
 * bound. The counterexample replay uses it to decide, without any rounding argument, whether a
 * point violates a property of a {@code Real} query. Cost grows with the number of weights and
 * the depth (the digits of exact products add up), so callers keep it for networks of modest
 * size ({@link #affordable}).
 */
public final class ExactEvaluation {
  private ExactEvaluation() {}

  /** Networks up to this many weights are evaluated exactly. */
  public static final long MAX_WEIGHTS = 2_000_000;

  public static boolean affordable(Network network) {
    return network.parameterCount() <= MAX_WEIGHTS && network.layers().size() <= 64;
  }

  public static BigDecimal[] evaluate(Network network, double[] input) {
    BigDecimal[] v = new BigDecimal[input.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = new BigDecimal(input[i]);
    }
    for (Layer layer : network.layers()) {
      v = layer.evaluateExact(v);
    }
    return v;
  }
}
