package dev.robustspec.engine.io;

import java.nio.file.Path;

/**
 * A file that cannot be read as what it claims to be. The message names the file, where in it
 * (line and column for text formats, 0 when unknown) and what is wrong.
 */
public final class InputFormatException extends Exception {
  private final Path file;
  private final int line;
  private final int column;
  private final String problem;

  public InputFormatException(Path file, int line, int column, String problem) {
    super(format(file, line, column, problem));
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** For binary formats, where there is no line: the message names the file and the problem. */
  public InputFormatException(Path file, String problem) {
    this(file, 0, 0, problem);
  }

  private static String format(Path file, int line, int column, String problem) {
    String where = file == null ? "<input>" : file.toString();
    if (line > 0) {
      where += ":" + line + (column > 0 ? ":" + column : "");
    }
    return where + ": " + problem;
  }

  public Path file() {
    return file;
  }

  /** 1-based line, or 0 for binary formats. */
  public int line() {
    return line;
  }

  /** 1-based column, or 0 when unknown. */
  public int column() {
    return column;
  }

  /** The problem alone, without the location. */
  public String problem() {
    return problem;
  }
}
