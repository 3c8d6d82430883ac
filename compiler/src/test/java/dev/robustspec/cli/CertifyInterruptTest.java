package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real {@code robustspec certify} process receiving SIGINT or SIGTERM while it works: it
 * prints the summary of the rows that finished and exits 130, and the results file holds
 * exactly those rows, each complete, none twice.
 */
class CertifyInterruptTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void signalEndsWithTheFinishedTableAndExit130(String signal) throws Exception {
    Path out = dir.resolve("r.csv");
    Path stdout = dir.resolve("stdout.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.robustspec.cli.Main", "certify", CertifyCommandTest.NET, "--data",
        CertifyCommandTest.MNIST, "--scale", "1/255", "--clip", "0,1", "--eps",
        "0.001,0.03", "--timeout", "5", "--out", out.toString())
        .directory(CliRun.ROOT.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      // wait until some rows are written (not all 200: at eps 0.03 an item takes seconds, so the
      // run takes minutes; at eps 0.002 it could end before the signal on a loaded machine)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (dataRows(out) < 3 && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(p.isAlive(), "the run ended before the signal");
      assertTrue(dataRows(out) >= 3, "no rows within 120 s");
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit after SIG" + signal);
      assertEquals(130, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
    String printed = Files.readString(stdout, StandardCharsets.UTF_8);
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    int rows = lines.size() - 1;
    assertTrue(Files.readString(out).endsWith("\n"), "the last row is complete");
    assertTrue(printed.contains("interrupted: " + rows + " of 200 rows finished"), printed);
    assertTrue(printed.contains("eps 0.001: certified accuracy"), printed);
    Set<String> keys = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(7, f.length, line);
      assertTrue(keys.add(f[0] + "@" + f[2]), "duplicate row " + line);
    }
  }

  private static long dataRows(Path out) throws IOException {
    if (!Files.exists(out)) {
      return 0;
    }
    return Files.readString(out).chars().filter(c -> c == '\n').count() - 1;
  }
}
