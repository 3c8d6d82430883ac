// Replays counterexamples saved by `robustspec certify --save-counterexamples DIR` through ONNX
// Runtime, outside RobustSpec: each must lie within its eps of its image (exactly, in the scaled
// space: |x - p * scale| <= eps) and inside the clip range, and be misclassified by the model.
//
//   java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.20.0/onnxruntime-1.20.0.jar \
//     scripts/ReplayCounterexamples.java NET.onnx DATA.csv SCALE_DENOMINATOR CLIP_LO CLIP_HI DIR
//
// For --radius runs the eps in a file name is the falsified radius. No normalisation (mean 0,
// std 1) is assumed. Exit 1 when any counterexample fails.
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.math.BigDecimal;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ReplayCounterexamples {
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    List<String> data = Files.readAllLines(Path.of(args[1]));
    BigDecimal den = new BigDecimal(args[2]);
    BigDecimal lo = new BigDecimal(args[3]);
    BigDecimal hi = new BigDecimal(args[4]);
    Pattern name = Pattern.compile("item(\\d+)_eps(.+)\\.csv");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int ok = 0;
    int bad = 0;
    try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
        var files = Files.list(Path.of(args[5]))) {
      String input = session.getInputNames().iterator().next();
      long[] shape = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape();
      for (int d = 0; d < shape.length; d++) {
        shape[d] = Math.max(1, shape[d]);
      }
      for (Path f : files.sorted().toList()) {
        Matcher m = name.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        String[] px = data.get(Integer.parseInt(m.group(1))).split(",");
        BigDecimal eps = new BigDecimal(m.group(2));
        String[] v = Files.readString(f).strip().split(",");
        float[] x = new float[v.length];
        boolean within = v.length == px.length - 1;
        for (int i = 0; within && i < v.length; i++) {
          BigDecimal xi = new BigDecimal(Double.parseDouble(v[i]));
          within = xi.multiply(den).subtract(new BigDecimal(px[i + 1])).abs()
              .compareTo(eps.multiply(den)) <= 0 && xi.compareTo(lo) >= 0 && xi.compareTo(hi) <= 0;
          x[i] = Float.parseFloat(v[i]);
        }
        float[] y;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
            OrtSession.Result r = session.run(Map.of(input, t))) {
          FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
          y = new float[b.remaining()];
          b.get(y);
        }
        int label = Integer.parseInt(px[0]);
        boolean wrong = false;
        for (int j = 0; j < y.length; j++) {
          wrong |= j != label && y[j] >= y[label];
        }
        if (within && wrong) {
          ok++;
        } else {
          bad++;
          System.out.println(f + ": within eps " + within + ", misclassified " + wrong);
        }
      }
    }
    System.out.println(ok + " counterexamples replayed: within eps and misclassified; " + bad
        + " failed");
    System.exit(bad == 0 ? 0 : 1);
  }
}
