package dev.robustspec.engine.network;

/**
 * Evaluates a network the way a float32 ONNX runtime does: inputs, weights and every
 * intermediate value are float32, each multiply and add rounded to float32 (dot products summed
 * left to right, then the bias added). Used to replay counterexamples: a point that violates a
 * property only in double arithmetic is not reported as a counterexample for a float32 model.
 * The layers keep double weights; ONNX float32 weights convert to double exactly and back.
 */
public final class Float32Evaluation {
  private Float32Evaluation() {}

  /** The float32 forward pass; {@code input} is rounded to float32 first. */
  public static float[] evaluate(Network network, double[] input) {
    float[] v = new float[input.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) input[i];
    }
    for (Layer layer : network.layers()) {
      v = evaluate(layer, v);
    }
    return v;
  }

  static float[] evaluate(Layer layer, float[] x) {
    if (layer instanceof DenseLayer d) {
      int in = d.inputSize();
      double[] w = d.weights();
      double[] b = d.bias();
      float[] y = new float[d.outputSize()];
      for (int r = 0; r < y.length; r++) {
        float acc = 0f;
        int base = r * in;
        for (int c = 0; c < in; c++) {
          float prod = (float) w[base + c] * x[c];
          acc = acc + prod;
        }
        y[r] = acc + (float) b[r];
      }
      return y;
    }
    if (layer instanceof ElementwiseAffineLayer e) {
      float[] y = new float[x.length];
      for (int i = 0; i < y.length; i++) {
        float prod = x[i] * (float) e.scale()[i];
        y[i] = prod + (float) e.shift()[i];
      }
      return y;
    }
    if (layer instanceof ReluLayer) {
      float[] y = new float[x.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = x[i] > 0f ? x[i] : 0f;
      }
      return y;
    }
    if (layer instanceof ReshapeLayer) {
      return x.clone();
    }
    throw new IllegalArgumentException("no float32 rule for layer " + layer.name());
  }
}
