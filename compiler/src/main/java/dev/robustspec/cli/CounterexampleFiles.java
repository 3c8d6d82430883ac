package dev.robustspec.cli;

import dev.robustspec.engine.io.dataset.NpyWriter;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Saves a counterexample where a user can open it: {@code DIR/item<index>_eps<eps>.csv} (one
 * line, the network's input values), {@code .npy} beside it and, for image-shaped inputs, a PNG
 * with the original, the adversarial image and their difference magnified, with the true and
 * predicted class. The picture ({@link #png}) is public: the language server's hover shows it.
 */
public final class CounterexampleFiles {
  /** Pixels per image pixel in the PNG. */
  private static final int ZOOM = 6;

  /** How the items' pictures look: {@code [H, W]} or {@code [H, W, C]}, and the value range. */
  public record Picture(int[] shape, double low, double high) {}

  private CounterexampleFiles() {}

  /**
   * Writes the files; {@code original} and {@code adversarial} are in the scaled space (for
   * the picture), {@code input} is what the network reads.
   */
  static void save(Path dir, int index, String eps, double[] input, int[] inputShape,
      Picture picture, double[] original, double[] adversarial, int label, int predicted,
      double radius) throws IOException {
    Files.createDirectories(dir);
    String stem = "item" + index + "_eps" + eps;
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < input.length; i++) {
      line.append(i == 0 ? "" : ",").append(input[i]);
    }
    Files.writeString(dir.resolve(stem + ".csv"), line.append('\n'), StandardCharsets.UTF_8);
    NpyWriter.write(dir.resolve(stem + ".npy"), inputShape, input);
    if (picture != null) {
      ImageIO.write(png(picture, original, adversarial, label, predicted, radius), "png",
          dir.resolve(stem + ".png").toFile());
    }
  }

  /**
   * A property's counterexample, as {@code verify} and {@code instance} save it:
   * {@code DIR/<stem>.csv} and {@code .npy}; with the data item's values ({@code original},
   * null for a property not over a data set) also the picture of both when the input is an image.
   */
  static void saveProperty(Path dir, String name, double[] input, int[] inputShape,
      double[] original, int label, double[] output) throws IOException {
    String stem = name.replaceAll("[^A-Za-z0-9._=-]", "_");
    Files.createDirectories(dir);
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < input.length; i++) {
      line.append(i == 0 ? "" : ",").append(input[i]);
    }
    Files.writeString(dir.resolve(stem + ".csv"), line.append('\n'), StandardCharsets.UTF_8);
    NpyWriter.write(dir.resolve(stem + ".npy"), inputShape, input);
    BufferedImage picture = original == null ? null : propertyPicture(input, original, label,
        output);
    if (picture != null) {
      ImageIO.write(picture, "png", dir.resolve(stem + ".png").toFile());
    }
  }

  /**
   * The picture of a property's counterexample {@code input} next to its data item's values
   * {@code original} (both as the network reads them, the grey range theirs), predicted class
   * the output's largest; null when the input is not image-shaped.
   */
  public static BufferedImage propertyPicture(double[] input, double[] original, int label,
      double[] output) {
    int[] image = imageShape(new int[0], input.length);
    if (image == null) {
      return null;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double radius = 0;
    for (int i = 0; i < input.length; i++) {
      lo = Math.min(lo, Math.min(input[i], original[i]));
      hi = Math.max(hi, Math.max(input[i], original[i]));
      radius = Math.max(radius, Math.abs(input[i] - original[i]));
    }
    int predicted = 0;
    for (int j = 1; j < output.length; j++) {
      predicted = output[j] > output[predicted] ? j : predicted;
    }
    return png(new Picture(image, lo, hi > lo ? hi : lo + 1), original, input, label, predicted,
        radius);
  }

  /** The picture shape of a flat input, when it is one: n = H*W (grey) or 3*H*W (RGB). */
  public static int[] imageShape(int[] datasetShape, int size) {
    if (datasetShape.length == 2 || datasetShape.length == 3 && datasetShape[2] <= 4) {
      return datasetShape.clone();
    }
    int side = (int) Math.round(Math.sqrt(size));
    if (side * side == size && side > 1) {
      return new int[] {side, side};
    }
    side = (int) Math.round(Math.sqrt(size / 3.0));
    if (3 * side * side == size && side > 1) {
      return new int[] {side, side, 3};
    }
    return null;
  }

  public static BufferedImage png(Picture p, double[] original, double[] adversarial, int label,
      int predicted, double radius) {
    int h = p.shape()[0];
    int w = p.shape()[1];
    int channels = p.shape().length == 3 ? p.shape()[2] : 1;
    int panel = Math.max(w * ZOOM, 120);
    int top = 34;
    BufferedImage img = new BufferedImage(3 * panel + 40, h * ZOOM + top + 8,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    double maxDiff = 0;
    for (int i = 0; i < original.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(adversarial[i] - original[i]));
    }
    double range = p.high() - p.low();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] a = new int[3];
        int[] b = new int[3];
        int[] d = new int[3];
        for (int c = 0; c < 3; c++) {
          int i = (y * w + x) * channels + Math.min(c, channels - 1);
          a[c] = grey((original[i] - p.low()) / range);
          b[c] = grey((adversarial[i] - p.low()) / range);
          // grey is no change; the largest change reaches black or white
          d[c] = grey(0.5 + (maxDiff > 0 ? (adversarial[i] - original[i]) / maxDiff / 2 : 0));
        }
        fill(g, 10 + x * ZOOM, top + y * ZOOM, a);
        fill(g, 20 + panel + x * ZOOM, top + y * ZOOM, b);
        fill(g, 30 + 2 * panel + x * ZOOM, top + y * ZOOM, d);
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("original: class " + label, 10, 14);
    g.drawString("adversarial: class " + predicted, 20 + panel, 14);
    g.drawString(String.format(Locale.ROOT, "difference (max %.3g)", maxDiff),
        30 + 2 * panel, 14);
    g.drawString(String.format(Locale.ROOT, "L-inf radius %.4g", radius), 10, 28);
    g.dispose();
    return img;
  }

  private static int grey(double t) {
    return (int) Math.round(255 * Math.min(1, Math.max(0, t)));
  }

  private static void fill(Graphics2D g, int x, int y, int[] rgb) {
    g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
    g.fillRect(x, y, ZOOM, ZOOM);
  }
}
