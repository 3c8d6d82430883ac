package dev.robustspec.compiler.plot;

/**
 * A plot that cannot be drawn as asked (unknown property, layer or neuron out of range). The
 * message is for the user: one sentence that names what would fix it, without a prefix.
 */
public final class PlotException extends Exception {
  private static final long serialVersionUID = 1L;

  public PlotException(String message) {
    super(message);
  }
}
