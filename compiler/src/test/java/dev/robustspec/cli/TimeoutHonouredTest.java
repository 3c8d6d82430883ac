package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness: {@code --timeout 1} on a hard instance (MNIST 256x6, image 1, eps 0.05: still open
 * after 15 s) returns soon after the deadline, reading the 2 MB network included. The bound is
 * generous (5 s wall); this is not a performance test.
 */
class TimeoutHonouredTest {
  @TempDir Path tmp;

  @Test
  void timeoutOfOneSecondIsHonoured() throws IOException {
    TestData.benchmarks(); // fails loudly when ../shared/benchmarks is missing
    Path result = tmp.resolve("result.txt");
    CliRun r = CliRun.of("instance", "../shared/benchmarks/mnistfc/onnx/mnist-net_256x6.onnx",
        "../shared/benchmarks/mnistfc/vnnlib/prop_1_0.05.vnnlib", "--timeout", "1",
        "--result", result.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.wallSeconds() < 5, "took " + r.wallSeconds() + " s with --timeout 1");
    String line = r.out().strip();
    assertTrue(line.startsWith("timeout after ") || line.startsWith("holds ")
        || line.startsWith("violated ") || line.startsWith("unknown "), line);
    String word = ResultFiles.first(Files.readString(result));
    assertTrue(Set.of("timeout", "unsat", "sat", "unknown").contains(word), word);
    if (line.startsWith("timeout")) {
      assertEquals("timeout", word);
    }
    System.out.printf("timeout test: %s (wall %.2f s)%n", line, r.wallSeconds());
  }
}
