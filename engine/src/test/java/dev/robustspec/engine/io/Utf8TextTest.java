package dev.robustspec.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.query.VnnlibFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void vnnlibFilesOfBothVersionsLocateTheBadByte(@TempDir Path dir) throws Exception {
    String v1 = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n; caf\u00e9\n"
        + "(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (>= Y_0 1))\n";
    String v2 = "(vnnlib-version <2.0>)\n; caf\u00e9\n(declare-network f\n"
        + "  (declare-input X Real [1])\n  (declare-output Y Real [1]))\n"
        + "(assert (<= X[0] 1))\n";
    for (String text : new String[] {v1, v2}) {
      // the comment's 'é' written in Latin-1: one byte 0xE9 followed by '\n'
      Path file = dir.resolve("bad" + text.length() + ".vnnlib");
      Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
      int offset = text.indexOf('\u00e9');
      InputFormatException e = assertThrows(InputFormatException.class,
          () -> VnnlibFiles.specification(file));
      assertTrue(e.getMessage().contains("byte 0xE9 at byte offset " + offset), e.getMessage());
      assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }
    Path v1file = dir.resolve("bad-v1.vnnlib");
    Files.write(v1file, v1.getBytes(StandardCharsets.ISO_8859_1));
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> VnnlibFiles.specification(v1file));
    assertTrue(e.getMessage().contains("(line 3,"), e.getMessage());
  }
}
