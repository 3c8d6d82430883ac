package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.robustspec.engine.verify.Verdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline covers reading (issue 12: a 40 MB VNN-LIB file with {@code --timeout 10} ran
 * 29 s). Reading this 40 MB property takes about 20 s here; with a 1 s timeout the instance is
 * a timeout whose inputs were never read (structural, no timing asserted).
 */
class TimeoutWhileReadingTest {
  @TempDir Path tmp;

  @Test
  void aHugePropertyFileTimesOutWhileBeingRead() throws IOException {
    Path prop = tmp.resolve("huge.vnnlib");
    String line = "(assert (<= X_0 0.679857769))\n";
    try (BufferedWriter w = Files.newBufferedWriter(prop, StandardCharsets.UTF_8)) {
      w.write(Files.readString(CliRun.ROOT.resolve("examples/acasxu/prop_1.vnnlib")));
      for (long bytes = 0; bytes < 40L << 20; bytes += line.length()) {
        w.write(line);
      }
    }
    InstanceRunner.Outcome o = InstanceRunner.run(
        CliRun.ROOT.resolve("examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx"), prop,
        "interval,deeppoly", 1, 0);
    assertInstanceOf(Verdict.Timeout.class, o.result().verdict());
    assertNull(o.network(), "the inputs were read before the deadline: the file is too small");
    assertEquals("timeout", ResultFiles.first(Reports.resultFile(o)));
  }
}
