package dev.robustspec.compiler.lang;

import dev.robustspec.compiler.ast.SourceRange;
import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.compiler.diag.DiagnosticFormatter;
import dev.robustspec.engine.TestData;
import dev.robustspec.engine.io.InputFormatException;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.spec.Specification;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared helpers of the language tests. */
final class LangTestSupport {
  static final Path ROOT = TestData.repositoryRoot();
  static final Path EXAMPLES = ROOT.resolve("examples");

  private LangTestSupport() {}

  /** Compiles inline text (relative paths against the repository root); fails on errors. */
  static Compilation compileOk(String text) {
    Compilation c = Checker.compile("test.rspec", text, ROOT, FileLoader.direct());
    if (c.hasErrors()) {
      throw new AssertionError("unexpected errors:\n"
          + DiagnosticFormatter.text("test.rspec", text, c.diagnostics()));
    }
    return c;
  }

  static Specification spec(Compilation c, String property) {
    return c.properties().stream().filter(p -> p.name().equals(property)).findFirst()
        .orElseThrow(() -> new AssertionError("no property " + property)).specification();
  }

  /**
   * The AST as a string without source ranges: records print as Name(field, ...), so two trees
   * that differ only in positions print the same.
   */
  static String shape(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof SourceRange) {
      return "";
    }
    if (o instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (Object e : l) {
        sb.append(shape(e)).append(';');
      }
      return sb.append(']').toString();
    }
    if (o.getClass().isRecord()) {
      StringBuilder sb = new StringBuilder(o.getClass().getSimpleName()).append('(');
      for (RecordComponent rc : o.getClass().getRecordComponents()) {
        if (rc.getType() == SourceRange.class) {
          continue;
        }
        try {
          sb.append(shape(rc.getAccessor().invoke(o))).append(',');
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return sb.append(')').toString();
    }
    return String.valueOf(o);
  }

  /** A loader that reads each file once (the fuzzer compiles thousands of files). */
  static FileLoader caching() {
    FileLoader direct = FileLoader.direct();
    Map<String, Object> cache = new ConcurrentHashMap<>();
    return new FileLoader() {
      @Override
      public Network onnx(Path file) throws InputFormatException {
        return (Network) get("onnx", file, () -> direct.onnx(file));
      }

      @Override
      public Network nnet(Path file) throws InputFormatException {
        return (Network) get("nnet", file, () -> direct.nnet(file));
      }

      @Override
      public Specification vnnlib(Path file) throws InputFormatException {
        return (Specification) get("vnnlib", file, () -> direct.vnnlib(file));
      }

      @Override
      public double[] csv(Path file) throws InputFormatException {
        return ((double[]) get("csv", file, () -> direct.csv(file))).clone();
      }

      interface Load {
        Object load() throws InputFormatException;
      }

      private Object get(String kind, Path file, Load l) throws InputFormatException {
        String key = kind + ":" + file.toAbsolutePath().normalize();
        Object v = cache.get(key);
        if (v == null) {
          try {
            v = l.load();
          } catch (InputFormatException e) {
            v = e;
          }
          cache.put(key, v);
        }
        if (v instanceof InputFormatException e) {
          throw e;
        }
        return v;
      }
    };
  }
}
