package dev.robustspec.engine.io;

import dev.robustspec.engine.network.DenseLayer;
import dev.robustspec.engine.network.ElementwiseAffineLayer;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.network.ReluLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code .nnet} text format ("Neural Network File Format" by Kyle Julian, Stanford
 * 2016; used by Reluplex, Marabou and the ACAS Xu networks).
 *
 * <p>The file starts with {@code //} comment lines, followed by comma-separated lines (a trailing
 * comma is usual):
 *
 * <ol>
 *   <li>{@code numLayers, inputSize, outputSize, maxLayerSize}
 *   <li>the {@code numLayers + 1} layer sizes, input first
 *   <li>a flag (unused, ignored)
 *   <li>the minimum of each raw input
 *   <li>the maximum of each raw input
 *   <li>{@code inputSize + 1} means: one per input, then the output mean
 *   <li>{@code inputSize + 1} ranges: one per input, then the output range
 * </ol>
 *
 * then, for each layer, {@code outSize} lines of {@code inSize} weights (row {@code i} holds
 * {@code W[i][*]}), then {@code outSize} lines of one bias each. Hidden layers are followed by
 * ReLU; the last layer is linear.
 *
 * <p><b>Semantics.</b> The weights act in the <em>normalised</em> space: {@code x_norm = (x_raw -
 * mean) / range} and {@code y_raw = y_norm * outputRange + outputMean}. {@link NnetFile#network()}
 * is that core network, the space that VNN-COMP's {@code .vnnlib} properties and ONNX files use,
 * so an ONNX network and its {@code .nnet} twin are interchangeable. {@link
 * NnetFile#withNormalisation()} adds the two affine maps for work in raw units. The original
 * Reluplex code also clamps raw inputs to {@code [min, max]} before normalising; clamping is not
 * linear and is not applied here: a property over raw inputs should restrict its input box to
 * {@code [min, max]} instead (then clamping changes nothing).
 *
 * <p>Errors give the line (1-based, counting comment lines) and, for a bad number, the column.
 */
public final class NnetReader {
  private NnetReader() {}

  /** Plain decimal numbers only: no NaN, Infinity, hex floats or Java suffixes. */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** Upper bound on a layer size, so a damaged header cannot exhaust memory. */
  private static final int MAX_LAYER_SIZE = 1 << 20;

  /**
   * A {@code .nnet} file: the core network in normalised space and the normalisation data.
   * Arrays are the reader's own; callers must not modify them.
   */
  public record NnetFile(Network network, double[] inputMinimums, double[] inputMaximums,
      double[] inputMeans, double[] inputRanges, double outputMean, double outputRange) {

    /**
     * The network on raw units: {@code (x - mean) / range}, the core network, then {@code y *
     * outputRange + outputMean} on every output. Raw inputs are not clamped to {@code [min,
     * max]} (see the class comment).
     */
    public Network withNormalisation() {
      int n = inputMeans.length;
      double[] scale = new double[n];
      double[] shift = new double[n];
      for (int i = 0; i < n; i++) {
        scale[i] = 1.0 / inputRanges[i];
        shift[i] = -inputMeans[i] / inputRanges[i];
      }
      List<Layer> layers = new ArrayList<>();
      layers.add(new ElementwiseAffineLayer("normalise_input", scale, shift));
      layers.addAll(network.layers());
      layers.add(ElementwiseAffineLayer.uniform("denormalise_output", network.outputSize(),
          outputRange, outputMean));
      return new Network(network.name() + "_raw", network.inputShape(), layers);
    }
  }

  public static NnetFile read(Path file) throws InputFormatException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read the file: " + e.getMessage());
    }
    return new Parser(file, lines).parse();
  }

  /** Reads from text in memory; {@code nameForMessages} names it in errors and the network. */
  public static NnetFile read(String text, Path nameForMessages) throws InputFormatException {
    return new Parser(nameForMessages, text.lines().toList()).parse();
  }

  private static final class Parser {
    private final Path file;
    private final List<String> lines;
    private int next; // index of the next line to read

    Parser(Path file, List<String> lines) {
      this.file = file;
      this.lines = lines;
    }

    /** The numbers of the next non-blank line, with 1-based columns for messages. */
    private record Row(int line, double[] values, int[] columns) {}

    NnetFile parse() throws InputFormatException {
      while (next < lines.size()
          && (lines.get(next).strip().startsWith("//") || lines.get(next).isBlank())) {
        next++;
      }
      Row header = row("the header (numLayers, inputSize, outputSize, maxLayerSize)", 4);
      int numLayers = size(header, 0, "numLayers");
      int inputSize = size(header, 1, "inputSize");
      int outputSize = size(header, 2, "outputSize");
      size(header, 3, "maxLayerSize");
      Row sizesRow = row("the layer sizes", numLayers + 1);
      int[] sizes = new int[numLayers + 1];
      for (int k = 0; k <= numLayers; k++) {
        sizes[k] = size(sizesRow, k, "layer size " + k);
      }
      if (sizes[0] != inputSize || sizes[numLayers] != outputSize) {
        throw new InputFormatException(file, sizesRow.line(), 0, "layer sizes start with "
            + sizes[0] + " and end with " + sizes[numLayers] + ", but the header says "
            + inputSize + " inputs and " + outputSize + " outputs");
      }
      nextLine("the flag line"); // unused by every known reader
      Row minsRow = row("the input minimums", inputSize);
      double[] mins = minsRow.values();
      double[] maxs = row("the input maximums", inputSize).values();
      Row meansRow = row("the means", inputSize + 1);
      Row rangesRow = row("the ranges", inputSize + 1);
      for (int i = 0; i <= inputSize; i++) {
        if (rangesRow.values()[i] == 0.0) {
          throw new InputFormatException(file, rangesRow.line(), rangesRow.columns()[i],
              "range " + (i + 1) + " is zero (normalisation divides by it)");
        }
      }
      for (int i = 0; i < inputSize; i++) {
        if (mins[i] > maxs[i]) {
          throw new InputFormatException(file, minsRow.line(), minsRow.columns()[i],
              "input " + i + " has minimum " + mins[i] + " above its maximum " + maxs[i]);
        }
      }
      List<Layer> layers = new ArrayList<>();
      for (int k = 0; k < numLayers; k++) {
        int in = sizes[k];
        int out = sizes[k + 1];
        if ((long) in * out > (1L << 27)) {
          throw new InputFormatException(file, sizesRow.line(), 0,
              "layer " + (k + 1) + " (" + in + "x" + out + ") is too large");
        }
        double[] w = new double[in * out];
        for (int i = 0; i < out; i++) {
          Row r = row("weight row " + (i + 1) + " of layer " + (k + 1), in);
          System.arraycopy(r.values(), 0, w, i * in, in);
        }
        double[] b = new double[out];
        for (int i = 0; i < out; i++) {
          b[i] = row("bias " + (i + 1) + " of layer " + (k + 1), 1).values()[0];
        }
        layers.add(new DenseLayer("layer" + (k + 1), in, out, w, b));
        if (k < numLayers - 1) {
          layers.add(new ReluLayer("relu" + (k + 1), out));
        }
      }
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      if (next < lines.size()) {
        throw new InputFormatException(file, next + 1, 0,
            "unexpected content after the last layer (are the layer sizes right?)");
      }
      String name = file == null || file.getFileName() == null ? "nnet"
          : file.getFileName().toString().replaceFirst("\\.nnet$", "");
      Network net = new Network(name, new int[] {inputSize}, layers);
      double[] means = meansRow.values();
      double[] ranges = rangesRow.values();
      return new NnetFile(net, mins, maxs, Arrays.copyOf(means, inputSize),
          Arrays.copyOf(ranges, inputSize), means[inputSize], ranges[inputSize]);
    }

    private int size(Row r, int k, String what) throws InputFormatException {
      double v = r.values()[k];
      if (v != Math.rint(v) || v < 1 || v > MAX_LAYER_SIZE) {
        throw new InputFormatException(file, r.line(), r.columns()[k],
            what + " must be a whole number from 1 to " + MAX_LAYER_SIZE + ", found " + v);
      }
      return (int) v;
    }

    /** Index of the next non-blank line, advancing past it. */
    private int nextLine(String what) throws InputFormatException {
      while (next < lines.size() && lines.get(next).isBlank()) {
        next++;
      }
      if (next >= lines.size()) {
        throw new InputFormatException(file, lines.size() + 1, 0,
            "the file ends where " + what + " should be (truncated?)");
      }
      return next++;
    }

    /** The next line as exactly {@code count} comma-separated numbers. */
    private Row row(String what, int count) throws InputFormatException {
      int index = nextLine(what);
      String text = lines.get(index);
      int lineNo = index + 1;
      double[] values = new double[count];
      int[] columns = new int[count];
      int found = 0;
      int start = 0;
      while (start <= text.length()) {
        int comma = text.indexOf(',', start);
        int end = comma < 0 ? text.length() : comma;
        String raw = text.substring(start, end);
        String token = raw.strip();
        if (!token.isEmpty()) {
          int column = start + raw.indexOf(token.charAt(0)) + 1;
          if (!NUMBER.matcher(token).matches()) {
            throw new InputFormatException(file, lineNo, column,
                "'" + token + "' is not a number (in " + what + ")");
          }
          if (found < count) {
            values[found] = Double.parseDouble(token);
            columns[found] = column;
            if (!Double.isFinite(values[found])) {
              throw new InputFormatException(file, lineNo, column,
                  "'" + token + "' is out of range (in " + what + ")");
            }
          }
          found++;
        }
        if (comma < 0) {
          break;
        }
        start = comma + 1;
      }
      if (found != count) {
        throw new InputFormatException(file, lineNo, 0,
            what + ": expected " + count + " number" + (count == 1 ? "" : "s") + ", found "
                + found);
      }
      return new Row(lineNo, values, columns);
    }
  }
}
