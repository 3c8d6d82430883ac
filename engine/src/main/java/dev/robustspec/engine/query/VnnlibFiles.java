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
 * header decides between the VNN-COMP 1 reader and the VNN-LIB 2 reader, which both produce the
 * one query model; {@link QueryLowering} (shapes only, no models) turns it into the
 * specification. A VNN-LIB 2 query must then declare a single network, whose declared input and
 * output become the specification's.
 */
public final class VnnlibFiles {
  /** Files larger than this are refused before reading (VNN-COMP MNIST files are ~75 KB). */
  private static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  private VnnlibFiles() {}

  /** The specification of {@code file} (UTF-8; bytes that are not are an error saying where). */
  public static Specification specification(Path file) throws InputFormatException {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new InputFormatException(file, "file too large for a VNN-LIB property: " + size
            + " bytes");
      }
      text = Utf8Text.decodeOrExplain(Files.readAllBytes(file), file);
    } catch (IOException | SecurityException e) {
      throw new InputFormatException(file, "cannot read the file: " + e);
    }
    return specification(text, file);
  }

  /** The specification of VNN-LIB {@code text}; {@code nameForMessages} labels errors. */
  public static Specification specification(String text, Path nameForMessages)
      throws InputFormatException {
    try {
      return lower(text, nameForMessages);
    } catch (RuntimeException | StackOverflowError e) {
      // Safety net so callers only ever see InputFormatException; tests treat it as a bug.
      throw new InputFormatException(nameForMessages, "internal error in the VNN-LIB reader: "
          + e);
    }
  }

  private static Specification lower(String text, Path file) throws InputFormatException {
    if (!Vnnlib2Reader.hasVersionHeader(text)) {
      return QueryLowering.lower(VnnlibReader.query(text, file, VnnlibReader.DEFAULT_NETWORK),
          null).spec();
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
