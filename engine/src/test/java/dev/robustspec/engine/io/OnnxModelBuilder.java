package dev.robustspec.engine.io;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes small ONNX {@code ModelProto}s for tests, with {@link CodedOutputStream} and the field
 * numbers of onnx.proto (the same ones {@link OnnxProto} reads, written out independently here so
 * that a wrong constant there shows up as a failing test).
 */
final class OnnxModelBuilder {
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int DOUBLE = 11;

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();

  @FunctionalInterface
  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Writer w) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      w.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A graph input; a dimension below 0 is written as the symbolic dim_param "N". */
  OnnxModelBuilder input(String name, long... dims) {
    inputs.add(valueInfo(name, dims));
    return this;
  }

  OnnxModelBuilder output(String name, long... dims) {
    outputs.add(valueInfo(name, dims));
    return this;
  }

  /** A FLOAT initializer stored in float_data (packed). */
  OnnxModelBuilder initializer(String name, long[] dims, double... values) {
    initializers.add(tensor(name, dims, FLOAT, false, values));
    return this;
  }

  /** An initializer of any supported type; raw selects little-endian raw_data. */
  OnnxModelBuilder initializer(String name, long[] dims, int type, boolean raw, double... values) {
    initializers.add(tensor(name, dims, type, raw, values));
    return this;
  }

  OnnxModelBuilder node(String op, String name, List<String> in, List<String> out,
      byte[]... attributes) {
    nodes.add(message(o -> {
      for (String s : in) {
        o.writeString(1, s);
      }
      for (String s : out) {
        o.writeString(2, s);
      }
      o.writeString(3, name);
      o.writeString(4, op);
      for (byte[] a : attributes) {
        o.writeByteArray(5, a);
      }
    }));
    return this;
  }

  byte[] build() {
    byte[] graph = message(o -> {
      for (byte[] n : nodes) {
        o.writeByteArray(1, n);
      }
      o.writeString(2, "test");
      for (byte[] t : initializers) {
        o.writeByteArray(5, t);
      }
      for (byte[] v : inputs) {
        o.writeByteArray(11, v);
      }
      for (byte[] v : outputs) {
        o.writeByteArray(12, v);
      }
    });
    return message(o -> {
      o.writeInt64(1, 8); // ir_version
      o.writeString(2, "OnnxModelBuilder");
      o.writeByteArray(7, graph);
      o.writeByteArray(8, message(op -> op.writeInt64(2, 13))); // opset_import version 13
    });
  }

  static byte[] floatAttr(String name, float v) {
    return message(o -> {
      o.writeString(1, name);
      o.writeFloat(2, v);
      o.writeInt32(20, 1);
    });
  }

  static byte[] intAttr(String name, long v) {
    return message(o -> {
      o.writeString(1, name);
      o.writeInt64(3, v);
      o.writeInt32(20, 2);
    });
  }

  static byte[] intsAttr(String name, long... v) {
    return message(o -> {
      o.writeString(1, name);
      for (long x : v) {
        o.writeInt64(8, x);
      }
      o.writeInt32(20, 7);
    });
  }

  static byte[] stringAttr(String name, String v) {
    return message(o -> {
      o.writeString(1, name);
      o.writeString(4, v);
      o.writeInt32(20, 3);
    });
  }

  static byte[] tensorAttr(String name, byte[] tensor) {
    return message(o -> {
      o.writeString(1, name);
      o.writeByteArray(5, tensor);
      o.writeInt32(20, 4);
    });
  }

  static byte[] tensor(String name, long[] dims, int type, boolean raw, double... values) {
    return message(o -> {
      for (long d : dims) {
        o.writeInt64(1, d); // unpacked on purpose: the reader must accept both encodings
      }
      o.writeInt32(2, type);
      o.writeString(8, name);
      if (raw) {
        int width = type == DOUBLE || type == INT64 ? 8 : type == FLOAT || type == INT32 ? 4 : 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * width)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
          switch (type) {
            case FLOAT -> b.putFloat((float) v);
            case INT32 -> b.putInt((int) v);
            case DOUBLE -> b.putDouble(v);
            case INT64 -> b.putLong((long) v);
            default -> b.putShort((short) v); // 16-bit types: bits only, for rejection tests
          }
        }
        o.writeByteArray(9, b.array());
        return;
      }
      // packed repeated fields: tag, byte length, values
      switch (type) {
        case FLOAT -> {
          o.writeTag(4, 2);
          o.writeUInt32NoTag(values.length * 4);
          for (double v : values) {
            o.writeFloatNoTag((float) v);
          }
        }
        case DOUBLE -> {
          o.writeTag(10, 2);
          o.writeUInt32NoTag(values.length * 8);
          for (double v : values) {
            o.writeDoubleNoTag(v);
          }
        }
        default -> {
          int field = type == INT32 ? 5 : 7;
          int size = 0;
          for (double v : values) {
            size += CodedOutputStream.computeInt64SizeNoTag((long) v);
          }
          o.writeTag(field, 2);
          o.writeUInt32NoTag(size);
          for (double v : values) {
            o.writeInt64NoTag((long) v);
          }
        }
      }
    });
  }

  private static byte[] valueInfo(String name, long[] dims) {
    byte[] shape = message(o -> {
      for (long d : dims) {
        o.writeByteArray(1, message(dim -> {
          if (d < 0) {
            dim.writeString(2, "N");
          } else {
            dim.writeInt64(1, d);
          }
        }));
      }
    });
    byte[] tensorType = message(o -> {
      o.writeInt32(1, FLOAT);
      o.writeByteArray(2, shape);
    });
    byte[] type = message(o -> o.writeByteArray(1, tensorType));
    return message(o -> {
      o.writeString(1, name);
      o.writeByteArray(2, type);
    });
  }
}
