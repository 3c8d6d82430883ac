package dev.robustspec.engine.io.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Labelled items read from a data-set file, values as stored (before any scaling or
 * normalisation). {@code itemShape} is each item's shape (e.g. {@code [28, 28]} or
 * {@code [32, 32, 3]}), or {@code [n]} when the file gives none.
 */
public record Dataset(Path source, int[] itemShape, List<Item> items) {

  public Dataset {
    itemShape = itemShape.clone();
    items = List.copyOf(items);
  }

  /** One item: its 0-based row in the file, its label and its values in row-major order. */
  public record Item(int index, int label, double[] values) {}

  /** The number of values per item. */
  public int itemSize() {
    int n = 1;
    for (int d : itemShape) {
      n *= d;
    }
    return n;
  }
}
