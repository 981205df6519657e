package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the event loop that hold for all inputs: the scheduling-order invariants that
 * {@code Lib/test/test_asyncio/test_base_events.py} checks by example (call_soon FIFO, timers by
 * deadline with ties in scheduling order, call_soon_threadsafe from other threads). aio4j-only as
 * properties.
 */
class LoopProperties {

    /** A timer: its delay in quarter seconds (ties and negative delays included) and how it is cancelled. */
    record TimerSpec(int quarters, Cancel cancel) {
        double delay() {
            return quarters / 4.0;
        }
    }

    enum Cancel { NO, AT_ONCE, FROM_A_CALLBACK }

    @Provide
    Arbitrary<List<TimerSpec>> timers() {
        Arbitrary<Cancel> cancel = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Cancel.NO)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Cancel.AT_ONCE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Cancel.FROM_A_CALLBACK)));
        return Combinators.combine(Arbitraries.integers().between(-2, 20), cancel)
                .as(TimerSpec::new)
                .list().ofMinSize(0).ofMaxSize(60);
    }

    @Property(tries = 100)
    void timersFireInDeadlineThenSchedulingOrderAndCancelledOnesNever(@ForAll("timers") List<TimerSpec> specs) {
        try (EventLoop loop = Loops.virtualLoop()) {
            List<Integer> fired = new ArrayList<>();
            List<Double> firedAt = new ArrayList<>();
            List<TimerHandle> handles = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                int id = i;
                Runnable cb = () -> {
                    fired.add(id);
                    firedAt.add(TestClocks.elapsed(loop));
                };
                // callLater and callAt alternate: before the clock moves they mean the same deadline
                handles.add(i % 2 == 0 ? loop.callLater(specs.get(i).delay(), cb) : loop.callAt(TestClocks.at(loop, specs.get(i).delay()), cb));
            }
            List<TimerHandle> late = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                switch (specs.get(i).cancel()) {
                    case AT_ONCE -> handles.get(i).cancel();
                    case FROM_A_CALLBACK -> late.add(handles.get(i));
                    default -> { }
                }
            }
            // runs first in the first iteration, before the timers that are already due
            loop.callSoon(() -> late.forEach(TimerHandle::cancel));
            loop.callLater(6.0, loop::stop);
            loop.runForever();

            List<Integer> expected = IntStream.range(0, specs.size())
                    .filter(i -> specs.get(i).cancel() == Cancel.NO)
                    .boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> specs.get(i).delay()).thenComparingInt(i -> i))
                    .toList();
            assertEquals(expected, fired);
            for (int k = 0; k < fired.size(); k++) {
                // the virtual clock jumps exactly to each deadline (and never goes back before 0)
                assertEquals(Math.max(0.0, specs.get(fired.get(k)).delay()), firedAt.get(k));
            }
            assertEquals(0, loop.timerCount());
            assertEquals(6.0, TestClocks.elapsed(loop));
        }
    }

    @Property(tries = 100)
    void callSoonThreadsafeLosesNothingAndKeepsEachThreadsOrder(
            @ForAll @Size(min = 2, max = 4) List<@IntRange(min = 0, max = 300) Integer> counts) throws Exception {
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        try (EventLoop loop = EventLoop.create()) {
            List<long[]> ran = new ArrayList<>(); // {thread, seq}, appended on the loop thread only
            boolean[] watchdogFired = new boolean[1];
            // a guard against a lost callback hanging the run; it never fires when all is well
            TimerHandle watchdog = loop.callLater(30.0, () -> {
                watchdogFired[0] = true;
                loop.stop();
            });
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> posters = new ArrayList<>();
            for (int t = 0; t < counts.size(); t++) {
                int thread = t;
                int count = counts.get(t);
                posters.add(Thread.ofPlatform().name("poster-" + t).start(() -> {
                    try {
                        go.await();
                        for (int seq = 0; seq < count; seq++) {
                            long s = seq;
                            loop.callSoonThreadsafe(() -> {
                                ran.add(new long[] {thread, s});
                                if (ran.size() == total) {
                                    loop.stop();
                                }
                            });
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            if (total == 0) {
                loop.stop();
            }
            go.countDown();
            loop.runForever();
            watchdog.cancel();
            for (Thread p : posters) {
                p.join(10_000);
                assertFalse(p.isAlive(), p.getName() + " is stuck");
            }
            assertNull(failure.get());
            assertFalse(watchdogFired[0], "only " + ran.size() + " of " + total + " callbacks ran");
            assertEquals(total, ran.size());
            long[] nextSeq = new long[counts.size()];
            for (long[] r : ran) {
                int thread = (int) r[0];
                assertEquals(nextSeq[thread], r[1], "poster-" + thread + "'s callbacks ran out of order");
                nextSeq[thread]++;
            }
            for (int t = 0; t < counts.size(); t++) {
                assertEquals(counts.get(t).longValue(), nextSeq[t]);
            }
        }
    }

    @Property(tries = 100)
    void callSoonRunsCallbacksInSchedulingOrderOneBatchPerIteration(
            @ForAll @IntRange(min = 1, max = 20) int initial,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 3) Integer> fanout,
            @ForAll @Size(min = 1, max = 40) List<Boolean> cancelPattern) {
        try (EventLoop loop = Loops.virtualLoop()) {
            List<Integer> scheduled = new ArrayList<>();
            Set<Integer> cancelled = new HashSet<>();
            List<Integer> ran = new ArrayList<>();
            List<Integer> scheduledIn = new ArrayList<>(); // iteration in which each id was scheduled
            List<Integer> ranIn = new ArrayList<>();
            int[] iteration = new int[1];
            Spawner s = new Spawner() {
                @Override
                public void schedule() {
                    int id = scheduled.size();
                    scheduled.add(id);
                    scheduledIn.add(iteration[0]);
                    Handle h = loop.callSoon(() -> {
                        ran.add(id);
                        ranIn.add(iteration[0]);
                        int children = fanout.get(id % fanout.size());
                        for (int c = 0; c < children && scheduled.size() < 400; c++) {
                            schedule();
                        }
                    });
                    // a few are cancelled right away (never the very first, so something always runs)
                    if (id > 0 && cancelPattern.get(id % cancelPattern.size()) && id % 3 == 0) {
                        h.cancel();
                        cancelled.add(id);
                    }
                }
            };
            for (int i = 0; i < initial; i++) {
                s.schedule();
            }
            while (true) {
                int before = ran.size();
                iteration[0]++;
                loop.stop();
                loop.runForever(); // exactly one iteration
                if (ran.size() == before) {
                    break;
                }
            }
            List<Integer> expected = scheduled.stream().filter(id -> !cancelled.contains(id)).toList();
            assertEquals(expected, ran);
            for (int k = 0; k < ran.size(); k++) {
                int id = ran.get(k);
                // a callback runs in the iteration after the one that scheduled it, never later
                assertEquals(scheduledIn.get(id) + 1, ranIn.get(k), "iteration of callback " + id);
            }
            assertTrue(ran.contains(0));
        }
    }

    private interface Spawner {
        void schedule();
    }
}
