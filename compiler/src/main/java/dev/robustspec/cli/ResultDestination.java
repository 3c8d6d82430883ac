package dev.robustspec.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any verification runs, that a file named by {@code --result} / {@code --out}
 * can be written: issue 12 saw {@code internal error: java.nio.file.NoSuchFileException} only
 * after the whole run. The check is of the path as it is now; writing can still fail later (a
 * full disk), which the writers report themselves.
 */
final class ResultDestination {
  private ResultDestination() {}

  /** Null when {@code file} can be created or overwritten, else what is wrong and what to do. */
  static String problem(Path file) {
    Path absolute = file.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return file + " is a directory; name a file in it, e.g. " + file.resolve("result.txt");
    }
    if (Files.exists(absolute)) {
      return Files.isWritable(absolute) ? null : file + " exists and is not writable";
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return "the directory " + parent + " of " + file + " does not exist; create it first";
    }
    return Files.isWritable(parent) ? null
        : "cannot create " + file + ": the directory " + parent + " is not writable";
  }
}
