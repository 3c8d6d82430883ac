package dev.robustspec.engine.io.dataset;

import dev.robustspec.engine.io.InputFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads a labelled data set, choosing the format by the file name: {@code .csv} (label column,
 * then the values), {@code .npy} (NumPy array, labels from a second file), IDX (the MNIST
 * format: {@code *-ubyte} or {@code .idx*}, labels from a second IDX file).
 */
public final class DatasetReader {
  private DatasetReader() {}

  /** What to read: the files, the item shape (null: from the file) and the rows. */
  public record Request(Path data, Path labels, int[] shape, RowRange rows) {
    public Request {
      rows = rows == null ? RowRange.ALL : rows;
      shape = shape == null ? null : shape.clone();
    }
  }

  public static Dataset read(Request request) throws InputFormatException {
    Path data = request.data();
    requireReadable(data);
    if (request.labels() != null) {
      requireReadable(request.labels());
    }
    String name = data.getFileName().toString().toLowerCase(Locale.ROOT);
    Dataset read;
    if (name.endsWith(".csv")) {
      if (request.labels() != null) {
        throw new InputFormatException(request.labels(),
            "a CSV data set carries its labels in its first column: drop --labels");
      }
      read = CsvDatasetReader.read(data, request.rows());
    } else if (name.endsWith(".npy")) {
      read = NpyDatasetReader.read(data, labels(request, "a .npy of integer labels or a text"
          + " file with one label a line"), request.rows());
    } else if (name.contains("-ubyte") || name.contains(".idx")) {
      read = IdxReader.readDataset(data, labels(request, "the IDX labels file"
          + " (e.g. t10k-labels-idx1-ubyte)"), request.rows());
    } else {
      throw new InputFormatException(data, "unknown data-set format: expected a .csv, a .npy"
          + " or an IDX file (*-ubyte, *.idx3)");
    }
    return request.shape() == null ? read : reshape(read, request.shape());
  }

  private static Path labels(Request request, String what) throws InputFormatException {
    if (request.labels() == null) {
      throw new InputFormatException(request.data(), "this format keeps the labels in another"
          + " file: give it with --labels (" + what + ")");
    }
    return request.labels();
  }

  private static Dataset reshape(Dataset d, int[] shape) throws InputFormatException {
    int n = 1;
    for (int s : shape) {
      if (s <= 0) {
        throw new InputFormatException(d.source(), "shape dimensions must be positive");
      }
      n *= s;
    }
    if (n != d.itemSize()) {
      throw new InputFormatException(d.source(), "items have " + d.itemSize()
          + " values, which does not fit the shape " + java.util.Arrays.toString(shape)
          + " (" + n + " values)");
    }
    return new Dataset(d.source(), shape, d.items());
  }

  static void requireReadable(Path file) throws InputFormatException {
    if (!Files.exists(file)) {
      throw new InputFormatException(file, "no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InputFormatException(file, "not a readable file");
    }
  }

  /** A label must be a whole number from 0: shared by every format's label check. */
  static int label(double value, Path file, int line, String where) throws InputFormatException {
    if (!(value >= 0) || value != Math.rint(value) || value > Integer.MAX_VALUE) {
      throw new InputFormatException(file, line, 0, where + ": label " + value
          + " is not a whole number >= 0");
    }
    return (int) value;
  }

  static Dataset of(Path file, int[] shape, List<Dataset.Item> items) {
    return new Dataset(file, shape, items);
  }
}
