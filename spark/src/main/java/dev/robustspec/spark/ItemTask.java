package dev.robustspec.spark;

import dev.robustspec.cli.WorkItem;
import dev.robustspec.cli.WorkResult;
import dev.robustspec.engine.base.Cores;
import java.io.Serializable;
import java.util.Map;
import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/**
 * What one Spark task does: runs the one item of its partition on the executor. A failure (an
 * exception or error out of the item) is thrown back to Spark while attempts remain, so Spark
 * retries the task (on another executor when it can); on the last attempt the item becomes its
 * {@code error} result with the message, so that the job goes on without it. The item's engine
 * uses the task's cores ({@code spark.task.cpus}, 1 by default; {@link Cores}): an executor with
 * n cores runs n items at once, each with its share.
 *
 * <p>{@code failAttempts} is a test hook: item key to the number of first attempts to fail on
 * purpose (set through {@code spark.robustspec.test.failAttempts}); empty in real runs.
 */
final class ItemTask extends AbstractFunction2<TaskContext, Iterator<WorkItem>, WorkResult>
    implements Serializable {
  private static final long serialVersionUID = 1;

  private final int maxFailures;
  private final Map<String, Integer> failAttempts;

  ItemTask(int maxFailures, Map<String, Integer> failAttempts) {
    this.maxFailures = maxFailures;
    this.failAttempts = Map.copyOf(failAttempts);
  }

  @Override
  public WorkResult apply(TaskContext context, Iterator<WorkItem> partition) {
    WorkItem item = partition.next();
    if (partition.hasNext()) {
      throw new IllegalStateException("a partition holds one item; got more after " + item.key());
    }
    int attempt = context.attemptNumber();
    long start = System.nanoTime();
    try {
      if (attempt < failAttempts.getOrDefault(item.key(), 0)) {
        throw new IllegalStateException("test hook: attempt " + attempt + " of item "
            + item.key() + " fails on purpose");
      }
      // the item gets the task's cores (spark.task.cpus), not the executor's
      return Cores.limitedTo(context.cpus(), () -> item.run(ExecutorNetworks.SHARED));
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      if (attempt + 1 < maxFailures) {
        throw e; // Spark runs the task again
      }
      return item.failed("failed " + maxFailures + " times; last: " + e,
          (System.nanoTime() - start) / 1e9);
    }
  }
}
