package dev.robustspec.compiler.plot;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.Optional;

/**
 * One more series of the widths plot beyond interval and DeepPoly (e.g. the triangle LP's
 * bounds): the bounds of every value of the network under a pass.
 */
public interface WidthSeries {

  /** The legend label, e.g. {@code "lp"}; also the {@code data-series} in the SVG. */
  String label();

  /**
   * Bounds of every value under this pass, indexed like {@link BoundState} (index k+1 = output
   * of layer k).
   *
   * @param net the property's network
   * @param start a private copy of the DeepPoly (all neurons) bounds on
   *     {@code regionCase.region()}, which the implementation may tighten and return
   * @param regionCase the unsafe case whose region is plotted (its constraints do not restrict
   *     the bounds)
   * @param budget checked in long loops; an exhausted budget ends the whole plot
   * @return the tightened bounds, or empty when the pass does not apply to this network
   */
  Optional<BoundState> bounds(Network net, BoundState start, UnsafeCase regionCase,
      Budget budget);
}
