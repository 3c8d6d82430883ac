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
      v = layer.evaluateFloat32(v);
    }
    return v;
  }

}
