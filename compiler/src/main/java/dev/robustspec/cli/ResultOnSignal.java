package dev.robustspec.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a result file exactly once: the real result when the run finishes, or a fallback
 * ({@code unknown}) from a shutdown hook when the JVM is stopped first by SIGTERM or SIGINT
 * (issue 12: a killed {@code instance --result} left no file). Both paths take the same lock and
 * the first one wins, so a signal during the normal write cannot leave a torn or doubled file.
 */
final class ResultOnSignal {
  private final Path file;
  private final Thread hook;
  private boolean written; // guarded by this

  private ResultOnSignal(Path file, String fallback) {
    this.file = file;
    this.hook = new Thread(() -> write(fallback), "robustspec-result-on-signal");
  }

  /** Arms the fallback; a null file arms nothing. */
  static ResultOnSignal arm(Path file, String fallback) {
    ResultOnSignal r = new ResultOnSignal(file, fallback);
    if (file != null) {
      Runtime.getRuntime().addShutdownHook(r.hook);
    }
    return r;
  }

  /** Writes the real result (unless a signal's fallback was written first) and disarms. */
  void complete(String content) throws IOException {
    if (file == null) {
      return;
    }
    try {
      writeOrThrow(content);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now; it finds the file written and leaves it
      }
    }
  }

  private void write(String content) {
    try {
      writeOrThrow(content);
    } catch (IOException e) {
      System.err.println("robustspec: cannot write " + file + ": " + e.getMessage());
    }
  }

  private synchronized void writeOrThrow(String content) throws IOException {
    if (!written) {
      written = true;
      Files.writeString(file, content, StandardCharsets.UTF_8);
    }
  }
}
