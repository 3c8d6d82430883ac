package dev.robustspec.cli;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Specification;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@code .rspec} file as the driver compiled it, for the executors of a cluster: its absolute
 * path, the SHA-256 of its text, and the SHA-256 of every file its compilation read through the
 * {@link FileLoader} (networks, VNN-LIB properties, CSV points), by absolute path. An executor
 * compiles the file again ({@link NetworkSource#compilation}, once per param values) and checks
 * every digest, so a node whose copy of any of them differs gives a clear error, never another
 * file's verdicts. (A data set's items are checked item by item: {@link PropertyItem}.)
 */
public record RspecFile(String path, String sha256, Map<String, String> inputs)
    implements Serializable {

  public RspecFile {
    inputs = Map.copyOf(inputs);
  }

  /** The file the driver compiled from {@code text}, having read {@code loader}'s files. */
  static RspecFile of(Path file, String text, Digesting loader) {
    return new RspecFile(file.toAbsolutePath().normalize().toString(), digest(text),
        loader.digests());
  }

  /**
   * Compiles the file with {@code params} overriding its param declarations, the networks it
   * names coming from {@code networks}, after checking that it and every file it reads have
   * the driver's bytes.
   */
  public Compilation compile(Map<String, Double> params, NetworkSource networks)
      throws InputFormatException {
    Path file = Path.of(path);
    String text;
    try {
      text = dev.robustspec.engine.io.Utf8Text.read(file);
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read" + NetworkFile.host() + ": "
          + e.getMessage() + " (on a cluster, the .rspec file and what it names must be at the"
          + " same path on every machine: see docs/spark.md)");
    }
    if (!digest(text).equals(sha256)) {
      throw changed(file);
    }
    Digesting loader = new Digesting(networks);
    Compilation c = Checker.compile(file.toString(), text, file.getParent(), loader, params);
    for (Map.Entry<String, String> read : loader.digests().entrySet()) {
      if (!read.getValue().equals(inputs.get(read.getKey()))) {
        throw changed(Path.of(read.getKey()));
      }
    }
    return c;
  }

  private static InputFormatException changed(Path file) {
    return new InputFormatException(file, "differs" + NetworkFile.host() + " from the file the"
        + " run started with: every machine of a cluster must see the same files at the same"
        + " paths");
  }

  static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /**
   * Reads what a {@code .rspec} file names as {@link FileLoader#direct} does, networks through a
   * {@link NetworkSource} (an executor's cache), noting each file's SHA-256.
   */
  static final class Digesting implements FileLoader {
    private final NetworkSource networks;
    private final FileLoader direct = FileLoader.direct();
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    Digesting(NetworkSource networks) {
      this.networks = networks;
    }

    /** Absolute path to SHA-256 of every file read so far. */
    Map<String, String> digests() {
      return new TreeMap<>(digests);
    }

    /** The file's digest noted; null when it is not a file (the reader then says so). */
    private NetworkFile note(Path file) throws InputFormatException {
      if (!java.nio.file.Files.isRegularFile(file)) {
        return null;
      }
      NetworkFile f = NetworkFile.of(file);
      digests.put(f.path(), f.sha256());
      return f;
    }

    @Override
    public Network onnx(Path file) throws InputFormatException {
      NetworkFile f = note(file);
      return f != null && f.path().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")
          ? networks.network(f) : direct.onnx(file);
    }

    @Override
    public Network nnet(Path file) throws InputFormatException {
      note(file);
      return direct.nnet(file);
    }

    @Override
    public Specification vnnlib(Path file) throws InputFormatException {
      note(file);
      return direct.vnnlib(file);
    }

    @Override
    public double[] csv(Path file) throws InputFormatException {
      note(file);
      return direct.csv(file);
    }
  }
}
