package dev.robustspec.engine.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.RandomNets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What tables show of a network: one view per graph node, named by the node, shaped by its
 * layer's display rule, whose neurons are the front of its bound index in the lowered chain
 * (checked against the graph's own node-by-node evaluation).
 */
class NodeViewTest {
  private static ConvLayer conv(SplittableRandom r, String name, int c, int h, int w, int out) {
    ConvGeometry g = new ConvGeometry(c, h, w, out, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    double[] k = new double[out * c * 9];
    for (int i = 0; i < k.length; i++) {
      k[i] = RandomNets.gaussian(r) / 3;
    }
    return new ConvLayer(name, g, k, new double[out]);
  }

  /** Identity rows over the concatenation of two same-size inputs: their sum. */
  private static SparseAffineLayer add(int n) {
    int[] rowStart = new int[n + 1];
    int[] col = new int[2 * n];
    double[] val = new double[2 * n];
    for (int i = 0; i < n; i++) {
      rowStart[i + 1] = 2 * i + 2;
      col[2 * i] = i;
      col[2 * i + 1] = n + i;
      val[2 * i] = 1;
      val[2 * i + 1] = 1;
    }
    return new SparseAffineLayer("add", "add", 2 * n, rowStart, col, val, new double[n]);
  }

  @Test
  void residualConvGraphIsShownByNodeWithShapes() {
    SplittableRandom r = new SplittableRandom(5);
    int h = 4;
    int w = 3;
    int n = 2 * h * w;
    List<NetworkGraph.Node> nodes = new ArrayList<>();
    nodes.add(NetworkGraph.Node.layer("conv1", 0, conv(r, "conv1", 1, h, w, 2)));
    nodes.add(NetworkGraph.Node.layer("relu1", 1, new ReluLayer("relu1", n)));
    nodes.add(NetworkGraph.Node.layer("conv2", 2, conv(r, "conv2", 2, h, w, 2)));
    nodes.add(NetworkGraph.Node.join("add", new int[] {2, 3}, add(n)));
    int[] both = new int[2 * n];
    for (int i = 0; i < both.length; i++) {
      both[i] = i;
    }
    nodes.add(NetworkGraph.Node.join("concat", new int[] {4, 1},
        SparseAffineLayer.selection("concat", "concat", 2 * n, both)));
    nodes.add(NetworkGraph.Node.layer("pool", 5, new MaxPoolLayer("pool",
        new ConvGeometry(4, h, w, 4, 2, 2, 2, 1, 0, 0, 0, 0, 1, 1, 4))));
    nodes.add(NetworkGraph.Node.layer("flatten", 6, new ReshapeLayer("flatten",
        new int[] {1, 4, 2, 2}, new int[] {1, 16})));
    DenseLayer out = new DenseLayer("out", 16, 3, new double[48], new double[3]);
    nodes.add(NetworkGraph.Node.layer("out", 7, out));
    NetworkGraph g = new NetworkGraph("g", new int[] {1, 1, h, w}, nodes);
    Network net = g.lower().network();
    assertEquals(List.of("conv1", "relu1", "conv2", "add", "concat", "pool", "flatten", "out"),
        net.views().stream().map(NodeView::name).toList(), "nodes by name, no routes or carries");
    assertEquals(List.of("conv", "relu", "conv", "add", "concat", "maxpool", "reshape", "dense"),
        net.views().stream().map(NodeView::kind).toList());
    int[][] shapes = {{2, h, w}, {2, h, w}, {2, h, w}, {2, h, w}, {4, h, w}, {4, 2, 2}, {16},
        {3}};
    for (int k = 0; k < shapes.length; k++) {
      assertArrayEquals(shapes[k], net.views().get(k).shape(), net.views().get(k).name());
    }
    assertArrayEquals(new int[] {1, h, w}, net.inputView().shape());
    // each view's neurons are the front of its bound index: the node's own values
    for (int s = 0; s < 20; s++) {
      double[] x = new double[h * w];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextDouble(-1, 1);
      }
      List<double[]> nodeValues = g.evaluateNodes(x);
      List<double[]> trace = net.trace(x);
      for (int k = 0; k < net.views().size(); k++) {
        NodeView v = net.views().get(k);
        assertArrayEquals(nodeValues.get(k + 1),
            Arrays.copyOf(trace.get(v.boundIndex()), v.size()), 1e-12, v.name());
      }
    }
  }

  @Test
  void neuronsAreAddressedRowMajorByChannelAndPosition() {
    NodeView v = new NodeView("conv1", "conv", new int[] {3, 4, 5}, 1, null);
    for (int i = 0; i < 60; i++) {
      int[] idx = v.index(i);
      assertArrayEquals(new int[] {i / 20, i / 5 % 4, i % 5}, idx);
      assertEquals(i, v.flat(idx));
    }
    assertEquals("(2, 3, 4)", v.neuronLabel(59));
    assertEquals("3x4x5", v.shapeLabel());
    assertEquals(-1, v.flat(new int[] {3, 0, 0}));
    assertEquals(-1, v.flat(new int[] {0, 0}));
    assertEquals(20, v.channelSize());
    NodeView vector = new NodeView("fc", "dense", new int[] {7}, 1, null);
    assertEquals("6", vector.neuronLabel(6));
    assertEquals(false, new NodeView("fc", "conv", new int[] {7, 1, 1}, 1, null).hasChannels());
  }

  @Test
  void aChainIsShownLayerByLayerWithShapesCarriedThroughElementwiseLayers() {
    SplittableRandom r = new SplittableRandom(2);
    ConvLayer c = conv(r, "c", 1, 3, 3, 2);
    Network net = new Network("chain", new int[] {1, 1, 3, 3}, List.of(c,
        new ReluLayer("r", 18), ElementwiseAffineLayer.uniform("bn", 18, 2, 1),
        new ReshapeLayer("flat", new int[] {1, 2, 3, 3}, new int[] {1, 18}),
        new DenseLayer("d", 18, 2, new double[36], new double[2])));
    assertEquals(5, net.views().size());
    int[][] shapes = {{2, 3, 3}, {2, 3, 3}, {2, 3, 3}, {18}, {2}};
    for (int k = 0; k < shapes.length; k++) {
      assertArrayEquals(shapes[k], net.views().get(k).shape());
      assertEquals(k + 1, net.views().get(k).boundIndex());
    }
  }
}
