package dev.robustspec.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The one plan validator: its problems as data, for both front ends. */
class PlanValidatorTest {

  @Test
  void everyRegisteredPassIsFoundAndAnythingElseIsUnknown() {
    for (String name : PassRegistry.names()) {
      PlanValidator.Lookup<PassRegistry.PassSpec> l = PlanValidator.pass(name);
      assertSame(PassRegistry.get(name), l.found());
      assertNull(l.problem());
    }
    PlanValidator.Lookup<PassRegistry.PassSpec> l = PlanValidator.pass("deepoly");
    assertNull(l.found());
    PlanValidator.Problem.UnknownPass u =
        assertInstanceOf(PlanValidator.Problem.UnknownPass.class, l.problem());
    assertEquals("deepoly", u.name());
    assertEquals(PassRegistry.names(), u.known());
  }

  @Test
  void parametersAreLookedUpAndTheirRangesAreInclusive() {
    PassRegistry.PassSpec krelu = PassRegistry.get("krelu");
    PassRegistry.ParamSpec k = PlanValidator.parameter(krelu, "k").found();
    assertEquals("k", k.name());
    assertNull(PlanValidator.range(krelu, k, 2));
    assertNull(PlanValidator.range(krelu, k, 4));
    PlanValidator.Problem.OutOfRange r = assertInstanceOf(PlanValidator.Problem.OutOfRange.class,
        PlanValidator.range(krelu, k, 5));
    assertEquals(5, r.value());
    assertSame(k, r.param());
    assertInstanceOf(PlanValidator.Problem.OutOfRange.class, PlanValidator.range(krelu, k, 1.5));
    PlanValidator.Problem.UnknownParameter up = assertInstanceOf(
        PlanValidator.Problem.UnknownParameter.class,
        PlanValidator.parameter(krelu, "kk").problem());
    assertEquals(krelu.params().stream().map(PassRegistry.ParamSpec::name).toList(), up.known());
  }
}
