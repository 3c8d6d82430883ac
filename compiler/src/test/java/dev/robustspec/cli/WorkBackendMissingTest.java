package dev.robustspec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Without the spark module on the class path (the compiler's own tests, or dist's jar),
 * {@code --spark} is a clear input error that says how to get the back end, before any work.
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
}
