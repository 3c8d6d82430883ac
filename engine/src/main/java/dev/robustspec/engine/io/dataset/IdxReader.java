package dev.robustspec.engine.io.dataset;

import dev.robustspec.engine.io.InputFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The IDX format of the MNIST files (yann.lecun.com/exdb/mnist): two zero bytes, a type byte
 * (0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64),
 * the number of dimensions, each dimension as a big-endian int32, then the data in C order,
 * big-endian. Images ({@code t10k-images-idx3-ubyte}) and labels ({@code t10k-labels-idx1-ubyte})
 * are separate files.
 */
final class IdxReader {
  private IdxReader() {}

  static Dataset readDataset(Path images, Path labels, RowRange rows)
      throws InputFormatException {
    NumericArray data = read(images);
    if (data.shape().length < 2) {
      throw new InputFormatException(images, "expected an images file (at least 2"
          + " dimensions), got " + data.shape().length + " dimension(s): is it the labels file?");
    }
    return ItemSlicer.slice(images, data, labels, read(labels).values(), rows);
  }

  static NumericArray read(Path file) throws InputFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | OutOfMemoryError e) {
      throw new InputFormatException(file, "cannot read: " + e.getMessage());
    }
    if (bytes.length < 4 || bytes[0] != 0 || bytes[1] != 0) {
      throw new InputFormatException(file, "byte 0: not an IDX file (it must start with two"
          + " zero bytes, a type byte and the number of dimensions)");
    }
    int type = bytes[2] & 0xff;
    int size = switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> -1;
    };
    if (size < 0) {
      throw new InputFormatException(file, String.format("byte 2: unknown IDX type 0x%02X"
          + " (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)", type));
    }
    int dims = bytes[3] & 0xff;
    if (dims == 0 || bytes.length < 4 + 4 * dims) {
      throw new InputFormatException(file, "byte 3: " + dims + " dimensions, but the file is"
          + " too short to hold their sizes");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int[] shape = new int[dims];
    long count = 1;
    for (int d = 0; d < dims; d++) {
      shape[d] = buf.getInt(4 + 4 * d);
      if (shape[d] < 0) {
        throw new InputFormatException(file, "byte " + (4 + 4 * d) + ": negative dimension");
      }
      count *= shape[d];
    }
    int start = 4 + 4 * dims;
    if (bytes.length - start != count * size) {
      throw new InputFormatException(file, "byte " + start + ": the dimensions "
          + java.util.Arrays.toString(shape) + " need " + count * size
          + " data bytes but the file has " + (bytes.length - start));
    }
    double[] values = new double[(int) count];
    for (int i = 0; i < values.length; i++) {
      int at = start + i * size;
      values[i] = switch (type) {
        case 0x08 -> bytes[at] & 0xff;
        case 0x09 -> bytes[at];
        case 0x0B -> buf.getShort(at);
        case 0x0C -> buf.getInt(at);
        case 0x0D -> buf.getFloat(at);
        default -> buf.getDouble(at);
      };
      if (!Double.isFinite(values[i])) {
        throw new InputFormatException(file, "byte " + at + ": value " + i + " is not finite");
      }
    }
    return new NumericArray(shape, values);
  }
}
