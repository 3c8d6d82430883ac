package dev.robustspec.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.util.SplittableRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attacks' schedule of {@link SubproblemQueue} (every part early, backing off later) and its
 * bound over the open parts.
 */
class SubproblemQueueTest {

  @Test
  void aPartPutBackCountsInTheOpenBound() throws InterruptedException {
    SplittableRandom random = new SplittableRandom(3);
    Network net = RandomNets.dense(random, new int[] {3, 8, 8, 1}, false);
    Box box = RandomNets.box(random, 3, 2.0);
    double[][] objectives = {{1}};
    double[] bounds = {1e6};
    ReluSubproblem worst = SubproblemRoot.bound(net, box, null, objectives, bounds, null,
        Budget.unlimited());
    ReluSubproblem better = SubproblemRoot.bound(net, box, null, objectives, new double[] {1e5},
        null, Budget.unlimited());
    SubproblemQueue q = new SubproblemQueue(ReluSplitSearch.Options.defaults(),
        ProgressListener.NONE);
    assertEquals(Double.NEGATIVE_INFINITY, q.openBound());
    q.offer(worst);
    q.offer(better);
    assertEquals(worst.margin(), q.openBound());
    ReluSubproblem taken = q.take(); // a worker holds it: no longer in the queue
    assertEquals(worst.margin(), taken.margin());
    assertEquals(better.margin(), q.openBound());
    q.putBack(taken); // its split was cut short
    q.done();
    assertEquals(worst.margin(), q.openBound());
  }

  @Test
  void theWorstIsTakenFirstUntilHalfTheCapWaitsThenTheBest() throws InterruptedException {
    SplittableRandom random = new SplittableRandom(5);
    Network net = RandomNets.dense(random, new int[] {3, 8, 8, 1}, false);
    Box box = RandomNets.box(random, 3, 2.0);
    double[] bounds = {1e3, 1e5, 1e4}; // margins about -1e3 (the best), -1e5, -1e4
    List<ReluSubproblem> parts = new ArrayList<>();
    for (double d : bounds) {
      parts.add(SubproblemRoot.bound(net, box, null, new double[][] {{1}}, new double[] {d},
          null, Budget.unlimited()));
    }
    SubproblemQueue roomy = new SubproblemQueue(new ReluSplitSearch.Options(100, 1000, 0, 1),
        ProgressListener.NONE);
    parts.forEach(roomy::offer);
    assertEquals(parts.get(1).margin(), roomy.take().margin()); // the worst first
    assertEquals(parts.get(2).margin(), roomy.take().margin());
    // a cap of 6: while half of it (3) wait or are being split, the best goes first
    SubproblemQueue crowded = new SubproblemQueue(new ReluSplitSearch.Options(6, 1000, 0, 1),
        ProgressListener.NONE);
    parts.forEach(crowded::offer);
    assertEquals(parts.get(0).margin(), crowded.take().margin()); // 3 waiting: the best
    assertEquals(parts.get(2).margin(), crowded.take().margin()); // 2 waiting, 1 busy: the best
    crowded.done();
    crowded.done();
    assertEquals(parts.get(1).margin(), crowded.take().margin()); // 1 waiting: the worst again
  }

  @Test
  void attacksBackOffAsThePartsBoundedDouble() {
    SubproblemQueue q = new SubproblemQueue(ReluSplitSearch.Options.defaults(),
        ProgressListener.NONE);
    // before the back-off: a leaf attack every 16th part taken, every open child attacked
    assertEquals(List.of(0, 16, 32), due(q, 48));
    for (int i = 0; i < 10; i++) {
      assertEquals(true, q.childAttackDue());
    }
    q.bounded((int) ReluSplitSearch.BACKOFF_START); // 1024 parts bounded: the gaps double
    List<Integer> leaf = due(q, 128); // parts 48..175 taken
    assertEquals(List.of(0, 32, 64, 96), shift(leaf));
    assertEquals(List.of(true, false, true, false), children(q, 4));
    q.bounded((int) ReluSplitSearch.BACKOFF_START); // 2048: quadrupled
    assertEquals(List.of(0, 64), shift(due(q, 128)));
    q.bounded((int) (2 * ReluSplitSearch.BACKOFF_START)); // 4096: 8 times
    List<Boolean> c = children(q, 16);
    assertEquals(2, c.stream().filter(b -> b).count());
  }

  /** Which of the next {@code n} parts taken get a leaf attack (0 = the first of them). */
  private static List<Integer> due(SubproblemQueue q, int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (q.leafAttackDue()) {
        out.add(i);
      }
    }
    return out;
  }

  private static List<Integer> shift(List<Integer> at) {
    List<Integer> out = new ArrayList<>();
    for (int a : at) {
      out.add(a - at.get(0));
    }
    return out;
  }

  private static List<Boolean> children(SubproblemQueue q, int n) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(q.childAttackDue());
    }
    return out;
  }
}
