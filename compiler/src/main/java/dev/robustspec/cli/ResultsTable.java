package dev.robustspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The results CSV of a long command ({@code certify}, {@code batch}, {@code verify --out}),
 * written row by row and flushed as items finish, so that an interrupted run keeps every
 * finished row. With {@code resume}, the rows already in the file are read back and their keys
 * skipped; a last line without its newline (cut off mid-write) is dropped and its item run
 * again, so no row is lost or duplicated. Rows are also kept for the summary.
 */
final class ResultsTable implements AutoCloseable {
  private final String header;
  private final int[] keyColumns;
  private final List<String[]> rows = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();
  private final PrintWriter sink;
  private final boolean ownsSink;

  /**
   * Opens {@code file} (null: rows go to {@code stdout}); the fields at {@code keyColumns} of
   * each row are its key (certify: the index, or index and eps; batch: network and property).
   */
  ResultsTable(Path file, String header, int[] keyColumns, boolean resume, PrintWriter stdout)
      throws IOException {
    this.header = header;
    this.keyColumns = keyColumns;
    ownsSink = file != null;
    if (file == null) {
      sink = stdout;
      sink.println(header);
      sink.flush();
      return;
    }
    boolean append = false;
    if (resume && Files.isRegularFile(file) && Files.size(file) > 0) {
      readBack(file);
      append = true;
    }
    sink = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        append ? new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.APPEND}
            : new java.nio.file.OpenOption[0]));
    if (!append) {
      sink.println(header);
      sink.flush();
    }
  }

  private void readBack(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int complete = bytes.length;
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    if (complete == 0 || !lines[0].strip().equals(header)) {
      throw new IllegalArgumentException(file + ":1: --resume needs this command's results"
          + " file, whose first line is '" + header + "'; found '"
          + (lines.length > 0 ? lines[0].strip() : "") + "' (use another --out, or drop"
          + " --resume to start afresh)");
    }
    int width = header.split(",").length;
    for (int n = 1; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length != width) {
        throw new IllegalArgumentException(file + ":" + (n + 1) + ": expected " + width
            + " fields (" + header + "), found " + fields.length);
      }
      if (keys.add(key(fields))) {
        rows.add(fields);
      }
    }
    if (complete < bytes.length) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(complete); // the cut-off row is run again
      }
    }
  }

  private String key(String[] fields) {
    StringBuilder k = new StringBuilder();
    for (int c : keyColumns) {
      k.append(fields[c]).append('\u0000');
    }
    return k.toString();
  }

  /** True when the row whose key fields are these (in key-column order) is in the table. */
  synchronized boolean has(String... keyFields) {
    StringBuilder k = new StringBuilder();
    for (String f : keyFields) {
      k.append(f).append('\u0000');
    }
    return keys.contains(k.toString());
  }

  /** The number of rows (read back and written). */
  synchronized int size() {
    return rows.size();
  }

  /** Appends one row and flushes it to the file. */
  synchronized void add(String... fields) {
    rows.add(fields);
    keys.add(key(fields));
    if (sink != null) {
      sink.println(String.join(",", fields));
      sink.flush();
    }
  }

  /** Every row so far (read back and written), for the summary. */
  synchronized List<String[]> rows() {
    return List.copyOf(rows);
  }

  @Override
  public void close() {
    if (ownsSink) {
      sink.close();
    } else if (sink != null) {
      sink.flush();
    }
  }
}
