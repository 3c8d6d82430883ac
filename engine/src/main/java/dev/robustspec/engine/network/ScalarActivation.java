package dev.robustspec.engine.network;

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
}
