package dev.robustspec.engine;

import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.NetworkGraph;
import dev.robustspec.engine.network.NetworkGraph.Node;
import dev.robustspec.engine.network.ReluLayer;
import dev.robustspec.engine.network.ElementwiseActivationLayer;
import dev.robustspec.engine.network.SparseAffineLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random small residual graphs for property tests: dense layers, ReLUs (and now and then a
 * sigmoid) on any earlier node, residual sums and differences of two same-size nodes, Concats,
 * and selections with constants (Pad/Slice/Transpose/Gather-like index maps); every node reaches
 * the output, a dense layer over the Concat of the nodes nothing else reads.
 */
public final class RandomGraphs {
  private RandomGraphs() {}

  public static NetworkGraph residual(SplittableRandom random, int inputs, int steps,
      boolean sigmoids) {
    List<Node> nodes = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>(List.of(inputs));
    for (int s = 0; s < steps; s++) {
      int latest = sizes.size() - 1;
      int from = random.nextInt(3) == 0 ? random.nextInt(sizes.size()) : latest;
      int kind = random.nextInt(7);
      String name = "n" + sizes.size();
      if (kind <= 1) {
        add(nodes, sizes, Node.layer(name, from, dense(random, name, sizes.get(from),
            1 + random.nextInt(6))));
      } else if (kind == 2) {
        Layer act = sigmoids && random.nextInt(4) == 0 ? ElementwiseActivationLayer.sigmoid(name, sizes.get(from))
            : new ReluLayer(name, sizes.get(from));
        add(nodes, sizes, Node.layer(name, from, act));
      } else if (kind <= 4) {
        // x + f(x) or x - f(x): a branch from some earlier node back to its size
        int a = random.nextInt(sizes.size());
        int n = sizes.get(a);
        int b = latest;
        if (sizes.get(b) != n || b == a) {
          add(nodes, sizes, Node.layer(name + "b", b, dense(random, name + "b", sizes.get(b), n)));
          b = sizes.size() - 1;
          if (random.nextBoolean()) {
            add(nodes, sizes, Node.layer(name + "r", b, new ReluLayer(name + "r", n)));
            b = sizes.size() - 1;
          }
        }
        boolean sub = random.nextInt(3) == 0;
        int[] rowStart = new int[n + 1];
        int[] col = new int[2 * n];
        double[] val = new double[2 * n];
        for (int i = 0; i < n; i++) {
          rowStart[i + 1] = 2 * i + 2;
          col[2 * i] = i;
          val[2 * i] = 1;
          col[2 * i + 1] = n + i;
          val[2 * i + 1] = sub ? -1 : 1;
        }
        int[] ins = random.nextBoolean() ? new int[] {a, b} : new int[] {b, a};
        add(nodes, sizes, Node.join(name, ins, new SparseAffineLayer(name, sub ? "sub" : "add",
            2 * n, rowStart, col, val, new double[n])));
      } else if (kind == 5) {
        int other = random.nextInt(sizes.size());
        int total = sizes.get(from) + sizes.get(other);
        int[] src = new int[total];
        for (int i = 0; i < total; i++) {
          src[i] = i;
        }
        add(nodes, sizes, Node.join(name, new int[] {from, other},
            SparseAffineLayer.selection(name, "concat", total, src)));
      } else {
        int n = sizes.get(from);
        int out = 1 + random.nextInt(n + 2);
        int[] rowStart = new int[out + 1];
        List<Integer> col = new ArrayList<>();
        double[] bias = new double[out];
        for (int i = 0; i < out; i++) {
          if (random.nextInt(4) == 0) {
            bias[i] = random.nextDouble() - 0.5; // a padded constant
          } else {
            col.add(random.nextInt(n));
          }
          rowStart[i + 1] = col.size();
        }
        double[] ones = new double[col.size()];
        java.util.Arrays.fill(ones, 1.0);
        add(nodes, sizes, Node.layer(name, from, new SparseAffineLayer(name, "pad", n, rowStart,
            col.stream().mapToInt(Integer::intValue).toArray(), ones, bias)));
      }
    }
    // every node must reach the output: concat the ones nobody reads, then a dense output
    boolean[] used = new boolean[sizes.size()];
    for (Node node : nodes) {
      for (int in : node.inputs()) {
        used[in] = true;
      }
    }
    List<Integer> loose = new ArrayList<>();
    for (int k = 0; k < sizes.size(); k++) {
      if (!used[k]) {
        loose.add(k);
      }
    }
    int last = sizes.size() - 1;
    if (loose.size() > 1) {
      int total = 0;
      for (int k : loose) {
        total += sizes.get(k);
      }
      int[] src = new int[total];
      for (int i = 0; i < total; i++) {
        src[i] = i;
      }
      add(nodes, sizes, Node.join("gather", loose.stream().mapToInt(Integer::intValue).toArray(),
          SparseAffineLayer.selection("gather", "concat", total, src)));
      last = sizes.size() - 1;
    }
    add(nodes, sizes, Node.layer("out", last, dense(random, "out", sizes.get(last),
        1 + random.nextInt(3))));
    return new NetworkGraph("graph", new int[] {inputs}, nodes);
  }

  private static void add(List<Node> nodes, List<Integer> sizes, Node node) {
    nodes.add(node);
    sizes.add(node.layer() != null ? node.layer().outputSize() : node.join().outputSize());
  }

  private static DenseLayer dense(SplittableRandom random, String name, int in, int out) {
    double[] w = new double[in * out];
    double[] b = new double[out];
    for (int i = 0; i < w.length; i++) {
      w[i] = RandomNets.gaussian(random) / Math.sqrt(in);
    }
    for (int i = 0; i < out; i++) {
      b[i] = RandomNets.gaussian(random) * 0.3;
    }
    return new DenseLayer(name, in, out, w, b);
  }
}
