package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;

/**
 * {@code y[i] = scale[i] * x[i] + shift[i]}: the normalisation layers of ONNX files (Sub, Div,
 * Mul, Add of constants) and the input/output scaling of {@code .nnet} files.
 */
public record ElementwiseAffineLayer(String name, double[] scale, double[] shift) implements Layer {

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
}
