package dev.robustspec.engine.network;

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
}
