package dev.robustspec.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where tests find the shared benchmarks and the shipped examples. */
public final class TestData {
  private TestData() {}

  /** The repository root (Surefire passes it; falls back to walking up from the working dir). */
  public static Path repositoryRoot() {
    String root = System.getProperty("robustspec.root");
    Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("examples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (no examples/ folder)");
    }
    return p.toAbsolutePath();
  }

  /**
   * {@code ../shared/benchmarks} beside the checkout. CI always has it; a test that needs it
   * fails loudly when it is missing (never silently skips), unless {@code robustspec.allowMissingShared}
   * is set, for work on a machine without it.
   */
  public static Path benchmarks() {
    Path b = repositoryRoot().resolve("../shared/benchmarks").normalize();
    if (!Files.isDirectory(b)) {
      Assumptions.assumeTrue(Boolean.getBoolean("robustspec.allowMissingShared"),
          "../shared/benchmarks is missing");
      throw new IllegalStateException("../shared/benchmarks is missing beside the checkout: " + b);
    }
    return b;
  }

  /** The shipped examples folder. */
  public static Path examples() {
    return repositoryRoot().resolve("examples");
  }
}
