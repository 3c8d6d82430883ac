package dev.robustspec.lsp.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts between offsets in a text and 0-based (line, column) positions, the column counted in
 * UTF-16 code units as editors and the parser's offsets both do for text in the Basic
 * Multilingual Plane. Lines end at {@code \n}, {@code \r\n} or {@code \r}.
 */
public final class LineIndex {
  private final int[] starts;
  private final int[] ends; // where each line's text ends (its line break, or the text's end)
  private final int length;

  public LineIndex(String text) {
    List<Integer> s = new ArrayList<>();
    List<Integer> e = new ArrayList<>();
    s.add(0);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        e.add(i);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        s.add(i + 1);
      }
    }
    e.add(text.length());
    starts = s.stream().mapToInt(Integer::intValue).toArray();
    ends = e.stream().mapToInt(Integer::intValue).toArray();
    length = text.length();
  }

  /**
   * The offset of a position, clamped as LSP asks: a column past a line's end is its end, a line
   * past the last is the end of the text.
   */
  public int offset(int line, int column) {
    if (line < 0) {
      return 0;
    }
    if (line >= starts.length) {
      return length;
    }
    return Math.min(starts[line] + Math.max(0, column), ends[line]);
  }

  /** The 0-based line of an offset. */
  public int line(int offset) {
    int lo = 0;
    int hi = starts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The 0-based column of an offset. */
  public int column(int offset) {
    return offset - starts[line(offset)];
  }
}
