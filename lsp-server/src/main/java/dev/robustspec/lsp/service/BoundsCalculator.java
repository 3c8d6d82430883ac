package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.NodeView;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.run.LayerBounds;
import dev.robustspec.engine.run.NodeBounds;
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
    List<NodeView> views = new ArrayList<>();
    views.add(net.inputView());
    views.addAll(net.views());
    for (int k = 0; k < views.size(); k++) {
      NodeView v = views.get(k);
      layers.add(new BoundsTable.LayerBounds(k - 1, v.name(), v.kind(), v.size(), v.shape(),
          columns(states, v)));
    }
    return new BoundsTable(p.name(), p.networkName(), PASSES, layers, notComputed);
  }

  private static Map<String, BoundsTable.PassBounds> columns(Map<String, BoundState> states,
      NodeView view) {
    Map<String, BoundsTable.PassBounds> out = new LinkedHashMap<>();
    for (Map.Entry<String, BoundState> e : states.entrySet()) {
      BoundState s = e.getValue();
      if (view.boundIndex() == 0) { // the input: its own bounds, counted on themselves
        double[] lo = s.lower(0).clone();
        double[] hi = s.upper(0).clone();
        out.put(e.getKey(), summary(new NodeBounds(view, lo, hi, lo, hi)));
      } else {
        out.put(e.getKey(), summary(NodeBounds.of(view, s)));
      }
    }
    return out;
  }

  static BoundsTable.PassBounds summary(NodeBounds b) {
    NodeBounds.Summary all = b.summary();
    double[] lo = b.lower();
    double[] hi = b.upper();
    List<BoundsTable.Interval> first = new ArrayList<>();
    for (int i = 0; i < Math.min(SHOWN_NEURONS, lo.length); i++) {
      first.add(new BoundsTable.Interval(lo[i], hi[i]));
    }
    return new BoundsTable.PassBounds(all.min(), all.max(), all.meanWidth(), all.active(),
        all.dead(), all.unstable(), first, lo, hi, b.channels());
  }
}
