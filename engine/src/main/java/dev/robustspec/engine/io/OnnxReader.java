package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Malformed;
import dev.robustspec.engine.io.OnnxProto.Model;
import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a feed-forward ReLU network from an ONNX model file (the protobuf {@code ModelProto} of
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, as used by VNN-COMP).
 *
 * <p>The graph is any directed acyclic graph from one graph input (that is not an initializer)
 * to the single graph output, whose nodes consume data values plus constants (initializers or
 * {@code Constant} nodes). It is read into a {@link NetworkGraph} (joins of several data values:
 * {@code Add}/{@code Sub} of two branches and {@code Concat}, see {@link OnnxGraphOps}) and
 * lowered exactly to a chain ({@link NetworkGraph#lower}); a run of single-input operators
 * becomes {@link Layer}s on flat row-major vectors:
 *
 * <ul>
 *   <li>{@code MatMul} and {@code Gemm} (alpha, beta, transA, transB, with the data on either
 *       side) become a {@link DenseLayer}; an {@code Add} of a constant right after one is folded
 *       into its bias;
 *   <li>{@code Add}, {@code Sub}, {@code Mul}, {@code Div} by a constant (numpy broadcasting, as
 *       long as the data does not grow) become an {@link ElementwiseAffineLayer}; consecutive
 *       ones are merged and identities (ACAS Xu's subtraction of zero) dropped;
 *   <li>{@code Relu} becomes a {@link ReluLayer}; {@code Flatten}, {@code Reshape} and
 *       {@code Identity} a {@link ReshapeLayer}.
 * </ul>
 *
 * <p>{@link OnnxLowerer} walks the graph; each operator's lowering lives with its kind:
 * {@link OnnxDenseOps}, {@link OnnxActivationOps}, {@link OnnxShapeOps}, {@link OnnxLinearOps},
 * {@link OnnxImageOps} and {@link OnnxGraphOps}.
 *
 * <p>Unknown or dynamic input dimensions (such as a symbolic batch size) are taken as 1. Every
 * problem, including a damaged file, is an {@link InputFormatException} naming the file.
 */
public final class OnnxReader {
  private OnnxReader() {}

  /** How one operator becomes layers; the one place that lists what is supported. */
  @FunctionalInterface
  interface Lowering {
    void lower(Node node, OnnxLowerer ctx) throws InputFormatException;
  }

  static final Map<String, Lowering> OPERATORS;

  static {
    Map<String, Lowering> ops = new TreeMap<>(); // sorted, for the message
    OnnxDenseOps.register(ops);
    OnnxActivationOps.register(ops);
    OnnxShapeOps.register(ops);
    OnnxLinearOps.register(ops);
    OnnxImageOps.register(ops);
    OnnxGraphOps.register(ops);
    OPERATORS = Collections.unmodifiableMap(ops);
  }

  /** The ONNX operator types this reader lowers, sorted. */
  public static List<String> supportedOperators() {
    return List.copyOf(OPERATORS.keySet());
  }

  public static Network read(Path file) throws InputFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read the file: " + e.getMessage());
    }
    return read(bytes, file);
  }

  /** Reads a model from memory; {@code nameForMessages} names it in errors and the network. */
  public static Network read(byte[] bytes, Path nameForMessages) throws InputFormatException {
    return lower(decode(bytes, nameForMessages), nameForMessages);
  }

  /** The protobuf decoding of a model, with the reader's errors. */
  static Model decode(byte[] bytes, Path nameForMessages) throws InputFormatException {
    try {
      return OnnxProto.parseModel(bytes);
    } catch (IOException e) {
      // InvalidProtocolBufferException: truncated data, bad varints, bad lengths
      throw new InputFormatException(nameForMessages,
          "not a valid ONNX protobuf file: " + e.getMessage());
    } catch (Malformed e) {
      throw new InputFormatException(nameForMessages, e.getMessage());
    } catch (RuntimeException e) {
      throw new InputFormatException(nameForMessages, "not a valid ONNX protobuf file: " + e);
    }
  }

  /** The network of a decoded model: its graph lowered to a chain ({@link NetworkGraph#lower}). */
  static Network lower(Model model, Path nameForMessages) throws InputFormatException {
    NetworkGraph g = graph(model, nameForMessages);
    try {
      return g.lower().network();
    } catch (RuntimeException e) {
      throw new InputFormatException(nameForMessages, "invalid network: " + e.getMessage());
    }
  }

  /** The model as a graph of nodes (a chain for a sequential network). */
  public static NetworkGraph readGraph(Path file) throws InputFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read the file: " + e.getMessage());
    }
    return graph(decode(bytes, file), file);
  }

  static NetworkGraph graph(Model model, Path nameForMessages) throws InputFormatException {
    try {
      return new OnnxLowerer(nameForMessages, model.graph()).run();
    } catch (Malformed e) {
      throw new InputFormatException(nameForMessages, e.getMessage());
    } catch (RuntimeException e) {
      // the layer constructors' IllegalArgumentException, and anything unforeseen
      throw new InputFormatException(nameForMessages, "invalid network: " + e.getMessage());
    }
  }

  static String networkName(Path file) {
    if (file == null || file.getFileName() == null) {
      return "onnx";
    }
    String n = file.getFileName().toString();
    return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
  }
}
