package dev.robustspec.engine.network;

import java.util.Arrays;

/**
 * {@code y = W x + b} with W stored row-major as {@code weights[i * inputSize + j] = W[i][j]}
 * (one row per output). The flat row-major array is what both the plain-array kernels and an
 * ND4J view ({@code Nd4j.create(weights, new long[] {out, in}, 'c')}) use without copying.
 */
public final class DenseLayer implements Layer {
  private final String name;
  private final int inputSize;
  private final int outputSize;
  private final double[] weights;
  private final double[] bias;

  public DenseLayer(String name, int inputSize, int outputSize, double[] weights, double[] bias) {
    if (inputSize <= 0 || outputSize <= 0) {
      throw new IllegalArgumentException("dense layer " + name + ": sizes must be positive");
    }
    if (weights.length != inputSize * outputSize) {
      throw new IllegalArgumentException(
          "dense layer " + name + ": " + weights.length + " weights for a " + outputSize + "x"
              + inputSize + " matrix");
    }
    if (bias.length != outputSize) {
      throw new IllegalArgumentException(
          "dense layer " + name + ": bias has " + bias.length + " entries, expected " + outputSize);
    }
    for (double w : weights) {
      requireFinite(name, w);
    }
    for (double v : bias) {
      requireFinite(name, v);
    }
    this.name = name;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.weights = weights;
    this.bias = bias;
  }

  static void requireFinite(String layer, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("layer " + layer + " has a non-finite parameter " + v);
    }
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
    return outputSize;
  }

  /** The row-major weight array itself (not a copy): callers must not modify it. */
  public double[] weights() {
    return weights;
  }

  /** The bias array itself (not a copy): callers must not modify it. */
  public double[] bias() {
    return bias;
  }

  public double weight(int row, int column) {
    return weights[row * inputSize + column];
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] out = new double[outputSize];
    for (int i = 0; i < outputSize; i++) {
      double s = bias[i];
      int off = i * inputSize;
      for (int j = 0; j < inputSize; j++) {
        s += weights[off + j] * input[j];
      }
      out[i] = s;
    }
    return out;
  }

  @Override
  public String toString() {
    return "Dense " + name + " " + inputSize + "->" + outputSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DenseLayer d && d.inputSize == inputSize && Arrays.equals(d.weights, weights)
        && Arrays.equals(d.bias, bias);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights) * 31 + Arrays.hashCode(bias);
  }
}
