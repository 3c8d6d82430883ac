package dev.robustspec.engine.search;

import dev.robustspec.engine.base.ProgressListener;
import java.util.TreeSet;

/**
 * The open sub-problems of one {@link ReluSplitSearch} run and what its workers found, behind
 * one lock. The worst bound is taken first (the smallest open margin then rises: the case's bound
 * at any time) until half of {@code maxOpen} parts are open; from there on the best is taken,
 * the part nearest to being closed. Why: the parts a proof must close are the same in any order
 * (a part's split depends on the part alone), so the order only decides how many wait at once;
 * on MNIST-FC 256x4 prop_14 eps 0.05 worst-first reached 4000 open after 110 s and gave up with
 * the time half spent. Only at {@code maxOpen} does the run give up.
 */
final class SubproblemQueue {
  /** An open sub-problem in the queue; {@code order} breaks ties by creation. */
  private record Entry(ReluSubproblem problem, long order) {}

  private final TreeSet<Entry> open = new TreeSet<>((a, b) -> {
    int c = Double.compare(a.problem().margin(), b.problem().margin());
    return c != 0 ? c : Long.compare(a.order(), b.order());
  });
  private final ReluSplitSearch.Options options;
  private final ProgressListener listener;
  private long order;
  private long closedCount;
  private long expansions;
  private long nextLeafAttack;
  private long childAttacks;
  private int busy;
  long domains;
  private double smallestMargin = Double.POSITIVE_INFINITY;
  private boolean gaveUp;
  private boolean stop;
  private Counterexample counterexample;
  private RuntimeException failure;

  SubproblemQueue(ReluSplitSearch.Options options, ProgressListener listener) {
    this.options = options;
    this.listener = listener;
  }

  synchronized void offer(ReluSubproblem p) {
    open.add(new Entry(p, order++));
    notifyAll();
  }

  /** The worst open sub-problem, or null when the run is over. */
  synchronized ReluSubproblem take() throws InterruptedException {
    while (!stop) {
      if (!open.isEmpty()) {
        if (open.size() + busy >= options.maxOpen() || domains >= options.maxDomains()) {
          gaveUp = true; // the caps: say unknown rather than grow without bound
          stop = true;
          notifyAll();
          return null;
        }
        boolean crowded = 2L * (open.size() + busy) >= options.maxOpen();
        busy++;
        return (crowded ? open.pollLast() : open.pollFirst()).problem();
      }
      if (busy == 0) {
        stop = true;
        notifyAll();
        return null;
      }
      wait(50);
    }
    return null;
  }

  /**
   * True on every {@link ReluSplitSearch#LEAF_ATTACK_EVERY}-th sub-problem taken (the first
   * included), the gap doubled {@link #backoff} times.
   */
  synchronized boolean leafAttackDue() {
    if (expansions++ < nextLeafAttack) {
      return false;
    }
    nextLeafAttack = expansions - 1 + ((long) ReluSplitSearch.LEAF_ATTACK_EVERY << backoff());
    return true;
  }

  /**
   * True when an open child's descent is due: every child until the back-off starts, then
   * every {@code 2^}{@link #backoff}-th.
   */
  synchronized boolean childAttackDue() {
    return childAttacks++ % (1L << backoff()) == 0;
  }

  /**
   * How often the attacks' gaps have doubled: 0 until {@link ReluSplitSearch#BACKOFF_START}
   * sub-problems are bounded, then one more each time that count doubles (so the attacks' share
   * of the work shrinks as the tree grows; see {@link ReluSplitSearch}).
   */
  private int backoff() {
    long d = domains / ReluSplitSearch.BACKOFF_START;
    return d == 0 ? 0 : Math.min(30, 64 - Long.numberOfLeadingZeros(d));
  }

  synchronized void bounded(int count) {
    domains += count;
  }

  synchronized void closed(double margin) {
    smallestMargin = Math.min(smallestMargin, margin);
  }

  /** A worker is done with a sub-problem: it is closed (split or decided). */
  synchronized void done() {
    busy--;
    listener.boxes(open.size() + busy, ++closedCount);
    notifyAll();
  }

  synchronized void giveUp() {
    gaveUp = true;
    stop = true;
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

  /**
   * The smallest margin of the open sub-problems: with the closed ones they cover the case (a
   * worker stopped mid-split puts its part back, {@link #putBack}), so it bounds the whole case
   * from below; -infinity when none is open.
   */
  synchronized double openBound() {
    return open.isEmpty() ? Double.NEGATIVE_INFINITY : open.first().problem().margin();
  }

  /**
   * Per case of the tree ({@code cases} of them), the smallest margin of that case over the open
   * sub-problems and the closed leaves: with the closed ones the open parts cover the region, so
   * each bounds its case from below (above 0: the case is empty, though the tree is not closed);
   * -infinity for every case when none is open.
   */
  synchronized double[] caseBounds(int cases) {
    double[] out = new double[cases];
    java.util.Arrays.fill(out, open.isEmpty() ? Double.NEGATIVE_INFINITY : smallestMargin);
    for (Entry e : open) {
      double[] m = e.problem().caseMargins();
      for (int c = 0; c < cases; c++) {
        out[c] = Math.min(out[c], m[c]);
      }
    }
    return out;
  }

  /** A part whose split was cut short (the budget ran out): open again, so it stays covered. */
  synchronized void putBack(ReluSubproblem p) {
    open.add(new Entry(p, order++));
  }

  synchronized BranchAndBound.Outcome outcome() {
    if (counterexample != null) {
      return new BranchAndBound.Outcome(BranchAndBound.Outcome.Status.FALSIFIED,
          Double.NEGATIVE_INFINITY, counterexample, domains);
    }
    if (failure != null) {
      throw failure; // the budget ran out (or a bug): the caller decides
    }
    if (gaveUp || !open.isEmpty()) {
      return new BranchAndBound.Outcome(BranchAndBound.Outcome.Status.UNKNOWN,
          open.isEmpty() ? Double.NEGATIVE_INFINITY : open.first().problem().margin(), null,
          domains);
    }
    return new BranchAndBound.Outcome(BranchAndBound.Outcome.Status.PROVEN, smallestMargin,
        null, domains);
  }
}
