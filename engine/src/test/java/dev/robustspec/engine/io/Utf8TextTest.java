package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Invalid UTF-8 is located by byte offset and line (issue 12: "Input length = 1"). */
class Utf8TextTest {
  @Test
  void validTextDecodesAsTheJdkDoes() throws Exception {
    String text = "let ε = 1 // größer, 東京, 😀\nlet b = 2\n";
    assertEquals(text, Utf8Text.decode(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aStrayLatin1ByteIsLocated() {
    byte[] head = "let a = 1\nlet b = ".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 3];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xE9; // 'é' in Latin-1, followed by a non-continuation byte
    bytes[head.length + 1] = '2';
    bytes[head.length + 2] = '\n';
    Utf8Text.NotUtf8Exception e = assertThrows(Utf8Text.NotUtf8Exception.class,
        () -> Utf8Text.decode(bytes));
    assertTrue(e.getMessage().contains("byte 0xE9 at byte offset 18 (line 2, byte 9 of the line)"),
        e.getMessage());
  }

  @Test
  void aTruncatedSequenceAtTheEndIsLocated() {
    byte[] bytes = {'a', '\n', (byte) 0xE6, (byte) 0x9D}; // the first two bytes of 東
    Utf8Text.NotUtf8Exception e = assertThrows(Utf8Text.NotUtf8Exception.class,
        () -> Utf8Text.decode(bytes));
    assertTrue(e.getMessage().contains("byte offset 2 (line 2, byte 1"), e.getMessage());
  }
}
