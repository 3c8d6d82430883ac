package dev.robustspec.lsp.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded by the estimated bytes of its values, not their number:
 * one verification result of a large network (bounds at every layer of every region) can weigh
 * megabytes where another weighs bytes, and counting entries let the server grow to 1.7 GB
 * (issue 12). A value heavier than the whole budget is not kept. Not thread-safe: callers lock.
 */
final class WeighedLru<K, V> {
  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<K, Long> weights = new java.util.HashMap<>();
  private final ToLongFunction<V> weigher;
  private final long capacityBytes;
  private long totalBytes;

  WeighedLru(long capacityBytes, ToLongFunction<V> weigher) {
    this.capacityBytes = capacityBytes;
    this.weigher = weigher;
  }

  V get(K key) {
    return entries.get(key);
  }

  void put(K key, V value) {
    remove(key);
    long w = Math.max(1, weigher.applyAsLong(value));
    if (w > capacityBytes) {
      return;
    }
    entries.put(key, value);
    weights.put(key, w);
    totalBytes += w;
    Iterator<Map.Entry<K, V>> eldest = entries.entrySet().iterator();
    while (totalBytes > capacityBytes && eldest.hasNext()) {
      K k = eldest.next().getKey();
      eldest.remove();
      totalBytes -= weights.remove(k);
    }
  }

  V remove(K key) {
    V old = entries.remove(key);
    Long w = weights.remove(key);
    if (w != null) {
      totalBytes -= w;
    }
    return old;
  }

  int size() {
    return entries.size();
  }

  long totalBytes() {
    return totalBytes;
  }

  /** A rough size of {@code double} data: 8 bytes a value plus a 16-byte array header. */
  static long doubles(double[] a) {
    return a == null ? 0 : 16 + 8L * a.length;
  }

  static long doubles(double[][] a) {
    long n = a == null ? 0 : 16 + 8L * a.length;
    if (a != null) {
      for (double[] row : a) {
        n += doubles(row);
      }
    }
    return n;
  }

  static long strings(List<String> names) {
    return names.stream().mapToLong(s -> 40 + 2L * s.length()).sum();
  }
}
