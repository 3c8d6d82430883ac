package dev.robustspec.engine.io.dataset;

/** A dense array read from a binary file: its shape and its values in row-major order. */
record NumericArray(int[] shape, double[] values) {

  /** The number of values in one item: the product of every dimension but the first. */
  int itemSize() {
    int n = 1;
    for (int d = 1; d < shape.length; d++) {
      n *= shape[d];
    }
    return n;
  }

  /** The shape of one item (every dimension but the first), or {@code [1]} for a 1-D array. */
  int[] itemShape() {
    if (shape.length == 1) {
      return new int[] {1};
    }
    int[] s = new int[shape.length - 1];
    System.arraycopy(shape, 1, s, 0, s.length);
    return s;
  }
}
