package dev.robustspec.engine.io;

import static dev.robustspec.engine.io.OnnxProto.DOUBLE;
import static dev.robustspec.engine.io.OnnxProto.FLOAT;
import static dev.robustspec.engine.io.OnnxProto.INT32;
import static dev.robustspec.engine.io.OnnxProto.INT64;
import static dev.robustspec.engine.io.OnnxProto.typeName;
import static dev.robustspec.engine.io.OnnxWire.enter;
import static dev.robustspec.engine.io.OnnxWire.expectVarint;
import static dev.robustspec.engine.io.OnnxWire.expectWireType;
import static dev.robustspec.engine.io.OnnxWire.leave;
import static dev.robustspec.engine.io.OnnxWire.readDoubles;
import static dev.robustspec.engine.io.OnnxWire.readFloats;
import static dev.robustspec.engine.io.OnnxWire.readString;
import static dev.robustspec.engine.io.OnnxWire.readVarints;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.robustspec.engine.io.OnnxProto.Malformed;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxProto.ValueInfo;
import dev.robustspec.engine.io.OnnxWire.DoubleList;
import dev.robustspec.engine.io.OnnxWire.FloatList;
import dev.robustspec.engine.io.OnnxWire.LongList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The tensor messages of {@link OnnxProto}'s decoding: TensorProto, a constant's dimensions and
 * values (typed fields or little-endian raw_data), and ValueInfoProto, a graph input's or
 * output's element type and shape (TypeProto, TensorShapeProto).
 */
final class OnnxTensors {
  private OnnxTensors() {}

  // Field numbers, all from onnx.proto (IR version 3 onwards; numbers never change).
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

  static Tensor parseTensor(CodedInputStream in) throws IOException {
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

  static ValueInfo parseValueInfo(CodedInputStream in) throws IOException {
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
}
