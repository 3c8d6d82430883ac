package dev.robustspec.engine.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustspec.engine.RandomNets;
import dev.robustspec.engine.network.Network;
import dev.robustspec.engine.relax.BoundState;
import dev.robustspec.engine.relax.DeepPolyPass;
import dev.robustspec.engine.relax.IntervalPass;
import dev.robustspec.engine.relax.RelaxationPass;
import dev.robustspec.engine.search.BranchAndBound;
import dev.robustspec.engine.spec.Box;
import dev.robustspec.engine.spec.OutputConstraint;
import dev.robustspec.engine.spec.Specification;
import dev.robustspec.engine.spec.UnsafeCase;
import dev.robustspec.engine.base.Budget;
import dev.robustspec.engine.verify.PlanStep;
import dev.robustspec.engine.base.ProgressListener;
import dev.robustspec.engine.verify.VerificationResult;
import dev.robustspec.engine.verify.Verdict;
import dev.robustspec.engine.verify.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The one way into the engine: same answers as the Verifier, deadlines kept, events heard. */
class EngineRunnerTest {

  /** A random 2-input net and an unsafe case {@code y0 <= d}, d below the output at the centre. */
  private static Problem randomProblem(SplittableRandom random, Verifier.Plan plan) {
    return randomProblem(random, plan, 0.5 + random.nextDouble());
  }

  /** As above, with {@code d} {@code gap} below the output at the box's centre. */
  private static Problem randomProblem(SplittableRandom random, Verifier.Plan plan,
      double gap) {
    Network net = RandomNets.dense(random, new int[] {2, 8, 8, 1}, false);
    Box box = RandomNets.box(random, 2, 1.0);
    double[] centre = {(box.lower()[0] + box.upper()[0]) / 2, (box.lower()[1] + box.upper()[1]) / 2};
    double d = net.evaluate(centre)[0] - gap;
    UnsafeCase c = new UnsafeCase(box, List.of(new OutputConstraint(new double[] {1}, d)));
    return new Problem(net, new Specification(2, 1, List.of(c)), plan);
  }

  private static Verifier.Plan intervalThenBab() {
    return new Verifier.Plan(List.of(new PlanStep.Relax(new IntervalPass(), null),
        new PlanStep.Branch(BranchAndBound.Options.defaults(0), null)));
  }

  @Test
  void everyWayOfRunningGivesTheVerifiersAnswer() {
    SplittableRandom random = new SplittableRandom(13);
    Verifier.Plan plan = new Verifier.Plan(List.of(new PlanStep.Relax(new IntervalPass(), null),
        new PlanStep.Relax(new DeepPolyPass(), null)));
    List<Problem> problems = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      problems.add(randomProblem(random, plan));
    }
    EngineRunner runner = new EngineRunner();
    List<Integer> doneIndices = Collections.synchronizedList(new ArrayList<>());
    List<VerificationResult> all = runner.runAll(problems, Duration.ofMinutes(5), 2,
        (i, r) -> doneIndices.add(i), null);
    assertEquals(problems.size(), all.size());
    assertEquals(problems.size(), doneIndices.size());
    for (int t = 0; t < problems.size(); t++) {
      Problem p = problems.get(t);
      VerificationResult direct = new Verifier(p.network())
          .verify(p.specification(), p.plan(), Budget.unlimited());
      VerificationResult here = runner.runHere(p, Budget.unlimited());
      VerificationResult worker = runner.run(p, EngineRunner.Limits.of(Duration.ofMinutes(5)));
      for (VerificationResult r : List.of(here, worker, all.get(t))) {
        assertEquals(direct.verdict().word(), r.verdict().word());
        assertArrayEquals(direct.caseMargins(), r.caseMargins());
      }
      assertTrue(doneIndices.contains(t));
    }
  }

  @Test
  void progressEventsFollowThePlanAndTheBoxes() {
    SplittableRandom random = new SplittableRandom(7);
    int babRuns = 0;
    for (int t = 0; t < 20; t++) {
      Problem p = randomProblem(random, intervalThenBab(), 0.01 + 0.2 * random.nextDouble());
      List<String> started = Collections.synchronizedList(new ArrayList<>());
      List<String> finished = Collections.synchronizedList(new ArrayList<>());
      AtomicLong lastClosed = new AtomicLong();
      AtomicReference<Double> margin = new AtomicReference<>();
      ProgressListener listener = new ProgressListener() {
        @Override
        public void passStarted(String pass) {
          started.add(pass);
        }

        @Override
        public void passFinished(String pass, double seconds) {
          finished.add(pass);
          assertTrue(seconds >= 0);
        }

        @Override
        public void boxes(long open, long closed) {
          assertTrue(open >= 0);
          lastClosed.accumulateAndGet(closed, Math::max);
        }

        @Override
        public void bestMargin(double m) {
          margin.set(m);
        }
      };
      VerificationResult r = new EngineRunner(listener).runHere(p, Budget.unlimited());
      List<String> names = p.plan().steps().stream().map(PlanStep::name).toList();
      assertEquals(names.subList(0, started.size()), started, "steps start in plan order");
      assertEquals(started, finished);
      double weakest = r.caseMargins()[0] > 0 ? Double.POSITIVE_INFINITY : r.caseMargins()[0];
      assertEquals(weakest, margin.get(), "the last best margin is the result's");
      if (started.contains("bab")) {
        babRuns++;
        assertTrue(lastClosed.get() > 0, "branch and bound reports its boxes");
      } else {
        assertEquals(0, lastClosed.get());
      }
    }
    assertTrue(babRuns > 0, "some problem needs branch and bound");
  }

  /** A pass that ignores its budget until it is interrupted. */
  private static final class StuckPass implements RelaxationPass {
    final CountDownLatch entered = new CountDownLatch(1);
    final AtomicReference<Budget> seen = new AtomicReference<>();

    @Override
    public String name() {
      return "stuck";
    }

    @Override
    public double[] run(BoundState state, double[][] objectives, Budget budget) {
      seen.set(budget);
      entered.countDown();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new double[objectives.length];
    }
  }

  @Test
  void anEngineThatIgnoresItsBudgetIsStoppedAfterTheGracePeriod() throws Exception {
    StuckPass stuck = new StuckPass();
    Problem p = randomProblem(new SplittableRandom(3),
        new Verifier.Plan(List.of(new PlanStep.Relax(stuck, null))));
    VerificationResult r = new EngineRunner().run(p,
        new EngineRunner.Limits(Duration.ofMillis(20), Duration.ofMillis(20)));
    assertInstanceOf(Verdict.Timeout.class, r.verdict());
    assertTrue(r.bounds().isEmpty());
    for (double m : r.caseMargins()) {
      // nothing was bounded: no margin may claim more than -infinity
      assertEquals(Double.NEGATIVE_INFINITY, m);
    }
    stuck.entered.await();
    assertTrue(stuck.seen.get().isExhausted(), "the run's budget was cancelled");
  }

  @Test
  void anEngineFailureIsReportedAsSuch() {
    RelaxationPass broken = new RelaxationPass() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public double[] run(BoundState state, double[][] objectives, Budget budget) {
        throw new ArithmeticException("on purpose");
      }
    };
    Problem p = randomProblem(new SplittableRandom(5),
        new Verifier.Plan(List.of(new PlanStep.Relax(broken, null))));
    EngineRunner.EngineFailure e = assertThrows(EngineRunner.EngineFailure.class,
        () -> new EngineRunner().run(p, EngineRunner.Limits.of(Duration.ofMinutes(1))));
    assertInstanceOf(ArithmeticException.class, e.getCause());
  }
}
