package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxReader.Lowering;
import dev.robustspec.engine.network.ConvGeometry;
import dev.robustspec.engine.network.ConvLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.ReshapeLayer;
import java.util.Arrays;
import java.util.Map;

/**
 * The lowering of ONNX's convolutional-network operators that are linear (or the identity) at
 * inference: {@code Conv}, {@code BatchNormalization} (folded into a convolution right before it,
 * else a per-channel affine layer), {@code AveragePool} and {@code GlobalAveragePool} (depthwise
 * convolutions of constant weight), {@code Dropout} (the identity), {@code Squeeze} and
 * {@code Unsqueeze} (shape tracking). Each malformed attribute is an error naming the node.
 */
final class OnnxLinearOps {
  private OnnxLinearOps() {}

  /** Adds this class's operators to the reader's registry. */
  static void register(Map<String, Lowering> ops) {
    ops.put("Conv", OnnxLinearOps::conv);
    ops.put("BatchNormalization", OnnxLinearOps::batchNormalization);
    ops.put("Dropout", OnnxLinearOps::dropout);
    ops.put("AveragePool", (n, c) -> averagePool(n, c, false));
    ops.put("GlobalAveragePool", (n, c) -> averagePool(n, c, true));
    ops.put("Squeeze", (n, c) -> squeeze(n, c, false));
    ops.put("Unsqueeze", (n, c) -> squeeze(n, c, true));
  }

  /** The data shape as {@code [C, H, W]}, from {@code [1, C, H, W]}. */
  static int[] chw(Node n, OnnxLowerer c) throws InputFormatException {
    int[] s = c.segment().shape();
    if (s.length != 4 || s[0] != 1) {
      throw c.fail(n, "expects data of shape [1, C, H, W] (batch 1, 2-D), got "
          + Arrays.toString(s));
    }
    return new int[] {s[1], s[2], s[3]};
  }

  /** A list attribute of exactly {@code length} entries, each at least {@code min}. */
  static int[] ints(Node n, OnnxLowerer c, String name, long[] dflt, int length, int min)
      throws InputFormatException {
    long[] v = c.attrInts(n, name, dflt);
    if (v.length != length) {
      throw c.fail(n, "attribute '" + name + "' has " + v.length + " entries "
          + Arrays.toString(v) + ", expected " + length);
    }
    int[] out = new int[length];
    for (int k = 0; k < length; k++) {
      if (v[k] < min || v[k] > Integer.MAX_VALUE / 4) {
        throw c.fail(n, "attribute '" + name + "' entry " + v[k] + " is out of range (must be"
            + (min == 0 ? " nonnegative)" : " at least " + min + ")"));
      }
      out[k] = (int) v[k];
    }
    return out;
  }

  static void conv(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input X (weights are constants)");
    }
    if (n.inputs().size() < 2 || n.inputs().size() > 3) {
      throw c.fail(n, "expected inputs (X, W) or (X, W, B), found " + n.inputs().size());
    }
    int[] x = chw(n, c);
    Tensor wt = c.constantInput(n, 1);
    double[] w = c.finite(n, wt);
    long[] wd = wt.dims();
    if (wd.length != 4) {
      throw c.fail(n, "weight '" + wt.name() + "' must have shape [M, C/group, kH, kW], has "
          + Arrays.toString(wd) + " (only 2-D convolutions are supported)");
    }
    long group = c.attrInt(n, "group", 1);
    if (group <= 0 || x[0] % group != 0 || wd[0] % group != 0) {
      throw c.fail(n, "group " + group + " must be positive and divide the input channels ("
          + x[0] + ") and the output channels (" + wd[0] + ")");
    }
    if (wd[1] * group != x[0]) {
      throw c.fail(n, "weight shape " + Arrays.toString(wd) + " with group " + group
          + " does not match " + x[0] + " input channels (expected W[1] = " + x[0] / group + ")");
    }
    int[] kernel = {(int) wd[2], (int) wd[3]};
    long[] declared = c.attrInts(n, "kernel_shape", new long[] {wd[2], wd[3]});
    if (declared.length != 2 || declared[0] != wd[2] || declared[1] != wd[3]) {
      throw c.fail(n, "kernel_shape " + Arrays.toString(declared) + " does not match the weight"
          + " shape " + Arrays.toString(wd));
    }
    int[] strides = ints(n, c, "strides", new long[] {1, 1}, 2, 1);
    int[] dilations = ints(n, c, "dilations", new long[] {1, 1}, 2, 1);
    int[] pads = ints(n, c, "pads", new long[] {0, 0, 0, 0}, 4, 0);
    String autoPad = c.attrString(n, "auto_pad", "NOTSET");
    switch (autoPad) {
      case "NOTSET" -> { }
      case "VALID" -> pads = new int[4];
      case "SAME_UPPER", "SAME_LOWER" -> {
        for (int d = 0; d < 2; d++) {
          int in = x[d + 1];
          int out = (in + strides[d] - 1) / strides[d];
          int total = Math.max(0, (out - 1) * strides[d] + dilations[d] * (kernel[d] - 1) + 1
              - in);
          int small = total / 2;
          pads[d] = autoPad.equals("SAME_UPPER") ? small : total - small;
          pads[d + 2] = total - pads[d];
        }
      }
      default -> throw c.fail(n, "unknown auto_pad '" + autoPad + "'");
    }
    double[] bias = new double[(int) wd[0]];
    if (n.inputs().size() == 3 && !n.inputs().get(2).isEmpty()) {
      Tensor bt = c.constantInput(n, 2);
      if (bt.values().length != bias.length) {
        throw c.fail(n, "bias '" + bt.name() + "' has " + bt.values().length
            + " entries, expected " + bias.length);
      }
      bias = c.finite(n, bt).clone();
    }
    ConvGeometry g;
    try {
      g = new ConvGeometry(x[0], x[1], x[2], (int) wd[0], kernel[0], kernel[1],
          strides[0], strides[1], pads[0], pads[1], pads[2], pads[3], dilations[0], dilations[1],
          (int) group);
    } catch (IllegalArgumentException e) {
      throw c.fail(n, e.getMessage());
    }
    c.segment().appendConv(new ConvLayer(n.label(), g, w, bias),
        new int[] {1, g.outChannels(), g.outHeight(), g.outWidth()});
  }

  /**
   * A mean over each window is the depthwise convolution (one group per channel) with every
   * weight {@code 1 / (kH kW)} (rounded to double, as the reader's other divisions by constants).
   * With padding, ONNX's default {@code count_include_pad = 0} divides border windows by the
   * number of real positions only, which no single convolution expresses: refused for now.
   */
  static void averagePool(Node n, OnnxLowerer c, boolean global) throws InputFormatException {
    if (c.dataInput(n) != 0 || n.inputs().size() != 1) {
      throw c.fail(n, "expected one input, the data");
    }
    int[] x = chw(n, c);
    int[] kernel;
    int[] strides = {1, 1};
    int[] pads = new int[4];
    if (global) {
      kernel = new int[] {x[1], x[2]};
    } else {
      kernel = ints(n, c, "kernel_shape", new long[0], 2, 1);
      strides = ints(n, c, "strides", new long[] {1, 1}, 2, 1);
      pads = ints(n, c, "pads", new long[] {0, 0, 0, 0}, 4, 0);
      String autoPad = c.attrString(n, "auto_pad", "NOTSET");
      if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
        throw c.fail(n, "auto_pad '" + autoPad + "' is not yet supported for AveragePool");
      }
      if (autoPad.equals("VALID")) {
        pads = new int[4];
      }
      if (c.attrInt(n, "ceil_mode", 0) != 0) {
        throw c.fail(n, "ceil_mode = 1 is not yet supported");
      }
      int[] dilations = ints(n, c, "dilations", new long[] {1, 1}, 2, 1);
      if (dilations[0] != 1 || dilations[1] != 1) {
        throw c.fail(n, "dilated average pooling is not yet supported");
      }
      boolean padded = Arrays.stream(pads).anyMatch(p -> p != 0);
      if (padded && c.attrInt(n, "count_include_pad", 0) == 0) {
        throw c.fail(n, "padding with count_include_pad = 0 (border windows averaged over"
            + " fewer positions) is not yet supported");
      }
    }
    ConvGeometry g;
    try {
      g = new ConvGeometry(x[0], x[1], x[2], x[0], kernel[0], kernel[1], strides[0],
          strides[1], pads[0], pads[1], pads[2], pads[3], 1, 1, x[0]);
    } catch (IllegalArgumentException e) {
      throw c.fail(n, e.getMessage());
    }
    double[] w = new double[x[0] * kernel[0] * kernel[1]];
    Arrays.fill(w, 1.0 / ((double) kernel[0] * kernel[1]));
    c.segment().appendConv(new ConvLayer(n.label(), g, w, new double[x[0]]),
        new int[] {1, g.outChannels(), g.outHeight(), g.outWidth()});
  }

  /**
   * {@code y = gamma (x - mean) / sqrt(var + eps) + beta} per channel (inference mode). Folded
   * into a convolution right before it (its weights and bias scaled, in double: the same
   * re-association of a float32 model's arithmetic as the reader's other constant folds), else
   * a per-channel {@link ElementwiseAffineLayer}.
   */
  static void batchNormalization(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0 || n.inputs().size() != 5) {
      throw c.fail(n, "expected inputs (X, scale, B, mean, var)");
    }
    if (c.attrInt(n, "training_mode", 0) != 0) {
      throw c.fail(n, "training_mode = 1 is not an inference network");
    }
    double eps = c.attrFloat(n, "epsilon", 1e-5);
    int[] s = c.segment().shape();
    if (s.length < 2 || s[0] != 1) {
      throw c.fail(n, "expects data of shape [1, C, ...], got " + Arrays.toString(s));
    }
    int channels = s[1];
    double[][] p = new double[4][];
    for (int k = 0; k < 4; k++) {
      Tensor t = c.constantInput(n, k + 1);
      p[k] = c.finite(n, t);
      if (p[k].length != channels) {
        throw c.fail(n, "input '" + t.name() + "' has " + p[k].length + " entries, expected "
            + channels + " (one per channel)");
      }
    }
    double[] scale = new double[channels];
    double[] shift = new double[channels];
    for (int ch = 0; ch < channels; ch++) {
      double var = p[3][ch] + eps;
      if (!(var > 0)) {
        throw c.fail(n, "variance + epsilon of channel " + ch + " is " + var + ", not positive");
      }
      scale[ch] = p[0][ch] / Math.sqrt(var);
      shift[ch] = p[1][ch] - p[2][ch] * scale[ch];
    }
    int plane = 1;
    for (int d = 2; d < s.length; d++) {
      plane *= s[d];
    }
    ConvLayer conv = c.segment().lastLayerIfConv();
    if (conv != null && conv.outputSize() == channels * plane) {
      double[] w = conv.weights().clone();
      double[] b = conv.bias().clone();
      int k = conv.geometry().kernelSize();
      for (int ch = 0; ch < channels; ch++) {
        for (int j = 0; j < k; j++) {
          w[ch * k + j] *= scale[ch];
        }
        b[ch] = b[ch] * scale[ch] + shift[ch];
      }
      c.segment().replaceLastConv(new ConvLayer(conv.name() + "+" + n.label(), conv.geometry(), w, b));
      return;
    }
    double[] sv = new double[channels * plane];
    double[] tv = new double[channels * plane];
    for (int i = 0; i < sv.length; i++) {
      sv[i] = scale[i / plane];
      tv[i] = shift[i / plane];
    }
    Layer affine = new ElementwiseAffineLayer(n.label(), sv, tv);
    c.segment().append(affine, s.clone());
  }

  /** The identity at inference; a training-mode Dropout (opset 12+) is refused. */
  static void dropout(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input");
    }
    if (n.inputs().size() >= 3 && !n.inputs().get(2).isEmpty()) {
      double[] mode = c.constantInput(n, 2).values();
      if (mode.length != 1 || mode[0] != 0) {
        throw c.fail(n, "training_mode is not false: not an inference network");
      }
    }
    if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
      throw c.fail(n, "its mask output is used; only the inference output is supported");
    }
    c.segment().append(new ReshapeLayer(n.label(), c.segment().shape().clone(), c.segment().shape().clone()), c.segment().shape());
  }

  /**
   * Squeeze removes, Unsqueeze inserts, dimensions of size 1 (axes from the attribute, opset
   * < 13, or the second input); the flat vector is unchanged.
   */
  static void squeeze(Node n, OnnxLowerer c, boolean insert) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input");
    }
    int[] s = c.segment().shape();
    long[] axes;
    if (n.inputs().size() >= 2 && !n.inputs().get(1).isEmpty()) {
      axes = Arrays.stream(c.constantInput(n, 1).values()).mapToLong(v -> (long) v).toArray();
    } else {
      axes = c.attrInts(n, "axes", null);
    }
    int rank = insert ? s.length + (axes == null ? 0 : axes.length) : s.length;
    if (axes == null) {
      if (insert) {
        throw c.fail(n, "Unsqueeze needs axes");
      }
      axes = java.util.stream.IntStream.range(0, s.length).filter(d -> s[d] == 1)
          .asLongStream().toArray();
    }
    boolean[] marked = new boolean[rank];
    for (long a : axes) {
      long d = a < 0 ? a + rank : a;
      if (d < 0 || d >= rank || marked[(int) d]) {
        throw c.fail(n, "axis " + a + " is out of range or repeated for rank " + rank);
      }
      if (!insert && s[(int) d] != 1) {
        throw c.fail(n, "cannot squeeze axis " + a + " of size " + s[(int) d]);
      }
      marked[(int) d] = true;
    }
    int[] out = new int[insert ? rank : s.length - axes.length];
    int src = 0;
    int dst = 0;
    for (int d = 0; d < rank; d++) {
      if (insert) {
        out[d] = marked[d] ? 1 : s[src++];
      } else if (!marked[d]) {
        out[dst++] = s[d];
      }
    }
    c.segment().append(new ReshapeLayer(n.label(), s.clone(), out), out);
  }
}
