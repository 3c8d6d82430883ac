package dev.robustspec.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CSV file written one row at a time and flushed after each, so that the rows finished so far
 * survive a SIGTERM, SIGINT or crash of a long {@code batch --out} (issue 12). A null path writes
 * nothing.
 */
final class StreamedRows implements AutoCloseable {
  private final BufferedWriter out;

  private StreamedRows(BufferedWriter out) {
    this.out = out;
  }

  static StreamedRows open(Path file, String header) throws IOException {
    if (file == null) {
      return new StreamedRows(null);
    }
    StreamedRows rows = new StreamedRows(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    rows.row(header);
    return rows;
  }

  /** Appends one line (a line break is added) and flushes it to the file. */
  synchronized void row(String line) throws IOException {
    if (out != null) {
      out.write(line);
      out.write('\n');
      out.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
