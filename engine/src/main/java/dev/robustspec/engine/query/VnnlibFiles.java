package dev.robustspec.engine.query;

import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.io.Utf8Text;
import dev.robustspec.engine.io.Vnnlib2Reader;
import dev.robustspec.engine.io.VnnlibQuery;
import dev.robustspec.engine.io.VnnlibReader;
import dev.robustspec.engine.spec.Specification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a VNN-LIB property of either version for the one-network commands ({@code instance},
 * {@code batch}, {@code bounds}, {@code vnnlib("...")} in a {@code .rspec} file): the version
 * header decides between the VNN-COMP 1 reader and the VNN-LIB 2 reader. A VNN-LIB 2 query must
 * then declare a single network, whose declared input and output become the specification's.
 */
public final class VnnlibFiles {
  private VnnlibFiles() {}

  public static Specification specification(Path file) throws InputFormatException {
    String text;
    try {
      text = Utf8Text.decodeOrExplain(Files.readAllBytes(file), file);
    } catch (IOException | SecurityException e) {
      throw new InputFormatException(file, "cannot read the file: " + e);
    }
    if (!Vnnlib2Reader.hasVersionHeader(text)) {
      return VnnlibReader.read(text, file);
    }
    VnnlibQuery q = Vnnlib2Reader.read(text, file);
    if (q.networks().size() != 1) {
      throw new InputFormatException(file, "this VNN-LIB " + q.version() + " query declares "
          + q.networks().size() + " networks; verify it with robustspec verify QUERY"
          + " --network NAME=MODEL.onnx ... (one network per declaration)");
    }
    Specification spec = QueryLowering.lower(q, null).spec();
    int declared = q.networks().get(0).inputs().get(0).size();
    if (spec.inputSize() != declared) {
      throw new InputFormatException(file, "this query equates inputs of its network; verify it"
          + " with robustspec verify QUERY --network NAME=MODEL.onnx");
    }
    return spec;
  }
}
