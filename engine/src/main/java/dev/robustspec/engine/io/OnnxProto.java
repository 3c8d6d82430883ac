package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxTensors.parseTensor;
import static dev.robustspec.engine.io.OnnxTensors.parseValueInfo;
import static dev.robustspec.engine.io.OnnxWire.enter;
import static dev.robustspec.engine.io.OnnxWire.expectVarint;
import static dev.robustspec.engine.io.OnnxWire.expectWireType;
import static dev.robustspec.engine.io.OnnxWire.leave;
import static dev.robustspec.engine.io.OnnxWire.readFloats;
import static dev.robustspec.engine.io.OnnxWire.readString;
import static dev.robustspec.engine.io.OnnxWire.readVarints;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.robustspec.engine.io.OnnxWire.FloatList;
import dev.robustspec.engine.io.OnnxWire.LongList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small hand-written decoder for the part of the ONNX protobuf schema ({@code onnx/onnx.proto},
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that the reader needs. It walks the wire
 * format with {@link CodedInputStream} so the engine needs neither generated classes nor protoc;
 * fields it does not know are skipped, as any protobuf reader must. Here: the model, graph, node
 * and attribute messages and the records they decode to; the tensor messages are decoded by
 * {@link OnnxTensors}, the wire format read by {@link OnnxWire}.
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
}
