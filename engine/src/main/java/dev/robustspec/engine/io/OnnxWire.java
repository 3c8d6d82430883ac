package dev.robustspec.engine.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.robustspec.engine.io.OnnxProto.Malformed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire-format reading under {@link OnnxProto}'s decoding: a field's wire type
 * checked against the schema's, scalars and strings, embedded messages entered and left, and
 * repeated scalars packed or not, into growable primitive lists. A mismatch is {@link Malformed}.
 */
final class OnnxWire {
  private OnnxWire() {}

  static void expectWireType(int tag, int wireType, String field) {
    if (WireFormat.getTagWireType(tag) != wireType) {
      throw new Malformed(field + " has wire type " + WireFormat.getTagWireType(tag)
          + ", expected " + wireType);
    }
  }

  static long expectVarint(CodedInputStream in, int tag, String field)
      throws IOException {
    expectWireType(tag, WireFormat.WIRETYPE_VARINT, field);
    return in.readInt64();
  }

  static String readString(CodedInputStream in, int tag, String field)
      throws IOException {
    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
    return new String(in.readByteArray(), StandardCharsets.UTF_8);
  }

  /** Starts reading an embedded message; returns the previous limit for {@link #leave}. */
  static int enter(CodedInputStream in, int tag, String field) throws IOException {
    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
    int length = in.readRawVarint32();
    return in.pushLimit(length); // throws on a negative or overlong length
  }

  static void leave(CodedInputStream in, int oldLimit) {
    in.popLimit(oldLimit);
  }

  // Repeated scalars may be packed (one length-delimited run) or not (one tag each); a reader
  // must accept both (protobuf encoding rules), and ONNX files in the wild use both.

  static void readVarints(CodedInputStream in, int tag, LongList out, String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int old = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(in.readInt64());
      }
      in.popLimit(old);
    } else {
      out.add(expectVarint(in, tag, field));
    }
  }

  static void readFloats(CodedInputStream in, int tag, FloatList out, String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int old = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(in.readFloat());
      }
      in.popLimit(old);
    } else {
      expectWireType(tag, WireFormat.WIRETYPE_FIXED32, field);
      out.add(in.readFloat());
    }
  }

  static void readDoubles(CodedInputStream in, int tag, DoubleList out, String field)
      throws IOException {
    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int old = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        out.add(in.readDouble());
      }
      in.popLimit(old);
    } else {
      expectWireType(tag, WireFormat.WIRETYPE_FIXED64, field);
      out.add(in.readDouble());
    }
  }

  // Minimal growable primitive lists (no boxing for million-entry weight tensors).

  static final class FloatList {
    float[] a = new float[16];
    int n;

    void add(float v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(a, n);
    }

    double[] toDoubles() {
      double[] d = new double[n];
      for (int k = 0; k < n; k++) {
        d[k] = a[k];
      }
      return d;
    }
  }

  static final class DoubleList {
    double[] a = new double[16];
    int n;

    void add(double v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  static final class LongList {
    long[] a = new long[8];
    int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }

    /** int32_data holds int32 values as varints (sign-extended to 64 bits). */
    double[] toDoubles(boolean int32) {
      double[] d = new double[n];
      for (int k = 0; k < n; k++) {
        d[k] = int32 ? (double) (int) a[k] : (double) a[k];
      }
      return d;
    }
  }
}
