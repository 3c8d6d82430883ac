package dev.robustspec.engine.network;

/**
 * Where a layer writes its LP rows ({@link Layer#encodeLp}); implemented by {@code lp.NetworkLp}.
 * Defined here so that the LP package depends on the network package and not the reverse.
 */
public interface LpRowSink {

  /** A new variable boxed in {@code [lower, upper]} (both finite); returns its index. */
  int variable(double lower, double upper);

  /** The row {@code lower <= sum coef[j] * x[index[j]] <= upper}. */
  void row(int[] index, double[] coef, double lower, double upper);

  /** Bounds of a layer's input ({@code inLower, inUpper}) and output ({@code outLower, outUpper}). */
  record Bounds(double[] inLower, double[] inUpper, double[] outLower, double[] outUpper) {}
}
