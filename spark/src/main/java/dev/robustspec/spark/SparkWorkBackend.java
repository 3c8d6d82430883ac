package dev.robustspec.spark;

import dev.robustspec.cli.WorkBackend;
import java.io.PrintWriter;

/**
 * The Spark back end of {@code --spark MASTER}, registered in
 * {@code META-INF/services/dev.robustspec.cli.WorkBackend}: each work item is one Spark task.
 */
public final class SparkWorkBackend implements WorkBackend {
  @Override
  public Session open(String master, boolean terminal, PrintWriter err) {
    return SparkCluster.start(master, terminal, err);
  }
}
