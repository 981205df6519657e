package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.Steps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mirrors {@code Lib/test/test_asyncio/test_waitfor.py}; every test runs on the virtual clock. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaitForTest {
    /** A timeout that is &gt; 0 but as small as makes no difference. */
    private static final double EPSILON = 0.0001;

    private static void raise(RuntimeException e) {
        throw e;
    }

    private static double now() {
        return Loops.now();
    }

    /** Runs for 0.2 seconds of loop time whatever happens, ignoring cancellation requests. */
    private static final class SlowTask {
        static final double TASK_TIMEOUT = 0.2;
        boolean exited;

        Void run() {
            double exitAt = now() + TASK_TIMEOUT;
            while (true) {
                double toSleep = exitAt - now();
                if (toSleep <= 0) {
                    break;
                }
                try {
                    Aio.sleep(toSleep);
                } catch (CancelledError e) {
                    // ignored on purpose
                }
            }
            exited = true;
            return null;
        }
    }

    @Test
    void asyncioWaitForCancelled() {
        SlowTask t = new SlowTask();
        double end = Loops.runVirtual(() -> {
            Task<Void> waitForTask = Aio.createTask(() -> Aio.waitFor(t::run, SlowTask.TASK_TIMEOUT * 2));
            // Aio.waitFor(Coroutine) runs the body as a task of its own (asyncio 3.12 awaits the
            // coroutine inside the calling task); give that task its first step before cancelling,
            // or the cancellation would reach it before it ever ran.
            Aio.sleep(0);
            Aio.sleep(0);
            waitForTask.cancel();
            Aio.gatherReturnExceptions(waitForTask).await();
            assertTrue(waitForTask.done());
            return now();
        });
        assertTrue(t.exited);
        assertEquals(0.2, end); // waitFor waited for the inner task to really finish
    }

    @Test
    void asyncioWaitForTimeout() {
        SlowTask t = new SlowTask();
        double end = Loops.runVirtual(() -> {
            try {
                Aio.waitFor(t::run, SlowTask.TASK_TIMEOUT / 2);
            } catch (TimeoutError e) {
                // the inner task ignores the cancellation: whether this raises is not the point
            }
            return now();
        });
        assertTrue(t.exited);
        assertEquals(0.2, end);
    }

    @Test
    void waitForTimeoutLessThen0Or0FutureDone() {
        Loops.runVirtual(() -> {
            Future<String> fut = Aio.getRunningLoop().createFuture();
            fut.setResult("done");
            assertEquals("done", Aio.waitFor(fut, 0));
            assertEquals("done", Aio.waitFor(fut, -1));
            assertTrue(fut.done());
            assertEquals(0.0, now());
            return null;
        });
    }

    @Test
    void waitForTimeoutLessThen0Or0CoroutineDoNotStarted() {
        for (double timeout : new double[] {0, -1}) {
            boolean[] started = new boolean[1];
            TimeoutError e = Loops.runVirtual(() -> {
                TimeoutError err = assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> {
                    started[0] = true;
                    return null;
                }, timeout));
                assertEquals(0.0, now());
                return err;
            });
            assertFalse(started[0], "timeout " + timeout);
            assertEquals("Aio.waitFor() timed out after " + timeout + " seconds", e.getMessage());
            assertInstanceOf(CancelledError.class, e.getCause());
        }
    }

    @Test
    void waitForTimeoutLessThen0Or0() {
        for (double timeout : new double[] {0, -1}) {
            Loops.runVirtual(() -> {
                boolean[] fooRunning = new boolean[1];
                Future<Void> started = Aio.getRunningLoop().createFuture();
                Task<String> fut = Aio.createTask(() -> {
                    fooRunning[0] = true;
                    started.setResult(null);
                    try {
                        Aio.sleep(10);
                    } finally {
                        fooRunning[0] = false;
                    }
                    return "done";
                });
                started.await();
                TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.waitFor(fut, timeout));
                assertInstanceOf(CancelledError.class, e.getCause());
                assertTrue(fut.done());
                assertTrue(fut.cancelled()); // cancelled because of the timeout
                assertFalse(fooRunning[0]); // and its finally block ran before waitFor returned
                assertEquals(0.0, now());
                return null;
            });
        }
    }

    @Test
    void waitFor() {
        Loops.runVirtual(() -> {
            boolean[] fooRunning = new boolean[1];
            Task<String> fut = Aio.createTask(() -> {
                fooRunning[0] = true;
                try {
                    Aio.sleep(10);
                } finally {
                    fooRunning[0] = false;
                }
                return "done";
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.waitFor(fut, 0.1));
            assertEquals("Aio.waitFor() timed out after 0.1 seconds", e.getMessage());
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(fut.done());
            assertTrue(fut.cancelled());
            assertFalse(fooRunning[0]);
            assertEquals(0.1, now());
            return null;
        });
    }

    @Test
    void waitForResultBeforeTimeout() { // aio4j-only
        Loops.runVirtual(() -> {
            assertEquals("fast", Aio.waitFor(() -> {
                Aio.sleep(0.5);
                return "fast";
            }, 1.0));
            assertEquals(0.5, now());
            // the timer of the timeout is gone: nothing else fires
            assertEquals(0, Aio.getRunningLoop().timerCount());
            assertEquals("fast", Aio.waitFor(() -> "fast", Duration.ofSeconds(1)));
            return null;
        });
    }

    @Test
    void waitForDuration() { // aio4j-only
        Loops.runVirtual(() -> {
            Future<String> never = Aio.getRunningLoop().createFuture();
            assertThrows(TimeoutError.class, () -> Aio.waitFor(never, Duration.ofMillis(250)));
            assertTrue(never.cancelled());
            assertEquals(0.25, now());
            return null;
        });
    }

    @Test
    void waitForBlocking() {
        assertEquals("done", Loops.runVirtual(() -> Aio.waitFor(() -> "done", Double.POSITIVE_INFINITY)));
        double t = Loops.runVirtual(() -> {
            Aio.waitFor(() -> {
                Aio.sleep(1e6);
                return null;
            }, Double.POSITIVE_INFINITY);
            return now();
        });
        assertEquals(1e6, t);
    }

    @Test
    void waitForRaceCondition() {
        Loops.runVirtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Future<String> fut = loop.createFuture();
            loop.callLater(0.1, () -> fut.setResult("ok"));
            assertEquals("ok", Aio.waitFor(fut, 0.2));
            assertEquals(0.1, now());
            return null;
        });
    }

    @Test
    void waitForCancellationRaceCondition() {
        int result = Loops.runVirtual(() -> Aio.waitFor(() -> {
            assertThrows(CancelledError.class, () -> Aio.sleep(1));
            return 1;
        }, 0.01));
        assertEquals(1, result);
    }

    @Test
    void waitForWaitsForTaskCancellation() {
        Loops.runVirtual(() -> {
            boolean[] taskDone = new boolean[1];
            Task<Void> inner = Aio.createTask(() -> {
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    Aio.sleep(EPSILON);
                    throw e;
                } finally {
                    taskDone[0] = true;
                }
                return null;
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.waitFor(inner, EPSILON));
            assertTrue(taskDone[0]);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(2 * EPSILON, now()); // the inner task's cleanup took its time, and was awaited
            return null;
        });
    }

    @Test
    void waitForWaitsForTaskCancellationWTimeout0() {
        Loops.runVirtual(() -> {
            boolean[] taskDone = new boolean[1];
            Task<Void> inner = Aio.createTask(() -> {
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    Aio.sleep(EPSILON);
                    throw e;
                } finally {
                    taskDone[0] = true;
                }
                return null;
            });
            Aio.sleep(EPSILON);
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.waitFor(inner, 0));
            assertTrue(taskDone[0]);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(2 * EPSILON, now());
            return null;
        });
    }

    @Test
    void cancelWaitForTimeout0WhileTheFutureUnwinds() { // aio4j-only: tasks.py's _cancel_and_wait awaits a separate waiter "to make sure _cancel_and_wait itself is reliably cancellable"
        Loops.runVirtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Task<Void> inner = Aio.createTask(() -> {
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    Aio.sleep(1.0); // a slow clean-up
                    throw e;
                }
                return null;
            });
            Aio.sleep(EPSILON);
            Task<Void> wait = Aio.createTask(() -> Aio.waitFor(inner, 0));
            loop.callLater(0.5, wait::cancel);
            CancelledError e = assertThrows(CancelledError.class, wait::await);
            assertFalse(e.getCause() instanceof TimeoutError, "the outer cancellation must not become a timeout");
            assertTrue(wait.cancelled());
            assertEquals(EPSILON + 0.5, now(), 1e-9); // at once, not when the inner task ends
            assertFalse(inner.done());
            assertThrows(CancelledError.class, inner::await);
            assertEquals(EPSILON + 1.0, now(), 1e-9);
            return null;
        });
    }

    @Test
    void waitForReraisesExceptionDuringCancellation() {
        IllegalStateException foo = new IllegalStateException("FooException");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Loops.runVirtual(() -> {
            Task<Void> inner = Aio.createTask(() -> {
                try {
                    Aio.sleep(0.2);
                } finally {
                    raise(foo);
                }
                return null;
            });
            return Aio.waitFor(inner, EPSILON);
        }));
        assertSame(foo, e);
    }

    @Test
    void waitForSelfCancellation() {
        Loops.runVirtual(() -> {
            Task<Integer> inner = Aio.createTask(() -> {
                try {
                    Aio.sleep(0.3);
                } catch (CancelledError e) {
                    try {
                        Aio.sleep(0.3);
                    } catch (CancelledError e2) {
                        Aio.sleep(0.3);
                    }
                }
                return 42;
            });
            // waitFor itself can be cancelled, even when the inner task holds up a cancellation
            Task<Integer> task = Aio.createTask(() -> Aio.waitFor(inner, 0.1));
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertEquals(42, inner.await());
            return null;
        });
    }

    private static void cancelWaitFor(double timeout) {
        Loops.runVirtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Task<Void> task = Aio.createTask(() -> {
                Future<Void> fut = loop.createFuture();
                return fut.await(); // blocks: fut's result is never set
            });
            Task<Void> wait = Aio.createTask(() -> Aio.waitFor(task, timeout));
            loop.callSoon(wait::cancel);
            CancelledError e = assertThrows(CancelledError.class, wait::await);
            assertFalse(e.getCause() instanceof TimeoutError, "the outer cancellation must not become a timeout");
            assertTrue(wait.cancelled());
            // Python issue #23219: cancelling the wait must also cancel the task
            assertTrue(task.cancelled());
            assertEquals(0.0, now());
            return null;
        });
    }

    @Test
    void cancelBlockingWaitFor() {
        cancelWaitFor(Double.POSITIVE_INFINITY);
    }

    @Test
    void cancelWaitFor() {
        cancelWaitFor(60.0);
    }

    @Test
    void cancelWaitForJustBeforeTheTimeout() { // aio4j-only: the outer cancellation wins over a later timer
        Loops.runVirtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Future<Void> never = loop.createFuture();
            Task<Void> wait = Aio.createTask(() -> Aio.waitFor(never, 1.0));
            loop.callLater(0.5, wait::cancel);
            assertThrows(CancelledError.class, wait::await);
            assertTrue(wait.cancelled());
            assertTrue(never.cancelled());
            assertEquals(0.5, now());
            Aio.sleep(1.0); // the timeout's timer must not fire into anything
            return null;
        });
    }

    @Test
    void waitForCancelSuppressed() {
        int res = Loops.runVirtual(() -> Aio.waitFor(() -> {
            try {
                Aio.sleep(10);
            } catch (CancelledError e) {
                return 42;
            }
            return 0;
        }, 0.1));
        assertEquals(42, res);
    }

    @Test
    void waitForIssue86296() {
        Loops.runVirtual(() -> {
            boolean[] reachedEnd = new boolean[1];
            Task<Void> task = Aio.createTask(() -> {
                Aio.waitFor(() -> null, 100);
                Aio.sleep(1);
                reachedEnd[0] = true;
                return null;
            });
            Aio.sleep(0);
            assertFalse(task.done());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(reachedEnd[0]);
            return null;
        });
    }

    @Test
    void waitForPropagatesTheInnerException() { // aio4j-only
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loops.runVirtual(() ->
                Aio.waitFor(() -> {
                    Aio.sleep(0.1);
                    throw boom;
                }, 1.0)));
        assertSame(boom, e);
    }

    @Test
    void cancellingIsRestoredAfterATimeout() { // aio4j-only
        Loops.runVirtual(() -> {
            Task<?> me = Aio.currentTask();
            assertEquals(0, me.cancelling());
            assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> Aio.sleep(3600, "late"), 0.1));
            assertEquals(0, me.cancelling());

            // a cancellation this task caught earlier (without uncancel) is left as it was
            me.cancel();
            assertThrows(CancelledError.class, () -> Aio.sleep(0));
            assertEquals(1, me.cancelling());
            assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> Aio.sleep(3600, "late"), 0.1));
            assertEquals(1, me.cancelling());
            assertEquals(0.2, now(), 1e-12);
            me.uncancel();
            return null;
        });
    }

    @Test
    void cancellingIsRestoredAfterAResult() { // aio4j-only
        Loops.runVirtual(() -> {
            Task<?> me = Aio.currentTask();
            assertEquals("v", Aio.waitFor(() -> "v", 0.1));
            assertEquals(0, me.cancelling());
            // the inner task swallowed the timeout's cancellation and returned: no TimeoutError
            assertEquals("swallowed", Aio.waitFor(() -> {
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "slept";
            }, 0.1));
            assertEquals(0, me.cancelling());
            return null;
        });
    }

    @Test
    void nestedWaitFor() { // aio4j-only
        Loops.runVirtual(() -> {
            Steps steps = new Steps();
            // the outer timeout expires first: the outer waitFor raises, the inner one is cancelled
            TimeoutError outer = assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> {
                try {
                    return Aio.waitFor(() -> Aio.sleep(3600, "late"), 10);
                } catch (CancelledError e) {
                    steps.expect(1);
                    throw e;
                }
            }, 0.5));
            assertEquals("Aio.waitFor() timed out after 0.5 seconds", outer.getMessage());
            steps.expect(2);
            assertEquals(0.5, now());

            // the inner timeout expires first: its TimeoutError goes through the outer waitFor unchanged
            TimeoutError inner = assertThrows(TimeoutError.class, () -> Aio.waitFor(() ->
                    Aio.waitFor(() -> Aio.sleep(3600, "late"), 0.5), 10));
            assertEquals("Aio.waitFor() timed out after 0.5 seconds", inner.getMessage());
            steps.finish(3);
            assertEquals(1.0, now());

            // both in the calling task, on plain futures
            EventLoop loop = Aio.getRunningLoop();
            Future<String> f = loop.createFuture();
            loop.callLater(0.25, () -> f.setResult("ok"));
            Task<String> middle = Aio.createTask(() -> Aio.waitFor(f, 1.0));
            assertEquals("ok", Aio.waitFor(middle, 2.0));
            assertEquals(1.25, now());
            assertEquals(0, Aio.currentTask().cancelling());
            return null;
        });
    }

    @Test
    void waitForOutsideATask() { // aio4j-only
        try (EventLoop loop = Loops.virtualLoop()) {
            Future<Object> f = loop.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.waitFor(f, 1.0));
            assertTrue(e.getMessage().startsWith("Aio.waitFor() called outside a task (thread '"), e.getMessage());
            List<Throwable> fromCallback = new ArrayList<>();
            loop.callSoon(() -> {
                try {
                    Aio.waitFor(f, 1.0);
                } catch (Throwable t) {
                    fromCallback.add(t);
                }
                loop.stop();
            });
            loop.runForever();
            assertEquals(1, fromCallback.size());
            assertTrue(fromCallback.get(0).getMessage().startsWith("Aio.waitFor() called from a loop callback, not from a task"),
                    fromCallback.get(0).getMessage());
        }
    }

    @Test
    void waitForRejectsNaN() { // aio4j-only
        Loops.runVirtual(() -> {
            Future<Object> f = Aio.getRunningLoop().createFuture();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aio.waitFor(f, Double.NaN));
            assertEquals("timeoutSeconds must be a number of seconds or +Infinity for none, got NaN", e.getMessage());
            assertFalse(f.done());
            f.cancel();
            return null;
        });
    }

    @Test
    void waitForCoroutineRunsInTheCallingTask() {
        // Python 3.12: wait_for(coro, t) awaits the coroutine inside the calling task.
        Loops.runVirtual(() -> {
            Task<?> caller = Aio.currentTask();
            Task<?> inside = Aio.waitFor(() -> {
                Aio.sleep(1);
                return Aio.currentTask();
            }, 5);
            assertSame(caller, inside);
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.waitFor(() -> {
                Aio.sleep(10);
                return null;
            }, 2.5));
            assertEquals("Aio.waitFor() timed out after 2.5 seconds", e.getMessage());
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(3.5, TestClocks.elapsed(Aio.getRunningLoop()));
            assertEquals(0, caller.cancelling());
            return null;
        });
    }
}
