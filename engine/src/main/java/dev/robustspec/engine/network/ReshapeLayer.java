package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A change of tensor shape (ONNX Flatten, Reshape, Identity): the identity on the flat row-major
 * vector. Kept in the model so bound tables and error messages can name it.
 */
public record ReshapeLayer(String name, int[] fromShape, int[] toShape) implements AffineLayer {

  public ReshapeLayer {
    if (Shapes.size(fromShape) != Shapes.size(toShape)) {
      throw new IllegalArgumentException(
          "reshape " + name + ": " + Arrays.toString(fromShape) + " and " + Arrays.toString(toShape)
              + " have different sizes");
    }
  }

  @Override
  public int inputSize() {
    return Shapes.size(fromShape);
  }

  @Override
  public int outputSize() {
    return Shapes.size(toShape);
  }

  @Override
  public double[] evaluate(double[] input) {
    return input.clone();
  }

  @Override
  public void intervalForward(double[] inLower, double[] inUpper, double[] outLower,
      double[] outUpper) {
    System.arraycopy(inLower, 0, outLower, 0, inLower.length);
    System.arraycopy(inUpper, 0, outUpper, 0, inUpper.length);
  }

  @Override
  public void backSubstitute(SymbolicRows overOutput, double[] inLower, double[] inUpper,
      SymbolicRows overInput) {
    int n = inputSize();
    overInput.resize(overOutput.rows(), n); // every coefficient is written below
    overInput.copyOffsets(overOutput);
    System.arraycopy(overOutput.coef(), 0, overInput.coef(), 0, overOutput.rows() * n);
    // the same columns: a column zero in every row stays so, and concretise may skip it
    overInput.copyNonzeroColumns(overOutput);
  }

  @Override
  public void forwardSymbolic(ForwardBounds in, double[] inLower, double[] inUpper,
      ForwardBounds out) {
    int n = inputSize();
    out.reset(n);
    for (SymbolicRows[] p : new SymbolicRows[][] {{in.lower(), out.lower()},
        {in.negatedUpper(), out.negatedUpper()}}) {
      System.arraycopy(p[0].coef(), 0, p[1].coef(), 0, n * in.width());
      p[1].copyOffsets(p[0]);
    }
  }

  @Override
  public double[] backpropagate(double[] input, double[] gradOutput) {
    return gradOutput.clone();
  }

  @Override
  public float[] evaluateFloat32(float[] x) {
    return x.clone();
  }

  @Override
  public BigDecimal[] evaluateExact(BigDecimal[] v) {
    return v; // the flat vector is unchanged (BigDecimal is immutable)
  }

  @Override
  public RoundedEvaluation.Result evaluateRounded(RoundedEvaluation.Result in,
      RoundedEvaluation.Precision precision) {
    return new RoundedEvaluation.Result(in.values().clone(), in.radius().clone());
  }

  /** The same variables: a reshape adds no rows. */
  @Override
  public int[] encodeLp(LpRowSink lp, int[] in, LpRowSink.Bounds bounds) {
    int[] out = new int[outputSize()];
    System.arraycopy(in, 0, out, 0, in.length);
    return out;
  }

  /** Flat vectors: a reshape changes nothing; the chain keeps it as an Identity. */
  @Override
  public void writeOnnx(OnnxNodeSink onnx, int k, String input, String output)
      throws IOException {
    onnx.node("id" + k, "Identity", new String[] {input}, output, null);
  }

  @Override
  public void joinProduct(ProductNetwork.LaneBuilder lane) {
    lane.affine(name, inputSize(), outputSize(), null, null);
  }

  @Override
  public void writeFingerprint(FingerprintSink sink) {
    sink.numbers(Arrays.stream(toShape).asDoubleStream().toArray());
  }

  @Override
  public String kind() {
    return "reshape";
  }

  @Override
  public int[] outputShape(int[] inputShape) {
    return Shapes.withoutBatch(toShape);
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
    return true;
  }

  @Override
  public long parameterCount() {
    return 0;
  }
}
