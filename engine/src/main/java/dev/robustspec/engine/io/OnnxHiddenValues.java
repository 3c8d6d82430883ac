package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Graph;
import dev.robustspec.engine.io.OnnxProto.Model;
import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which ONNX values of a chain model the passes can see, for VNN-LIB 2's {@code declare-hidden}.
 * {@link OnnxReader} folds nodes into layers (an Add into a Gemm's bias, consecutive scalings
 * into one), so most node outputs have no layer of their own; but it turns every {@code Relu}
 * node into exactly one {@link ReluLayer}, in order, and folds nothing across a ReLU. So the
 * value entering the k-th Relu node is exactly the input of the k-th ReluLayer, and the value
 * leaving it is that layer's output: those values, and only those, are visible, as the network
 * prefix that computes them.
 */
public final class OnnxHiddenValues {
  private OnnxHiddenValues() {}

  /** Where a value sits: before or after the {@code relu}-th Relu node (0-based). */
  private record Boundary(int relu, boolean after) {}

  /** The visible values of {@code model} by ONNX value name: each as its computing prefix. */
  public static Map<String, Network> of(Path model, Network network)
      throws InputFormatException {
    try {
      return of(OnnxProto.parseModel(Files.readAllBytes(model)), network);
    } catch (IOException | RuntimeException e) {
      throw new InputFormatException(model, "not a readable ONNX model: " + e.getMessage());
    }
  }

  /** As above, from the decoded model. */
  static Map<String, Network> of(Model decoded, Network network) {
    Map<String, Boundary> boundaries = boundaries(decoded.graph());
    List<Integer> relus = new ArrayList<>();
    for (int k = 0; k < network.layers().size(); k++) {
      if (network.layers().get(k).isActivation()) {
        relus.add(k);
      }
    }
    Map<String, Network> out = new HashMap<>();
    for (Map.Entry<String, Boundary> e : boundaries.entrySet()) {
      Boundary b = e.getValue();
      if (b.relu() >= relus.size()) {
        continue; // the reader and this walk disagree: expose nothing rather than a wrong value
      }
      int end = relus.get(b.relu()) + (b.after() ? 1 : 0);
      if (end == 0) {
        continue; // the network input itself: not a hidden node
      }
      List<Layer> prefix = network.layers().subList(0, end);
      out.put(e.getKey(), new Network(network.name() + "@" + e.getKey(), network.inputShape(),
          prefix));
    }
    return out;
  }

  /** Walks the data path from the graph input the way OnnxReader does, noting Relu nodes. */
  private static Map<String, Boundary> boundaries(Graph g) {
    Map<String, List<Node>> consumers = new HashMap<>();
    for (Node n : g.nodes()) {
      if (n.opType().equals("Constant")) {
        continue;
      }
      for (String in : new LinkedHashSet<>(n.inputs())) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
      }
    }
    java.util.Set<String> initializers = new java.util.HashSet<>();
    g.initializers().forEach(t -> initializers.add(t.name()));
    String current = null;
    for (var v : g.inputs()) {
      if (!initializers.contains(v.name())) {
        current = v.name();
      }
    }
    Map<String, Boundary> out = new HashMap<>();
    int relu = 0;
    int guard = 0;
    while (current != null && guard++ < 100_000) {
      List<Node> next = consumers.getOrDefault(current, List.of());
      if (next.size() != 1 || next.get(0).outputs().isEmpty()) {
        break;
      }
      Node n = next.get(0);
      String output = n.outputs().get(0);
      if (n.opType().equals("Relu")) {
        out.put(current, new Boundary(relu, false));
        out.put(output, new Boundary(relu, true));
        relu++;
      }
      current = output;
    }
    return out;
  }
}
