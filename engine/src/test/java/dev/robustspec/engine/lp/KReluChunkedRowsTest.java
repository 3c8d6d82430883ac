package dev.robustspec.engine.lp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hulls' octahedral rows bounded in chunks give the bounds of one batch (each row is
 * back-substituted on its own), and every bound is below the row's value at sampled points.
 */
class KReluChunkedRowsTest {

  @Test
  void chunkedRowsBoundLikeOneBatchAndContainSamples() {
    for (int seed = 0; seed < 10; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      Network net = RandomNets.dense(random, new int[] {5, 12, 12, 2}, false);
      Box box = RandomNets.box(random, 5, 1.5);
      BoundState state = new BoundState(net, box);
      new DeepPolyPass().run(state, new double[0][], Budget.unlimited());
      int index = net.layers().size() - 2; // the last ReLU's input
      while (!net.layers().get(index).isRelu()) {
        index--;
      }
      double[][] rows = new double[37][];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = RandomNets.gaussianRow(random, state.lower(index).length);
      }
      double[] whole = KReluPass.boundRows(state, index, rows, 1000, Budget.unlimited());
      for (int chunk : new int[] {1, 3, 8}) {
        double[] parts = KReluPass.boundRows(state, index, rows, chunk, Budget.unlimited());
        for (int r = 0; r < rows.length; r++) {
          assertEquals(whole[r], parts[r], 1e-12 * (1 + Math.abs(whole[r])),
              "seed " + seed + ", chunk " + chunk + ", row " + r);
        }
      }
      for (int s = 0; s < 500; s++) {
        List<double[]> trace = net.trace(RandomNets.point(random, box));
        double[] z = trace.get(index);
        for (int r = 0; r < rows.length; r++) {
          double v = 0;
          for (int i = 0; i < z.length; i++) {
            v += rows[r][i] * z[i];
          }
          assertTrue(whole[r] <= v + 1e-9 * (1 + Math.abs(v)),
              "row " + r + " bound " + whole[r] + " above a sampled value " + v);
        }
      }
    }
  }
}
