package dev.robustspec.engine.relax;

/**
 * A multi-neuron constraint of one ReLU layer: {@code alpha . x + beta . y <= gamma} over the
 * pre-activations {@code x} of {@code neurons} (bound index {@code index}) and their ReLU outputs
 * {@code y} (bound index {@code index + 1}), valid for every input of the region it was made for
 * (a facet of the k-ReLU hull, {@code lp.KReluPass#cuts}), and so for every part of it.
 */
public record NeuronCut(int index, int[] neurons, double[] alpha, double[] beta, double gamma) {
  public NeuronCut {
    if (neurons.length != alpha.length || neurons.length != beta.length) {
      throw new IllegalArgumentException("a cut needs one alpha and one beta per neuron");
    }
    if (!Double.isFinite(gamma)) {
      throw new IllegalArgumentException("a cut's right-hand side must be finite: " + gamma);
    }
  }
}
