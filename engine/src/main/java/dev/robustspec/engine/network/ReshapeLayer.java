package dev.robustspec.engine.network;

import dev.robustspec.engine.linear.ForwardBounds;
import dev.robustspec.engine.linear.SymbolicRows;
import java.util.Arrays;

/**
 * A change of tensor shape (ONNX Flatten, Reshape, Identity): the identity on the flat row-major
 * vector. Kept in the model so bound tables and error messages can name it.
 */
public record ReshapeLayer(String name, int[] fromShape, int[] toShape) implements Layer {

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
    overInput.reset(overOutput.rows(), n);
    overInput.copyOffsets(overOutput);
    System.arraycopy(overOutput.coef(), 0, overInput.coef(), 0, overOutput.rows() * n);
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
}
