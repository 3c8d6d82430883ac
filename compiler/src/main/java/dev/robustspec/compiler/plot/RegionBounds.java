package dev.robustspec.compiler.plot;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.run.LayerBounds;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.UnsafeCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One distinct input box of a plotted property: its first unsafe case, how many unsafe cases
 * share the box, and the box's interval and DeepPoly bounds, which both plots start from.
 */
record RegionBounds(UnsafeCase regionCase, int cases, BoundState interval,
    BoundState deeppoly) {

  /** The property's distinct input boxes, in the order of their first unsafe case. */
  static List<RegionBounds> of(CompiledProperty p, Budget budget) {
    Map<Box, List<UnsafeCase>> byRegion = new LinkedHashMap<>();
    for (UnsafeCase uc : p.specification().cases()) {
      byRegion.computeIfAbsent(uc.region(), b -> new ArrayList<>()).add(uc);
    }
    List<RegionBounds> out = new ArrayList<>();
    for (List<UnsafeCase> cases : byRegion.values()) {
      Box box = cases.get(0).region();
      BoundState interval =
          LayerBounds.compute(p.network(), box, LayerBounds.Pass.INTERVAL, budget);
      BoundState deeppoly =
          LayerBounds.compute(p.network(), box, LayerBounds.Pass.DEEPPOLY, budget);
      out.add(new RegionBounds(cases.get(0), cases.size(), interval, deeppoly));
    }
    return out;
  }
}
