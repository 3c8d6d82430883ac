package dev.robustspec.engine.io.dataset;

import dev.robustspec.engine.io.InputFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A data set as a NumPy array of shape {@code (N, ...)} (one item per first index) and its N
 * labels: a 1-D integer {@code .npy}, or a text file with one label a line.
 */
final class NpyDatasetReader {
  private NpyDatasetReader() {}

  static Dataset read(Path data, Path labelsFile, RowRange rows) throws InputFormatException {
    NumericArray images = NpyReader.read(data);
    if (images.shape().length < 2) {
      throw new InputFormatException(data, "expected an array of shape (N, ...) with one item"
          + " per first index, got shape " + java.util.Arrays.toString(images.shape()));
    }
    double[] labels = labels(labelsFile);
    return ItemSlicer.slice(data, images, labelsFile, labels, rows);
  }

  /** The labels: from a .npy (any shape with N values) or a text file, one a line. */
  static double[] labels(Path file) throws InputFormatException {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      return NpyReader.read(file).values();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read as text with one label a line: "
          + e.getMessage());
    }
    List<Double> values = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String t = lines.get(n).strip();
      if (t.isEmpty()) {
        continue;
      }
      try {
        values.add((double) Integer.parseInt(t));
      } catch (NumberFormatException e) {
        throw new InputFormatException(file, n + 1, 1, "'" + t + "' is not a whole-number label");
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
