package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.run.NodeBounds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A convolutional network (examples/collins, a VNN-COMP collins_rul_cnn net) in the language
 * server's bound tables and hovers: layers named by their ONNX nodes, with shapes, neurons by
 * (c, h, w), summaries per channel recomputed here from each layer's bounds.
 */
class ConvBoundsServiceTest {
  private static final String TEXT = "network rul = onnx(\"collins/NN_rul_small_window_20.onnx\")\n"
      + "property robust = vnnlib(\"collins/robustness_2perturbations_delta5_epsilon10_w20"
      + ".vnnlib\") on rul\nverify robust using interval\n";

  @Test
  void convLayersAreShownByNodeShapeAndChannel() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openText("collins_display.rspec", TEXT);
      BoundsTable t = f.service.bounds(uri, "robust", null);
      BoundsTable.LayerBounds conv = t.layer(0);
      assertEquals("conv_1", conv.name());
      assertEquals("conv", conv.kind());
      assertArrayEquals(new int[] {5, 16, 20}, conv.shape());
      assertEquals("(1, 2, 3)", conv.neuronLabel(320 + 2 * 20 + 3));
      for (BoundsTable.LayerBounds lb : t.layers()) {
        assertTrue(!lb.name().endsWith(":route"), "routes are not shown: " + lb.name());
        int plane = lb.shape().length == 3 ? lb.shape()[1] * lb.shape()[2] : 0;
        for (BoundsTable.PassBounds b : lb.bounds().values()) {
          assertEquals(lb.size(), b.lower().length, lb.name());
          List<NodeBounds.Summary> channels = b.channels();
          assertEquals(plane > 1 ? lb.shape()[0] : 0, channels.size(), lb.name());
          for (int c = 0; c < channels.size(); c++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
              min = Math.min(min, b.lower()[i]);
              max = Math.max(max, b.upper()[i]);
            }
            assertEquals(min, channels.get(c).min(), 0.0);
            assertEquals(max, channels.get(c).max(), 0.0);
          }
        }
      }
      // the network hover lists nodes with their shapes; the layer's bound hover, per channel
      String hover = f.service.hover(uri, TEXT.indexOf("rul")).markdown();
      assertTrue(hover.contains("| conv_1 | conv | 400 → 5x16x20 |"), hover);
      StringBuilder sb = new StringBuilder();
      LayerBoundsText.append(conv, sb);
      assertTrue(sb.toString().contains("per channel:") && sb.toString().contains("| 4 | interval |")
          && sb.toString().contains("neurons (0, 0, 0)–(0, 0, 7) of 5x16x20"), sb.toString());
    }
  }
}
