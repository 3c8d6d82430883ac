package dev.robustspec.engine.io;

import dev.robustspec.engine.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An ONNX model read once and decoded once ({@link OnnxProto}): its network, its interface
 * ({@link OnnxSignature}) and its hidden values ({@link OnnxHiddenValues}) all come from the
 * same decoding. The VNN-LIB 2 command line needs all three.
 */
public final class OnnxFile {
  private final Path file;
  private final OnnxProto.Model model;
  private final Network network;

  private OnnxFile(Path file, OnnxProto.Model model, Network network) {
    this.file = file;
    this.model = model;
    this.network = network;
  }

  /** Reads, decodes and lowers {@code file}, with {@link OnnxReader#read(Path)}'s errors. */
  public static OnnxFile read(Path file) throws InputFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read the file: " + e.getMessage());
    }
    OnnxProto.Model model = OnnxReader.decode(bytes, file);
    return new OnnxFile(file, model, OnnxReader.lower(model, file));
  }

  public Network network() {
    return network;
  }

  public OnnxSignature signature() {
    return OnnxSignature.of(model);
  }

  /** The model's visible values by ONNX value name, each as its computing prefix. */
  public Map<String, Network> hiddenValues() throws InputFormatException {
    try {
      return OnnxHiddenValues.of(model, network);
    } catch (RuntimeException e) {
      throw new InputFormatException(file, "not a readable ONNX model: " + e.getMessage());
    }
  }
}
