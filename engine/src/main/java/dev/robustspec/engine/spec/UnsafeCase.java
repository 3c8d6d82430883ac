package dev.robustspec.engine.spec;

import java.util.List;

/**
 * One disjunct of a property's negation: the inputs in {@code region} that also satisfy every
 * {@code inputConstraints} row (a general input polytope; none for plain boxes) and whose
 * outputs satisfy every one of {@code constraints}. The property holds iff every unsafe case is
 * empty.
 *
 * <p>{@code region} always contains the polytope (it is its sound bounding box), so a pass that
 * only looks at the region over-approximates the case: proving the region's case empty proves
 * this one empty. Passes that can use linear rows (LP) may add {@code inputConstraints}.
 */
public record UnsafeCase(Box region, List<OutputConstraint> constraints,
    List<InputConstraint> inputConstraints) {

  public UnsafeCase {
    constraints = List.copyOf(constraints);
    inputConstraints = List.copyOf(inputConstraints);
    for (InputConstraint c : inputConstraints) {
      if (c.coefficients().length != region.dimension()) {
        throw new IllegalArgumentException("an input constraint has the wrong dimension");
      }
    }
  }

  /** A case over a plain box (no input constraints beside it). */
  public UnsafeCase(Box region, List<OutputConstraint> constraints) {
    this(region, constraints, List.of());
  }

  /**
   * True when {@code x} is in the region, satisfies every input constraint (exactly) and
   * {@code y} meets every output constraint, closed, in double. A cheap pre-filter for the
   * searches: only {@code search.CounterexampleCheck} confirms a counterexample.
   */
  public boolean isViolatedBy(double[] x, double[] y) {
    if (!region.contains(x)) {
      return false;
    }
    for (InputConstraint c : inputConstraints) {
      if (!c.holdsExactlyAt(x)) {
        return false;
      }
    }
    for (OutputConstraint c : constraints) {
      if (!c.holdsAt(y)) {
        return false;
      }
    }
    return true;
  }
}
