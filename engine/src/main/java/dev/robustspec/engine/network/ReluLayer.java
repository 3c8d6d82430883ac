package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@code y[i] = max(0, x[i])}. Its back-substitution rule is DeepPoly's (Singh et al., "An
 * Abstract Domain for Certifying Neural Networks", POPL 2019; the same as CROWN's adaptive rule,
 * Zhang et al., NeurIPS 2018): on an unstable neuron ({@code l < 0 < u}) the upper line is the
 * chord {@code u (x - l) / (u - l)}, the lower line {@code y >= x} when {@code u > -l} and
 * {@code y >= 0} otherwise, the choice that minimises the relaxation's area.
 */
public record ReluLayer(String name, int size) implements Layer {

  public ReluLayer {
    if (size <= 0) {
      throw new IllegalArgumentException("relu layer " + name + ": size must be positive");
    }
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = input[i] > 0 ? input[i] : 0.0;
    }
    return out;
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    for (int i = 0; i < size; i++) {
      outLower[i] = Math.max(inLower[i], 0.0);
      outUpper[i] = Math.max(inUpper[i], 0.0);
    }
  }

  /** Slope of the chord, rounded up so that the chord stays above the ReLU on [l, u]. */
  static double chordSlope(double l, double u) {
    double width = Math.nextDown(u - l); // at most the exact u - l
    return Math.min(1.0, Math.nextUp(u / width));
  }

  /**
   * The area rule without a test per entry, over the neurons that are not inactive (an inactive
   * one gives 0 whatever its coefficient): each one's multiplier for a positive coefficient
   * ({@code up}: 1 active, the lower line's slope 1 or 0 unstable) and for a negative one
   * ({@code down}: 1 active, the chord's slope unstable), and for the chord its offset {@code l}
   * and range {@code max(-l, u)} (0 when active, so that adds exactly 0 to the constant and the
   * magnitude). The same numbers as the general rule below, bit for bit; that rule is used when
   * some unstable neuron has an infinite bound (0 times it would be NaN).
   */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    // neurons the bounds show inactive give 0 whatever the coefficient: only the others are
    // visited (their coefficients start at 0)
    int[] live = new int[size];
    double[] up = new double[size];
    double[] down = new double[size];
    double[] offset = new double[size];
    double[] range = new double[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      if (u <= 0) {
        continue;
      }
      live[n] = i;
      if (l >= 0) {
        up[n] = 1;
        down[n] = 1;
      } else if (!Double.isFinite(l) || !Double.isFinite(u)) {
        backSubstitute(overOutput, inLower, inUpper, null, overInput);
        return;
      } else {
        up[n] = u > -l ? 1 : 0;
        down[n] = chordSlope(l, u);
        offset[n] = l;
        range[n] = Math.max(-l, u);
      }
      n++;
    }
    int rows = overOutput.rows();
    overInput.reset(rows, size);
    overInput.copyOffsets(overOutput);
    overInput.markNonzeroColumns(live, n);
    double[] a = overOutput.coef();
    double[] out = overInput.coef();
    int r = 0;
    for (; r + 2 <= rows; r += 2) {
      // two rows side by side: each sums in its own order, the two chains of additions overlap
      int off = r * size;
      int next = off + size;
      double constant0 = 0;
      double magnitude0 = 0;
      double constant1 = 0;
      double magnitude1 = 0;
      for (int t = 0; t < n; t++) {
        int i = live[t];
        double c = a[off + i];
        double d = a[next + i];
        double cs = Math.min(c, 0.0) * down[t]; // c s on the chord, c (active), or 0
        double ds = Math.min(d, 0.0) * down[t];
        out[off + i] = Math.max(c, 0.0) * up[t] + cs;
        out[next + i] = Math.max(d, 0.0) * up[t] + ds;
        double tc = -cs * offset[t];
        double td = -ds * offset[t];
        constant0 += tc;
        magnitude0 += Math.abs(tc) + Math.abs(cs) * range[t];
        constant1 += td;
        magnitude1 += Math.abs(td) + Math.abs(ds) * range[t];
      }
      addChordTerms(overInput, r, constant0, magnitude0);
      addChordTerms(overInput, r + 1, constant1, magnitude1);
    }
    for (; r < rows; r++) {
      int off = r * size;
      double constant = 0;
      double magnitude = 0;
      for (int t = 0; t < n; t++) {
        int i = live[t];
        double c = a[off + i];
        double cs = Math.min(c, 0.0) * down[t];
        out[off + i] = Math.max(c, 0.0) * up[t] + cs;
        double tc = -cs * offset[t];
        constant += tc;
        magnitude += Math.abs(tc) + Math.abs(cs) * range[t];
      }
      addChordTerms(overInput, r, constant, magnitude);
    }
  }

  private void addChordTerms(SymbolicRows overInput, int r, double constant, double magnitude) {
    if (magnitude != 0) {
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(size + 4, magnitude));
    }
  }

  /**
   * The back-substitution rule with the lower line of each unstable neuron chosen by the caller:
   * {@code y >= alpha x} with {@code alpha = lowerSlopes[r * size + i]} in [0, 1] for row r
   * (valid for every such alpha, since {@code max(0, x) >= alpha x}; α-CROWN optimises it).
   * {@code null} means the area rule (alpha 1 when {@code u > -l}, else 0). Stable neurons ignore
   * the slopes. The product {@code c * alpha} is rounded once; its error, at most
   * {@code u |c alpha| max(-l, u)} on the neuron's range, goes into the row's slack.
   */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput) {
    int rows = overOutput.rows();
    overInput.reset(rows, size);
    overInput.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    double[] out = overInput.coef();
    double[] slope = new double[size];
    for (int i = 0; i < size; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      slope[i] = u <= 0 ? 0 : l >= 0 ? 1 : chordSlope(l, u);
    }
    for (int r = 0; r < rows; r++) {
      int off = r * size;
      double constant = 0;
      double magnitude = 0;
      for (int i = 0; i < size; i++) {
        double c = a[off + i];
        if (c == 0) {
          continue;
        }
        double l = inLower[i];
        double u = inUpper[i];
        if (u <= 0) {
          continue; // inactive: y = 0
        }
        if (l >= 0) {
          out[off + i] = c; // active: y = x, exact
          continue;
        }
        if (c > 0 && lowerSlopes != null) {
          double alpha = lowerSlopes[off + i];
          if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("lower slope " + alpha + " outside [0, 1]");
          }
          double ca = c * alpha;
          out[off + i] = ca;
          magnitude += ca * Math.max(-l, u);
        } else if (c > 0) {
          // lower line y >= x or y >= 0: exact slopes 1 or 0
          if (u > -l) {
            out[off + i] = c;
          }
        } else {
          // upper line y <= s (x - l): c*y >= c*s*x - c*s*l
          double cs = c * slope[i];
          out[off + i] = cs;
          double t = -cs * l; // negative: cs < 0, l < 0
          constant += t;
          magnitude += Math.abs(t) + Math.abs(cs) * Math.max(-l, u);
        }
      }
      if (magnitude != 0) {
        overInput.addConstant(r, constant);
        overInput.addSlack(r, Rounding.dotError(size + 4, magnitude));
      }
    }
  }

  /** One slope per neuron; only those of unstable neurons matter. */
  @Override
  public int lowerSlopeCount() {
    return size;
  }

  /** The area rule of {@link #backSubstitute}: 1 when {@code u > -l}, else 0. */
  @Override
  public void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow) {
    for (int i = 0; i < size; i++) {
      slopesRow[i] = inUpper[i] > -inLower[i] ? 1.0 : 0.0;
    }
  }

  /**
   * The adjoint of the slope rule, neuron by neuron: inactive gives 0, active {@code g_i}; on an
   * unstable neuron with coefficient {@code c >= 0} the lower line {@code alpha x} gives
   * {@code alpha g_i} and contributes {@code c g_i} to the slope's gradient, with {@code c < 0}
   * the chord {@code s (x - l)} gives {@code s (g_i - l)} (the exact slope
   * {@code s = u / (u - l)}: the gradient only steers).
   */
  @Override
  public double[] slopeGradientStep(double[] g, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow) {
    double[] next = new double[size];
    for (int i = 0; i < size; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      if (u <= 0) {
        continue;
      }
      if (l >= 0) {
        next[i] = g[i];
        continue;
      }
      double c = coefOverOutputRow[i];
      if (c >= 0) {
        next[i] = slopesRow[i] * g[i];
        gradSlopesRow[i] = c * g[i];
      } else {
        double s = u / (u - l);
        next[i] = s * (g[i] - l);
      }
    }
    return next;
  }

  /**
   * Neurify's forward rule with the bounds {@code [l, u]} of the input: inactive ({@code u <= 0})
   * gives 0 both ways, active ({@code l >= 0}) the input rows unchanged. Unstable: the upper row
   * is the chord applied to the input's upper function, {@code y <= s (upper(x) - l)} with the
   * slope {@code s >= u / (u - l)} rounded up ({@link #chordSlope}; sound because
   * {@code l <= z <= upper(x)} and {@code s >= 0}); the lower row is the input's lower function
   * ({@code y >= z}) when {@code u > -l}, else 0 ({@code y >= 0}), the area rule of
   * {@link #backSubstitute}.
   */
  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(size);
    int d = in.width();
    SymbolicRows[] src = {in.lower(), in.negatedUpper()};
    SymbolicRows[] dst = {out.lower(), out.negatedUpper()};
    for (int i = 0; i < size; i++) {
      double l = inLower[i];
      double u = inUpper[i];
      if (u <= 0) {
        continue; // y = 0: rows stay zero
      }
      int off = i * d;
      boolean active = l >= 0;
      for (int p = 0; p < 2; p++) {
        if (active || (p == 0 && u > -l)) {
          System.arraycopy(src[p].coef(), off, dst[p].coef(), off, d);
          dst[p].constant()[i] = src[p].constant()[i];
          dst[p].slack()[i] = src[p].slack()[i];
        }
      }
      if (active) {
        continue;
      }
      double s = chordSlope(l, u);
      // -y >= -s (z - l) >= s (negatedUpper(x) + l): row s * N with constant s (c + l)
      double[] c = src[1].coef();
      double[] o = dst[1].coef();
      for (int k = 0; k < d; k++) {
        o[off + k] = s * c[off + k];
      }
      double sum = src[1].constant()[i] + l;
      double constant = s * sum;
      double slack = s * src[1].slack()[i];
      double magnitude = s * (in.rowMagnitude(true, i) - l);
      dst[1].constant()[i] = constant;
      dst[1].slack()[i] = Math.nextUp(slack + Math.nextUp(Rounding.dotError(3, magnitude)
          + in.underflow(3)));
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] g = new double[size];
    for (int i = 0; i < size; i++) {
      g[i] = input[i] > 0 ? gradOutput[i] : 0.0;
    }
    return g;
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i] > 0f ? x[i] : 0f;
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal[] y = new BigDecimal[v.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = v[i].signum() > 0 ? v[i] : BigDecimal.ZERO;
    }
    return y;
  }

  /** {@code max(0, .)} is exact and 1-Lipschitz: the radius passes unchanged. */
  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    double[] x = in.values();
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i] > 0 ? x[i] : 0;
    }
    return new RoundedEvaluation.Result(y, in.radius().clone());
  }

  /**
   * The triangle relaxation (Ehlers, ATVA 2017): dead ({@code u <= 0}, or an input that is the
   * constant 0) gives the constant 0; active ({@code l >= 0}) {@code y = x}; unstable
   * {@code y >= x}, {@code y >= 0} (the variable's box) and the chord {@code y <= s (x - l)}.
   */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    double[] l = bounds.inLower();
    double[] u = bounds.inUpper();
    double[] lo = bounds.outLower();
    double[] hi = bounds.outUpper();
    int[] out = new int[size];
    for (int i = 0; i < out.length; i++) {
      if (u[i] <= 0 || in[i] < 0) {
        out[i] = -1;
      } else if (l[i] >= 0) {
        out[i] = lp.variable(Math.max(0, lo[i]), hi[i]);
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -1}, 0, 0);
      } else {
        out[i] = lp.variable(Math.max(0, lo[i]), hi[i]);
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -1}, 0, Double.POSITIVE_INFINITY);
        // chord y <= s (x - l) with s >= u / (u - l): rounding u - l down, s up
        double s = Math.nextUp(u[i] / Math.nextDown(u[i] - l[i]));
        double rhs = Math.nextUp(-s * l[i]);
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -s}, Double.NEGATIVE_INFINITY, rhs);
      }
    }
    return out;
  }

  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.node("relu" + k, "Relu", new String[] {input}, output, null);
  }

  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    lane.relu();
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    // nothing beyond the class and the size
  }

  @Override
  public String kind() {
    return "relu";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return Shapes.size(inputShape) == outputSize() ? inputShape.clone() // element-wise
        : new int[] {outputSize()};
  }

  @Override
  public boolean isActivation() {
    return true;
  }

  @Override
  public boolean isRelu() {
    return true;
  }

  @Override
  public boolean isShapeOnly() {
    return false;
  }

  @Override
  public long parameterCount() {
    return 0;
  }
}
