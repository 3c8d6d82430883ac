package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.NnetReader;
import dev.robustspec.engine.io.OnnxFile;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.spec.Specification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads the files named on the command line, choosing the reader by extension. */
final class Inputs {
  private Inputs() {}

  /** A network and a property that fit each other. */
  record Instance(Network network, Specification property) {}

  /** Reads both files and checks that their sizes agree. */
  static Instance instance(Path netFile, Path propFile) throws InputFormatException {
    Network net = network(netFile);
    Specification spec = property(propFile);
    checkSizes(net, netFile, spec, propFile);
    return new Instance(net, spec);
  }

  static Network network(Path file) throws InputFormatException {
    requireReadable(file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".onnx")) {
      return OnnxReader.read(file);
    }
    if (name.endsWith(".nnet")) {
      return NnetReader.read(file).network();
    }
    throw new InputFormatException(file,
        "unknown network format: expected a .onnx or .nnet file");
  }

  /** An ONNX model decoded once, for a caller that needs more than the network. */
  static OnnxFile onnx(Path file) throws InputFormatException {
    requireReadable(file);
    return OnnxFile.read(file);
  }

  static Specification property(Path file) throws InputFormatException {
    requireReadable(file);
    return VnnlibFiles.specification(file); // VNN-COMP 1, or VNN-LIB 2 with one network
  }

  /** The property and network agree on input and output sizes, or a clear error. */
  static void checkSizes(Network net, Path netFile, Specification spec, Path propFile)
      throws InputFormatException {
    if (spec.inputSize() != net.inputSize()) {
      throw new InputFormatException(propFile, "declares " + spec.inputSize()
          + " inputs but the network " + netFile + " has " + net.inputSize());
    }
    if (spec.outputSize() != net.outputSize()) {
      throw new InputFormatException(propFile, "declares " + spec.outputSize()
          + " outputs but the network " + netFile + " has " + net.outputSize());
    }
  }

  private static void requireReadable(Path file) throws InputFormatException {
    if (!Files.exists(file)) {
      throw new InputFormatException(file, "no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InputFormatException(file, "not a readable file");
    }
  }
}
