package dev.robustspec.lsp.service;

import dev.robustspec.engine.network.NodeView;
import java.util.List;
import java.util.Map;

/** A layer's bounds as hover Markdown: per pass, per channel of an image, the first neurons. */
final class LayerBoundsText {
  private LayerBoundsText() {}

  /** Per pass: the summary line, then the first neurons' intervals. */
  static void append(BoundsTable.LayerBounds lb, StringBuilder sb) {
    sb.append("| pass | min | max | mean width | active | inactive | unstable |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, BoundsTable.PassBounds> e : lb.bounds().entrySet()) {
      BoundsTable.PassBounds b = e.getValue();
      sb.append("| ").append(e.getKey()).append(" | ").append(Verdicts.number(b.min()))
          .append(" | ").append(Verdicts.number(b.max())).append(" | ")
          .append(Verdicts.number(b.meanWidth())).append(" | ").append(b.stableActive())
          .append(" | ").append(b.stableInactive()).append(" | ").append(b.unstable())
          .append(" |\n");
    }
    channelTable(lb, sb);
    for (Map.Entry<String, BoundsTable.PassBounds> e : lb.bounds().entrySet()) {
      List<BoundsTable.Interval> first = e.getValue().neurons();
      int shown = Math.min(8, first.size());
      sb.append("\n").append(e.getKey()).append(", neurons ").append(lb.neuronLabel(0))
          .append("–").append(lb.neuronLabel(shown - 1))
          .append(lb.size() > shown ? " of " + shapeLabel(lb) : "").append(": ");
      for (int i = 0; i < shown; i++) {
        sb.append(i == 0 ? "" : ", ").append('[')
            .append(Verdicts.number(first.get(i).lower())).append(", ")
            .append(Verdicts.number(first.get(i).upper())).append(']');
      }
      sb.append('\n');
    }
  }

  /** Per channel of a {@code (c, h, w)} value (the first 16) and pass: the summary line. */
  static void channelTable(BoundsTable.LayerBounds lb, StringBuilder sb) {
    int channels = lb.bounds().isEmpty() ? 0
        : lb.bounds().values().iterator().next().channels().size();
    if (channels == 0) {
      return;
    }
    sb.append("\nper channel:\n\n| channel | pass | min | max | mean width | active | inactive"
        + " | unstable |\n|---|---|---|---|---|---|---|---|\n");
    for (int c = 0; c < Math.min(channels, 16); c++) {
      for (Map.Entry<String, BoundsTable.PassBounds> e : lb.bounds().entrySet()) {
        var b = e.getValue().channels().get(c);
        sb.append("| ").append(c).append(" | ").append(e.getKey()).append(" | ")
            .append(Verdicts.number(b.min())).append(" | ").append(Verdicts.number(b.max()))
            .append(" | ").append(Verdicts.number(b.meanWidth())).append(" | ")
            .append(b.active()).append(" | ").append(b.dead()).append(" | ")
            .append(b.unstable()).append(" |\n");
      }
    }
    if (channels > 16) {
      sb.append("\n(channels 16 to ").append(channels - 1).append(" not shown)\n");
    }
  }

  /** {@code 50} for a vector, {@code 16x8x8} for an image. */
  static String shapeLabel(BoundsTable.LayerBounds lb) {
    return new NodeView(lb.name(), lb.kind(), lb.shape(), 0, null).shapeLabel();
  }
}
