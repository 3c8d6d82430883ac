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
      if (layer instanceof DenseLayer d) {
        int n = d.inputSize();
        BigDecimal[] y = new BigDecimal[d.outputSize()];
        for (int r = 0; r < y.length; r++) {
          BigDecimal s = new BigDecimal(d.bias()[r]);
          for (int c = 0; c < n; c++) {
            double w = d.weights()[r * n + c];
            if (w != 0 && v[c].signum() != 0) {
              s = s.add(new BigDecimal(w).multiply(v[c]));
            }
          }
          y[r] = s;
        }
        v = y;
      } else if (layer instanceof ElementwiseAffineLayer e) {
        BigDecimal[] y = new BigDecimal[v.length];
        for (int i = 0; i < y.length; i++) {
          y[i] = v[i].multiply(new BigDecimal(e.scale()[i])).add(new BigDecimal(e.shift()[i]));
        }
        v = y;
      } else if (layer instanceof ReluLayer) {
        BigDecimal[] y = new BigDecimal[v.length];
        for (int i = 0; i < y.length; i++) {
          y[i] = v[i].signum() > 0 ? v[i] : BigDecimal.ZERO;
        }
        v = y;
      } else if (!(layer instanceof ReshapeLayer)) { // a reshape leaves the flat vector unchanged
        throw new IllegalArgumentException("exact evaluation is not yet supported for layer "
            + layer.name());
      }
    }
    return v;
  }
}
