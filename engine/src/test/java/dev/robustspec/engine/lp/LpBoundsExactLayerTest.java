package dev.robustspec.engine.lp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.linear.LinearProgram;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.InputConstraint;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * LP tightening solves no LP for a ReLU input that is one affine layer over the box (its
 * interval range is exact), a normalisation before it included (a box through it is a box), and does solve them once an input constraint makes the interval
 * range loose: counted at the solver.
 */
class LpBoundsExactLayerTest {

  /** An ojAlgo solver that counts the LPs it is given. */
  private static final class CountingSolver implements LpSolver {
    final AtomicInteger calls = new AtomicInteger();
    private final LpSolver inner = new OjAlgoLpSolver();

    @Override
    public Solution minimise(LinearProgram program, double[] objective, Budget budget) {
      calls.incrementAndGet();
      return inner.minimise(program, objective, budget);
    }
  }

  private static int unstable(BoundState state, int k) {
    int count = 0;
    for (int i = 0; i < state.lower(k).length; i++) {
      count += state.lower(k)[i] < 0 && state.upper(k)[i] > 0 ? 1 : 0;
    }
    return count;
  }

  @Test
  void noLpForOneAffineLayerOverTheBoxAndTwoPerUnstableNeuronWithAnInputConstraint() {
    int unstableSeen = 0;
    int normalised = 0;
    int normalisedUnstable = 0;
    for (int seed = 0; seed < 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      Network net = RandomNets.dense(random, new int[] {3, 8, 2}, false); // one ReLU layer
      // a third of these nets start with an elementwise affine map (a normalisation): a box
      // through it is a box, so the ReLU's input is still one affine map over a box
      int relu = net.layers().get(1).isRelu() ? 1 : 2;
      normalised += relu == 2 ? 1 : 0;
      Box box = RandomNets.box(random, 3, 1.5);
      BoundState base = new BoundState(net, box);
      new DeepPolyPass().run(base, new double[0][], Budget.unlimited());
      int unstable = unstable(base, relu);
      unstableSeen += unstable;
      normalisedUnstable += relu == 2 ? unstable : 0;

      BoundState plain = new BoundState(net, box);
      plain.tighten(base);
      CountingSolver counting = new CountingSolver();
      LpBounds.tighten(plain, counting, null, null, Budget.unlimited());
      assertEquals(0, counting.calls.get(),
          "LPs solved over the box, seed " + seed);

      // a constraint every point of the box meets: the program changes, the exact range not
      double[] coefficients = new double[3];
      double bound = 0;
      for (int i = 0; i < 3; i++) {
        coefficients[i] = 1;
        bound += box.upper()[i];
      }
      BoundState constrained = new BoundState(net, box);
      constrained.constrainInputs(List.of(new InputConstraint(coefficients, bound + 1)));
      constrained.tighten(base);
      CountingSolver counted = new CountingSolver();
      LpBounds.tighten(constrained, counted, null, null, Budget.unlimited());
      assertEquals(2 * unstable, counted.calls.get(), "LPs with an input constraint, seed " + seed);
    }
    assertTrue(unstableSeen > 0 && normalisedUnstable > 0,
        "no seed had an unstable ReLU over one affine map (" + normalised
            + " with a normalisation): the count could not fail");
  }
}
