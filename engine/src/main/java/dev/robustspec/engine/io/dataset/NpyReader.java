package dev.robustspec.engine.io.dataset;

import dev.robustspec.engine.io.InputFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The NumPy {@code .npy} format, versions 1 to 3: the magic {@code \x93NUMPY}, a version, a
 * little-endian header length, and a header that is a Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}; the data follows in C order. Reads float32, float64,
 * (u)int8/16/32/64 in either byte order. The header is parsed as a literal (not searched with
 * patterns), so keys in any order and any spacing are accepted.
 */
final class NpyReader {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private NpyReader() {}

  static NumericArray read(Path file) throws InputFormatException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | OutOfMemoryError e) {
      throw new InputFormatException(file, "cannot read: " + e.getMessage());
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length <= i || bytes[i] != MAGIC[i]) {
        throw new InputFormatException(file, "byte " + i + ": not a .npy file (it must start"
            + " with \\x93NUMPY)");
      }
    }
    if (bytes.length < 10) {
      throw new InputFormatException(file, "byte " + bytes.length + ": the file ends inside"
          + " the .npy preamble");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new InputFormatException(file, "byte " + bytes.length + ": the file ends inside"
            + " the .npy preamble");
      }
      headerLength = buf.getInt(8);
      headerStart = 12;
    } else {
      throw new InputFormatException(file, "byte 6: .npy version " + major
          + " is not supported (1, 2 and 3 are)");
    }
    if (headerLength < 0 || headerStart + (long) headerLength > bytes.length) {
      throw new InputFormatException(file, "byte " + headerStart + ": the header claims "
          + headerLength + " bytes but the file has " + (bytes.length - headerStart) + " left");
    }
    String header = new String(bytes, headerStart, headerLength, StandardCharsets.UTF_8);
    Map<String, Object> dict = new HeaderParser(file, header, headerStart).dict();
    Dtype dtype = Dtype.parse(file, dict.get("descr"));
    Object fortran = dict.get("fortran_order");
    if (!(fortran instanceof Boolean)) {
      throw new InputFormatException(file, "the header has no fortran_order True/False");
    }
    if ((Boolean) fortran) {
      throw new InputFormatException(file, "the array is in Fortran order; save it in C order"
          + " (numpy.ascontiguousarray) and try again");
    }
    if (!(dict.get("shape") instanceof int[] shape)) {
      throw new InputFormatException(file, "the header has no shape tuple");
    }
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    int dataStart = headerStart + headerLength;
    long need = count * dtype.size();
    if (bytes.length - dataStart != need) {
      throw new InputFormatException(file, "byte " + dataStart + ": the shape "
          + java.util.Arrays.toString(shape) + " of " + dtype.name() + " needs " + need
          + " data bytes but the file has " + (bytes.length - dataStart));
    }
    if (count > Integer.MAX_VALUE) {
      throw new InputFormatException(file, "too many values: " + count);
    }
    double[] values = new double[(int) count];
    buf.order(dtype.order());
    for (int i = 0; i < values.length; i++) {
      values[i] = dtype.get(buf, dataStart + i * dtype.size());
      if (!Double.isFinite(values[i])) {
        throw new InputFormatException(file, "byte " + (dataStart + i * dtype.size())
            + ": value " + i + " is " + values[i] + ", not a finite number");
      }
    }
    return new NumericArray(shape, values);
  }

  /** A {@code descr} such as {@code <f4}, {@code |u1}, {@code >i8}. */
  record Dtype(String name, char kind, int size, ByteOrder order) {
    static Dtype parse(Path file, Object descr) throws InputFormatException {
      if (!(descr instanceof String d) || d.length() < 3) {
        throw new InputFormatException(file, "the header's descr is not a type string such as"
            + " '<f4'");
      }
      ByteOrder order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      char kind = d.charAt(1);
      int size;
      try {
        size = Integer.parseInt(d.substring(2));
      } catch (NumberFormatException e) {
        size = -1;
      }
      boolean ok = "<>|=".indexOf(d.charAt(0)) >= 0 && switch (kind) {
        case 'f' -> size == 4 || size == 8;
        case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
        default -> false;
      };
      if (!ok) {
        throw new InputFormatException(file, "dtype '" + d + "' is not supported: use float32,"
            + " float64 or an integer type");
      }
      return new Dtype(d, kind, size, order);
    }

    double get(ByteBuffer b, int at) {
      return switch (kind) {
        case 'f' -> size == 4 ? b.getFloat(at) : b.getDouble(at);
        case 'u' -> switch (size) {
          case 1 -> b.get(at) & 0xff;
          case 2 -> b.getShort(at) & 0xffff;
          case 4 -> b.getInt(at) & 0xffffffffL;
          default -> (double) b.getLong(at); // beyond 2^63 is not a pixel or a label
        };
        default -> switch (size) {
          case 1 -> b.get(at);
          case 2 -> b.getShort(at);
          case 4 -> b.getInt(at);
          default -> (double) b.getLong(at);
        };
      };
    }
  }

  /** The header's Python literal: a dict of string keys to strings, booleans, int tuples. */
  private static final class HeaderParser {
    private final Path file;
    private final String text;
    private final int offset;
    private int pos;

    HeaderParser(Path file, String text, int offset) {
      this.file = file;
      this.text = text;
      this.offset = offset;
    }

    Map<String, Object> dict() throws InputFormatException {
      Map<String, Object> map = new HashMap<>();
      expect('{');
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          break;
        }
        Object key = value();
        if (!(key instanceof String k)) {
          throw error("a dict key must be a string");
        }
        expect(':');
        map.put(k, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
      return map;
    }

    private Object value() throws InputFormatException {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, pos + 1);
        if (end < 0) {
          throw error("unterminated string");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
      }
      if (text.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (c == '(') {
        pos++;
        List<Integer> dims = new ArrayList<>();
        while (true) {
          skipSpace();
          if (peek() == ')') {
            pos++;
            break;
          }
          int start = pos;
          while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
          }
          if (start == pos) {
            throw error("a shape entry must be a whole number");
          }
          try {
            dims.add(Integer.parseInt(text.substring(start, pos)));
          } catch (NumberFormatException e) {
            throw error("shape entry too large");
          }
          skipSpace();
          if (peek() == ',') {
            pos++;
          } else if (peek() != ')') {
            throw error("expected ',' or ')' in the shape");
          }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
      }
      throw error("expected a string, True, False or a tuple");
    }

    private void expect(char c) throws InputFormatException {
      skipSpace();
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private char peek() throws InputFormatException {
      if (pos >= text.length()) {
        throw error("the header ends too early");
      }
      return text.charAt(pos);
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private InputFormatException error(String what) {
      return new InputFormatException(file, "byte " + (offset + pos) + " (header): " + what
          + "; the header is " + text.strip());
    }
  }
}
