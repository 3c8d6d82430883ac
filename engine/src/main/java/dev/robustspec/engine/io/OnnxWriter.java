package dev.robustspec.engine.io;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.OnnxNodeSink;
import dev.robustspec.engine.network.OnnxNodeSink.IntAttribute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link Network} as an ONNX model (opset 13, float64 so every weight is kept exactly):
 * a Reshape of the input to {@code [1, n]}, then Gemm (transB) per dense layer, Mul and Add per
 * element-wise affine layer, Relu per ReLU, Reshape-Conv-Reshape per convolution, Gathers, Muls and
 * Adds per sparse affine layer, Gather-layer-Gather-Concat per carry layer (a lowered residual
 * graph). {@link OnnxReader} reads it back to the same layers (the same function for the last two),
 * so {@code robustspec export} can hand inline and {@code .nnet} networks to other verifiers.
 */
public final class OnnxWriter {
  private OnnxWriter() {}

  private static final int FLOAT64 = 11;
  private static final int FLOAT32 = 1;
  private static final int INT64 = 7;

  public static void write(Network network, Path file) throws IOException {
    Files.write(file, toBytes(network));
  }

  public static byte[] toBytes(Network network) throws IOException {
    return toBytes(network, false);
  }

  /**
   * As {@link #toBytes(Network)} with every tensor and value in float32 (weights rounded to
   * nearest): for runtimes without float64 kernels (ONNX Runtime's CPU ConvTranspose).
   */
  public static byte[] toFloat32Bytes(Network network) throws IOException {
    return toBytes(network, true);
  }

  private static byte[] toBytes(Network network, boolean float32) throws IOException {
    int elemType = float32 ? FLOAT32 : FLOAT64;
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    CodedOutputStream g = CodedOutputStream.newInstance(graph);
    int n = network.inputSize();
    g.writeByteArray(12, valueInfo("output", new long[] {1, network.outputSize()}, elemType));
    g.writeByteArray(11, valueInfo("input", toLong(network.inputShape()), elemType));
    g.writeString(2, network.name());
    g.writeByteArray(5, tensorInt64("shape0", new long[] {1, n}));
    g.writeByteArray(1, node("reshape0", "Reshape", new String[] {"input", "shape0"}, "v0",
        List.of(), null));
    OnnxNodeSink sink = new OnnxNodeSink() {
      @Override
      public void initializer(String name, long[] shape, double[] values) throws IOException {
        g.writeByteArray(5, float32 ? tensorFloat(name, shape, values)
            : tensorDouble(name, shape, values));
      }

      @Override
      public void node(String name, String opType, String[] inputs, String output, String flag)
          throws IOException {
        g.writeByteArray(1, OnnxWriter.node(name, opType, inputs, output,
            flag == null ? List.of() : List.of(IntAttribute.integer(flag, 1)), null));
      }

      @Override
      public void int64Initializer(String name, long[] values) throws IOException {
        g.writeByteArray(5, tensorInt64(name, values));
      }

      @Override
      public void nodeWithAttributes(String name, String opType, String[] inputs,
          String output, List<IntAttribute> attributes) throws IOException {
        g.writeByteArray(1, OnnxWriter.node(name, opType, inputs, output, attributes, null));
      }

      @Override
      public void nodeWithFloat(String name, String opType, String[] inputs, String output,
          OnnxNodeSink.FloatAttribute attribute) throws IOException {
        g.writeByteArray(1, OnnxWriter.node(name, opType, inputs, output, List.of(), attribute));
      }
    };
    String current = "v0";
    int k = 0;
    for (Layer layer : network.layers()) {
      k++;
      String next = k == network.layers().size() ? "output" : "v" + k;
      layer.writeOnnx(sink, k, current, next);
      current = next;
    }
    g.flush();
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    CodedOutputStream m = CodedOutputStream.newInstance(model);
    m.writeInt64(1, 7); // ir_version
    m.writeString(2, "robustspec");
    m.writeByteArray(7, graph.toByteArray());
    ByteArrayOutputStream opset = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(opset);
    o.writeString(1, "");
    o.writeInt64(2, 13);
    o.flush();
    m.writeByteArray(8, opset.toByteArray());
    m.flush();
    return model.toByteArray();
  }

  private static long[] toLong(int[] a) {
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }

  private static byte[] node(String name, String op, String[] inputs, String output,
      List<IntAttribute> attributes, OnnxNodeSink.FloatAttribute floatAttribute)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(b);
    for (String in : inputs) {
      c.writeString(1, in);
    }
    c.writeString(2, output);
    c.writeString(3, name);
    c.writeString(4, op);
    for (IntAttribute attribute : attributes) {
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      CodedOutputStream ac = CodedOutputStream.newInstance(a);
      ac.writeString(1, attribute.name());
      if (attribute.list()) {
        for (long v : attribute.values()) {
          ac.writeInt64(8, v); // ints
        }
        ac.writeInt32(20, 7); // type INTS
      } else {
        ac.writeInt64(3, attribute.values()[0]); // i
        ac.writeInt32(20, 2); // type INT
      }
      ac.flush();
      c.writeByteArray(5, a.toByteArray());
    }
    if (floatAttribute != null) {
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      CodedOutputStream ac = CodedOutputStream.newInstance(a);
      ac.writeString(1, floatAttribute.name());
      ac.writeFloat(2, floatAttribute.value()); // f
      ac.writeInt32(20, 1); // type FLOAT
      ac.flush();
      c.writeByteArray(5, a.toByteArray());
    }
    c.flush();
    return b.toByteArray();
  }

  private static byte[] valueInfo(String name, long[] dims, int elemType) throws IOException {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(shape);
    for (long d : dims) {
      ByteArrayOutputStream dim = new ByteArrayOutputStream();
      CodedOutputStream dc = CodedOutputStream.newInstance(dim);
      dc.writeInt64(1, d);
      dc.flush();
      s.writeByteArray(1, dim.toByteArray());
    }
    s.flush();
    ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(tensorType);
    t.writeInt32(1, elemType);
    t.writeByteArray(2, shape.toByteArray());
    t.flush();
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    CodedOutputStream ty = CodedOutputStream.newInstance(type);
    ty.writeByteArray(1, tensorType.toByteArray());
    ty.flush();
    ByteArrayOutputStream vi = new ByteArrayOutputStream();
    CodedOutputStream v = CodedOutputStream.newInstance(vi);
    v.writeString(1, name);
    v.writeByteArray(2, type.toByteArray());
    v.flush();
    return vi.toByteArray();
  }

  private static byte[] tensorDouble(String name, long[] dims, double[] values)
      throws IOException {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      raw.putDouble(v);
    }
    return tensor(name, dims, FLOAT64, raw.array());
  }

  private static byte[] tensorFloat(String name, long[] dims, double[] values)
      throws IOException {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      raw.putFloat((float) v);
    }
    return tensor(name, dims, FLOAT32, raw.array());
  }

  private static byte[] tensorInt64(String name, long[] values) throws IOException {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return tensor(name, new long[] {values.length}, INT64, raw.array());
  }

  private static byte[] tensor(String name, long[] dims, int type, byte[] raw)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(b);
    for (long d : dims) {
      c.writeInt64(1, d);
    }
    c.writeInt32(2, type);
    c.writeString(8, name);
    c.writeBytes(9, ByteString.copyFrom(raw));
    c.flush();
    return b.toByteArray();
  }
}
