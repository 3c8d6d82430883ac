package dev.robustspec.cli;

import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.check.Compilation.DataItem;
import dev.robustspec.compiler.service.PropertyRunner;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.VerificationResult;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One property of {@code verify FILE.rspec --spark}: the file ({@link RspecFile}: path and
 * digests), the param values of its compilation ({@code --set}, one {@code --sweep} value), and
 * the property's name there. The engine never sees the file's text: where the item runs, the
 * file is compiled again (once per process and param values, {@link NetworkSource#compilation})
 * and the named property's plan runs as the local {@code verify} runs it, so the verdicts are
 * the same. {@code item} is the digest of a data-set property's item (label and values), null
 * for an ordinary property: a data set read differently there is an error, not another item's
 * verdict.
 */
record PropertyItem(RspecFile file, ParamRuns.Setting setting, String property,
    String networkName, String item, double timeout) implements WorkItem {

  /** The item of {@code p} (named with its setting's suffix) of the file the driver compiled. */
  static PropertyItem of(RspecFile file, ParamRuns.Setting setting, CompiledProperty p,
      double timeout) {
    String name = p.name().substring(0, p.name().length() - setting.suffix().length());
    return new PropertyItem(file, setting, name, p.networkName(), digest(p.item()), timeout);
  }

  @Override
  public String key() {
    return property + setting.suffix();
  }

  @Override
  public WorkResult run(NetworkSource networks) {
    long start = System.nanoTime();
    CompiledProperty p;
    try {
      p = find(networks.compilation(file, setting.values()));
    } catch (InputFormatException e) {
      return failed(e.getMessage(), (System.nanoTime() - start) / 1e9);
    }
    PropertyRunner.Outcome o = PropertyRunner.run(List.of(ParamRuns.named(p, setting.suffix())),
        Duration.ofNanos((long) (TimeoutOption.saturated(timeout) * 1e9)), 1, null, null).get(0);
    VerificationResult r = o.result();
    // the layer bounds stay here: the driver prints verdicts, margins and counterexamples
    VerificationResult sent = new VerificationResult(r.verdict(), r.seconds(), r.caseMargins(),
        r.passRuns(), List.of());
    return new WorkResult(key(), PropertyResults.row(o), PropertyResults.word(r.verdict()), null,
        null, -1, Double.NaN, null, null, r.seconds(), sent);
  }

  private CompiledProperty find(Compilation c) throws InputFormatException {
    for (CompiledProperty p : c.properties()) {
      if (p.name().equals(property)) {
        if (!java.util.Objects.equals(digest(p.item()), item)) {
          throw new InputFormatException(java.nio.file.Path.of(file.path()), "property "
              + property + " is about another data item" + NetworkFile.host() + " than on the"
              + " driver: every machine of a cluster must see the same data set files");
        }
        return p;
      }
    }
    throw new InputFormatException(java.nio.file.Path.of(file.path()), "property " + property
        + " did not compile" + NetworkFile.host() + (c.hasErrors() ? ": " + c.diagnostics()
            .stream().filter(d -> d.isError()).findFirst().orElseThrow().message() : ""));
  }

  /**
   * The result of an item that could not run: verdict {@code unknown} (the language's word
   * for "not decided") with the message as its reason.
   */
  @Override
  public WorkResult failed(String message, double seconds) {
    VerificationResult r = new VerificationResult(new Verdict.Unknown(Double.NaN, message),
        seconds, new double[0], List.of(), List.of());
    String[] row = {key(), networkName, "unknown", "", "",
        String.format(Locale.ROOT, "%.3f", seconds)};
    return new WorkResult(key(), row, "error", message, null, -1, Double.NaN, null, null,
        seconds, r);
  }

  /** SHA-256 of a data item's index, label and values; null for no item. */
  static String digest(DataItem item) {
    if (item == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(8 + 8 * item.center().length);
    b.putInt(item.index()).putInt(item.label());
    for (double v : item.center()) {
      b.putDouble(v);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
