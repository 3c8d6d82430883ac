package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A layer applied to the first {@code inner.inputSize()} values while the next {@code carry}
 * values pass through unchanged: {@code [x; s] -> [inner(x); s]}. This is how a lowered graph
 * ({@link NetworkGraph}) carries a skip connection's value alongside the branch it skips: the
 * carried values are never relaxed, every rule copies them exactly (no rounding term, no LP row,
 * no α slope), so a bound of {@code x + f(x)} over the chain is the graph's own bound.
 *
 * <p>Every rule delegates the branch part to the inner layer on its slice of the vectors and
 * copies the rest; {@link #relaxedInputCount()} tells the passes that only the branch's neurons
 * are the activation's (k-ReLU groups, ReLU splits and DeepPoly's refinements use only those).
 */
public final class CarryLayer implements Layer {
  private final Layer inner;
  private final int carry;

  public CarryLayer(Layer inner, int carry) {
    if (carry <= 0) {
      throw new IllegalArgumentException("carry layer " + inner.name() + ": carry must be positive");
    }
    this.inner = inner;
    this.carry = carry;
  }

  /** The layer applied to the branch. */
  public Layer inner() {
    return inner;
  }

  /** Number of values carried past it. */
  public int carry() {
    return carry;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int inputSize() {
    return inner.inputSize() + carry;
  }

  @Override
  public int outputSize() {
    return inner.outputSize() + carry;
  }

  @Override
  public int relaxedInputCount() {
    return inner.relaxedInputCount();
  }

  private int n() {
    return inner.inputSize();
  }

  private int m() {
    return inner.outputSize();
  }

  private static double[] join(double[] branch, double[] whole, int from, int carry) {
    double[] out = Arrays.copyOf(branch, branch.length + carry);
    System.arraycopy(whole, from, out, branch.length, carry);
    return out;
  }

  @Override
  public double[] evaluate(double[] input) {
    return join(inner.evaluate(Arrays.copyOf(input, n())), input, n(), carry);
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    double[] lo = new double[m()];
    double[] hi = new double[m()];
    inner.intervalForward(Arrays.copyOf(inLower, n()), Arrays.copyOf(inUpper, n()), lo, hi);
    System.arraycopy(lo, 0, outLower, 0, m());
    System.arraycopy(hi, 0, outUpper, 0, m());
    System.arraycopy(inLower, n(), outLower, m(), carry);
    System.arraycopy(inUpper, n(), outUpper, m(), carry);
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    backSubstitute(overOutput, inLower, inUpper, null, overInput);
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      double[] lowerSlopes, SymbolicRows overInput) {
    int rows = overOutput.rows();
    int n = n();
    int m = m();
    // scratch batches of the caller's two batches: no allocation per layer, and distinct (a
    // rule reads overOutput while it writes overInput)
    SymbolicRows branchOut = overOutput.scratch();
    branchOut.resize(rows, m); // every coefficient copied below
    branchOut.copyOffsets(overOutput);
    double[] a = overOutput.coef();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, r * (m + carry), branchOut.coef(), r * m, m);
    }
    SymbolicRows branchIn = overInput.scratch();
    double[] lo = Arrays.copyOf(inLower, n);
    double[] hi = Arrays.copyOf(inUpper, n);
    if (lowerSlopes == null) {
      inner.backSubstitute(branchOut, lo, hi, branchIn);
    } else {
      inner.backSubstitute(branchOut, lo, hi, lowerSlopes, branchIn);
    }
    overInput.resize(rows, n + carry); // every coefficient copied below
    overInput.copyOffsets(branchIn);
    double[] c = overInput.coef();
    for (int r = 0; r < rows; r++) {
      System.arraycopy(branchIn.coef(), r * n, c, r * (n + carry), n);
      System.arraycopy(a, r * (m + carry) + m, c, r * (n + carry) + n, carry);
    }
  }

  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    int n = n();
    int m = m();
    int d = in.width();
    ForwardBounds branchIn = in.prefix(n);
    ForwardBounds branchOut = in.emptyLike();
    inner.forwardSymbolic(branchIn, Arrays.copyOf(inLower, n), Arrays.copyOf(inUpper, n),
        branchOut);
    out.reset(m + carry);
    for (SymbolicRows[] p : new SymbolicRows[][] {{branchOut.lower(), out.lower()},
        {branchOut.negatedUpper(), out.negatedUpper()}}) {
      System.arraycopy(p[0].coef(), 0, p[1].coef(), 0, m * d);
      System.arraycopy(p[0].constant(), 0, p[1].constant(), 0, m);
      System.arraycopy(p[0].slack(), 0, p[1].slack(), 0, m);
    }
    for (SymbolicRows[] p : new SymbolicRows[][] {{in.lower(), out.lower()},
        {in.negatedUpper(), out.negatedUpper()}}) {
      System.arraycopy(p[0].coef(), n * d, p[1].coef(), m * d, carry * d);
      System.arraycopy(p[0].constant(), n, p[1].constant(), m, carry);
      System.arraycopy(p[0].slack(), n, p[1].slack(), m, carry);
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    double[] g = inner.backpropagate(Arrays.copyOf(input, n()), Arrays.copyOf(gradOutput, m()));
    return join(g, gradOutput, m(), carry);
  }

  @Override
  public int lowerSlopeCount() {
    return inner.lowerSlopeCount();
  }

  @Override
  public void initialLowerSlopes(double[] inLower, double[] inUpper, double[] slopesRow) {
    inner.initialLowerSlopes(Arrays.copyOf(inLower, n()), Arrays.copyOf(inUpper, n()), slopesRow);
  }

  /** The carried coefficients over the input are those over the output: the adjoint copies. */
  @Override
  public double[] slopeGradientStep(double[] g, double[] inLower, double[] inUpper,
      double[] coefOverOutputRow, double[] slopesRow, double[] gradSlopesRow) {
    double[] branch = inner.slopeGradientStep(Arrays.copyOf(g, n()), Arrays.copyOf(inLower, n()),
        Arrays.copyOf(inUpper, n()), Arrays.copyOf(coefOverOutputRow, m()), slopesRow,
        gradSlopesRow);
    return join(branch, g, n(), carry);
  }

  @Override
  public float[] evaluateFloat32(float[] input) {
    float[] b = inner.evaluateFloat32(Arrays.copyOf(input, n()));
    float[] out = Arrays.copyOf(b, m() + carry);
    System.arraycopy(input, n(), out, m(), carry);
    return out;
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] input) {
    BigDecimal[] b = inner.evaluateExact(Arrays.copyOf(input, n()));
    BigDecimal[] out = Arrays.copyOf(b, m() + carry);
    System.arraycopy(input, n(), out, m(), carry);
    return out;
  }

  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    RoundedEvaluation.Result b = inner.evaluateRounded(new RoundedEvaluation.Result(
        Arrays.copyOf(in.values(), n()), Arrays.copyOf(in.radius(), n())), precision);
    return new RoundedEvaluation.Result(join(b.values(), in.values(), n(), carry),
        join(b.radius(), in.radius(), n(), carry));
  }

  /** The inner layer's rows over its slice; the carried values keep their variables. */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] inputVariables, LpRowSink.Bounds bounds) {
    int[] b = inner.encodeLp(lp, Arrays.copyOf(inputVariables, n()), new LpRowSink.Bounds(
        Arrays.copyOf(bounds.inLower(), n()), Arrays.copyOf(bounds.inUpper(), n()),
        Arrays.copyOf(bounds.outLower(), m()), Arrays.copyOf(bounds.outUpper(), m())));
    int[] out = Arrays.copyOf(b, m() + carry);
    System.arraycopy(inputVariables, n(), out, m(), carry);
    return out;
  }

  /** {@code Concat(inner(Gather(x, 0..n-1)), Gather(x, n..n+carry-1))} on axis 1. */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    String p = "c" + k;
    long[] head = new long[n()];
    for (int i = 0; i < head.length; i++) {
      head[i] = i;
    }
    long[] tail = new long[carry];
    for (int i = 0; i < tail.length; i++) {
      tail[i] = n() + i;
    }
    List<OnnxNodeSink.IntAttribute> axis1 = List.of(OnnxNodeSink.IntAttribute.integer("axis", 1));
    onnx.int64Initializer(p + "_head", head);
    onnx.int64Initializer(p + "_tail", tail);
    onnx.nodeWithAttributes(p + "_branch", "Gather", new String[] {input, p + "_head"},
        p + "_in", axis1);
    inner.writeOnnx(onnx, k, p + "_in", p + "_out");
    onnx.nodeWithAttributes(p + "_carry", "Gather", new String[] {input, p + "_tail"},
        p + "_kept", axis1);
    onnx.nodeWithAttributes(p + "_concat", "Concat", new String[] {p + "_out", p + "_kept"},
        output, axis1);
  }

  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    lane.general(); // a lowered graph: the product becomes a graph of the lanes
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(new double[] {carry, inner.inputSize(), inner.outputSize(),
        inner.kind().hashCode()});
    inner.writeFingerprint(sink);
  }

  @Override
  public String kind() {
    return inner.kind();
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return new int[] {outputSize()}; // the lowered graph shows the inner layer's node
  }

  @Override
  public boolean isActivation() {
    return inner.isActivation();
  }

  @Override
  public boolean isRelu() {
    return inner.isRelu();
  }

  @Override
  public boolean isShapeOnly() {
    return inner.isShapeOnly();
  }

  @Override
  public long parameterCount() {
    return inner.parameterCount();
  }

  @Override
  public String toString() {
    return inner + " (+" + carry + " carried)";
  }
}
