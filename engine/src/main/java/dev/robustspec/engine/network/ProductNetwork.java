package dev.robustspec.engine.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several networks run side by side as one {@link Network}, so every pass verifies properties
 * that relate them (a pruned copy agreeing with the original, monotonicity across two copies)
 * exactly like properties of one network.
 *
 * <p>The product's input is a vector {@code x} of {@code inputSize}; lane {@code i} reads its
 * input elements from {@code x[inputMap[...]]} (inputs of several lanes may share an element).
 * The product's output is the lanes' outputs concatenated in lane order.
 *
 * <p>Construction (exact in real arithmetic): an optional first dense layer copies each product
 * input element to the lanes that read it (a 0/1 matrix, exact in floating point too); then the
 * lanes advance in lockstep, one block-diagonal dense layer per affine step (a lane with fewer
 * affine steps in a stretch gets identity blocks) and one ReLU over the whole vector per ReLU
 * step. A lane with fewer ReLUs than the others finishes early and its output is carried to the
 * end: before the next ReLU the dense step emits {@code [v; -v]}, the ReLU makes it
 * {@code [max(v,0); max(-v,0)]}, which later ReLUs and identity blocks leave unchanged, and the
 * last dense step recombines {@code max(v,0) - max(-v,0) = v}. The passes bound the product with
 * their usual rules, so the result is as sound as for any network.
 *
 * <p>A lane with any other layer (sigmoid, tanh, convolution, max pooling, a lowered residual
 * graph: {@link LaneBuilder#general()}) makes the product a {@link NetworkGraph} instead: per
 * lane a gather node reading its inputs from the shared input, the lane's layers as nodes over
 * it, and a final Concat of the lanes' outputs; {@link NetworkGraph#lower()} turns it into a
 * chain exactly, carrying the values of the other lanes past each layer by {@link CarryLayer}s,
 * whose copies are exact in every rule (no relaxation, unlike the {@code [v; -v]} carry above).
 */
public final class ProductNetwork {
  private ProductNetwork() {}

  /** One affine step of a lane: {@code W x + b}, or null weights for the identity. */
  private record Affine(String name, int in, int out, double[] w, double[] b) {
    boolean identity() {
      return w == null;
    }

    double weight(int r, int c) {
      return w == null ? (r == c ? 1 : 0) : w[r * in + c];
    }

    double bias(int r) {
      return b == null ? 0 : b[r];
    }
  }

  /** A lane as alternating stretches: runs.get(g) is the affine steps before ReLU number g. */
  private record Lane(String name, List<List<Affine>> runs, int inputSize, int outputSize) {
    int relus() {
      return runs.size() - 1;
    }
  }

  /** Carry state of a finished lane's output between steps. */
  private enum Carry { ACTIVE, RAW, PRESPLIT, SPLIT }

  /**
   * The product of {@code lanes}. {@code inputMap} lists, for every input element of every lane
   * (lanes in order, each lane's elements in order), the product input element it reads.
   */
  public static Network of(String name, List<Network> lanes, int[] inputMap, int inputSize) {
    int total = 0;
    for (Network n : lanes) {
      total += n.inputSize();
    }
    if (inputMap.length != total) {
      throw new IllegalArgumentException("input map has " + inputMap.length + " entries for "
          + total + " lane inputs");
    }
    for (int m : inputMap) {
      if (m < 0 || m >= inputSize) {
        throw new IllegalArgumentException("input map entry " + m + " out of range");
      }
    }
    List<Lane> ls = new ArrayList<>();
    for (Network n : lanes) {
      Lane lane = lane(n);
      if (lane == null) {
        return asGraph(name, lanes, inputMap, inputSize);
      }
      ls.add(lane);
    }
    List<Layer> layers = new ArrayList<>();
    boolean identityMap = inputMap.length == inputSize;
    for (int k = 0; k < inputMap.length && identityMap; k++) {
      identityMap = inputMap[k] == k;
    }
    if (!identityMap) {
      double[] w = new double[total * inputSize];
      for (int r = 0; r < total; r++) {
        w[r * inputSize + inputMap[r]] = 1;
      }
      layers.add(new DenseLayer(name + "/inputs", inputSize, total, w, new double[total]));
    }
    int groups = 0;
    for (Lane l : ls) {
      groups = Math.max(groups, l.runs().size());
    }
    int lanesN = ls.size();
    int[] size = new int[lanesN]; // current segment sizes (a split carry has 2x its value size)
    Carry[] state = new Carry[lanesN];
    for (int i = 0; i < lanesN; i++) {
      size[i] = ls.get(i).inputSize();
      state[i] = Carry.ACTIVE;
    }
    for (int g = 0; g < groups; g++) {
      boolean last = g == groups - 1;
      int len = 1;
      for (Lane l : ls) {
        if (g < l.runs().size()) {
          // a lane that finishes before the last ReLU needs one more step to split its output
          boolean finishes = g == l.runs().size() - 1 && !last;
          len = Math.max(len, l.runs().get(g).size() + (finishes ? 1 : 0));
        }
      }
      for (int p = 0; p < len; p++) {
        boolean lastStep = p == len - 1;
        List<Affine> blocks = new ArrayList<>();
        boolean allIdentity = true;
        for (int i = 0; i < lanesN; i++) {
          Lane l = ls.get(i);
          if (state[i] == Carry.ACTIVE && g < l.runs().size() && p < l.runs().get(g).size()) {
            Affine a = l.runs().get(g).get(p);
            blocks.add(a);
            allIdentity &= a.identity();
            size[i] = a.out();
            continue;
          }
          if (state[i] == Carry.ACTIVE && g == l.runs().size() - 1) {
            state[i] = Carry.RAW; // the lane's last stretch is done: carry its output
          }
          int n = size[i];
          if (state[i] == Carry.RAW && lastStep && !last) {
            blocks.add(split(n)); // before a ReLU: [v; -v]
            state[i] = Carry.PRESPLIT;
            size[i] = 2 * n;
            allIdentity = false;
          } else if (state[i] == Carry.SPLIT && lastStep && last) {
            blocks.add(combine(n / 2)); // the end: max(v,0) - max(-v,0)
            state[i] = Carry.RAW;
            size[i] = n / 2;
            allIdentity = false;
          } else {
            blocks.add(new Affine("identity", n, n, null, null));
          }
        }
        if (!allIdentity) {
          layers.add(blockDiagonal(name + "/step" + layers.size(), blocks));
        }
      }
      for (int i = 0; i < lanesN; i++) {
        Lane l = ls.get(i);
        if (state[i] == Carry.ACTIVE && g == l.runs().size() - 1) {
          state[i] = Carry.RAW;
        }
      }
      if (!last) {
        int n = 0;
        for (int i = 0; i < lanesN; i++) {
          n += size[i];
          if (state[i] == Carry.PRESPLIT) {
            state[i] = Carry.SPLIT;
          }
        }
        layers.add(new ReluLayer(name + "/relu" + g, n));
      }
    }
    if (layers.isEmpty()) { // every lane is the identity: keep one layer so the network is valid
      int n = 0;
      for (int s : size) {
        n += s;
      }
      layers.add(ElementwiseAffineLayer.uniform(name + "/identity", n, 1, 0));
    }
    return new Network(name, new int[] {inputSize}, layers);
  }

  /** The lane as runs of affine maps between ReLUs, or null when it has any other layer. */
  private static Lane lane(Network n) {
    LaneBuilder builder = new LaneBuilder();
    for (Layer layer : n.layers()) {
      layer.joinProduct(builder);
      if (builder.general) {
        return null;
      }
    }
    return new Lane(n.name(), builder.finish(), n.inputSize(), n.outputSize());
  }

  /**
   * The product as a graph: per lane a gather of its inputs from node 0, then its layers; a
   * Concat of the lanes' last nodes is the output. Lowered exactly to a chain.
   */
  static Network asGraph(String name, List<Network> lanes, int[] inputMap, int inputSize) {
    List<NetworkGraph.Node> nodes = new ArrayList<>();
    int[] outputs = new int[lanes.size()];
    int read = 0;
    int total = 0;
    for (int i = 0; i < lanes.size(); i++) {
      Network lane = lanes.get(i);
      int[] source = Arrays.copyOfRange(inputMap, read, read + lane.inputSize());
      read += lane.inputSize();
      nodes.add(NetworkGraph.Node.layer(name + "/inputs" + i, 0,
          SparseAffineLayer.selection(name + "/inputs" + i, "gather", inputSize, source)));
      for (Layer layer : lane.layers()) {
        nodes.add(NetworkGraph.Node.layer(layer.name(), nodes.size(), layer));
      }
      outputs[i] = nodes.size();
      total += lane.outputSize();
    }
    int[] identity = new int[total];
    for (int k = 0; k < total; k++) {
      identity[k] = k;
    }
    nodes.add(NetworkGraph.Node.join(name + "/outputs", outputs,
        SparseAffineLayer.selection(name + "/outputs", "concat", total, identity)));
    return new NetworkGraph(name, new int[] {inputSize}, nodes).lower().network();
  }

  /**
   * One lane being assembled ({@link Layer#joinProduct}): runs of affine maps separated by
   * ReLUs. The product puts the lanes' runs side by side as block-diagonal dense layers.
   */
  public static final class LaneBuilder {
    private final List<List<Affine>> runs = new ArrayList<>();
    private List<Affine> run = new ArrayList<>();
    private boolean general;

    LaneBuilder() {}

    /**
     * A layer that is neither an affine map nor a ReLU (or too large to materialise as one): the
     * product is built as a graph of the lanes' own layers instead.
     */
    public void general() {
      general = true;
    }

    /**
     * {@code y = W x + b} ({@code out x in} row-major weights); null weights and bias stand for
     * the identity (a reshape).
     */
    public void affine(String name, int in, int out, double[] weights, double[] bias) {
      run.add(new Affine(name, in, out, weights, bias));
    }

    /** A ReLU: ends the current run of affine maps. */
    public void relu() {
      runs.add(run);
      run = new ArrayList<>();
    }

    List<List<Affine>> finish() {
      runs.add(run);
      return runs;
    }
  }

  private static Affine split(int n) {
    double[] w = new double[2 * n * n];
    for (int k = 0; k < n; k++) {
      w[k * n + k] = 1;
      w[(n + k) * n + k] = -1;
    }
    return new Affine("carry-split", n, 2 * n, w, null);
  }

  private static Affine combine(int n) {
    double[] w = new double[n * 2 * n];
    for (int k = 0; k < n; k++) {
      w[k * 2 * n + k] = 1;
      w[k * 2 * n + n + k] = -1;
    }
    return new Affine("carry-combine", 2 * n, n, w, null);
  }

  private static DenseLayer blockDiagonal(String name, List<Affine> blocks) {
    int in = 0;
    int out = 0;
    for (Affine a : blocks) {
      in += a.in();
      out += a.out();
    }
    double[] w = new double[out * in];
    double[] b = new double[out];
    int r0 = 0;
    int c0 = 0;
    for (Affine a : blocks) {
      for (int r = 0; r < a.out(); r++) {
        b[r0 + r] = a.bias(r);
        if (a.identity()) {
          w[(r0 + r) * in + c0 + r] = 1;
        } else {
          System.arraycopy(a.w(), r * a.in(), w, (r0 + r) * in + c0, a.in());
        }
      }
      r0 += a.out();
      c0 += a.in();
    }
    return new DenseLayer(name, in, out, w, b);
  }

  /** The lanes' outputs for one product input, evaluated lane by lane (for tests and replay). */
  public static double[] evaluateSeparately(List<Network> lanes, int[] inputMap, double[] x) {
    List<double[]> outs = new ArrayList<>();
    int k = 0;
    int total = 0;
    for (Network n : lanes) {
      double[] xi = new double[n.inputSize()];
      for (int j = 0; j < xi.length; j++) {
        xi[j] = x[inputMap[k++]];
      }
      double[] y = n.evaluate(xi);
      outs.add(y);
      total += y.length;
    }
    double[] y = new double[total];
    int p = 0;
    for (double[] o : outs) {
      System.arraycopy(o, 0, y, p, o.length);
      p += o.length;
    }
    return Arrays.copyOf(y, total);
  }
}
