package dev.robustspec.spark;

import dev.robustspec.cli.NetworkFile;
import dev.robustspec.cli.NetworkSource;
import dev.robustspec.cli.RspecFile;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The networks of one executor JVM, each read once however many tasks use it: keyed by path and
 * content digest ({@link NetworkFile}), so a changed file is a new key (and an error where the
 * driver's digest no longer matches). This is deliberately the one piece of per-process state of
 * the back end: Spark runs many tasks in one executor JVM and a task cannot hold anything between
 * items. A network is immutable, so tasks share it; two tasks missing it at once read it once
 * (the second waits). The same holds for the {@code .rspec} files of {@code verify}: each is
 * compiled once per param values ({@link RspecFile}: path and digests, so a changed file is a
 * new key too), its networks read through this cache.
 */
public final class ExecutorNetworks implements NetworkSource {
  static final ExecutorNetworks SHARED = new ExecutorNetworks();

  private final ConcurrentHashMap<NetworkFile, Network> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<NetworkFile, Object> locks = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final ConcurrentHashMap<Compiled, Compilation> compilations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Compiled, Object> compiling = new ConcurrentHashMap<>();
  private final AtomicInteger compiles = new AtomicInteger();

  /** A file with the param values it is compiled with. */
  private record Compiled(RspecFile file, Map<String, Double> params) {}

  @Override
  public Network network(NetworkFile file) throws InputFormatException {
    Network net = cache.get(file);
    if (net != null) {
      return net;
    }
    synchronized (locks.computeIfAbsent(file, f -> new Object())) {
      net = cache.get(file);
      if (net == null) {
        net = file.read();
        reads.incrementAndGet();
        cache.put(file, net);
      }
      return net;
    }
  }

  @Override
  public Compilation compilation(RspecFile file, Map<String, Double> params)
      throws InputFormatException {
    Compiled key = new Compiled(file, Map.copyOf(params));
    Compilation c = compilations.get(key);
    if (c != null) {
      return c;
    }
    synchronized (compiling.computeIfAbsent(key, k -> new Object())) {
      c = compilations.get(key);
      if (c == null) {
        c = file.compile(params, this);
        compiles.incrementAndGet();
        compilations.put(key, c);
      }
      return c;
    }
  }

  /** How many times this JVM has compiled a .rspec file (tests: once per file and params). */
  public static int compilesSoFar() {
    return SHARED.compiles.get();
  }

  /** How many network files this JVM has read so far (tests: once per network, not per item). */
  public static int readsSoFar() {
    return SHARED.reads.get();
  }
}
