package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.SymbolicRows;

/**
 * A layer that is affine in its input, {@code y = W x + b} (dense, convolution, transposed
 * convolution, sparse, per-element scale and shift, a reshape's permutation): back-substitution
 * is exact, so α-CROWN has no slope to choose, and the adjoint of the rule
 * {@code a -> (a W, a . b)} is {@code g -> W g + b}, the layer's own {@link #evaluate}.
 * These α-CROWN rules are the same for every such layer and live here once.
 */
public sealed interface AffineLayer extends Layer permits ConvLayer, ConvTransposeLayer,
    DenseLayer, ElementwiseAffineLayer, ReshapeLayer, SparseAffineLayer {

  @Override
  default int lowerSlopeCount() {
    return 0;
  }

  @Override
  default void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow) {
    // no slopes
  }

  @Override
  default void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput) {
    backSubstitute(overOutput, inLower, inUpper, overInput);
  }

  @Override
  default double[] slopeGradientStep(double[] g, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow) {
    return evaluate(g);
  }

  @Override
  default double[][] slopeGradientSteps(double[][] g, double[] inLower, double[] inUpper,
      double[][] coefOverOutput, double[][] slopes, double[][] gradSlopes) {
    return evaluateRows(g);
  }
}
