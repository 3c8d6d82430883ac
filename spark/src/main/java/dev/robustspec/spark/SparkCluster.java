package dev.robustspec.spark;

import dev.robustspec.cli.WorkBackend;
import dev.robustspec.cli.WorkItem;
import dev.robustspec.cli.WorkResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One Spark session for one command. Items become an RDD with one partition each, so one task
 * per item; the job runs with {@code SparkContext.runJob} and a result handler, which Spark's
 * scheduler calls on the driver exactly once per partition however many attempts the task took
 * (a retried or rescheduled task's late duplicate is dropped by the scheduler), and the handler
 * hands the result to the command, which appends its row: no row is lost or written twice.
 */
final class SparkCluster implements WorkBackend.Session {
  /** {@code spark.task.maxFailures}' default on a cluster; local masters get it too. */
  static final int DEFAULT_MAX_FAILURES = 4;
  /** Test hook: {@code KEY@N;KEY@N}, the first N attempts of item KEY fail. */
  static final String FAIL_ATTEMPTS = "spark.robustspec.test.failAttempts";

  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,(\\d+))?\\])?");

  private final SparkSession session;
  private final int maxFailures;
  private final Map<String, Integer> failAttempts;
  private final boolean terminal;
  private final PrintWriter err;

  private SparkCluster(SparkSession session, int maxFailures, Map<String, Integer> failAttempts,
      boolean terminal, PrintWriter err) {
    this.session = session;
    this.maxFailures = maxFailures;
    this.failAttempts = failAttempts;
    this.terminal = terminal;
    this.err = err;
  }

  static SparkCluster start(String master, boolean terminal, PrintWriter err) {
    SparkConf conf = new SparkConf(); // with the spark.* system properties (spark-submit's)
    int maxFailures = conf.getInt("spark.task.maxFailures", DEFAULT_MAX_FAILURES);
    boolean local;
    if (master.equals("submit")) {
      if (!conf.contains("spark.master")) {
        throw new IllegalArgumentException("--spark submit takes the master from spark-submit"
            + " (--master), but none is set; name it: --spark spark://HOST:7077 or local[*]");
      }
      local = conf.get("spark.master").startsWith("local");
    } else {
      String m = localWithRetries(master, maxFailures);
      local = m != null;
      if (!local && !master.matches("(spark|yarn|k8s|mesos)(://.*)?")) {
        throw new IllegalArgumentException("--spark " + master + ": not a Spark master; use"
            + " local[N], local[*], spark://HOST:PORT, yarn or k8s://HOST:PORT");
      }
      conf.setMaster(local ? m : master);
      Matcher lm = local ? LOCAL.matcher(master) : null;
      if (lm != null && lm.matches() && lm.group(2) != null) {
        maxFailures = Integer.parseInt(lm.group(2));
      }
    }
    if (!conf.contains("spark.app.name")) {
      conf.setAppName("robustspec");
    }
    // our own progress line replaces Spark's console bar; the web UI stays on for clusters
    conf.set("spark.ui.showConsoleProgress", "false");
    if (local) {
      // everything is in this JVM: bind nothing beyond the loopback interface
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
    }
    if (!local && !conf.contains("spark.jars")) {
      // ./robustspec --spark spark://...: executors fetch this jar from the driver (under
      // spark-submit, the application jar is already set)
      String jar = ownJar();
      if (jar != null) {
        conf.set("spark.jars", jar);
      }
    }
    SparkSession session = SparkSession.builder().config(conf).getOrCreate();
    return new SparkCluster(session, maxFailures, parseFailAttempts(conf.get(FAIL_ATTEMPTS, "")),
        terminal, err);
  }

  /**
   * A local master with the cluster's retry count: {@code local[N]} alone lets a task fail only
   * once (Spark's local default), so it becomes {@code local[N,F]}; null when not local.
   */
  static String localWithRetries(String master, int maxFailures) {
    Matcher m = LOCAL.matcher(master);
    if (!m.matches()) {
      return null;
    }
    String threads = m.group(1) == null ? "1" : m.group(1);
    String failures = m.group(2) == null ? Integer.toString(maxFailures) : m.group(2);
    return "local[" + threads + "," + failures + "]";
  }

  /** The jar this class was loaded from, or null when it runs from a classes folder (tests). */
  private static String ownJar() {
    try {
      java.security.CodeSource source = SparkCluster.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      return p.toString().endsWith(".jar") ? p.toString() : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  static Map<String, Integer> parseFailAttempts(String text) {
    Map<String, Integer> map = new HashMap<>();
    for (String part : text.split(";")) {
      int at = part.lastIndexOf('@');
      if (at > 0) {
        map.put(part.substring(0, at), Integer.parseInt(part.substring(at + 1).strip()));
      }
    }
    return map;
  }

  int maxFailures() {
    return maxFailures;
  }

  SparkSession session() {
    return session;
  }

  @Override
  public void run(String jobName, List<? extends WorkItem> items,
      Consumer<WorkResult> onResult) {
    if (items.isEmpty()) {
      return;
    }
    SparkContext sc = session.sparkContext();
    List<WorkItem> list = new ArrayList<>(items);
    JavaRDD<WorkItem> rdd = JavaSparkContext.fromSparkContext(sc).parallelize(list, list.size());
    List<Object> partitions = new ArrayList<>();
    for (int p = 0; p < list.size(); p++) {
      partitions.add(p);
    }
    SparkProgress progress = new SparkProgress(list, terminal, err);
    sc.addSparkListener(progress);
    sc.setJobDescription(jobName + ": " + list.size() + " items");
    try {
      sc.runJob(rdd.rdd(), new ItemTask(maxFailures, failAttempts),
          CollectionConverters.asScala(partitions).toSeq(),
          new AbstractFunction2<Object, WorkResult, BoxedUnit>() {
            @Override
            public BoxedUnit apply(Object partition, WorkResult result) {
              onResult.accept(result);
              progress.finished(result);
              return BoxedUnit.UNIT;
            }
          }, ClassTag$.MODULE$.apply(WorkResult.class));
    } finally {
      sc.removeSparkListener(progress);
      progress.end();
    }
  }

  @Override
  public void writeTable(Path table, String header, List<String[]> rows) throws IOException {
    ParquetTables.write(session, table, header, rows);
  }

  @Override
  public List<String[]> readTable(Path table, String header) throws IOException {
    return ParquetTables.read(session, table, header);
  }

  @Override
  public void close() {
    session.stop();
  }
}
