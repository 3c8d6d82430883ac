package dev.robustspec.engine.network;

import java.io.IOException;
import java.util.List;

/**
 * Where a layer writes its ONNX graph entries ({@link Layer#writeOnnx}); implemented by
 * {@code io.OnnxWriter}, so that the io package depends on the network package and not the reverse.
 */
public interface OnnxNodeSink {

  /** A double initializer tensor {@code name} of the given shape. */
  void initializer(String name, long[] shape, double[] values) throws IOException;

  /** A node; {@code flag} names an integer attribute set to 1 (ONNX Gemm's transB), or null. */
  void node(String name, String opType, String[] inputs, String output, String flag)
      throws IOException;

  /** An int64 initializer tensor {@code name} of shape {@code [values.length]} (a Reshape's shape). */
  void int64Initializer(String name, long[] values) throws IOException;

  /** A node with integer attributes (ONNX Conv's strides, pads, dilations, group). */
  void nodeWithAttributes(String name, String opType, String[] inputs, String output,
      List<IntAttribute> attributes) throws IOException;

  /** An integer ({@code list == false}, one value) or integer-list attribute. */
  record IntAttribute(String name, long[] values, boolean list) {
    public static IntAttribute ints(String name, long... values) {
      return new IntAttribute(name, values, true);
    }

    public static IntAttribute integer(String name, long value) {
      return new IntAttribute(name, new long[] {value}, false);
    }
  }

  /** A node with one float attribute (ONNX LeakyRelu's {@code alpha}). */
  void nodeWithFloat(String name, String opType, String[] inputs, String output,
      FloatAttribute attribute) throws IOException;

  /** A float attribute: its name and value. */
  record FloatAttribute(String name, float value) {}
}
