package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's editor features on a 2-input classifier whose robustness radius is known by
 * enumeration: the radius quick fix (its edit, and re-verification after applying it), the
 * per-item table and its code lens.
 */
class EditorFixesTest {
  /** The tutorial's classifier: y0 = relu(2a + b) + relu(a - 2b), y1 = relu(-a + b + 0.5). */
  static double[] classifier(double a, double b) {
    double h0 = Math.max(0, 2 * a + b);
    double h1 = Math.max(0, -a + b + 0.5);
    double h2 = Math.max(0, a - 2 * b);
    return new double[] {h0 + h2, h1};
  }

  static final String NET = """
      network classifier {
        input x[2]
        dense [[2, 1], [-1, 1], [1, -2]] + [0, 0.5, 0]
        relu
        dense [[1, 0, 1], [0, 1, 0]] + [0, 0]
      }
      """;

  /**
   * The L-inf distance from {@code (ca, cb)} to the nearest point of a fine grid over the clip
   * square [0, 2]^2 where the label's output is not the strict largest: an upper estimate (by
   * the grid step) of the true robustness radius, independent of the verifier.
   */
  static double gridRadius(double ca, double cb, int label) {
    double best = Double.POSITIVE_INFINITY;
    int n = 800;
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        double a = 2.0 * i / n;
        double b = 2.0 * j / n;
        double[] y = classifier(a, b);
        if (y[1 - label] >= y[label]) {
          best = Math.min(best, Math.max(Math.abs(a - ca), Math.abs(b - cb)));
        }
      }
    }
    return best;
  }

  static final double GRID_STEP = 2.0 / 800;

  @Test
  void theRadiusFixSetsEpsToACertifiedRadiusNearTheTrueOne() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String text = NET + """
          param eps = 1.0
          region around = linf(center = [1, 0.25], eps = eps) clip [0, 2]
          property class_0: forall x in around: argmax(classifier(x)) == 0
          """;
      String uri = f.openText("radius_fix.rspec", text);
      assertEquals(PropertyStatus.State.FALSIFIED,
          ServiceFixture.status(f.awaitVerdicts(uri, 1), "class_0").state());
      RadiusFixes.Fix fix = f.service.radiusFix(uri, "class_0");
      assertNotNull(fix, "a falsified ball with an eps literal gets the fix");
      // the edit replaces the literal of the param, nothing else
      assertEquals("1.0", text.substring(fix.range().startOffset(), fix.range().endOffset()));
      assertEquals(text.indexOf("1.0"), fix.range().startOffset());
      double r = Double.parseDouble(fix.newText());
      assertTrue(fix.title().startsWith("Set eps to " + fix.newText()
          + " (largest radius certified for class_0"), fix.title());
      // sound: below the true radius; tight: bab on 2 inputs is complete, so the bracket
      // closes within the search's tolerance (1/64) and the 3-digit rounding
      double truth = gridRadius(1, 0.25, 0);
      assertTrue(r < truth, r + " must lie below the radius found by enumeration " + truth);
      assertTrue(r > truth - GRID_STEP - 1.0 / RadiusFixes.TOLERANCE_DIVISOR - 0.01,
          r + " is far below the true radius " + truth);
      // applied and verified again: certified
      String fixed = text.substring(0, fix.range().startOffset()) + fix.newText()
          + text.substring(fix.range().endOffset());
      f.service.change(uri, 2, fixed);
      assertEquals(PropertyStatus.State.CERTIFIED,
          ServiceFixture.status(f.awaitVerdicts(uri, 2), "class_0").state());
      assertNull(f.service.radiusFix(uri, "class_0"), "a certified property needs no fix");
    }
  }

  @Test
  void aLiteralEpsInADataSetPropertyIsSetForEveryItemButTheMisclassifiedOnes(
      @TempDir Path dir) throws Exception {
    // item 0 has label 0 at (1, 0.25), item 1 label 1 at (0, 1.5), item 2 is item 0's point
    // with the wrong label: misclassified at its centre, no radius certifies it
    Path csv = dir.resolve("points.csv");
    Files.writeString(csv, "0,1,0.25\n1,0,1.5\n1,1,0.25\n");
    try (ServiceFixture f = new ServiceFixture()) {
      String text = NET + "dataset points = csv(\"" + csv.toString().replace("\\", "/")
          + "\")\n" + """
          property robust: forall (p, label) in points:
            forall x in linf(center = p, eps = 0.9) clip [0, 2]: argmax(classifier(x)) == label
          """;
      String uri = f.openText("radius_items.rspec", text);
      List<PropertyStatus> v = f.awaitVerdicts(uri, 1);
      assertEquals(3, v.size());

      // the per-item table: one row per item, the falsified item's margin from its output
      ItemTable t = f.service.itemTable(uri, "robust");
      assertEquals(List.of(0, 1, 2), t.rows().stream().map(ItemTable.Row::index).toList());
      assertEquals(List.of(0, 1, 1), t.rows().stream().map(ItemTable.Row::label).toList());
      for (ItemTable.Row row : t.rows()) {
        PropertyStatus s = ServiceFixture.status(v, "robust[" + row.index() + "]");
        assertEquals(s.state().word(), row.verdict());
        if (s.state() == PropertyStatus.State.FALSIFIED) {
          double[] x = f.service.counterexample(uri, s.name()).input();
          double[] y = classifier(x[0], x[1]);
          assertEquals(y[row.label()] - y[1 - row.label()], row.margin(), 1e-9);
          assertTrue(row.margin() <= 0, "a counterexample's margin is not positive");
        }
      }
      assertEquals("falsified", t.rows().get(2).verdict(), "misclassified at its centre");
      String csvText = t.csv();
      assertEquals("index,label,verdict,decided_by,margin,seconds", csvText.lines().findFirst()
          .orElseThrow());
      assertEquals(4, csvText.lines().count());
      assertTrue(t.markdown().contains("| 2 | 1 | falsified |"), t.markdown());
      assertThrows(LanguageService.ServiceException.class,
          () -> f.service.itemTable(uri, "nonesuch"));

      // one lens for the three items, opening the table
      List<CodeLenses.Lens> lenses = f.service.codeLenses(uri);
      assertEquals(1, lenses.size(), lenses.toString());
      CodeLenses.Lens lens = lenses.get(0);
      long certified = t.rows().stream().filter(r -> r.verdict().equals("certified")).count();
      assertEquals("✗ certified " + certified + "/3 · open table", lens.title());
      assertEquals(CodeLenses.ITEM_TABLE, lens.command());
      assertEquals(List.of(uri, "robust", "markdown"), lens.arguments());
      assertEquals("robust", text.substring(lens.range().startOffset(),
          lens.range().endOffset()));

      // the fix: every item but item 2 certified at R; R below both true radii
      RadiusFixes.Fix fix = f.service.radiusFix(uri, "robust");
      assertNotNull(fix);
      assertEquals("0.9", text.substring(fix.range().startOffset(), fix.range().endOffset()));
      assertTrue(fix.title().contains("every item of robust but 1 not certified at radius 0"
          + " (robust[2])"), fix.title());
      double r = Double.parseDouble(fix.newText());
      double truth = Math.min(gridRadius(1, 0.25, 0), gridRadius(0, 1.5, 1));
      assertTrue(r < truth, r + " vs " + truth);
      assertTrue(r > truth - GRID_STEP - 0.9 / RadiusFixes.TOLERANCE_DIVISOR - 0.01,
          r + " vs " + truth);
      f.service.change(uri, 2, text.substring(0, fix.range().startOffset()) + fix.newText()
          + text.substring(fix.range().endOffset()));
      List<PropertyStatus> after = f.awaitVerdicts(uri, 2);
      assertEquals(PropertyStatus.State.CERTIFIED,
          ServiceFixture.status(after, "robust[0]").state());
      assertEquals(PropertyStatus.State.CERTIFIED,
          ServiceFixture.status(after, "robust[1]").state());
      assertEquals(PropertyStatus.State.FALSIFIED,
          ServiceFixture.status(after, "robust[2]").state());
    }
  }

  @Test
  void theHoverOfADataSetPropertyShowsEachFalsifiedItemsPicture() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      // the first two MNIST test images at eps 0.05: both falsified (by the attack, quickly)
      String text = """
          network mnist = onnx("mnist/mnist-net_256x2.onnx")
          dataset digits = csv("../../shared/datasets/mnist_test.csv", scale = 1/255, rows = 0..1)
          property robust: forall (image, label) in digits:
            forall x in linf(center = image, eps = 0.05) clip [0, 1]: argmax(mnist(x)) == label
          """;
      String uri = f.openText("digits_hover.rspec", text);
      List<PropertyStatus> v = f.awaitVerdicts(uri, 1);
      assertEquals(PropertyStatus.State.FALSIFIED, ServiceFixture.status(v, "robust[0]").state());
      HoverResult h = f.service.hover(uri, text.indexOf("robust") + 2);
      assertNotNull(h);
      String md = h.markdown();
      assertTrue(md.contains("2 items, certified 0, falsified 2"), md);
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("item (\\d+): label (\\d+), predicted (\\d+)\n\n!\\[item \\d+ "
              + "counterexample\\]\\(data:image/png;base64,([A-Za-z0-9+/=]+)\\)").matcher(md);
      int pictures = 0;
      while (m.find()) {
        pictures++;
        int index = Integer.parseInt(m.group(1));
        var item = f.service.analysis(uri).property("robust[" + index + "]").item();
        assertEquals(item.label(), Integer.parseInt(m.group(2)));
        Verdicts.Counterexample c = f.service.counterexample(uri, "robust[" + index + "]");
        int predicted = 0;
        for (int j = 1; j < c.output().length; j++) {
          predicted = c.output()[j] > c.output()[predicted] ? j : predicted;
        }
        assertTrue(predicted != item.label(), "the counterexample is misclassified");
        assertEquals(predicted, Integer.parseInt(m.group(3)));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(
            new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(m.group(4))));
        // three 168-pixel panels (28 pixels, 6 each) and margins; 28 rows below a caption
        assertEquals(3 * 168 + 40, img.getWidth());
        assertEquals(28 * 6 + 42, img.getHeight());
        double[] x = c.input();
        double[] o = item.center();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
          assertTrue(Math.abs(x[i] - o[i]) <= 0.05 + 1e-12, "within eps of the image");
          lo = Math.min(lo, Math.min(x[i], o[i]));
          hi = Math.max(hi, Math.max(x[i], o[i]));
        }
        for (int i = 0; i < x.length; i++) {
          int row = i / 28;
          int col = i % 28;
          // every pixel of the original and adversarial panels is its value's grey
          assertEquals(grey((o[i] - lo) / (hi - lo)),
              img.getRGB(10 + col * 6 + 3, 34 + row * 6 + 3) & 0xff, "original pixel " + i);
          assertEquals(grey((x[i] - lo) / (hi - lo)),
              img.getRGB(20 + 168 + col * 6 + 3, 34 + row * 6 + 3) & 0xff,
              "adversarial pixel " + i);
        }
      }
      assertEquals(2, pictures, md);
    }
  }

  private static int grey(double t) {
    return (int) Math.round(255 * Math.min(1, Math.max(0, t)));
  }

  @Test
  void noFixWithoutAnEpsLiteral() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample("tutorial.rspec");
      f.awaitVerdicts(uri, 1);
      assertNull(f.service.radiusFix(uri, "below_1_2"), "a box region has no eps");
    }
  }
}
