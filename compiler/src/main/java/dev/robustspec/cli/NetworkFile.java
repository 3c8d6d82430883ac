package dev.robustspec.cli;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A network file as the driver saw it: its absolute path and the SHA-256 of its bytes. The pair
 * is the key of an executor's cache, and the digest is checked when the file is read there, so a
 * node whose copy differs (or a file changed mid-run) gives a clear error, never another
 * network's verdicts.
 */
public record NetworkFile(String path, String sha256) implements Serializable {

  /** The file as it is now on this machine. */
  static NetworkFile of(Path file) throws InputFormatException {
    Path absolute = file.toAbsolutePath().normalize();
    return new NetworkFile(absolute.toString(), digest(absolute));
  }

  /** The file without its digest: read as it is when the item runs (a local run). */
  static NetworkFile unchecked(Path file) {
    return new NetworkFile(file.toAbsolutePath().normalize().toString(), null);
  }

  /** Reads the network, after checking that the file still has the driver's bytes. */
  public Network read() throws InputFormatException {
    Path file = Path.of(path);
    if (sha256 == null) {
      return Inputs.network(file);
    }
    String now = digest(file);
    if (!now.equals(sha256)) {
      throw new InputFormatException(file, "differs from the file the run started with (SHA-256 "
          + now.substring(0, 12) + "... here, " + sha256.substring(0, 12) + "... then): every"
          + " machine of a cluster must see the same network at the same path");
    }
    return Inputs.network(file);
  }

  static String digest(Path file) throws InputFormatException {
    if (!Files.isRegularFile(file)) {
      throw new InputFormatException(file, "no such file" + host() + " (on a cluster, networks"
          + " must be at the same path on every machine: see docs/spark.md)");
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read" + host() + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  static String host() {
    try {
      return " on " + java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }
}
