package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * A convolutional network (examples/collins.rspec, a VNN-COMP collins_rul_cnn net; its table is
 * CliGoldenTest's bounds_collins_rspec_robust_interval) in the
 * bound tables and plots: its layers named by their ONNX nodes, with their shapes, neurons by
 * (c, h, w) and a summary per channel.
 */
class ConvDisplayCliTest {
  private static final String RSPEC = "examples/collins.rspec";

  /**
   * The JSON's per-neuron indices are the row-major (c, h, w) of each flat position, and each
   * channel's summary is recomputed here from the layer's lower and upper arrays.
   */
  @Test
  void boundsJsonIndexesNeuronsByChannelAndPosition() {
    CliRun r = CliRun.of("bounds", RSPEC, "--property", "robust", "--pass", "deeppoly",
        "--json");
    assertEquals(0, r.exit(), r.err());
    JsonArray layers = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("layers");
    int images = 0;
    for (var e : layers) {
      JsonObject l = e.getAsJsonObject();
      JsonArray shape = l.getAsJsonArray("shape");
      JsonArray lower = l.getAsJsonArray("lower");
      JsonArray upper = l.getAsJsonArray("upper");
      int size = 1;
      for (var d : shape) {
        size *= d.getAsInt();
      }
      assertEquals(size, lower.size(), l.get("name").getAsString());
      if (shape.size() != 3) {
        continue;
      }
      images++;
      int c = shape.get(0).getAsInt();
      int h = shape.get(1).getAsInt();
      int w = shape.get(2).getAsInt();
      JsonArray neurons = l.getAsJsonArray("neurons");
      for (int i = 0; i < size; i++) {
        JsonObject n = neurons.get(i).getAsJsonObject();
        JsonArray idx = n.getAsJsonArray("index");
        assertEquals(i / (h * w), idx.get(0).getAsInt());
        assertEquals(i / w % h, idx.get(1).getAsInt());
        assertEquals(i % w, idx.get(2).getAsInt());
        assertEquals(lower.get(i).getAsDouble(), n.get("lower").getAsDouble(), 0.0);
      }
      JsonArray channels = l.getAsJsonArray("channels");
      if (h * w == 1) { // (c, 1, 1): a vector, no summary per channel
        assertEquals(null, channels);
        continue;
      }
      assertEquals(c, channels.size());
      for (int ch = 0; ch < c; ch++) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double width = 0;
        int active = 0;
        for (int i = ch * h * w; i < (ch + 1) * h * w; i++) {
          min = Math.min(min, lower.get(i).getAsDouble());
          max = Math.max(max, upper.get(i).getAsDouble());
          width += upper.get(i).getAsDouble() - lower.get(i).getAsDouble();
          active += lower.get(i).getAsDouble() >= 0 ? 1 : 0;
        }
        JsonObject s = channels.get(ch).getAsJsonObject();
        assertEquals(min, s.get("min").getAsDouble(), 0.0);
        assertEquals(max, s.get("max").getAsDouble(), 0.0);
        assertEquals(width / (h * w), s.get("meanWidth").getAsDouble(), 1e-12 * (1 + width));
        assertEquals(active, s.get("active").getAsInt());
      }
    }
    assertTrue(images > 0, "the conv net has image-shaped layers: " + r.out().substring(0, 300));
  }

  /** --neurons C,H,W;C,H,W draws the same picture as the flat indices of those neurons. */
  @Test
  void plotTakesNeuronsByChannelAndPosition() {
    CliRun json = CliRun.of("bounds", RSPEC, "--property", "robust", "--pass", "interval",
        "--json");
    JsonArray shape = JsonParser.parseString(json.out()).getAsJsonObject()
        .getAsJsonArray("layers").get(0).getAsJsonObject().getAsJsonArray("shape");
    assertEquals(3, shape.size(), "the first shown layer is a convolution");
    int h = shape.get(1).getAsInt();
    int w = shape.get(2).getAsInt();
    CliRun byIndex = CliRun.of("plot", RSPEC, "--property", "robust", "--layer", "1",
        "--neurons", "0,1,0;1,1,0", "--samples", "300", "--out", "-");
    assertEquals(0, byIndex.exit(), byIndex.err());
    int first = 0 * h * w + 1 * w + 0; // (0, 1, 0), row-major
    int second = 1 * h * w + 1 * w + 0; // (1, 1, 0)
    CliRun flat = CliRun.of("plot", RSPEC, "--property", "robust", "--layer", "1",
        "--neurons", first + "," + second, "--samples", "300", "--out", "-");
    assertEquals(0, flat.exit(), flat.err());
    assertEquals(flat.out(), byIndex.out());
    assertTrue(byIndex.out().contains("(0, 1, 0) (before ReLU)"), "axis labelled by (c, h, w)");
    CliRun outside = CliRun.of("plot", RSPEC, "--property", "robust", "--layer", "1",
        "--neurons", "0,1,0;0," + h + ",0", "--out", "-");
    assertEquals(ExitCodes.INPUT_ERROR, outside.exit());
    assertTrue(outside.err().contains("has shape"), outside.err());
  }
}
