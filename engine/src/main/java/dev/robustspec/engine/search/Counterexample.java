package dev.robustspec.engine.search;

/**
 * A concrete input that violates the property, with the network's double-precision output on it
 * and the index of the unsafe case it falls into. Only built after that output was recomputed and
 * checked ({@link dev.robustspec.engine.spec.UnsafeCase#isViolatedBy}).
 */
public record Counterexample(double[] input, double[] output, int caseIndex) {}
