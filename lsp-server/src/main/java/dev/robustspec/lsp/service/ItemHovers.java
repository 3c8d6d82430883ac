package dev.robustspec.lsp.service;

import dev.robustspec.cli.CounterexampleFiles;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.verify.Verdict;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The hover of a property over a data set: its counts, and the picture of each of its first
 * falsified items whose input is an image (original, adversarial, difference magnified, true and
 * predicted class: the PNG {@code --save-counterexamples} writes), embedded as a data URI.
 */
final class ItemHovers {
  /** Pictures in one hover (each is about 10 kB of base64). */
  static final int PICTURES = 3;

  private ItemHovers() {}

  static String text(Analysis a, String property, Iterable<PropertyStatus> statuses) {
    ItemTable table = ItemTable.of(a, property, statuses);
    StringBuilder sb = new StringBuilder("**property** `").append(property).append("` over a data set: ");
    if (table.rows().isEmpty()) {
      return sb.append("does not compile (see the errors)").toString();
    }
    long certified = table.rows().stream().filter(r -> r.verdict().equals("certified")).count();
    long falsified = table.rows().stream().filter(r -> r.verdict().equals("falsified")).count();
    sb.append(table.rows().size()).append(" items, certified ").append(certified)
        .append(", falsified ").append(falsified).append(" (the lens above opens the table)");
    List<PropertyStatus> shown = new ArrayList<>();
    for (PropertyStatus s : statuses) {
      CompiledProperty p = a.property(s.name());
      if (s.state() == PropertyStatus.State.FALSIFIED && p != null && p.item() != null
          && p.item().property().equals(property)) {
        shown.add(s);
      }
    }
    shown.sort(Comparator.comparingInt(s -> a.property(s.name()).item().index()));
    int n = 0;
    for (PropertyStatus s : shown) {
      if (n == PICTURES) {
        sb.append("\n\n(").append(shown.size() - PICTURES).append(" more falsified items)");
        break;
      }
      CompiledProperty p = a.property(s.name());
      Verdict.Falsified f = (Verdict.Falsified) s.result().verdict();
      String uri = dataUri(p, f);
      if (uri == null) {
        break; // not an image: no item has a picture
      }
      sb.append("\n\nitem ").append(p.item().index()).append(": label ").append(p.item().label())
          .append(", predicted ").append(argmax(f.output())).append("\n\n![item ")
          .append(p.item().index()).append(" counterexample](").append(uri).append(')');
      n++;
    }
    return sb.toString();
  }

  /** The counterexample picture as a {@code data:image/png;base64,...} URI, or null. */
  static String dataUri(CompiledProperty p, Verdict.Falsified f) {
    BufferedImage img = CounterexampleFiles.propertyPicture(f.input(), p.item().center(),
        p.item().label(), f.output());
    if (img == null) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory stream does not fail
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static int argmax(double[] y) {
    int best = 0;
    for (int j = 1; j < y.length; j++) {
      best = y[j] > y[best] ? j : best;
    }
    return best;
  }
}
