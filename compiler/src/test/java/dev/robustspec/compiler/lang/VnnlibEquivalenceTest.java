package dev.robustspec.compiler.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.robustspec.compiler.check.Checker;
import dev.robustspec.compiler.check.Compilation;
import dev.robustspec.compiler.check.FileLoader;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written properties compile to exactly the Specification that VNN-LIB import gives: same
 * unsafe cases in the same order, equal boxes and equal constraint lists (Box and
 * OutputConstraint compare their arrays).
 */
class VnnlibEquivalenceTest {
  static final Path SHARED = LangTestSupport.ROOT.resolve("../shared/benchmarks/acasxu/vnnlib")
      .normalize();
  static final String NET = "network acas = onnx(\"examples/acasxu/ACASXU_run2a_1_1_batch_2000.onnx\")\n";

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void acasxuExample(int k) {
    Compilation c = Checker.compileFile(LangTestSupport.EXAMPLES.resolve("acasxu.rspec"),
        FileLoader.direct());
    assertEquals(List.of(), c.diagnostics());
    Specification hand = LangTestSupport.spec(c, "phi" + k);
    Specification imported = LangTestSupport.spec(c, "phi" + k + "_vnnlib");
    assertEquals(closed(imported), closed(hand));
    assertEquals(1, hand.cases().size());
  }

  static String box(String... ranges) {
    StringBuilder sb = new StringBuilder("box {");
    for (int i = 0; i < ranges.length; i++) {
      sb.append(i == 0 ? " " : ", ").append("x[").append(i).append("] in [").append(ranges[i])
          .append(']');
    }
    return sb.append(" }").toString();
  }

  static final String FAR = box("0.6, 0.679857769", "-0.5, 0.5", "-0.5, 0.5", "0.45, 0.5",
      "-0.5, -0.45");
  static final String HEAD_ON = box("-0.303531156, -0.298552812", "-0.009549297, 0.009549297",
      "0.493380324, 0.5", "0.3, 0.5", "0.3, 0.5");

  /** Region and formula of the ten ACAS Xu properties, as one would write them. */
  static String handWritten(int k) {
    return switch (k) {
      case 1 -> "region r = " + FAR + "\nproperty p: forall x in r: acas(x)[0] <= 3.991125645861615";
      case 2 -> "region r = " + FAR + "\nproperty p: forall x in r: argmax(acas(x)) != 0";
      case 3 -> "region r = " + HEAD_ON + "\nproperty p: forall x in r: argmin(acas(x)) != 0";
      case 4 -> "region r = " + box("-0.303531156, -0.298552812", "-0.009549297, 0.009549297",
          "0.0, 0.0", "0.318181818, 0.5", "0.083333333, 0.166666667")
          + "\nproperty p: forall x in r: argmin(acas(x)) != 0";
      case 5 -> "region r = " + box("-0.324274257, -0.321785085", "0.031830989, 0.063661977",
          "-0.499999896, -0.499204121", "-0.5, -0.227272727", "-0.5, -0.166666667")
          + "\nproperty p: forall x in r: argmin(acas(x)) == 4";
      // disjunctive input region: imported as a region, the formula is written by hand
      case 6 -> "region r = vnnlib(\"" + SHARED.resolve("prop_6.vnnlib")
          + "\")\nproperty p: forall x in r: argmin(acas(x)) == 0";
      case 7 -> "region r = " + box("-0.328422877, 0.679857769", "-0.499999896, 0.499999896",
          "-0.499999896, 0.499999896", "-0.5, 0.5", "-0.5, 0.5")
          + "\nproperty p: forall x in r:"
          + " not (acas(x)[3] <= acas(x)[0] and acas(x)[3] <= acas(x)[1] and acas(x)[3] <= acas(x)[2])"
          + " and not (acas(x)[4] <= acas(x)[0] and acas(x)[4] <= acas(x)[1] and acas(x)[4] <= acas(x)[2])";
      case 8 -> "region r = " + box("-0.328422877, 0.679857769", "-0.499999896, -0.374999922",
          "-0.015915494, 0.015915494", "-0.045454545, 0.5", "0.0, 0.5")
          + "\nproperty p: forall x in r:"
          + " not (acas(x)[2] <= acas(x)[0] and acas(x)[2] <= acas(x)[1])"
          + " and not (acas(x)[3] <= acas(x)[0] and acas(x)[3] <= acas(x)[1])"
          + " and not (acas(x)[4] <= acas(x)[0] and acas(x)[4] <= acas(x)[1])";
      case 9 -> "region r = " + box("-0.295233916, -0.212261512", "-0.063661977, -0.022281692",
          "-0.499999896, -0.498408347", "-0.5, -0.454545455", "-0.5, -0.375")
          + "\nproperty p: forall x in r: argmin(acas(x)) == 3";
      case 10 -> "region r = " + box("0.268978427, 0.679857769", "0.11140846, 0.499999896",
          "-0.499999896, -0.498408347", "0.227272727, 0.5", "0.0, 0.5")
          + "\nproperty p: forall x in r: argmin(acas(x)) == 0";
      default -> throw new IllegalArgumentException();
    };
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void sharedAcasxuProperty(int k) {
    Path file = SHARED.resolve("prop_" + k + ".vnnlib");
    assumeTrue(Files.isRegularFile(file), "benchmarks not present: " + file);
    String text = NET + handWritten(k) + "\nproperty q = vnnlib(\"" + file + "\") on acas\n";
    Compilation c = LangTestSupport.compileOk(text);
    Specification hand = LangTestSupport.spec(c, "p");
    Specification imported = LangTestSupport.spec(c, "q");
    assertEquals(imported.cases().size(), hand.cases().size(), "prop_" + k);
    Specification closedHand = closed(hand);
    Specification closedImported = closed(imported);
    for (int i = 0; i < hand.cases().size(); i++) {
      assertEquals(closedImported.cases().get(i), closedHand.cases().get(i),
          "prop_" + k + " case " + i);
    }
    assertEquals(closedImported, closedHand);
  }

  /**
   * The specification with every constraint closed. The ACAS Xu VNN-LIB files write the unsafe
   * sets closed ({@code (>= Y_0 3.99)}), while the negation of a hand-written
   * {@code acas(x)[0] <= 3.99} is strict ({@code y0 > 3.99}, issue 12): the two agree everywhere
   * but on the boundary, which the passes close anyway.
   */
  static Specification closed(Specification s) {
    List<UnsafeCase> cases = new java.util.ArrayList<>();
    for (UnsafeCase c : s.cases()) {
      cases.add(new UnsafeCase(c.region(), c.constraints().stream()
          .map(oc -> new OutputConstraint(oc.coefficients(), oc.bound())).toList(),
          c.inputConstraints()));
    }
    return new Specification(s.inputSize(), s.outputSize(), cases);
  }

  /** The equality used above is not vacuous: a changed bound breaks it. */
  @Test
  void differentBoundsAreNotEqual() {
    Path file = SHARED.resolve("prop_1.vnnlib");
    assumeTrue(Files.isRegularFile(file));
    Compilation c = LangTestSupport.compileOk(NET + "region r = " + FAR
        + "\nproperty p: forall x in r: acas(x)[0] <= 3.9911256458616\n"
        + "property q = vnnlib(\"" + file + "\") on acas\n");
    org.junit.jupiter.api.Assertions.assertNotEquals(closed(LangTestSupport.spec(c, "q")),
        closed(LangTestSupport.spec(c, "p")));
  }
}
