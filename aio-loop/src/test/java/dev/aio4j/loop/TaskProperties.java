package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of tasks and gather that hold for all inputs; they generalise the example tests of
 * CPython's {@code Lib/test/test_asyncio/test_tasks.py} (cancellation at await points, gather
 * keeping argument order). aio4j-only as properties.
 *
 * <p>Every schedule runs on a virtual clock. Sleeps last whole multiples of half a second and
 * timed cancels come at odd multiples of a quarter second, so a cancel never ties with a task's
 * own wake-up unless a task swallowed an earlier cancel (those tasks are checked for the
 * invariants only, not against the oracle).
 */
class TaskProperties {

    /** How a generated task body ends after its sleeps. */
    enum Ending { RETURN, THROW }

    /** One task body: its sleeps (seconds), how it ends, and whether it swallows one cancellation. */
    record Plan(List<Double> sleeps, Ending ending, boolean swallowsOnce) {
        double end() {
            return sleeps.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** A cancel of task {@code task} at virtual time {@code at}; {@code at < 0}: before the task starts. */
    record Cancel(int task, double at) {
        boolean beforeStart() {
            return at < 0;
        }

        String message() {
            return beforeStart() ? "before start" : "cancel@" + at;
        }
    }

    record Scenario(List<Plan> plans, List<Cancel> cancels) {
    }

    /** The exception a planned body throws. */
    static final class PlannedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PlannedFailure(int task) {
            super("planned failure of task " + task);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Double> sleep = Arbitraries.of(0.0, 0.5, 1.0, 1.5, 2.0);
        Arbitrary<Plan> plan = Combinators.combine(
                        sleep.list().ofMaxSize(5),
                        Arbitraries.of(Ending.class),
                        Arbitraries.integers().between(0, 3).map(k -> k == 0))
                .as(Plan::new);
        return plan.list().ofMinSize(1).ofMaxSize(6).flatMap(plans -> {
            Arbitrary<Cancel> cancel = Combinators.combine(
                            Arbitraries.integers().between(0, plans.size() - 1),
                            Arbitraries.integers().between(-1, 15).map(k -> k < 0 ? -1.0 : 0.25 + 0.5 * k))
                    .as(Cancel::new);
            return cancel.list().ofMaxSize(8).map(cancels -> new Scenario(plans, cancels));
        });
    }

    /**
     * For any mix of task bodies and cancels at random points, every task ends in exactly one of
     * result, exception or cancelled (and its accessors agree), every finally block of a body
     * that started runs exactly once, a body cancelled before it started never runs, and a task
     * that does not swallow cancellation ends as the first cancel that reached it says.
     */
    @Property(tries = 250)
    void everyTaskEndsOnceAndEveryFinallyRunsOnce(@ForAll("scenarios") Scenario s) {
        int n = s.plans().size();
        int[] bodyRuns = new int[n];
        int[] finallyRuns = new int[n];
        RecordingExceptionHandler handler = new RecordingExceptionHandler();

        List<Task<Integer>> tasks = Loops.runVirtual(handler, () -> {
            EventLoop loop = Aio.getRunningLoop();
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Plan plan = s.plans().get(i);
                ts.add(Aio.createTask(() -> {
                    bodyRuns[index]++;
                    try {
                        boolean swallowed = false;
                        for (double d : plan.sleeps()) {
                            try {
                                Aio.sleep(d);
                            } catch (CancelledError e) {
                                if (!plan.swallowsOnce() || swallowed) {
                                    throw e;
                                }
                                swallowed = true;
                                Aio.currentTask().uncancel();
                            }
                        }
                        if (plan.ending() == Ending.THROW) {
                            throw new PlannedFailure(index);
                        }
                        return index;
                    } finally {
                        finallyRuns[index]++;
                    }
                }, "t" + i));
            }
            for (Cancel c : s.cancels()) {
                if (c.beforeStart()) {
                    ts.get(c.task()).cancel(c.message());
                } else {
                    loop.callAt(TestClocks.at(loop, c.at()), () -> ts.get(c.task()).cancel(c.message()));
                }
            }
            Aio.gatherReturnExceptions(ts).await();
            assertEquals(1, Aio.allTasks().size(), "only the main task is left");
            return ts;
        });

        handler.assertNothingReported();
        for (int i = 0; i < n; i++) {
            Task<Integer> t = tasks.get(i);
            Plan plan = s.plans().get(i);
            String where = "task " + i + " of " + s;
            assertTrue(t.done(), where);

            // exactly one end state, and the accessors agree on it
            if (t.cancelled()) {
                assertThrows(CancelledError.class, t::result, where);
                assertThrows(CancelledError.class, t::exception, where);
            } else if (t.exception() != null) {
                Throwable e = t.exception();
                assertSame(e, assertThrows(RuntimeException.class, t::result), where);
                assertInstanceOf(PlannedFailure.class, e, where);
                assertEquals("planned failure of task " + i, e.getMessage(), where);
                assertEquals(Ending.THROW, plan.ending(), where);
            } else {
                assertEquals(i, t.result(), where);
                assertEquals(Ending.RETURN, plan.ending(), where);
            }

            // a body that started ran its finally block exactly once
            int index = i;
            boolean cancelledBeforeStart = s.cancels().stream().anyMatch(c -> c.task() == index && c.beforeStart());
            assertEquals(cancelledBeforeStart ? 0 : 1, bodyRuns[i], where);
            assertEquals(bodyRuns[i], finallyRuns[i], where);

            // the oracle, for tasks that never swallow a cancellation
            if (cancelledBeforeStart) {
                assertTrue(t.cancelled(), where);
                assertEquals("before start", assertThrows(CancelledError.class, t::result).getMessage(), where);
            } else if (!plan.swallowsOnce()) {
                Cancel first = s.cancels().stream()
                        .filter(c -> c.task() == index && c.at() < plan.end())
                        .min(Comparator.comparingDouble(Cancel::at))
                        .orElse(null);
                if (first != null) {
                    assertTrue(t.cancelled(), where);
                    assertEquals(first.message(), assertThrows(CancelledError.class, t::result).getMessage(), where);
                } else {
                    assertEquals(plan.ending() == Ending.THROW, t.exception() != null, where);
                }
            }
        }
    }

    record GatherRun(List<Integer> results, List<Integer> completionOrder, double endTime) {
    }

    /**
     * For any set of delays, gather returns the results in argument order, whatever order the
     * children finish in; the children finish in deadline order (ties: in the order they began to
     * sleep); and gather finishes when the slowest child does.
     */
    @Property(tries = 250)
    void gatherKeepsInputOrder(@ForAll @Size(max = 20) List<@IntRange(min = 0, max = 40) Integer> tenths) {
        GatherRun run = Loops.runVirtual(() -> {
            List<Integer> completed = new ArrayList<>();
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < tenths.size(); i++) {
                int index = i;
                double delay = tenths.get(i) / 10.0;
                ts.add(Aio.createTask(() -> {
                    Aio.sleep(delay);
                    completed.add(index);
                    return index;
                }));
            }
            List<Integer> results = Aio.gather(ts).await();
            return new GatherRun(results, completed, TestClocks.elapsed(Aio.getRunningLoop()));
        });

        List<Integer> expected = IntStream.range(0, tenths.size()).boxed().collect(Collectors.toList());
        assertEquals(expected, run.results());
        List<Integer> byDeadline = expected.stream()
                .sorted(Comparator.comparingInt(tenths::get)) // stable: ties keep argument order
                .collect(Collectors.toList());
        assertEquals(byDeadline, run.completionOrder());
        double slowest = tenths.stream().mapToInt(Integer::intValue).max().orElse(0) / 10.0;
        assertEquals(slowest, run.endTime(), 1e-9);
    }

    /**
     * With return-exceptions, every position holds what its own child produced: its result, its
     * exception, or a CancelledError carrying its cancel message, for any mix of outcomes.
     */
    @Property(tries = 200)
    void gatherReturnExceptionsKeepsPositions(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 2) Integer> outcomes,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 30) Integer> tenths) {
        int n = outcomes.size();
        List<Object> results = Loops.runVirtual(() -> {
            List<Task<Object>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                int outcome = outcomes.get(i);
                double delay = tenths.get(i % tenths.size()) / 10.0;
                ts.add(Aio.createTask(() -> {
                    Aio.sleep(delay);
                    if (outcome == 1) {
                        throw new PlannedFailure(index);
                    }
                    return "value " + index;
                }));
                if (outcome == 2) {
                    Aio.getRunningLoop().callLater(delay / 2, () -> ts.get(index).cancel("cancel " + index));
                }
            }
            return Aio.gatherReturnExceptions(ts).await();
        });

        assertEquals(n, results.size());
        for (int i = 0; i < n; i++) {
            Object r = results.get(i);
            switch (outcomes.get(i)) {
                case 0 -> assertEquals("value " + i, r);
                case 1 -> {
                    assertInstanceOf(PlannedFailure.class, r);
                    assertEquals("planned failure of task " + i, ((Throwable) r).getMessage());
                }
                default -> {
                    assertInstanceOf(CancelledError.class, r);
                    assertEquals("cancel " + i, ((Throwable) r).getMessage());
                }
            }
        }
    }
}
