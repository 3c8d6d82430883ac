package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import dev.robustspec.engine.network.OnnxNodeSink.IntAttribute;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * 2-D max pooling (ONNX {@code MaxPool}, NCHW, batch 1): {@code y[c, oh, ow]} is the largest
 * {@code x[c, h, w]} of its window; the window geometry is a depthwise {@link ConvGeometry}
 * (one group per channel), padding positions are left out (ONNX pads with minus infinity).
 *
 * <p>Relaxation (DeepPoly's rule for max, Singh et al. 2019, as in ERAN): on input bounds
 * {@code [l_j, u_j]} let {@code j*} be the window input of largest lower bound {@code L}.
 * Lower line {@code y >= x_j*} (y is at least every input). Upper: when {@code L} is at least
 * every other upper bound the output is {@code x_j*} exactly; else the cheaper (by its mean
 * over the box) of the constant {@code max_j u_j} and the line
 * {@code y <= L + sum_(u_j > L) a_j (x_j - l_j)}, {@code a_j = (u_j - L) / (u_j - l_j)}: valid
 * because {@code max_j x_j <= L + sum_j max(x_j - L, 0)} and each {@code max(x_j - L, 0)} lies
 * under its chord on {@code [l_j, u_j]} (exact at the box's vertices with at most one input
 * raised, so tight where only one input can win). Slopes are rounded up and the constant
 * upward, so the line holds for the real network; the LP rows are these lines plus
 * {@code y >= x_j} for every window input (the lower part of the convex hull of max).
 */
public final class MaxPoolLayer implements Layer {
  private final String name;
  private final ConvGeometry g;
  private final int window; // kernel positions per output

  public MaxPoolLayer(String name, ConvGeometry geometry) {
    if (geometry.groups() != geometry.inChannels()
        || geometry.outChannels() != geometry.inChannels()) {
      throw new IllegalArgumentException("max pool layer " + name + ": the window geometry must"
          + " be depthwise (groups = channels = output channels)");
    }
    this.name = name;
    this.g = geometry;
    this.window = geometry.kernelHeight() * geometry.kernelWidth();
    int[] idx = new int[window];
    for (int o = 0; o < outputSize(); o++) {
      if (taps(o, idx) == 0) {
        throw new IllegalArgumentException("max pool layer " + name + ": the window of output "
            + o + " lies wholly in the padding");
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  public ConvGeometry geometry() {
    return g;
  }

  @Override
  public int inputSize() {
    return g.inputSize();
  }

  @Override
  public int outputSize() {
    return g.outputSize();
  }

  /** The input indices of output {@code o}'s window (padding skipped); returns their count. */
  private int taps(int o, int[] index) {
    int plane = g.outHeight() * g.outWidth();
    int c = o / plane;
    int oh = o % plane / g.outWidth();
    int ow = o % g.outWidth();
    int h0 = oh * g.strideH() - g.padTop();
    int w0 = ow * g.strideW() - g.padLeft();
    int count = 0;
    for (int y = 0; y < g.kernelHeight(); y++) {
      int ih = h0 + y * g.dilationH();
      if (ih < 0 || ih >= g.inHeight()) {
        continue;
      }
      for (int x = 0; x < g.kernelWidth(); x++) {
        int iw = w0 + x * g.dilationW();
        if (iw >= 0 && iw < g.inWidth()) {
          index[count++] = (c * g.inHeight() + ih) * g.inWidth() + iw;
        }
      }
    }
    return count;
  }

  /** Index (into {@code idx}) of the largest of {@code v} over the first {@code n} taps. */
  private static int argmax(double[] v, int[] idx, int n) {
    int best = 0;
    for (int t = 1; t < n; t++) {
      if (v[idx[t]] > v[idx[best]]) {
        best = t;
      }
    }
    return best;
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] y = new double[outputSize()];
    int[] idx = new int[window];
    for (int o = 0; o < y.length; o++) {
      int n = taps(o, idx);
      y[o] = input[idx[argmax(input, idx, n)]];
    }
    return y;
  }

  /** Max is monotone in every input: the bounds are the maxima of the bounds (exact). */
  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    int[] idx = new int[window];
    for (int o = 0; o < outputSize(); o++) {
      int n = taps(o, idx);
      outLower[o] = inLower[idx[argmax(inLower, idx, n)]];
      outUpper[o] = inUpper[idx[argmax(inUpper, idx, n)]];
    }
  }

  /**
   * The lines of one output on given input bounds: lower {@code y >= x_(lowerInput)}; upper
   * {@code y <= sum_t slope[t] x_(index[t]) + constant} (no slopes: the constant alone).
   */
  record Lines(int lowerInput, int[] index, double[] slope, int count, double constant) {}

  /** The relaxation of output {@code o} (see the class comment), rigorous as stated there. */
  Lines lines(int o, double[] l, double[] u) {
    int[] idx = new int[window];
    int n = taps(o, idx);
    int star = idx[argmax(l, idx, n)];
    double top = l[star];
    double umax = u[idx[argmax(u, idx, n)]];
    boolean stable = true;
    double mean = top;
    for (int t = 0; t < n; t++) {
      if (idx[t] != star && u[idx[t]] > top) {
        stable = false;
      }
      if (u[idx[t]] > top) {
        mean += (u[idx[t]] - top) / 2;
      }
    }
    if (stable) {
      return new Lines(star, new int[] {star}, new double[] {1}, 1, 0);
    }
    if (!(mean < umax) || !Double.isFinite(umax)) {
      return new Lines(star, idx, new double[0], 0, umax);
    }
    double[] a = new double[n];
    int[] used = new int[n];
    int m = 0;
    double constant = top;
    for (int t = 0; t < n; t++) {
      int j = idx[t];
      if (u[j] > top) {
        double slope = Math.nextUp(Directed.subUp(u[j], top) / Directed.subDown(u[j], l[j]));
        used[m] = j;
        a[m++] = slope;
        constant = Directed.subUp(constant, Directed.mulDown(slope, l[j]));
      }
    }
    return new Lines(star, used, a, m, constant);
  }

  /**
   * DeepPoly: a row's coefficient {@code c >= 0} takes the lower line ({@code c x_j*}), a
   * negative one the upper line. Each input coefficient and the constant are sums of at most
   * {@code outputSize * window} products, so {@code dotError} over their magnitudes on the box
   * bounds the rounding (as {@link DenseLayer#backSubstitute}).
   */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int rows = overOutput.rows();
    int in = inputSize();
    int out = outputSize();
    overInput.reset(rows, in);
    overInput.copyOffsets(overOutput);
    double[] m = Layer.magnitudes(inLower, inUpper);
    Lines[] lines = new Lines[out];
    for (int o = 0; o < out; o++) {
      lines[o] = lines(o, inLower, inUpper);
    }
    double[] a = overOutput.coef();
    double[] res = overInput.coef();
    for (int r = 0; r < rows; r++) {
      double constant = 0;
      double magnitude = 0;
      for (int o = 0; o < out; o++) {
        double c = a[r * out + o];
        if (c == 0) {
          continue;
        }
        Lines line = lines[o];
        if (c > 0) {
          res[r * in + line.lowerInput()] += c;
          magnitude += c * m[line.lowerInput()];
          continue;
        }
        for (int t = 0; t < line.count(); t++) {
          double cs = c * line.slope()[t];
          res[r * in + line.index()[t]] += cs;
          magnitude += Math.abs(cs) * m[line.index()[t]];
        }
        double cb = c * line.constant();
        constant += cb;
        magnitude += Math.abs(cb);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(out * (window + 1) + 2, magnitude));
    }
  }

  /** Neurify: the lower row of {@code x_j*}; the upper line applied to the inputs' upper rows. */
  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(outputSize());
    for (int o = 0; o < outputSize(); o++) {
      Lines line = lines(o, inLower, inUpper);
      in.combine(out.lower(), o, 1, new double[] {1}, new int[] {line.lowerInput()},
          new boolean[] {false}, 0);
      boolean[] negated = new boolean[line.count()];
      java.util.Arrays.fill(negated, true);
      in.combine(out.negatedUpper(), o, line.count(), line.slope(), line.index(), negated,
          -line.constant());
    }
  }

  /** The gradient goes to the window's largest input (the first of several equal ones). */
  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] grad = new double[inputSize()];
    int[] idx = new int[window];
    for (int o = 0; o < outputSize(); o++) {
      int n = taps(o, idx);
      grad[idx[argmax(input, idx, n)]] += gradOutput[o];
    }
    return grad;
  }

  /** No slopes to optimise: the lines are fixed by the input bounds. */
  @Override
  public int lowerSlopeCount() {
    return 0;
  }

  @Override
  public void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow) {
    // no slopes
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput) {
    backSubstitute(overOutput, inLower, inUpper, overInput);
  }

  /** The adjoint of the fixed-line rule: the line a row's coefficient sign picks, at g. */
  @Override
  public double[] slopeGradientStep(double[] grad, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow) {
    double[] next = new double[outputSize()];
    for (int o = 0; o < next.length; o++) {
      Lines line = lines(o, inLower, inUpper);
      if (coefOverOutputRow[o] >= 0) {
        next[o] = grad[line.lowerInput()];
        continue;
      }
      double v = line.constant();
      for (int t = 0; t < line.count(); t++) {
        v += line.slope()[t] * grad[line.index()[t]];
      }
      next[o] = v;
    }
    return next;
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[outputSize()];
    int[] idx = new int[window];
    for (int o = 0; o < y.length; o++) {
      int n = taps(o, idx);
      float best = x[idx[0]];
      for (int t = 1; t < n; t++) {
        best = Math.max(best, x[idx[t]]);
      }
      y[o] = best;
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal[] y = new BigDecimal[outputSize()];
    int[] idx = new int[window];
    for (int o = 0; o < y.length; o++) {
      int n = taps(o, idx);
      BigDecimal best = v[idx[0]];
      for (int t = 1; t < n; t++) {
        best = best.max(v[idx[t]]);
      }
      y[o] = best;
    }
    return y;
  }

  /** Max is exact and 1-Lipschitz in the max norm: the radius is the window's largest. */
  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = precision.float32()
        ? RoundedEvaluation.toDouble(evaluateFloat32(RoundedEvaluation.toFloat(x)))
        : evaluate(x);
    double[] r = new double[y.length];
    int[] idx = new int[window];
    for (int o = 0; o < y.length; o++) {
      int n = taps(o, idx);
      r[o] = e[idx[argmax(e, idx, n)]];
    }
    return new RoundedEvaluation.Result(y, r);
  }

  /**
   * Rows {@code y - x_j >= 0} for every window input (just {@code y >= 0} for an input that is
   * the constant 0) and the upper line {@code y - sum a_j x_j <= constant} when it has slopes
   * (the constant upper bound is the variable's box).
   */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = new int[outputSize()];
    int[] idx = new int[window];
    for (int o = 0; o < out.length; o++) {
      out[o] = lp.variable(bounds.outLower()[o], bounds.outUpper()[o]);
      int n = taps(o, idx);
      for (int t = 0; t < n; t++) {
        int v = in[idx[t]];
        lp.row(v >= 0 ? new int[] {out[o], v} : new int[] {out[o]},
            v >= 0 ? new double[] {1, -1} : new double[] {1}, 0, Double.POSITIVE_INFINITY);
      }
      Lines line = lines(o, bounds.inLower(), bounds.inUpper());
      if (line.count() == 0 || !Double.isFinite(line.constant())) {
        continue;
      }
      int used = 1;
      int[] vars = new int[line.count() + 1];
      double[] coef = new double[line.count() + 1];
      vars[0] = out[o];
      coef[0] = 1;
      for (int t = 0; t < line.count(); t++) {
        int v = in[line.index()[t]];
        if (v >= 0) {
          vars[used] = v;
          coef[used++] = -line.slope()[t];
        }
      }
      lp.row(java.util.Arrays.copyOf(vars, used), java.util.Arrays.copyOf(coef, used),
          Double.NEGATIVE_INFINITY, line.constant());
    }
    return out;
  }

  /** Reshape to {@code [1, C, H, W]}, MaxPool with this layer's attributes, Reshape back. */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.int64Initializer("poolIn" + k, new long[] {1, g.inChannels(), g.inHeight(),
        g.inWidth()});
    onnx.int64Initializer("poolOut" + k, new long[] {1, outputSize()});
    onnx.nodeWithAttributes("poolReshapeIn" + k, "Reshape", new String[] {input, "poolIn" + k},
        input + "_nchw", List.of());
    onnx.nodeWithAttributes("maxpool" + k, "MaxPool", new String[] {input + "_nchw"},
        output + "_nchw", List.of(
            IntAttribute.ints("kernel_shape", g.kernelHeight(), g.kernelWidth()),
            IntAttribute.ints("strides", g.strideH(), g.strideW()),
            IntAttribute.ints("pads", g.padTop(), g.padLeft(), g.padBottom(), g.padRight()),
            IntAttribute.ints("dilations", g.dilationH(), g.dilationW())));
    onnx.nodeWithAttributes("poolReshapeOut" + k, "Reshape",
        new String[] {output + "_nchw", "poolOut" + k}, output, List.of());
  }

  /** Product lanes are affine steps separated by ReLUs: max has neither form. */
  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    lane.general(); // no affine or ReLU step: the product becomes a graph of the lanes
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(new double[] {g.inChannels(), g.inHeight(), g.inWidth(), g.kernelHeight(),
        g.kernelWidth(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.padBottom(),
        g.padRight(), g.dilationH(), g.dilationW()});
  }

  @Override
  public String kind() {
    return "maxpool";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return new int[] {g.outChannels(), g.outHeight(), g.outWidth()};
  }

  /** Not an element-wise activation (tables show its outputs as values, not as neurons). */
  @Override
  public boolean isActivation() {
    return false;
  }

  @Override
  public boolean isRelu() {
    return false;
  }

  @Override
  public boolean isShapeOnly() {
    return false;
  }

  @Override
  public long parameterCount() {
    return 0;
  }

  @Override
  public String toString() {
    return "MaxPool " + name + " " + g.inChannels() + "x" + g.inHeight() + "x" + g.inWidth()
        + "->" + g.outChannels() + "x" + g.outHeight() + "x" + g.outWidth();
  }
}
