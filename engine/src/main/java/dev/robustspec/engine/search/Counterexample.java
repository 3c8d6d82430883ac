package dev.robustspec.engine.search;

/**
 * A concrete input that violates the property, with the network's double-precision output on it,
 * the index of the unsafe case it falls into, and what confirmed it. Only built by
 * {@link CounterexampleCheck}, after the violation was confirmed in real arithmetic.
 */
public record Counterexample(double[] input, double[] output, int caseIndex,
    CounterexampleCheck.Confirmation check) {}
