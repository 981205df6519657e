package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.loop.test.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors {@code Lib/test/test_asyncio/test_base_events.py} ({@code BaseEventLoopTests}), together
 * with the loop-level tests of {@code test_events.py}'s {@code EventLoopTestsMixin} that need no
 * sockets (run_until_complete, call_soon_threadsafe, run_in_executor, close).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BaseEventsTest {
    private EventLoop loop;

    @BeforeEach
    void setUp() {
        loop = Loops.virtualLoop();
    }

    @AfterEach
    void tearDown() {
        if (!loop.isRunning()) {
            loop.close();
        }
    }

    /** asyncio's test_utils.run_once: stop() before runForever() runs exactly one iteration. */
    private static void runOnce(EventLoop l) {
        l.stop();
        l.runForever();
    }

    /** A named callback, so that handle descriptions are predictable. */
    static final class ZeroError implements Runnable {
        final ArithmeticException error = new ArithmeticException("/ by zero");

        @Override
        public void run() {
            throw error;
        }
    }

    /** A callback that blocks the loop thread for a real 50 ms. */
    static final class SlowCallback implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Captures what aio-loop logs through System.Logger "dev.aio4j.loop" (backed by
     * java.util.logging by default), and keeps it off the console meanwhile.
     */
    static final class LogCapture extends dev.aio4j.loop.test.LogCapture {
        LogCapture() {
            super("dev.aio4j.loop");
        }
    }

    // ------------------------------------------------------------------------- callSoon

    @Test
    void callSoon() {
        List<Integer> calls = new ArrayList<>();
        Handle h = loop.callSoon(() -> calls.add(0));
        assertSame(Handle.class, h.getClass());
        assertFalse(h.cancelled());
        for (int i = 1; i < 5; i++) {
            int n = i;
            loop.callSoon(() -> calls.add(n));
        }
        assertEquals(List.of(), calls);
        runOnce(loop);
        assertEquals(List.of(0, 1, 2, 3, 4), calls);
    }

    @Test
    void callSoonRejectsNull() { // aio4j-only
        NullPointerException e = assertThrows(NullPointerException.class, () -> loop.callSoon(null));
        assertEquals("callback must not be null", e.getMessage());
    }

    @Test
    void runOnce() {
        AtomicInteger count = new AtomicInteger();
        loop.callSoon(count::incrementAndGet);
        runOnce(loop);
        assertEquals(1, count.get());
    }

    @Test
    void runForeverPreStopped() {
        // stop() before runForever(): one iteration, which must not block even with nothing to do
        loop.stop();
        loop.runForever();
        assertFalse(loop.isRunning());
        assertEquals(0.0, TestClocks.elapsed(loop));
    }

    @Test
    void runOnceRunsOnlyTheCallbacksReadyAtItsStart() { // aio4j-only: asyncio's _run_once batch rule, seen through stop()
        List<String> calls = new ArrayList<>();
        loop.callSoon(() -> {
            calls.add("a");
            loop.callSoon(() -> calls.add("c"));
            loop.stop();
        });
        loop.callSoon(() -> calls.add("b"));
        loop.runForever();
        // stop() lets the current batch finish (b) but not the callback that a ran scheduled (c)
        assertEquals(List.of("a", "b"), calls);
        runOnce(loop);
        assertEquals(List.of("a", "b", "c"), calls);
    }

    @Test
    void runOnceScheduleHandle() {
        List<String> calls = new ArrayList<>();
        loop.callLater(-1, () -> {
            calls.add("timer");
            loop.callSoon(() -> calls.add("scheduled by timer"));
        });
        runOnce(loop);
        assertEquals(List.of("timer"), calls);
        runOnce(loop);
        assertEquals(List.of("timer", "scheduled by timer"), calls);
    }

    @Test
    void stopInCallbackThenRunForeverAgainContinues() { // aio4j-only
        List<Integer> calls = new ArrayList<>();
        loop.callSoon(() -> {
            calls.add(1);
            loop.stop();
        });
        loop.callSoon(() -> loop.callSoon(() -> {
            calls.add(2);
            loop.stop();
        }));
        loop.runForever();
        assertEquals(List.of(1), calls);
        loop.runForever();
        assertEquals(List.of(1, 2), calls);
    }

    // ------------------------------------------------------------------- callLater, callAt

    @Test
    void callLater() {
        List<Double> firedAt = new ArrayList<>();
        TimerHandle h = loop.callLater(10.0, () -> firedAt.add(TestClocks.elapsed(loop)));
        assertEquals(10.0, TestClocks.sinceStart(loop, h.when()));
        assertFalse(h.cancelled());
        assertEquals(1, loop.timerCount());
        loop.callLater(10.5, loop::stop);
        loop.runForever();
        assertEquals(List.of(10.0), firedAt);
        assertEquals(10.5, TestClocks.elapsed(loop));
        assertEquals(0, loop.timerCount());
    }

    @Test
    void callLaterRunsTimersInDeadlineOrder() { // aio4j-only
        List<String> calls = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        loop.callLater(0.3, () -> {
            calls.add("c");
            times.add(TestClocks.elapsed(loop));
        });
        loop.callLater(0.1, () -> {
            calls.add("a");
            times.add(TestClocks.elapsed(loop));
        });
        loop.callLater(0.2, () -> {
            calls.add("b");
            times.add(TestClocks.elapsed(loop));
        });
        loop.callLater(0.4, loop::stop);
        loop.runForever();
        assertEquals(List.of("a", "b", "c"), calls);
        assertEquals(List.of(0.1, 0.2, 0.3), times);
        assertEquals(0.4, TestClocks.elapsed(loop));
    }

    @Test
    void callLaterNegativeDelays() {
        List<String> calls = new ArrayList<>();
        loop.callLater(-1, () -> calls.add("a"));
        loop.callLater(-2, () -> calls.add("b"));
        runOnce(loop);
        assertEquals(List.of("b", "a"), calls);
    }

    @Test
    void callLaterNegativeDelayRunsAfterTheCallbacksAlreadyReady() { // aio4j-only
        List<String> calls = new ArrayList<>();
        loop.callSoon(() -> calls.add("soon"));
        TimerHandle h = loop.callLater(-5, () -> calls.add("late"));
        assertEquals(-5.0, TestClocks.sinceStart(loop, h.when()));
        runOnce(loop);
        assertEquals(List.of("soon", "late"), calls);
    }

    @Test
    void callLaterRejectsNonFiniteDelay() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loop.callLater(Double.NaN, () -> { }));
        assertEquals("delay must be a finite number of seconds, got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.POSITIVE_INFINITY, () -> { }));
        assertEquals("when must be a finite number of seconds, got Infinity", e.getMessage());
    }

    @Test
    void timeAndCallAt() {
        double when = loop.time() + 0.1;
        TimerHandle h = loop.callAt(when, loop::stop);
        assertEquals(when, h.when());
        loop.runForever();
        assertEquals(when, loop.time());
    }

    @Test
    void callAtEqualDeadlinesRunInSchedulingOrder() { // aio4j-only: the tie rule of docs/architecture.md
        List<Integer> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            if (i % 2 == 0) {
                loop.callAt(TestClocks.at(loop, 5.0), () -> calls.add(n));
            } else {
                loop.callLater(5.0, () -> calls.add(n)); // same deadline: the clock has not moved
            }
        }
        loop.callAt(TestClocks.at(loop, 4.0), () -> calls.add(-1));
        loop.callAt(TestClocks.at(loop, 5.0), loop::stop);
        loop.runForever();
        assertEquals(List.of(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), calls);
    }

    // -------------------------------------------------------------------------- cancelling

    @Test
    void addCallbackCancelledHandle() {
        List<String> calls = new ArrayList<>();
        Handle soon = loop.callSoon(() -> calls.add("soon"));
        TimerHandle later = loop.callLater(1, () -> calls.add("later"));
        soon.cancel();
        later.cancel();
        assertTrue(soon.cancelled());
        assertTrue(later.cancelled());
        loop.callLater(2, loop::stop);
        loop.runForever();
        assertEquals(List.of(), calls);
        assertEquals(2.0, TestClocks.elapsed(loop));
    }

    @Test
    void handleCancelledByAnEarlierCallbackOfTheSameBatchDoesNotRun() { // aio4j-only
        List<String> calls = new ArrayList<>();
        Handle[] victim = new Handle[1];
        loop.callSoon(() -> {
            calls.add("first");
            victim[0].cancel();
        });
        victim[0] = loop.callSoon(() -> calls.add("victim"));
        loop.callSoon(() -> calls.add("last"));
        runOnce(loop);
        assertEquals(List.of("first", "last"), calls);
    }

    @Test
    void runOnceCancelledEventCleanup() {
        // asyncio removes cancelled timers lazily; aio4j removes them at once, so a million scheduled
        // and cancelled timers leave nothing behind.
        List<String> calls = new ArrayList<>();
        loop.callLater(3000, () -> calls.add("survivor"));
        Random random = new Random(42);
        int batch = 200_000;
        TimerHandle[] handles = new TimerHandle[batch];
        Runnable cb = () -> calls.add("cancelled timer ran");
        int maxCapacity = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < batch; i++) {
                handles[i] = loop.callLater(random.nextInt(7200), cb);
            }
            assertEquals(batch + 1, loop.timerCount());
            maxCapacity = Math.max(maxCapacity, loop.timerCapacity());
            // cancel in a random order, so removals hit every position of the heap
            for (int i = batch - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                TimerHandle t = handles[i];
                handles[i] = handles[j];
                handles[j] = t;
            }
            for (TimerHandle h : handles) {
                h.cancel();
            }
            assertEquals(1, loop.timerCount());
        }
        assertTrue(maxCapacity >= batch, "capacity while full: " + maxCapacity);
        assertTrue(loop.timerCapacity() <= 32, "capacity after cancelling every timer but one: " + loop.timerCapacity());
        loop.callLater(3001, loop::stop);
        loop.runForever();
        assertEquals(List.of("survivor"), calls);
        assertEquals(0, loop.timerCount());
    }

    @Test
    void timerCancelledFromAnotherThreadLeavesTheHeapOnTheNextIteration() { // aio4j-only
        Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            TimerHandle h = l.callLater(3600, () -> { });
            assertEquals(1, l.timerCount());
            l.runInExecutor(null, () -> {
                h.cancel();
                return null;
            }).await();
            assertTrue(h.cancelled());
            assertEquals(0, l.timerCount());
            return null;
        });
    }

    // ------------------------------------------------------------------ runUntilComplete

    @Test
    void runUntilComplete() {
        String result = loop.runUntilComplete(() -> {
            Aio.sleep(0.1);
            return "done";
        });
        assertEquals("done", result);
        assertEquals(0.1, TestClocks.elapsed(loop));
        assertFalse(loop.isRunning());
    }

    @Test
    void runUntilCompleteFuture() { // aio4j-only
        Future<Integer> f = loop.createFuture();
        loop.callLater(1.0, () -> f.setResult(7));
        assertEquals(7, loop.runUntilComplete(f));
        assertEquals(1.0, TestClocks.elapsed(loop));
        // an already done future: returns at once, without running the loop
        assertEquals(7, loop.runUntilComplete(f));
    }

    @Test
    void runUntilCompleteRaises() { // aio4j-only
        IllegalStateException boom = new IllegalStateException("spam");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> {
            Aio.sleep(0);
            throw boom;
        }));
        assertSame(boom, e);
        IOException checked = new IOException("eggs");
        // issue 12: runUntilComplete(coroutine) declares the body's checked type and throws it as it is
        IOException thrown = assertThrows(IOException.class, () -> loop.runUntilComplete(() -> {
            throw checked;
        }));
        assertSame(checked, thrown);
        // a future's exception keeps Future.result()'s rule: a checked one arrives wrapped
        Task<Object> failed = loop.createTask(() -> {
            throw checked;
        });
        CompletionException ce = assertThrows(CompletionException.class, () -> loop.runUntilComplete(failed));
        assertSame(checked, ce.getCause());
    }

    @Test
    void runUntilCompleteLoop() {
        try (EventLoop other = Loops.virtualLoop()) {
            Future<Object> f = loop.createFuture();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.runUntilComplete(f));
            assertTrue(e.getMessage().startsWith("runUntilComplete() was given a future of another loop: Future[pending]"),
                    e.getMessage());
            f.cancel();
        }
    }

    @Test
    void runUntilCompleteStopped() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
        AtomicBoolean finallyRan = new AtomicBoolean();
        Task<Object> task = loop.createTask(() -> {
            loop.stop();
            try {
                Aio.sleep(0.1);
            } finally {
                finallyRan.set(true);
            }
            return null;
        }, "stopper");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(task));
        assertEquals("Event loop stopped before Future completed: Task[name=stopper, pending, sleeping until "
                + TestClocks.at(loop, 0.1) + "]",
                e.getMessage());
        assertFalse(task.done());
        loop.close();
        // close() reports the task and unwinds it
        assertEquals(List.of("Task was destroyed but it is pending!"), handler.messages());
        assertSame(task, handler.contexts().get(0).task());
        assertTrue(finallyRan.get());
    }

    @Test
    void runUntilCompleteNesting() {
        Task<String> inner = loop.createTask(() -> "inner");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> {
            try {
                return loop.runUntilComplete(inner);
            } finally {
                inner.cancel();
            }
        }));
        assertTrue(e.getMessage().startsWith("This event loop is already running: EventLoop["), e.getMessage());
    }

    @Test
    void runUntilCompleteBaseexception() {
        // An Error escaping the future must not leave a pending stop() behind.
        AssertionError fatal = new AssertionError("fatal");
        AssertionError thrown = assertThrows(AssertionError.class, () -> loop.runUntilComplete(() -> {
            throw fatal;
        }));
        assertSame(fatal, thrown);
        List<String> calls = new ArrayList<>();
        loop.callSoon(() -> calls.add("first iteration"));
        loop.callSoon(() -> loop.callSoon(() -> {
            calls.add("second iteration");
            loop.stop();
        }));
        loop.runForever();
        assertEquals(List.of("first iteration", "second iteration"), calls);
    }

    // ------------------------------------------------------------------ runForever, close

    @Test
    void runForeverNesting() { // aio4j-only
        AtomicReference<Throwable> caught = new AtomicReference<>();
        loop.callSoon(() -> {
            try {
                loop.runForever();
            } catch (Throwable e) {
                caught.set(e);
            }
            loop.stop();
        });
        loop.runForever();
        assertInstanceOf(IllegalStateException.class, caught.get());
        assertTrue(caught.get().getMessage().startsWith("This event loop is already running: EventLoop["),
                caught.get().getMessage());
        assertTrue(caught.get().getMessage().contains(", running, "), caught.get().getMessage());
    }

    @Test
    void runForeverOfAnotherLoopInsideARunningLoopIsRefused() { // aio4j-only
        try (EventLoop other = Loops.virtualLoop()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> {
                other.stop();
                other.runForever();
                return null;
            }));
            assertTrue(e.getMessage().startsWith("Cannot run the event loop while another loop is running in this thread"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("use Aio.createTask(...) to run more work on the running loop"), e.getMessage());
        }
    }

    @Test
    void close() {
        assertFalse(loop.isClosed());
        Future<Object> f = loop.createFuture();
        loop.close();
        assertTrue(loop.isClosed());
        // close() may be called more than once
        loop.close();
        loop.close();

        List<Runnable> refused = List.of(
                loop::runForever,
                () -> loop.runUntilComplete(f),
                () -> loop.runUntilComplete(() -> null),
                () -> loop.callSoon(() -> { }),
                () -> loop.callLater(1, () -> { }),
                () -> loop.callAt(1, () -> { }),
                () -> loop.callSoonThreadsafe(() -> { }),
                () -> loop.createTask(() -> null),
                () -> loop.runInExecutor(null, () -> null));
        for (Runnable r : refused) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertTrue(e.getMessage().startsWith("Event loop is closed: EventLoop["), e.getMessage());
            assertTrue(e.getMessage().contains(", closed, "), e.getMessage());
        }
    }

    @Test
    void closeRunningEventLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> {
            loop.close();
            return null;
        }));
        assertTrue(e.getMessage().startsWith("Cannot close a running event loop: EventLoop["), e.getMessage());
        assertTrue(e.getMessage().endsWith("; call stop() first"), e.getMessage());
        assertFalse(loop.isClosed());

        AtomicReference<Throwable> fromCallback = new AtomicReference<>();
        loop.callSoon(() -> {
            try {
                loop.close();
            } catch (Throwable t) {
                fromCallback.set(t);
            }
            loop.stop();
        });
        loop.runForever();
        assertInstanceOf(IllegalStateException.class, fromCallback.get());
        assertFalse(loop.isClosed());
    }

    // ------------------------------------------------------------ threads: threadsafe, checks

    @Test
    void callSoonThreadsafe() throws Exception {
        List<String> calls = new ArrayList<>();
        Thread poster = Thread.ofPlatform().name("poster").start(() -> {
            loop.callSoonThreadsafe(() -> calls.add("hello"));
            loop.callSoonThreadsafe(() -> calls.add("world"));
            loop.callSoonThreadsafe(loop::stop);
        });
        loop.runForever();
        poster.join();
        assertEquals(List.of("hello", "world"), calls);
    }

    @Test
    void callSoonThreadsafeSameThread() {
        List<String> calls = new ArrayList<>();
        loop.callSoonThreadsafe(() -> calls.add("hello"));
        loop.callSoon(() -> calls.add("soon"));
        loop.callSoonThreadsafe(loop::stop);
        loop.runForever();
        assertEquals(List.of("hello", "soon"), calls);
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedInSelect() throws Exception { // aio4j-only
        // Nothing is scheduled, so the loop must block in its selector (no busy wait) until another
        // thread posts a callback. The poster waits until it sees the loop thread inside select().
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<String> ranOn = new AtomicReference<>();
        loop.callSoon(() -> loopThread.set(Thread.currentThread()));
        AtomicReference<Throwable> posterFailure = new AtomicReference<>();
        Thread poster = Thread.ofPlatform().name("poster").start(() -> {
            try {
                while (loopThread.get() == null || !blockedInSelect(loopThread.get())) {
                    Thread.sleep(1);
                }
                loop.callSoonThreadsafe(() -> {
                    ranOn.set(Thread.currentThread().getName());
                    loop.stop();
                });
            } catch (Throwable e) {
                posterFailure.set(e);
                loop.callSoonThreadsafe(loop::stop);
            }
        });
        loop.runForever();
        poster.join();
        assertNull(posterFailure.get());
        assertEquals(loopThread.get().getName(), ranOn.get());
        assertEquals(0.0, TestClocks.elapsed(loop));
    }

    static boolean blockedInSelect(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("sun.nio.ch.SelectorImpl") && e.getMethodName().equals("select")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void checkThread() {
        ExecutorService intruder = Executors.newSingleThreadExecutor(r -> new Thread(r, "intruder"));
        try {
            List<String> messages = Loops.runVirtual(() -> {
                EventLoop l = Aio.getRunningLoop();
                return l.runInExecutor(intruder, () -> FuturesTest.refusals(List.of(
                        () -> l.callSoon(() -> { }),
                        () -> l.callLater(60, () -> { }),
                        () -> l.callAt(l.time() + 60, () -> { }),
                        () -> l.createTask(() -> null)))).await();
            });
            String tail = " called from thread 'intruder', which is neither the event loop's thread nor one of its "
                    + "running tasks; from other threads use EventLoop.callSoonThreadsafe(...) or "
                    + "Aio.runCoroutineThreadsafe(...)";
            assertEquals(List.of("EventLoop.callSoon()" + tail, "EventLoop.callLater()" + tail,
                    "EventLoop.callAt()" + tail, "EventLoop.createTask()" + tail), messages);
        } finally {
            intruder.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- exception handling

    @Test
    void defaultExcHandlerCallback() {
        try (LogCapture log = new LogCapture()) {
            // call_soon (Handle)
            ZeroError zero = new ZeroError();
            Future<Boolean> fut = loop.createFuture();
            Handle h = loop.callSoon(() -> {
                fut.setResult(true);
                zero.run();
            });
            fut.addDoneCallback(f -> loop.stop());
            loop.runForever();
            List<LogRecord> records = log.records();
            assertEquals(1, records.size(), log.messages().toString());
            assertEquals(Level.SEVERE, records.get(0).getLevel());
            // the exception is the record's throwable, printed once by the backend, not also in the text
            assertEquals("Exception in callback dev.aio4j.loop.BaseEventsTest$$Lambda\nhandle: " + h, records.get(0).getMessage());
            assertSame(zero.error, records.get(0).getThrown());

            // call_later (TimerHandle)
            ZeroError later = new ZeroError();
            TimerHandle th = loop.callLater(0.01, later);
            loop.callLater(0.02, loop::stop);
            loop.runForever();
            records = log.records();
            assertEquals(2, records.size(), log.messages().toString());
            assertEquals("Exception in callback dev.aio4j.loop.BaseEventsTest$ZeroError\nhandle: " + th, records.get(1).getMessage());
            assertSame(later.error, records.get(1).getThrown());
        }
    }

    @Test
    void setExcHandlerCustom() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
        assertSame(handler, loop.getExceptionHandler());
        ZeroError zero = new ZeroError();
        Handle h = loop.callSoon(zero);
        runOnce(loop);
        assertEquals(1, handler.contexts().size());
        ExceptionContext ctx = handler.contexts().get(0);
        assertEquals("Exception in callback dev.aio4j.loop.BaseEventsTest$ZeroError", ctx.message());
        assertSame(zero.error, ctx.exception());
        assertSame(h, ctx.handle());
        assertNull(ctx.future());
        assertEquals(List.of("message", "exception", "handle"), List.copyOf(ctx.asMap().keySet()));

        // null restores the default handler, which logs
        loop.setExceptionHandler(null);
        assertNull(loop.getExceptionHandler());
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(new ZeroError());
            runOnce(loop);
            assertEquals(1, log.records().size());
            assertTrue(log.messages().get(0).startsWith("Exception in callback dev.aio4j.loop.BaseEventsTest$ZeroError\n"),
                    log.messages().get(0));
        }
        assertEquals(1, handler.contexts().size());
    }

    @Test
    void setExcHandlerBroken() {
        IllegalStateException spam = new IllegalStateException("spam");
        loop.setExceptionHandler((l, ctx) -> {
            throw spam;
        });
        List<String> calls = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(new ZeroError());
            loop.callSoon(() -> calls.add("same batch"));
            loop.callSoon(() -> loop.callSoon(() -> calls.add("next batch")));
            runOnce(loop);
            runOnce(loop);
            List<LogRecord> records = log.records();
            assertEquals(1, records.size(), log.messages().toString());
            assertEquals(Level.SEVERE, records.get(0).getLevel());
            assertEquals("Unhandled error in exception handler (context: Exception in callback "
                    + "dev.aio4j.loop.BaseEventsTest$ZeroError)", records.get(0).getMessage());
            assertSame(spam, records.get(0).getThrown());
        }
        // the loop survived the broken handler
        assertEquals(List.of("same batch", "next batch"), calls);
    }

    @Test
    void callbackExceptionDoesNotStopTheBatch() { // aio4j-only
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
        List<Integer> calls = new ArrayList<>();
        loop.callSoon(() -> calls.add(1));
        loop.callSoon(new ZeroError());
        loop.callSoon(() -> calls.add(2));
        runOnce(loop);
        assertEquals(List.of(1, 2), calls);
        assertEquals(1, handler.contexts().size());
    }

    // ------------------------------------------------------------------------ debug mode

    @Test
    void setDebug() {
        loop.setDebug(true);
        assertTrue(loop.getDebug());
        loop.setDebug(false);
        assertFalse(loop.getDebug());
    }

    @Test
    void logSlowCallbacks() {
        loop.setDebug(true);
        loop.setSlowCallbackDuration(0.01);
        assertEquals(0.01, loop.getSlowCallbackDuration());
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(new SlowCallback());
            runOnce(loop);
            // (the blocked-loop watchdog may also have reported it while it ran: BlockedLoopWatchdogTest)
            List<LogRecord> records = log.records().stream().filter(r -> r.getMessage().startsWith("Executing ")).toList();
            assertEquals(1, records.size(), log.messages().toString());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertTrue(records.get(0).getMessage().matches(
                            "Executing Handle\\[dev\\.aio4j\\.loop\\.BaseEventsTest\\$SlowCallback] took \\d+\\.\\d{3} seconds"),
                    records.get(0).getMessage());
        }
    }

    @Test
    void fastCallbacksAndStepsAreNotLoggedInDebug() { // aio4j-only: the other side of logSlowCallbacks
        loop.setDebug(true);
        loop.setSlowCallbackDuration(10);
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(new SlowCallback()); // 50 ms: far below the threshold
            runOnce(loop);
            loop.runUntilComplete(loop.createTask(() -> {
                Thread.sleep(50);
                return null;
            }, "quick"));
            assertEquals(List.of(), log.messages());
        }
    }

    @Test
    void slowCallbacksAreNotLoggedWithoutDebug() { // aio4j-only
        loop.setDebug(false);
        loop.setSlowCallbackDuration(0.01);
        try (LogCapture log = new LogCapture()) {
            loop.callSoon(new SlowCallback());
            runOnce(loop);
            assertEquals(List.of(), log.messages());
        }
    }

    @Test
    void logSlowTaskStepThatBlocksInAJdkCall() { // aio4j-only
        loop.setDebug(true);
        loop.setSlowCallbackDuration(0.02);
        try (LogCapture log = new LogCapture()) {
            loop.runUntilComplete(loop.createTask(() -> {
                Thread.sleep(100); // blocks the loop: exactly what debug mode must report
                return null;
            }, "blocker"));
            List<String> slow = log.messages().stream().filter(m -> m.startsWith("Executing Task[name=blocker")).toList();
            assertEquals(1, slow.size(), log.messages().toString());
            String msg = slow.get(0);
            assertTrue(msg.startsWith("Executing Task[name=blocker, "), msg);
            assertTrue(msg.matches("(?s).* took \\d+\\.\\d{3} seconds; it blocked the loop for \\d+\\.\\d{3} seconds inside a "
                    + "JDK call .*"), msg);
            assertTrue(msg.contains("move blocking calls to EventLoop.runInExecutor(...)\n  created at dev.aio4j.loop.BaseEventsTest."),
                    msg);
        }
    }

    @Test
    void setSlowCallbackDurationRejectsNonPositive() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(0));
        assertEquals("seconds must be a finite number > 0, got 0.0", e.getMessage());
    }

    // --------------------------------------------------------------------- runInExecutor

    @Test
    void runInExecutor() {
        Future<String> f = loop.runInExecutor(null, () -> "ran on " + Thread.currentThread().getName());
        String result = loop.runUntilComplete(f);
        assertTrue(result.startsWith("ran on aio4j-executor-"), result);
    }

    @Test
    void runInExecutorRaises() { // aio4j-only
        IllegalArgumentException unchecked = new IllegalArgumentException("spam");
        Future<Object> f = loop.runInExecutor(null, () -> {
            throw unchecked;
        });
        assertSame(unchecked, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(f)));
        assertSame(unchecked, f.exception());

        IOException checked = new IOException("eggs");
        Future<Object> g = loop.runInExecutor(null, () -> {
            throw checked;
        });
        CompletionException e = assertThrows(CompletionException.class, () -> loop.runUntilComplete(g));
        assertSame(checked, e.getCause());
    }

    @Test
    void runInExecutorCustomExecutor() { // aio4j-only
        Executor custom = r -> Thread.ofPlatform().name("custom-executor").start(r);
        Future<String> f = loop.runInExecutor(custom, () -> Thread.currentThread().getName());
        assertEquals("custom-executor", loop.runUntilComplete(f));
    }

    @Test
    void runInExecutorCancel() {
        List<Runnable> held = new ArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<String> f = l.runInExecutor(held::add, () -> {
                ran.set(true);
                return "must not run";
            });
            assertEquals(1, held.size());
            assertTrue(f.cancel());
            Aio.sleep(0); // the cancellation reaches the job's guard (asyncio: _call_check_cancel)
            held.get(0).run(); // the executor gets round to the job only now
            Aio.sleep(0);
            Aio.sleep(0);
            assertTrue(f.cancelled());
            return null;
        });
        assertFalse(ran.get());
    }

    @Test
    void runInExecutorRejected() { // aio4j-only
        RejectedExecutionException rejected = new RejectedExecutionException("full");
        Future<Object> f = loop.runInExecutor(r -> {
            throw rejected;
        }, () -> "never");
        assertTrue(f.done());
        assertSame(rejected, f.exception());
        // the loop is not left waiting for a job that will never report back
        assertSame(rejected, assertThrows(RejectedExecutionException.class,
                () -> loop.runUntilComplete(() -> f.await())));
    }

    /**
     * asyncio's base_events._check_default_executor: after shutdown_default_executor, a job for
     * the default executor raises RuntimeError('Executor shutdown has been called') at once, even
     * when no default executor had been made and when one is set afterwards; an executor of the
     * caller's own still works.
     */
    @Test
    void runInExecutorAfterShutdownDefaultExecutor() {
        Object[] seen = new Object[3];
        loop.runUntilComplete(() -> {
            EventLoop l = Aio.getRunningLoop();
            l.shutdownDefaultExecutor(); // none was made yet
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.runInExecutor(null, () -> "never"));
            assertTrue(e.getMessage().startsWith("Executor shutdown has been called"), e.getMessage());
            assertTrue(e.getMessage().contains("pass an executor of your own"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Aio.toThread(() -> "never"));
            java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                seen[0] = l.runInExecutor(mine, () -> "mine").await();
                l.setDefaultExecutor(mine); // asyncio: the flag stays, whatever is set later
                seen[1] = assertThrows(IllegalStateException.class, () -> l.runInExecutor(null, () -> "never")).getMessage();
            } finally {
                mine.shutdown();
            }
            return null;
        });
        assertEquals("mine", seen[0]);
        assertTrue(((String) seen[1]).startsWith("Executor shutdown has been called"));
    }

    @Test
    void runInExecutorUnderTheVirtualClockDoesNotJumpPastTheJob() { // aio4j-only
        double[] timeAfter = new double[1];
        int result = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            int v = Aio.waitFor(l.runInExecutor(null, () -> {
                Thread.sleep(50); // real time: the virtual clock must wait for it
                return 42;
            }), 10.0);
            timeAfter[0] = TestClocks.elapsed(l);
            return v;
        });
        assertEquals(42, result);
        assertEquals(0.0, timeAfter[0]);
    }

    // -------------------------------------------------------------- runCoroutineThreadsafe

    /**
     * Runs {@code work} on a plain platform thread while this test's thread runs the loop; stops
     * the loop when the work is done and returns what it returned. (A plain thread, not
     * runInExecutor: an executor job keeps the virtual clock from jumping, and these coroutines
     * sleep.)
     */
    private <T> T fromAnotherThread(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = Thread.ofPlatform().name("other").start(() -> {
            try {
                result.set(work.call());
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                loop.callSoonThreadsafe(loop::stop);
            }
        });
        loop.runForever();
        other.join();
        if (failure.get() != null) {
            throw new AssertionError("the other thread failed", failure.get());
        }
        return result.get();
    }

    @Test
    void runCoroutineThreadsafe() throws Exception {
        int result = fromAnotherThread(() -> Aio.runCoroutineThreadsafe(() -> {
            Aio.sleep(0.5);
            return 1 + 2;
        }, loop).get());
        assertEquals(3, result);
        assertEquals(0.5, TestClocks.elapsed(loop));
    }

    @Test
    void runCoroutineThreadsafeWithException() throws Exception {
        IllegalStateException boom = new IllegalStateException("Fail!");
        Throwable cause = fromAnotherThread(() -> {
            CompletableFuture<Integer> cf = Aio.runCoroutineThreadsafe(() -> {
                Aio.sleep(0.1);
                throw boom;
            }, loop);
            return assertThrows(ExecutionException.class, cf::get).getCause();
        });
        assertSame(boom, cause);
    }

    @Test
    void runCoroutineThreadsafeWithTimeout() throws Exception {
        Steps steps = new Steps();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Future<Void> never = loop.createFuture();
        boolean cancelled = fromAnotherThread(() -> {
            CompletableFuture<Object> cf = Aio.runCoroutineThreadsafe(() -> {
                steps.expect(1);
                started.countDown();
                try {
                    return never.await();
                } catch (CancelledError e) {
                    steps.expect(3);
                    throw e;
                } finally {
                    cleanedUp.countDown();
                }
            }, loop);
            started.await();
            // the coroutine never finishes, so any wait with a timeout times out
            assertThrows(TimeoutException.class, () -> cf.get(10, TimeUnit.MILLISECONDS));
            steps.expect(2);
            boolean c = cf.cancel(true);
            cleanedUp.await();
            return c;
        });
        assertTrue(cancelled);
        steps.assertFinished(3);
        assertTrue(never.cancelled());
        runOnce(loop); // the task's own completion callbacks
        assertEquals(Collections.emptySet(), loop.allTasks());
    }

    @Test
    void runCoroutineThreadsafeTaskCancelled() throws Exception {
        Throwable thrown = fromAnotherThread(() -> {
            CompletableFuture<Integer> cf = Aio.runCoroutineThreadsafe(() -> {
                Aio.currentTask().cancel();
                Aio.sleep(0.05);
                return 1;
            }, loop);
            return assertThrows(CancellationException.class, cf::get);
        });
        assertNotNull(thrown);
        assertEquals(0.0, TestClocks.elapsed(loop)); // the cancellation interrupted the sleep at once
    }

    @Test
    void runCoroutineThreadsafeOnAClosedLoop() { // aio4j-only
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Aio.runCoroutineThreadsafe(() -> 1, loop));
        assertTrue(e.getMessage().startsWith("Event loop is closed: "), e.getMessage());
    }

    // ------------------------------------------------------------------------ Future.get()

    @Test
    void futureGetFromAnotherThread() { // aio4j-only
        AtomicReference<Thread> waiter = new AtomicReference<>();
        String result = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<String> f = l.createFuture();
            Future<String> job = l.runInExecutor(null, () -> {
                waiter.set(Thread.currentThread());
                return f.get();
            });
            // let the other thread block in get() before the result is set
            while (waiter.get() == null || waiter.get().getState() != Thread.State.WAITING) {
                Aio.sleep(0);
            }
            f.setResult("value");
            return job.await();
        });
        assertEquals("value", result);
    }

    @Test
    void futureGetFromAnotherThreadRethrows() { // aio4j-only
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable thrown = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<String> f = l.createFuture();
            Future<Throwable> job = l.runInExecutor(null, () -> assertThrows(IllegalStateException.class, f::get));
            Aio.sleep(0);
            f.setException(boom);
            return job.await();
        });
        assertSame(boom, thrown);
    }

    @Test
    void futureGetInsideATaskThrowsBlockingOperationError() { // aio4j-only
        String expected = "Future.get() called on the event loop's own thread or from one of its tasks, where it would "
                + "wait forever: inside a task use Future.await(); from a loop callback use Future.addDoneCallback(...); "
                + "call Future.get() only from other threads";
        BlockingOperationError e = Loops.runVirtual(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            BlockingOperationError err = assertThrows(BlockingOperationError.class, f::get);
            f.cancel();
            return err;
        });
        assertEquals(expected, e.getMessage());

        AtomicReference<Throwable> fromCallback = new AtomicReference<>();
        Future<String> f = loop.createFuture();
        loop.callSoon(() -> {
            try {
                f.get(1, TimeUnit.SECONDS);
            } catch (Throwable t) {
                fromCallback.set(t);
            }
        });
        runOnce(loop);
        assertInstanceOf(BlockingOperationError.class, fromCallback.get());
        assertTrue(fromCallback.get().getMessage().startsWith("Future.get(timeout) called on the event loop's own thread"),
                fromCallback.get().getMessage());
        f.cancel();
    }
}
