package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@code y[i] = scale[i] * x[i] + shift[i]}: the normalisation layers of ONNX files (Sub, Div,
 * Mul, Add of constants) and the input/output scaling of {@code .nnet} files.
 */
public record ElementwiseAffineLayer(String name, double[] scale, double[] shift)
    implements AffineLayer {

  public ElementwiseAffineLayer {
    if (scale.length != shift.length || scale.length == 0) {
      throw new IllegalArgumentException(
          "elementwise layer " + name + ": scale and shift must have the same positive length");
    }
    for (int i = 0; i < scale.length; i++) {
      DenseLayer.requireFinite(name, scale[i]);
      DenseLayer.requireFinite(name, shift[i]);
    }
  }

  /** {@code y = x * factor + offset} on every one of {@code size} entries. */
  public static ElementwiseAffineLayer uniform(String name, int size, double factor, double offset) {
    double[] s = new double[size];
    double[] t = new double[size];
    java.util.Arrays.fill(s, factor);
    java.util.Arrays.fill(t, offset);
    return new ElementwiseAffineLayer(name, s, t);
  }

  @Override
  public int inputSize() {
    return scale.length;
  }

  @Override
  public int outputSize() {
    return scale.length;
  }

  /** True when the layer changes nothing (scale 1, shift 0): readers drop such layers. */
  public boolean isIdentity() {
    for (int i = 0; i < scale.length; i++) {
      if (scale[i] != 1.0 || shift[i] != 0.0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] out = new double[scale.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = scale[i] * input[i] + shift[i];
    }
    return out;
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    for (int i = 0; i < scale.length; i++) {
      double a = scale[i] * inLower[i];
      double b = scale[i] * inUpper[i];
      if (scale[i] == 0) {
        a = 0;
        b = 0;
      }
      // two roundings (product, sum): one ulp each way per rounding, done by the error term
      double lo = Math.min(a, b) + shift[i];
      double hi = Math.max(a, b) + shift[i];
      double err = Rounding.dotError(2, Math.max(Math.abs(a), Math.abs(b)) + Math.abs(shift[i]));
      outLower[i] = Math.nextDown(lo - err);
      outUpper[i] = Math.nextUp(hi + err);
    }
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int rows = overOutput.rows();
    int n = scale.length;
    double[] m = Layer.magnitudes(inLower, inUpper);
    overInput.reset(rows, n);
    overInput.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    double[] out = overInput.coef();
    for (int r = 0; r < rows; r++) {
      int off = r * n;
      double constant = 0;
      double magnitude = 0;
      for (int i = 0; i < n; i++) {
        double c = a[off + i];
        if (c == 0) {
          continue;
        }
        double cs = c * scale[i];
        out[off + i] = cs;
        double ct = c * shift[i];
        constant += ct;
        magnitude += (cs == 0 ? 0 : Math.abs(cs) * m[i]) + Math.abs(ct);
      }
      overInput.addConstant(r, constant);
      overInput.addSlack(r, Rounding.dotError(n + 2, magnitude));
    }
  }

  /**
   * {@code y_i = s_i z_i + t_i >= |s_i| lower_i + t_i} when {@code s_i >= 0}, else
   * {@code |s_i| (-upper_i) + t_i}; symmetrically for {@code -y_i}.
   */
  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(scale.length);
    double[] w = new double[1];
    int[] index = new int[1];
    boolean[] negated = new boolean[1];
    for (int i = 0; i < scale.length; i++) {
      w[0] = Math.abs(scale[i]);
      index[0] = i;
      negated[0] = scale[i] < 0;
      in.combine(out.lower(), i, 1, w, index, negated, shift[i]);
      negated[0] = scale[i] > 0;
      in.combine(out.negatedUpper(), i, 1, w, index, negated, -shift[i]);
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] g = new double[scale.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = gradOutput[i] * scale[i];
    }
    return g;
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < y.length; i++) {
      float prod = x[i] * (float) scale[i];
      y[i] = prod + (float) shift[i];
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    BigDecimal[] y = new BigDecimal[v.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = v[i].multiply(new BigDecimal(scale[i])).add(new BigDecimal(shift[i]));
    }
    return y;
  }

  /**
   * Error {@code gamma_3 (|x s| + |t|) + |s| e}: the third rounding covers a float32 runtime's
   * own rounding of s and t (e.g. dividing by c where the reader stored 1/c).
   */
  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision p) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = p.float32()
        ? RoundedEvaluation.toDouble(evaluateFloat32(RoundedEvaluation.toFloat(x))) : evaluate(x);
    double[] ey = new double[y.length];
    double g = RoundedEvaluation.gamma(3, p.unit());
    for (int i = 0; i < y.length; i++) {
      double s = scale[i];
      double mag = Math.nextUp(Math.nextUp(Math.abs(x[i] * s)) + Math.abs(shift[i]));
      ey[i] = Math.nextUp(Math.nextUp(g * mag) + Math.nextUp(Math.abs(s) * e[i]) + 2 * p.tiny());
    }
    return new RoundedEvaluation.Result(y, ey);
  }

  /** Equalities {@code y_i - s_i x_i = t_i} ({@code y_i = t_i} when {@code x_i} is the constant 0). */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = new int[scale.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = lp.variable(bounds.outLower()[i], bounds.outUpper()[i]);
      if (in[i] >= 0) {
        lp.row(new int[] {out[i], in[i]}, new double[] {1, -scale[i]}, shift[i], shift[i]);
      } else {
        lp.row(new int[] {out[i]}, new double[] {1}, shift[i], shift[i]);
      }
    }
    return out;
  }

  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.initializer("S" + k, new long[] {scale.length}, scale);
    onnx.initializer("T" + k, new long[] {shift.length}, shift);
    onnx.node("mul" + k, "Mul", new String[] {input, "S" + k}, "m" + k, null);
    onnx.node("add" + k, "Add", new String[] {"m" + k, "T" + k}, output, null);
  }

  /** As a diagonal dense map. */
  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    int s = scale.length;
    double[] w = new double[s * s];
    for (int k = 0; k < s; k++) {
      w[k * s + k] = scale[k];
    }
    lane.affine(name, s, s, w, shift.clone());
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(scale);
    sink.numbers(shift);
  }

  @Override
  public String kind() {
    return "affine";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return Shapes.size(inputShape) == outputSize() ? inputShape.clone() // element-wise
        : new int[] {outputSize()};
  }

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
  public boolean isCoordinatewiseAffine() {
    return true;
  }

  @Override
  public long parameterCount() {
    return 2L * scale.length;
  }
}
