package dev.robustspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the work items of {@code certify}, {@code batch} and {@code verify} run when
 * {@code --spark MASTER} is given: another module's implementation (the spark module's), found
 * with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.robustspec.cli.WorkBackend}, so that the compiler does not depend
 * on Spark. The items carry their own code ({@link WorkItem#run}): a back end only ships them,
 * runs each once (retrying failures), and hands every result back to the driver exactly once.
 */
public interface WorkBackend {

  /** A connection to one cluster (a Spark session), open for one command. */
  interface Session extends AutoCloseable {
    /**
     * Runs every item and calls {@code onResult} on the caller's side once per item, in the
     * order items finish. An item whose run keeps failing comes back as its
     * {@link WorkItem#failed} result; the others go on.
     */
    void run(String jobName, List<? extends WorkItem> items, Consumer<WorkResult> onResult);

    /** Writes {@code rows} (CSV columns named by {@code header}) as a Parquet table. */
    void writeTable(Path table, String header, List<String[]> rows) throws IOException;

    /** The rows of a Parquet table written by {@link #writeTable}, as CSV fields. */
    List<String[]> readTable(Path table, String header) throws IOException;

    @Override
    void close();
  }

  /**
   * Connects to {@code master} ({@code local[2]}, {@code spark://host:7077}, ...; {@code submit}:
   * the master spark-submit configured). {@code terminal}: progress overwrites one line.
   */
  Session open(String master, boolean terminal, PrintWriter err);

  /** The installed back end, or a clear error saying how to get it. */
  static WorkBackend find() {
    for (WorkBackend b : java.util.ServiceLoader.load(WorkBackend.class)) {
      return b;
    }
    throw new IllegalArgumentException("--spark needs the Spark back end, which is not on the"
        + " class path: run ./robustspec (it builds spark/target/robustspec-spark.jar and adds"
        + " Spark when --spark is given), or build it with 'mvn -pl spark -am package' and run"
        + " that jar with spark-submit (docs/spark.md)");
  }
}
