package dev.robustspec.engine.network;

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
}
