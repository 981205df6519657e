package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mirrors {@code Lib/test/test_asyncio/test_runners.py} ({@code RunTests}, {@code RunnerTests}). */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunnersTest {

    // --------------------------------------------------------------------------- Aio.run

    @Test
    void asyncioRunReturn() {
        assertEquals(42, Aio.run(() -> {
            Aio.sleep(0);
            return 42;
        }));
    }

    @Test
    void asyncioRunRaises() {
        IllegalArgumentException spam = new IllegalArgumentException("spam");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aio.run(() -> {
            Aio.sleep(0);
            throw spam;
        }));
        assertSame(spam, e);
    }

    @Test
    void asyncioRunRaisesCheckedExceptionUnchanged() { // aio4j-only: Java's checked exceptions (issue 12)
        IOException eggs = new IOException("eggs");
        IOException e = assertThrows(IOException.class, () -> Aio.run(() -> {
            Aio.sleep(0);
            throw eggs;
        }));
        assertSame(eggs, e);
    }

    @Test
    void asyncioRunOnlyCoro() {
        // A bare null matches both the Coroutine and the VoidCoroutine overload: cast it.
        NullPointerException e = assertThrows(NullPointerException.class, () -> Aio.run((Coroutine<Object>) null));
        assertEquals("main must not be null", e.getMessage());
        NullPointerException asVoid = assertThrows(NullPointerException.class, () -> Aio.run((VoidCoroutine) null));
        assertEquals("main must not be null", asVoid.getMessage());
    }

    @Test
    void asyncioRunDebug() {
        String before = System.getProperty("aio4j.debug");
        System.clearProperty("aio4j.debug");
        try {
            assertFalse(Aio.run(() -> Aio.getRunningLoop().getDebug()));
            assertTrue(Aio.run(() -> Aio.getRunningLoop().getDebug(), true));
            System.setProperty("aio4j.debug", "true"); // asyncio: PYTHONASYNCIODEBUG
            assertTrue(Aio.run(() -> Aio.getRunningLoop().getDebug()));
            assertFalse(Aio.run(() -> Aio.getRunningLoop().getDebug(), false));
        } finally {
            if (before == null) {
                System.clearProperty("aio4j.debug");
            } else {
                System.setProperty("aio4j.debug", before);
            }
        }
    }

    @Test
    void asyncioRunFromRunningLoop() {
        String expected = "Aio.run() cannot be called from a running event loop; inside a task, call the coroutine "
                + "directly or use Aio.createTask(...)";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(() -> Aio.run(() -> 1)));
        assertEquals(expected, e.getMessage());

        // from a loop callback too
        AtomicReference<Throwable> fromCallback = new AtomicReference<>();
        Aio.run(() -> {
            Future<Void> done = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callSoon(() -> {
                try {
                    Aio.run(() -> 1);
                } catch (Throwable t) {
                    fromCallback.set(t);
                }
                done.setResult(null);
            });
            return done.await();
        });
        assertEquals(expected, fromCallback.get().getMessage());
    }

    @Test
    void asyncioRunCancelsHangingTasks() {
        AtomicReference<Task<Void>> leftover = new AtomicReference<>();
        List<String> steps = new ArrayList<>();
        int result = Aio.run(() -> {
            leftover.set(Aio.createTask(() -> {
                try {
                    Aio.sleep(3600);
                } catch (CancelledError e) {
                    steps.add("cancelled");
                    Aio.sleep(0); // cleanup may still await
                    steps.add("cleaned up");
                    throw e;
                } finally {
                    steps.add("finally");
                }
                return null;
            }, "leftover"));
            Aio.sleep(0); // let it start
            return 123;
        });
        assertEquals(123, result);
        assertTrue(leftover.get().done());
        assertTrue(leftover.get().cancelled());
        assertEquals(List.of("cancelled", "cleaned up", "finally"), steps);
    }

    @Test
    void asyncioRunCancelsATaskCreatedAsMainReturns() { // aio4j-only
        // As in asyncio, the task takes its first step (it was scheduled before the stop), then the
        // shutdown cancels it at its first await.
        AtomicReference<Task<Void>> leftover = new AtomicReference<>();
        List<String> steps = new ArrayList<>();
        Aio.run(() -> {
            leftover.set(Aio.createTask(() -> {
                steps.add("started");
                try {
                    Aio.sleep(3600);
                } finally {
                    steps.add("finally");
                }
                return null;
            }));
            return null;
        });
        assertTrue(leftover.get().cancelled());
        assertEquals(List.of("started", "finally"), steps);
    }

    @Test
    void asyncioRunReportsHangingTasksErrors() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        AtomicReference<Task<Void>> leftover = new AtomicReference<>();
        ArithmeticException zero = new ArithmeticException("/ by zero");
        int result = Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            leftover.set(Aio.createTask(() -> {
                try {
                    Aio.sleep(3600);
                } catch (CancelledError e) {
                    throw zero;
                }
                return null;
            }));
            Aio.sleep(0);
            return 123;
        });
        assertEquals(123, result);
        assertTrue(leftover.get().done());
        // reported once, during shutdown; not a second time as "never retrieved"
        assertEquals(List.of("unhandled exception during Aio.run() shutdown"), handler.messages());
        ExceptionContext ctx = handler.contexts().get(0);
        assertSame(leftover.get(), ctx.task());
        assertSame(zero, ctx.exception());
    }

    @Test
    void asyncioRunClosesGensAfterHangingTasksErrors() {
        // No async generators in Java: what remains is that main's exception wins over a leftover
        // task that fails while being cancelled, and that the leftover is done afterwards.
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        IllegalStateException fancyExit = new IllegalStateException("FancyExit");
        AtomicReference<Task<Void>> lazyboy = new AtomicReference<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            lazyboy.set(Aio.createTask(() -> {
                try {
                    while (true) {
                        Aio.sleep(1);
                    }
                } catch (CancelledError c) {
                    throw new ArithmeticException("/ by zero");
                }
            }));
            Aio.sleep(0);
            throw fancyExit;
        }));
        assertSame(fancyExit, e);
        assertTrue(lazyboy.get().done());
        assertEquals(List.of("unhandled exception during Aio.run() shutdown"), handler.messages());
    }

    @Test
    void asyncioRunShutsDownTheDefaultExecutor() throws Exception { // aio4j-only
        AtomicReference<Thread> worker = new AtomicReference<>();
        String result = Aio.run(() -> Aio.getRunningLoop().runInExecutor(null, () -> {
            worker.set(Thread.currentThread());
            return "from the executor";
        }).await());
        assertEquals("from the executor", result);
        // Aio.run waited for the executor to terminate, so its thread ends (join returns) promptly
        worker.get().join(10_000);
        assertFalse(worker.get().isAlive(), "the default executor's thread is still alive");
    }

    @Test
    void asyncioRunClosesTheLoop() { // aio4j-only (CPython checks it in tearDown)
        EventLoop loop = Aio.run(Aio::getRunningLoop);
        assertTrue(loop.isClosed());
        assertFalse(loop.isRunning());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
        assertTrue(e.getMessage().startsWith("Event loop is closed: "), e.getMessage());
    }

    @Test
    void asyncioRunMainThatSwallowsItsOwnCancellation() { // aio4j-only
        // main cancels itself and swallows the cancellation without uncancel(): it still returns
        assertEquals(1, Aio.run(() -> {
            Aio.currentTask().cancel();
            try {
                Aio.sleep(0);
            } catch (CancelledError e) {
                // swallowed
            }
            return 1;
        }));
    }

    // --------------------------------------------------------------------------- Runner

    @Test
    void nonDebug() {
        try (Runner runner = new Runner(false)) {
            assertFalse(runner.getLoop().getDebug());
        }
    }

    @Test
    void debug() {
        try (Runner runner = new Runner(true)) {
            assertTrue(runner.getLoop().getDebug());
            assertTrue(runner.run(() -> Aio.getRunningLoop().getDebug()));
        }
    }

    @Test
    void customFactory() {
        EventLoop custom = Loops.virtualLoop();
        try (Runner runner = Runner.withLoopFactory(() -> custom)) {
            assertSame(custom, runner.getLoop());
            double t = runner.run(() -> {
                assertSame(custom, Aio.getRunningLoop());
                Aio.sleep(100);
                return TestClocks.elapsed(custom);
            });
            assertEquals(100.0, t);
        }
        assertTrue(custom.isClosed());
    }

    @Test
    void customFactoryReturningNull() { // aio4j-only
        try (Runner runner = Runner.withLoopFactory(() -> null)) {
            NullPointerException e = assertThrows(NullPointerException.class, runner::getLoop);
            assertEquals("loopFactory.get() must not be null", e.getMessage());
        }
    }

    @Test
    void run() {
        EventLoop loop;
        Runner runner = new Runner();
        try (runner) {
            assertEquals("done", runner.run(() -> {
                Aio.sleep(0);
                return "done";
            }));
            loop = runner.getLoop();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::getLoop);
        assertEquals("Runner is closed", e.getMessage());
        assertTrue(loop.isClosed());
    }

    @Test
    void runSeveralCoroutinesOnOneLoop() { // aio4j-only
        try (Runner runner = Runner.withLoopFactory(Loops::virtualLoop)) {
            EventLoop first = runner.run(Aio::getRunningLoop);
            AtomicReference<Future<String>> gate = new AtomicReference<>();
            AtomicReference<Task<String>> waiter = new AtomicReference<>();
            runner.run(() -> {
                gate.set(Aio.getRunningLoop().createFuture());
                waiter.set(Aio.createTask(() -> "got " + gate.get().await()));
                Aio.sleep(1);
                return null;
            });
            // the task created by the previous run is still pending on the same loop
            assertFalse(waiter.get().done());
            String result = runner.run(() -> {
                assertSame(first, Aio.getRunningLoop());
                gate.get().setResult("it");
                return waiter.get().await();
            });
            assertEquals("got it", result);
            assertSame(first, runner.getLoop());
            assertEquals(1.0, TestClocks.elapsed(first));
        }
    }

    @Test
    void explicitClose() {
        Runner runner = new Runner();
        EventLoop loop = runner.getLoop();
        runner.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, runner::getLoop);
        assertEquals("Runner is closed", e.getMessage());
        assertTrue(loop.isClosed());
    }

    @Test
    void doubleClose() {
        Runner runner = new Runner();
        EventLoop loop = runner.getLoop();
        runner.close();
        assertTrue(loop.isClosed());
        runner.close(); // the second call does nothing
        assertTrue(loop.isClosed());
    }

    @Test
    void closeBeforeFirstUse() { // aio4j-only
        Runner runner = new Runner();
        assertEquals("Runner[not started]", runner.toString());
        runner.close();
        assertEquals("Runner[closed]", runner.toString());
        assertEquals("Runner is closed", assertThrows(IllegalStateException.class, runner::getLoop).getMessage());
    }

    @Test
    void closeCancelsPendingTasks() { // aio4j-only
        List<String> steps = new ArrayList<>();
        Task<Void> pending;
        try (Runner runner = Runner.withLoopFactory(Loops::virtualLoop)) {
            pending = runner.run(() -> {
                Task<Void> t = Aio.createTask(() -> {
                    try {
                        Aio.sleep(3600);
                    } finally {
                        steps.add("finally");
                    }
                    return null;
                });
                Aio.sleep(0);
                return t;
            });
            assertFalse(pending.done());
        }
        assertTrue(pending.cancelled());
        assertEquals(List.of("finally"), steps);
    }

    @Test
    void secondWithBlockRaises() {
        List<Integer> ret = new ArrayList<>();
        Runner runner = new Runner();
        try (runner) {
            runner.run(() -> ret.add(1));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (runner) {
                runner.run(() -> ret.add(2));
            }
        });
        assertEquals("Runner is closed", e.getMessage());
        assertEquals(List.of(1), ret);
    }

    @Test
    void runKeepsContext() {
        ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
        try (Runner runner = Runner.withLoopFactory(Loops::virtualLoop)) {
            ThrowingCoroutine<Integer, RuntimeException> f1 = () -> {
                int old = cvar.get();
                Aio.sleep(0);
                cvar.set(1);
                return old;
            };
            ThrowingCoroutine<Integer, RuntimeException> f2 = () -> {
                int old = cvar.get();
                Aio.sleep(0);
                cvar.set(2);
                return old;
            };
            assertEquals(-1, runner.run(f1));
            assertEquals(1, runner.run(f2));
            assertEquals(2, runner.run(Context::copyContext).get(cvar));
        }
    }

    @Test
    void recursiveRun() {
        try (Runner runner = new Runner()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> runner.run(() -> 1)));
            assertEquals("Runner.run() cannot be called from a running event loop; inside a task, await the coroutine "
                    + "directly or use Aio.createTask(...)", e.getMessage());
            // the runner is still usable
            assertEquals(2, runner.run(() -> 2));
        }
    }

    @Test
    void runnerToString() { // aio4j-only
        try (Runner runner = Runner.withLoopFactory(Loops::virtualLoop)) {
            EventLoop loop = runner.getLoop();
            assertEquals("Runner[" + loop + "]", runner.toString());
            assertNotNull(loop);
        }
    }

    @Test
    void anInterruptOfTheRunningThreadNeitherStopsNorSpinsTheLoop() throws Exception { // aio4j-only: asyncio has no interrupts
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(Aio.run(() -> {
                    waiting.countDown();
                    Aio.sleep(0.3); // the interrupt arrives while the loop waits in select()
                    return "done";
                }));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        waiting.await();
        runner.interrupt();
        runner.join(30_000);
        assertFalse(runner.isAlive(), "the run ended");
        assertEquals("done", outcome.get(), "the run ends as if nothing happened");
    }
}
