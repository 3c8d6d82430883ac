package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Attribute;
import dev.robustspec.engine.io.OnnxProto.Graph;
import dev.robustspec.engine.io.OnnxProto.Malformed;
import dev.robustspec.engine.io.OnnxProto.Model;
import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxProto.ValueInfo;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseActivationLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ReshapeLayer;
import java.io.IOException;
import java.nio.file.Files;
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
 * <p>Unknown or dynamic input dimensions (such as a symbolic batch size) are taken as 1. Every
 * problem, including a damaged file, is an {@link InputFormatException} naming the file.
 */
public final class OnnxReader {
  private OnnxReader() {}

  /** Upper bounds that keep a damaged or hostile file from exhausting memory. */
  private static final long MAX_VECTOR = 1L << 22;
  private static final long MAX_WEIGHTS = 1L << 25;

  /** How one operator becomes layers; the one place that lists what is supported. */
  @FunctionalInterface
  interface Lowering {
    void lower(Node node, Lowerer ctx) throws InputFormatException;
  }

  private static final Map<String, Lowering> OPERATORS;

  static {
    Map<String, Lowering> ops = new TreeMap<>(); // sorted, for the message
    ops.put("Add", (n, c) -> c.affine(n, false));
    ops.put("Sub", (n, c) -> c.affine(n, true));
    ops.put("Mul", (n, c) -> c.scale(n, false));
    ops.put("Div", (n, c) -> c.scale(n, true));
    ops.put("MatMul", (n, c) -> c.matMul(n));
    ops.put("Gemm", (n, c) -> c.gemm(n));
    ops.put("Relu", (n, c) -> c.relu(n));
    ops.put("Sigmoid", (n, c) -> c.elementwise(n, size -> ElementwiseActivationLayer.sigmoid(n.label(), size)));
    ops.put("Tanh", (n, c) -> c.elementwise(n, size -> ElementwiseActivationLayer.tanh(n.label(), size)));
    ops.put("LeakyRelu", (n, c) -> c.leakyRelu(n));
    ops.put("Clip", (n, c) -> c.clip(n));
    ops.put("Flatten", (n, c) -> c.flatten(n));
    ops.put("Reshape", (n, c) -> c.reshape(n));
    ops.put("Identity", (n, c) -> c.identity(n));
    OnnxLinearOps.register(ops);
    OnnxImageOps.register(ops);
    OnnxGraphOps.register(ops);
    ops.put("Constant", (n, c) -> c.constant(n));
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
      return new Lowerer(nameForMessages, model.graph()).run();
    } catch (Malformed e) {
      throw new InputFormatException(nameForMessages, e.getMessage());
    } catch (RuntimeException e) {
      // the layer constructors' IllegalArgumentException, and anything unforeseen
      throw new InputFormatException(nameForMessages, "invalid network: " + e.getMessage());
    }
  }

  private static String networkName(Path file) {
    if (file == null || file.getFileName() == null) {
      return "onnx";
    }
    String n = file.getFileName().toString();
    return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
  }

  /** The state of lowering one graph: the data path walked so far. */
  static final class Lowerer {
    private final Path file;
    private final Graph graph;
    private final Map<String, Tensor> constants = new HashMap<>();
    private List<Layer> layers = new ArrayList<>();
    /**
     * The dense and element-wise layers this reader made last (null when none): a following
     * constant Add or Mul folds into them while they are still the last layer.
     */
    private DenseLayer lastDense;
    private ElementwiseAffineLayer lastElementwise;
    private String current; // name of the value on the data path
    private int[] shape; // its ONNX shape

    /** The ONNX shape of the data value (not a copy). */
    int[] shape() {
      return shape;
    }

    /** Appends a layer whose output has ONNX shape {@code outShape}. */
    void append(Layer layer, int[] outShape) {
      layers.add(layer);
      shape = outShape;
    }

    /** The last layer appended, or null. */
    Layer lastLayer() {
      return layers.isEmpty() ? null : layers.get(layers.size() - 1);
    }

    /** The convolution this reader appended last (BatchNormalization folds into it), or null. */
    private ConvLayer lastConv;

    /** Appends a convolution, remembered so that a following BatchNormalization can fold. */
    void appendConv(ConvLayer conv, int[] outShape) {
      append(conv, outShape);
      lastConv = conv;
    }

    /** The last layer when it is a convolution this reader made, else null (no type test). */
    ConvLayer lastLayerIfConv() {
      return lastConv != null && lastLayer() == lastConv ? lastConv : null;
    }

    /** Replaces the last layer by one of the same input and output size. */
    void replaceLast(Layer layer) {
      layers.set(layers.size() - 1, layer);
    }

    /** Replaces the last layer, a convolution, by another (still foldable). */
    void replaceLastConv(ConvLayer conv) {
      replaceLast(conv);
      lastConv = conv;
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

    Lowerer(Path file, Graph graph) {
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
        if (!OPERATORS.containsKey(n.opType()) || !isDefaultDomain(n.domain())) {
          String op = isDefaultDomain(n.domain()) ? n.opType() : n.domain() + "." + n.opType();
          throw fail("unsupported ONNX operator '" + op + "' (node '" + n.label()
              + "'); supported: " + String.join(", ", OPERATORS.keySet()));
        }
      }
      for (Tensor t : graph.initializers()) {
        constants.put(t.name(), t);
      }
      for (Node n : graph.nodes()) {
        if (n.opType().equals("Constant")) {
          OPERATORS.get("Constant").lower(n, this);
        }
      }
      ValueInfo input = theInput();
      current = input.name();
      shape = new int[input.dims().length];
      for (int k = 0; k < shape.length; k++) {
        long d = input.dims()[k];
        if (d > MAX_VECTOR) {
          throw fail("input '" + input.name() + "' dimension " + d + " is too large");
        }
        shape[k] = d <= 0 ? 1 : (int) d; // unknown/dynamic (batch) dimensions count as 1
      }
      checkSize(shape, "input '" + input.name() + "'");
      int[] inputShape = shape.clone();

      return readGraph(input, inputShape);
    }

    // --- the graph ------------------------------------------------------------------------------

    /**
     * A run of single-input operators lowered into one list of layers (so that a constant Add
     * after a Gemm, a BatchNormalization after a Conv, consecutive element-wise maps still
     * fold), from graph node {@code start}; it ends where its value is used by several nodes, a
     * join or the graph output, and becomes one graph node per layer.
     */
    private static final class Segment {
      final int start;
      final List<Layer> layers = new ArrayList<>();
      DenseLayer lastDense;
      ElementwiseAffineLayer lastElementwise;
      ConvLayer lastConv;
      String current;
      int[] shape;

      Segment(int start, String current, int[] shape) {
        this.start = start;
        this.current = current;
        this.shape = shape;
      }
    }

    private final List<NetworkGraph.Node> graphNodes = new ArrayList<>();
    /** Values already graph nodes, and their ONNX shapes. */
    private final Map<String, Integer> nodeOf = new HashMap<>();
    private final Map<String, int[]> valueShape = new HashMap<>();
    /** Values at the end of a segment still open. */
    private final Map<String, Segment> openEnd = new HashMap<>();

    private void enter(Segment s) {
      layers = s.layers;
      lastDense = s.lastDense;
      lastElementwise = s.lastElementwise;
      lastConv = s.lastConv;
      current = s.current;
      shape = s.shape;
    }

    private void save(Segment s) {
      s.lastDense = lastDense;
      s.lastElementwise = lastElementwise;
      s.lastConv = lastConv;
      s.current = current;
      s.shape = shape;
    }

    /** The graph node holding {@code value}, closing its segment into nodes when still open. */
    private int materialise(String value) {
      Integer id = nodeOf.get(value);
      if (id != null) {
        return id;
      }
      Segment s = openEnd.remove(value);
      int at = s.start;
      for (Layer l : s.layers) {
        graphNodes.add(NetworkGraph.Node.layer(l.name(), at, l));
        at = graphNodes.size();
      }
      nodeOf.put(value, at);
      valueShape.put(value, s.shape);
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
        Segment s;
        if (ins.size() > 1 || OnnxGraphOps.isJoin(n)) {
          int[] from = new int[ins.size()];
          int[][] shapes = new int[ins.size()][];
          for (int k = 0; k < from.length; k++) {
            from[k] = materialise(ins.get(k));
            shapes[k] = valueShape.get(ins.get(k));
          }
          OnnxGraphOps.Join join = OnnxGraphOps.join(n, ins, shapes, this);
          graphNodes.add(NetworkGraph.Node.join(n.label(), from, join.map()));
          s = new Segment(graphNodes.size(), outs.get(0), join.shape());
          enter(s);
        } else {
          String v = ins.get(0);
          Segment open = openEnd.get(v);
          if (open != null && uses.getOrDefault(v, 0) == 1) {
            openEnd.remove(v);
            s = open;
          } else {
            int id = materialise(v);
            s = new Segment(id, v, valueShape.get(v));
          }
          enter(s);
          OPERATORS.get(n.opType()).lower(n, this);
        }
        current = outs.get(0);
        checkSize(shape, "output of node '" + n.label() + "'");
        save(s);
        openEnd.put(current, s);
      }
      String out = outputs.get(0);
      if (!openEnd.containsKey(out) && !nodeOf.containsKey(out)) {
        throw fail("no node computes the graph output '" + out + "' from input '"
            + input.name() + "'");
      }
      materialise(out);
      for (Map.Entry<String, Segment> e : openEnd.entrySet()) {
        throw fail("the value '" + e.getKey() + "' is not used by any node and is not the graph"
            + " output '" + out + "'");
      }
      if (graphNodes.isEmpty()) {
        throw fail("the network has no layers (it computes the identity)");
      }
      return new NetworkGraph(networkName(file), inputShape, graphNodes);
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

    // --- broadcasting ---------------------------------------------------------------------------

    /**
     * Expands a constant to the data shape by numpy (multidirectional) broadcasting, provided
     * the data keeps its number of elements; may raise the data's rank. Returns the flat values.
     */
    double[] broadcast(Node n, Tensor c, double[] values) throws InputFormatException {
      int rank = Math.max(shape.length, c.dims().length);
      int[] out = new int[rank];
      int[] cd = new int[rank];
      for (int k = 0; k < rank; k++) {
        int di = k - (rank - shape.length);
        int ci = k - (rank - c.dims().length);
        int dd = di >= 0 ? shape[di] : 1;
        long cc = ci >= 0 ? c.dims()[ci] : 1;
        if (cc != 1 && cc != dd) {
          throw fail(n, "constant '" + c.name() + "' of shape " + Arrays.toString(c.dims())
              + " does not broadcast to the data shape " + Arrays.toString(shape)
              + " (element-wise operations must not enlarge the data)");
        }
        out[k] = dd;
        cd[k] = (int) cc;
      }
      int size = 1;
      for (int d : out) {
        size *= d;
      }
      double[] result = new double[size];
      int[] idx = new int[rank];
      for (int flat = 0; flat < size; flat++) {
        int ci = 0;
        for (int k = 0; k < rank; k++) {
          ci = ci * cd[k] + (cd[k] == 1 ? 0 : idx[k]);
        }
        result[flat] = values[ci];
        for (int k = rank - 1; k >= 0; k--) { // odometer increment, row-major
          if (++idx[k] < out[k]) {
            break;
          }
          idx[k] = 0;
        }
      }
      shape = out;
      return result;
    }

    // --- element-wise ---------------------------------------------------------------------------

    /** Add or Sub of a constant; {@code c - x} negates the data. */
    void affine(Node n, boolean subtract) throws InputFormatException {
      int data = dataInput(n);
      Tensor c = otherBinaryOperand(n, data);
      double[] shift = broadcast(n, c, finite(n, c));
      int size = shift.length;
      double[] scale = new double[size];
      Arrays.fill(scale, subtract && data == 1 ? -1.0 : 1.0); // c - x
      if (subtract && data == 0) {
        for (int k = 0; k < size; k++) {
          shift[k] = -shift[k]; // x - c
        }
      }
      Layer last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
      DenseLayer d = last != null && last == lastDense ? lastDense : null;
      if (scale[0] == 1.0 && d != null && d.outputSize() == size) {
        // fold x W + b: why keep a layer that only shifts the output?
        double[] bias = d.bias().clone();
        for (int k = 0; k < size; k++) {
          bias[k] += shift[k];
        }
        lastDense = new DenseLayer(d.name(), d.inputSize(), d.outputSize(), d.weights(), bias);
        layers.set(layers.size() - 1, lastDense);
        return;
      }
      elementwise(n.label(), scale, shift);
    }

    /** Mul or Div (only x / c) by a constant. */
    void scale(Node n, boolean divide) throws InputFormatException {
      int data = dataInput(n);
      Tensor c = otherBinaryOperand(n, data);
      if (divide && data != 0) {
        throw fail(n, "division by the data (c / x) is not linear");
      }
      double[] scale = broadcast(n, c, finite(n, c));
      if (divide) {
        for (int k = 0; k < scale.length; k++) {
          if (scale[k] == 0.0) {
            throw fail(n, "division by zero (constant '" + c.name() + "')");
          }
          scale[k] = 1.0 / scale[k];
        }
      }
      elementwise(n.label(), scale, new double[scale.length]);
    }

    /** Appends y = scale*x + shift, merged into an element-wise layer before; drops identities. */
    private void elementwise(String name, double[] scale, double[] shift) {
      Layer last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
      ElementwiseAffineLayer e = last != null && last == lastElementwise ? lastElementwise : null;
      if (e != null && e.inputSize() == scale.length) {
        double[] s = new double[scale.length];
        double[] t = new double[scale.length];
        for (int k = 0; k < s.length; k++) {
          s[k] = scale[k] * e.scale()[k];
          t[k] = scale[k] * e.shift()[k] + shift[k];
        }
        layers.remove(layers.size() - 1);
        name = e.name() + "+" + name;
        scale = s;
        shift = t;
      }
      ElementwiseAffineLayer layer = new ElementwiseAffineLayer(name, scale, shift);
      if (!layer.isIdentity()) {
        layers.add(layer);
        lastElementwise = layer;
      }
    }

    // --- products -------------------------------------------------------------------------------

    void matMul(Node n) throws InputFormatException {
      int data = dataInput(n);
      Tensor w = otherBinaryOperand(n, data);
      double[] wv = finite(n, w);
      long[] wd = w.dims();
      if (wd.length < 1 || wd.length > 2) {
        throw fail(n, "constant '" + w.name() + "' must be a vector or matrix, has shape "
            + Arrays.toString(wd));
      }
      if (shape.length == 0) {
        throw fail(n, "the data is a scalar");
      }
      boolean vec = shape.length == 1; // numpy: a 1-D operand gets a dimension added, then removed
      int[] lead = vec ? new int[0] : Arrays.copyOf(shape, shape.length - 2);
      for (int d : lead) {
        if (d != 1) {
          throw fail(n, "batched products with data shape " + Arrays.toString(shape)
              + " are not supported");
        }
      }
      int m;
      int k;
      int nn;
      int[] outTail;
      if (data == 0) { // x @ W
        m = vec ? 1 : shape[shape.length - 2];
        k = shape[shape.length - 1];
        if (wd[0] != k) {
          throw fail(n, "data shape " + Arrays.toString(shape) + " does not match weight shape "
              + Arrays.toString(wd));
        }
        nn = wd.length == 2 ? (int) wd[1] : 1;
        outTail = vec ? (wd.length == 2 ? new int[] {nn} : new int[0])
            : (wd.length == 2 ? new int[] {m, nn} : new int[] {m});
      } else { // W @ x
        k = vec ? shape[0] : shape[shape.length - 2];
        nn = vec ? 1 : shape[shape.length - 1];
        if (wd[wd.length - 1] != k) {
          throw fail(n, "weight shape " + Arrays.toString(wd) + " does not match data shape "
              + Arrays.toString(shape));
        }
        m = wd.length == 2 ? (int) wd[0] : 1;
        outTail = vec ? (wd.length == 2 ? new int[] {m} : new int[0])
            : (wd.length == 2 ? new int[] {m, nn} : new int[] {nn});
      }
      addDense(product(n, m, k, nn, data == 0, false, wv, false, 1.0, new double[m * nn]));
      int[] out = Arrays.copyOf(lead, lead.length + outTail.length);
      System.arraycopy(outTail, 0, out, lead.length, outTail.length);
      shape = out;
    }

    void gemm(Node n) throws InputFormatException {
      int data = dataInput(n);
      if (data > 1) {
        throw fail(n, "the data must be input A or B, not the bias C");
      }
      if (n.inputs().size() < 2 || n.inputs().size() > 3) {
        throw fail(n, "expected 2 or 3 inputs, found " + n.inputs().size());
      }
      double alpha = attrFloat(n, "alpha", 1.0);
      double beta = attrFloat(n, "beta", 1.0);
      boolean transA = attrInt(n, "transA", 0) != 0;
      boolean transB = attrInt(n, "transB", 0) != 0;
      Tensor w = constantInput(n, 1 - data);
      double[] wv = finite(n, w);
      if (w.dims().length != 2 || shape.length != 2) {
        throw fail(n, "Gemm needs 2-D operands, got data " + Arrays.toString(shape)
            + " and constant " + Arrays.toString(w.dims()));
      }
      long[] a = data == 0 ? new long[] {shape[0], shape[1]} : w.dims();
      long[] b = data == 1 ? new long[] {shape[0], shape[1]} : w.dims();
      long m = transA ? a[1] : a[0];
      long k = transA ? a[0] : a[1];
      long kb = transB ? b[1] : b[0];
      long nn = transB ? b[0] : b[1];
      if (k != kb) {
        throw fail(n, "inner dimensions differ: A " + Arrays.toString(a) + (transA ? "ᵀ" : "")
            + ", B " + Arrays.toString(b) + (transB ? "ᵀ" : ""));
      }
      if (m * nn > MAX_VECTOR) {
        throw fail(n, "output " + m + "x" + nn + " is too large");
      }
      shape = new int[] {(int) m, (int) nn};
      double[] bias = new double[(int) (m * nn)];
      if (n.inputs().size() == 3 && !n.inputs().get(2).isEmpty()) {
        Tensor c = constantInput(n, 2);
        double[] cv = broadcast(n, c, finite(n, c)); // C broadcasts to [M, N]
        for (int i = 0; i < bias.length; i++) {
          bias[i] = beta * cv[i];
        }
      }
      boolean dataTrans = data == 0 ? transA : transB;
      boolean constTrans = data == 0 ? transB : transA;
      addDense(product(n, (int) m, (int) k, (int) nn, data == 0, dataTrans, wv, constTrans,
          alpha, bias));
    }

    private void addDense(DenseLayer dense) {
      layers.add(dense);
      lastDense = dense;
    }

    /**
     * The dense layer for Y = alpha * A' B' + bias (M×K times K×N) where one factor is the data
     * and the other the constant c; primes are optional transposes. Inputs and outputs are
     * row-major flattenings of the data as stored and of Y.
     */
    private DenseLayer product(Node n, int m, int k, int nn, boolean dataLeft, boolean dataTrans,
        double[] c, boolean constTrans, double alpha, double[] bias) throws InputFormatException {
      long in = dataLeft ? (long) m * k : (long) k * nn;
      long out = (long) m * nn;
      if (in * out > MAX_WEIGHTS) {
        throw fail(n, "a " + out + "x" + in + " weight matrix is too large");
      }
      int inSize = (int) in;
      double[] w = new double[(int) (in * out)];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < nn; j++) {
          int row = (i * nn + j) * inSize;
          for (int q = 0; q < k; q++) {
            int dataIdx;
            double cv;
            if (dataLeft) { // data A' (m×k), constant B' (k×n)
              dataIdx = dataTrans ? q * m + i : i * k + q;
              cv = constTrans ? c[j * k + q] : c[q * nn + j];
            } else { // constant A' (m×k), data B' (k×n)
              dataIdx = dataTrans ? j * k + q : q * nn + j;
              cv = constTrans ? c[q * m + i] : c[i * k + q];
            }
            w[row + dataIdx] += alpha * cv;
          }
        }
      }
      return new DenseLayer(n.label(), inSize, (int) out, w, bias);
    }

    // --- the rest -------------------------------------------------------------------------------

    void relu(Node n) throws InputFormatException {
      dataInput(n);
      int size = 1;
      for (int d : shape) {
        size *= d;
      }
      layers.add(new ReluLayer(n.label(), size));
    }

    /** An element-wise layer over the whole current value, made by {@code make(size)}. */
    void elementwise(Node n, java.util.function.IntFunction<Layer> make)
        throws InputFormatException {
      dataInput(n);
      int size = 1;
      for (int d : shape) {
        size *= d;
      }
      layers.add(make.apply(size));
    }

    void leakyRelu(Node n) throws InputFormatException {
      if (n.inputs().size() != 1) {
        throw fail(n, "expected 1 input, found " + n.inputs().size());
      }
      double alpha = attrFloat(n, "alpha", (float) 0.01);
      elementwise(n, size -> ElementwiseActivationLayer.leakyRelu(n.label(), size, alpha));
    }

    /**
     * Clip's bounds are attributes {@code min}/{@code max} before opset 11 and optional constant
     * inputs 2 and 3 since; absent means unbounded.
     */
    void clip(Node n) throws InputFormatException {
      int data = dataInput(n);
      if (data != 0) {
        throw fail(n, "the data value must be the first input");
      }
      double min = attrFloat(n, "min", Double.NEGATIVE_INFINITY);
      double max = attrFloat(n, "max", Double.POSITIVE_INFINITY);
      if (n.inputs().size() > 3) {
        throw fail(n, "expected at most 3 inputs, found " + n.inputs().size());
      }
      if (n.inputs().size() > 1 && !n.inputs().get(1).isEmpty()) {
        min = clipBound(n, 1, "min");
      }
      if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
        max = clipBound(n, 2, "max");
      }
      if (!(min <= max)) {
        throw fail(n, "min " + min + " exceeds max " + max + "; Clip needs min <= max");
      }
      double lo = min;
      double hi = max;
      elementwise(n, size -> ElementwiseActivationLayer.clip(n.label(), size, lo, hi));
    }

    private double clipBound(Node n, int k, String what) throws InputFormatException {
      Tensor t = constantInput(n, k);
      double[] v = t.values();
      if (v.length != 1 || Double.isNaN(v[0])) {
        throw fail(n, what + " must be one number (a scalar constant), found "
            + v.length + " values in '" + t.name() + "'");
      }
      return v[0];
    }

    void flatten(Node n) throws InputFormatException {
      dataInput(n);
      long axis = attrInt(n, "axis", 1);
      if (axis < 0) {
        axis += shape.length;
      }
      if (axis < 0 || axis > shape.length) {
        throw fail(n, "axis " + attrInt(n, "axis", 1) + " is out of range for shape "
            + Arrays.toString(shape));
      }
      int outer = 1;
      int inner = 1;
      for (int d = 0; d < shape.length; d++) {
        if (d < axis) {
          outer *= shape[d];
        } else {
          inner *= shape[d];
        }
      }
      reshapeTo(n, new int[] {outer, inner});
    }

    void reshape(Node n) throws InputFormatException {
      int data = dataInput(n);
      if (data != 0 || n.inputs().size() != 2) {
        throw fail(n, "expected inputs (data, shape)");
      }
      Tensor s = constantInput(n, 1);
      if (s.dims().length != 1) {
        throw fail(n, "the shape '" + s.name() + "' must be a 1-D tensor");
      }
      boolean allowZero = attrInt(n, "allowzero", 0) != 0;
      double[] v = s.values();
      int[] out = new int[v.length];
      int infer = -1;
      long known = 1;
      for (int d = 0; d < v.length; d++) {
        double x = v[d];
        if (x != Math.rint(x) || x < -1 || x > MAX_VECTOR) {
          throw fail(n, "invalid shape entry " + x);
        }
        if (x == -1) {
          if (infer >= 0) {
            throw fail(n, "the shape has more than one -1");
          }
          infer = d;
          continue;
        }
        if (x == 0 && !allowZero) { // 0 copies the input dimension
          if (d >= shape.length) {
            throw fail(n, "shape entry 0 at position " + d + " has no input dimension to copy");
          }
          out[d] = shape[d];
        } else if (x == 0) {
          throw fail(n, "zero-size tensors are not supported");
        } else {
          out[d] = (int) x;
        }
        known *= out[d];
        if (known > MAX_VECTOR) {
          throw fail(n, "shape is too large");
        }
      }
      long size = 1;
      for (int d : shape) {
        size *= d;
      }
      if (infer >= 0) {
        if (size % known != 0) {
          throw fail(n, "cannot reshape " + Arrays.toString(shape) + " (" + size
              + " elements) to " + Arrays.toString(v));
        }
        out[infer] = (int) (size / known);
        known = size;
      }
      if (known != size) {
        throw fail(n, "cannot reshape " + Arrays.toString(shape) + " (" + size + " elements) to "
            + Arrays.toString(out) + " (" + known + " elements)");
      }
      reshapeTo(n, out);
    }

    /** Kept as a (shape-preserving) reshape so bound tables can name the node. */
    void identity(Node n) throws InputFormatException {
      dataInput(n);
      reshapeTo(n, shape.clone());
    }

    private void reshapeTo(Node n, int[] out) {
      layers.add(new ReshapeLayer(n.label(), shape.clone(), out));
      shape = out;
    }

    void constant(Node n) throws InputFormatException {
      String out = n.outputs().isEmpty() ? "" : n.outputs().get(0);
      if (out.isEmpty()) {
        throw fail(n, "has no output");
      }
      if (n.attributes().size() != 1) {
        throw fail(n, "expected exactly one value attribute, found "
            + n.attributes().keySet());
      }
      Attribute a = n.attributes().values().iterator().next();
      Tensor t = switch (a.name()) {
        case "value" -> a.t();  // undecodable values are reported when a node uses them
        case "value_float" -> a.f() == null ? null
            : new Tensor(out, new long[0], OnnxProto.FLOAT, new double[] {a.f()});
        case "value_int" -> a.i() == null ? null
            : new Tensor(out, new long[0], OnnxProto.INT64, new double[] {a.i()});
        case "value_floats" -> {
          double[] d = new double[a.floats().length];
          for (int i = 0; i < d.length; i++) {
            d[i] = a.floats()[i];
          }
          yield new Tensor(out, new long[] {d.length}, OnnxProto.FLOAT, d);
        }
        case "value_ints" -> new Tensor(out, new long[] {a.ints().length}, OnnxProto.INT64,
            Arrays.stream(a.ints()).asDoubleStream().toArray());
        default -> throw fail(n, "unsupported Constant attribute '" + a.name() + "'");
      };
      if (t == null) {
        throw fail(n, "attribute '" + a.name() + "' has no value");
      }
      if (constants.containsKey(out)) {
        throw fail(n, "the value '" + out + "' is defined twice");
      }
      constants.put(out, new Tensor(out, t.dims(), t.dataType(), t.values(), t.problem()));
    }
  }
}
