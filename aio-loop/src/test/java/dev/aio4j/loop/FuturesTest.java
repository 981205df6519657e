package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.Steps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors CPython's {@code Lib/test/test_asyncio/test_futures.py}: the {@link FutureContractTest}
 * contract for plain futures ({@code PyFutureTests}, {@code PyFutureDoneCallbackTests}), plus what
 * only a plain future does: {@code setResult}/{@code setException}, {@code Aio.wrapFuture},
 * {@code get()} from other threads, and the misuse of {@code await()}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FuturesTest extends FutureContractTest {

    // ------------------------------------------------------------------ the implementation

    @Override
    protected <T> Future<T> newFuture() {
        return loop.createFuture();
    }

    @Override
    protected <T> void finishWithResult(Future<T> f, T value) {
        f.setResult(value);
        assertTrue(f.done());
    }

    @Override
    protected void finishWithException(Future<?> f, Exception error) {
        f.setException(error);
        assertTrue(f.done());
    }

    @Override
    protected void finishCancelled(Future<?> f, String msg) {
        assertTrue(f.cancel(msg));
        assertTrue(f.done(), "a plain future is cancelled at once");
    }

    @Override
    protected String repr(Future<?> f, String state) {
        return "Future[" + state + "]";
    }

    @Override
    protected String kind() {
        return "Future";
    }

    @Override
    protected void assertRefusesCompletion(Future<?> f) {
        @SuppressWarnings("unchecked")
        Future<Object> g = (Future<Object>) f;
        InvalidStateError r = assertThrows(InvalidStateError.class, () -> g.setResult("late"));
        assertEquals("setResult() on a future that is already done: " + f, r.getMessage());
        InvalidStateError e = assertThrows(InvalidStateError.class, () -> g.setException(new RuntimeException("late")));
        assertEquals("setException() on a future that is already done: " + f, e.getMessage());
    }

    // ------------------------------------------------------------------ construction

    @Test
    void constructorWithoutLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Aio::getRunningLoop);
        assertEquals("no running event loop in thread '" + Thread.currentThread().getName()
                + "'; Aio.getRunningLoop() works inside Aio.run(...), in a task, or in a loop callback", e.getMessage());
    }

    @Test
    void constructorUseRunningLoop() {
        AtomicReference<EventLoop> running = new AtomicReference<>();
        Future<Object> f = Loops.runVirtual(() -> {
            running.set(Aio.getRunningLoop());
            return Aio.getRunningLoop().createFuture();
        });
        assertSame(running.get(), f.getLoop());
        assertTrue(f.getLoop().isClosed());
    }

    // aio4j-only
    @Test
    void setExceptionNull() {
        Future<Object> f = newFuture();
        NullPointerException e = assertThrows(NullPointerException.class, () -> f.setException(null));
        assertEquals("error must not be null", e.getMessage());
        assertFalse(f.done());
    }

    // aio4j-only
    @Test
    void addDoneCallbackNull() {
        Future<Object> f = newFuture();
        NullPointerException e = assertThrows(NullPointerException.class, () -> f.addDoneCallback(null));
        assertEquals("callback must not be null", e.getMessage());
    }

    // ------------------------------------------------------------------ toString

    // aio4j-only: the pending state (the done states are in the contract).
    @Test
    void futureReprPending() {
        Future<Object> f = newFuture();
        assertEquals("Future[pending]", f.toString());
        f.addDoneCallback(x -> { });
        assertEquals("Future[pending]", f.toString());
        assertEquals(1, f.callbackCount());
        f.cancel();
        assertEquals("Future[cancelled]", f.toString());
    }

    // aio4j-only: a result whose toString() throws does not break the future's toString().
    @Test
    void futureReprBrokenResult() {
        Future<Object> f = newFuture();
        f.setResult(new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        });
        assertEquals("Future[finished result=<toString() failed: java.lang.IllegalStateException: no>]", f.toString());
    }

    // ------------------------------------------------------------------ awaiting

    @Test
    void yieldFromTwice() {
        Steps steps = new Steps();
        int[] results = Loops.runVirtual(() -> {
            Future<Integer> f = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callSoon(() -> {
                steps.expect(2);
                f.setResult(42);
            });
            steps.expect(1);
            int x = f.await(); // suspends until the callback ran
            steps.expect(3);
            Aio.getRunningLoop().callSoon(() -> steps.expect(5));
            int y = f.await(); // done: returns at once, the callback above has not run yet
            steps.expect(4);
            Aio.sleep(0);
            steps.finish(6);
            return new int[] {x, y};
        });
        assertEquals(42, results[0]);
        assertEquals(42, results[1]);
    }

    // aio4j-only
    @Test
    void awaitCancelledFuture() {
        CancelledError e = Loops.runVirtual(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callSoon(() -> f.cancel("gone"));
            try {
                f.await();
                return null;
            } catch (CancelledError caught) {
                Task<?> me = Aio.currentTask();
                assertFalse(me.cancelled());
                assertEquals(0, me.cancelling(), "the task itself was not cancelled");
                return caught;
            }
        });
        assertEquals("gone", e.getMessage());
    }

    // aio4j-only: await() in a loop callback fails with a message that says what to do.
    @Test
    void awaitFromLoopCallback() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<String> f = l.createFuture();
            Future<Void> ran = l.createFuture();
            l.callSoon(() -> {
                try {
                    f.await();
                } catch (Throwable e) {
                    error.set(e);
                }
                ran.setResult(null);
            });
            ran.await();
            assertFalse(f.done());
            return null;
        });
        assertEquals(IllegalStateException.class, error.get().getClass());
        assertEquals("Future.await() called from a loop callback, not from a task; create a task with "
                + "Aio.createTask(...) or add a done-callback with Future.addDoneCallback(...)", error.get().getMessage());
    }

    // aio4j-only: await() on a thread that is not a task of the loop fails with a message that says what to do.
    @Test
    @Timeout(5)
    void awaitFromForeignThread() throws Exception {
        Future<String> f = newFuture();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                f.await();
            } catch (Throwable e) {
                error.set(e);
            }
        }, "foreign-awaiter");
        t.start();
        t.join();
        assertEquals(IllegalStateException.class, error.get().getClass());
        assertEquals("Future.await() called from thread 'foreign-awaiter', which is not running a task of " + loop
                + "; from outside the loop call Future.get(), EventLoop.runUntilComplete(...) or "
                + "Aio.runCoroutineThreadsafe(...)", error.get().getMessage());

        // the test thread itself is no task either
        IllegalStateException here = assertThrows(IllegalStateException.class, f::await);
        assertTrue(here.getMessage().startsWith("Future.await() called from thread '" + Thread.currentThread().getName()
                + "', which is not running a task of "), here.getMessage());
        assertFalse(f.done());
    }

    // aio4j-only: loop-confined methods refuse other threads while the loop runs.
    @Test
    @Timeout(5)
    void setResultFromForeignThreadWhileRunning() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Future<String> f = newFuture();
        String value = loop.runUntilComplete(loop.createTask(() -> {
            Thread t = new Thread(() -> {
                try {
                    f.setResult("wrong thread");
                } catch (Throwable e) {
                    error.set(e);
                }
                f.getLoop().callSoonThreadsafe(() -> f.setResult("right thread"));
            }, "foreign-setter");
            t.start();
            return f.await();
        }));
        assertEquals("right thread", value);
        assertEquals(IllegalStateException.class, error.get().getClass());
        assertEquals("Future.setResult() called from thread 'foreign-setter', which is neither the event loop's thread "
                + "nor one of its running tasks; from other threads use EventLoop.callSoonThreadsafe(...) or "
                + "Aio.runCoroutineThreadsafe(...)", error.get().getMessage());
    }

    // aio4j-only: the other loop-confined Future methods refuse other threads while the loop
    // runs too (as setResult() does above), and leave the future as it was.
    @Test
    @Timeout(5)
    void futureMethodsFromForeignThreadWhileRunning() {
        ExecutorService intruder = Executors.newSingleThreadExecutor(r -> new Thread(r, "intruder"));
        try {
            List<String> messages = Loops.runVirtual(() -> {
                EventLoop l = Aio.getRunningLoop();
                Future<String> f = l.createFuture();
                Consumer<Future<String>> callback = done -> { };
                f.addDoneCallback(callback);
                List<String> out = l.runInExecutor(intruder, () -> refusals(List.of(
                        () -> f.cancel(),
                        () -> f.cancel("from the wrong thread"),
                        () -> f.setException(new IllegalStateException("from the wrong thread")),
                        () -> f.addDoneCallback(done -> { }),
                        () -> f.removeDoneCallback(callback)))).await();
                assertFalse(f.done());
                assertEquals(1, f.removeDoneCallback(callback), "the callback is still registered");
                return out;
            });
            String tail = " called from thread 'intruder', which is neither the event loop's thread nor one of its "
                + "running tasks; from other threads use EventLoop.callSoonThreadsafe(...) or "
                + "Aio.runCoroutineThreadsafe(...)";
            assertEquals(List.of("Future.cancel()" + tail, "Future.cancel()" + tail, "Future.setException()" + tail,
                    "Future.addDoneCallback()" + tail, "Future.removeDoneCallback()" + tail), messages);
        } finally {
            intruder.shutdownNow();
        }
    }

    /** Runs each call and collects the message of the IllegalStateException it throws ("not refused" if none). */
    static List<String> refusals(List<Runnable> calls) {
        List<String> out = new ArrayList<>();
        for (Runnable call : calls) {
            try {
                call.run();
                out.add("not refused");
            } catch (IllegalStateException e) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ get()

    // aio4j-only: get() blocks another thread until the loop completes the future.
    @Test
    @Timeout(5)
    void getFromAnotherThread() {
        List<Object> got = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<Integer> f = l.createFuture();
            Future<List<Object>> reported = l.createFuture();
            Thread t = new Thread(() -> {
                List<Object> out = new ArrayList<>();
                try {
                    out.add(f.get());
                    out.add(Thread.currentThread().getName());
                } catch (Throwable e) {
                    out.add(e);
                }
                l.callSoonThreadsafe(() -> reported.setResult(out));
            }, "blocking-getter");
            t.start();
            Aio.sleep(1);
            f.setResult(7);
            return reported.await();
        });
        assertEquals(List.of(7, "blocking-getter"), got);
    }

    // aio4j-only
    @Test
    @Timeout(5)
    void getOfFailedAndCancelledFutures() throws Exception {
        Future<Object> failed = newFuture();
        IllegalStateException exc = new IllegalStateException("boom");
        failed.setException(exc);
        Future<Object> cancelled = newFuture();
        cancelled.cancel("why");
        AtomicReference<Throwable> fromFailed = new AtomicReference<>();
        AtomicReference<Throwable> fromCancelled = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                failed.get();
            } catch (Throwable e) {
                fromFailed.set(e);
            }
            try {
                cancelled.get();
            } catch (Throwable e) {
                fromCancelled.set(e);
            }
        });
        t.start();
        t.join();
        assertSame(exc, fromFailed.get());
        assertEquals(CancelledError.class, fromCancelled.get().getClass());
        assertEquals("why", fromCancelled.get().getMessage());
    }

    // aio4j-only: get(timeout) gives up with TimeoutError (a real wait of one millisecond).
    @Test
    @Timeout(5)
    void getTimeout() throws Exception {
        Future<Object> f = newFuture();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                f.get(1, TimeUnit.MILLISECONDS);
            } catch (Throwable e) {
                error.set(e);
            }
        });
        t.start();
        t.join();
        assertEquals(TimeoutError.class, error.get().getClass());
        assertEquals("Future.get() timed out after 1 MILLISECONDS: Future[pending]", error.get().getMessage());
        assertFalse(f.done());
    }

    // aio4j-only: get() where it would deadlock throws BlockingOperationError.
    @Test
    void getInsideTaskOrCallback() {
        String expected = "Future.get() called on the event loop's own thread or from one of its tasks, where it would "
                + "wait forever: inside a task use Future.await(); from a loop callback use Future.addDoneCallback(...); "
                + "call Future.get() only from other threads";
        AtomicReference<Throwable> inCallback = new AtomicReference<>();
        Throwable inTask = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<String> f = l.createFuture();
            Future<Void> ran = l.createFuture();
            l.callSoon(() -> {
                try {
                    f.get();
                } catch (Throwable e) {
                    inCallback.set(e);
                }
                ran.setResult(null);
            });
            ran.await();
            try {
                f.get();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        assertEquals(BlockingOperationError.class, inTask.getClass());
        assertEquals(expected, inTask.getMessage());
        assertEquals(BlockingOperationError.class, inCallback.get().getClass());
        assertEquals(expected, inCallback.get().getMessage());
    }

    // aio4j-only: toCompletableFuture() from another thread while the loop runs.
    @Test
    @Timeout(5)
    void toCompletableFutureFromAnotherThread() {
        String joined = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<String> f = l.createFuture();
            Future<String> reported = l.createFuture();
            Thread t = new Thread(() -> {
                CompletableFuture<String> cf = f.toCompletableFuture();
                String v;
                try {
                    v = cf.join();
                } catch (Throwable e) {
                    v = e.toString();
                }
                String result = v;
                l.callSoonThreadsafe(() -> reported.setResult(result));
            });
            t.start();
            Aio.sleep(1);
            f.setResult("through the bridge");
            return reported.await();
        });
        assertEquals("through the bridge", joined);
    }

    // ------------------------------------------------------------------ never-retrieved exceptions

    @Test
    void tbLoggerAbandoned() {
        Future<Object> f = newFuture();
        assertFalse(f.done());
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void futureSourceTraceback() {
        loop.setDebug(true);
        Future<Object> f = loop.createFuture();
        assertNotNull(f.sourceTraceback);
        StackTraceElement site = f.sourceTraceback[0];
        assertEquals(FuturesTest.class.getName(), site.getClassName(), () -> "creation site: " + top(f.sourceTraceback));
        assertEquals("futureSourceTraceback", site.getMethodName());

        loop.setDebug(false);
        assertNull(loop.createFuture().sourceTraceback, "no creation site outside debug mode");
    }

    // ------------------------------------------------------------------ wrapFuture

    @Test
    @Timeout(5)
    void wrapFuture() {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "wrap-future-worker"));
        try {
            CompletableFuture<String> f1 = CompletableFuture.supplyAsync(() -> "oi@" + Thread.currentThread().getName(), ex);
            String res = Loops.runVirtual(() -> {
                Future<String> f2 = Aio.wrapFuture(f1);
                assertSame(Aio.getRunningLoop(), f2.getLoop());
                return f2.await();
            });
            assertEquals("oi@wrap-future-worker", res);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void wrapFutureWithoutLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Aio.wrapFuture(new CompletableFuture<String>()));
        assertTrue(e.getMessage().startsWith("no running event loop in thread '"), e.getMessage());
    }

    @Test
    void wrapFutureUseRunningLoop() {
        AtomicReference<EventLoop> running = new AtomicReference<>();
        Future<String> f2 = Loops.runVirtual(() -> {
            running.set(Aio.getRunningLoop());
            return Aio.wrapFuture(new CompletableFuture<String>());
        });
        assertSame(running.get(), f2.getLoop());
    }

    @Test
    void wrapFutureCancel() {
        CompletableFuture<String> f1 = new CompletableFuture<>();
        Future<String> f2 = Loops.runVirtual(() -> {
            Future<String> wrapped = Aio.wrapFuture(f1);
            assertTrue(wrapped.cancel());
            Aio.sleep(0);
            return wrapped;
        });
        assertTrue(f1.isCancelled());
        assertTrue(f2.cancelled());
    }

    @Test
    void wrapFutureCancel2() {
        CompletableFuture<Integer> f1 = new CompletableFuture<>();
        Future<Integer> f2 = Loops.runVirtual(() -> {
            Future<Integer> wrapped = Aio.wrapFuture(f1);
            f1.complete(42);
            assertTrue(wrapped.cancel(), "the result reaches the wrapper through the loop, so it is still pending");
            Aio.sleep(0);
            return wrapped;
        });
        assertFalse(f1.isCancelled());
        assertEquals(42, f1.join());
        assertTrue(f2.cancelled());
    }

    // aio4j-only: an exceptional CompletableFuture's CompletionException is unwrapped.
    @Test
    void wrapFutureException() {
        IllegalStateException exc = new IllegalStateException("remote failure");
        Throwable got = Loops.runVirtual(() -> {
            CompletableFuture<String> f1 = new CompletableFuture<>();
            Future<String> f2 = Aio.wrapFuture(f1.thenApply(s -> s));
            f1.completeExceptionally(exc);
            try {
                f2.await();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertSame(exc, got);
    }

    // aio4j-only: a CompletableFuture that is already done still reaches the wrapper through the loop.
    @Test
    void wrapFutureAlreadyDone() {
        Loops.runVirtual(() -> {
            Future<String> f2 = Aio.wrapFuture(CompletableFuture.completedFuture("early"));
            assertFalse(f2.done());
            assertEquals("early", f2.await());
            return null;
        });
    }

    // aio4j-only: a checked exception set on a future is thrown by await() wrapped, as by result().
    @Test
    void awaitCheckedException() {
        Exception exc = new java.io.IOException("io");
        Throwable got = Loops.runVirtual(() -> {
            Future<String> f = Aio.getRunningLoop().createFuture();
            f.setException(exc);
            try {
                f.await();
                return null;
            } catch (CompletionException e) {
                return e.getCause();
            }
        });
        assertSame(exc, got);
    }

    // aio4j-only: the unchecked exception of a failed future is thrown as the same object every time.
    @Test
    void resultThrowsSameObject() {
        Future<Object> f = newFuture();
        IllegalArgumentException exc = new IllegalArgumentException("same");
        f.setException(exc);
        Throwable first = assertThrows(IllegalArgumentException.class, f::result);
        Throwable second = assertThrows(IllegalArgumentException.class, f::result);
        assertSame(exc, first);
        assertSame(exc, second);
        assertSame(exc, f.exception());
    }
}
