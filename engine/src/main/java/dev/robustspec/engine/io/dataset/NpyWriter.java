package dev.robustspec.engine.io.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a float64 array as a version 1.0 {@code .npy} file (C order, little-endian). */
public final class NpyWriter {
  private NpyWriter() {}

  public static void write(Path file, int[] shape, double[] values) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String s = shape.length == 1 ? dims.toString().strip() : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + s + "), }";
    // the preamble (10 bytes) plus the header, padded with spaces and a newline to 64 bytes
    int total = ((10 + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
    ByteBuffer b = ByteBuffer.allocate(total + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
        .put((byte) 0).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (double v : values) {
      b.putDouble(v);
    }
    Files.write(file, b.array());
  }
}
