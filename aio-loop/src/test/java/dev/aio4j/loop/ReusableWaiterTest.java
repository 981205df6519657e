package dev.aio4j.loop;

import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.loop.internal.TaskWaiter;
import dev.aio4j.loop.test.RecordingExceptionHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.aio4j.loop.FutureContractTest.runBriefly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reusable wait of {@code LoopAccess.newWaiter} ({@link ReusableWaiter}; aio-http's WebSocket
 * receive waits on one). It must behave exactly as awaiting a new future per wait, which is what
 * its user did before: the parameterized tests run each scenario both ways ({@code future}: a new
 * {@code loop.createFuture()} awaited and completed; {@code waiter}: the TaskWaiter) and expect the
 * same trail, messages and {@code cancelling()} counts. No asyncio original (asyncio awaits a new
 * future each time); the cancellation cases mirror test_tasks.py's cancel tests on a future.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReusableWaiterTest {
    private EventLoop loop;
    private RecordingExceptionHandler handler;
    private final List<String> trail = new ArrayList<>();

    @BeforeEach
    void createLoop() {
        loop = EventLoop.create(TestClocks.autoJump());
        handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
    }

    @AfterEach
    void closeLoopAndCheckNothingReported() {
        loop.close();
        handler.assertNothingReported();
    }

    /** One way for a task to wait until something wakes it. */
    private interface Wait {
        void await();

        /** Waits until woken (true) or until the deadline (false). */
        boolean awaitUntil(double deadline);

        boolean wake();
    }

    private Wait make(String kind) {
        if (kind.equals("waiter")) {
            TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
            return new Wait() {
                @Override
                public void await() {
                    w.await();
                }

                @Override
                public boolean awaitUntil(double deadline) {
                    return w.awaitUntil(deadline);
                }

                @Override
                public boolean wake() {
                    return w.wake();
                }
            };
        }
        return new Wait() {
            private Future<Void> current;

            @Override
            public void await() {
                current = loop.createFuture();
                try {
                    current.await();
                } finally {
                    current = null;
                }
            }

            @Override
            public boolean awaitUntil(double deadline) { // asyncio: async with timeout_at(deadline): await fut
                try {
                    Aio.timeoutAt(deadline, () -> {
                        await();
                        return null;
                    });
                    return true;
                } catch (TimeoutError e) {
                    return false;
                }
            }

            @Override
            public boolean wake() {
                if (current == null || current.done()) {
                    return false;
                }
                current.setResult(null);
                return true;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void wakeResumesTheTaskOnceAndTheWaitRepeats(String kind) {
        Wait w = make(kind);
        assertFalse(w.wake(), "nobody waits: nothing to wake");
        Task<Integer> t = loop.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                w.await();
                trail.add("woken " + i);
            }
            return 3;
        });
        runBriefly(loop);
        runBriefly(loop);
        assertEquals(List.of(), trail, "a wake-up before the wait is not kept");
        for (int i = 0; i < 3; i++) {
            assertTrue(w.wake());
            assertFalse(w.wake(), "woken already");
            runBriefly(loop);
            assertEquals("woken " + i, trail.get(trail.size() - 1));
        }
        assertTrue(t.done());
        assertEquals(3, t.result());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void cancelWhileWaiting(String kind) {
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> {
            try {
                w.await();
                return "not cancelled";
            } catch (CancelledError e) {
                return "caught " + e.getMessage() + ", cancelling=" + Aio.currentTask().cancelling();
            }
        });
        runBriefly(loop);
        assertTrue(t.cancel("stop"));
        assertFalse(w.wake(), "a cancelled wait is not woken");
        assertEquals("caught stop, cancelling=1", loop.runUntilComplete(t));
        assertEquals(1, t.cancelling());
        assertEquals(0, t.uncancel());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void secondCancelBeforeResumeKeepsTheFirstMessageAndIsUsedUp(String kind) {
        Wait w = make(kind);
        Task<Void> t = loop.createTask(() -> waitRecordWaitAgain(w));
        runBriefly(loop);
        assertTrue(t.cancel("first"));
        assertTrue(t.cancel("second"));
        runBriefly(loop);
        assertEquals(List.of("caught first"), trail);
        assertFalse(t.done(), "the second request was delivered with the first: the next wait waits");
        assertTrue(w.wake());
        loop.runUntilComplete(t);
        assertEquals(List.of("caught first", "woken"), trail);
        assertEquals(2, t.cancelling());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void cancelBeforeWaiting(String kind) {
        Wait w = make(kind);
        Task<Void> t = loop.createTask(() -> {
            Aio.currentTask().cancel("early");
            trail.add("cancel requested");
            try {
                w.await();
                trail.add("not reached");
            } catch (CancelledError e) {
                trail.add("caught " + e.getMessage());
            }
            return null;
        });
        runBriefly(loop);
        assertEquals(List.of("cancel requested"), trail, "the wait gives the loop one iteration first");
        assertFalse(w.wake(), "the wait was cancelled as it began");
        runBriefly(loop);
        assertEquals(List.of("cancel requested", "caught early"), trail);
        assertTrue(t.done());
        assertEquals(1, t.cancelling());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void wakeThenCancelBeforeResume(String kind) {
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> wokenOrCaught(w));
        runBriefly(loop);
        assertTrue(w.wake());
        assertTrue(t.cancel("late"));
        assertEquals("caught late", loop.runUntilComplete(t));
        assertEquals(1, t.cancelling());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void wakeThenCancelThenUncancelResumesNormally(String kind) {
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> wokenOrCaught(w));
        runBriefly(loop);
        assertTrue(w.wake());
        assertTrue(t.cancel("late"));
        assertEquals(0, t.uncancel());
        assertEquals("woken", loop.runUntilComplete(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void closingTheLoopUnwindsAWaitingTask(String kind) {
        Wait w = make(kind);
        Task<Void> t = loop.createTask(() -> {
            try {
                w.await();
                trail.add("not reached");
            } finally {
                trail.add("finally");
            }
            return null;
        });
        runBriefly(loop);
        loop.close();
        assertEquals(List.of("finally"), trail);
        assertTrue(t.cancelled());
        assertEquals("event loop is closed", assertThrows(CancelledError.class, t::result).getMessage());
        assertFalse(w.wake(), "the wait ended with the task");
        assertEquals(List.of("Task was destroyed but it is pending!"), handler.messages());
        handler.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void cancelsDuringLoopCloseAreOverriddenByTheClose(String kind) {
        // close() unwinds the tasks in creation order: the first one's finally cancels the second,
        // still waiting, twice (the wait cancelled, then cancelled again) and wakes it; nothing runs
        // any more, and the second is unwound with the close's message
        Wait w = make(kind);
        Task<?>[] second = new Task<?>[1];
        Task<Void> first = loop.createTask(() -> {
            try {
                Aio.sleep(100);
            } finally {
                trail.add("first: " + second[0].cancel("one") + " " + second[0].cancel("two") + " " + w.wake());
            }
            return null;
        });
        second[0] = loop.createTask(() -> {
            try {
                w.await();
                trail.add("second woken");
            } catch (CancelledError e) {
                trail.add("second caught " + e.getMessage() + ", cancelling=" + Aio.currentTask().cancelling());
                throw e;
            }
            return null;
        });
        runBriefly(loop);
        loop.close();
        assertEquals(List.of("first: true true false", "second caught event loop is closed, cancelling=2"), trail);
        assertTrue(first.cancelled());
        assertTrue(second[0].cancelled());
        handler.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void timeoutAroundAWait(String kind) {
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> {
            double start = loop.time();
            try {
                Aio.timeout(0.5, () -> {
                    w.await();
                    return null;
                });
                return "no timeout";
            } catch (TimeoutError e) {
                return "timed out after " + Math.round((loop.time() - start) * 1000) + " ms, cancelling="
                        + Aio.currentTask().cancelling();
            }
        });
        assertEquals("timed out after 500 ms, cancelling=0", loop.runUntilComplete(t));
        assertFalse(w.wake());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void outsideCancelInsideATimeoutStaysACancel(String kind) {
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> {
            try {
                Aio.timeout(10, () -> {
                    w.await();
                    return null;
                });
                return "no cancel";
            } catch (CancelledError e) {
                return "cancelled: " + e.getMessage();
            }
        });
        runBriefly(loop);
        t.cancel("outside");
        assertEquals("cancelled: outside", loop.runUntilComplete(t));
        assertEquals(1, t.cancelling());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aFailingSiblingCancelsAWaitInATaskGroup(String kind) {
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> {
            try {
                Aio.taskGroup(g -> {
                    g.createTask(() -> {
                        try {
                            w.await();
                        } catch (CancelledError e) {
                            trail.add("waiting child cancelled");
                            throw e;
                        }
                        return null;
                    });
                    g.createTask(() -> {
                        Aio.sleep(0.1);
                        throw new IllegalStateException("boom");
                    });
                    return null;
                });
                return "no failure";
            } catch (ExceptionGroup e) {
                return e.exceptions().size() + " failure: " + e.exceptions().get(0).getMessage();
            }
        });
        assertEquals("1 failure: boom", loop.runUntilComplete(t));
        assertEquals(List.of("waiting child cancelled"), trail);
        assertEquals(0, t.cancelling());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aWakeAfterTheCancelIsNotKeptForTheNextWait(String kind) {
        // woken after it was cancelled, before it resumed: the wait throws the cancel, and the next
        // wait waits for a wake of its own (a wake-up is not kept, either way)
        Wait w = make(kind);
        Task<Void> t = loop.createTask(() -> waitRecordWaitAgain(w));
        runBriefly(loop);
        assertTrue(t.cancel("stop"));
        assertFalse(w.wake(), "the wait was cancelled already");
        runBriefly(loop);
        runBriefly(loop);
        assertEquals(List.of("caught stop"), trail);
        assertFalse(t.done(), "the second wait waits");
        assertTrue(w.wake());
        loop.runUntilComplete(t);
        assertEquals(List.of("caught stop", "woken"), trail);
        assertEquals(1, t.cancelling());
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void anEagerTaskWaitsInItsFirstStep(String kind) {
        // asyncio.eager_task_factory: the body runs inside createTask until its first wait
        Wait w = make(kind);
        loop.setTaskFactory(Aio.eagerTaskFactory());
        Task<String> outer = loop.createTask(() -> {
            Task<String> first = Aio.createTask(() -> {
                trail.add("first waits");
                w.await();
                return "woken";
            });
            trail.add("created, done=" + first.done());
            assertTrue(w.wake());
            String r = first.await();
            Task<String> second = Aio.createTask(() -> {
                try {
                    w.await();
                    return "not cancelled";
                } catch (CancelledError e) {
                    return "caught " + e.getMessage() + ", cancelling=" + Aio.currentTask().cancelling();
                }
            });
            assertTrue(second.cancel("eager"));
            return r + "; " + second.await();
        });
        assertEquals("woken; caught eager, cancelling=1", loop.runUntilComplete(outer));
        assertEquals(List.of("first waits", "created, done=false"), trail);
        List<Task<String>> fromCallback = new ArrayList<>();
        loop.callSoon(() -> fromCallback.add(Aio.createTask(() -> { // eager from a loop callback
            w.await();
            return "woken from a callback's task";
        })));
        runBriefly(loop);
        assertFalse(fromCallback.get(0).done());
        assertTrue(w.wake());
        assertEquals("woken from a callback's task", loop.runUntilComplete(fromCallback.get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aTaskOfAnotherLoopIsRefusedAndTheWaitStaysUsable(String kind) {
        Wait w = make(kind);
        try (EventLoop other = EventLoop.create(TestClocks.autoJump())) {
            Task<Void> foreign = other.createTask(() -> {
                w.await();
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.runUntilComplete(foreign));
            assertTrue(e.getMessage().contains("a task can only await futures of its own loop"), e.getMessage());
        }
        Task<Void> t = loop.createTask(() -> {
            w.await();
            trail.add("woken");
            return null;
        });
        runBriefly(loop);
        assertTrue(w.wake());
        loop.runUntilComplete(t);
        assertEquals(List.of("woken"), trail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void theDeadlineThenAWakeInOneIterationIsATimeout(String kind) {
        // stop 33: the deadline's timer runs, then a wake-up, before the task resumes. asyncio's
        // timeout cancels the awaited future; the wake-up finds it done and does nothing.
        Wait w = make(kind);
        Task<String> t = loop.createTask(() -> {
            double start = loop.time();
            loop.callSoon(() -> loop.callAt(start + 1, () -> trail.add("wake after the timer: " + w.wake())));
            boolean woken = w.awaitUntil(start + 1);
            return "woken=" + woken + " after " + Math.round((loop.time() - start) * 1000) + " ms, cancelling="
                    + Aio.currentTask().cancelling();
        });
        assertEquals("woken=false after 1000 ms, cancelling=0", loop.runUntilComplete(t));
        assertEquals(List.of("wake after the timer: false"), trail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aWakeThenTheDeadlineInOneIterationIsATimeout(String kind) {
        // stop 33: a wake-up, then the deadline's timer, before the task resumes. asyncio's timeout
        // cancels the task, whose awaited future is done: _must_cancel, the await raises, TimeoutError.
        Wait w = make(kind);
        double start = loop.time();
        loop.callAt(start + 1, () -> trail.add("wake before the timer: " + w.wake()));
        Task<String> t = loop.createTask(() -> {
            boolean woken = w.awaitUntil(start + 1);
            return "woken=" + woken + " after " + Math.round((loop.time() - start) * 1000) + " ms, cancelling="
                    + Aio.currentTask().cancelling();
        });
        assertEquals("woken=false after 1000 ms, cancelling=0", loop.runUntilComplete(t));
        assertEquals(List.of("wake before the timer: true"), trail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aWakeAnIterationBeforeTheDeadlineEndsTheWait(String kind) {
        Wait w = make(kind);
        double start = loop.time();
        loop.callAt(start + 1 - 1e-6, () -> trail.add("wake: " + w.wake()));
        Task<Boolean> t = loop.createTask(() -> w.awaitUntil(start + 1));
        assertTrue(loop.runUntilComplete(t));
        assertEquals(List.of("wake: true"), trail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aCancelThenTheDeadlineInOneIterationStaysACancel(String kind) {
        Wait w = make(kind);
        double start = loop.time();
        Task<?>[] waiting = new Task<?>[1];
        loop.callAt(start + 1, () -> waiting[0].cancel("first"));
        Task<String> t = loop.createTask(() -> {
            try {
                w.awaitUntil(start + 1);
                return "not cancelled";
            } catch (CancelledError e) {
                return "caught " + e.getMessage() + ", cancelling=" + Aio.currentTask().cancelling();
            }
        });
        waiting[0] = t;
        assertEquals("caught first, cancelling=1", loop.runUntilComplete(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void theDeadlineThenACancelInOneIterationIsTheDeadlinesCancel(String kind) {
        // asyncio: the timeout's cancel cancels the awaited future; a Task.cancel("second") before
        // the task resumes finds it cancelled already (_must_cancel), the await raises the future's
        // CancelledError (the timeout's, no message), and the timeout, whose cancel was not the only
        // one, lets it through: the second message is dropped, as after any first cancel.
        Wait w = make(kind);
        double start = loop.time();
        Task<?>[] waiting = new Task<?>[1];
        Task<String> t = loop.createTask(() -> {
            loop.callSoon(() -> loop.callAt(start + 1, () -> waiting[0].cancel("second")));
            try {
                w.awaitUntil(start + 1);
                return "not cancelled";
            } catch (CancelledError e) {
                return "caught " + e.getMessage() + ", cancelling=" + Aio.currentTask().cancelling();
            }
        });
        waiting[0] = t;
        assertEquals("caught null, cancelling=1", loop.runUntilComplete(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void aWakeThenTheDeadlineThenACancelInOneIterationIsTheCancel(String kind) {
        // the future was done when the timeout cancelled the task: both cancels are _must_cancel
        // requests, and the task's CancelledError carries the latest message
        Wait w = make(kind);
        double start = loop.time();
        Task<?>[] waiting = new Task<?>[1];
        loop.callAt(start + 1, () -> trail.add("wake: " + w.wake()));
        Task<String> t = loop.createTask(() -> {
            loop.callSoon(() -> loop.callAt(start + 1, () -> waiting[0].cancel("second")));
            try {
                w.awaitUntil(start + 1);
                return "not cancelled";
            } catch (CancelledError e) {
                return "caught " + e.getMessage() + ", cancelling=" + Aio.currentTask().cancelling();
            }
        });
        waiting[0] = t;
        assertEquals("caught second, cancelling=1", loop.runUntilComplete(t));
        assertEquals(List.of("wake: true"), trail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "waiter"})
    void wakeFromAnotherThreadWhileTheLoopRunsIsRefused(String kind) {
        // Future.setResult() checks the thread (asyncio's is not thread-safe and does not check);
        // the waiter's wake() does the same, and the wait is untouched: a wake through
        // callSoonThreadsafe then ends it.
        Wait w = make(kind);
        Task<String> waiting = loop.createTask(() -> {
            w.await();
            return "woken";
        });
        Task<String> other = loop.createTask(() -> {
            Aio.sleep(0);
            IllegalStateException e = Aio.toThread(() -> {
                try {
                    w.wake();
                    return null;
                } catch (IllegalStateException refused) {
                    return refused;
                }
            });
            trail.add("still waiting: " + !waiting.done());
            Aio.toThread(() -> {
                loop.callSoonThreadsafe(w::wake);
                return null;
            });
            return e == null ? "not refused" : e.getMessage();
        });
        String message = loop.runUntilComplete(other);
        assertTrue(message.contains(" called from thread '"), message);
        assertTrue(message.endsWith("which is neither the event loop's thread nor one of its running tasks; "
                + "from other threads use EventLoop.callSoonThreadsafe(...) or Aio.runCoroutineThreadsafe(...)"), message);
        assertTrue(message.startsWith(kind.equals("waiter") ? "TaskWaiter.wake() (test wait) called" : "Future.setResult() called"),
                message);
        assertEquals("woken", loop.runUntilComplete(waiting));
        assertEquals(List.of("still waiting: true"), trail);
    }

    // ------------------------------------------------------------------ the waiter alone

    @Test
    void awaitUntilEndsAtTheDeadlineAndItsTimerDoesNotOutliveTheWait() {
        TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
        Task<Void> t = loop.createTask(() -> {
            double start = loop.time();
            boolean woken = w.awaitUntil(start + 1);
            trail.add("first: " + woken + " after " + Math.round((loop.time() - start) * 1000) + " ms");
            // woken at once: the 5 s deadline must not end the next wait, which has none
            loop.callSoon(w::wake);
            trail.add("second: " + w.awaitUntil(loop.time() + 5));
            w.await();
            trail.add("third woken after " + Math.round((loop.time() - start) * 1000) + " ms");
            return null;
        });
        loop.callLater(10, () -> w.wake());
        loop.runUntilComplete(t);
        assertEquals(List.of("first: false after 1000 ms", "second: true", "third woken after 10000 ms"), trail);
    }

    @Test
    void aDeadlineTimerLeavesTheHeapWhenTheWaitEndsOtherwise() {
        TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
        int before = LoopAccess.timerCount(loop);
        Task<String> t = loop.createTask(() -> {
            loop.callSoon(w::wake);
            boolean woken = w.awaitUntil(loop.time() + 100);
            int afterWake = LoopAccess.timerCount(loop) - before;
            trail.add("second wait");
            try {
                w.awaitUntil(loop.time() + 100);
                return "not cancelled";
            } catch (CancelledError e) {
                return "woken=" + woken + " timers=" + afterWake + ", then " + e.getMessage() + " timers="
                        + (LoopAccess.timerCount(loop) - before);
            }
        });
        for (int i = 0; i < 10 && trail.isEmpty(); i++) {
            runBriefly(loop);
        }
        assertEquals(List.of("second wait"), trail);
        assertEquals(1, LoopAccess.timerCount(loop) - before, "the second wait's deadline");
        t.cancel("stop");
        assertEquals("woken=true timers=0, then stop timers=0", loop.runUntilComplete(t));
    }

    @Test
    void closingTheLoopUnwindsAWaitWithADeadline() {
        TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
        Task<Void> t = loop.createTask(() -> {
            try {
                w.awaitUntil(loop.time() + 100);
                trail.add("not reached");
            } catch (CancelledError e) {
                trail.add("caught " + e.getMessage() + ", " + w);
                throw e;
            }
            return null;
        });
        runBriefly(loop);
        assertEquals(1, LoopAccess.timerCount(loop));
        loop.close();
        assertEquals(List.of("caught event loop is closed, Waiter[test wait, idle]"), trail, "idle again once the wait threw");
        assertEquals("Waiter[test wait, idle]", w.toString());
        assertFalse(w.waiting());
        assertTrue(t.cancelled());
        handler.clear();
    }

    @Test
    void aWokenWaitSaysSoUntilTheTaskResumes() {
        TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
        Task<Void> t = loop.createTask(() -> {
            w.await();
            return null;
        }, "woken-task");
        runBriefly(loop);
        assertTrue(w.wake());
        assertFalse(w.waiting());
        assertEquals("Task[name=woken-task, pending, waiting on Waiter[test wait, woken]]", t.toString());
        loop.runUntilComplete(t);
        assertEquals("Waiter[test wait, idle]", w.toString());
    }

    @Test
    void theWaitingTaskSaysWhatItWaitsOn() {
        TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
        Task<Void> t = loop.createTask(() -> {
            w.await();
            return null;
        }, "waiter-task");
        assertEquals("Waiter[test wait, idle]", w.toString());
        runBriefly(loop);
        assertEquals("Task[name=waiter-task, pending, waiting on Waiter[test wait, pending]]", t.toString());
        assertTrue(w.waiting());
        t.cancel();
        assertFalse(w.waiting());
        assertEquals("Task[name=waiter-task, pending, waiting on Waiter[test wait, cancelled], cancelling=1]", t.toString());
        runBriefly(loop);
        assertTrue(t.cancelled());
        assertEquals("Waiter[test wait, idle]", w.toString());
    }

    @Test
    void aWaitOutsideATaskOrASecondWaiterIsRefused() {
        TaskWaiter w = LoopAccess.newWaiter(loop, "test wait");
        IllegalStateException[] fromCallback = new IllegalStateException[1];
        loop.callSoon(() -> fromCallback[0] = assertThrows(IllegalStateException.class, w::await));
        runBriefly(loop);
        assertTrue(fromCallback[0].getMessage().startsWith("test wait called from a loop callback, not from a task"),
                fromCallback[0].getMessage());

        Task<Void> first = loop.createTask(() -> {
            w.await();
            return null;
        }, "first");
        Task<Void> second = loop.createTask(() -> {
            w.await();
            return null;
        }, "second");
        runBriefly(loop);
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, second.exception());
        assertEquals("test wait called while another task waits on it: Task[name=first, pending, waiting on "
                + "Waiter[test wait, pending]]", e.getMessage());
        assertTrue(w.wake());
        loop.runUntilComplete(first);
        assertThrows(IllegalArgumentException.class, () -> w.awaitUntil(Double.NaN));
    }

    /**
     * cancelWait()'s documented return, which Task.cancel() and suspendOn() branch on: true once for a
     * WAITING wait (the wait then throws that message), false for a wait woken or cancelled already
     * and for an idle waiter (the cancel then stays pending on the task). As Future.cancel()'s return.
     */
    @Test
    void cancelWaitEndsOnlyAPendingWait() {
        ReusableWaiter w = (ReusableWaiter) LoopAccess.newWaiter(loop, "test wait");
        assertFalse(w.cancelWait("idle"), "no task waits");
        Task<String> cancelled = loop.createTask(() -> wokenOrCaught(new Wait() {
            @Override
            public void await() {
                w.await();
            }

            @Override
            public boolean awaitUntil(double deadline) {
                return w.awaitUntil(deadline);
            }

            @Override
            public boolean wake() {
                return w.wake();
            }
        }), "cancelled");
        runBriefly(loop);
        assertTrue(w.cancelWait("first"));
        assertTrue(w.cancelled());
        assertFalse(w.cancelWait("second"), "cancelled already");
        assertFalse(w.wake(), "cancelled already");
        assertEquals("caught first", loop.runUntilComplete(cancelled));
        assertEquals(0, cancelled.cancelling(), "cancelWait() is the future's cancel, not the task's");

        Task<Void> woken = loop.createTask(() -> {
            w.await();
            return null;
        }, "woken");
        runBriefly(loop);
        assertTrue(w.wake());
        assertFalse(w.cancelWait("late"), "woken already");
        assertFalse(w.cancelled());
        loop.runUntilComplete(woken);
        assertFalse(w.cancelWait("after"), "idle again");
    }

    /** A task body: waits, records whether the wait was cancelled (and with what), waits again, records "woken". */
    private Void waitRecordWaitAgain(Wait w) {
        try {
            w.await();
            trail.add("not cancelled");
        } catch (CancelledError e) {
            trail.add("caught " + e.getMessage());
        }
        w.await();
        trail.add("woken");
        return null;
    }

    /** A task body: "woken" if the wait ends normally, "caught <message>" if it is cancelled. */
    private static String wokenOrCaught(Wait w) {
        try {
            w.await();
            return "woken";
        } catch (CancelledError e) {
            return "caught " + e.getMessage();
        }
    }
}
