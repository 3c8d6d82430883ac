package dev.robustspec.spark;

import dev.robustspec.cli.WorkItem;
import dev.robustspec.cli.WorkResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Items done / total on the driver's terminal (one line, overwritten; elsewhere a line per tenth
 * of the job), and a line for every failed task attempt, which Spark then retries. Results are
 * counted by the driver's result handler ({@link #finished}), so the count is exact; attempts
 * come from the listener bus.
 */
final class SparkProgress extends SparkListener {
  private final List<WorkItem> items;
  private final boolean terminal;
  private final PrintWriter err;
  private final long start = System.nanoTime();
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private int done;

  SparkProgress(List<WorkItem> items, boolean terminal, PrintWriter err) {
    this.items = items;
    this.terminal = terminal;
    this.err = err;
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    if (stages.isEmpty()) {
      for (Object id : CollectionConverters.asJava(job.stageIds())) {
        stages.add((Integer) id);
      }
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart task) {
    if (stages.contains(task.stageId())) {
      running.add(task.taskInfo().taskId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    if (!stages.contains(task.stageId())) {
      return;
    }
    running.remove(task.taskInfo().taskId());
    if (task.reason() instanceof TaskFailedReason failed) {
      int index = task.taskInfo().index();
      String key = index < items.size() ? items.get(index).key() : "?";
      synchronized (this) {
        clearLine();
        err.println("robustspec: item " + key + ": attempt " + (task.taskInfo().attemptNumber()
            + 1) + " failed on executor " + task.taskInfo().executorId() + " ("
            + firstLine(failed.toErrorString()) + "); Spark runs it again");
        err.flush();
      }
    }
  }

  /** Called on the driver once per item, as its result arrives. */
  synchronized void finished(WorkResult result) {
    done++;
    double elapsed = (System.nanoTime() - start) / 1e9;
    String line = String.format(Locale.ROOT, "[%d/%d] items done, %d running, %.1f s elapsed"
        + " (last: %s %s)", done, items.size(), running.size(), elapsed, result.key(),
        result.verdict());
    if (terminal) {
      err.print("\r\033[K" + line);
      err.flush();
    } else if (done == items.size() || done % Math.max(1, items.size() / 10) == 0) {
      err.println(line);
      err.flush();
    }
  }

  synchronized void end() {
    clearLine();
  }

  private void clearLine() {
    if (terminal) {
      err.print("\r\033[K");
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
