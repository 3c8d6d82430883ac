package dev.robustspec.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.compiler.check.Compilation.CompiledProperty;
import dev.robustspec.compiler.diag.Severity;
import dev.robustspec.engine.spec.Box;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The language service called directly: verdicts, bounds, caching, cancellation, robustness. */
class LanguageServiceTest {
  static final String TUTORIAL = "tutorial.rspec";

  /** relu(x0 - x1) + relu(x0 + x1) - 0.5: the tutorial's network, computed by hand. */
  static double tiny(double x0, double x1) {
    return Math.max(0, x0 - x1) + Math.max(0, x0 + x1) - 0.5;
  }

  @Test
  void tutorialVerdictsAndARealCounterexample() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample(TUTORIAL);
      List<PropertyStatus> v = f.awaitVerdicts(uri, 1);
      assertEquals(PropertyStatus.State.CERTIFIED, ServiceFixture.status(v, "below_3").state());
      assertEquals(PropertyStatus.State.CERTIFIED, ServiceFixture.status(v, "class_0").state());
      PropertyStatus falsified = ServiceFixture.status(v, "below_1_2");
      assertEquals(PropertyStatus.State.FALSIFIED, falsified.state());
      Verdicts.Counterexample c = f.service.counterexample(uri, "below_1_2");
      assertNotNull(c);
      double x0 = c.input()[0];
      double x1 = c.input()[1];
      assertTrue(Math.abs(x0) <= 1 && Math.abs(x1) <= 1, "input in the square");
      assertTrue(tiny(x0, x1) > 1.2, "the output really exceeds 1.2: " + tiny(x0, x1));
      assertEquals(tiny(x0, x1), c.output()[0], 1e-12);
      assertNull(f.service.counterexample(uri, "below_3"), "a certified property has none");
      // the verdict diagnostic: an error on the property's name with the full vectors attached
      EditorDiagnostic d = f.diagnostics.get(uri).stream()
          .filter(x -> x.code().equals("falsified")).findFirst().orElseThrow();
      assertEquals(Severity.ERROR, d.severity());
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      assertEquals("below_1_2", text.substring(d.range().startOffset(), d.range().endOffset()));
      assertEquals(2, d.related().size());
    }
  }

  @Test
  void aDataSetPropertyGetsOneDiagnosticSummingUpItsItems() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      // items 0..3 of the MNIST test set at eps 0 (the images themselves): certified exactly
      // when the network classifies the image right, which the 256x2 net does for these four
      String text = """
          network mnist = onnx("mnist/mnist-net_256x2.onnx")
          param eps = 0
          dataset digits = csv("../../shared/datasets/mnist_test.csv", scale = 1/255, rows = 0..3)
          property robust: forall (image, label) in digits:
            forall x in linf(center = image, eps = eps) clip [0, 1]: argmax(mnist(x)) == label
          """;
      String uri = f.openText("digits.rspec", text);
      List<PropertyStatus> v = f.awaitVerdicts(uri, 1);
      assertEquals(4, v.size(), v.toString());
      List<EditorDiagnostic> verdicts = f.diagnostics.get(uri).stream()
          .filter(x -> !x.code().startsWith("RS")).toList();
      assertEquals(1, verdicts.size(), "one diagnostic for the four items: " + verdicts);
      EditorDiagnostic d = verdicts.get(0);
      assertEquals("certified 4 of 4 (certified accuracy 100.0%)", d.message());
      assertEquals(Severity.INFORMATION, d.severity());
      assertEquals("robust", text.substring(d.range().startOffset(), d.range().endOffset()));
    }
  }

  @Test
  void aRadiusSearchIsNotRunInTheEditorButSaysHowToRunIt() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String text = """
          network mnist = onnx("mnist/mnist-net_256x2.onnx")
          dataset digits = csv("../../shared/datasets/mnist_test.csv", scale = 1/255, rows = 0..1)
          property widest: forall (image, label) in digits: largest eps in (0, 0.05]:
            forall x in linf(center = image, eps = eps) clip [0, 1]: argmax(mnist(x)) == label
          property robust: forall (image, label) in digits:
            forall x in linf(center = image, eps = 0) clip [0, 1]: argmax(mnist(x)) == label
          """;
      String uri = f.openText("radius.rspec", text);
      List<PropertyStatus> v = f.awaitVerdicts(uri, 1);
      assertTrue(v.stream().noneMatch(s -> s.name().startsWith("widest")),
          "no status for the radius search's items: " + v);
      List<EditorDiagnostic> radius = f.diagnostics.get(uri).stream()
          .filter(x -> x.code().equals("radius")).toList();
      assertEquals(1, radius.size(), f.diagnostics.get(uri).toString());
      EditorDiagnostic d = radius.get(0);
      assertEquals("radius search of eps in (0, 0.05] to 0.00005 over 2 items: run robustspec"
          + " verify FILE --property widest for the brackets [certified, falsified]",
          d.message());
      assertEquals(Severity.INFORMATION, d.severity());
      assertEquals("widest", text.substring(d.range().startOffset(), d.range().endOffset()));
    }
  }

  @Test
  void boundsMatchHandComputationAndContainSampledValues() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample(TUTORIAL);
      BoundsTable t = f.service.bounds(uri, "below_3", null);
      assertEquals(List.of("interval", "deeppoly"), t.passes());
      // layer 0: x0 - x1 and x0 + x1 on [-1, 1]^2 lie in [-2, 2], both passes, all unstable
      BoundsTable.PassBounds dense = t.layer(0).bounds().get("interval");
      assertEquals(-2, dense.min(), 1e-12);
      assertEquals(2, dense.max(), 1e-12);
      assertEquals(2, dense.unstable());
      // the output: interval adds both ReLUs' [0, 2] -> [-0.5, 3.5]; DeepPoly shows <= 2.5
      BoundsTable.LayerBounds out = t.layer(2);
      assertEquals(3.5, out.bounds().get("interval").max(), 1e-9);
      assertEquals(2.5, out.bounds().get("deeppoly").max(), 1e-9);
      assertEquals(-0.5, out.bounds().get("deeppoly").min(), 1e-9);
      // one layer only
      assertEquals(1, f.service.bounds(uri, "below_3", 1).layers().size());
      assertThrows(LanguageService.ServiceException.class,
          () -> f.service.bounds(uri, "below_3", 7));
      assertThrows(LanguageService.ServiceException.class,
          () -> f.service.bounds(uri, "nonesuch", null));
    }
  }

  @Test
  void mnistBoundsContainEverySampledActivation() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample("mnist.rspec");
      BoundsTable t = f.service.bounds(uri, "robust0_small", null);
      CompiledProperty p = f.service.analysis(uri).property("robust0_small");
      Box box = p.specification().regions().get(0);
      Random rnd = new Random(7);
      for (int s = 0; s < 200; s++) {
        double[] x = new double[box.dimension()];
        for (int i = 0; i < x.length; i++) {
          double w = box.upper()[i] - box.lower()[i];
          x[i] = s % 2 == 0 ? box.lower()[i] + rnd.nextDouble() * w
              : rnd.nextBoolean() ? box.lower()[i] : box.upper()[i]; // corners too
        }
        List<double[]> values = p.network().trace(x);
        for (BoundsTable.LayerBounds l : t.layers()) {
          double[] v = values.get(l.index() + 1);
          for (BoundsTable.PassBounds b : l.bounds().values()) {
            for (int i = 0; i < v.length; i++) {
              assertTrue(b.lower()[i] <= v[i] && v[i] <= b.upper()[i], "layer " + l.index()
                  + " neuron " + i + ": " + v[i] + " outside [" + b.lower()[i] + ", "
                  + b.upper()[i] + "]");
            }
          }
        }
      }
    }
  }

  @Test
  void anEditThatChangesNoPropertyReusesEveryResult() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample(TUTORIAL);
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      List<PropertyStatus> before = f.awaitVerdicts(uri, 1);
      // a comment and a rename move and rename properties, but change no content
      String edited = "// a new first line\n" + text.replace("below_3", "under_three");
      f.service.change(uri, 2, edited);
      List<PropertyStatus> after = f.awaitVerdicts(uri, 2);
      assertSame(ServiceFixture.status(before, "below_3").result(),
          ServiceFixture.status(after, "under_three").result(), "the cached result is reused");
      assertSame(ServiceFixture.status(before, "class_0").result(),
          ServiceFixture.status(after, "class_0").result());
      // changing the network's weights changes every key of properties on it
      f.service.change(uri, 3, edited.replace("[[1, 1]] + [-0.5]", "[[1, 1]] + [-0.25]"));
      List<PropertyStatus> changed = f.awaitVerdicts(uri, 3);
      assertFalse(ServiceFixture.status(after, "under_three").result()
          == ServiceFixture.status(changed, "under_three").result());
      assertSame(ServiceFixture.status(after, "class_0").result(),
          ServiceFixture.status(changed, "class_0").result(), "another network: reused");
    }
  }

  @Test
  void aChangedNetworkFileIsVerifiedAgainAndATouchedOneIsNot(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path net = dir.resolve("net.onnx");
    java.nio.file.Path acas11 = ServiceFixture.example("acasxu/ACASXU_run2a_1_1_batch_2000.onnx");
    java.nio.file.Path acas21 = ServiceFixture.example("acasxu/ACASXU_run2a_2_1_batch_2000.onnx");
    java.nio.file.Files.copy(acas11, net);
    String text = "network acas = onnx(\"net.onnx\")\n"
        + "region r = box { x[0..4] in [-0.1, 0.1] }\n"
        + "property p: forall x in r: acas(x)[0] <= 100\n"
        + "verify p using interval\n";
    java.nio.file.Path spec = dir.resolve("net.rspec");
    java.nio.file.Files.writeString(spec, text);
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = spec.toUri().toString();
      f.service.open(uri, 1, text);
      PropertyStatus first = f.awaitVerdicts(uri, 1).get(0);
      // the same bytes with a new modification time: the cached verdict stands
      java.nio.file.Files.setLastModifiedTime(net, java.nio.file.attribute.FileTime
          .fromMillis(System.currentTimeMillis() + 5000));
      f.service.change(uri, 2, text + "// touched\n");
      assertSame(first.result(), f.awaitVerdicts(uri, 2).get(0).result());
      // another network in the same file: verified again, with other bounds
      java.nio.file.Files.copy(acas21, net, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      java.nio.file.Files.setLastModifiedTime(net, java.nio.file.attribute.FileTime
          .fromMillis(System.currentTimeMillis() + 10000));
      f.service.change(uri, 3, text + "// replaced\n");
      PropertyStatus replaced = f.awaitVerdicts(uri, 3).get(0);
      assertFalse(first.result() == replaced.result(), "re-verified");
      assertFalse(first.margin().equals(replaced.margin()), "a different network, a different"
          + " margin: " + first.margin() + " and " + replaced.margin());
    }
  }

  /** A property that runs until its time limit: input splitting on 784 inputs. */
  static String longRunning(double eps) {
    return "network mnist = onnx(\"mnist/mnist-net_256x2.onnx\")\n"
        + "region r = linf(center = csv(\"mnist/image_0.csv\"), eps = " + eps + ") clip [0, 1]\n"
        + "property slow: forall x in r: argmax(mnist(x)) == 4\n"
        + "verify slow using bab\n";
  }

  @Test
  void anEditIsCheckedAtOnceAndOnlyItsVerificationWaitsForThePause() throws Exception {
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    // an hour's pause: any verification of an edit here would be one that did not wait for it
    try (ServiceFixture f = new ServiceFixture(new LanguageService.Options(
        Duration.ofMinutes(1), 1, Duration.ofHours(1)), (p, budget) -> {
          runs.incrementAndGet();
          return new dev.robustspec.engine.run.EngineRunner().runHere(p.problem(), budget);
        })) {
      String uri = f.openExample(TUTORIAL);
      f.awaitVerdicts(uri, 1); // opening verifies at once
      int opened = runs.get();
      assertEquals(3, opened);
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      // version 2: below_1_2 changes (new work) and a misspelt constant (a checker error)
      String edited = text.replace("tiny(x)[0] <= 1.2", "tiny(x)[0] <= 1.6")
          .replace("eps = eps", "eps = epz");
      f.service.change(uri, 2, edited);
      ServiceFixture.await(() -> Integer.valueOf(2).equals(f.diagnosticVersions.get(uri)),
          "the checker's diagnostics of version 2");
      assertTrue(f.diagnostics.get(uri).stream().anyMatch(d -> d.message().contains("epz")),
          "the checker's error of the edit: " + f.diagnostics.get(uri));
      ServiceFixture.Published p = f.published.get(uri);
      assertEquals(2, p.version());
      assertEquals(PropertyStatus.State.CERTIFIED,
          ServiceFixture.status(p.statuses(), "below_3").state(), "unchanged: its verdict stays");
      assertEquals(PropertyStatus.State.PENDING,
          ServiceFixture.status(p.statuses(), "below_1_2").state(), "changed: waits for the pause");
      assertEquals(opened, runs.get(), "no verification before the pause");
      // back to the opened text: every verdict comes from the cache, nothing runs
      f.service.change(uri, 3, text);
      f.awaitVerdicts(uri, 3);
      assertEquals(opened, runs.get());
      assertEquals(0, f.service.verificationsInFlight());
    }
  }

  @Test
  void anEditCancelsTheRunItMakesStale() throws Exception {
    try (ServiceFixture f = new ServiceFixture(new LanguageService.Options(
        Duration.ofMinutes(10), 1, Duration.ofMillis(50)))) {
      String uri = f.openText("slow.rspec", longRunning(0.2));
      ServiceFixture.await(() -> f.service.statuses(uri).stream()
          .anyMatch(s -> s.state() == PropertyStatus.State.RUNNING), "the first run to start");
      f.service.change(uri, 2, longRunning(0.3));
      // one thread: the new run can only start once the stale one has stopped
      ServiceFixture.await(() -> {
        ServiceFixture.Published p = f.published.get(uri);
        return p != null && p.version() == 2 && !p.statuses().isEmpty()
            && p.statuses().get(0).state() == PropertyStatus.State.RUNNING;
      }, "the new run to start");
      assertEquals(1, f.service.verificationsInFlight());
      f.service.close(uri);
      ServiceFixture.await(() -> f.service.verificationsInFlight() == 0, "closing to cancel");
      assertEquals(0, f.service.cachedResults(), "a cancelled run is not a result");
    }
  }

  @Test
  void hoverAndCompletionAnswerWhileVerificationsRun() throws Exception {
    try (ServiceFixture f = new ServiceFixture(new LanguageService.Options(
        Duration.ofMinutes(10), 2, Duration.ofMillis(50)))) {
      String text = longRunning(0.2);
      String uri = f.openText("slow.rspec", text);
      ServiceFixture.await(() -> f.service.statuses(uri).stream()
          .anyMatch(s -> s.state() == PropertyStatus.State.RUNNING), "the run to start");
      HoverResult h = f.service.hover(uri, text.indexOf("slow:") + 1);
      assertTrue(h.markdown().contains("running"), h.markdown());
      assertFalse(f.service.completion(uri, text.length()).isEmpty());
      assertEquals(PropertyStatus.State.RUNNING, f.service.statuses(uri).get(0).state(),
          "the answers came while it still ran");
    }
  }

  @Test
  void aCrashedOrTimedOutVerificationIsAVerdictNotADeadServer() throws Exception {
    LanguageService.PropertyVerifier failing = (p, budget) -> {
      if (p.name().equals("below_3")) {
        throw new IllegalStateException("a bug in a pass");
      }
      if (p.name().equals("below_1_2")) {
        throw new StackOverflowError();
      }
      while (true) { // class_0: runs until its budget ends, as a slow pass would
        budget.check();
        Thread.onSpinWait();
      }
    };
    try (ServiceFixture f = new ServiceFixture(new LanguageService.Options(
        Duration.ofMillis(300), 2, Duration.ofMillis(10)), failing)) {
      String uri = f.openExample(TUTORIAL);
      List<PropertyStatus> v = f.awaitVerdicts(uri, 1);
      PropertyStatus crashed = ServiceFixture.status(v, "below_3");
      assertEquals(PropertyStatus.State.ERROR, crashed.state());
      assertTrue(crashed.error().contains("a bug in a pass"), crashed.error());
      assertEquals(PropertyStatus.State.ERROR, ServiceFixture.status(v, "below_1_2").state());
      // the budget ran out: the engine's exception is a verdict-less error here, not a hang
      assertTrue(ServiceFixture.status(v, "class_0").state().finished());
      assertTrue(f.diagnostics.get(uri).stream().filter(d -> d.code().equals("error")).count()
          >= 2);
      // and the service still serves
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      assertTrue(f.service.hover(uri, text.indexOf("below_3") + 1).markdown().contains("error"));
      assertFalse(f.service.completion(uri, 0).isEmpty());
    }
  }

  @Test
  void aMissingNetworkFileIsADiagnosticNotACrash() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String text = "network n = onnx(\"no/such.onnx\")\n"
          + "region r = box { x[0] in [0, 1] }\n"
          + "property p: forall x in r: n(x)[0] <= 1\n";
      String uri = f.openText("missing.rspec", text);
      ServiceFixture.await(() -> f.diagnostics.containsKey(uri), "diagnostics");
      List<EditorDiagnostic> d = f.diagnostics.get(uri);
      assertTrue(d.stream().anyMatch(x -> x.code().equals("RS0010")), d.toString());
      assertTrue(f.service.statuses(uri).isEmpty(), "nothing to verify");
      assertTrue(f.service.hover(uri, text.indexOf("n(x)")).markdown().contains("does not load"));
    }
  }

  @Test
  void everyPrefixOfTheExamplesIsServedWithoutAnException() throws Exception {
    try (ServiceFixture f = new ServiceFixture(new LanguageService.Options(
        Duration.ofSeconds(5), 1, Duration.ofMillis(1)))) {
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      String uri = f.openText("prefixes.rspec", "");
      int version = 1;
      for (int end = 0; end <= text.length(); end += 11) {
        String prefix = text.substring(0, end) + "\n)]} = ,";
        f.service.change(uri, ++version, prefix);
        for (int at = 0; at <= prefix.length(); at += Math.max(1, prefix.length() / 9)) {
          f.service.hover(uri, at);
          f.service.completion(uri, at);
          f.service.definition(uri, at);
          f.service.references(uri, at, true);
        }
        f.service.symbols(uri);
        f.service.semanticTokens(uri);
        f.service.codeLenses(uri);
      }
    }
  }

  @Test
  void navigationAndRename() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample(TUTORIAL);
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      int use = text.indexOf("in square:") + 4;
      List<Navigation.Location> def = f.service.definition(uri, use);
      assertEquals(1, def.size());
      assertEquals(text.indexOf("region square") + 7, def.get(0).range().startOffset());
      // tiny: declared once, used in two formulas
      List<Navigation.Location> refs = f.service.references(uri, text.indexOf("tiny"), true);
      assertEquals(3, refs.size());
      for (Navigation.Location l : refs) {
        assertEquals("tiny", text.substring(l.range().startOffset(), l.range().endOffset()));
      }
      Navigation.Rename r = f.service.rename(uri, text.indexOf("tiny"), "small");
      StringBuilder renamed = new StringBuilder(text);
      r.edits().stream().sorted((a, b) -> b.startOffset() - a.startOffset())
          .forEach(e -> renamed.replace(e.startOffset(), e.endOffset(), r.newName()));
      f.service.change(uri, 2, renamed.toString());
      List<PropertyStatus> v = f.awaitVerdicts(uri, 2);
      assertEquals(3, v.size(), "the renamed file still compiles every property");
      assertFalse(f.diagnostics.get(uri).stream().anyMatch(d -> d.severity() == Severity.ERROR
          && d.code().startsWith("RS")));
      assertThrows(LanguageService.ServiceException.class,
          () -> f.service.rename(uri, renamed.indexOf("small"), "relu"));
      assertThrows(LanguageService.ServiceException.class,
          () -> f.service.rename(uri, renamed.indexOf("small"), "square"));
      Set<String> symbols = f.service.symbols(uri).stream().map(Navigation.DocumentSymbol::name)
          .collect(Collectors.toSet());
      assertEquals(Set.of("small", "square", "below_3", "below_1_2", "eps", "classifier",
          "around", "class_0"), symbols);
    }
  }

  @Test
  void completionFitsTheContext() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String base = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      // every registered pass, whatever passes the registry grows
      assertEquals(Set.copyOf(dev.robustspec.engine.plan.PassRegistry.names()),
          labels(f, base + "\nverify class_0 using ", "pass"));
      assertTrue(labels(f, base + "\nverify class_0 using ", "pass").containsAll(
          Set.of("interval", "deeppoly", "attack", "bab")));
      assertEquals(Set.of("samples", "steps", "seed", "share", "timeout"),
          labels(f, base + "\nverify class_0 using attack(restarts = 2, ", "parameter"));
      assertEquals(Set.of("square", "around"),
          labels(f, base + "\nproperty q: forall x in ", "region"));
      assertEquals(Set.of("below_3", "below_1_2", "class_0"),
          labels(f, base + "\nverify ", "property"));
      assertTrue(labels(f, base + "\nver", "keyword").contains("verify"));
    }
  }

  private static Set<String> labels(ServiceFixture f, String text, String kind)
      throws LanguageService.ServiceException {
    String uri = f.openText("completion.rspec", text);
    return f.service.completion(uri, text.length()).stream().filter(i -> i.kind().equals(kind))
        .map(Completions.Item::label).collect(Collectors.toSet());
  }

  @Test
  void semanticTokensNameWhatEachNameIs() throws Exception {
    try (ServiceFixture f = new ServiceFixture()) {
      String uri = f.openExample(TUTORIAL);
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      LineIndex lines = new LineIndex(text);
      int at = text.indexOf("tiny");
      SemanticTokens.Token t = f.service.semanticTokens(uri).stream()
          .filter(x -> x.line() == lines.line(at) && x.column() == lines.column(at))
          .findFirst().orElseThrow();
      assertEquals("class", SemanticTokens.TYPES.get(t.type()));
      assertEquals(1, t.modifiers(), "a declaration");
      int pass = text.indexOf("using interval, deeppoly") + 6;
      assertTrue(f.service.semanticTokens(uri).stream().anyMatch(x -> x.line()
          == lines.line(pass) && x.column() == lines.column(pass)
          && SemanticTokens.TYPES.get(x.type()).equals("method")));
    }
  }

  @Test
  void memoryStaysBoundedAcrossAThousandEdits() throws Exception {
    try (ServiceFixture f = new ServiceFixture(new LanguageService.Options(
        Duration.ofSeconds(20), 2, Duration.ofMillis(0)))) {
      String text = ServiceFixture.read(ServiceFixture.example(TUTORIAL));
      String uri = f.openExample(TUTORIAL);
      for (int i = 0; i < 1000; i++) {
        // every edit changes class_0's region, so each is new work that the next makes stale
        String edited = text.replace("eps = 0.1", "eps = 0.1" + String.format("%04d", i));
        f.service.change(uri, i + 2, edited);
        if (i % 50 == 0) {
          f.service.hover(uri, edited.indexOf("class_0"));
        }
      }
      f.awaitVerdicts(uri, 1001);
      assertTrue(f.service.cachedResultBytes() <= LanguageService.RESULT_CACHE_BYTES);
      assertTrue(f.service.cachedResults() > 0); // small results: many kept, in bytes
      assertTrue(f.service.verificationsInFlight() == 0);
    }
  }
}
