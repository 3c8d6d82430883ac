package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Offsets and editor positions agree for every line ending an editor may send. */
class LineIndexTest {

  @Test
  void everyOffsetRoundTripsThroughItsPosition() {
    String text = "ab\ncd\r\nef\rgh\n\nlast";
    LineIndex lines = new LineIndex(text);
    for (int offset = 0; offset <= text.length(); offset++) {
      if (offset > 0 && text.charAt(offset - 1) == '\r' && text.charAt(offset) == '\n') {
        continue; // between the two characters of one line break: no position there
      }
      assertEquals(offset, lines.offset(lines.line(offset), lines.column(offset)), "offset "
          + offset);
    }
    assertEquals(text.indexOf("cd"), lines.offset(1, 0));
    assertEquals(text.indexOf("ef"), lines.offset(2, 0), "\\r\\n is one line break");
    assertEquals(text.indexOf("gh"), lines.offset(3, 0), "a lone \\r is one too");
    assertEquals(text.indexOf("last"), lines.offset(5, 0));
  }

  @Test
  void positionsOutsideTheTextAreClamped() {
    LineIndex lines = new LineIndex("ab\ncd");
    assertEquals(2, lines.offset(0, 99), "past a line's end: its end, before the line break");
    assertEquals(5, lines.offset(42, 0), "past the last line: the end");
    assertEquals(0, lines.offset(-1, 3));
  }
}
