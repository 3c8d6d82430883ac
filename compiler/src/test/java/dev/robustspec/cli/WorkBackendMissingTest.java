package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Without the spark module on the class path (the compiler's own tests, or dist's jar),
 * {@code --spark} is a clear input error that says how to get the back end, before any work;
 * so are {@code verify}'s options that need {@code --spark} or a local run.
 */
class WorkBackendMissingTest {
  @Test
  void sparkWithoutTheBackEndSaysHowToBuildIt() {
    CliRun certify = CliRun.of("certify", CertifyCommandTest.NET, "--data",
        CertifyCommandTest.MNIST, "--rows", "0..0", "--eps", "0.01", "--spark", "local[2]");
    assertEquals(ExitCodes.INPUT_ERROR, certify.exit(), certify.err());
    assertTrue(certify.err().contains("--spark needs the Spark back end")
        && certify.err().contains("./robustspec"), certify.err());
    assertFalse(certify.errShowsStackTrace(), certify.err());
  }

  @Test
  void verifySparkWithoutTheBackEndAndParquetWithoutSparkAreClearErrors() {
    String tutorial = CliRun.ROOT.resolve("examples/tutorial.rspec").toString();
    CliRun spark = CliRun.of("verify", tutorial, "--spark", "local[2]");
    assertEquals(ExitCodes.INPUT_ERROR, spark.exit(), spark.err());
    assertTrue(spark.err().contains("--spark needs the Spark back end"), spark.err());
    assertFalse(spark.errShowsStackTrace(), spark.err());
    CliRun parquet = CliRun.of("verify", tutorial, "--out", "r.parquet");
    assertEquals(ExitCodes.INPUT_ERROR, parquet.exit(), parquet.err());
    assertTrue(parquet.err().contains("Parquet tables are written by the Spark back end; add"
        + " --spark local[*]"), parquet.err());
    CliRun jobs = CliRun.of("verify", tutorial, "--spark", "local[2]", "--jobs", "2");
    assertEquals(ExitCodes.INPUT_ERROR, jobs.exit(), jobs.err());
    assertTrue(jobs.err().contains("--jobs is for a local run"), jobs.err());
  }
}
