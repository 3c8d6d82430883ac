package dev.robustspec.engine.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A network as a directed acyclic graph of nodes over flat vectors: node 0 is the input; every
 * other node is either a {@link Layer} applied to one earlier node, or a join, a linear map
 * ({@link SparseAffineLayer}) of the concatenation of several earlier nodes (a residual Add or
 * Sub of two branches, a Concat). Nodes are numbered in a topological order (every input has a
 * smaller number), so the graph has no cycle by construction. A chain is the simple case: node k
 * applies layer k to node k-1.
 *
 * <p>The passes work on a chain ({@link Network}); {@link #lower()} turns the graph into an
 * equivalent chain exactly (see there) and says where each node's values are in it, so bound
 * tables and messages can speak of graph nodes.
 */
public final class NetworkGraph {

  /** One node: a layer over one input, or a join (a linear map over several inputs). */
  public record Node(String name, int[] inputs, Layer layer, SparseAffineLayer join) {
    public static Node layer(String name, int input, Layer layer) {
      return new Node(name, new int[] {input}, layer, null);
    }

    public static Node join(String name, int[] inputs, SparseAffineLayer map) {
      return new Node(name, inputs.clone(), null, map);
    }

    Layer map() {
      return layer != null ? layer : join;
    }
  }

  /** Where a node's values are in the lowered chain: bound index, first neuron, count. */
  public record Location(int boundIndex, int offset, int size) {}

  /** The equivalent chain and, per graph node, its {@link Location} in it. */
  public record Lowered(Network network, List<Location> locations) {}

  private final String name;
  private final int[] inputShape;
  private final List<Node> nodes;

  /**
   * @param nodes the nodes after the input (node 1 first); the last is the output, and every
   *     other node is used by a later one
   */
  public NetworkGraph(String name, int[] inputShape, List<Node> nodes) {
    this.name = name;
    this.inputShape = inputShape.clone();
    this.nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("network " + name + " has no layers");
    }
    boolean[] used = new boolean[nodes.size() + 1];
    for (int k = 1; k <= nodes.size(); k++) {
      Node node = nodes.get(k - 1);
      if (node.inputs().length == 0 || (node.layer() == null) == (node.join() == null)
          || (node.layer() != null && node.inputs().length != 1)) {
        throw new IllegalArgumentException("node " + node.name() + " is malformed");
      }
      int size = 0;
      for (int in : node.inputs()) {
        if (in < 0 || in >= k) {
          throw new IllegalArgumentException("node " + node.name() + " reads node " + in
              + ", which does not come before it (the graph must be acyclic, in order)");
        }
        used[in] = true;
        size += size(in);
      }
      if (node.map().inputSize() != size) {
        throw new IllegalArgumentException("node " + node.name() + " expects "
            + node.map().inputSize() + " inputs but receives " + size);
      }
    }
    for (int k = 0; k < nodes.size(); k++) {
      if (!used[k]) {
        throw new IllegalArgumentException("the value of " + nodeName(k)
            + " is not used: it does not reach the network output");
      }
    }
  }

  public String name() {
    return name;
  }

  public int[] inputShape() {
    return inputShape.clone();
  }

  /** Nodes after the input, node 1 first. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Number of values of node k (node 0: the input). */
  public int size(int k) {
    return k == 0 ? Shapes.size(inputShape) : nodes.get(k - 1).map().outputSize();
  }

  private String nodeName(int k) {
    return k == 0 ? "the input" : "node " + nodes.get(k - 1).name();
  }

  /** Every node's value at {@code input}, node by node over the graph itself (index 0: input). */
  public List<double[]> evaluateNodes(double[] input) {
    List<double[]> values = new ArrayList<>();
    values.add(input.clone());
    for (Node node : nodes) {
      values.add(node.map().evaluate(gather(values, node.inputs())));
    }
    return values;
  }

  /** The output at {@code input}, over the graph itself (the lowering's independent truth). */
  public double[] evaluate(double[] input) {
    List<double[]> v = evaluateNodes(input);
    return v.get(v.size() - 1);
  }

  private static double[] gather(List<double[]> values, int[] inputs) {
    int size = 0;
    for (int in : inputs) {
      size += values.get(in).length;
    }
    double[] x = new double[size];
    int at = 0;
    for (int in : inputs) {
      double[] v = values.get(in);
      System.arraycopy(v, 0, x, at, v.length);
      at += v.length;
    }
    return x;
  }

  /**
   * The equivalent chain. Walking the nodes in order, the chain's vector holds the values still
   * needed later ("live"), the newest first. A layer node is preceded, when the live values are
   * not already laid out as {@code [its input; the values needed after it]}, by a selection
   * (fork, reorder, drop; copies only) and becomes a {@link CarryLayer} that applies it to the
   * front and carries the rest; a join becomes one {@link SparseAffineLayer} over the whole live
   * vector: its own rows (columns renamed to where its inputs are) and copies of the carried
   * values. Copies are exact in every rule, so the chain's bounds are the graph's own. A graph
   * that is a chain lowers to its layers unchanged.
   */
  public Lowered lower() {
    int count = nodes.size() + 1;
    int[] lastUse = new int[count];
    for (int k = 1; k < count; k++) {
      for (int in : nodes.get(k - 1).inputs()) {
        lastUse[in] = k;
      }
    }
    lastUse[count - 1] = Integer.MAX_VALUE; // the output
    List<Location> locations = new ArrayList<>();
    locations.add(new Location(0, 0, size(0)));
    List<Layer> layers = new ArrayList<>();
    List<Integer> live = new ArrayList<>(List.of(0));
    List<int[]> shapes = new ArrayList<>(List.of(Shapes.withoutBatch(inputShape)));
    List<NodeView> views = new ArrayList<>();
    for (int k = 1; k < count; k++) {
      Node node = nodes.get(k - 1);
      shapes.add(shape(node, shapes));
      List<Integer> carried = new ArrayList<>();
      for (int v : live) {
        if (lastUse[v] > k) {
          carried.add(v);
        }
      }
      int carriedSize = 0;
      for (int v : carried) {
        carriedSize += size(v);
      }
      int[] offset = offsets(live);
      if (node.join() != null) {
        layers.add(joinOverLive(node, live, offset, carried));
      } else {
        List<Integer> wanted = new ArrayList<>();
        wanted.add(node.inputs()[0]);
        wanted.addAll(carried);
        if (!wanted.equals(live)) {
          layers.add(route(node.name(), live, offset, wanted));
        }
        layers.add(carriedSize == 0 ? node.layer() : new CarryLayer(node.layer(), carriedSize));
      }
      live = new ArrayList<>();
      live.add(k);
      live.addAll(carried);
      locations.add(new Location(layers.size(), 0, size(k)));
      views.add(new NodeView(node.name(), node.map().kind(), shapes.get(k), layers.size(),
          node.map()));
    }
    return new Lowered(new Network(name, inputShape, layers, views), List.copyOf(locations));
  }

  /**
   * A node's display shape: its layer's rule ({@link Layer#outputShape}) over its input's shape;
   * for a join, its inputs' common shape when it keeps it (a residual Add/Sub), the channels of
   * same-size images stacked (a Concat of them), else a vector.
   */
  private static int[] shape(Node node, List<int[]> shapes) {
    int out = node.map().outputSize();
    int[] s;
    if (node.layer() != null) {
      s = node.layer().outputShape(shapes.get(node.inputs()[0]));
    } else {
      int[] first = shapes.get(node.inputs()[0]);
      boolean same = true;
      boolean images = first.length == 3;
      int channels = 0;
      for (int in : node.inputs()) {
        int[] other = shapes.get(in);
        same &= Arrays.equals(first, other);
        images &= other.length == 3 && other[1] == first[1] && other[2] == first[2];
        channels += images ? other[0] : 0;
      }
      s = same && Shapes.size(first) == out ? first
          : images && channels * first[1] * first[2] == out
              ? new int[] {channels, first[1], first[2]} : new int[] {out};
    }
    return Shapes.size(s) == out ? s : new int[] {out};
  }

  /** Start of each live value in the chain's vector, indexed by node. */
  private int[] offsets(List<Integer> live) {
    int[] offset = new int[nodes.size() + 1];
    Arrays.fill(offset, -1);
    int at = 0;
    for (int v : live) {
      offset[v] = at;
      at += size(v);
    }
    return offset;
  }

  private int total(List<Integer> values) {
    int n = 0;
    for (int v : values) {
      n += size(v);
    }
    return n;
  }

  /** A selection from the live vector to the values {@code wanted}, in that order. */
  private SparseAffineLayer route(String name, List<Integer> live, int[] offset,
      List<Integer> wanted) {
    int[] source = new int[total(wanted)];
    int at = 0;
    for (int v : wanted) {
      for (int i = 0; i < size(v); i++) {
        source[at++] = offset[v] + i;
      }
    }
    return SparseAffineLayer.selection(name + ":route", "route", total(live), source);
  }

  /** The join's rows over the live vector, then copies of the carried values. */
  private SparseAffineLayer joinOverLive(Node node, List<Integer> live, int[] offset,
      List<Integer> carried) {
    SparseAffineLayer map = node.join();
    int[] column = new int[map.inputSize()]; // join input position -> live position
    int at = 0;
    for (int in : node.inputs()) {
      for (int i = 0; i < size(in); i++) {
        column[at++] = offset[in] + i;
      }
    }
    int own = map.outputSize();
    int carriedSize = total(carried);
    int[] rowStart = new int[own + carriedSize + 1];
    int terms = map.column().length + carriedSize;
    int[] col = new int[terms];
    double[] val = new double[terms];
    double[] bias = new double[own + carriedSize];
    int t = 0;
    for (int i = 0; i < own; i++) {
      for (int s = map.rowStart()[i]; s < map.rowStart()[i + 1]; s++) {
        col[t] = column[map.column()[s]];
        val[t++] = map.value()[s];
      }
      bias[i] = map.bias()[i];
      rowStart[i + 1] = t;
    }
    int row = own;
    for (int v : carried) {
      for (int i = 0; i < size(v); i++) {
        col[t] = offset[v] + i;
        val[t++] = 1;
        rowStart[++row] = t;
      }
    }
    return new SparseAffineLayer(node.name(), map.kind(), total(live), rowStart, col, val, bias);
  }
}
