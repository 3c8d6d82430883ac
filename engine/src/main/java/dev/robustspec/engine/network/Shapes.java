package dev.robustspec.engine.network;

/** Tensor shape helpers. */
public final class Shapes {
  private Shapes() {}

  /** Number of elements of a shape; a dimension of 0 or less counts as 1 (dynamic batch). */
  public static int size(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= Math.max(d, 1);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor too large");
      }
    }
    return (int) n;
  }

  /**
   * An ONNX shape as tables show it: without a leading batch dimension of 1 (or dynamic), so an
   * image is {@code (c, h, w)} and a vector {@code (n)}.
   */
  public static int[] withoutBatch(int[] shape) {
    if (shape.length >= 2 && shape[0] <= 1) {
      return java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }
    return shape.length == 0 ? new int[] {1} : shape.clone();
  }
}
