package dev.robustspec.engine.search;

import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.relax.BoundState;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work shared by the threads of one {@link BranchAndBound} run: a depth-first stack of
 * open boxes, how many threads hold a box (so an empty stack only ends the run when no one can
 * push again), and what was found. The set of proven leaves does not depend on the threads'
 * interleaving, so neither does a proven margin; which counterexample is found first may.
 */
final class BoxStack {
  /**
   * A box to bound, its depth, the bounds its parent ended with (null at the root) and the
   * α-CROWN slopes its parent's bound used (null: none; DeepPoly's choice starts the search).
   */
  record Node(double[] lower, double[] upper, int depth, BoundState parent, double[][] slopes) {
    Node(double[] lower, double[] upper, int depth, BoundState parent) {
      this(lower, upper, depth, parent, null);
    }
  }

  private final ArrayDeque<Node> stack = new ArrayDeque<>();
  private int busy;
  final AtomicLong boxes = new AtomicLong();
  private double smallestMargin = Double.POSITIVE_INFINITY;
  volatile boolean gaveUp;
  volatile boolean stop;
  volatile Counterexample counterexample;
  volatile RuntimeException failure;
  private final BranchAndBound.Options options;
  private final ProgressListener listener;
  private long closed;

  BoxStack(BranchAndBound.Options options, ProgressListener listener) {
    this.options = options;
    this.listener = listener;
  }

  synchronized void push(Node node) {
    stack.push(node);
    notifyAll();
  }

  /** The next box, or null when the run is over (nothing left and no one busy, or stopped). */
  synchronized Node take() throws InterruptedException {
    while (!stop) {
      if (!stack.isEmpty()) {
        if (boxes.get() >= options.maxBoxes()) {
          gaveUp = true;
          stop = true;
          notifyAll();
          return null;
        }
        busy++;
        boxes.incrementAndGet();
        return stack.pop();
      }
      if (busy == 0) {
        notifyAll();
        return null;
      }
      wait(50);
    }
    return null;
  }

  synchronized void done(double provenMargin) {
    busy--;
    listener.boxes(stack.size() + busy, ++closed);
    if (provenMargin > 0) {
      smallestMargin = Math.min(smallestMargin, provenMargin);
    }
    notifyAll();
  }

  synchronized void finish(Counterexample cex, RuntimeException error) {
    if (cex != null && counterexample == null) {
      counterexample = cex;
    }
    if (error != null && failure == null) {
      failure = error;
    }
    stop = true;
    notifyAll();
  }

  synchronized double smallestMargin() {
    return smallestMargin;
  }
}
