package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * One layer of a feed-forward network, acting on flat (row-major) vectors. Each layer type owns
 * every rule that concerns it, the way each operator of auto_LiRPA owns its bound rules: no code
 * outside a layer's own file asks which class a layer is. Every rule is an abstract method, so a
 * new layer type (convolution, pooling, sigmoid, batch norm) that forgets one does not compile.
 *
 * <p>A new layer type supplies: its sizes; concrete evaluation in double ({@link #evaluate}),
 * float32 ({@link #evaluateFloat32}), exact ({@link #evaluateExact}) and with a rounding radius
 * ({@link #evaluateRounded}); the interval, back-substitution, forward-symbolic and gradient
 * rules; how α-CROWN treats it ({@link #lowerSlopeCount}, {@link #initialLowerSlopes}, the
 * back-substitution with slopes, {@link #slopeGradientStep}; an affine layer inherits them from
 * {@link AffineLayer}); its LP rows ({@link #encodeLp}); its
 * ONNX nodes ({@link #writeOnnx}); how it joins a product network ({@link #joinProduct}); its
 * fingerprint ({@link #writeFingerprint}); and how it is shown ({@link #kind}, {@link #outputShape}, {@link #isActivation}, {@link #isRelu}, {@link #isShapeOnly},
 * {@link #parameterCount}).
 *
 * <p>Rules that would need a package above this one (the LP model of {@code lp}, the protobuf
 * writer of {@code io}) write into small sinks defined here ({@link LpRowSink},
 * {@link OnnxNodeSink}, {@link FingerprintSink}) that those packages implement, so the
 * dependency runs from them to {@code network} and never back.
 */
public sealed interface Layer permits AffineLayer, ElementwiseActivationLayer, MaxPoolLayer,
    ReluLayer, CarryLayer {

  /** A name for messages and bound tables: the ONNX node or `.nnet` layer it came from. */
  String name();

  int inputSize();

  int outputSize();

  /** Concrete evaluation in double precision; {@code input} is not modified. */
  double[] evaluate(double[] input);

  /**
   * {@link #evaluate} of each of {@code inputs}, the same doubles; a layer whose weights are
   * large reads them once for all the rows.
   */
  default double[][] evaluateRows(double[][] inputs) {
    double[][] out = new double[inputs.length][];
    for (int r = 0; r < inputs.length; r++) {
      out[r] = evaluate(inputs[r]);
    }
    return out;
  }

  /**
   * Interval rule: from bounds on this layer's input, rigorous bounds on its output (rounding
   * outward). Writes {@code outLower}/{@code outUpper}, each of length {@link #outputSize()}.
   */
  void intervalForward(double[] inLower, double[] inUpper, double[] outLower, double[] outUpper);

  /**
   * Back-substitution rule (DeepPoly/CROWN): rewrites linear lower bounds over this layer's
   * output into linear lower bounds over its input, given bounds on the input. {@code overInput}
   * is reset by the layer to {@code overOutput.rows() x inputSize()}.
   */
  void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput);

  /**
   * Forward symbolic rule (Neurify's symbolic intervals): from linear lower and upper bounds of
   * this layer's input as functions of the network input, linear bounds of its output, given
   * rigorous bounds {@code inLower}/{@code inUpper} on the input (a ReLU needs them to relax).
   * {@code in} has had {@link ForwardBounds#computeMagnitudes} called; the layer resets
   * {@code out} to {@link #outputSize()} rows and fills both batches, rounding errors in the slack.
   */
  void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper, ForwardBounds out);

  /** Gradient rule: the vector-Jacobian product at {@code input} (for the counterexample search). */
  double[] backpropagate(double[] input, double[] gradOutput);

  // ---- α-CROWN: optimisable lower slopes (relax.AlphaPass) ----

  /**
   * Number of lower-relaxation slopes α-CROWN may optimise per objective row: one per neuron for
   * a ReLU ({@code y >= alpha x}, any alpha in [0, 1]); 0 for a layer whose back-substitution is
   * exact (affine, shape) and so has nothing to choose.
   */
  int lowerSlopeCount();

  /**
   * The starting slopes of one row (DeepPoly's own choice, so the first iterate is DeepPoly's
   * bound), from bounds on this layer's input; writes {@code slopesRow}, of length
   * {@link #lowerSlopeCount()} (nothing when that is 0).
   */
  void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow);

  /**
   * {@link #backSubstitute(SymbolicRows, double[], double[], SymbolicRows)} with the lower
   * relaxation given by {@code lowerSlopes} ({@code overOutput.rows() x lowerSlopeCount()},
   * row-major; {@code null} for DeepPoly's choice). Must be rigorous for every slope in the
   * range the layer accepts: α-CROWN reports its values as bounds.
   */
  void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput);

  /**
   * One step of α-CROWN's gradient, for one objective row, from this layer's input to its output
   * (the adjoint of the slope back-substitution). {@code g} is the derivative of the row's bound
   * by the coefficients over this layer's input; returns the derivative by the coefficients over
   * its output, {@code coefOverOutputRow}, and writes the derivative by the row's slopes
   * ({@code slopesRow}) into {@code gradSlopesRow}, which the caller passes zeroed (both of length
   * {@link #lowerSlopeCount()}).
   * An affine layer {@code y = W x + b}, whose rule maps {@code a} to {@code a W} with constant
   * {@code a . b}, returns {@code W g + b}: its own {@link #evaluate}. Plain doubles: the gradient
   * only steers the search, every reported value comes from the rigorous rule.
   */
  double[] slopeGradientStep(double[] g, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow);

  /**
   * {@link #slopeGradientStep} of several rows (row r: {@code g[r]}, {@code coefOverOutput[r]},
   * {@code slopes[r]}, {@code gradSlopes[r]}), the same values; an affine layer evaluates all
   * the rows at once ({@link #evaluateRows}).
   */
  default double[][] slopeGradientSteps(double[][] g, double[] inLower, double[] inUpper,
      double[][] coefOverOutput, double[][] slopes, double[][] gradSlopes) {
    double[][] out = new double[g.length][];
    for (int r = 0; r < g.length; r++) {
      out[r] = slopeGradientStep(g[r], inLower, inUpper, coefOverOutput[r], slopes[r],
          gradSlopes[r]);
    }
    return out;
  }

  // ---- concrete evaluation in other arithmetics ----

  /** Evaluation the way a float32 ONNX runtime does it: every multiply and add in float32. */
  float[] evaluateFloat32(float[] input);

  /** Evaluation in exact arithmetic (no rounding at all): the real-valued function bounded. */
  BigDecimal[] evaluateExact(BigDecimal[] input);

  /**
   * Evaluation with a rigorous radius ({@link RoundedEvaluation}): from values {@code in} that
   * are within {@code in.radius()} of the exact ones, this layer's values in the chosen precision
   * and radii bounding their distance to the exact values.
   */
  RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision);

  // ---- encodings ----

  /**
   * LP rule (the triangle relaxation of {@code lp.NetworkLp}): given the LP variables of this
   * layer's input ({@code -1} for a value that is the constant 0) and the bounds of its input and
   * output, adds this layer's rows to {@code lp} and returns the variables of its output.
   */
  int[] encodeLp(LpRowSink lp, int[] inputVariables, LpRowSink.Bounds bounds);

  /** ONNX rule: writes this layer's nodes (and initializers) from {@code input} to {@code output}. */
  void writeOnnx(OnnxNodeSink onnx, int index, String input, String output) throws IOException;

  /**
   * Product rule: appends this layer to a lane of a {@link ProductNetwork} as an affine step or a
   * ReLU, or calls {@link ProductNetwork.LaneBuilder#general()} when it is neither (the product
   * is then built as a graph of the lanes' own layers).
   */
  void joinProduct(ProductNetwork.LaneBuilder lane);

  /** Writes the numbers that identify this layer (beyond its class and sizes) for caching. */
  void writeFingerprint(FingerprintSink sink);

  // ---- how the layer is shown and what the passes ask of it ----

  /** Short kind name for bound tables, hovers and plots: dense, affine, relu, reshape. */
  String kind();

  /**
   * Display rule: the shape of this layer's values, given the shape of its input, both without
   * the batch dimension ({@link Shapes#withoutBatch}): {@code (c, h, w)} for a layer whose values
   * are an image (a convolution, pooling, an element-wise layer over an image, a reshape to
   * one), {@code (n)} for a vector. Bound tables, hovers and plots address neurons by it.
   */
  int[] outputShape(int[] inputShape);

  /**
   * True for a nonlinear element-wise activation: its relaxation depends on the bounds of its
   * input (so passes tighten those), and tables show its neurons as active/dead/unstable.
   */
  boolean isActivation();

  /** True for {@code max(0, x)}: the multi-neuron ReLU hull (k-ReLU) applies to it. */
  boolean isRelu();

  /**
   * The input neurons {@code [0, relaxedInputCount())} are the ones this layer relaxes (for an
   * activation, its neurons; for {@link #isRelu()} the ReLUs); the others pass through exactly
   * ({@link CarryLayer} carries a lowered graph's skip values past a branch). Passes refine,
   * split and group only these. Every plain layer relaxes all inputs of an activation and none
   * otherwise, so this one rule has a default: only a layer that carries values overrides it.
   */
  default int relaxedInputCount() {
    return isActivation() ? inputSize() : 0;
  }

  /** True when the layer only changes the shape (the flat vector passes unchanged). */
  boolean isShapeOnly();

  /**
   * True when each output is an affine map of one input ({@code a x_i + b}): exact ranges of the
   * inputs give exact ranges of the outputs, so a box stays a box (LP tightening skips the LPs
   * of a ReLU whose input is one other affine map over the box and such layers).
   */
  default boolean isCoordinatewiseAffine() {
    return isShapeOnly();
  }

  /** Number of weights and biases. */
  long parameterCount();

  /** {@code max(|lower_i|, |upper_i|)}, the magnitude bound used by the rounding-error terms. */
  static double[] magnitudes(double[] lower, double[] upper) {
    double[] m = new double[lower.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = Math.max(Math.abs(lower[i]), Math.abs(upper[i]));
    }
    return m;
  }
}
