package dev.robustspec.cli;

import dev.robustspec.engine.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the CLI in-process and captures exit code, stdout and stderr. */
record CliRun(int exit, String out, String err, double wallSeconds) {

  /** Surefire runs the compiler tests in the repository root (see compiler/pom.xml). */
  static final Path ROOT = TestData.repositoryRoot();

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long t0 = System.nanoTime();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    double wall = (System.nanoTime() - t0) / 1e9;
    return new CliRun(code, out.toString().replace("\r\n", "\n"),
        err.toString().replace("\r\n", "\n"), wall);
  }

  /** True when stderr shows a Java exception or a stack trace. */
  boolean errShowsStackTrace() {
    return err.contains("Exception") || err.contains("\tat ") || out.contains("\tat ");
  }
}
