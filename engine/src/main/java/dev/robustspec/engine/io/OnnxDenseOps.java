package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxReader.Lowering;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import java.util.Arrays;
import java.util.Map;

/**
 * The lowering of ONNX's affine operators on the data and a constant: {@code MatMul} and
 * {@code Gemm} (alpha, beta, transA, transB, the data on either side) become a
 * {@link DenseLayer}, and an {@code Add} of a constant right after one folds into its bias;
 * {@code Add}, {@code Sub}, {@code Mul}, {@code Div} by a constant (numpy broadcasting, as long
 * as the data does not grow) become an {@link ElementwiseAffineLayer}, consecutive ones merged
 * and identities (ACAS Xu's subtraction of zero) dropped.
 */
final class OnnxDenseOps {
  private OnnxDenseOps() {}

  /** Adds this class's operators to the reader's registry. */
  static void register(Map<String, Lowering> ops) {
    ops.put("Add", (n, c) -> affine(n, c, false));
    ops.put("Sub", (n, c) -> affine(n, c, true));
    ops.put("Mul", (n, c) -> scale(n, c, false));
    ops.put("Div", (n, c) -> scale(n, c, true));
    ops.put("MatMul", OnnxDenseOps::matMul);
    ops.put("Gemm", OnnxDenseOps::gemm);
  }

  // --- broadcasting -----------------------------------------------------------------------------

  /**
   * Expands a constant to the data shape by numpy (multidirectional) broadcasting, provided
   * the data keeps its number of elements; may raise the data's rank. Returns the flat values.
   */
  static double[] broadcast(Node n, OnnxLowerer c, Tensor t, double[] values)
      throws InputFormatException {
    int[] shape = c.segment().shape();
    int rank = Math.max(shape.length, t.dims().length);
    int[] out = new int[rank];
    int[] cd = new int[rank];
    for (int k = 0; k < rank; k++) {
      int di = k - (rank - shape.length);
      int ci = k - (rank - t.dims().length);
      int dd = di >= 0 ? shape[di] : 1;
      long cc = ci >= 0 ? t.dims()[ci] : 1;
      if (cc != 1 && cc != dd) {
        throw c.fail(n, "constant '" + t.name() + "' of shape " + Arrays.toString(t.dims())
            + " does not broadcast to the data shape " + Arrays.toString(shape)
            + " (element-wise operations must not enlarge the data)");
      }
      out[k] = dd;
      cd[k] = (int) cc;
    }
    int size = 1;
    for (int d : out) {
      size *= d;
    }
    double[] result = new double[size];
    int[] idx = new int[rank];
    for (int flat = 0; flat < size; flat++) {
      int ci = 0;
      for (int k = 0; k < rank; k++) {
        ci = ci * cd[k] + (cd[k] == 1 ? 0 : idx[k]);
      }
      result[flat] = values[ci];
      for (int k = rank - 1; k >= 0; k--) { // odometer increment, row-major
        if (++idx[k] < out[k]) {
          break;
        }
        idx[k] = 0;
      }
    }
    c.segment().setShape(out);
    return result;
  }

  // --- element-wise -----------------------------------------------------------------------------

  /** Add or Sub of a constant; {@code c - x} negates the data. */
  static void affine(Node n, OnnxLowerer c, boolean subtract) throws InputFormatException {
    int data = c.dataInput(n);
    Tensor t = c.otherBinaryOperand(n, data);
    double[] shift = broadcast(n, c, t, c.finite(n, t));
    int size = shift.length;
    double[] scale = new double[size];
    Arrays.fill(scale, subtract && data == 1 ? -1.0 : 1.0); // c - x
    if (subtract && data == 0) {
      for (int k = 0; k < size; k++) {
        shift[k] = -shift[k]; // x - c
      }
    }
    DenseLayer d = c.segment().lastLayerIfDense();
    if (scale[0] == 1.0 && d != null && d.outputSize() == size) {
      // fold x W + b: why keep a layer that only shifts the output?
      double[] bias = d.bias().clone();
      for (int k = 0; k < size; k++) {
        bias[k] += shift[k];
      }
      c.segment().replaceLastDense(new DenseLayer(d.name(), d.inputSize(), d.outputSize(), d.weights(),
          bias));
      return;
    }
    elementwise(c, n.label(), scale, shift);
  }

  /** Mul or Div (only x / c) by a constant. */
  static void scale(Node n, OnnxLowerer c, boolean divide) throws InputFormatException {
    int data = c.dataInput(n);
    Tensor t = c.otherBinaryOperand(n, data);
    if (divide && data != 0) {
      throw c.fail(n, "division by the data (c / x) is not linear");
    }
    double[] scale = broadcast(n, c, t, c.finite(n, t));
    if (divide) {
      for (int k = 0; k < scale.length; k++) {
        if (scale[k] == 0.0) {
          throw c.fail(n, "division by zero (constant '" + t.name() + "')");
        }
        scale[k] = 1.0 / scale[k];
      }
    }
    elementwise(c, n.label(), scale, new double[scale.length]);
  }

  /** Appends y = scale*x + shift, merged into an element-wise layer before; drops identities. */
  private static void elementwise(OnnxLowerer c, String name, double[] scale, double[] shift) {
    ElementwiseAffineLayer e = c.segment().lastLayerIfElementwise();
    if (e != null && e.inputSize() == scale.length) {
      double[] s = new double[scale.length];
      double[] t = new double[scale.length];
      for (int k = 0; k < s.length; k++) {
        s[k] = scale[k] * e.scale()[k];
        t[k] = scale[k] * e.shift()[k] + shift[k];
      }
      c.segment().removeLast();
      name = e.name() + "+" + name;
      scale = s;
      shift = t;
    }
    ElementwiseAffineLayer layer = new ElementwiseAffineLayer(name, scale, shift);
    if (!layer.isIdentity()) {
      c.segment().appendElementwise(layer);
    }
  }

  // --- products ---------------------------------------------------------------------------------

  static void matMul(Node n, OnnxLowerer c) throws InputFormatException {
    int data = c.dataInput(n);
    Tensor w = c.otherBinaryOperand(n, data);
    double[] wv = c.finite(n, w);
    long[] wd = w.dims();
    int[] shape = c.segment().shape();
    if (wd.length < 1 || wd.length > 2) {
      throw c.fail(n, "constant '" + w.name() + "' must be a vector or matrix, has shape "
          + Arrays.toString(wd));
    }
    if (shape.length == 0) {
      throw c.fail(n, "the data is a scalar");
    }
    boolean vec = shape.length == 1; // numpy: a 1-D operand gets a dimension added, then removed
    int[] lead = vec ? new int[0] : Arrays.copyOf(shape, shape.length - 2);
    for (int d : lead) {
      if (d != 1) {
        throw c.fail(n, "batched products with data shape " + Arrays.toString(shape)
            + " are not supported");
      }
    }
    int m;
    int k;
    int nn;
    int[] outTail;
    if (data == 0) { // x @ W
      m = vec ? 1 : shape[shape.length - 2];
      k = shape[shape.length - 1];
      if (wd[0] != k) {
        throw c.fail(n, "data shape " + Arrays.toString(shape) + " does not match weight shape "
            + Arrays.toString(wd));
      }
      nn = wd.length == 2 ? (int) wd[1] : 1;
      outTail = vec ? (wd.length == 2 ? new int[] {nn} : new int[0])
          : (wd.length == 2 ? new int[] {m, nn} : new int[] {m});
    } else { // W @ x
      k = vec ? shape[0] : shape[shape.length - 2];
      nn = vec ? 1 : shape[shape.length - 1];
      if (wd[wd.length - 1] != k) {
        throw c.fail(n, "weight shape " + Arrays.toString(wd) + " does not match data shape "
            + Arrays.toString(shape));
      }
      m = wd.length == 2 ? (int) wd[0] : 1;
      outTail = vec ? (wd.length == 2 ? new int[] {m} : new int[0])
          : (wd.length == 2 ? new int[] {m, nn} : new int[] {nn});
    }
    DenseLayer dense = product(n, c, m, k, nn, data == 0, false, wv, false, 1.0,
        new double[m * nn]);
    int[] out = Arrays.copyOf(lead, lead.length + outTail.length);
    System.arraycopy(outTail, 0, out, lead.length, outTail.length);
    c.segment().appendDense(dense, out);
  }

  static void gemm(Node n, OnnxLowerer c) throws InputFormatException {
    int data = c.dataInput(n);
    if (data > 1) {
      throw c.fail(n, "the data must be input A or B, not the bias C");
    }
    if (n.inputs().size() < 2 || n.inputs().size() > 3) {
      throw c.fail(n, "expected 2 or 3 inputs, found " + n.inputs().size());
    }
    double alpha = c.attrFloat(n, "alpha", 1.0);
    double beta = c.attrFloat(n, "beta", 1.0);
    boolean transA = c.attrInt(n, "transA", 0) != 0;
    boolean transB = c.attrInt(n, "transB", 0) != 0;
    Tensor w = c.constantInput(n, 1 - data);
    double[] wv = c.finite(n, w);
    int[] shape = c.segment().shape();
    if (w.dims().length != 2 || shape.length != 2) {
      throw c.fail(n, "Gemm needs 2-D operands, got data " + Arrays.toString(shape)
          + " and constant " + Arrays.toString(w.dims()));
    }
    long[] a = data == 0 ? new long[] {shape[0], shape[1]} : w.dims();
    long[] b = data == 1 ? new long[] {shape[0], shape[1]} : w.dims();
    long m = transA ? a[1] : a[0];
    long k = transA ? a[0] : a[1];
    long kb = transB ? b[1] : b[0];
    long nn = transB ? b[0] : b[1];
    if (k != kb) {
      throw c.fail(n, "inner dimensions differ: A " + Arrays.toString(a) + (transA ? "ᵀ" : "")
          + ", B " + Arrays.toString(b) + (transB ? "ᵀ" : ""));
    }
    if (m * nn > OnnxLowerer.MAX_VECTOR) {
      throw c.fail(n, "output " + m + "x" + nn + " is too large");
    }
    c.segment().setShape(new int[] {(int) m, (int) nn}); // C broadcasts to the output [M, N]
    double[] bias = new double[(int) (m * nn)];
    if (n.inputs().size() == 3 && !n.inputs().get(2).isEmpty()) {
      Tensor t = c.constantInput(n, 2);
      double[] cv = broadcast(n, c, t, c.finite(n, t));
      for (int i = 0; i < bias.length; i++) {
        bias[i] = beta * cv[i];
      }
    }
    boolean dataTrans = data == 0 ? transA : transB;
    boolean constTrans = data == 0 ? transB : transA;
    c.segment().appendDense(product(n, c, (int) m, (int) k, (int) nn, data == 0, dataTrans, wv,
        constTrans, alpha, bias), c.segment().shape());
  }

  /**
   * The dense layer for Y = alpha * A' B' + bias (M×K times K×N) where one factor is the data
   * and the other the constant {@code w}; primes are optional transposes. Inputs and outputs are
   * row-major flattenings of the data as stored and of Y.
   */
  private static DenseLayer product(Node n, OnnxLowerer c, int m, int k, int nn,
      boolean dataLeft, boolean dataTrans, double[] w, boolean constTrans, double alpha,
      double[] bias) throws InputFormatException {
    long in = dataLeft ? (long) m * k : (long) k * nn;
    long out = (long) m * nn;
    if (in * out > OnnxLowerer.MAX_WEIGHTS) {
      throw c.fail(n, "a " + out + "x" + in + " weight matrix is too large");
    }
    int inSize = (int) in;
    double[] weights = new double[(int) (in * out)];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < nn; j++) {
        int row = (i * nn + j) * inSize;
        for (int q = 0; q < k; q++) {
          int dataIdx;
          double cv;
          if (dataLeft) { // data A' (m×k), constant B' (k×n)
            dataIdx = dataTrans ? q * m + i : i * k + q;
            cv = constTrans ? w[j * k + q] : w[q * nn + j];
          } else { // constant A' (m×k), data B' (k×n)
            dataIdx = dataTrans ? j * k + q : q * nn + j;
            cv = constTrans ? w[q * m + i] : w[i * k + q];
          }
          weights[row + dataIdx] += alpha * cv;
        }
      }
    }
    return new DenseLayer(n.label(), inSize, (int) out, weights, bias);
  }
}
