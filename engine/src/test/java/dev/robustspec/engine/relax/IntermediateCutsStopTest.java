package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link IntermediateCuts#tighten(BoundState, BooleanSupplier, Budget)} stopped inside a batch's
 * steps keeps what those steps earned: on nets with two ReLU layers (one index tightened, upper
 * bounds first), a stop after {@code m} steps of the upper bounds' batch leaves exactly the
 * upper bounds that a run of {@code m} steps makes, and the lower bounds where they started.
 * Where the steps move the bounds, a stop that lost the batch would leave the first
 * evaluation's bounds instead, which differ; the test asserts that such nets occur.
 */
class IntermediateCutsStopTest {
  private static final IntermediateCuts.CutSource NO_CUTS = (s, index, b) -> List.of();

  @Test
  void aStopInsideTheStepsKeepsTheBatchUnderWay() {
    SplittableRandom random = new SplittableRandom(20261207);
    int moved = 0;
    for (int trial = 0; trial < 40; trial++) {
      Network net = RandomNets.dense(random, new int[] {4, 8, 8, 2}, false);
      Box box = RandomNets.box(random, 4, 2.0);
      BoundState start = new BoundState(net, box);
      new DeepPolyPass().run(start, new double[0][], Budget.unlimited());
      int m = 1 + random.nextInt(6);
      int k = reluIndices(net)[1];

      BoundState stopped = copyOf(net, box, start);
      // asked once before the first ReLU layer's cuts, once before the batch, then per step
      new IntermediateCuts(NO_CUTS, options(20)).tighten(stopped, stopAfter(2 + m),
          Budget.unlimited());
      BoundState reference = copyOf(net, box, start);
      new IntermediateCuts(NO_CUTS, options(m)).tighten(reference, Budget.unlimited());
      BoundState firstEvaluation = copyOf(net, box, start);
      new IntermediateCuts(NO_CUTS, options(0)).tighten(firstEvaluation, Budget.unlimited());

      assertArrayEquals(reference.upper(k), stopped.upper(k), 0.0,
          "the stopped batch's upper bounds are not those of " + m + " steps");
      assertArrayEquals(start.lower(k), stopped.lower(k), 0.0,
          "a batch after the stop moved the lower bounds");
      for (int i = 0; i < stopped.upper(k).length; i++) {
        if (stopped.upper(k)[i] < firstEvaluation.upper(k)[i] - 1e-9) {
          moved++;
          break;
        }
      }
    }
    assertTrue(moved >= 10, "the steps moved the upper bounds on only " + moved + " of 40 nets");
  }

  private static IntermediateCuts.Options options(int iterations) {
    return new IntermediateCuts.Options(iterations, 0.5, 0.05, 0.98);
  }

  /** False for the first {@code calls} questions, true from then on. */
  private static BooleanSupplier stopAfter(int calls) {
    int[] asked = {0};
    return () -> ++asked[0] > calls;
  }

  private static int[] reluIndices(Network net) {
    return java.util.stream.IntStream.range(0, net.layers().size())
        .filter(k -> net.layers().get(k).isRelu()).toArray();
  }

  private static BoundState copyOf(Network net, Box box, BoundState from) {
    BoundState state = new BoundState(net, box);
    state.tighten(from);
    return state;
  }
}
