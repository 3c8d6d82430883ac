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
}
