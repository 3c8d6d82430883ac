package dev.robustspec.engine.io;

import dev.robustspec.engine.io.OnnxProto.Attribute;
import dev.robustspec.engine.io.OnnxProto.Node;
import dev.robustspec.engine.io.OnnxProto.Tensor;
import dev.robustspec.engine.io.OnnxReader.Lowering;
import dev.robustspec.engine.network.ReshapeLayer;
import java.util.Arrays;
import java.util.Map;

/**
 * The lowering of ONNX's operators that only name or reshape values: {@code Flatten},
 * {@code Reshape} (0 and -1 entries, {@code allowzero}) and {@code Identity} become a
 * {@link ReshapeLayer} (kept, so that bound tables can name the node); {@code Constant} defines a
 * constant value for the nodes that use it.
 */
final class OnnxShapeOps {
  private OnnxShapeOps() {}

  /** Adds this class's operators to the reader's registry. */
  static void register(Map<String, Lowering> ops) {
    ops.put("Flatten", OnnxShapeOps::flatten);
    ops.put("Reshape", OnnxShapeOps::reshape);
    ops.put("Identity", OnnxShapeOps::identity);
    ops.put("Constant", OnnxShapeOps::constant);
  }

  private static void flatten(Node n, OnnxLowerer c) throws InputFormatException {
    c.dataInput(n);
    int[] shape = c.segment().shape();
    long axis = c.attrInt(n, "axis", 1);
    if (axis < 0) {
      axis += shape.length;
    }
    if (axis < 0 || axis > shape.length) {
      throw c.fail(n, "axis " + c.attrInt(n, "axis", 1) + " is out of range for shape "
          + Arrays.toString(shape));
    }
    int outer = 1;
    int inner = 1;
    for (int d = 0; d < shape.length; d++) {
      if (d < axis) {
        outer *= shape[d];
      } else {
        inner *= shape[d];
      }
    }
    reshapeTo(n, c, new int[] {outer, inner});
  }

  private static void reshape(Node n, OnnxLowerer c) throws InputFormatException {
    int data = c.dataInput(n);
    if (data != 0 || n.inputs().size() != 2) {
      throw c.fail(n, "expected inputs (data, shape)");
    }
    Tensor s = c.constantInput(n, 1);
    if (s.dims().length != 1) {
      throw c.fail(n, "the shape '" + s.name() + "' must be a 1-D tensor");
    }
    int[] shape = c.segment().shape();
    boolean allowZero = c.attrInt(n, "allowzero", 0) != 0;
    double[] v = s.values();
    int[] out = new int[v.length];
    int infer = -1;
    long known = 1;
    for (int d = 0; d < v.length; d++) {
      double x = v[d];
      if (x != Math.rint(x) || x < -1 || x > OnnxLowerer.MAX_VECTOR) {
        throw c.fail(n, "invalid shape entry " + x);
      }
      if (x == -1) {
        if (infer >= 0) {
          throw c.fail(n, "the shape has more than one -1");
        }
        infer = d;
        continue;
      }
      if (x == 0 && !allowZero) { // 0 copies the input dimension
        if (d >= shape.length) {
          throw c.fail(n, "shape entry 0 at position " + d + " has no input dimension to copy");
        }
        out[d] = shape[d];
      } else if (x == 0) {
        throw c.fail(n, "zero-size tensors are not supported");
      } else {
        out[d] = (int) x;
      }
      known *= out[d];
      if (known > OnnxLowerer.MAX_VECTOR) {
        throw c.fail(n, "shape is too large");
      }
    }
    long size = 1;
    for (int d : shape) {
      size *= d;
    }
    if (infer >= 0) {
      if (size % known != 0) {
        throw c.fail(n, "cannot reshape " + Arrays.toString(shape) + " (" + size
            + " elements) to " + Arrays.toString(v));
      }
      out[infer] = (int) (size / known);
      known = size;
    }
    if (known != size) {
      throw c.fail(n, "cannot reshape " + Arrays.toString(shape) + " (" + size + " elements) to "
          + Arrays.toString(out) + " (" + known + " elements)");
    }
    reshapeTo(n, c, out);
  }

  /** Kept as a (shape-preserving) reshape so bound tables can name the node. */
  private static void identity(Node n, OnnxLowerer c) throws InputFormatException {
    c.dataInput(n);
    reshapeTo(n, c, c.segment().shape().clone());
  }

  private static void reshapeTo(Node n, OnnxLowerer c, int[] out) {
    c.segment().append(new ReshapeLayer(n.label(), c.segment().shape().clone(), out), out);
  }

  private static void constant(Node n, OnnxLowerer c) throws InputFormatException {
    String out = n.outputs().isEmpty() ? "" : n.outputs().get(0);
    if (out.isEmpty()) {
      throw c.fail(n, "has no output");
    }
    if (n.attributes().size() != 1) {
      throw c.fail(n, "expected exactly one value attribute, found "
          + n.attributes().keySet());
    }
    Attribute a = n.attributes().values().iterator().next();
    Tensor t = switch (a.name()) {
      case "value" -> a.t();  // undecodable values are reported when a node uses them
      case "value_float" -> a.f() == null ? null
          : new Tensor(out, new long[0], OnnxProto.FLOAT, new double[] {a.f()});
      case "value_int" -> a.i() == null ? null
          : new Tensor(out, new long[0], OnnxProto.INT64, new double[] {a.i()});
      case "value_floats" -> {
        double[] d = new double[a.floats().length];
        for (int i = 0; i < d.length; i++) {
          d[i] = a.floats()[i];
        }
        yield new Tensor(out, new long[] {d.length}, OnnxProto.FLOAT, d);
      }
      case "value_ints" -> new Tensor(out, new long[] {a.ints().length}, OnnxProto.INT64,
          Arrays.stream(a.ints()).asDoubleStream().toArray());
      default -> throw c.fail(n, "unsupported Constant attribute '" + a.name() + "'");
    };
    if (t == null) {
      throw c.fail(n, "attribute '" + a.name() + "' has no value");
    }
    c.defineConstant(n, new Tensor(out, t.dims(), t.dataType(), t.values(), t.problem()));
  }
}
