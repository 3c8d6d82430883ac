package dev.robustspec.engine.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of an ONNX model's interface the VNN-LIB 2 command line must check and
 * {@link OnnxReader} does not keep: the default-domain opset version and the element types of
 * the graph's inputs (initializers excluded) and outputs, as ONNX enum values (1 = float32,
 * 11 = float64, ...). A separate light scan of the protobuf, so the network reader stays as is.
 */
public record OnnxSignature(long opset, List<Integer> inputTypes, List<Integer> outputTypes) {

  /** ONNX TensorProto.DataType enum value to the standard's element type name. */
  public static String typeName(int elemType) {
    return switch (elemType) {
      case 1 -> "float32";
      case 2 -> "uint8";
      case 3 -> "int8";
      case 4 -> "uint16";
      case 5 -> "int16";
      case 6 -> "int32";
      case 7 -> "int64";
      case 8 -> "string";
      case 9 -> "bool";
      case 10 -> "float16";
      case 11 -> "float64";
      case 12 -> "uint32";
      case 13 -> "uint64";
      case 16 -> "bfloat16";
      default -> "type" + elemType;
    };
  }

  public static OnnxSignature read(Path file) throws InputFormatException {
    try {
      return parse(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      throw new InputFormatException(file, "not a readable ONNX model: " + e.getMessage());
    }
  }

  static OnnxSignature parse(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setRecursionLimit(64);
    long opset = -1;
    List<String[]> inputs = new ArrayList<>(); // name, type
    List<Integer> outputs = new ArrayList<>();
    Set<String> initializers = new HashSet<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == 8 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        // opset_import: OperatorSetIdProto { domain = 1; version = 2 }
        int old = in.pushLimit(in.readRawVarint32());
        String domain = "";
        long version = -1;
        while (true) {
          int t = in.readTag();
          if (t == 0) {
            break;
          }
          if (WireFormat.getTagFieldNumber(t) == 1) {
            domain = in.readString();
          } else if (WireFormat.getTagFieldNumber(t) == 2) {
            version = in.readInt64();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(old);
        if (domain.isEmpty() || domain.equals("ai.onnx")) {
          opset = version;
        }
      } else if (field == 7
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int old = in.pushLimit(in.readRawVarint32());
        while (true) {
          int t = in.readTag();
          if (t == 0) {
            break;
          }
          int f = WireFormat.getTagFieldNumber(t);
          if ((f == 11 || f == 12 || f == 5)
              && WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old2 = in.pushLimit(in.readRawVarint32());
            String[] v = valueInfo(in, f == 5);
            in.popLimit(old2);
            if (f == 5) {
              initializers.add(v[0]);
            } else if (f == 11) {
              inputs.add(v);
            } else {
              outputs.add(Integer.parseInt(v[1]));
            }
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(old);
      } else {
        in.skipField(tag);
      }
    }
    List<Integer> inputTypes = new ArrayList<>();
    for (String[] v : inputs) {
      if (!initializers.contains(v[0])) {
        inputTypes.add(Integer.parseInt(v[1]));
      }
    }
    return new OnnxSignature(opset, inputTypes, outputs);
  }

  /** ValueInfoProto {name = 1; type = 2 -> TypeProto.tensor_type = 1 -> elem_type = 1}, or a
   *  TensorProto's name (field 8) when {@code tensor}. */
  private static String[] valueInfo(CodedInputStream in, boolean tensor) throws IOException {
    String name = "";
    int type = 0;
    while (true) {
      int t = in.readTag();
      if (t == 0) {
        break;
      }
      int f = WireFormat.getTagFieldNumber(t);
      boolean delimited = WireFormat.getTagWireType(t) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (tensor && f == 8 && delimited) {
        name = in.readString();
      } else if (!tensor && f == 1 && delimited) {
        name = in.readString();
      } else if (!tensor && f == 2 && delimited) {
        int old = in.pushLimit(in.readRawVarint32());
        while (true) {
          int t2 = in.readTag();
          if (t2 == 0) {
            break;
          }
          if (WireFormat.getTagFieldNumber(t2) == 1
              && WireFormat.getTagWireType(t2) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old2 = in.pushLimit(in.readRawVarint32());
            while (true) {
              int t3 = in.readTag();
              if (t3 == 0) {
                break;
              }
              if (WireFormat.getTagFieldNumber(t3) == 1
                  && WireFormat.getTagWireType(t3) == WireFormat.WIRETYPE_VARINT) {
                type = in.readInt32();
              } else {
                in.skipField(t3);
              }
            }
            in.popLimit(old2);
          } else {
            in.skipField(t2);
          }
        }
        in.popLimit(old);
      } else {
        in.skipField(t);
      }
    }
    return new String[] {name, Integer.toString(type)};
  }
}
