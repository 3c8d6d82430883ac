package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxReader.Lowering;
import dev.robustspec.engine.network.SparseAffineLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The ONNX operators of residual graphs and shape tracking, all lowered to
 * {@link SparseAffineLayer}s: joins of several data values ({@code Add} and {@code Sub} of two
 * branches of the same shape, {@code Concat}) and the single-input index maps {@code Gather}
 * (constant indices), {@code Transpose}, {@code Slice} and {@code Pad} (constant mode).
 */
final class OnnxGraphOps {
  private OnnxGraphOps() {}

  static void register(Map<String, Lowering> ops) {
    ops.put("Concat", (n, c) -> {
      throw c.fail(n, "a Concat is read as a join"); // never reached: isJoin
    });
    ops.put("Gather", OnnxGraphOps::gather);
    ops.put("Transpose", OnnxGraphOps::transpose);
    ops.put("Slice", OnnxGraphOps::slice);
    ops.put("Pad", OnnxGraphOps::pad);
  }

  /** Operators read as joins even with one data input (a Concat with constants). */
  static boolean isJoin(Node n) {
    return n.opType().equals("Concat");
  }

  /** A join's linear map over its data inputs concatenated, and its ONNX output shape. */
  record Join(SparseAffineLayer map, int[] shape) {}

  static Join join(Node n, List<String> data, int[][] shapes, OnnxLowerer c)
      throws InputFormatException {
    switch (n.opType()) {
      case "Add", "Sub" -> {
        if (n.inputs().size() != 2 || data.size() != 2) {
          throw c.fail(n, "expected 2 inputs, found " + n.inputs().size());
        }
        if (!Arrays.equals(shapes[0], shapes[1])) {
          throw c.fail(n, "the data values '" + data.get(0) + "' of shape "
              + Arrays.toString(shapes[0]) + " and '" + data.get(1) + "' of shape "
              + Arrays.toString(shapes[1]) + " differ; a sum or difference of two branches"
              + " needs equal shapes (no broadcasting between data values)");
        }
        int size = size(shapes[0]);
        int[] rowStart = new int[size + 1];
        int[] col = new int[2 * size];
        double[] val = new double[2 * size];
        double sign = n.opType().equals("Sub") ? -1 : 1;
        for (int i = 0; i < size; i++) {
          rowStart[i + 1] = 2 * i + 2;
          col[2 * i] = i;
          val[2 * i] = 1;
          col[2 * i + 1] = size + i;
          val[2 * i + 1] = sign;
        }
        String kind = sign > 0 ? "add" : "sub";
        return new Join(new SparseAffineLayer(n.label(), kind, 2 * size, rowStart, col, val,
            new double[size]), shapes[0].clone());
      }
      case "Concat" -> {
        return concat(n, data, shapes, c);
      }
      default -> throw c.fail(n, "combines the data values " + data + "; of two data values"
          + " only a sum (Add), difference (Sub) or concatenation (Concat) is supported");
    }
  }

  /** Concat along {@code axis}: data inputs copy, constant inputs become fixed values. */
  private static Join concat(Node n, List<String> data, int[][] dataShapes, OnnxLowerer c)
      throws InputFormatException {
    int parts = n.inputs().size();
    int[][] shapes = new int[parts][];
    double[][] constants = new double[parts][];
    int d = 0;
    for (int q = 0; q < parts; q++) {
      if (d < data.size() && n.inputs().get(q).equals(data.get(d))) {
        shapes[q] = dataShapes[d++];
      } else {
        Tensor t = c.constantInput(n, q);
        constants[q] = c.finite(n, t);
        shapes[q] = Arrays.stream(t.dims()).mapToInt(x -> (int) x).toArray();
      }
    }
    int rank = shapes[0].length;
    long axisAttr = c.attrInt(n, "axis", Long.MIN_VALUE);
    if (axisAttr == Long.MIN_VALUE) {
      throw c.fail(n, "attribute 'axis' is required");
    }
    int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
    if (axis < 0 || axis >= rank) {
      throw c.fail(n, "axis " + axisAttr + " is out of range for rank " + rank);
    }
    int[] out = shapes[0].clone();
    out[axis] = 0;
    for (int q = 0; q < parts; q++) {
      boolean fits = shapes[q].length == rank;
      for (int k = 0; k < rank && fits; k++) {
        fits = k == axis || shapes[q][k] == shapes[0][k];
      }
      if (!fits) {
        throw c.fail(n, "input " + (q + 1) + " of shape " + Arrays.toString(shapes[q])
            + " does not match " + Arrays.toString(shapes[0]) + " outside axis " + axis);
      }
      out[axis] += shapes[q][axis];
    }
    int outer = 1;
    int inner = 1;
    for (int k = 0; k < rank; k++) {
      if (k < axis) {
        outer *= out[k];
      } else if (k > axis) {
        inner *= out[k];
      }
    }
    int size = size(out);
    int[] source = new int[size];
    double[] fixed = new double[size];
    int inputAt = 0; // start of the current data input in the joined input vector
    int along = 0; // start of the current part along the axis
    for (int q = 0; q < parts; q++) {
      int a = shapes[q][axis];
      for (int o = 0; o < outer; o++) {
        for (int j = 0; j < a; j++) {
          for (int i = 0; i < inner; i++) {
            int to = (o * out[axis] + along + j) * inner + i;
            int from = (o * a + j) * inner + i;
            source[to] = constants[q] == null ? inputAt + from : -1;
            fixed[to] = constants[q] == null ? 0 : constants[q][from];
          }
        }
      }
      along += a;
      if (constants[q] == null) {
        inputAt += size(shapes[q]);
      }
    }
    return new Join(mapping(n.label(), "concat", inputAt, source, fixed), out);
  }

  /** {@code y_i = x[source[i]]}, or {@code fixed[i]} where {@code source[i] < 0}. */
  static SparseAffineLayer mapping(String name, String kind, int inputSize, int[] source,
      double[] fixed) {
    int[] rowStart = new int[source.length + 1];
    List<Integer> col = new ArrayList<>();
    double[] bias = new double[source.length];
    for (int i = 0; i < source.length; i++) {
      if (source[i] >= 0) {
        col.add(source[i]);
      } else {
        bias[i] = fixed[i];
      }
      rowStart[i + 1] = col.size();
    }
    double[] ones = new double[col.size()];
    Arrays.fill(ones, 1.0);
    return new SparseAffineLayer(name, kind, inputSize, rowStart,
        col.stream().mapToInt(Integer::intValue).toArray(), ones, bias);
  }

  static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  private static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int k = shape.length - 1; k >= 0; k--) {
      s[k] = acc;
      acc *= shape[k];
    }
    return s;
  }

  /** Row-major multi-index of flat index {@code flat} in {@code shape}. */
  private static int[] index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int k = shape.length - 1; k >= 0; k--) {
      idx[k] = flat % shape[k];
      flat /= shape[k];
    }
    return idx;
  }

  private static void append(Node n, OnnxLowerer c, String kind, int[] source, double[] fixed,
      int[] out) {
    c.segment().append(mapping(n.label(), kind, size(c.segment().shape()), source, fixed), out);
  }

  /** Gather with constant indices along {@code axis} (negative indices count from the end). */
  private static void gather(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0 || n.inputs().size() != 2) {
      throw c.fail(n, "expected inputs (data, constant indices)");
    }
    int[] s = c.segment().shape();
    Tensor t = c.constantInput(n, 1);
    long axisAttr = c.attrInt(n, "axis", 0);
    int axis = (int) (axisAttr < 0 ? axisAttr + s.length : axisAttr);
    if (axis < 0 || axis >= s.length) {
      throw c.fail(n, "axis " + axisAttr + " is out of range for shape " + Arrays.toString(s));
    }
    double[] idx = t.values();
    int[] out = new int[s.length - 1 + t.dims().length];
    System.arraycopy(s, 0, out, 0, axis);
    for (int k = 0; k < t.dims().length; k++) {
      out[axis + k] = (int) t.dims()[k];
    }
    System.arraycopy(s, axis + 1, out, axis + t.dims().length, s.length - axis - 1);
    int[] picked = new int[idx.length];
    for (int k = 0; k < idx.length; k++) {
      double v = idx[k] < 0 ? idx[k] + s[axis] : idx[k];
      if (v != Math.rint(v) || v < 0 || v >= s[axis]) {
        throw c.fail(n, "index " + idx[k] + " is out of range for axis " + axis + " of size "
            + s[axis]);
      }
      picked[k] = (int) v;
    }
    int outer = 1;
    for (int k = 0; k < axis; k++) {
      outer *= s[k];
    }
    int inner = 1;
    for (int k = axis + 1; k < s.length; k++) {
      inner *= s[k];
    }
    int[] source = new int[outer * idx.length * inner];
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < idx.length; j++) {
        for (int i = 0; i < inner; i++) {
          source[(o * idx.length + j) * inner + i] = (o * s[axis] + picked[j]) * inner + i;
        }
      }
    }
    append(n, c, "gather", source, new double[source.length], out);
  }

  private static void transpose(Node n, OnnxLowerer c) throws InputFormatException {
    c.dataInput(n);
    int[] s = c.segment().shape();
    int rank = s.length;
    long[] reversed = new long[rank];
    for (int k = 0; k < rank; k++) {
      reversed[k] = rank - 1 - k;
    }
    long[] perm = c.attrInts(n, "perm", reversed);
    boolean[] seen = new boolean[rank];
    if (perm.length != rank) {
      throw c.fail(n, "perm " + Arrays.toString(perm) + " is not a permutation of rank " + rank);
    }
    for (long p : perm) {
      if (p < 0 || p >= rank || seen[(int) p]) {
        throw c.fail(n, "perm " + Arrays.toString(perm) + " is not a permutation of rank "
            + rank);
      }
      seen[(int) p] = true;
    }
    int[] out = new int[rank];
    for (int k = 0; k < rank; k++) {
      out[k] = s[(int) perm[k]];
    }
    int[] inStride = strides(s);
    int[] source = new int[size(s)];
    for (int o = 0; o < source.length; o++) {
      int[] idx = index(o, out);
      int from = 0;
      for (int k = 0; k < rank; k++) {
        from += idx[k] * inStride[(int) perm[k]];
      }
      source[o] = from;
    }
    append(n, c, "transpose", source, new double[source.length], out);
  }

  /** Slice by constant starts, ends, axes, steps (inputs since opset 10, attributes before). */
  private static void slice(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input");
    }
    int[] s = c.segment().shape();
    int rank = s.length;
    long[] starts;
    long[] ends;
    long[] axes = null;
    long[] steps = null;
    if (n.inputs().size() == 1) {
      starts = c.attrInts(n, "starts", null);
      ends = c.attrInts(n, "ends", null);
      axes = c.attrInts(n, "axes", null);
      if (starts == null || ends == null) {
        throw c.fail(n, "needs starts and ends");
      }
    } else {
      starts = longs(n, c, 1);
      ends = longs(n, c, 2);
      axes = n.inputs().size() > 3 && !n.inputs().get(3).isEmpty() ? longs(n, c, 3) : null;
      steps = n.inputs().size() > 4 && !n.inputs().get(4).isEmpty() ? longs(n, c, 4) : null;
    }
    if (ends == null || starts.length != ends.length || (axes != null
        && axes.length != starts.length) || (steps != null && steps.length != starts.length)) {
      throw c.fail(n, "starts, ends, axes and steps must have the same length");
    }
    int[] begin = new int[rank];
    int[] step = new int[rank];
    int[] out = s.clone();
    Arrays.fill(step, 1);
    boolean[] seen = new boolean[rank];
    for (int q = 0; q < starts.length; q++) {
      long a = axes == null ? q : axes[q] < 0 ? axes[q] + rank : axes[q];
      if (a < 0 || a >= rank || seen[(int) a]) {
        throw c.fail(n, "axis " + (axes == null ? q : axes[q]) + " is out of range or repeated"
            + " for rank " + rank);
      }
      seen[(int) a] = true;
      int dim = s[(int) a];
      long st = steps == null ? 1 : steps[q];
      if (st == 0) {
        throw c.fail(n, "step 0 on axis " + a);
      }
      long lo = starts[q] < 0 ? starts[q] + dim : starts[q];
      long hi = ends[q] < 0 ? ends[q] + dim : ends[q];
      long count;
      if (st > 0) {
        lo = Math.max(0, Math.min(dim, lo));
        hi = Math.max(0, Math.min(dim, hi));
        count = hi > lo ? (hi - lo + st - 1) / st : 0;
      } else {
        lo = Math.max(-1, Math.min(dim - 1, lo));
        hi = Math.max(-1, Math.min(dim - 1, hi));
        count = lo > hi ? (lo - hi + -st - 1) / -st : 0;
      }
      if (count == 0) {
        throw c.fail(n, "the slice of axis " + a + " is empty (zero-size tensors are not"
            + " supported)");
      }
      begin[(int) a] = (int) lo;
      step[(int) a] = (int) st;
      out[(int) a] = (int) count;
    }
    int[] inStride = strides(s);
    int[] source = new int[size(out)];
    for (int o = 0; o < source.length; o++) {
      int[] idx = index(o, out);
      int from = 0;
      for (int k = 0; k < rank; k++) {
        from += (begin[k] + idx[k] * step[k]) * inStride[k];
      }
      source[o] = from;
    }
    append(n, c, "slice", source, new double[source.length], out);
  }

  private static long[] longs(Node n, OnnxLowerer c, int k) throws InputFormatException {
    double[] v = c.constantInput(n, k).values();
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      if (v[i] != Math.rint(v[i])) {
        throw c.fail(n, "input " + (k + 1) + " must hold integers, found " + v[i]);
      }
      out[i] = (long) Math.max(Math.min(v[i], Integer.MAX_VALUE), Integer.MIN_VALUE);
    }
    return out;
  }

  /** Pad in constant mode: pads from input 2 (opset 11+) or attribute 'pads'; value 0 default. */
  private static void pad(Node n, OnnxLowerer c) throws InputFormatException {
    if (c.dataInput(n) != 0) {
      throw c.fail(n, "the data must be the first input");
    }
    String mode = c.attrString(n, "mode", "constant");
    if (!mode.equals("constant")) {
      throw c.fail(n, "mode '" + mode + "' is not supported (only 'constant')");
    }
    int[] s = c.segment().shape();
    int rank = s.length;
    long[] pads;
    double value = c.attrFloat(n, "value", 0.0);
    if (n.inputs().size() > 1 && !n.inputs().get(1).isEmpty()) {
      pads = longs(n, c, 1);
      if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
        double[] v = c.finite(n, c.constantInput(n, 2));
        if (v.length != 1) {
          throw c.fail(n, "constant_value must be one number, found " + v.length);
        }
        value = v[0];
      }
      if (n.inputs().size() > 3 && !n.inputs().get(3).isEmpty()) {
        throw c.fail(n, "the axes input is not supported (pad every axis)");
      }
    } else {
      pads = c.attrInts(n, "pads", null);
      if (pads == null) {
        throw c.fail(n, "needs pads");
      }
    }
    if (pads.length != 2 * rank) {
      throw c.fail(n, "pads has " + pads.length + " entries, expected " + 2 * rank
          + " (begin and end of each of " + rank + " axes)");
    }
    int[] out = new int[rank];
    for (int k = 0; k < rank; k++) {
      long d = s[k] + pads[k] + pads[k + rank];
      if (d <= 0 || d > 1 << 22) {
        throw c.fail(n, "pads " + Arrays.toString(pads) + " give axis " + k + " size " + d);
      }
      out[k] = (int) d;
    }
    int[] inStride = strides(s);
    int[] source = new int[size(out)];
    double[] fixed = new double[source.length];
    for (int o = 0; o < source.length; o++) {
      int[] idx = index(o, out);
      int from = 0;
      for (int k = 0; k < rank && from >= 0; k++) {
        long i = idx[k] - pads[k];
        from = i < 0 || i >= s[k] ? -1 : from + (int) i * inStride[k];
      }
      source[o] = from;
      fixed[o] = value;
    }
    append(n, c, "pad", source, fixed, out);
  }
}
