package dev.robustspec.engine.relax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The interval rule's "already applied" mark of {@link BoundState}. */
class BoundStateTest {

  @Test
  void theMarkFollowsTheBoundsItWasAppliedTo() {
    Network net = RandomNets.dense(new SplittableRandom(3), new int[] {3, 4, 2}, false);
    BoundState s = new BoundState(net, new Box(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
    assertFalse(s.intervalApplied(0));
    IntervalPass.propagateLayer(s, 0);
    assertTrue(s.intervalApplied(0));
    s.tighten(1, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY); // no change
    assertTrue(s.intervalApplied(0));
    s.tighten(1, 0, s.lower(1)[0] + 1e-3, Double.POSITIVE_INFINITY); // the layer's output only
    assertTrue(s.intervalApplied(0));
    assertFalse(s.intervalApplied(1));
    s.tighten(0, 2, -0.5, 0.5); // the layer's input: the rule must run again
    assertFalse(s.intervalApplied(0));
    BoundState child = new BoundState(net, s.input());
    IntervalPass.propagateLayer(s, 0);
    child.tighten(s);
    assertTrue(child.intervalApplied(0), "same bounds at index 0 as the parent, which applied it");
    BoundState narrower = new BoundState(net, new Box(new double[] {-1, -1, 0},
        new double[] {1, 1, 1}));
    narrower.tighten(s);
    assertFalse(narrower.intervalApplied(0), "its input box differs from the parent's");
  }

  /**
   * A ReLU-splitting child (its parent's bounds, one neuron cut at 0) bounded by DeepPoly with
   * the marks it inherits gets exactly the bounds of the same child built without them (every
   * interval rule run again): skipping a rule that saw the same bounds changes nothing.
   */
  @Property(tries = 200)
  void skippingAnAppliedRuleChangesNoBound(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int inputs = 1 + random.nextInt(4);
    int hidden = 1 + random.nextInt(3);
    int[] widths = new int[hidden + 2];
    widths[0] = inputs;
    for (int i = 1; i <= hidden; i++) {
      widths[i] = 1 + random.nextInt(6);
    }
    widths[hidden + 1] = 1 + random.nextInt(3);
    Network net = RandomNets.dense(random, widths, false);
    double[] lo = new double[inputs];
    double[] hi = new double[inputs];
    for (int i = 0; i < inputs; i++) {
      double c = RandomNets.gaussian(random);
      double r = 0.01 + random.nextDouble();
      lo[i] = c - r;
      hi[i] = c + r;
    }
    Box box = new Box(lo, hi);
    double[][] objectives = new double[1][net.outputSize()];
    for (int j = 0; j < net.outputSize(); j++) {
      objectives[0][j] = RandomNets.gaussian(random);
    }
    BoundState parent = new BoundState(net, box);
    new DeepPolyPass().run(parent, objectives, Budget.unlimited());
    List<Integer> relus = new ArrayList<>();
    for (int k = 0; k < net.layers().size(); k++) {
      if (net.layers().get(k).isRelu()) {
        relus.add(k); // its input is bound index k
      }
    }
    int index = relus.get(random.nextInt(relus.size()));
    int neuron = random.nextInt(parent.lower(index).length);
    boolean active = random.nextBoolean();
    BoundState marked = new BoundState(net, box);
    marked.tighten(parent);
    BoundState unmarked = new BoundState(net, box);
    for (int k = 0; k < parent.size(); k++) {
      unmarked.tighten(k, parent.lower(k), parent.upper(k)); // bounds only, no marks
    }
    for (BoundState s : new BoundState[] {marked, unmarked}) {
      s.tighten(index, neuron, active ? 0 : Double.NEGATIVE_INFINITY,
          active ? Double.POSITIVE_INFINITY : 0);
    }
    double[] a = new DeepPolyPass().run(marked, objectives, Budget.unlimited());
    double[] b = new DeepPolyPass().run(unmarked, objectives, Budget.unlimited());
    assertArrayEquals(b, a);
    for (int k = 0; k < parent.size(); k++) {
      assertArrayEquals(unmarked.lower(k), marked.lower(k), "lower at " + k);
      assertArrayEquals(unmarked.upper(k), marked.upper(k), "upper at " + k);
    }
  }
}
