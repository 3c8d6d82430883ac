package dev.robustspec.engine.network;

/**
 * The geometry of a convolution: input {@code [inChannels][inHeight][inWidth]}, kernel
 * {@code [outChannels][inChannels/groups][kernelHeight][kernelWidth]}; pads in ONNX order
 * (begin H, begin W, end H, end W).
 */
public record ConvGeometry(int inChannels, int inHeight, int inWidth, int outChannels,
    int kernelHeight, int kernelWidth, int strideH, int strideW, int padTop, int padLeft,
    int padBottom, int padRight, int dilationH, int dilationW, int groups) {

  public ConvGeometry {
    if (inChannels <= 0 || inHeight <= 0 || inWidth <= 0 || outChannels <= 0
        || kernelHeight <= 0 || kernelWidth <= 0) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0) {
      throw new IllegalArgumentException("strides and dilations must be positive");
    }
    if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
      throw new IllegalArgumentException("pads must be nonnegative");
    }
    if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException("group count " + groups + " must divide the input ("
          + inChannels + ") and output (" + outChannels + ") channel counts");
    }
    if (outHeightOf(inHeight, padTop + padBottom, kernelHeight, dilationH, strideH) <= 0
        || outHeightOf(inWidth, padLeft + padRight, kernelWidth, dilationW, strideW) <= 0) {
      throw new IllegalArgumentException("the dilated kernel " + kernelHeight + "x"
          + kernelWidth + " does not fit the padded input " + inHeight + "x" + inWidth);
    }
  }

  /** A convolution with unit strides and dilations, no padding, one group. */
  public static ConvGeometry simple(int inChannels, int inHeight, int inWidth, int outChannels,
      int kernelHeight, int kernelWidth) {
    return new ConvGeometry(inChannels, inHeight, inWidth, outChannels, kernelHeight, kernelWidth,
        1, 1, 0, 0, 0, 0, 1, 1, 1);
  }

  private static int outHeightOf(int in, int pad, int kernel, int dilation, int stride) {
    long span = (long) dilation * (kernel - 1) + 1;
    long room = in + (long) pad - span;
    return room < 0 ? 0 : (int) (room / stride + 1);
  }

  public int outHeight() {
    return outHeightOf(inHeight, padTop + padBottom, kernelHeight, dilationH, strideH);
  }

  public int outWidth() {
    return outHeightOf(inWidth, padLeft + padRight, kernelWidth, dilationW, strideW);
  }

  public int inputSize() {
    return inChannels * inHeight * inWidth;
  }

  public int outputSize() {
    return outChannels * outHeight() * outWidth();
  }

  /** Weights per output channel: {@code inChannels/groups * kernelHeight * kernelWidth}. */
  public int kernelSize() {
    return inChannels / groups * kernelHeight * kernelWidth;
  }
}
