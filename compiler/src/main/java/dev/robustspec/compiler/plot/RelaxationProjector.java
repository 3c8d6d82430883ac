package dev.robustspec.compiler.plot;

import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import java.util.Optional;

/**
 * A relaxation drawn in the neuron-pair plot beyond the boxes {@link PlotService} computes
 * itself (e.g. the triangle LP or k-ReLU constraints projected onto two neurons).
 *
 * <p>Contract: the returned polygon must contain the values of the two neurons for every input of
 * {@code regionCase.region()} (the output constraints of the case do not restrict it: the
 * sampled points drawn with it come from the whole region). It is an outer polygon in the plane's
 * data coordinates; {@link PlotService} draws the convex hull of its vertices, and of the
 * polygons of several regions when the property has several input boxes.
 */
public interface RelaxationProjector {

  /** The legend label, e.g. {@code "triangle (LP)"}; also the {@code data-series} in the SVG. */
  String label();

  /**
   * The relaxation's set of (value of neuron i, value of neuron j).
   *
   * @param net the property's network
   * @param state bounds of {@code net} on {@code regionCase.region()} after interval and
   *     DeepPoly (all neurons); read-only
   * @param regionCase the unsafe case whose region is plotted
   * @param preIndex the bound index of the ReLU layer's input (its pre-activations); the
   *     post-activations are at {@code preIndex + 1}
   * @param i first neuron (0-based, within the layer), the plane's x axis
   * @param j second neuron, the plane's y axis
   * @param post false: the plane of the pre-activations (x_i, x_j); true: of the
   *     post-activations (relu(x_i), relu(x_j))
   * @param budget checked in long loops; an exhausted budget ends the whole plot
   * @return the polygon (its colour may be null: the plot's palette picks one), or empty when
   *     this relaxation has nothing to add in that plane
   */
  Optional<PlotSet> project(Network net, BoundState state, UnsafeCase regionCase, int preIndex,
      int i, int j, boolean post, Budget budget);
}
