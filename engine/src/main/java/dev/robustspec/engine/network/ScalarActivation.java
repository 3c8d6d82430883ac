package dev.robustspec.engine.network;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * A scalar function applied element-wise (sigmoid, tanh, leaky ReLU, clip), described the way
 * {@link ActivationLines} needs to relax it rigorously: a double evaluation, rigorous enclosures
 * of the real value (and of the derivative on curved pieces), the breakpoints between pieces, and
 * each piece's curvature. The function must be continuous, and on each piece monotone or linear,
 * so that its extremes over an interval are at the ends or at breakpoints.
 */
public interface ScalarActivation {

  /** How a piece between two breakpoints curves. */
  enum Curvature { LINEAR, CONVEX, CONCAVE }

  /** Double-precision value (the concrete forward pass). */
  double value(double x);

  /** Derivative in double (gradients and slope choices only, never a bound). */
  double derivative(double x);

  /** A value at most the real {@code f(x)}. */
  double valueLower(double x);

  /** A value at least the real {@code f(x)}. */
  double valueUpper(double x);

  /** A value at most the real {@code f'(x)} (used on curved pieces only). */
  double derivativeLower(double x);

  /** A value at least the real {@code f'(x)} (used on curved pieces only). */
  double derivativeUpper(double x);

  /** Finite breakpoints, ascending; piece {@code i} lies between breakpoints {@code i-1, i}. */
  double[] breakpoints();

  /** Curvature of piece {@code i} (0 .. breakpoints().length). */
  Curvature curvature(int piece);

  /**
   * Proposed slopes {@code {lower, upper}} of the two relaxation lines on {@code [l, u]} (finite,
   * {@code l < u}). Any slopes are sound: {@link ActivationLines} derives the intercepts
   * rigorously; the proposal only decides how tight the lines are.
   */
  double[] slopes(double l, double u);

  // ---- what ElementwiseActivationLayer asks beyond the relaxation ----

  /** Kind name for tables, hovers and messages: sigmoid, tanh, leakyrelu, clip. */
  String kind();

  /** The value as a float32 runtime computes it (default: f in double, rounded once). */
  default float valueFloat32(float x) {
    return (float) value(x);
  }

  /** True when {@link #exactValue} is defined (the function is rational on rationals). */
  default boolean hasExactValue() {
    return false;
  }

  /** The exact value (only when {@link #hasExactValue}). */
  default BigDecimal exactValue(BigDecimal x) {
    throw new UnsupportedOperationException(kind() + " has no exact value");
  }

  /** The numbers that identify the function beyond its kind (for fingerprints). */
  default double[] parameters() {
    return new double[0];
  }

  /**
   * LP rows beyond the two lines of {@link ActivationLines}, valid on the whole real line, for
   * the output variable {@code out} of input variable {@code in} (default: none).
   */
  default void addGlobalRows(LpRowSink lp, int out, int in) {
    // none
  }

  /** Writes the ONNX node(s) of layer {@code layerName} (index k) from input to output. */
  void writeOnnx(OnnxNodeSink onnx, String layerName, int k, String input, String output)
      throws IOException;
}
