package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.Rounding;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * {@code y = W x + b} with a sparse W in compressed rows (CSR): row i's terms are
 * {@code value[t] * x[column[t]]} for {@code t in [rowStart[i], rowStart[i+1])}. One layer type
 * for every linear map of a graph that only moves, copies, adds or drops values: the joins of
 * a residual graph (Add, Sub of two branches, Concat), forks and routes of the lowering
 * ({@link NetworkGraph}), Pad, Slice, Transpose, Gather. {@link #kind()} says which it came from.
 *
 * <p>Precision: a row that copies one value ({@code y_i = x_j} or {@code -x_j}, bias 0) is
 * exact in every rule (no rounding term), so values a lowered graph carries alongside a branch
 * cost nothing; every other row follows {@link DenseLayer}'s rules with its own term count.
 */
public final class SparseAffineLayer implements AffineLayer {
  private final String name;
  private final String kind;
  private final int inputSize;
  private final int[] rowStart;
  private final int[] column;
  private final double[] value;
  private final double[] bias;
  /** The transpose and its error factors: the back-substitution rule. */
  private final SparseBackSubstitution backward;

  public SparseAffineLayer(String name, String kind, int inputSize, int[] rowStart, int[] column,
      double[] value, double[] bias) {
    int out = rowStart.length - 1;
    if (inputSize <= 0 || out <= 0) {
      throw new IllegalArgumentException("sparse layer " + name + ": sizes must be positive");
    }
    if (bias.length != out || rowStart[0] != 0 || rowStart[out] != column.length
        || column.length != value.length) {
      throw new IllegalArgumentException("sparse layer " + name + ": inconsistent rows");
    }
    for (int i = 0; i < out; i++) {
      if (rowStart[i + 1] < rowStart[i]) {
        throw new IllegalArgumentException("sparse layer " + name + ": rows out of order");
      }
      DenseLayer.requireFinite(name, bias[i]);
    }
    for (int t = 0; t < column.length; t++) {
      if (column[t] < 0 || column[t] >= inputSize) {
        throw new IllegalArgumentException("sparse layer " + name + ": column " + column[t]
            + " out of range for " + inputSize + " inputs");
      }
      DenseLayer.requireFinite(name, value[t]);
    }
    this.name = name;
    this.kind = kind;
    this.inputSize = inputSize;
    this.rowStart = rowStart;
    this.column = column;
    this.value = value;
    this.bias = bias;
    this.backward = new SparseBackSubstitution(inputSize, rowStart, column, value);
  }

  /** {@code y_i = x[source[i]]}: a selection (fork, route, slice, transpose, pad without values). */
  public static SparseAffineLayer selection(String name, String kind, int inputSize,
      int[] source) {
    int[] rowStart = new int[source.length + 1];
    for (int i = 0; i < source.length; i++) {
      rowStart[i + 1] = rowStart[i] + (source[i] >= 0 ? 1 : 0);
    }
    int[] col = new int[rowStart[source.length]];
    int t = 0;
    for (int s : source) {
      if (s >= 0) {
        col[t++] = s;
      }
    }
    double[] ones = new double[col.length];
    Arrays.fill(ones, 1.0);
    return new SparseAffineLayer(name, kind, inputSize, rowStart, col, ones,
        new double[source.length]);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public int outputSize() {
    return bias.length;
  }

  int[] rowStart() {
    return rowStart;
  }

  int[] column() {
    return column;
  }

  double[] value() {
    return value;
  }

  double[] bias() {
    return bias;
  }

  /** Row i copies one value with coefficient ±1 and no bias: every rule is exact on it. */
  private boolean copyRow(int i) {
    int t = rowStart[i];
    return rowStart[i + 1] == t + 1 && bias[i] == 0 && Math.abs(value[t]) == 1;
  }

  @Override
  public double[] evaluate(double[] x) {
    double[] y = new double[bias.length];
    for (int i = 0; i < y.length; i++) {
      double s = bias[i];
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        s += value[t] * x[column[t]];
      }
      y[i] = s;
    }
    return y;
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    for (int i = 0; i < bias.length; i++) {
      if (copyRow(i)) {
        int t = rowStart[i];
        boolean neg = value[t] < 0;
        outLower[i] = neg ? -inUpper[column[t]] : inLower[column[t]];
        outUpper[i] = neg ? -inLower[column[t]] : inUpper[column[t]];
        continue;
      }
      double lo = bias[i];
      double hi = bias[i];
      double magnitude = Math.abs(bias[i]);
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        double w = value[t];
        if (w == 0) {
          continue;
        }
        double a = w * inLower[column[t]];
        double b = w * inUpper[column[t]];
        lo += Math.min(a, b);
        hi += Math.max(a, b);
        magnitude += Math.max(Math.abs(a), Math.abs(b));
      }
      double err = Rounding.dotError(rowStart[i + 1] - rowStart[i] + 1, magnitude);
      outLower[i] = Math.nextDown(lo - err);
      outUpper[i] = Math.nextUp(hi + err);
    }
  }

  /** See {@link SparseBackSubstitution}. */
  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    backward.run(bias, overOutput, inLower, inUpper, overInput);
  }

  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    out.reset(bias.length);
    int d = in.width();
    int maxTerms = 0;
    for (int i = 0; i < bias.length; i++) {
      maxTerms = Math.max(maxTerms, rowStart[i + 1] - rowStart[i]);
    }
    double[] w = new double[maxTerms];
    int[] index = new int[maxTerms];
    boolean[] negLower = new boolean[maxTerms];
    boolean[] negUpper = new boolean[maxTerms];
    for (int i = 0; i < bias.length; i++) {
      if (copyRow(i)) {
        int j = column[rowStart[i]];
        boolean neg = value[rowStart[i]] < 0;
        copyRow(neg ? in.negatedUpper() : in.lower(), j, out.lower(), i, d);
        copyRow(neg ? in.lower() : in.negatedUpper(), j, out.negatedUpper(), i, d);
        continue;
      }
      int count = 0;
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        w[count] = Math.abs(value[t]);
        index[count] = column[t];
        negLower[count] = value[t] < 0;
        negUpper[count] = value[t] > 0;
        count++;
      }
      in.combine(out.lower(), i, count, w, index, negLower, bias[i]);
      in.combine(out.negatedUpper(), i, count, w, index, negUpper, -bias[i]);
    }
  }

  private static void copyRow(SymbolicRows from, int j, SymbolicRows to, int i, int d) {
    System.arraycopy(from.coef(), j * d, to.coef(), i * d, d);
    to.constant()[i] = from.constant()[j];
    to.slack()[i] = from.slack()[j];
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] g = new double[inputSize];
    for (int i = 0; i < bias.length; i++) {
      double c = gradOutput[i];
      if (c != 0) {
        for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
          g[column[t]] += c * value[t];
        }
      }
    }
    return g;
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    float[] y = new float[bias.length];
    for (int i = 0; i < y.length; i++) {
      float acc = 0f;
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        acc = acc + (float) value[t] * x[column[t]];
      }
      y[i] = acc + (float) bias[i];
    }
    return y;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] x) {
    BigDecimal[] y = new BigDecimal[bias.length];
    for (int i = 0; i < y.length; i++) {
      BigDecimal s = new BigDecimal(bias[i]);
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        s = s.add(new BigDecimal(value[t]).multiply(x[column[t]]));
      }
      y[i] = s;
    }
    return y;
  }

  /** As {@link DenseLayer}'s rule per row; a copy row keeps its value and radius. */
  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision p) {
    double[] x = in.values();
    double[] e = in.radius();
    double[] y = p.float32()
        ? RoundedEvaluation.toDouble(evaluateFloat32(RoundedEvaluation.toFloat(x))) : evaluate(x);
    double[] ey = new double[bias.length];
    for (int i = 0; i < ey.length; i++) {
      if (copyRow(i)) {
        ey[i] = e[column[rowStart[i]]];
        continue;
      }
      int n = rowStart[i + 1] - rowStart[i];
      double g = RoundedEvaluation.gamma(n + 1, p.unit());
      double mag = Math.abs(bias[i]);
      double prop = 0;
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        mag = Math.nextUp(mag + Math.nextUp(Math.abs(value[t] * x[column[t]])));
        prop = Math.nextUp(prop + Math.nextUp(Math.abs(value[t]) * e[column[t]]));
      }
      ey[i] = Math.nextUp(Math.nextUp(g * mag) + prop + (n + 1) * p.tiny());
    }
    return new RoundedEvaluation.Result(y, ey);
  }

  /**
   * A row with one term {@code +1} and no bias reuses its input variable (no row); every other
   * row is an equality {@code y_i - sum_t w_t x_(c_t) = b_i}.
   */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = new int[bias.length];
    for (int i = 0; i < out.length; i++) {
      if (copyRow(i) && value[rowStart[i]] > 0) {
        out[i] = in[column[rowStart[i]]];
        continue;
      }
      out[i] = lp.variable(bounds.outLower()[i], bounds.outUpper()[i]);
      int n = rowStart[i + 1] - rowStart[i];
      int[] idx = new int[n + 1];
      double[] coef = new double[n + 1];
      idx[0] = out[i];
      coef[0] = 1;
      for (int t = rowStart[i], q = 1; t < rowStart[i + 1]; t++, q++) {
        if (in[column[t]] >= 0) {
          idx[q] = in[column[t]];
          coef[q] = -value[t];
        } else {
          idx[q] = out[i]; // the constant 0: a zero coefficient on a variable already in the row
        }
      }
      lp.row(idx, coef, bias[i], bias[i]);
    }
    return out;
  }

  /**
   * Term {@code q} of every row as {@code Gather(x, columns_q) * values_q}, summed, plus the
   * bias: standard operators that {@code io.OnnxReader} reads back to the same function (float64
   * values, so nothing is rounded). Rows shorter than the longest pad with coefficient 0.
   */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    int out = bias.length;
    int terms = 1;
    for (int i = 0; i < out; i++) {
      terms = Math.max(terms, rowStart[i + 1] - rowStart[i]);
    }
    String sum = null;
    for (int q = 0; q < terms; q++) {
      long[] idx = new long[out];
      double[] coef = new double[out];
      boolean allOnes = true;
      for (int i = 0; i < out; i++) {
        int t = rowStart[i] + q;
        if (t < rowStart[i + 1]) {
          idx[i] = column[t];
          coef[i] = value[t];
        }
        allOnes &= coef[i] == 1;
      }
      String p = "s" + k + "_" + q;
      onnx.int64Initializer(p + "_idx", idx);
      onnx.nodeWithAttributes(p + "_gather", "Gather", new String[] {input, p + "_idx"},
          p + "_g", java.util.List.of(OnnxNodeSink.IntAttribute.integer("axis", 1)));
      String term = p + "_g";
      if (!allOnes) {
        onnx.initializer(p + "_w", new long[] {1, out}, coef);
        onnx.node(p + "_mul", "Mul", new String[] {term, p + "_w"}, p + "_m", null);
        term = p + "_m";
      }
      if (sum != null) {
        onnx.node(p + "_add", "Add", new String[] {sum, term}, p + "_sum", null);
        term = p + "_sum";
      }
      sum = term;
    }
    onnx.initializer("s" + k + "_b", new long[] {1, out}, bias);
    onnx.node("s" + k + "_bias", "Add", new String[] {sum, "s" + k + "_b"}, output, null);
  }

  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    if ((long) inputSize * bias.length > 1L << 24) {
      lane.general(); // too large to materialise: the product becomes a graph of the lanes
      return;
    }
    double[] w = new double[inputSize * bias.length];
    for (int i = 0; i < bias.length; i++) {
      for (int t = rowStart[i]; t < rowStart[i + 1]; t++) {
        w[i * inputSize + column[t]] += value[t];
      }
    }
    lane.affine(name, inputSize, bias.length, w, bias);
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(Arrays.stream(rowStart).asDoubleStream().toArray());
    sink.numbers(Arrays.stream(column).asDoubleStream().toArray());
    sink.numbers(value);
    sink.numbers(bias);
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return new int[] {outputSize()}; // gathers, slices, pads: shown flat
  }

  @Override
  public boolean isActivation() {
    return false;
  }

  @Override
  public boolean isRelu() {
    return false;
  }

  /** True for the identity map (a Concat of one value, an empty Pad): shown like a reshape. */
  @Override
  public boolean isShapeOnly() {
    for (int i = 0; i < bias.length; i++) {
      if (!copyRow(i) || value[rowStart[i]] < 0 || column[rowStart[i]] != i) {
        return false;
      }
    }
    return inputSize == bias.length;
  }

  @Override
  public long parameterCount() {
    return value.length + (long) bias.length;
  }

  @Override
  public String toString() {
    return "Sparse(" + kind + ") " + name + " " + inputSize + "->" + bias.length;
  }
}
