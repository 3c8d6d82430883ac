package dev.robustspec.engine.network;

import dev.robustspec.engine.RandomNets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random small nets of the image layers, for the layer tests here and the pass tests. */
public final class ImageLayersTestNets {
  private ImageLayersTestNets() {}

  /**
   * A random small net of the image layers: transposed convolution or upsampling, ReLU, max
   * pooling, dense; for the whole-net tests here and in {@code relax}.
   */
  public static Network randomImageNet(SplittableRandom r) {
    int c = 1 + r.nextInt(2);
    int h = 1 + r.nextInt(3);
    int w = 1 + r.nextInt(3);
    List<Layer> layers = new ArrayList<>();
    int[] shape = {1, c, h, w};
    Layer first = r.nextInt(3) == 0
        ? ConvTransposeLayer.nearestUpsample("up", c, h, w, 1 + r.nextInt(2), 1 + r.nextInt(3))
        : NaiveImageOps.randomConvTranspose(r, "convT", c, h, w);
    ConvGeometry a = ((ConvTransposeLayer) first).adjoint();
    layers.add(first);
    layers.add(new ReluLayer("relu", first.outputSize()));
    MaxPoolLayer pool = NaiveImageOps.randomMaxPool(r, "pool", a.inChannels(), a.inHeight(),
        a.inWidth());
    layers.add(pool);
    int flat = pool.outputSize();
    int out = 1 + r.nextInt(3);
    double[] weights = new double[flat * out];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = RandomNets.gaussian(r) / Math.sqrt(flat);
    }
    ConvGeometry pg = pool.geometry();
    layers.add(new ReshapeLayer("flatten", new int[] {1, pg.outChannels(), pg.outHeight(),
        pg.outWidth()}, new int[] {1, flat}));
    layers.add(new DenseLayer("dense", flat, out, weights, new double[out]));
    return new Network("image", shape, layers);
  }

}
