package dev.robustspec.engine.spec;

import java.util.List;

/**
 * One disjunct of a property's negation: the inputs in {@code region} whose outputs satisfy
 * every one of {@code constraints}. The property holds iff every unsafe case is empty.
 */
public record UnsafeCase(Box region, List<OutputConstraint> constraints) {

  public UnsafeCase {
    constraints = List.copyOf(constraints);
  }

  /** True when {@code x} is in the region and {@code y} meets every constraint (in double). */
  public boolean isViolatedBy(double[] x, double[] y) {
    if (!region.contains(x)) {
      return false;
    }
    for (OutputConstraint c : constraints) {
      if (!c.holdsAt(y)) {
        return false;
      }
    }
    return true;
  }
}
