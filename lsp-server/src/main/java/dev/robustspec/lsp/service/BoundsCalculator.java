package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.run.LayerBounds;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.base.BudgetExhaustedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a {@link BoundsTable}: interval and deeppoly (not lp: two LPs per neuron are too slow
 * for a hover; {@code robustspec bounds --pass lp} shows them), as {@link LayerBounds} (the engine's bound tables,
 * as {@code robustspec bounds} shows them) over the property's first input box, so each column
 * shows what that pass alone achieves.
 */
final class BoundsCalculator {
  static final List<LayerBounds.Pass> SHOWN = List.of(LayerBounds.Pass.INTERVAL,
      LayerBounds.Pass.DEEPPOLY);
  static final List<String> PASSES = SHOWN.stream().map(LayerBounds.Pass::word).toList();
  static final int SHOWN_NEURONS = 16;

  private BoundsCalculator() {}

  static BoundsTable compute(CompiledProperty p, Budget budget) {
    Network net = p.network();
    List<Box> regions = p.specification().regions();
    Map<String, String> notComputed = new LinkedHashMap<>();
    Map<String, BoundState> states = new LinkedHashMap<>();
    if (regions.isEmpty()) {
      for (String pass : PASSES) {
        notComputed.put(pass, "the property has no unsafe case, hence no input region");
      }
    } else {
      for (LayerBounds.Pass pass : SHOWN) {
        try {
          states.put(pass.word(), LayerBounds.compute(net, regions.get(0), pass, budget));
        } catch (BudgetExhaustedException e) {
          notComputed.put(pass.word(), "stopped: " + e.getMessage());
        }
      }
    }
    List<BoundsTable.LayerBounds> layers = new ArrayList<>();
    layers.add(new BoundsTable.LayerBounds(-1, "input", "input", net.inputSize(),
        columns(states, 0, false)));
    for (int k = 0; k < net.layers().size(); k++) {
      Layer l = net.layers().get(k);
      layers.add(new BoundsTable.LayerBounds(k, l.name(), l.kind(), l.outputSize(),
          columns(states, k + 1, l.isActivation())));
    }
    return new BoundsTable(p.name(), p.networkName(), PASSES, layers, notComputed);
  }


  private static Map<String, BoundsTable.PassBounds> columns(Map<String, BoundState> states,
      int index, boolean countOnInput) {
    Map<String, BoundsTable.PassBounds> out = new LinkedHashMap<>();
    for (Map.Entry<String, BoundState> e : states.entrySet()) {
      BoundState s = e.getValue();
      double[] lo = s.lower(index).clone();
      double[] hi = s.upper(index).clone();
      double[] countLo = countOnInput ? s.lower(index - 1) : lo;
      double[] countHi = countOnInput ? s.upper(index - 1) : hi;
      out.put(e.getKey(), summary(lo, hi, countLo, countHi));
    }
    return out;
  }

  static BoundsTable.PassBounds summary(double[] lo, double[] hi, double[] countLo,
      double[] countHi) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double width = 0;
    for (int i = 0; i < lo.length; i++) {
      min = Math.min(min, lo[i]);
      max = Math.max(max, hi[i]);
      width += hi[i] - lo[i];
    }
    int active = 0;
    int inactive = 0;
    for (int i = 0; i < countLo.length; i++) {
      if (countLo[i] >= 0) {
        active++;
      } else if (countHi[i] <= 0) {
        inactive++;
      }
    }
    List<BoundsTable.Interval> first = new ArrayList<>();
    for (int i = 0; i < Math.min(SHOWN_NEURONS, lo.length); i++) {
      first.add(new BoundsTable.Interval(lo[i], hi[i]));
    }
    return new BoundsTable.PassBounds(min, max, lo.length == 0 ? 0 : width / lo.length, active,
        inactive, countLo.length - active - inactive, first, lo, hi);
  }
}
