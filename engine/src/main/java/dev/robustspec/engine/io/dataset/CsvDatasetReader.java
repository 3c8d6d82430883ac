package dev.robustspec.engine.io.dataset;

import dev.robustspec.engine.io.InputFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV data set: one item a line, the label first, then the values (ERAN's mnist_test.csv).
 * A first line whose first field is not a number is a header and skipped; blank lines are
 * skipped and not counted as rows. Every item must have as many values as the first.
 */
final class CsvDatasetReader {
  private CsvDatasetReader() {}

  static Dataset read(Path file, RowRange rows) throws InputFormatException {
    List<Dataset.Item> items = new ArrayList<>();
    int width = -1;
    int row = 0;
    int line = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        String[] fields = text.split(",", -1);
        if (line == 1 && !looksNumeric(fields[0])) {
          continue; // header
        }
        if (row > rows.last()) {
          break;
        }
        if (width < 0) {
          width = fields.length;
          if (width < 2) {
            throw new InputFormatException(file, line, 0,
                "expected a label and at least one value, separated by commas");
          }
        } else if (fields.length != width) {
          throw new InputFormatException(file, line, 0, "row " + row + " has "
              + (fields.length - 1) + " values but the first row has " + (width - 1));
        }
        if (rows.contains(row)) {
          items.add(parseRow(file, line, row, fields));
        }
        row++;
      }
    } catch (CharacterCodingException e) {
      throw new InputFormatException(file, line + 1, 0, "not UTF-8 text");
    } catch (IOException e) {
      throw new InputFormatException(file, "cannot read: " + e.getMessage());
    }
    if (width < 0) {
      throw new InputFormatException(file, "no data rows");
    }
    if (rows != RowRange.ALL && rows.last() >= row) {
      throw new InputFormatException(file, "rows " + rows.first() + ".." + rows.last()
          + " asked for, but the file has rows 0.." + (row - 1));
    }
    return new Dataset(file, new int[] {width - 1}, items);
  }

  private static Dataset.Item parseRow(Path file, int line, int row, String[] fields)
      throws InputFormatException {
    double[] values = new double[fields.length - 1];
    int column = 1;
    int label = DatasetReader.label(number(file, line, column, fields[0], "label"), file, line,
        "row " + row);
    column += fields[0].length() + 1;
    for (int i = 1; i < fields.length; i++) {
      values[i - 1] = number(file, line, column, fields[i], "value " + (i - 1));
      column += fields[i].length() + 1;
    }
    return new Dataset.Item(row, label, values);
  }

  private static double number(Path file, int line, int column, String field, String what)
      throws InputFormatException {
    String t = field.strip();
    try {
      double v = Double.parseDouble(t);
      // parseDouble also takes "1f", "1d", "NaN", "Infinity": a number ends in a digit or '.'
      char last = t.charAt(t.length() - 1);
      if (Double.isFinite(v) && (Character.isDigit(last) || last == '.')) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputFormatException(file, line, column, what + ": '" + t
        + "' is not a finite number");
  }

  private static boolean looksNumeric(String field) {
    try {
      Double.parseDouble(field.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
