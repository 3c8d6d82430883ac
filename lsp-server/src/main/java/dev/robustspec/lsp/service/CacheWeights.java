package dev.robustspec.lsp.service;

import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verdict;

/** Estimated bytes of the cached values (arrays dominate; object headers are approximated). */
final class CacheWeights {
  private CacheWeights() {}

  static long of(Documents.Finished f) {
    long n = 64 + (f.error() == null ? 0 : 2L * f.error().length());
    VerificationResult r = f.result();
    if (r != null) {
      n += WeighedLru.doubles(r.caseMargins()) + 48L * r.passRuns().size();
      for (VerificationResult.RegionBounds b : r.bounds()) {
        n += 32 + WeighedLru.doubles(b.lower()) + WeighedLru.doubles(b.upper());
      }
      if (r.verdict() instanceof Verdict.Falsified x) {
        n += WeighedLru.doubles(x.input()) + WeighedLru.doubles(x.output());
      }
    }
    return n;
  }

  static long of(BoundsTable t) {
    long n = 64 + WeighedLru.strings(t.passes());
    for (BoundsTable.LayerBounds l : t.layers()) {
      n += 64;
      for (BoundsTable.PassBounds p : l.bounds().values()) {
        n += 64 + 32L * p.neurons().size() + WeighedLru.doubles(p.lower())
            + WeighedLru.doubles(p.upper());
      }
    }
    return n;
  }
}
