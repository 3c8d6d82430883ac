package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;

/**
 * Where a {@link WorkItem} gets its network: the local runner hands the one it read; a cluster's
 * executor keeps a cache, so that each process reads a network once, not once per item.
 */
public interface NetworkSource {
  Network network(NetworkFile file) throws InputFormatException;

  /** Reads the file every time (what a single local run does). */
  NetworkSource READ = NetworkFile::read;
}
