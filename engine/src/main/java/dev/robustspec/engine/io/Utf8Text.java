package dev.robustspec.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file that must be UTF-8, saying where it is not: the JDK's own message was
 * "Input length = 1" (issue 12). The decoder reports the first malformed or unmappable byte
 * sequence; its byte offset, line and column (counted in bytes of that line) go in the message.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /** Thrown for bytes that are not UTF-8; the message says where. */
  public static final class NotUtf8Exception extends CharacterCodingException {
    private final String message;

    NotUtf8Exception(String message) {
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }

  public static String read(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
  }

  /** Decodes {@code bytes} read from {@code file}; bytes that are not UTF-8 are an
   *  {@link InputFormatException} naming the file, the byte offset and the line. */
  public static String decodeOrExplain(byte[] bytes, Path file) throws InputFormatException {
    try {
      return decode(bytes);
    } catch (NotUtf8Exception e) {
      throw new InputFormatException(file, e.getMessage());
    }
  }

  public static String decode(byte[] bytes) throws NotUtf8Exception {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int offset = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new NotUtf8Exception(String.format(
          "the file is not UTF-8: byte 0x%02X at byte offset %d (line %d, byte %d of the line) "
              + "does not start a valid UTF-8 character; save the file as UTF-8",
          bytes[offset] & 0xFF, offset, line, offset - lineStart + 1));
    }
    out.flip();
    return out.toString();
  }
}
