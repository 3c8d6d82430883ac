package dev.robustspec.engine.network;

/** Where a layer writes the numbers that identify it ({@link Layer#writeFingerprint}). */
public interface FingerprintSink {
  void numbers(double[] values);
}
