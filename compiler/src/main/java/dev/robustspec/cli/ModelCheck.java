package dev.robustspec.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Box;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The independent check of our import of a model: ONNX Runtime (Microsoft's reference runtime,
 * float32) and our forward pass ({@link Network#evaluate}, double) evaluate the same points of
 * the input box, and must agree within {@link #TOLERANCE_ULPS} float32 ulps of the output's
 * magnitude {@code max(1, max_j |y_j|)}: far above float32 rounding on these nets, far below
 * any misread weight, shape or operator. As NNV does, a model that fails is not verified.
 * ONNX Runtime is only this check: no bound ever comes from it.
 */
public final class ModelCheck {
  /** Allowed deviation in float32 ulps of the output magnitude (2^10 ulps ~ 1.2e-4 relative). */
  public static final double TOLERANCE_ULPS = 1024;

  /** The first point where the two disagree, with both outputs. */
  public record Mismatch(double[] point, double[] ours, double[] onnxRuntime, int output) {}

  /** Points compared, the largest deviation seen in units of the tolerance, a mismatch or null. */
  public record Report(int points, double worstRatio, Mismatch mismatch) {}

  /** ONNX Runtime could not load or run the model. */
  public static final class RuntimeFailure extends Exception {
    RuntimeFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ModelCheck() {}

  /** The tolerance for outputs {@code y}, as stated in the class comment. */
  public static double tolerance(double[] y) {
    double m = 1;
    for (double v : y) {
      m = Math.max(m, Math.abs(v));
    }
    return TOLERANCE_ULPS * Math.ulp((float) m);
  }

  /**
   * Compares {@code net} (read from {@code model}) with ONNX Runtime on {@code points} points of
   * {@code box}: its centre, its two extreme corners, then uniform random points.
   */
  public static Report check(Path model, Network net, Box box, int points, long seed)
      throws RuntimeFailure {
    if (!bundledPlatform()) {
      throw new RuntimeFailure("--check-model needs ONNX Runtime's native library, bundled for"
          + " linux-x64 only (this is " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch") + "); run without --check-model", null);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model.toString(), options)) {
        String input = session.getInputNames().iterator().next();
        NodeInfo info = session.getInputInfo().get(input);
        if (!(info.getInfo() instanceof TensorInfo tensor)) {
          throw new RuntimeFailure("the model's input '" + input + "' is not a tensor", null);
        }
        long[] shape = tensor.getShape().clone();
        for (int k = 0; k < shape.length; k++) {
          shape[k] = shape[k] <= 0 ? 1 : shape[k]; // dynamic (batch) dimensions: 1
        }
        if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != net.inputSize()) {
          throw new RuntimeFailure("ONNX Runtime sees input shape " + Arrays.toString(shape)
              + ", our reader " + net.inputSize() + " values", null);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double worst = 0;
        for (int p = 0; p < points; p++) {
          double[] x = point(box, p, random);
          double[] ours = net.evaluate(x);
          double[] theirs = run(env, session, input, tensor.type, shape, x);
          if (theirs.length != ours.length) {
            throw new RuntimeFailure("ONNX Runtime gives " + theirs.length + " outputs, our"
                + " reader " + ours.length, null);
          }
          double tol = tolerance(ours);
          for (int j = 0; j < ours.length; j++) {
            double ratio = Math.abs(ours[j] - theirs[j]) / tol;
            if (!(ratio <= 1)) {
              return new Report(p + 1, ratio, new Mismatch(x, ours, theirs, j));
            }
            worst = Math.max(worst, ratio);
          }
        }
        return new Report(points, worst, null);
      }
    } catch (OrtException | RuntimeException | LinkageError e) {
      throw new RuntimeFailure("ONNX Runtime could not evaluate " + model.getFileName() + ": "
          + e.getMessage(), e);
    }
  }

  /** The platform whose ONNX Runtime natives dist/pom.xml keeps in the jar. */
  static boolean bundledPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** The refusal message for a failed report: the network, the point and both outputs. */
  public static String refusal(Path model, Report r) {
    Mismatch m = r.mismatch();
    return model + ": our forward pass differs from ONNX Runtime's at output " + m.output()
        + " (by " + String.format(java.util.Locale.ROOT, "%.3g", r.worstRatio())
        + " times the tolerance of " + (int) TOLERANCE_ULPS
        + " float32 ulps of the output's magnitude); refusing to verify.\n  point: "
        + Arrays.toString(m.point()) + "\n  ours: " + Arrays.toString(m.ours())
        + "\n  ONNX Runtime: " + Arrays.toString(m.onnxRuntime());
  }

  private static double[] point(Box box, int p, SplittableRandom random) {
    int n = box.dimension();
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double lo = box.lower()[i];
      double hi = box.upper()[i];
      x[i] = switch (p) {
        case 0 -> lo + (hi - lo) / 2;
        case 1 -> lo;
        case 2 -> hi;
        default -> Math.min(hi, lo + random.nextDouble() * (hi - lo));
      };
      // ONNX Runtime reads float32: compare on the float32 point both evaluate exactly
      if (!Float.isFinite((float) x[i])) {
        x[i] = 0;
      }
      x[i] = (float) x[i];
    }
    return x;
  }

  /** The model's output at {@code x} by ONNX Runtime (float32 inputs: {@code x} rounded). */
  static double[] evaluate(Path model, double[] x) throws OrtException, RuntimeFailure {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString(),
        new OrtSession.SessionOptions())) {
      String input = session.getInputNames().iterator().next();
      TensorInfo info = (TensorInfo) session.getInputInfo()
          .get(input).getInfo();
      long[] shape = info.getShape();
      for (int d = 0; d < shape.length; d++) {
        shape[d] = shape[d] < 0 ? 1 : shape[d];
      }
      return run(env, session, input, info.type, shape, x);
    }
  }

  private static double[] run(OrtEnvironment env, OrtSession session, String input,
      OnnxJavaType type, long[] shape, double[] x) throws OrtException, RuntimeFailure {
    OnnxTensor t;
    if (type == OnnxJavaType.FLOAT) {
      float[] f = new float[x.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) x[i];
      }
      t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
    } else if (type == OnnxJavaType.DOUBLE) {
      t = OnnxTensor.createTensor(env, DoubleBuffer.wrap(x.clone()), shape);
    } else {
      throw new RuntimeFailure("the model's input has element type " + type
          + "; the check supports float and double", null);
    }
    try (t; OrtSession.Result r = session.run(Map.of(input, t))) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      if (out.getInfo().type == OnnxJavaType.DOUBLE) {
        DoubleBuffer b = out.getDoubleBuffer();
        double[] y = new double[b.remaining()];
        b.get(y);
        return y;
      }
      FloatBuffer b = out.getFloatBuffer();
      double[] y = new double[b.remaining()];
      for (int i = 0; i < y.length; i++) {
        y[i] = b.get(i);
      }
      return y;
    }
  }
}
