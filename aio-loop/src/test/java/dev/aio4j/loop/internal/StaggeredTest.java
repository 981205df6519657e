package dev.aio4j.loop.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Event;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TestClocks;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.VirtualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors CPython's {@code Lib/test/test_asyncio/test_staggered.py} (StaggeredTests), on a virtual
 * clock; then aio4j's own cases (start times, a late winner's result freed, cancellation).
 */
class StaggeredTest {
    private static final double NONE = Double.POSITIVE_INFINITY;

    private static <T> T run(Coroutine<T> main) {
        VirtualClock clock = TestClocks.autoJump();
        try (EventLoop loop = EventLoop.create(clock)) {
            return loop.runUntilComplete(loop.createTask(main));
        }
    }

    @Test
    void empty() { // test_empty
        Staggered.Result<String> r = run(() -> Staggered.<String>race(List.of(), NONE, null));
        assertNull(r.winnerResult());
        assertEquals(-1, r.winnerIndex());
        assertEquals(List.of(), r.exceptions());
    }

    @Test
    void oneSuccessful() { // test_one_successful
        Staggered.Result<String> r = run(() -> Staggered.race(List.<Coroutine<String>>of(() -> "Res: 0", () -> "Res: 1"), NONE, null));
        assertEquals("Res: 0", r.winnerResult());
        assertEquals(0, r.winnerIndex());
        assertEquals(1, r.exceptions().size());
        assertNull(r.exceptions().get(0));
    }

    @Test
    void firstErrorSecondSuccessful() { // test_first_error_second_successful
        Staggered.Result<String> r = run(() -> Staggered.race(List.<Coroutine<String>>of(() -> {
            throw new IllegalArgumentException("0");
        }, () -> "Res: 1"), NONE, null));
        assertEquals("Res: 1", r.winnerResult());
        assertEquals(1, r.winnerIndex());
        assertEquals(2, r.exceptions().size());
        assertInstanceOf(IllegalArgumentException.class, r.exceptions().get(0));
        assertNull(r.exceptions().get(1));
    }

    @Test
    void firstTimeoutSecondSuccessful() { // test_first_timeout_second_successful
        Staggered.Result<String> r = run(() -> Staggered.race(List.<Coroutine<String>>of(() -> {
            Aio.sleep(10); // much bigger than delay
            return "Res: 0";
        }, () -> "Res: 1"), 0.1, null));
        assertEquals("Res: 1", r.winnerResult());
        assertEquals(1, r.winnerIndex());
        assertEquals(2, r.exceptions().size());
        assertInstanceOf(CancelledError.class, r.exceptions().get(0));
        assertNull(r.exceptions().get(1));
    }

    @Test
    void noneSuccessful() { // test_none_successful
        Staggered.Result<String> r = run(() -> Staggered.race(List.<Coroutine<String>>of(() -> {
            throw new IllegalArgumentException("0");
        }, () -> {
            throw new IllegalArgumentException("1");
        }), NONE, null));
        assertNull(r.winnerResult());
        assertEquals(-1, r.winnerIndex());
        assertEquals(2, r.exceptions().size());
        assertInstanceOf(IllegalArgumentException.class, r.exceptions().get(0));
        assertInstanceOf(IllegalArgumentException.class, r.exceptions().get(1));
    }

    @Test
    void multipleWinners() { // test_multiple_winners
        Event event = new Event();
        Staggered.Result<Integer> r = run(() -> Staggered.race(List.<Coroutine<Integer>>of(() -> {
            event.await();
            return 0;
        }, () -> {
            event.await();
            return 1;
        }, () -> {
            event.set();
            new Event().await();
            return 2;
        }), 0.1, null));
        assertEquals(0, r.winnerResult());
        assertEquals(0, r.winnerIndex());
        assertEquals(3, r.exceptions().size());
        assertNull(r.exceptions().get(0));
        assertInstanceOf(CancelledError.class, r.exceptions().get(1));
        assertInstanceOf(CancelledError.class, r.exceptions().get(2));
    }

    @Test
    void cancelled() { // test_cancelled
        List<String> log = new ArrayList<>();
        run(() -> {
            assertThrows(TimeoutError.class, () -> Aio.timeout(NONE, outer -> Aio.timeout(NONE, inner -> {
                Coroutine<Void> coroFn = () -> {
                    inner.reschedule(-1);
                    Aio.sleep(0);
                    try {
                        Aio.sleep(0);
                    } catch (CancelledError e) {
                        log.add("cancelled 1");
                    }
                    outer.reschedule(-1);
                    Aio.sleep(0);
                    try {
                        Aio.sleep(0);
                    } catch (CancelledError e) {
                        log.add("cancelled 2");
                    }
                    return null;
                };
                try {
                    return Staggered.race(List.of(coroFn), NONE, null);
                } catch (CancelledError e) {
                    log.add("cancelled 3");
                    throw e;
                }
            })));
            return null;
        });
        assertEquals(List.of("cancelled 1", "cancelled 2", "cancelled 3"), log);
    }

    // ------------------------------------------------------------------------------ aio4j-only

    @Test
    void eachAttemptStartsWhenThePreviousFailsOrAfterTheDelay() {
        List<String> starts = new ArrayList<>();
        Staggered.Result<String> r = run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            double t0 = loop.time();
            Coroutine<String> slowFailure = () -> {
                starts.add("0@" + Math.round((loop.time() - t0) * 1000));
                Aio.sleep(0.1);
                throw new java.io.IOException("refused after 100 ms");
            };
            Coroutine<String> hangs = () -> {
                starts.add("1@" + Math.round((loop.time() - t0) * 1000));
                Aio.sleep(3600);
                return "never";
            };
            Coroutine<String> wins = () -> {
                starts.add("2@" + Math.round((loop.time() - t0) * 1000));
                Aio.sleep(0.05);
                return "won";
            };
            Coroutine<String> neverStarted = () -> {
                starts.add("3");
                return "too late";
            };
            return Staggered.race(List.of(slowFailure, hangs, wins, neverStarted), 0.25, null);
        });
        // 0 fails at 100 ms, so 1 starts then (not at 250); 2 starts 250 ms after 1; it wins at 400
        assertEquals(List.of("0@0", "1@100", "2@350"), starts);
        assertEquals("won", r.winnerResult());
        assertEquals(2, r.winnerIndex());
        assertEquals(3, r.exceptions().size());
        assertInstanceOf(java.io.IOException.class, r.exceptions().get(0));
        assertInstanceOf(CancelledError.class, r.exceptions().get(1));
    }

    @Test
    void aSuccessAfterTheWinnerIsHandedToDiscard() {
        // Attempt 1 has its result (a connected socket, say) when the winner's cancellation reaches
        // it: the result must be freed, not dropped.
        List<String> late = new ArrayList<>();
        Event go = new Event();
        Staggered.Result<String> r = run(() -> Staggered.race(List.<Coroutine<String>>of(() -> {
            go.await();
            return "a";
        }, () -> {
            go.set();
            return uncancellable("b");
        }), 0, late::add));
        assertEquals("a", r.winnerResult());
        assertEquals(0, r.winnerIndex());
        assertEquals(List.of("b"), late);
        assertInstanceOf(CancelledError.class, r.exceptions().get(1));
    }

    /** Returns {@code value} after one loop iteration, whatever cancellation arrives meanwhile. */
    private static String uncancellable(String value) {
        try {
            Aio.sleep(0);
        } catch (CancelledError e) {
            // ignored: the result exists already (a connected socket)
        }
        return value;
    }

    @Test
    void aCancelledCallerCancelsAndWaitsForEveryAttemptAndStartsNoMore() {
        List<String> log = new ArrayList<>();
        run(() -> {
            var task = Aio.createTask(() -> Staggered.race(List.<Coroutine<String>>of(() -> {
                try {
                    Aio.sleep(3600);
                } finally {
                    log.add("0 unwound");
                }
                return "0";
            }, () -> {
                log.add("1 started");
                return "1";
            }), 1.0, null));
            Aio.sleep(0.5);
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            log.add("caller done");
            Aio.sleep(2); // the delay timer of attempt 0 would have started attempt 1 by now
            return null;
        });
        assertEquals(List.of("0 unwound", "caller done"), log);
    }

    @Test
    void anAttemptCancelledBeforeItsBodyRanIsRecordedAsCancelled() {
        // delay 0: attempt 1's task is created while attempt 0 waits one iteration; attempt 0 then
        // wins before attempt 1's first step, so attempt 1's body never runs
        List<String> ran = new ArrayList<>();
        Staggered.Result<String> r = run(() -> Staggered.race(List.<Coroutine<String>>of(() -> {
            Aio.sleep(0);
            return "a";
        }, () -> {
            ran.add("b");
            return "b";
        }), 0, null));
        assertEquals(0, r.winnerIndex());
        assertEquals(List.of(), ran);
        assertEquals(2, r.exceptions().size());
        assertInstanceOf(CancelledError.class, r.exceptions().get(1));
    }

    @Test
    void anErrorFromAnAttemptIsRethrownOnceTheRaceEnded() {
        List<String> log = new ArrayList<>();
        StackOverflowError boom = new StackOverflowError("attempt 0");
        StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> run(() -> Staggered.race(
                List.<Coroutine<String>>of(() -> {
                    throw boom;
                }, () -> {
                    Aio.sleep(1);
                    log.add("attempt 1 finished");
                    return "b";
                }), NONE, null)));
        assertEquals(boom, thrown);
        assertEquals(List.of("attempt 1 finished"), log, "the race ends first: no attempt outlives it");
        OutOfMemoryError second = new OutOfMemoryError("attempt 1");
        StackOverflowError both = assertThrows(StackOverflowError.class, () -> run(() -> Staggered.race(
                List.<Coroutine<String>>of(() -> {
                    throw boom;
                }, () -> {
                    throw second;
                }), NONE, null)));
        assertEquals(List.of(second), List.of(both.getSuppressed()), "the second error is kept, suppressed");
    }

    @Test
    void badDelayIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(() -> Staggered.race(List.<Coroutine<String>>of(() -> "x"), -1, null)));
        assertTrue(e.getMessage().contains("delay"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run(() -> Staggered.race(List.<Coroutine<String>>of(() -> "x"), Double.NaN, null)));
    }
}
