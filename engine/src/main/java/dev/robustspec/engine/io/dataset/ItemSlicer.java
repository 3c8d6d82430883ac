package dev.robustspec.engine.io.dataset;

import dev.robustspec.engine.io.InputFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Cuts an {@code (N, ...)} array and N labels into items, keeping the rows asked for. */
final class ItemSlicer {
  private ItemSlicer() {}

  static Dataset slice(Path data, NumericArray images, Path labelsFile, double[] labels,
      RowRange rows) throws InputFormatException {
    int n = images.shape()[0];
    if (labels.length != n) {
      throw new InputFormatException(labelsFile, "has " + labels.length + " labels but "
          + data + " has " + n + " items");
    }
    if (rows != RowRange.ALL && rows.last() >= n) {
      throw new InputFormatException(data, "rows " + rows.first() + ".." + rows.last()
          + " asked for, but the file has rows 0.." + (n - 1));
    }
    int size = images.itemSize();
    List<Dataset.Item> items = new ArrayList<>();
    for (int r = rows.first(); r <= Math.min(rows.last(), n - 1); r++) {
      double[] values = new double[size];
      System.arraycopy(images.values(), r * size, values, 0, size);
      int label = DatasetReader.label(labels[r], labelsFile, 0, "label " + r);
      items.add(new Dataset.Item(r, label, values));
    }
    return new Dataset(data, images.itemShape(), items);
  }
}
