package dev.robustspec.cli;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import java.util.Map;

/**
 * Where a {@link WorkItem} gets its network, and a {@code verify} item its compiled
 * {@code .rspec} file: the local runner hands the one it read; a cluster's executor keeps a
 * cache, so that each process reads a network (compiles a file) once, not once per item.
 */
public interface NetworkSource {
  Network network(NetworkFile file) throws InputFormatException;

  /** {@code file} compiled with these param values; here: compiled every time. */
  default Compilation compilation(RspecFile file, Map<String, Double> params)
      throws InputFormatException {
    return file.compile(params, this);
  }

  /** Reads the file every time (what a single local run does). */
  NetworkSource READ = NetworkFile::read;
}
