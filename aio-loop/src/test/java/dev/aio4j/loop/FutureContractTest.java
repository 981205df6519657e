package dev.aio4j.loop;

import dev.aio4j.loop.test.RecordingExceptionHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of every {@link Future} implementation, run against each of them (plain futures in
 * {@link FuturesTest}, task-backed futures in {@link TasksTest}); mirrors {@code BaseFutureTests}
 * and {@code BaseFutureDoneCallbackTests} of CPython's {@code Lib/test/test_asyncio/test_futures.py}.
 *
 * <p>Each test gets a fresh, idle loop on a virtual clock; the test drives it one iteration at a
 * time with {@link #runBriefly(EventLoop)}, as CPython's {@code test_utils.run_briefly} does. After
 * each test the loop is closed and nothing may have been reported to its exception handler.
 */
abstract class FutureContractTest {
    /** The loop of the future under test: idle, virtual clock. */
    protected EventLoop loop;
    /** Receives everything {@link #loop} reports. */
    protected RecordingExceptionHandler handler;

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

    // ------------------------------------------------------------------ the implementation

    /** A new pending future of {@link #loop} (for a task: started, and waiting). */
    protected abstract <T> Future<T> newFuture();

    /** Makes {@code f} finish with {@code value}; returns once {@code f.done()}. */
    protected abstract <T> void finishWithResult(Future<T> f, T value);

    /** Makes {@code f} finish with {@code error}; returns once {@code f.done()}. */
    protected abstract void finishWithException(Future<?> f, Exception error);

    /** Calls {@code f.cancel(msg)}, asserts it returned true, and returns once {@code f.done()}. */
    protected abstract void finishCancelled(Future<?> f, String msg);

    /** What {@code f.toString()} must be once done, where {@code state} is e.g. {@code "cancelled"}. */
    protected abstract String repr(Future<?> f, String state);

    /** {@code "Future"} or {@code "Task"}: the word that starts a "never retrieved" report. */
    protected abstract String kind();

    /** Asserts that {@code f}, already done, refuses setResult and setException with the right error. */
    protected abstract void assertRefusesCompletion(Future<?> f);

    // ------------------------------------------------------------------ helpers for all test classes

    /** Runs exactly one iteration of an idle loop (CPython's {@code test_utils.run_briefly}). */
    static void runBriefly(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    /** Runs iterations until {@code f} is done; fails if that takes more than 1000 iterations. */
    static void runUntilDone(EventLoop loop, Future<?> f) {
        for (int i = 0; i < 1000 && !f.done(); i++) {
            runBriefly(loop);
        }
        if (!f.done()) {
            fail("still not done after 1000 loop iterations: " + f);
        }
    }

    /** The first frames of a stack, for failure messages. */
    static List<StackTraceElement> top(StackTraceElement[] stack) {
        return List.of(stack).subList(0, Math.min(6, stack.length));
    }

    /** A done-callback that appends {@code thing} to {@code bag}. */
    private static Consumer<Future<String>> appender(List<Object> bag, Object thing) {
        return f -> bag.add(thing);
    }

    // ------------------------------------------------------------------ states

    @Test
    void initialState() {
        Future<Object> f = newFuture();
        assertFalse(f.cancelled());
        assertFalse(f.done());
        finishCancelled(f, null);
        assertTrue(f.cancelled());
        assertTrue(f.done());
    }

    // aio4j-only
    @Test
    void getLoopIsTheOwningLoop() {
        Future<Object> f = newFuture();
        assertSame(loop, f.getLoop());
        finishWithResult(f, null);
    }

    @Test
    void futureCancelMessageGetter() {
        Future<Object> f = newFuture();
        finishCancelled(f, "my message");
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(f));
        assertEquals("my message", e.getMessage());
    }

    @Test
    void cancel() {
        Future<Object> f = newFuture();
        finishCancelled(f, null);
        assertTrue(f.cancelled());
        assertTrue(f.done());
        assertNull(assertThrows(CancelledError.class, f::result).getMessage());
        assertThrows(CancelledError.class, f::exception);
        assertRefusesCompletion(f);
        assertFalse(f.cancel());
        assertFalse(f.cancel("again"));
        assertTrue(f.cancelled());
    }

    @Test
    void result() {
        Future<Integer> f = newFuture();
        InvalidStateError pending = assertThrows(InvalidStateError.class, f::result);
        assertEquals("Result is not ready: " + f, pending.getMessage());

        finishWithResult(f, 42);
        assertFalse(f.cancelled());
        assertTrue(f.done());
        assertEquals(42, f.result());
        assertNull(f.exception());
        assertRefusesCompletion(f);
        assertFalse(f.cancel());
        assertEquals(42, f.result());
    }

    @Test
    void exception() {
        RuntimeException exc = new IllegalStateException("boom");
        Future<Object> f = newFuture();
        InvalidStateError pending = assertThrows(InvalidStateError.class, f::exception);
        assertEquals("Exception is not set: " + f, pending.getMessage());

        finishWithException(f, exc);
        assertFalse(f.cancelled());
        assertTrue(f.done());
        assertSame(exc, assertThrows(IllegalStateException.class, f::result));
        assertSame(exc, f.exception());
        assertRefusesCompletion(f);
        assertFalse(f.cancel());
        assertSame(exc, f.exception());
    }

    // aio4j-only: a checked exception is thrown wrapped, and returned as it is.
    @Test
    void exceptionChecked() {
        IOException exc = new IOException("disk on fire");
        Future<Object> f = newFuture();
        finishWithException(f, exc);
        CompletionException thrown = assertThrows(CompletionException.class, f::result);
        assertSame(exc, thrown.getCause());
        assertSame(exc, f.exception());
    }

    @Test
    void futureRepr() {
        Future<Object> cancelled = newFuture();
        finishCancelled(cancelled, null);
        assertEquals(repr(cancelled, "cancelled"), cancelled.toString());

        Future<Integer> withResult = newFuture();
        finishWithResult(withResult, 4);
        assertEquals(repr(withResult, "finished result=4"), withResult.toString());

        Future<Object> withException = newFuture();
        finishWithException(withException, new IllegalArgumentException("bad"));
        assertEquals(repr(withException, "finished exception=java.lang.IllegalArgumentException: bad"),
                withException.toString());
        withException.exception();

        Future<String> nullResult = newFuture();
        finishWithResult(nullResult, null);
        assertEquals(repr(nullResult, "finished result=null"), nullResult.toString());
    }

    // aio4j-only: a long result is cut in toString().
    @Test
    void futureReprLongResult() {
        Future<String> f = newFuture();
        finishWithResult(f, "x".repeat(200));
        assertEquals(repr(f, "finished result=" + "x".repeat(77) + "..."), f.toString());
    }

    // ------------------------------------------------------------------ never-retrieved exceptions

    @Test
    void tbLoggerNotCalledAfterCancel() {
        Future<Object> f = newFuture();
        finishWithException(f, new IllegalStateException("boom"));
        assertFalse(f.cancel());
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void tbLoggerResultUnretrieved() {
        Future<Integer> f = newFuture();
        finishWithResult(f, 42);
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void tbLoggerResultRetrieved() {
        Future<Integer> f = newFuture();
        finishWithResult(f, 42);
        assertEquals(42, f.result());
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void tbLoggerExceptionUnretrieved() {
        Future<Object> f = newFuture();
        finishWithException(f, new IllegalStateException("boom"));
        runBriefly(loop);
        loop.close();
        assertEquals(1, handler.contexts().size(), () -> "reports: " + handler.messages());
        handler.clear();
    }

    @Test
    void tbLoggerExceptionRetrieved() {
        Future<Object> f = newFuture();
        finishWithException(f, new IllegalStateException("boom"));
        assertNotNull(f.exception());
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void tbLoggerExceptionResultRetrieved() {
        Future<Object> f = newFuture();
        finishWithException(f, new IllegalStateException("boom"));
        assertThrows(IllegalStateException.class, f::result);
        loop.close();
        handler.assertNothingReported();
    }

    @Test
    void futureExceptionNeverRetrieved() {
        IllegalStateException exc = new IllegalStateException("boom");
        Future<Object> f = newFuture();
        finishWithException(f, exc);
        String description = f.toString();
        f = null; // nobody holds it any more
        runBriefly(loop);
        loop.close();

        List<ExceptionContext> reports = handler.contexts();
        assertEquals(1, reports.size(), () -> "reports: " + handler.messages());
        ExceptionContext report = reports.get(0);
        assertEquals(kind() + " exception was never retrieved: " + description, report.message());
        assertSame(exc, report.exception());
        assertNull(report.sourceTraceback(), "no creation site outside debug mode");
        handler.clear();
    }

    @Test
    void futureExceptionNeverRetrievedDebug() {
        loop.setDebug(true);
        IllegalStateException exc = new IllegalStateException("boom");
        Future<Object> f = newFuture();
        finishWithException(f, exc);
        loop.close();

        List<ExceptionContext> reports = handler.contexts();
        assertEquals(1, reports.size(), () -> "reports: " + handler.messages());
        ExceptionContext report = reports.get(0);
        assertTrue(report.message().startsWith(kind() + " exception was never retrieved: "), report.message());
        assertSame(exc, report.exception());
        StackTraceElement[] site = report.sourceTraceback();
        assertNotNull(site, "debug mode records where the future was created");
        assertTrue(site.length > 0);
        assertEquals(getClass().getName(), site[0].getClassName(), () -> "creation site: " + top(site));
        assertEquals("newFuture", site[0].getMethodName());
        handler.clear();
    }

    // ------------------------------------------------------------------ CompletableFuture bridge

    // aio4j-only
    @Test
    void toCompletableFutureResult() throws Exception {
        Future<String> f = newFuture();
        CompletableFuture<String> pending = f.toCompletableFuture();
        assertFalse(pending.isDone());
        finishWithResult(f, "ok");
        runBriefly(loop);
        assertEquals("ok", pending.getNow("not done"));
        assertEquals("ok", f.toCompletableFuture().getNow("not done"), "a done future gives a done CompletableFuture");
    }

    // aio4j-only
    @Test
    void toCompletableFutureException() {
        IllegalStateException exc = new IllegalStateException("boom");
        Future<String> f = newFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        finishWithException(f, exc);
        runBriefly(loop);
        assertTrue(cf.isCompletedExceptionally());
        ExecutionException e = assertThrows(ExecutionException.class, cf::get);
        assertSame(exc, e.getCause());
        loop.close();
        handler.assertNothingReported(); // the bridge retrieved the exception
    }

    // aio4j-only
    @Test
    void toCompletableFutureCancelled() {
        Future<String> f = newFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        finishCancelled(f, "stop");
        runBriefly(loop);
        assertTrue(cf.isCancelled());
        assertThrows(CancellationException.class, cf::join);
        assertTrue(f.toCompletableFuture().isCancelled());
    }

    // aio4j-only: cancelling the CompletableFuture cancels the future.
    @Test
    void toCompletableFutureCancelPropagates() {
        Future<String> f = newFuture();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertTrue(cf.cancel(false));
        runUntilDone(loop, f);
        assertTrue(f.cancelled());
    }

    // ------------------------------------------------------------------ done callbacks

    @Test
    void callbacksRemoveFirstCallback() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        Consumer<Future<String>> cb1 = appender(bag, 42);
        Consumer<Future<String>> cb2 = appender(bag, 17);
        Consumer<Future<String>> cb3 = appender(bag, 100);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        f.addDoneCallback(cb3);

        assertEquals(1, f.removeDoneCallback(cb1));
        assertEquals(0, f.removeDoneCallback(cb1));

        assertEquals(List.of(), bag);
        finishWithResult(f, "foo");
        runBriefly(loop);
        assertEquals(List.of(17, 100), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void callbacksRemoveFirstAndSecondCallback() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        Consumer<Future<String>> cb1 = appender(bag, 42);
        Consumer<Future<String>> cb2 = appender(bag, 17);
        Consumer<Future<String>> cb3 = appender(bag, 100);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        f.addDoneCallback(cb3);

        assertEquals(1, f.removeDoneCallback(cb1));
        assertEquals(1, f.removeDoneCallback(cb2));
        assertEquals(0, f.removeDoneCallback(cb1));

        assertEquals(List.of(), bag);
        finishWithResult(f, "foo");
        runBriefly(loop);
        assertEquals(List.of(100), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void callbacksRemoveThirdCallback() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        Consumer<Future<String>> cb1 = appender(bag, 42);
        Consumer<Future<String>> cb2 = appender(bag, 17);
        Consumer<Future<String>> cb3 = appender(bag, 100);
        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        f.addDoneCallback(cb3);

        assertEquals(1, f.removeDoneCallback(cb3));
        assertEquals(0, f.removeDoneCallback(cb3));

        assertEquals(List.of(), bag);
        finishWithResult(f, "foo");
        runBriefly(loop);
        assertEquals(List.of(42, 17), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void callbacksInvokedOnSetResult() {
        List<Object> bag = new ArrayList<>();
        List<Future<String>> seen = new ArrayList<>();
        Future<String> f = newFuture();
        f.addDoneCallback(appender(bag, 42));
        f.addDoneCallback(appender(bag, 17));
        f.addDoneCallback(seen::add);

        assertEquals(List.of(), bag);
        finishWithResult(f, "foo");
        assertEquals(List.of(), bag, "callbacks are scheduled, never called inline");
        runBriefly(loop);
        assertEquals(List.of(42, 17), bag);
        assertEquals(1, seen.size());
        assertSame(f, seen.get(0), "a callback receives the future itself");
        assertEquals("foo", f.result());
    }

    @Test
    void callbacksInvokedOnSetException() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        f.addDoneCallback(appender(bag, 100));

        assertEquals(List.of(), bag);
        RuntimeException exc = new IllegalStateException("boom");
        finishWithException(f, exc);
        runBriefly(loop);
        assertEquals(List.of(100), bag);
        assertSame(exc, f.exception());
    }

    // aio4j-only: callbacks of a cancelled future run too.
    @Test
    void callbacksInvokedOnCancel() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        f.addDoneCallback(appender(bag, 7));
        finishCancelled(f, null);
        runBriefly(loop);
        assertEquals(List.of(7), bag);
    }

    @Test
    void removeDoneCallback() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        Consumer<Future<String>> cb1 = appender(bag, 1);
        Consumer<Future<String>> cb2 = appender(bag, 2);
        Consumer<Future<String>> cb3 = appender(bag, 3);

        f.addDoneCallback(cb1);
        f.addDoneCallback(cb2);
        assertEquals(1, f.removeDoneCallback(cb2));
        assertEquals(0, f.removeDoneCallback(cb3));

        f.addDoneCallback(cb2);
        for (int i = 0; i < 5; i++) {
            f.addDoneCallback(cb1);
        }
        assertEquals(6, f.removeDoneCallback(cb1));

        assertEquals(List.of(), bag);
        finishWithResult(f, "foo");
        runBriefly(loop);
        assertEquals(List.of(2), bag);
        assertEquals("foo", f.result());
    }

    @Test
    void scheduleCallbacksListMutation1() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        Consumer<Future<String>> plain = appender(bag, "plain");
        f.addDoneCallback(done -> {
            bag.add("mutator");
            assertEquals(0, done.removeDoneCallback(plain), "callbacks already scheduled are no longer registered");
        });
        f.addDoneCallback(plain);
        f.addDoneCallback(plain);
        finishWithResult(f, "x");
        runBriefly(loop);
        assertEquals(List.of("mutator", "plain", "plain"), bag);
    }

    // aio4j-only: a callback added to a done future is scheduled, not called inline.
    @Test
    void addDoneCallbackOnDoneFuture() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        finishWithResult(f, "x");
        runBriefly(loop);
        f.addDoneCallback(appender(bag, 1));
        f.addDoneCallback(appender(bag, 2));
        assertEquals(List.of(), bag);
        runBriefly(loop);
        assertEquals(List.of(1, 2), bag);
    }

    // aio4j-only: a callback that throws is reported, and the other callbacks still run.
    @Test
    void failingCallbackIsReported() {
        List<Object> bag = new ArrayList<>();
        Future<String> f = newFuture();
        IllegalStateException exc = new IllegalStateException("callback failed");
        f.addDoneCallback(done -> {
            throw exc;
        });
        f.addDoneCallback(appender(bag, "after"));
        finishWithResult(f, "x");
        runBriefly(loop);
        assertEquals(List.of("after"), bag);
        List<ExceptionContext> reports = handler.contexts();
        assertEquals(1, reports.size(), () -> "reports: " + handler.messages());
        assertTrue(reports.get(0).message().startsWith("Exception in callback "), reports.get(0).message());
        assertSame(exc, reports.get(0).exception());
        handler.clear();
    }
}
