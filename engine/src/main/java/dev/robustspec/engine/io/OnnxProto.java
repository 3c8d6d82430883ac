package dev.robustspec.engine.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small hand-written decoder for the part of the ONNX protobuf schema ({@code onnx/onnx.proto},
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that the reader needs. It walks the wire
 * format with {@link CodedInputStream} so the engine needs neither generated classes nor protoc;
 * fields it does not know are skipped, as any protobuf reader must.
 *
 * <p>Decoding problems are reported as {@link Malformed} (an unchecked exception local to the
 * reader, converted to {@link InputFormatException} by {@link OnnxReader}).
 */
final class OnnxProto {
  private OnnxProto() {}

  // Field numbers, all from onnx.proto (IR version 3 onwards; numbers never change).
  // ModelProto
  static final int MODEL_IR_VERSION = 1;
  static final int MODEL_PRODUCER_NAME = 2;
  static final int MODEL_GRAPH = 7;
  static final int MODEL_OPSET_IMPORT = 8;
  // GraphProto
  static final int OPSET_DOMAIN = 1;
  static final int OPSET_VERSION = 2;

  static final int GRAPH_NODE = 1;
  static final int GRAPH_NAME = 2;
  static final int GRAPH_INITIALIZER = 5;
  static final int GRAPH_INPUT = 11;
  static final int GRAPH_OUTPUT = 12;
  // NodeProto
  static final int NODE_INPUT = 1;
  static final int NODE_OUTPUT = 2;
  static final int NODE_NAME = 3;
  static final int NODE_OP_TYPE = 4;
  static final int NODE_ATTRIBUTE = 5;
  static final int NODE_DOMAIN = 7;
  // AttributeProto
  static final int ATTR_NAME = 1;
  static final int ATTR_F = 2;
  static final int ATTR_I = 3;
  static final int ATTR_S = 4;
  static final int ATTR_T = 5;
  static final int ATTR_FLOATS = 7;
  static final int ATTR_INTS = 8;
  static final int ATTR_TYPE = 20;
  // TensorProto
  static final int TENSOR_DIMS = 1;
  static final int TENSOR_DATA_TYPE = 2;
  static final int TENSOR_FLOAT_DATA = 4;
  static final int TENSOR_INT32_DATA = 5;
  static final int TENSOR_INT64_DATA = 7;
  static final int TENSOR_NAME = 8;
  static final int TENSOR_RAW_DATA = 9;
  static final int TENSOR_DOUBLE_DATA = 10;
  static final int TENSOR_DATA_LOCATION = 14;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
  static final int VALUE_INFO_NAME = 1;
  static final int VALUE_INFO_TYPE = 2;
  static final int TYPE_TENSOR_TYPE = 1;
  static final int TENSOR_TYPE_ELEM_TYPE = 1;
  static final int TENSOR_TYPE_SHAPE = 2;
  static final int SHAPE_DIM = 1;
  static final int DIM_VALUE = 1;
  static final int DIM_PARAM = 2;

  // TensorProto.DataType values (onnx.proto enum DataType).
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int DOUBLE = 11;

  /** A decoding problem; the message says what is wrong, without the file name. */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message);
    }
  }

  /** A model; {@code opset} is the default domain's operator set version, -1 when not given. */
  record Model(long irVersion, String producer, long opset, Graph graph) {}

  record Graph(String name, List<Node> nodes, List<Tensor> initializers, List<ValueInfo> inputs,
      List<ValueInfo> outputs) {}

  record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
      Map<String, Attribute> attributes, int index) {

    /**
     * The node's name for layers and messages: its name when it says something, else its
     * operator and position in the graph ({@code Gemm#3}): exporters such as PyTorch's leave
     * names empty or number them ({@code 7}, {@code 8}), which reads as nothing in a table.
     */
    String label() {
      if (!name.isBlank() && !name.chars().allMatch(Character::isDigit)) {
        return name;
      }
      return opType + "#" + index;
    }
  }

  /** One attribute; only the fields the supported operators use are kept. */
  record Attribute(String name, int type, Float f, Long i, String s, Tensor t, float[] floats,
      long[] ints) {}

  /**
   * A decoded constant tensor; {@code values} holds every element as a double, row-major. A
   * tensor the reader cannot decode (another data type, external data) has {@code values} null
   * and says why in {@code problem}: that is an error only if a node uses it.
   */
  record Tensor(String name, long[] dims, int dataType, double[] values, String problem) {

    Tensor(String name, long[] dims, int dataType, double[] values) {
      this(name, dims, dataType, values, null);
    }

    long elementCount() {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }
  }

  /**
   * A graph input or output: name, shape (a dimension of -1 is unknown: dim_param) and element
   * type (a TensorProto.DataType value; 0 when not given).
   */
  record ValueInfo(String name, long[] dims, boolean hasShape, int elemType) {}

  static Model parseModel(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    long irVersion = 0;
    String producer = "";
    long opset = -1;
    Graph graph = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case MODEL_IR_VERSION -> irVersion = expectVarint(in, tag, "ModelProto.ir_version");
        case MODEL_PRODUCER_NAME -> producer = readString(in, tag, "ModelProto.producer_name");
        case MODEL_GRAPH -> {
          int old = enter(in, tag, "ModelProto.graph");
          graph = parseGraph(in);
          leave(in, old);
        }
        case MODEL_OPSET_IMPORT -> {
          int old = enter(in, tag, "ModelProto.opset_import");
          long version = parseDefaultDomainOpset(in);
          leave(in, old);
          if (version != Long.MIN_VALUE) {
            opset = version;
          }
        }
        default -> in.skipField(tag);
      }
    }
    if (graph == null) {
      throw new Malformed("not an ONNX model: no graph (ModelProto field 7)");
    }
    return new Model(irVersion, producer, opset, graph);
  }

  /**
   * OperatorSetIdProto {domain = 1; version = 2}: the version when the domain is the default
   * one ("" or "ai.onnx"; -1 when no version is given), else Long.MIN_VALUE.
   */
  private static long parseDefaultDomainOpset(CodedInputStream in) throws IOException {
    String domain = "";
    long version = -1;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case OPSET_DOMAIN -> domain = readString(in, tag, "OperatorSetIdProto.domain");
        case OPSET_VERSION -> version = expectVarint(in, tag, "OperatorSetIdProto.version");
        default -> in.skipField(tag);
      }
    }
    return domain.isEmpty() || domain.equals("ai.onnx") ? version : Long.MIN_VALUE;
  }

  private static Graph parseGraph(CodedInputStream in) throws IOException {
    String name = "";
    List<Node> nodes = new ArrayList<>();
    List<Tensor> initializers = new ArrayList<>();
    List<ValueInfo> inputs = new ArrayList<>();
    List<ValueInfo> outputs = new ArrayList<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case GRAPH_NAME -> name = readString(in, tag, "GraphProto.name");
        case GRAPH_NODE -> {
          int old = enter(in, tag, "GraphProto.node");
          nodes.add(parseNode(in, nodes.size()));
          leave(in, old);
        }
        case GRAPH_INITIALIZER -> {
          int old = enter(in, tag, "GraphProto.initializer");
          initializers.add(parseTensor(in));
          leave(in, old);
        }
        case GRAPH_INPUT, GRAPH_OUTPUT -> {
          int old = enter(in, tag, "GraphProto.input/output");
          ValueInfo vi = parseValueInfo(in);
          leave(in, old);
          (WireFormat.getTagFieldNumber(tag) == GRAPH_INPUT ? inputs : outputs).add(vi);
        }
        default -> in.skipField(tag);
      }
    }
    return new Graph(name, nodes, initializers, inputs, outputs);
  }

  private static Node parseNode(CodedInputStream in, int index) throws IOException {
    String name = "";
    String opType = "";
    String domain = "";
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case NODE_INPUT -> inputs.add(readString(in, tag, "NodeProto.input"));
        case NODE_OUTPUT -> outputs.add(readString(in, tag, "NodeProto.output"));
        case NODE_NAME -> name = readString(in, tag, "NodeProto.name");
        case NODE_OP_TYPE -> opType = readString(in, tag, "NodeProto.op_type");
        case NODE_DOMAIN -> domain = readString(in, tag, "NodeProto.domain");
        case NODE_ATTRIBUTE -> {
          int old = enter(in, tag, "NodeProto.attribute");
          Attribute a = parseAttribute(in);
          leave(in, old);
          attributes.put(a.name(), a);
        }
        default -> in.skipField(tag);
      }
    }
    return new Node(name, opType, domain, inputs, outputs, attributes, index);
  }

  private static Attribute parseAttribute(CodedInputStream in) throws IOException {
    String name = "";
    int type = 0;
    Float f = null;
    Long i = null;
    String s = null;
    Tensor t = null;
    FloatList floats = new FloatList();
    LongList ints = new LongList();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case ATTR_NAME -> name = readString(in, tag, "AttributeProto.name");
        case ATTR_TYPE -> type = (int) expectVarint(in, tag, "AttributeProto.type");
        case ATTR_F -> {
          expectWireType(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
          f = in.readFloat();
        }
        case ATTR_I -> i = expectVarint(in, tag, "AttributeProto.i");
        case ATTR_S -> s = readString(in, tag, "AttributeProto.s");
        case ATTR_T -> {
          int old = enter(in, tag, "AttributeProto.t");
          t = parseTensor(in);
          leave(in, old);
        }
        case ATTR_FLOATS -> readFloats(in, tag, floats, "AttributeProto.floats");
        case ATTR_INTS -> readVarints(in, tag, ints, "AttributeProto.ints");
        default -> in.skipField(tag);
      }
    }
    return new Attribute(name, type, f, i, s, t, floats.toArray(), ints.toArray());
  }

  private static Tensor parseTensor(CodedInputStream in) throws IOException {
    String name = "";
    LongList dims = new LongList();
    int dataType = 0;
    FloatList floatData = new FloatList();
    LongList intData = new LongList(); // int32_data and int64_data: only one is used per type
    DoubleList doubleData = new DoubleList();
    byte[] raw = null;
    long dataLocation = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case TENSOR_NAME -> name = readString(in, tag, "TensorProto.name");
        case TENSOR_DIMS -> readVarints(in, tag, dims, "TensorProto.dims");
        case TENSOR_DATA_TYPE -> dataType = (int) expectVarint(in, tag, "TensorProto.data_type");
        case TENSOR_FLOAT_DATA -> readFloats(in, tag, floatData, "TensorProto.float_data");
        case TENSOR_INT32_DATA, TENSOR_INT64_DATA ->
            readVarints(in, tag, intData, "TensorProto.int32_data/int64_data");
        case TENSOR_DOUBLE_DATA -> readDoubles(in, tag, doubleData, "TensorProto.double_data");
        case TENSOR_RAW_DATA -> {
          expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.raw_data");
          raw = in.readByteArray();
        }
        case TENSOR_DATA_LOCATION ->
            dataLocation = expectVarint(in, tag, "TensorProto.data_location");
        default -> in.skipField(tag);
      }
    }
    String what = "tensor '" + name + "'";
    if (dataLocation != 0) {
      return new Tensor(name, dims.toArray(), dataType, null,
          what + " keeps its data in an external file, which is not supported");
    }
    if (dataType != FLOAT && dataType != DOUBLE && dataType != INT32 && dataType != INT64) {
      return new Tensor(name, dims.toArray(), dataType, null, what + " has data type "
          + typeName(dataType) + "; supported: FLOAT, DOUBLE, INT32, INT64");
    }
    long[] d = dims.toArray();
    long count = 1;
    for (long x : d) {
      if (x < 0) {
        throw new Malformed(what + " has a negative dimension " + x);
      }
      count = Math.multiplyExact(count, x);
    }
    double[] values;
    if (raw != null) {
      values = decodeRaw(what, dataType, raw);
    } else {
      values = switch (dataType) {
        case FLOAT -> floatData.toDoubles();
        case DOUBLE -> doubleData.toArray();
        case INT32 -> intData.toDoubles(true);
        case INT64 -> intData.toDoubles(false);
        default -> throw new Malformed(what + " has data type " + typeName(dataType)
            + "; supported: FLOAT, DOUBLE, INT32, INT64");
      };
    }
    if (values.length != count) {
      throw new Malformed(what + " has " + values.length + " values but its shape "
          + Arrays.toString(d) + " needs " + count);
    }
    return new Tensor(name, d, dataType, values);
  }

  private static double[] decodeRaw(String what, int dataType, byte[] raw) {
    int width = switch (dataType) {
      case FLOAT, INT32 -> 4;
      case DOUBLE, INT64 -> 8;
      default -> throw new Malformed(what + " has data type " + typeName(dataType)
          + "; supported: FLOAT, DOUBLE, INT32, INT64");
    };
    if (raw.length % width != 0) {
      throw new Malformed(what + ": raw_data has " + raw.length + " bytes, not a multiple of "
          + width);
    }
    // raw_data is always little-endian (onnx.proto, TensorProto.raw_data).
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[raw.length / width];
    for (int k = 0; k < out.length; k++) {
      out[k] = switch (dataType) {
        case FLOAT -> b.getFloat();
        case INT32 -> b.getInt();
        case DOUBLE -> b.getDouble();
        default -> b.getLong();
      };
    }
    return out;
  }

  private static ValueInfo parseValueInfo(CodedInputStream in) throws IOException {
    String name = "";
    long[] dims = new long[0];
    boolean hasShape = false;
    int[] elemType = {0};
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case VALUE_INFO_NAME -> name = readString(in, tag, "ValueInfoProto.name");
        case VALUE_INFO_TYPE -> {
          int old = enter(in, tag, "ValueInfoProto.type");
          long[] shape = parseTypeShape(in, elemType);
          leave(in, old);
          if (shape != null) {
            dims = shape;
            hasShape = true;
          }
        }
        default -> in.skipField(tag);
      }
    }
    return new ValueInfo(name, dims, hasShape, elemType[0]);
  }

  /**
   * TypeProto → tensor_type → shape → dims; null when there is no tensor shape. The tensor
   * type's elem_type goes to {@code elemType[0]}.
   */
  private static long[] parseTypeShape(CodedInputStream in, int[] elemType) throws IOException {
    long[] shape = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return shape;
      }
      if (WireFormat.getTagFieldNumber(tag) != TYPE_TENSOR_TYPE) {
        in.skipField(tag);
        continue;
      }
      int old = enter(in, tag, "TypeProto.tensor_type");
      while (true) {
        int t2 = in.readTag();
        if (t2 == 0) {
          break;
        }
        if (WireFormat.getTagFieldNumber(t2) == TENSOR_TYPE_ELEM_TYPE) {
          elemType[0] = (int) expectVarint(in, t2, "TypeProto.Tensor.elem_type");
          continue;
        }
        if (WireFormat.getTagFieldNumber(t2) != TENSOR_TYPE_SHAPE) {
          in.skipField(t2);
          continue;
        }
        int old2 = enter(in, t2, "TypeProto.Tensor.shape");
        LongList dims = new LongList();
        while (true) {
          int t3 = in.readTag();
          if (t3 == 0) {
            break;
          }
          if (WireFormat.getTagFieldNumber(t3) != SHAPE_DIM) {
            in.skipField(t3);
            continue;
          }
          int old3 = enter(in, t3, "TensorShapeProto.dim");
          long value = -1; // unknown unless dim_value is present (dim_param is symbolic)
          while (true) {
            int t4 = in.readTag();
            if (t4 == 0) {
              break;
            }
            if (WireFormat.getTagFieldNumber(t4) == DIM_VALUE) {
              value = expectVarint(in, t4, "Dimension.dim_value");
            } else {
              in.skipField(t4); // dim_param, denotation
            }
          }
          leave(in, old3);
          dims.add(value);
        }
        leave(in, old2);
        shape = dims.toArray();
      }
      leave(in, old);
    }
  }

  static String typeName(int dataType) {
    return switch (dataType) {
      case 0 -> "UNDEFINED(0)";
      case FLOAT -> "FLOAT(1)";
      case 2 -> "UINT8(2)";
      case 3 -> "INT8(3)";
      case 4 -> "UINT16(4)";
      case 5 -> "INT16(5)";
      case INT32 -> "INT32(6)";
      case INT64 -> "INT64(7)";
      case 8 -> "STRING(8)";
      case 9 -> "BOOL(9)";
      case 10 -> "FLOAT16(10)";
      case DOUBLE -> "DOUBLE(11)";
      case 16 -> "BFLOAT16(16)";
      default -> "type " + dataType;
    };
  }

  // --- wire helpers -------------------------------------------------------------------------

  private static void expectWireType(int tag, int wireType, String field) {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new Malformed(field + " has wire type " + WireFormat.getTagWireType(tag)
          + ", expected " + wireType);
    }
  }

  private static long expectVarint(CodedInputStream in, int tag, String field)
      throws IOException {
    expectWireType(tag, WireFormat.WIRETYPE_VARINT, field);
    return in.readInt64();
  }

  private static String readString(CodedInputStream in, int tag, String field)
      throws IOException {
    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
    return new String(in.readByteArray(), StandardCharsets.UTF_8);
  }

  /** Starts reading an embedded message; returns the previous limit for {@link #leave}. */
  private static int enter(CodedInputStream in, int tag, String field) throws IOException {
    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
    int length = in.readRawVarint32();
    return in.pushLimit(length); // throws on a negative or overlong length
  }

  private static void leave(CodedInputStream in, int oldLimit) {
    in.popLimit(oldLimit);
  }

  // Repeated scalars may be packed (one length-delimited run) or not (one tag each); a reader
  // must accept both (protobuf encoding rules), and ONNX files in the wild use both.

  private static void readVarints(CodedInputStream in, int tag, LongList out, String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int old = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(in.readInt64());
      }
      in.popLimit(old);
    } else {
      out.add(expectVarint(in, tag, field));
    }
  }

  private static void readFloats(CodedInputStream in, int tag, FloatList out, String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int old = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(in.readFloat());
      }
      in.popLimit(old);
    } else {
      expectWireType(tag, WireFormat.WIRETYPE_FIXED32, field);
      out.add(in.readFloat());
    }
  }

  private static void readDoubles(CodedInputStream in, int tag, DoubleList out, String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int old = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(in.readDouble());
      }
      in.popLimit(old);
    } else {
      expectWireType(tag, WireFormat.WIRETYPE_FIXED64, field);
      out.add(in.readDouble());
    }
  }

  // Minimal growable primitive lists (no boxing for million-entry weight tensors).

  private static final class FloatList {
    float[] a = new float[16];
    int n;

    void add(float v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(a, n);
    }

    double[] toDoubles() {
      double[] d = new double[n];
      for (int k = 0; k < n; k++) {
        d[k] = a[k];
      }
      return d;
    }
  }

  private static final class DoubleList {
    double[] a = new double[16];
    int n;

    void add(double v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  private static final class LongList {
    long[] a = new long[8];
    int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }

    /** int32_data holds int32 values as varints (sign-extended to 64 bits). */
    double[] toDoubles(boolean int32) {
      double[] d = new double[n];
      for (int k = 0; k < n; k++) {
        d[k] = int32 ? (double) (int) a[k] : (double) a[k];
      }
      return d;
    }
  }
}
