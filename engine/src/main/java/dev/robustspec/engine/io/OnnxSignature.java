package dev.robustspec.engine.io;

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
 * 11 = float64, ...), taken from the same decoding ({@link OnnxProto}) the network reader uses.
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

  /** Reads and decodes {@code file} (prefer {@link OnnxFile}, which decodes it once for all). */
  public static OnnxSignature read(Path file) throws InputFormatException {
    try {
      return of(OnnxProto.parseModel(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      throw new InputFormatException(file, "not a readable ONNX model: " + e.getMessage());
    }
  }

  /** The signature of a decoded model. */
  static OnnxSignature of(OnnxProto.Model model) {
    Set<String> initializers = new HashSet<>();
    for (OnnxProto.Tensor t : model.graph().initializers()) {
      initializers.add(t.name());
    }
    List<Integer> inputTypes = new ArrayList<>();
    for (OnnxProto.ValueInfo v : model.graph().inputs()) {
      if (!initializers.contains(v.name())) {
        inputTypes.add(v.elemType());
      }
    }
    List<Integer> outputTypes = new ArrayList<>();
    for (OnnxProto.ValueInfo v : model.graph().outputs()) {
      outputTypes.add(v.elemType());
    }
    return new OnnxSignature(model.opset(), inputTypes, outputTypes);
  }
}
