package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caches are bounded in bytes: heavy values push out old ones, whatever their number. */
class WeighedLruTest {
  @Test
  void evictsTheLeastRecentlyUsedUntilUnderBudget() {
    WeighedLru<String, String> c = new WeighedLru<>(100, s -> s.length());
    c.put("a", "x".repeat(40));
    c.put("b", "x".repeat(40));
    assertNotNull(c.get("a")); // a is now the most recent
    c.put("c", "x".repeat(40)); // 120 > 100: b, the least recent, goes
    assertNull(c.get("b"));
    assertNotNull(c.get("a"));
    assertNotNull(c.get("c"));
    assertEquals(80, c.totalBytes());
    c.put("a", "x".repeat(10)); // replacing re-weighs
    assertEquals(50, c.totalBytes());
    c.remove("c");
    assertEquals(10, c.totalBytes());
  }

  @Test
  void aValueHeavierThanTheBudgetIsNotKept() {
    WeighedLru<String, String> c = new WeighedLru<>(100, s -> s.length());
    c.put("small", "x");
    c.put("huge", "x".repeat(101));
    assertNull(c.get("huge"));
    assertNotNull(c.get("small"));
  }

  @Test
  void aResultWithLayerBoundsWeighsItsArrays() {
    double[][] layers = new double[10][1000];
    VerificationResult r = new VerificationResult(new Verdict.Timeout(0), 1, new double[1],
        List.of(), List.of(new VerificationResult.RegionBounds(0, layers, layers)));
    long w = CacheWeights.of(new Documents.Finished(r, null, 1));
    assertTrue(w >= 2 * 10 * 1000 * 8 && w < 2 * 10 * 1000 * 8 + 2000, "weight " + w);
    // so the 64 MiB result cache holds about 400 of them, not 256 whatever their size
    WeighedLru<Integer, Documents.Finished> c =
        new WeighedLru<>(LanguageService.RESULT_CACHE_BYTES, CacheWeights::of);
    for (int i = 0; i < 1000; i++) {
      c.put(i, new Documents.Finished(r, null, 1));
    }
    assertTrue(c.totalBytes() <= LanguageService.RESULT_CACHE_BYTES);
    assertEquals(LanguageService.RESULT_CACHE_BYTES / w, c.size());
  }
}
