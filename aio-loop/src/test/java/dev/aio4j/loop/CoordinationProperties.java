package dev.aio4j.loop;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the coordination primitives over generated schedules: random arrival times and
 * hold times on the virtual clock, random cancellations of tasks while they wait, and (through a
 * {@link Schedule}) random timer lateness that reorders timers due in the same instant. They
 * generalise the example tests of {@code Lib/test/test_asyncio/test_locks.py},
 * {@code test_queues.py}, {@code test_taskgroups.py} and {@code test_timeouts.py}; aio4j-only as
 * properties.
 *
 * <p>Every run is deterministic: a failing case prints its inputs, including the schedule
 * ({@code Schedule[seed=..., maxJitter=...]}), which replays it exactly.
 */
class CoordinationProperties {

    // ------------------------------------------------------------------------- harness

    /** Runs {@code main} on a virtual-clock loop that follows {@code schedule}. */
    static <T, E extends Exception> T run(Schedule schedule, ThrowingCoroutine<T, E> main) throws E {
        try (Runner r = Runner.withLoopFactory(() -> EventLoop.create(TestClocks.autoJump(), schedule))) {
            return r.run(main);
        }
    }

    /** The plain FIFO schedule, or one that makes timers up to {@code maxJitter} late. */
    static Arbitrary<Schedule> schedules(double maxJitter) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Schedule.fifo())),
                Tuple.of(2, Arbitraries.longs().map(seed -> Schedule.seeded(seed, maxJitter))));
    }

    /** -1 (never) half of the time, else a tick in [0, max]. */
    static Arbitrary<Integer> maybeTick(int max) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, max)));
    }

    enum State { NOT_YET, WAITING, RUNNING, CANCELLED }

    /**
     * For Lock and Semaphore: arrives at a tick, holds for some ticks, may be cancelled (by a timer)
     * while it waits; when it releases it may also cancel another acquirer that is waiting, just
     * before or just after the release, in the same step (the races of bpo-32734 and friends).
     */
    record Acquirer(int arriveTick, int holdTicks, int cancelTick, int victim, boolean victimAfterRelease) {}

    /** Ticks of 10 ms; timer jitter (at most 4 ms) only reorders timers due in the same tick. */
    static final double TICK = 0.01;
    static final double JITTER = 0.004;

    @Provide
    Arbitrary<List<Acquirer>> acquirers() {
        return Combinators.combine(Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 3), maybeTick(15),
                        maybeTick(9), Arbitraries.of(false, true))
                .as(Acquirer::new)
                .list().ofMinSize(1).ofMaxSize(10);
    }

    @Provide
    Arbitrary<Schedule> fineSchedules() {
        return schedules(JITTER);
    }

    /** What one Lock/Semaphore run observed. */
    static final class AcquireRun {
        final List<Integer> arrivals = new ArrayList<>();
        final List<Integer> acquired = new ArrayList<>();
        final boolean[] cancelRequested;
        final State[] state;
        int inside;
        int maxInside;
        final List<Task<Object>> tasks = new ArrayList<>();

        AcquireRun(int n) {
            cancelRequested = new boolean[n];
            state = new State[n];
            Arrays.fill(state, State.NOT_YET);
        }
    }

    /** Runs the acquirers against {@code acquire}/{@code release} and returns what happened. */
    static AcquireRun runAcquirers(List<Acquirer> actors, Runnable acquire, Runnable release) {
        AcquireRun run = new AcquireRun(actors.size());
        EventLoop loop = Aio.getRunningLoop();
        for (int i = 0; i < actors.size(); i++) {
            int id = i;
            Acquirer a = actors.get(i);
            run.tasks.add(Aio.createTask(() -> {
                Aio.sleep(a.arriveTick() * TICK);
                run.arrivals.add(id);
                run.state[id] = State.WAITING;
                try {
                    acquire.run();
                } catch (CancelledError e) {
                    run.state[id] = State.CANCELLED;
                    throw e;
                }
                run.state[id] = State.RUNNING;
                run.acquired.add(id);
                run.inside++;
                run.maxInside = Math.max(run.maxInside, run.inside);
                try {
                    Aio.sleep(a.holdTicks() * TICK);
                } finally {
                    run.inside--;
                    int victim = a.victim() % actors.size();
                    if (a.victim() >= 0 && !a.victimAfterRelease()) {
                        cancelIfWaiting(run, victim);
                    }
                    release.run();
                    if (a.victim() >= 0 && a.victimAfterRelease()) {
                        cancelIfWaiting(run, victim);
                    }
                }
                return null;
            }, "acquirer-" + id));
        }
        for (int i = 0; i < actors.size(); i++) {
            int id = i;
            int cancelTick = actors.get(i).cancelTick();
            if (cancelTick >= 0) {
                loop.callAt(TestClocks.at(loop, cancelTick * TICK), () -> cancelIfWaiting(run, id));
            }
        }
        // a lost wake-up would leave the loop idle forever: on the virtual clock this fails at once
        Aio.timeout(1000 * TICK, () -> Aio.gatherReturnExceptions(run.tasks).await());
        return run;
    }

    static void cancelIfWaiting(AcquireRun run, int id) {
        if (run.state[id] == State.WAITING) {
            run.cancelRequested[id] = true;
            run.tasks.get(id).cancel();
        }
    }

    static void assertFifoAndCancellations(AcquireRun run) {
        List<Integer> expected = run.arrivals.stream().filter(run.acquired::contains).collect(Collectors.toList());
        assertEquals(expected, run.acquired, "acquired in arrival order");
        for (int i = 0; i < run.tasks.size(); i++) {
            Task<Object> t = run.tasks.get(i);
            assertTrue(t.done(), t.toString());
            if (run.cancelRequested[i]) {
                assertTrue(t.cancelled(), "a waiter cancelled while it waited ends cancelled: " + t);
                assertEquals(State.CANCELLED, run.state[i]);
                assertFalse(run.acquired.contains(i), "a cancelled waiter must not have acquired");
            } else {
                assertNull(t.exception(), t.toString());
                assertTrue(run.acquired.contains(i), "every waiter that was not cancelled acquires: " + i);
            }
        }
    }

    // --------------------------------------------------------------------------- Lock

    @Property(tries = 80)
    void lockGivesMutualExclusionInFifoOrder(@ForAll("acquirers") List<Acquirer> actors,
                                             @ForAll("fineSchedules") Schedule schedule) {
        run(schedule, () -> {
            Lock lock = new Lock();
            AcquireRun run = runAcquirers(actors, lock::acquire, lock::release);
            assertEquals(1, run.maxInside, "two tasks held the lock at once");
            assertFifoAndCancellations(run);
            assertEquals("Lock[unlocked]", lock.toString());
            return null;
        });
    }

    // ----------------------------------------------------------------------- Semaphore

    @Property(tries = 80)
    void semaphoreNeverAdmitsMoreThanItsValue(@ForAll("acquirers") List<Acquirer> actors,
                                              @ForAll @IntRange(min = 1, max = 4) int value,
                                              @ForAll boolean bounded,
                                              @ForAll("fineSchedules") Schedule schedule) {
        run(schedule, () -> {
            Semaphore sem = bounded ? new BoundedSemaphore(value) : new Semaphore(value);
            AcquireRun run = runAcquirers(actors, sem::acquire, sem::release);
            assertTrue(run.maxInside <= value, "admitted " + run.maxInside + " > " + value);
            if (actors.size() >= value && run.acquired.size() == actors.size()
                    && actors.stream().allMatch(a -> a.arriveTick() == 0 && a.holdTicks() > 0)) {
                assertEquals(value, run.maxInside, "all permits were used");
            }
            assertFifoAndCancellations(run);
            assertEquals(value, sem.value(), "a permit leaked");
            assertEquals((bounded ? "BoundedSemaphore" : "Semaphore") + "[unlocked, value=" + value + "]", sem.toString());
            return null;
        });
    }

    // --------------------------------------------------------------------------- Queue

    enum Kind { FIFO, LIFO, PRIORITY }

    /**
     * Puts its items one by one, each after a delay; may be cancelled while a put waits; after each
     * put it may cancel a consumer that is waiting (possibly the one its put just woke).
     */
    record Producer(List<Integer> delays, List<Integer> priorities, int cancelTick, int victim) {}

    /** Gets {@code delays.size()} items, each after a delay; the same rules, with producers as victims. */
    record Consumer(List<Integer> delays, int cancelTick, int victim) {}

    record QueueScenario(Kind kind, int maxsize, List<Producer> producers, List<Consumer> consumers) {}

    @Provide
    Arbitrary<QueueScenario> queueScenarios() {
        Arbitrary<Producer> producer = Arbitraries.integers().between(1, 5).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(0, 5).list().ofSize(n),
                Arbitraries.integers().between(0, 20).list().ofSize(n),
                maybeTick(30), maybeTick(2)).as(Producer::new));
        Arbitrary<Consumer> consumer = Combinators.combine(
                Arbitraries.integers().between(0, 3).list().ofMinSize(0).ofMaxSize(6),
                maybeTick(30), maybeTick(2)).as(Consumer::new);
        return Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 3),
                producer.list().ofMinSize(1).ofMaxSize(3),
                consumer.list().ofMinSize(1).ofMaxSize(3)).as(QueueScenario::new);
    }

    @Property(tries = 100)
    void queueDeliversEveryItemExactlyOnceInOrder(@ForAll("queueScenarios") QueueScenario sc,
                                                  @ForAll("fineSchedules") Schedule schedule) {
        run(schedule, () -> {
            EventLoop loop = Aio.getRunningLoop();
            Queue<Integer> q = switch (sc.kind()) {
                case FIFO -> new Queue<>(sc.maxsize());
                case LIFO -> new LifoQueue<>(sc.maxsize());
                case PRIORITY -> new PriorityQueue<>(sc.maxsize());
            };
            // the log of stores and takes, in the order the queue did them: +item put, -item got
            List<int[]> log = new ArrayList<>();
            List<Task<Object>> tasks = new ArrayList<>();
            List<State> state = new ArrayList<>();
            List<Boolean> cancelRequested = new ArrayList<>();
            List<Integer> cancelTicks = new ArrayList<>();
            int nProducers = sc.producers().size();
            int nConsumers = sc.consumers().size();
            IntConsumer cancelIfWaiting = id -> {
                if (state.get(id) == State.WAITING) {
                    cancelRequested.set(id, true);
                    tasks.get(id).cancel();
                }
            };
            for (int p = 0; p < sc.producers().size(); p++) {
                Producer prod = sc.producers().get(p);
                int id = tasks.size();
                int producerNo = p;
                state.add(State.NOT_YET);
                cancelRequested.add(false);
                cancelTicks.add(prod.cancelTick());
                tasks.add(Aio.createTask(() -> {
                    for (int j = 0; j < prod.delays().size(); j++) {
                        Aio.sleep(prod.delays().get(j) * TICK);
                        int item = prod.priorities().get(j) * 100 + producerNo * 10 + j; // unique
                        state.set(id, State.WAITING);
                        try {
                            q.put(item);
                        } catch (QueueShutDown e) {
                            state.set(id, State.RUNNING);
                            return null;
                        } catch (CancelledError e) {
                            state.set(id, State.CANCELLED);
                            throw e;
                        }
                        state.set(id, State.RUNNING);
                        log.add(new int[] {+1, item});
                        if (prod.victim() >= 0) {
                            cancelIfWaiting.accept(nProducers + prod.victim() % nConsumers);
                        }
                    }
                    return null;
                }, "producer-" + p));
            }
            for (int c = 0; c < sc.consumers().size(); c++) {
                Consumer cons = sc.consumers().get(c);
                int id = tasks.size();
                state.add(State.NOT_YET);
                cancelRequested.add(false);
                cancelTicks.add(cons.cancelTick());
                tasks.add(Aio.createTask(() -> {
                    for (int delay : cons.delays()) {
                        Aio.sleep(delay * TICK);
                        state.set(id, State.WAITING);
                        int item;
                        try {
                            item = q.get();
                        } catch (QueueShutDown e) {
                            state.set(id, State.RUNNING);
                            return null;
                        } catch (CancelledError e) {
                            state.set(id, State.CANCELLED);
                            throw e;
                        }
                        state.set(id, State.RUNNING);
                        log.add(new int[] {-1, item});
                        if (cons.victim() >= 0) {
                            cancelIfWaiting.accept(cons.victim() % nProducers);
                        }
                    }
                    return null;
                }, "consumer-" + c));
            }
            for (int i = 0; i < tasks.size(); i++) {
                int id = i;
                if (cancelTicks.get(i) >= 0) {
                    loop.callAt(TestClocks.at(loop, cancelTicks.get(i) * TICK), () -> cancelIfWaiting.accept(id));
                }
            }
            Aio.sleep(50 * TICK); // past every arrival and cancel: everybody left is waiting
            // no lost wake-up: nobody waits for an item while there is one, or for room while there is some
            for (int i = 0; i < tasks.size(); i++) {
                if (state.get(i) == State.WAITING) {
                    boolean producer = i < nProducers;
                    assertFalse(producer ? !q.full() : !q.empty(), tasks.get(i).getName() + " waits in vain on " + q);
                }
            }
            q.shutdown(false);     // wakes whoever still waits, with QueueShutDown
            Aio.gatherReturnExceptions(tasks).await();
            while (!q.empty()) {
                log.add(new int[] {-1, q.getNowait()});
            }

            // replay the log against a model of the queue
            ArrayDeque<Integer> fifo = new ArrayDeque<>();
            java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>();
            int puts = 0;
            for (int[] e : log) {
                if (e[0] > 0) {
                    puts++;
                    if (sc.kind() == Kind.PRIORITY) {
                        heap.add(e[1]);
                    } else {
                        fifo.addLast(e[1]);
                    }
                    int size = sc.kind() == Kind.PRIORITY ? heap.size() : fifo.size();
                    if (sc.maxsize() > 0) {
                        assertTrue(size <= sc.maxsize(), "the queue held " + size + " > maxsize " + sc.maxsize());
                    }
                } else {
                    Integer expected = switch (sc.kind()) {
                        case FIFO -> fifo.pollFirst();
                        case LIFO -> fifo.pollLast();
                        case PRIORITY -> heap.poll();
                    };
                    assertNotNull(expected, "got " + e[1] + " from a queue the model says is empty");
                    assertEquals(expected.intValue(), e[1], sc.kind() + " order");
                }
            }
            assertTrue(fifo.isEmpty() && heap.isEmpty(), "items lost: " + fifo + heap);
            for (int i = 0; i < tasks.size(); i++) {
                Task<Object> t = tasks.get(i);
                assertTrue(t.done());
                if (cancelRequested.get(i)) {
                    assertTrue(t.cancelled(), t.toString());
                } else {
                    assertNull(t.exception(), t.toString());
                }
            }
            String kind = switch (sc.kind()) {
                case FIFO -> "Queue";
                case LIFO -> "LifoQueue";
                case PRIORITY -> "PriorityQueue";
            };
            assertEquals(kind + "[maxsize=" + sc.maxsize() + ", qsize=0" + (puts > 0 ? ", tasks=" + puts : "") + ", shutdown]",
                    q.toString(), "no waiter may be left behind");
            return null;
        });
    }

    // ----------------------------------------------------------------------- TaskGroup

    enum Outcome { SUCCEED, FAIL, SWALLOW }

    record Child(int tick, Outcome outcome) {}

    /** Children; the body sleeps {@code bodyTick} then maybe throws; an outside cancel at cancelHalfTick + 0.5 ticks. */
    record GroupScenario(List<Child> children, int bodyTick, boolean bodyThrows, int cancelHalfTick) {}

    static final double GROUP_TICK = 0.1;

    static final class ChildFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ChildFailure(int i) {
            super("child " + i);
        }
    }

    @Provide
    Arbitrary<GroupScenario> groupScenarios() {
        Arbitrary<Child> child = Combinators.combine(
                Arbitraries.integers().between(1, 10),
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(Outcome.SUCCEED)), Tuple.of(2, Arbitraries.just(Outcome.FAIL)),
                        Tuple.of(1, Arbitraries.just(Outcome.SWALLOW)))).as(Child::new);
        return Combinators.combine(
                child.list().ofMinSize(0).ofMaxSize(8),
                Arbitraries.integers().between(0, 10),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))),
                maybeTick(10)).as(GroupScenario::new);
    }

    @Provide
    Arbitrary<Schedule> coarseSchedules() {
        return schedules(JITTER); // 4 ms on a 100 ms grid: only same-tick timers are reordered
    }

    @Property(tries = 100)
    void taskGroupEndsWithEveryChildDoneAndTheRightError(@ForAll("groupScenarios") GroupScenario sc,
                                                          @ForAll("coarseSchedules") Schedule schedule) {
        run(schedule, () -> {
            EventLoop loop = Aio.getRunningLoop();
            List<Task<String>> children = new ArrayList<>();
            Throwable[] outcome = {null};
            RuntimeException[] bodyError = {null};
            double[] bodyThrewAt = {-1};
            boolean[] cancelIssued = {false};
            int[] cancellingAfter = {-1};
            Task<Object> parent = Aio.createTask(() -> {
                try {
                    Aio.taskGroup(g -> {
                        for (int i = 0; i < sc.children().size(); i++) {
                            Child c = sc.children().get(i);
                            int id = i;
                            children.add(g.createTask(() -> switch (c.outcome()) {
                                case SUCCEED -> Aio.sleep(c.tick() * GROUP_TICK, "ok");
                                case FAIL -> {
                                    Aio.sleep(c.tick() * GROUP_TICK);
                                    throw new ChildFailure(id);
                                }
                                case SWALLOW -> {
                                    try {
                                        yield Aio.sleep(c.tick() * GROUP_TICK, "slept");
                                    } catch (CancelledError e) {
                                        Aio.sleep(2 * GROUP_TICK); // slow cleanup
                                        yield "swallowed";
                                    }
                                }
                            }, "child-" + i));
                        }
                        if (sc.bodyTick() > 0) {
                            Aio.sleep(sc.bodyTick() * GROUP_TICK);
                        }
                        if (sc.bodyThrows()) {
                            bodyThrewAt[0] = TestClocks.elapsed(Aio.getRunningLoop());
                            bodyError[0] = new IllegalStateException("body");
                            throw bodyError[0];
                        }
                        return null;
                    });
                } catch (Throwable t) {
                    outcome[0] = t;
                }
                cancellingAfter[0] = Aio.currentTask().cancelling();
                if (outcome[0] instanceof CancelledError ce) {
                    throw ce;
                }
                return null; // a re-armed outside cancel turns this return into a cancellation
            }, "parent");
            if (sc.cancelHalfTick() >= 0) {
                loop.callAt(TestClocks.at(loop, (sc.cancelHalfTick() + 0.5) * GROUP_TICK), () -> {
                    if (!parent.done()) {
                        cancelIssued[0] = true;
                        parent.cancel();
                    }
                });
            }
            Aio.timeout(1000 * GROUP_TICK, () -> Aio.gatherReturnExceptions(parent).await());

            // every child is done
            List<Throwable> failures = new ArrayList<>();
            boolean[] failed = new boolean[children.size()];
            for (int i = 0; i < children.size(); i++) {
                Task<String> c = children.get(i);
                assertTrue(c.done(), c.toString());
                if (!c.cancelled() && c.exception() != null) {
                    failures.add(c.exception());
                    failed[i] = true;
                }
            }
            // the right error
            List<Throwable> expectedErrors = new ArrayList<>(failures);
            if (bodyError[0] != null) {
                expectedErrors.add(bodyError[0]);
            }
            if (!expectedErrors.isEmpty()) {
                ExceptionGroup eg = assertInstanceOf(ExceptionGroup.class, outcome[0]);
                assertEquals(identitySet(expectedErrors), identitySet(eg.exceptions()), "exactly the failures");
                assertEquals(identitySet(expectedErrors), identitySet(Arrays.asList(eg.getSuppressed())));
                assertEquals(expectedErrors.size(), eg.exceptions().size());
            } else if (cancelIssued[0]) {
                assertInstanceOf(CancelledError.class, outcome[0]);
            } else {
                assertNull(outcome[0]);
            }
            // the parent's cancel count: restored, except for a cancel from outside, which is kept
            assertEquals(cancelIssued[0] ? 1 : 0, cancellingAfter[0], "parent.cancelling() after the group");
            assertEquals(cancelIssued[0], parent.cancelled(), "an outside cancel is never lost");

            // who ran to the end and who was cancelled, from the first abort on
            double abortAt = Double.POSITIVE_INFINITY;
            for (int i = 0; i < children.size(); i++) {
                if (failed[i]) {
                    abortAt = Math.min(abortAt, sc.children().get(i).tick() * GROUP_TICK);
                }
            }
            if (bodyThrewAt[0] >= 0) {
                abortAt = Math.min(abortAt, bodyThrewAt[0]);
            }
            if (cancelIssued[0]) {
                abortAt = Math.min(abortAt, (sc.cancelHalfTick() + 0.5) * GROUP_TICK);
            }
            for (int i = 0; i < children.size(); i++) {
                Child c = sc.children().get(i);
                Task<String> t = children.get(i);
                double at = c.tick() * GROUP_TICK;
                if (abortAt == 0.0) {
                    assertTrue(t.cancelled(), "aborted before it started: " + t);
                } else if (at < abortAt - GROUP_TICK / 2) {
                    switch (c.outcome()) {
                        case SUCCEED -> assertEquals("ok", t.result());
                        case FAIL -> assertInstanceOf(ChildFailure.class, t.exception());
                        case SWALLOW -> assertEquals("slept", t.result());
                    }
                } else if (at > abortAt + GROUP_TICK / 2) {
                    if (c.outcome() == Outcome.SWALLOW) {
                        assertEquals("swallowed", t.result());
                    } else {
                        assertTrue(t.cancelled(), "still running at the abort: " + t);
                    }
                }
            }
            return null;
        });
    }

    static Set<Throwable> identitySet(List<? extends Throwable> list) {
        Set<Throwable> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(list);
        return s;
    }

    // ------------------------------------------------------------------------- timeouts

    /** Nested blocks with these delays (ticks); the innermost works {@code work} ticks; maybe one block reschedules. */
    record TimeoutScenario(List<Integer> delays, int work, int rescheduleLevel, int rescheduleTo) {}

    @Provide
    Arbitrary<TimeoutScenario> timeoutScenarios() {
        return Arbitraries.integers().between(1, 4).flatMap(depth -> Combinators.combine(
                Arbitraries.integers().between(1, 20).list().ofSize(depth),
                Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(-1, depth - 1),
                Arbitraries.integers().between(1, 20)).as(TimeoutScenario::new));
    }

    @Property(tries = 100)
    void timeoutsFireAtOrAfterTheirDeadlineNeverBefore(@ForAll("timeoutScenarios") TimeoutScenario sc,
                                                        @ForAll("coarseSchedules") Schedule schedule) {
        run(schedule, () -> {
            EventLoop loop = Aio.getRunningLoop();
            int depth = sc.delays().size();
            dev.aio4j.loop.Timeout[] blocks = new dev.aio4j.loop.Timeout[depth];
            double[] cancelledAt = {-1};
            String[] caught = new String[depth];
            Throwable outcome = null;
            String result = null;
            try {
                result = nest(0, sc, blocks, cancelledAt, caught, loop);
            } catch (TimeoutError e) {
                outcome = e;
            }
            double end = TestClocks.elapsed(loop);
            double[] deadlines = new double[depth];
            for (int i = 0; i < depth; i++) {
                deadlines[i] = TestClocks.sinceStart(loop, blocks[i].when());
            }
            double first = Arrays.stream(deadlines).min().orElseThrow();
            double work = sc.work() * GROUP_TICK;

            for (int i = 0; i < depth; i++) {
                if (blocks[i].expired()) {
                    assertTrue(cancelledAt[0] >= deadlines[i],
                            "level " + i + " expired at " + cancelledAt[0] + ", before its deadline " + deadlines[i]);
                }
            }
            if (work < first - GROUP_TICK / 2) {
                assertEquals("done", result, "the work fits in every deadline");
                assertNull(outcome);
                for (dev.aio4j.loop.Timeout b : blocks) {
                    assertFalse(b.expired());
                }
            } else if (work > first + GROUP_TICK / 2) {
                TimeoutError te = assertInstanceOf(TimeoutError.class, outcome, "the work overran " + first);
                assertInstanceOf(CancelledError.class, te.getCause());
                assertTrue(cancelledAt[0] >= first, "cancelled at " + cancelledAt[0] + " before the first deadline " + first);
                assertTrue(cancelledAt[0] <= first + JITTER + 1e-9, "cancelled late: " + cancelledAt[0]);
                // exactly one level converted the cancel; the levels inside it saw CancelledError
                int converter = -1;
                for (int i = 0; i < depth; i++) {
                    if ("TimeoutError".equals(caught[i]) && (i == depth - 1 || !"TimeoutError".equals(caught[i + 1]))) {
                        converter = i;
                    }
                }
                assertTrue(converter >= 0, Arrays.toString(caught));
                assertTrue(blocks[converter].expired());
                assertTrue(Math.abs(deadlines[converter] - first) < 1e-9, "the converting level has the first deadline");
                for (int i = converter + 1; i < depth; i++) {
                    assertEquals("CancelledError", caught[i], "level " + i + " inside the converter");
                }
            }
            assertEquals(0, Aio.currentTask().cancelling(), "every expired timeout withdrew its cancel");
            Aio.sleep(GROUP_TICK); // no stray cancellation is left behind
            assertTrue(TestClocks.elapsed(loop) >= end + GROUP_TICK - 1e-9);
            return null;
        });
    }

    private static String nest(int level, TimeoutScenario sc, dev.aio4j.loop.Timeout[] blocks, double[] cancelledAt,
                               String[] caught, EventLoop loop) {
        try {
            return Aio.timeout(sc.delays().get(level) * GROUP_TICK, t -> {
                blocks[level] = t;
                if (level == sc.rescheduleLevel()) {
                    t.reschedule(loop.time() + sc.rescheduleTo() * GROUP_TICK);
                }
                if (level + 1 < sc.delays().size()) {
                    return nest(level + 1, sc, blocks, cancelledAt, caught, loop);
                }
                try {
                    Aio.sleep(sc.work() * GROUP_TICK);
                } catch (CancelledError e) {
                    cancelledAt[0] = TestClocks.elapsed(loop);
                    throw e;
                }
                return "done";
            });
        } catch (RuntimeException e) {
            caught[level] = e.getClass().getSimpleName();
            throw e;
        }
    }
}
