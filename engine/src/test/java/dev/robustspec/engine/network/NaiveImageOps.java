package dev.robustspec.engine.network;

import java.util.SplittableRandom;

/**
 * Independent references for the image layers, written from the ONNX operator definitions with
 * coordinates (no tap tables shared with the layers): ConvTranspose scatters each input pixel's
 * kernel into the output ({@code y[oc, i s - pad + k d] += x[ic, i] W[ic, oc', k]}), MaxPool takes
 * the largest valid position of each window.
 */
public final class NaiveImageOps {
  private NaiveImageOps() {}

  /** ConvTranspose of {@code x}: as above, the output of shape [outC][outH][outW]. */
  public static double[] convTranspose(ConvTransposeLayer layer, double[] x) {
    ConvGeometry a = layer.adjoint();
    int inC = a.outChannels();
    int inH = a.outHeight();
    int inW = a.outWidth();
    int outC = a.inChannels();
    int outH = a.inHeight();
    int outW = a.inWidth();
    int outPerGroup = outC / a.groups();
    int inPerGroup = inC / a.groups();
    double[] y = new double[outC * outH * outW];
    for (int oc = 0; oc < outC; oc++) {
      for (int p = 0; p < outH * outW; p++) {
        y[oc * outH * outW + p] = layer.bias()[oc];
      }
    }
    for (int ic = 0; ic < inC; ic++) {
      int group = ic / inPerGroup;
      for (int i = 0; i < inH; i++) {
        for (int j = 0; j < inW; j++) {
          double v = x[(ic * inH + i) * inW + j];
          for (int m = 0; m < outPerGroup; m++) {
            int oc = group * outPerGroup + m;
            for (int p = 0; p < a.kernelHeight(); p++) {
              for (int q = 0; q < a.kernelWidth(); q++) {
                int h = i * a.strideH() - a.padTop() + p * a.dilationH();
                int c = j * a.strideW() - a.padLeft() + q * a.dilationW();
                if (h >= 0 && h < outH && c >= 0 && c < outW) {
                  double weight = layer.weights()[((ic * outPerGroup + m) * a.kernelHeight() + p)
                      * a.kernelWidth() + q];
                  y[(oc * outH + h) * outW + c] += v * weight;
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  /** ONNX MaxPool of {@code x} (padding never wins). */
  public static double[] maxPool(ConvGeometry g, double[] x) {
    double[] y = new double[g.outputSize()];
    for (int c = 0; c < g.inChannels(); c++) {
      for (int i = 0; i < g.outHeight(); i++) {
        for (int j = 0; j < g.outWidth(); j++) {
          double best = Double.NEGATIVE_INFINITY;
          for (int p = 0; p < g.kernelHeight(); p++) {
            for (int q = 0; q < g.kernelWidth(); q++) {
              int h = i * g.strideH() - g.padTop() + p * g.dilationH();
              int v = j * g.strideW() - g.padLeft() + q * g.dilationW();
              if (h >= 0 && h < g.inHeight() && v >= 0 && v < g.inWidth()) {
                best = Math.max(best, x[(c * g.inHeight() + h) * g.inWidth() + v]);
              }
            }
          }
          y[(c * g.outHeight() + i) * g.outWidth() + j] = best;
        }
      }
    }
    return y;
  }

  /**
   * A random transposed convolution: channels, kernels, strides, pads, dilations, output
   * padding and groups vary, the input image is {@code inC x inH x inW}.
   */
  public static ConvTransposeLayer randomConvTranspose(SplittableRandom r, String name, int inC,
      int inH, int inW) {
    while (true) {
      int groups = inC % 2 == 0 && r.nextBoolean() ? 2 : 1;
      int outC = groups * (1 + r.nextInt(2));
      int kH = 1 + r.nextInt(3);
      int kW = 1 + r.nextInt(3);
      int sH = 1 + r.nextInt(2);
      int sW = 1 + r.nextInt(2);
      int dH = 1 + r.nextInt(2);
      int dW = 1 + r.nextInt(2);
      int[] pads = {r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2)};
      int opH = r.nextInt(sH);
      int opW = r.nextInt(sW);
      int outH = sH * (inH - 1) + opH + dH * (kH - 1) + 1 - pads[0] - pads[2];
      int outW = sW * (inW - 1) + opW + dW * (kW - 1) + 1 - pads[1] - pads[3];
      try {
        ConvGeometry adjoint = new ConvGeometry(outC, outH, outW, inC, kH, kW, sH, sW,
            pads[0], pads[1], pads[2], pads[3], dH, dW, groups);
        if (adjoint.outHeight() != inH || adjoint.outWidth() != inW) {
          continue;
        }
        double[] w = new double[inC * adjoint.kernelSize()];
        for (int i = 0; i < w.length; i++) {
          w[i] = r.nextInt(5) == 0 ? 0 : (r.nextDouble() * 2 - 1) / Math.sqrt(kH * kW);
        }
        double[] b = new double[outC];
        for (int i = 0; i < outC; i++) {
          b[i] = r.nextDouble() - 0.5;
        }
        return new ConvTransposeLayer(name, adjoint, w, b);
      } catch (IllegalArgumentException noRoom) {
        // draw again
      }
    }
  }

  /** A random max pooling of a {@code c x h x w} image (windows never wholly in the padding). */
  public static MaxPoolLayer randomMaxPool(SplittableRandom r, String name, int c, int h, int w) {
    while (true) {
      int kH = 1 + r.nextInt(3);
      int kW = 1 + r.nextInt(3);
      try {
        return new MaxPoolLayer(name, new ConvGeometry(c, h, w, c, kH, kW, 1 + r.nextInt(2),
            1 + r.nextInt(2), r.nextInt(kH), r.nextInt(kW), r.nextInt(kH), r.nextInt(kW),
            1 + r.nextInt(2), 1 + r.nextInt(2), c));
      } catch (IllegalArgumentException noRoom) {
        // draw again
      }
    }
  }
}
