package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Attribute;
import dev.robustspec.engine.io.OnnxProto.Graph;
import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxProto.ValueInfo;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.NetworkGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of lowering one ONNX graph ({@link OnnxReader}): the walk of its nodes in a
 * topological order into runs of single-input operators and the joins between them, the data
 * value and shape the operator being lowered consumes, and the operand and attribute checks
 * every operator's lowering ({@link OnnxReader.Lowering}) shares. Each problem is an
 * {@link InputFormatException} naming the file and the node.
 */
final class OnnxLowerer {
  /** Upper bounds that keep a damaged or hostile file from exhausting memory. */
  static final long MAX_VECTOR = 1L << 22;
  static final long MAX_WEIGHTS = 1L << 25;

  private final Path file;
  private final Graph graph;
  private final Map<String, Tensor> constants = new HashMap<>();
  /** The run of layers the operator being lowered appends to. */
  private OnnxSegment segment;

  /** The run of layers the operator being lowered consumes the data value of and appends to. */
  OnnxSegment segment() {
    return segment;
  }

  /** An integer-list attribute, or {@code dflt} when absent. */
  long[] attrInts(Node n, String name, long[] dflt) throws InputFormatException {
    Attribute a = n.attributes().get(name);
    if (a == null) {
      return dflt;
    }
    if (a.ints() == null) {
      throw fail(n, "attribute '" + name + "' is not a list of integers");
    }
    return a.ints();
  }

  /** A string attribute, or {@code dflt} when absent. */
  String attrString(Node n, String name, String dflt) throws InputFormatException {
    Attribute a = n.attributes().get(name);
    if (a == null) {
      return dflt;
    }
    if (a.s() == null) {
      throw fail(n, "attribute '" + name + "' is not a string");
    }
    return a.s();
  }

  OnnxLowerer(Path file, Graph graph) {
    this.file = file;
    this.graph = graph;
  }

  InputFormatException fail(String problem) {
    return new InputFormatException(file, problem);
  }

  InputFormatException fail(Node n, String problem) {
    return fail("node '" + n.label() + "' (" + n.opType() + "): " + problem);
  }

  NetworkGraph run() throws InputFormatException {
    // Unsupported operators first: the most useful message for a model of another kind.
    for (Node n : graph.nodes()) {
      if (!OnnxReader.OPERATORS.containsKey(n.opType()) || !isDefaultDomain(n.domain())) {
        String op = isDefaultDomain(n.domain()) ? n.opType() : n.domain() + "." + n.opType();
        throw fail("unsupported ONNX operator '" + op + "' (node '" + n.label()
            + "'); supported: " + String.join(", ", OnnxReader.OPERATORS.keySet()));
      }
    }
    for (Tensor t : graph.initializers()) {
      constants.put(t.name(), t);
    }
    for (Node n : graph.nodes()) {
      if (n.opType().equals("Constant")) {
        OnnxReader.OPERATORS.get("Constant").lower(n, this);
      }
    }
    ValueInfo input = theInput();
    int[] shape = new int[input.dims().length];
    for (int k = 0; k < shape.length; k++) {
      long d = input.dims()[k];
      if (d > MAX_VECTOR) {
        throw fail("input '" + input.name() + "' dimension " + d + " is too large");
      }
      shape[k] = d <= 0 ? 1 : (int) d; // unknown/dynamic (batch) dimensions count as 1
    }
    checkSize(shape, "input '" + input.name() + "'");
    return readGraph(input, shape);
  }

  // --- the graph ------------------------------------------------------------------------------

  private final List<NetworkGraph.Node> graphNodes = new ArrayList<>();
  /** Values already graph nodes, and their ONNX shapes. */
  private final Map<String, Integer> nodeOf = new HashMap<>();
  private final Map<String, int[]> valueShape = new HashMap<>();
  /** Values at the end of a segment still open. */
  private final Map<String, OnnxSegment> openEnd = new HashMap<>();

  /** The graph node holding {@code value}, closing its segment into nodes when still open. */
  private int materialise(String value) {
    Integer id = nodeOf.get(value);
    if (id != null) {
      return id;
    }
    OnnxSegment s = openEnd.remove(value);
    int at = s.start;
    for (Layer l : s.layers()) {
      graphNodes.add(NetworkGraph.Node.layer(l.name(), at, l));
      at = graphNodes.size();
    }
    nodeOf.put(value, at);
    valueShape.put(value, s.shape());
    return at;
  }

  /** Walks the nodes in a topological order into a {@link NetworkGraph}. */
  private NetworkGraph readGraph(ValueInfo input, int[] inputShape) throws InputFormatException {
    List<Node> order = topologicalOrder(input.name());
    Set<String> data = new java.util.HashSet<>();
    data.add(input.name());
    for (Node n : order) {
      data.addAll(n.outputs());
    }
    Map<String, Integer> uses = new HashMap<>();
    for (Node n : order) {
      for (String in : new LinkedHashSet<>(n.inputs())) {
        uses.merge(in, 1, Integer::sum);
      }
    }
    List<String> outputs = graph.outputs().stream().map(ValueInfo::name).toList();
    if (outputs.size() != 1) {
      throw fail("the graph has " + outputs.size() + " outputs " + outputs + ", expected one");
    }
    uses.merge(outputs.get(0), 1, Integer::sum);
    nodeOf.put(input.name(), 0);
    valueShape.put(input.name(), inputShape);
    for (Node n : order) {
      List<String> ins = n.inputs().stream().filter(data::contains).toList();
      List<String> outs = n.outputs().stream().filter(o -> !o.isEmpty()).toList();
      if (ins.isEmpty()) {
        throw fail(n, "not on the data path from input '" + input.name() + "'");
      }
      if (outs.size() != 1) {
        throw fail(n, "expected one output, found " + outs.size());
      }
      OnnxSegment s;
      if (ins.size() > 1 || OnnxGraphOps.isJoin(n)) {
        int[] from = new int[ins.size()];
        int[][] shapes = new int[ins.size()][];
        for (int k = 0; k < from.length; k++) {
          from[k] = materialise(ins.get(k));
          shapes[k] = valueShape.get(ins.get(k));
        }
        OnnxGraphOps.Join join = OnnxGraphOps.join(n, ins, shapes, this);
        graphNodes.add(NetworkGraph.Node.join(n.label(), from, join.map()));
        s = new OnnxSegment(graphNodes.size(), outs.get(0), join.shape());
      } else {
        String v = ins.get(0);
        OnnxSegment open = openEnd.get(v);
        if (open != null && uses.getOrDefault(v, 0) == 1) {
          openEnd.remove(v);
          s = open;
        } else {
          int id = materialise(v);
          s = new OnnxSegment(id, v, valueShape.get(v));
        }
        segment = s;
        OnnxReader.OPERATORS.get(n.opType()).lower(n, this);
      }
      s.setCurrent(outs.get(0));
      checkSize(s.shape(), "output of node '" + n.label() + "'");
      openEnd.put(s.current(), s);
    }
    String out = outputs.get(0);
    if (!openEnd.containsKey(out) && !nodeOf.containsKey(out)) {
      throw fail("no node computes the graph output '" + out + "' from input '"
          + input.name() + "'");
    }
    materialise(out);
    for (Map.Entry<String, OnnxSegment> e : openEnd.entrySet()) {
      throw fail("the value '" + e.getKey() + "' is not used by any node and is not the graph"
          + " output '" + out + "'");
    }
    if (graphNodes.isEmpty()) {
      throw fail("the network has no layers (it computes the identity)");
    }
    return new NetworkGraph(OnnxReader.networkName(file), inputShape, graphNodes);
  }

  /**
   * The non-Constant nodes in an order where each comes after the nodes computing its inputs
   * (file order where the file already is topological, as ONNX requires); a cycle is an error
   * naming its nodes.
   */
  private List<Node> topologicalOrder(String input) throws InputFormatException {
    List<Node> pending = new ArrayList<>();
    Map<String, Node> producer = new HashMap<>();
    for (Node n : graph.nodes()) {
      if (!n.opType().equals("Constant")) {
        pending.add(n);
        for (String o : n.outputs()) {
          if (!o.isEmpty() && (producer.put(o, n) != null || o.equals(input)
              || constants.containsKey(o))) {
            throw fail(n, "the value '" + o + "' is defined twice");
          }
        }
      }
    }
    Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> order = new ArrayList<>();
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      for (java.util.Iterator<Node> it = pending.iterator(); it.hasNext(); ) {
        Node n = it.next();
        boolean ready = true;
        for (String in : n.inputs()) {
          Node p = producer.get(in);
          ready &= p == null || done.contains(p);
        }
        if (ready) {
          order.add(n);
          done.add(n);
          it.remove();
          progress = true;
        }
      }
    }
    if (!pending.isEmpty()) {
      throw fail("the graph has a cycle through nodes "
          + pending.stream().map(Node::label).toList()
          + ": a network must be a directed acyclic graph");
    }
    return order;
  }

  private static boolean isDefaultDomain(String d) {
    return d.isEmpty() || d.equals("ai.onnx");
  }

  private ValueInfo theInput() throws InputFormatException {
    List<ValueInfo> real = new ArrayList<>();
    for (ValueInfo v : graph.inputs()) {
      if (!constants.containsKey(v.name())) { // IR < 4 lists initializers as inputs too
        real.add(v);
      }
    }
    if (real.size() != 1) {
      throw fail("the graph has " + real.size() + " inputs that are not initializers "
          + real.stream().map(ValueInfo::name).toList() + ", expected exactly one");
    }
    ValueInfo v = real.get(0);
    if (!v.hasShape()) {
      throw fail("input '" + v.name() + "' has no tensor shape");
    }
    return v;
  }

  private void checkSize(int[] s, String what) throws InputFormatException {
    long n = 1;
    for (int d : s) {
      n *= d;
      if (n > MAX_VECTOR) {
        throw fail(what + " of shape " + Arrays.toString(s) + " is too large");
      }
    }
  }

  // --- operands -----------------------------------------------------------------------------

  /** Checks that exactly one input is the data path; returns its position. */
  int dataInput(Node n) throws InputFormatException {
    String current = segment.current();
    int pos = -1;
    for (int k = 0; k < n.inputs().size(); k++) {
      if (n.inputs().get(k).equals(current)) {
        if (pos >= 0) {
          throw fail(n, "uses the data value '" + current + "' twice; only products and sums"
              + " with constants are supported");
        }
        pos = k;
      }
    }
    if (pos < 0) {
      throw fail(n, "does not consume the data value '" + current + "'");
    }
    return pos;
  }

  /** The constant at input position k (an initializer or a Constant node's output). */
  Tensor constantInput(Node n, int k) throws InputFormatException {
    if (k >= n.inputs().size() || n.inputs().get(k).isEmpty()) {
      throw fail(n, "input " + (k + 1) + " is missing");
    }
    String name = n.inputs().get(k);
    Tensor t = constants.get(name);
    if (t == null) {
      throw fail(n, "input '" + name + "' is neither the data path nor an initializer or"
          + " Constant (missing initializer?)");
    }
    if (t.values() == null) {
      throw fail(n, t.problem());
    }
    return t;
  }

  /** The values of a constant used as weights: all finite. */
  double[] finite(Node n, Tensor t) throws InputFormatException {
    double[] v = t.values();
    for (int k = 0; k < v.length; k++) {
      if (!Double.isFinite(v[k])) {
        throw fail(n, "constant '" + t.name() + "' has a non-finite value " + v[k]
            + " at index " + k);
      }
    }
    return v;
  }

  /** Node inputs in positions 0..count-1: exactly one is data, the other constant. */
  Tensor otherBinaryOperand(Node n, int data) throws InputFormatException {
    if (n.inputs().size() != 2) {
      throw fail(n, "expected 2 inputs, found " + n.inputs().size());
    }
    return constantInput(n, 1 - data);
  }

  long attrInt(Node n, String name, long dflt) throws InputFormatException {
    Attribute a = n.attributes().get(name);
    if (a == null) {
      return dflt;
    }
    if (a.i() == null) {
      throw fail(n, "attribute '" + name + "' is not an integer");
    }
    return a.i();
  }

  double attrFloat(Node n, String name, double dflt) throws InputFormatException {
    Attribute a = n.attributes().get(name);
    if (a == null) {
      return dflt;
    }
    if (a.f() == null || !Float.isFinite(a.f())) {
      throw fail(n, "attribute '" + name + "' is not a finite float");
    }
    return a.f();
  }


  /** Defines the constant value {@code t} (a Constant node's output) for later nodes. */
  void defineConstant(Node n, Tensor t) throws InputFormatException {
    if (constants.containsKey(t.name())) {
      throw fail(n, "the value '" + t.name() + "' is defined twice");
    }
    constants.put(t.name(), t);
  }
}
