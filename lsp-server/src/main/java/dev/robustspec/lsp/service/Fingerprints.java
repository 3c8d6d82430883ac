package dev.robustspec.lsp.service;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.engine.plan.PassInvocation;
import dev.robustspec.engine.network.Layer;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Content keys of verification work: everything a verdict depends on (the network's content,
 * the property's unsafe cases with their regions, the plan, the time limit) and nothing else,
 * so a result is reused exactly when re-running could not change it. Names and positions are
 * left out: renaming a property or moving it does not re-run it.
 */
final class Fingerprints {
  private Fingerprints() {}

  /** The key of one property's verification under {@code timeout}. */
  static String property(CompiledProperty p, Duration timeout, CachingFileLoader loader) {
    Digest d = new Digest();
    d.text("network").text(network(p.network(), loader));
    d.text("cases").number(p.specification().cases().size());
    for (UnsafeCase c : p.specification().cases()) {
      d.numbers(c.region().lower()).numbers(c.region().upper());
      d.number(c.constraints().size());
      for (OutputConstraint oc : c.constraints()) {
        d.numbers(oc.coefficients()).number(oc.bound()).number(oc.strict() ? 1 : 0);
      }
    }
    d.text("plan");
    for (PassInvocation step : p.plan().passes()) {
      d.text(step.display());
    }
    d.text("timeout").number(timeout.toNanos());
    return d.hex();
  }

  /** The network file's SHA-256 when it came from a file, else a hash of its layers. */
  static String network(Network net, CachingFileLoader loader) {
    String file = loader == null ? null : loader.contentHash(net);
    if (file != null) {
      return "file:" + file;
    }
    Digest d = new Digest();
    d.numbers(Arrays.stream(net.inputShape()).asDoubleStream().toArray());
    for (Layer l : net.layers()) {
      d.text(l.getClass().getSimpleName()).number(l.inputSize()).number(l.outputSize());
      l.writeFingerprint(d::numbers);
    }
    return "layers:" + d.hex();
  }

  /** SHA-256 over a sequence of typed values. */
  private static final class Digest {
    private final MessageDigest sha;
    private final ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);

    Digest() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
      }
    }

    Digest text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      number(b.length);
      flush();
      sha.update(b);
      return this;
    }

    Digest number(double v) {
      if (buffer.remaining() < 8) {
        flush();
      }
      buffer.putDouble(v);
      return this;
    }

    Digest numbers(double[] values) {
      number(values.length);
      for (double v : values) {
        number(v);
      }
      return this;
    }

    private void flush() {
      buffer.flip();
      sha.update(buffer);
      buffer.clear();
    }

    String hex() {
      flush();
      return HexFormat.of().formatHex(sha.digest());
    }
  }
}
