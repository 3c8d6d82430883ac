package dev.robustspec.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Results tables as Parquet, with the CSV's columns: {@code index} and {@code label} as
 * integers, {@code margin} and {@code seconds} as doubles (null where the CSV is empty), the rest
 * as the CSV's text ({@code eps} as written, so its key stays exact). A table is written whole,
 * into a sibling folder first and then moved into place, so a reader never sees half of one.
 * Read back, numbers get the CSV's formats again (%.6g margins, %.3f seconds; {@code inf} and
 * {@code -inf} as verify writes them).
 */
final class ParquetTables {
  private ParquetTables() {}

  static void write(SparkSession session, Path table, String header, List<String[]> rows)
      throws IOException {
    String[] names = header.split(",");
    StructField[] fields = new StructField[names.length];
    for (int c = 0; c < names.length; c++) {
      fields[c] = DataTypes.createStructField(names[c], type(names[c]), true);
    }
    List<Row> data = new ArrayList<>();
    for (String[] r : rows) {
      Object[] v = new Object[names.length];
      for (int c = 0; c < names.length; c++) {
        DataType t = fields[c].dataType();
        v[c] = t == DataTypes.IntegerType ? (Object) Integer.valueOf(r[c])
            : t == DataTypes.DoubleType ? number(r[c])
            : r[c];
      }
      data.add(RowFactory.create(v));
    }
    Path absolute = table.toAbsolutePath();
    Path writing = absolute.resolveSibling(absolute.getFileName() + ".writing");
    deleteTree(writing);
    session.createDataFrame(data, DataTypes.createStructType(fields)).coalesce(1).write()
        .mode(SaveMode.Overwrite).parquet(writing.toString());
    Path old = absolute.resolveSibling(absolute.getFileName() + ".old");
    deleteTree(old);
    if (Files.exists(absolute)) {
      Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(writing, absolute, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
  }

  static List<String[]> read(SparkSession session, Path table, String header)
      throws IOException {
    String[] names = header.split(",");
    Dataset<Row> df;
    try {
      df = session.read().parquet(table.toAbsolutePath().toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(table + ": --resume cannot read it as Parquet: "
          + e.getMessage());
    }
    StructType schema = df.schema();
    if (!String.join(",", schema.fieldNames()).equals(header)) {
      throw new IllegalArgumentException(table + ": --resume needs this command's results"
          + " table, with columns " + header + "; found " + String.join(",",
              schema.fieldNames()) + " (use another --out, or drop --resume)");
    }
    List<String[]> rows = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      String[] f = new String[names.length];
      for (int c = 0; c < names.length; c++) {
        Object v = r.get(c);
        f[c] = v == null ? "" : v instanceof Double d ? text(d, names[c]) : v.toString();
      }
      rows.add(f);
    }
    return rows;
  }

  /** A CSV number: empty is null, {@code inf} and {@code -inf} (verify's margins) infinite. */
  private static Object number(String text) {
    return switch (text) {
      case "" -> null;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.valueOf(text);
    };
  }

  private static String text(double d, String column) {
    return Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf")
        : String.format(Locale.ROOT, column.equals("seconds") ? "%.3f" : "%.6g", d);
  }

  private static DataType type(String column) {
    return switch (column) {
      case "index", "label" -> DataTypes.IntegerType;
      case "margin", "seconds" -> DataTypes.DoubleType;
      default -> DataTypes.StringType;
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
