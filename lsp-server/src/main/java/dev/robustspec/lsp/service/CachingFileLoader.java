package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Specification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link FileLoader} for the editor, which recompiles on every pause in typing: a file is read
 * and parsed again only when its content changed. Entries are found by (path, size, modification
 * time) and identified by the SHA-256 of the bytes, which also keys the verdict cache
 * ({@link #contentHash(Network)}), so an edited network file re-runs exactly the properties on it.
 * Failures are not cached (a missing file may appear). At most {@value #CAPACITY} files are kept.
 */
public final class CachingFileLoader implements FileLoader {
  static final int CAPACITY = 32;

  private record Stamp(String path, long size, long modified) {}

  private record Entry(String sha256, Object value) {}

  private final FileLoader direct = FileLoader.direct();
  private final Map<Stamp, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Stamp, Entry> eldest) {
      return size() > CAPACITY;
    }
  };

  @Override
  public Network onnx(Path file) throws InputFormatException {
    return (Network) load(file, "onnx", () -> direct.onnx(file));
  }

  @Override
  public Network nnet(Path file) throws InputFormatException {
    return (Network) load(file, "nnet", () -> direct.nnet(file));
  }

  @Override
  public Specification vnnlib(Path file) throws InputFormatException {
    return (Specification) load(file, "vnnlib", () -> direct.vnnlib(file));
  }

  @Override
  public double[] csv(Path file) throws InputFormatException {
    return ((double[]) load(file, "csv", () -> direct.csv(file))).clone();
  }

  /** The SHA-256 of the file a network was read from, or null for a network not read here. */
  public synchronized String contentHash(Network network) {
    for (Entry e : entries.values()) {
      if (e.value == network) {
        return e.sha256;
      }
    }
    return null;
  }

  /** Number of files held (tests check the bound). */
  public synchronized int size() {
    return entries.size();
  }

  private interface Reader {
    Object read() throws InputFormatException;
  }

  private Object load(Path file, String kind, Reader reader) throws InputFormatException {
    Stamp stamp;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      stamp = new Stamp(kind + ":" + file.toAbsolutePath().normalize(), a.size(),
          a.lastModifiedTime().toMillis());
    } catch (IOException | RuntimeException e) {
      return reader.read(); // the direct reader names the problem (no such file, unreadable)
    }
    synchronized (this) {
      Entry e = entries.get(stamp);
      if (e != null) {
        return e.value;
      }
    }
    String sha;
    try {
      sha = sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      return reader.read();
    }
    synchronized (this) {
      // same bytes under a new stamp (touched, or copied back): keep the parsed value
      for (Map.Entry<Stamp, Entry> old : entries.entrySet()) {
        if (old.getKey().path().equals(stamp.path()) && old.getValue().sha256.equals(sha)) {
          Entry same = old.getValue();
          entries.put(stamp, same);
          return same.value;
        }
      }
    }
    Object value = reader.read();
    synchronized (this) {
      entries.keySet().removeIf(s -> s.path().equals(stamp.path()));
      entries.put(stamp, new Entry(sha, value));
    }
    return value;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
