package dev.robustspec.engine.network;

/** {@code y[i] = max(0, x[i])}. */
public record ReluLayer(String name, int size) implements Layer {

  public ReluLayer {
    if (size <= 0) {
      throw new IllegalArgumentException("relu layer " + name + ": size must be positive");
    }
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public double[] evaluate(double[] input) {
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = input[i] > 0 ? input[i] : 0.0;
    }
    return out;
  }
}
