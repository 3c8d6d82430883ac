package dev.robustspec.cli;

/**
 * Ctrl-C for a long command ({@code certify}, {@code batch}, {@code verify}): SIGINT or SIGTERM
 * ends the run with what finished — the command's {@code onInterrupt} prints its table or tally
 * of the finished items under the results' lock (so no row is half written) — and exit 130, the
 * shell's code for a run ended by SIGINT. While armed, a shutdown hook does it; {@link #close}
 * disarms it when the run ends normally.
 */
final class InterruptibleRun implements AutoCloseable {
  /** The exit code of a run ended by SIGINT or SIGTERM (128 + 2, as shells report it). */
  static final int EXIT_CODE = 130;

  private final Thread hook;

  private InterruptibleRun(Object lock, Runnable onInterrupt) {
    hook = new Thread(() -> {
      synchronized (lock) {
        onInterrupt.run();
        Runtime.getRuntime().halt(EXIT_CODE);
      }
    }, "robustspec-interrupt");
  }

  /** Arms the hook: on a signal, {@code onInterrupt} runs holding {@code lock}, then exit 130. */
  static InterruptibleRun arm(Object lock, Runnable onInterrupt) {
    InterruptibleRun run = new InterruptibleRun(lock, onInterrupt);
    Runtime.getRuntime().addShutdownHook(run.hook);
    interruptEvenWhenIgnored();
    return run;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook prints what finished
    }
  }

  /**
   * A process started in the background by a non-interactive shell inherits SIGINT as ignored,
   * and then the JVM installs no handler of its own: Ctrl-C sent to the process group (or
   * {@code kill -INT}) would be lost. The run's promise is that SIGINT ends it with what
   * finished, so it asks for SIGINT itself, by the ordinary shutdown (which runs the hook).
   * HotSpot refuses the request when SIGINT was ignored at the JVM's start (a {@code nohup ... &}
   * job): then SIGINT stays ignored, as the shell asked, and SIGTERM ends the run the same way.
   */
  private static void interruptEvenWhenIgnored() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> System.exit(EXIT_CODE));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no such signal on this platform: the JVM's default handling stays
    }
  }
}
