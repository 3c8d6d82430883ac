package dev.robustspec.engine.io.dataset;

/** The rows {@code first..last} of a data set, both inclusive and 0-based. */
public record RowRange(int first, int last) {

  /** Every row. */
  public static final RowRange ALL = new RowRange(0, Integer.MAX_VALUE);

  public RowRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("a row range needs 0 <= first <= last, got "
          + first + ".." + last);
    }
  }

  /** Parses {@code A..B} (inclusive) or a single row {@code A}. */
  public static RowRange parse(String text) {
    String t = text.strip();
    int dots = t.indexOf("..");
    try {
      if (dots < 0) {
        int row = Integer.parseInt(t);
        return new RowRange(row, row);
      }
      return new RowRange(Integer.parseInt(t.substring(0, dots).strip()),
          Integer.parseInt(t.substring(dots + 2).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a row range is A..B with whole numbers (e.g. 0..99), got '"
          + text + "'");
    }
  }

  public boolean contains(int row) {
    return row >= first && row <= last;
  }
}
