package dev.robustspec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --out R.parquet} (with {@code --spark}): the rows go to the CSV {@code R.parquet.csv}
 * as they finish, flushed row by row ({@link ResultsTable}), and the Parquet table is derived
 * from that CSV, written whole through the Spark back end when the run ends and at the start of
 * a resumed run. The CSV is the source of truth, so a killed driver loses no finished row, and
 * {@code --resume} brings a table a killed run left behind up to date before anything runs.
 * Any other {@code --out} is the CSV itself.
 */
final class ParquetOutput {
  private ParquetOutput() {}

  static boolean named(Path out) {
    return out != null && out.getFileName().toString().toLowerCase(Locale.ROOT)
        .endsWith(".parquet");
  }

  /** The CSV whose rows a Parquet table {@code out} is derived from. */
  static Path csv(Path out) {
    return out.resolveSibling(out.getFileName() + ".csv");
  }

  /** The file the rows are written to as they finish: {@code out}, or its Parquet table's CSV. */
  static Path rowsFile(Path out) {
    return named(out) ? csv(out) : out;
  }

  /** What is wrong with {@code --out out} for a run with or without {@code --spark}, or null. */
  static String problem(Path out, String spark) {
    return named(out) && spark == null ? "--out " + out + ": Parquet tables are written by the"
        + " Spark back end; add --spark local[*] (or write a .csv)" : null;
  }

  /** The results table of {@code out}: its CSV's when {@code out} is a Parquet table. */
  static ResultsTable open(WorkBackend.Session cluster, Path out, String header, int[] keys,
      boolean resume, PrintWriter stdout) throws IOException {
    if (!named(out)) {
      return new ResultsTable(out, header, keys, resume, stdout);
    }
    Path csv = csv(out);
    if (resume && !Files.exists(csv) && Files.exists(out)) {
      // a table without its CSV (copied from elsewhere): its rows start the CSV
      StringBuilder sb = new StringBuilder(header).append('\n');
      for (String[] row : cluster.readTable(out, header)) {
        sb.append(String.join(",", row)).append('\n');
      }
      Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    }
    ResultsTable table = new ResultsTable(csv, header, keys, resume, stdout);
    if (resume) {
      cluster.writeTable(out, header, table.rows());
    }
    return table;
  }

  /** At the end of a run: the Parquet table {@code out} written from the table's rows. */
  static void finish(WorkBackend.Session cluster, Path out, String header, ResultsTable table)
      throws IOException {
    if (named(out)) {
      List<String[]> rows = table.rows();
      cluster.writeTable(out, header, rows);
    }
  }
}
