package dev.robustspec.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1 from the test class path: a
 * {@code org.apache.spark.deploy.master.Master} and workers
 * ({@code org.apache.spark.deploy.worker.Worker}), each a separate JVM. The workers start their
 * executors with {@code SPARK_HOME/jars/*}: a folder of links to the class path's jars stands in
 * for a Spark installation; the class path's folders (this build's classes) go to the executors
 * through {@code spark.executor.extraClassPath}.
 */
final class StandaloneCluster implements AutoCloseable {
  final int port;
  final Path home;
  final String classFolders;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();

  StandaloneCluster(Path dir, int workerCount) throws Exception {
    // outside the test's temporary folder, whose clean-up would warn about every link
    home = SparkRuns.ROOT.resolve("spark/target/test-spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    List<String> folders = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        folders.add(p.toString());
      } else if (entry.endsWith(".jar") && Files.exists(p)) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    classFolders = String.join(File.pathSeparator, folders);
    port = freePort();
    master = start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port",
        Integer.toString(freePort()));
    waitForPort(port, 90);
    for (int w = 0; w < workerCount; w++) {
      Path work = Files.createDirectories(dir.resolve("worker" + w));
      workers.add(start(dir.resolve("worker" + w + ".log"),
          "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
          "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
          work.toString(), url()));
    }
  }

  String url() {
    return "spark://127.0.0.1:" + port;
  }

  private Process start(Path log, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Kills worker {@code w} and the executor it started (SIGKILL: a machine lost). */
  void killWorker(int w) {
    Process p = workers.get(w);
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  boolean workerAlive(int w) {
    return workers.get(w).isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process w : workers) {
      w.descendants().forEach(ProcessHandle::destroyForcibly);
      w.destroyForcibly();
    }
    master.destroyForcibly();
    for (Process w : workers) {
      w.waitFor(20, TimeUnit.SECONDS);
    }
    master.waitFor(20, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void waitForPort(int p, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      if (!master.isAlive()) {
        throw new IllegalStateException("the Spark master exited: " + master.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", p), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(300);
      }
    }
    throw new IllegalStateException("the Spark master did not listen on " + p + " within "
        + seconds + " s");
  }
}
