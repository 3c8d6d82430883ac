package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxReader.Lowering;
import dev.robustspec.engine.network.ConvGeometry;
import dev.robustspec.engine.network.ConvTransposeLayer;
import dev.robustspec.engine.network.MaxPoolLayer;
import java.util.Arrays;
import java.util.Map;

/**
 * The lowering of ONNX's image operators beyond convolution: {@code ConvTranspose} (the adjoint
 * of a convolution, {@link ConvTransposeLayer}), {@code Upsample} and {@code Resize} in nearest
 * mode with integer scales (a depthwise transposed convolution of ones), {@code MaxPool}
 * ({@link MaxPoolLayer}). Each malformed or
 * unsupported attribute is an error naming the node.
 */
final class OnnxImageOps {
  private OnnxImageOps() {}

  /** Adds this class's operators to the reader's registry. */
  static void register(Map<String, Lowering> ops) {
    ops.put("ConvTranspose", OnnxImageOps::convTranspose);
    ops.put("Upsample", (n, c) -> upsample(n, c, false));
    ops.put("Resize", (n, c) -> upsample(n, c, true));
    ops.put("MaxPool", OnnxImageOps::maxPool);
  }

  /**
   * MaxPool over a depthwise window geometry; padding positions never win (ONNX pads with minus
   * infinity). The Indices output, ceil_mode = 1 and SAME auto padding are refused by name.
   */
  static void maxPool(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0 || n.inputs().size() != 1) {
      throw c.fail(n, "expected one input, the data");
    }
    if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
      throw c.fail(n, "its Indices output is used; only the pooled values are supported");
    }
    int[] x = OnnxLinearOps.chw(n, c);
    int[] kernel = OnnxLinearOps.ints(n, c, "kernel_shape", new long[0], 2, 1);
    int[] strides = OnnxLinearOps.ints(n, c, "strides", new long[] {1, 1}, 2, 1);
    int[] dilations = OnnxLinearOps.ints(n, c, "dilations", new long[] {1, 1}, 2, 1);
    int[] pads = OnnxLinearOps.ints(n, c, "pads", new long[] {0, 0, 0, 0}, 4, 0);
    String autoPad = c.attrString(n, "auto_pad", "NOTSET");
    if (autoPad.equals("VALID")) {
      pads = new int[4];
    } else if (!autoPad.equals("NOTSET")) {
      throw c.fail(n, "auto_pad '" + autoPad + "' is not supported for MaxPool");
    }
    if (c.attrInt(n, "ceil_mode", 0) != 0) {
      throw c.fail(n, "ceil_mode = 1 is not supported");
    }
    if (c.attrInt(n, "storage_order", 0) != 0) {
      throw c.fail(n, "storage_order = 1 is not supported");
    }
    MaxPoolLayer pool;
    try {
      pool = new MaxPoolLayer(n.label(), new ConvGeometry(x[0], x[1], x[2], x[0], kernel[0],
          kernel[1], strides[0], strides[1], pads[0], pads[1], pads[2], pads[3], dilations[0],
          dilations[1], x[0]));
    } catch (IllegalArgumentException e) {
      throw c.fail(n, e.getMessage());
    }
    ConvGeometry g = pool.geometry();
    c.segment().append(pool, new int[] {1, x[0], g.outHeight(), g.outWidth()});
  }

  static void convTranspose(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input X (weights are constants)");
    }
    if (n.inputs().size() < 2 || n.inputs().size() > 3) {
      throw c.fail(n, "expected inputs (X, W) or (X, W, B), found " + n.inputs().size());
    }
    int[] x = OnnxLinearOps.chw(n, c);
    Tensor wt = c.constantInput(n, 1);
    double[] w = c.finite(n, wt);
    long[] wd = wt.dims();
    if (wd.length != 4) {
      throw c.fail(n, "weight '" + wt.name() + "' must have shape [C, M/group, kH, kW], has "
          + Arrays.toString(wd) + " (only 2-D transposed convolutions are supported)");
    }
    long group = c.attrInt(n, "group", 1);
    if (group <= 0 || x[0] % group != 0) {
      throw c.fail(n, "group " + group + " must be positive and divide the input channels ("
          + x[0] + ")");
    }
    if (wd[0] != x[0]) {
      throw c.fail(n, "weight shape " + Arrays.toString(wd) + " does not match " + x[0]
          + " input channels (expected W[0] = " + x[0] + ")");
    }
    if (wd[1] <= 0 || wd[2] <= 0 || wd[3] <= 0 || wd[1] * group > Integer.MAX_VALUE / 4) {
      throw c.fail(n, "weight shape " + Arrays.toString(wd) + " has an empty dimension");
    }
    int outChannels = (int) (wd[1] * group);
    int[] kernel = {(int) wd[2], (int) wd[3]};
    long[] declared = c.attrInts(n, "kernel_shape", new long[] {wd[2], wd[3]});
    if (declared.length != 2 || declared[0] != wd[2] || declared[1] != wd[3]) {
      throw c.fail(n, "kernel_shape " + Arrays.toString(declared) + " does not match the weight"
          + " shape " + Arrays.toString(wd));
    }
    int[] strides = OnnxLinearOps.ints(n, c, "strides", new long[] {1, 1}, 2, 1);
    int[] dilations = OnnxLinearOps.ints(n, c, "dilations", new long[] {1, 1}, 2, 1);
    int[] pads = OnnxLinearOps.ints(n, c, "pads", new long[] {0, 0, 0, 0}, 4, 0);
    int[] outPad = OnnxLinearOps.ints(n, c, "output_padding", new long[] {0, 0}, 2, 0);
    for (int d = 0; d < 2; d++) {
      if (outPad[d] >= strides[d]) {
        throw c.fail(n, "output_padding " + Arrays.toString(outPad) + " must be smaller than"
            + " the strides " + Arrays.toString(strides));
      }
    }
    String autoPad = c.attrString(n, "auto_pad", "NOTSET");
    long[] outputShape = c.attrInts(n, "output_shape", null);
    int[] full = new int[2]; // s (in - 1) + op + dilated kernel: the output before any padding
    for (int d = 0; d < 2; d++) {
      full[d] = strides[d] * (x[d + 1] - 1) + outPad[d] + dilations[d] * (kernel[d] - 1) + 1;
    }
    int[] target = null;
    if (outputShape != null) {
      int off = outputShape.length - 2;
      if (off < 0) {
        throw c.fail(n, "output_shape " + Arrays.toString(outputShape) + " needs H and W");
      }
      target = new int[] {(int) outputShape[off], (int) outputShape[off + 1]};
    } else if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
      target = new int[] {x[1] * strides[0], x[2] * strides[1]};
    } else if (autoPad.equals("VALID")) {
      pads = new int[4];
    } else if (!autoPad.equals("NOTSET")) {
      throw c.fail(n, "unknown auto_pad '" + autoPad + "'");
    }
    if (target != null) { // ONNX's rule: pads derived from the requested output shape
      for (int d = 0; d < 2; d++) {
        int total = full[d] - target[d];
        if (total < 0) {
          throw c.fail(n, "output shape " + Arrays.toString(target) + " is larger than the"
              + " transposed convolution reaches (" + full[0] + "x" + full[1] + ")");
        }
        boolean upper = autoPad.equals("SAME_UPPER");
        pads[d] = upper ? total / 2 : total - total / 2;
        pads[d + 2] = total - pads[d];
      }
    }
    int outH = full[0] - pads[0] - pads[2];
    int outW = full[1] - pads[1] - pads[3];
    if (outH <= 0 || outW <= 0) {
      throw c.fail(n, "pads " + Arrays.toString(pads) + " leave no output (" + outH + "x"
          + outW + ")");
    }
    double[] bias = new double[outChannels];
    if (n.inputs().size() == 3 && !n.inputs().get(2).isEmpty()) {
      Tensor bt = c.constantInput(n, 2);
      if (bt.values().length != bias.length) {
        throw c.fail(n, "bias '" + bt.name() + "' has " + bt.values().length
            + " entries, expected " + bias.length);
      }
      bias = c.finite(n, bt).clone();
    }
    ConvGeometry adjoint;
    try {
      adjoint = new ConvGeometry(outChannels, outH, outW, x[0], kernel[0], kernel[1],
          strides[0], strides[1], pads[0], pads[1], pads[2], pads[3], dilations[0],
          dilations[1], (int) group);
    } catch (IllegalArgumentException e) {
      throw c.fail(n, e.getMessage());
    }
    if (adjoint.outHeight() != x[1] || adjoint.outWidth() != x[2]) {
      throw c.fail(n, "pads " + Arrays.toString(pads) + " are inconsistent with the input "
          + x[1] + "x" + x[2]);
    }
    c.segment().append(new ConvTransposeLayer(n.label(), adjoint, w, bias),
        new int[] {1, outChannels, outH, outW});
  }

  /**
   * Nearest-neighbour Upsample (opset 7: scales attribute; 9: scales input) or Resize (10:
   * scales input; 11+: X, roi, scales, sizes) by integer scales on H and W and 1 on N and C.
   * Output pixel {@code h} copies input {@code floor(h / s)}: Upsample's and Resize's
   * {@code asymmetric} + {@code floor} rule, and also {@code half_pixel} with a rounding
   * nearest mode, since {@code (h + 1/2) / s - 1/2} is never a half-integer for integer s and
   * rounds to {@code floor(h / s)}. Other modes are refused by name.
   */
  static void upsample(Node n, OnnxLowerer c, boolean resize) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input X");
    }
    String mode = c.attrString(n, "mode", "nearest");
    if (!mode.equals("nearest")) {
      throw c.fail(n, "mode '" + mode + "' is not supported (only 'nearest')");
    }
    int[] x = OnnxLinearOps.chw(n, c);
    double[] scales;
    if (resize) {
      scales = resizeScales(n, c, x);
      String coords = c.attrString(n, "coordinate_transformation_mode", "half_pixel");
      String nearest = c.attrString(n, "nearest_mode", "round_prefer_floor");
      boolean halfPixel = coords.equals("half_pixel") || coords.equals("pytorch_half_pixel");
      boolean rounding = nearest.equals("round_prefer_floor")
          || nearest.equals("round_prefer_ceil");
      if (!(halfPixel && rounding) && !(coords.equals("asymmetric") && nearest.equals("floor"))) {
        throw c.fail(n, "coordinate_transformation_mode '" + coords + "' with nearest_mode '"
            + nearest + "' is not supported (half_pixel with round_prefer_floor/ceil, or"
            + " asymmetric with floor)");
      }
    } else if (n.inputs().size() >= 2 && !n.inputs().get(1).isEmpty()) {
      scales = c.finite(n, c.constantInput(n, 1));
    } else {
      scales = floats(n, c, "scales");
    }
    if (scales.length != 4) {
      throw c.fail(n, "scales " + Arrays.toString(scales) + " must have 4 entries (N, C, H, W)");
    }
    if (scales[0] != 1 || scales[1] != 1) {
      throw c.fail(n, "scales " + Arrays.toString(scales) + " must be 1 on N and C");
    }
    int[] s = new int[2];
    for (int d = 0; d < 2; d++) {
      double v = scales[d + 2];
      if (!(v >= 1) || v != Math.rint(v) || v > 1 << 12) {
        throw c.fail(n, "scale " + v + " is not supported (only integer scales >= 1)");
      }
      s[d] = (int) v;
    }
    c.segment().append(ConvTransposeLayer.nearestUpsample(n.label(), x[0], x[1], x[2], s[0], s[1]),
        new int[] {1, x[0], x[1] * s[0], x[2] * s[1]});
  }

  /** Resize's scales: the scales input, or the sizes input divided by the input's shape. */
  private static double[] resizeScales(Node n, OnnxLowerer c, int[] x) throws InputFormatException {
    int count = n.inputs().size();
    if (count == 2) { // opset 10: (X, scales)
      return c.finite(n, c.constantInput(n, 1));
    }
    if (count >= 3 && !n.inputs().get(2).isEmpty()
        && c.constantInput(n, 2).values().length > 0) {
      return c.finite(n, c.constantInput(n, 2));
    }
    if (count >= 4 && !n.inputs().get(3).isEmpty()) {
      double[] sizes = c.finite(n, c.constantInput(n, 3));
      if (sizes.length != 4) {
        throw c.fail(n, "sizes " + Arrays.toString(sizes) + " must have 4 entries");
      }
      int[] in = {1, x[0], x[1], x[2]};
      double[] scales = new double[4];
      for (int d = 0; d < 4; d++) {
        if (sizes[d] % in[d] != 0) {
          throw c.fail(n, "sizes " + Arrays.toString(sizes) + " are not integer multiples of"
              + " the input shape " + Arrays.toString(in));
        }
        scales[d] = sizes[d] / in[d];
      }
      return scales;
    }
    throw c.fail(n, "needs scales or sizes");
  }

  private static double[] floats(Node n, OnnxLowerer c, String name) throws InputFormatException {
    OnnxProto.Attribute a = n.attributes().get(name);
    if (a == null || a.floats() == null) {
      throw c.fail(n, "needs the attribute '" + name + "' (a list of floats)");
    }
    float[] f = a.floats();
    double[] v = new double[f.length];
    for (int k = 0; k < f.length; k++) {
      v[k] = f[k];
    }
    return v;
  }
}
