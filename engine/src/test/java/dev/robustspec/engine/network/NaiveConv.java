package dev.robustspec.engine.network;

import java.util.SplittableRandom;

/**
 * An independent reference of the ONNX Conv formula, written from the operator's definition with
 * coordinates (no tap tables, no flat-index arithmetic shared with {@link ConvLayer}), and its
 * dense matrix obtained by applying it to unit vectors.
 */
public final class NaiveConv {
  private NaiveConv() {}

  public static double[] apply(ConvGeometry g, double[] w, double[] b, double[] x) {
    int ci = g.inChannels();
    int perGroup = ci / g.groups();
    int outPerGroup = g.outChannels() / g.groups();
    int oh = g.outHeight();
    int ow = g.outWidth();
    double[][][] in = new double[ci][g.inHeight()][g.inWidth()];
    for (int c = 0; c < ci; c++) {
      for (int h = 0; h < g.inHeight(); h++) {
        for (int v = 0; v < g.inWidth(); v++) {
          in[c][h][v] = x[(c * g.inHeight() + h) * g.inWidth() + v];
        }
      }
    }
    double[] y = new double[g.outChannels() * oh * ow];
    for (int m = 0; m < g.outChannels(); m++) {
      int group = m / outPerGroup;
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          double s = b[m];
          for (int c = 0; c < perGroup; c++) {
            for (int p = 0; p < g.kernelHeight(); p++) {
              for (int q = 0; q < g.kernelWidth(); q++) {
                int h = i * g.strideH() + p * g.dilationH() - g.padTop();
                int v = j * g.strideW() + q * g.dilationW() - g.padLeft();
                if (h >= 0 && h < g.inHeight() && v >= 0 && v < g.inWidth()) {
                  double weight = w[((m * perGroup + c) * g.kernelHeight() + p)
                      * g.kernelWidth() + q];
                  s += weight * in[group * perGroup + c][h][v];
                }
              }
            }
          }
          y[(m * oh + i) * ow + j] = s;
        }
      }
    }
    return y;
  }

  /** The convolution's matrix, column j = the image of the unit vector e_j (bias removed). */
  public static DenseLayer dense(ConvLayer conv) {
    ConvGeometry g = conv.geometry();
    int in = g.inputSize();
    int out = g.outputSize();
    double[] zero = apply(g, conv.weights(), new double[g.outChannels()], new double[in]);
    double[] m = new double[in * out];
    for (int j = 0; j < in; j++) {
      double[] e = new double[in];
      e[j] = 1;
      double[] col = apply(g, conv.weights(), new double[g.outChannels()], e);
      for (int i = 0; i < out; i++) {
        m[i * in + j] = col[i] - zero[i];
      }
    }
    double[] bias = new double[out];
    int plane = g.outHeight() * g.outWidth();
    for (int i = 0; i < out; i++) {
      bias[i] = conv.bias()[i / plane];
    }
    return new DenseLayer(conv.name(), in, out, m, bias);
  }

  /** A random small geometry: channels, kernels, strides, pads, dilations and groups vary. */
  static ConvGeometry geometry(SplittableRandom r) {
    while (true) {
      int groups = 1 + r.nextInt(2);
      int ci = groups * (1 + r.nextInt(2));
      int co = groups * (1 + r.nextInt(2));
      try {
        return new ConvGeometry(ci, 2 + r.nextInt(4), 2 + r.nextInt(4), co,
            1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2),
            r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2), 1 + r.nextInt(2),
            1 + r.nextInt(2), groups);
      } catch (IllegalArgumentException kernelTooLarge) {
        // draw again: the dilated kernel did not fit this input
      }
    }
  }

  static ConvLayer random(SplittableRandom r, String name, ConvGeometry g) {
    double[] w = new double[g.outChannels() * g.kernelSize()];
    double[] b = new double[g.outChannels()];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextInt(5) == 0 ? 0 : (r.nextDouble() * 2 - 1) / Math.sqrt(g.kernelSize());
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextDouble() - 0.5;
    }
    return new ConvLayer(name, g, w, b);
  }
}
