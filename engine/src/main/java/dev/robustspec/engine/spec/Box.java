package dev.robustspec.engine.spec;

import java.util.Arrays;

/** An axis-aligned box {@code lower[i] <= x[i] <= upper[i]}. */
public record Box(double[] lower, double[] upper) {

  public Box {
    if (lower.length != upper.length) {
      throw new IllegalArgumentException("box bounds of different lengths");
    }
    for (int i = 0; i < lower.length; i++) {
      if (Double.isNaN(lower[i]) || Double.isNaN(upper[i])) {
        throw new IllegalArgumentException("box bound " + i + " is NaN");
      }
    }
  }

  public int dimension() {
    return lower.length;
  }

  /** True when some dimension has lower > upper (the box holds no point). */
  public boolean isEmpty() {
    for (int i = 0; i < lower.length; i++) {
      if (lower[i] > upper[i]) {
        return true;
      }
    }
    return false;
  }

  public boolean contains(double[] x) {
    if (x.length != lower.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] >= lower[i] && x[i] <= upper[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Box b && Arrays.equals(b.lower, lower) && Arrays.equals(b.upper, upper);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(lower) * 31 + Arrays.hashCode(upper);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Box[");
    for (int i = 0; i < lower.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('[').append(lower[i]).append(", ").append(upper[i]).append(']');
    }
    return sb.append(']').toString();
  }
}
