package dev.robustspec.engine.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the engine verifies: a property over a network with {@code inputSize} inputs and
 * {@code outputSize} outputs, given by its negation as a disjunction of {@link UnsafeCase}s.
 * Both the VNN-LIB reader and the {@code .rspec} compiler produce this one form.
 */
public record Specification(int inputSize, int outputSize, List<UnsafeCase> cases) {

  public Specification {
    cases = List.copyOf(cases);
    for (UnsafeCase c : cases) {
      if (c.region().dimension() != inputSize) {
        throw new IllegalArgumentException("an unsafe case's region has the wrong dimension");
      }
      for (OutputConstraint oc : c.constraints()) {
        if (oc.coefficients().length != outputSize) {
          throw new IllegalArgumentException("an output constraint has the wrong dimension");
        }
      }
    }
  }

  /** The distinct input regions, in order of first appearance. */
  public List<Box> regions() {
    return new ArrayList<>(new LinkedHashSet<>(cases.stream().map(UnsafeCase::region).toList()));
  }
}
