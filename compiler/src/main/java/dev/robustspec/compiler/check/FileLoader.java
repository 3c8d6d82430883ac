package dev.robustspec.compiler.check;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.NnetReader;
import dev.robustspec.engine.io.OnnxReader;
import dev.robustspec.engine.query.VnnlibFiles;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Specification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the files a {@code .rspec} file names. The language server passes one that caches by
 * content; the CLI reads directly.
 */
public interface FileLoader {

  Network onnx(Path file) throws InputFormatException;

  Network nnet(Path file) throws InputFormatException;

  Specification vnnlib(Path file) throws InputFormatException;

  /** Numbers separated by commas and/or white space, over any number of lines. */
  double[] csv(Path file) throws InputFormatException;

  /** Reads every file afresh. */
  static FileLoader direct() {
    return new FileLoader() {
      @Override
      public Network onnx(Path file) throws InputFormatException {
        requireFile(file);
        return OnnxReader.read(file);
      }

      @Override
      public Network nnet(Path file) throws InputFormatException {
        requireFile(file);
        return NnetReader.read(file).network();
      }

      @Override
      public Specification vnnlib(Path file) throws InputFormatException {
        requireFile(file);
        return VnnlibFiles.specification(file); // either VNN-LIB version (the header decides)
      }

      @Override
      public double[] csv(Path file) throws InputFormatException {
        requireFile(file);
        String text;
        try {
          text = dev.robustspec.engine.io.Utf8Text.read(file);
        } catch (IOException e) {
          throw new InputFormatException(file, "cannot read: " + e.getMessage());
        }
        return parseCsv(text, file);
      }
    };
  }

  /** Parses numbers separated by commas, semicolons or white space; errors name line:column. */
  static double[] parseCsv(String text, Path file) throws InputFormatException {
    List<Double> values = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int l = 0; l < lines.length; l++) {
      String line = lines[l];
      int i = 0;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (c == ',' || c == ';' || Character.isWhitespace(c)) {
          i++;
          continue;
        }
        if (c == '#') {
          break; // comment to end of line
        }
        int j = i;
        while (j < line.length() && line.charAt(j) != ',' && line.charAt(j) != ';'
            && !Character.isWhitespace(line.charAt(j))) {
          j++;
        }
        String token = line.substring(i, j);
        double v;
        try {
          v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
          v = Double.NaN;
        }
        if (!Double.isFinite(v) || !token.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
          throw new InputFormatException(file, l + 1, i + 1,
              "'" + token + "' is not a finite number");
        }
        values.add(v);
        i = j;
      }
    }
    if (values.isEmpty()) {
      throw new InputFormatException(file, "holds no numbers");
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void requireFile(Path file) throws InputFormatException {
    if (!Files.exists(file)) {
      throw new InputFormatException(file, "no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InputFormatException(file, "not a readable file");
    }
  }
}
