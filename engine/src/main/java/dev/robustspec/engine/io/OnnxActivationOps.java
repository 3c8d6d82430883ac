package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxReader.Lowering;
import dev.robustspec.engine.network.ElementwiseActivationLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.ReluLayer;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The lowering of ONNX's element-wise activations: {@code Relu} becomes a {@link ReluLayer};
 * {@code Sigmoid}, {@code Tanh}, {@code LeakyRelu} (its {@code alpha}) and {@code Clip} (its
 * bounds as attributes before opset 11, constant inputs since) an
 * {@link ElementwiseActivationLayer}. Each keeps the data's shape.
 */
final class OnnxActivationOps {
  private OnnxActivationOps() {}

  /** Adds this class's operators to the reader's registry. */
  static void register(Map<String, Lowering> ops) {
    ops.put("Relu", (n, c) -> elementwise(n, c, size -> new ReluLayer(n.label(), size)));
    ops.put("Sigmoid", (n, c) -> elementwise(n, c,
        size -> ElementwiseActivationLayer.sigmoid(n.label(), size)));
    ops.put("Tanh", (n, c) -> elementwise(n, c,
        size -> ElementwiseActivationLayer.tanh(n.label(), size)));
    ops.put("LeakyRelu", OnnxActivationOps::leakyRelu);
    ops.put("Clip", OnnxActivationOps::clip);
  }

  /** An element-wise layer over the whole current value, made by {@code make(size)}. */
  private static void elementwise(Node n, OnnxLowerer c, IntFunction<Layer> make)
      throws InputFormatException {
    c.dataInput(n);
    int size = 1;
    for (int d : c.segment().shape()) {
      size *= d;
    }
    c.segment().append(make.apply(size), c.segment().shape());
  }

  private static void leakyRelu(Node n, OnnxLowerer c) throws InputFormatException {
    if (n.inputs().size() != 1) {
      throw c.fail(n, "expected 1 input, found " + n.inputs().size());
    }
    double alpha = c.attrFloat(n, "alpha", (float) 0.01);
    elementwise(n, c, size -> ElementwiseActivationLayer.leakyRelu(n.label(), size, alpha));
  }

  /**
   * Clip's bounds are attributes {@code min}/{@code max} before opset 11 and optional constant
   * inputs 2 and 3 since; absent means unbounded.
   */
  private static void clip(Node n, OnnxLowerer c) throws InputFormatException {
    int data = c.dataInput(n);
    if (data != 0) {
      throw c.fail(n, "the data value must be the first input");
    }
    double min = c.attrFloat(n, "min", Double.NEGATIVE_INFINITY);
    double max = c.attrFloat(n, "max", Double.POSITIVE_INFINITY);
    if (n.inputs().size() > 3) {
      throw c.fail(n, "expected at most 3 inputs, found " + n.inputs().size());
    }
    if (n.inputs().size() > 1 && !n.inputs().get(1).isEmpty()) {
      min = clipBound(n, c, 1, "min");
    }
    if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
      max = clipBound(n, c, 2, "max");
    }
    if (!(min <= max)) {
      throw c.fail(n, "min " + min + " exceeds max " + max + "; Clip needs min <= max");
    }
    double lo = min;
    double hi = max;
    elementwise(n, c, size -> ElementwiseActivationLayer.clip(n.label(), size, lo, hi));
  }

  private static double clipBound(Node n, OnnxLowerer c, int k, String what)
      throws InputFormatException {
    Tensor t = c.constantInput(n, k);
    double[] v = t.values();
    if (v.length != 1 || Double.isNaN(v[0])) {
      throw c.fail(n, what + " must be one number (a scalar constant), found "
          + v.length + " values in '" + t.name() + "'");
    }
    return v[0];
  }
}
