package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aio4j.loop.FutureContractTest.runBriefly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mirrors the gather and shield tests of CPython's {@code Lib/test/test_asyncio/test_tasks.py}:
 * {@code GatherTestsBase} with its two flavours {@code FutureGatherTests} and
 * {@code CoroutineGatherTests} (nested classes here), and the {@code test_shield_*},
 * {@code test_gather_shield} and {@code test_cancel_gather_*} tests of {@code BaseTaskTests}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GatherTest {
    private EventLoop loop;
    private RecordingExceptionHandler handler;

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

    /**
     * Runs {@code loop} for 20 iterations: more than any test here needs to let every callback
     * and task step that is ready run (asyncio's tests loop {@code while loop._ready}).
     */
    static void runLoop(EventLoop loop) {
        for (int i = 0; i < 20; i++) {
            runBriefly(loop);
        }
    }

    /** A done-callback that records each future it is called with (CPython's MockCallback). */
    static final class RecordingCallback implements java.util.function.Consumer<Future<List<Object>>> {
        final List<Future<?>> calls = new ArrayList<>();

        @Override
        public void accept(Future<List<Object>> f) {
            calls.add(f);
        }

        void assertCalledOnceWith(Future<?> f) {
            assertEquals(1, calls.size(), () -> "calls: " + calls);
            assertSame(f, calls.get(0));
        }
    }

    // ================================================================== GatherTestsBase

    /** The gather tests that run for both flavours: children given as futures, or as coroutines. */
    abstract static class GatherTestsBase {
        EventLoop oneLoop;
        EventLoop otherLoop;
        final RecordingExceptionHandler reports = new RecordingExceptionHandler();

        @BeforeEach
        void createLoops() {
            oneLoop = EventLoop.create(TestClocks.autoJump());
            otherLoop = EventLoop.create(TestClocks.autoJump());
            oneLoop.setExceptionHandler(reports);
            otherLoop.setExceptionHandler(reports);
        }

        @AfterEach
        void closeLoops() {
            oneLoop.close();
            otherLoop.close();
            reports.assertNothingReported();
        }

        /** {@code gather(...)} (or with return-exceptions) over children that follow {@code fs}. */
        abstract Future<List<Object>> gatherOf(boolean returnExceptions, Future<?>... fs);

        private List<Future<Object>> futures(int n) {
            List<Future<Object>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(oneLoop.createFuture());
            }
            return fs;
        }

        private void checkSuccess(boolean returnExceptions) {
            List<Future<Object>> abc = futures(3);
            Future<Object> a = abc.get(0);
            Future<Object> b = abc.get(1);
            Future<Object> c = abc.get(2);
            Future<List<Object>> fut = gatherOf(returnExceptions, a, b, c);
            RecordingCallback cb = new RecordingCallback();
            fut.addDoneCallback(cb);
            b.setResult(1);
            a.setResult(2);
            runLoop(oneLoop);
            assertEquals(List.of(), cb.calls);
            assertFalse(fut.done());
            c.setResult(3);
            runLoop(oneLoop);
            cb.assertCalledOnceWith(fut);
            assertEquals(List.of(2, 1, 3), fut.result(), "argument order, not completion order");
        }

        @Test
        void success() {
            checkSuccess(false);
        }

        @Test
        void resultExceptionSuccess() {
            checkSuccess(true);
        }

        @Test
        void oneException() {
            List<Future<Object>> fs = futures(5);
            Future<List<Object>> fut = gatherOf(false, fs.toArray(new Future<?>[0]));
            RecordingCallback cb = new RecordingCallback();
            fut.addDoneCallback(cb);
            ArithmeticException exc = new ArithmeticException("/ by zero");
            fs.get(0).setResult(1);
            fs.get(1).setException(exc);
            runLoop(oneLoop);
            assertTrue(fut.done());
            cb.assertCalledOnceWith(fut);
            assertSame(exc, fut.exception());
            // does nothing to the gather future
            fs.get(2).setResult(3);
            fs.get(3).cancel();
            fs.get(4).setException(new IllegalStateException("later"));
            fs.get(4).exception();
            runLoop(oneLoop);
            assertSame(exc, fut.exception());
            cb.assertCalledOnceWith(fut);
        }

        @Test
        void returnExceptions() {
            List<Future<Object>> fs = futures(4);
            Future<List<Object>> fut = gatherOf(true, fs.toArray(new Future<?>[0]));
            RecordingCallback cb = new RecordingCallback();
            fut.addDoneCallback(cb);
            ArithmeticException exc = new ArithmeticException("first");
            IllegalStateException exc2 = new IllegalStateException("second");
            fs.get(1).setResult(1);
            fs.get(2).setException(exc);
            fs.get(0).setResult(3);
            runLoop(oneLoop);
            assertFalse(fut.done());
            fs.get(3).setException(exc2);
            runLoop(oneLoop);
            assertTrue(fut.done());
            cb.assertCalledOnceWith(fut);
            List<Object> res = fut.result();
            assertEquals(4, res.size());
            assertEquals(3, res.get(0));
            assertEquals(1, res.get(1));
            assertSame(exc, res.get(2));
            assertSame(exc2, res.get(3));
        }
    }

    @Nested
    class FutureGatherTests extends GatherTestsBase {
        @Override
        Future<List<Object>> gatherOf(boolean returnExceptions, Future<?>... fs) {
            return returnExceptions ? Aio.gatherReturnExceptions(fs) : Aio.gather(fs);
        }

        @Test
        void constructorEmptySequenceWithoutLoop() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.gather(List.of()));
            assertEquals("no running event loop in thread '" + Thread.currentThread().getName()
                    + "'; Aio.getRunningLoop() works inside Aio.run(...), in a task, or in a loop callback", e.getMessage());
        }

        @Test
        void constructorEmptySequenceUseRunningLoop() {
            Future<List<Object>> fut = oneLoop.runUntilComplete(() -> Aio.gather(List.of()));
            assertSame(oneLoop, fut.getLoop());
            assertTrue(fut.done());
            assertEquals(List.of(), fut.result());
            Future<List<Object>> withExceptions = oneLoop.runUntilComplete(() -> Aio.gatherReturnExceptions(List.of()));
            assertEquals(List.of(), withExceptions.result());
        }

        @Test
        void constructorHeterogenousFutures() {
            Future<Object> fut1 = oneLoop.createFuture();
            Future<Object> fut2 = otherLoop.createFuture();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aio.gather(fut1, fut2));
            assertEquals("gather() was given futures of different loops: " + fut2 + " belongs to " + otherLoop
                    + ", the first one to " + oneLoop, e.getMessage());
        }

        @Test
        void constructorHomogenousFutures() {
            List<Future<Object>> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                children.add(otherLoop.createFuture());
            }
            Future<List<Object>> fut = Aio.gather(children);
            assertSame(otherLoop, fut.getLoop());
            runLoop(otherLoop);
            assertFalse(fut.done());
            fut = Aio.gather(children);
            assertSame(otherLoop, fut.getLoop());
            runLoop(otherLoop);
            assertFalse(fut.done());
        }

        @Test
        void oneCancellation() {
            List<Future<Object>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fs.add(oneLoop.createFuture());
            }
            Future<List<Object>> fut = Aio.gather(fs);
            RecordingCallback cb = new RecordingCallback();
            fut.addDoneCallback(cb);
            fs.get(0).setResult(1);
            fs.get(1).cancel("child cancelled");
            runLoop(oneLoop);
            assertTrue(fut.done());
            cb.assertCalledOnceWith(fut);
            assertFalse(fut.cancelled());
            assertInstanceOf(CancelledError.class, fut.exception());
            assertEquals("child cancelled", fut.exception().getMessage());
            // does nothing
            fs.get(2).setResult(3);
            fs.get(3).cancel();
            fs.get(4).setException(new IllegalStateException("later"));
            fs.get(4).exception();
        }

        @Test
        void resultExceptionOneCancellation() {
            List<Future<Object>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(oneLoop.createFuture());
            }
            Future<List<Object>> fut = Aio.gatherReturnExceptions(fs);
            RecordingCallback cb = new RecordingCallback();
            fut.addDoneCallback(cb);
            fs.get(0).setResult(1);
            ArithmeticException zde = new ArithmeticException("zde");
            fs.get(1).setException(zde);
            fs.get(2).cancel("c");
            runLoop(oneLoop);
            assertFalse(fut.done());
            fs.get(3).setResult(3);
            fs.get(4).cancel();
            IllegalStateException rte = new IllegalStateException("rte");
            fs.get(5).setException(rte);
            List<Object> res = new ArrayList<>(oneLoop.runUntilComplete(fut));
            assertInstanceOf(CancelledError.class, res.get(2));
            assertEquals("c", ((CancelledError) res.get(2)).getMessage());
            assertInstanceOf(CancelledError.class, res.get(4));
            assertNull(((CancelledError) res.get(4)).getMessage());
            res.set(2, null);
            res.set(4, null);
            assertEquals(Arrays.asList(1, zde, null, 3, null, rte), res);
            cb.assertCalledOnceWith(fut);
        }
    }

    @Nested
    class CoroutineGatherTests extends GatherTestsBase {
        @Override
        Future<List<Object>> gatherOf(boolean returnExceptions, Future<?>... fs) {
            return oneLoop.runUntilComplete(oneLoop.createTask(() -> {
                if (!returnExceptions) {
                    Coroutine<?>[] coros = new Coroutine<?>[fs.length];
                    for (int i = 0; i < fs.length; i++) {
                        Future<?> f = fs[i];
                        coros[i] = f::await;
                    }
                    return Aio.gather(coros);
                }
                List<Future<?>> tasks = new ArrayList<>();
                for (Future<?> f : fs) {
                    tasks.add(Aio.createTask(f::await));
                }
                return Aio.gatherReturnExceptions(tasks);
            }));
        }

        @Test
        void constructorWithoutLoop() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.gather(() -> "abc", () -> "abc"));
            assertTrue(e.getMessage().startsWith("no running event loop in thread '"), e.getMessage());
        }

        @Test
        void constructorUseRunningLoop() {
            Future<List<String>> fut = oneLoop.runUntilComplete(() -> Aio.gather(() -> "abc", () -> "abc"));
            assertSame(oneLoop, fut.getLoop());
            assertEquals(List.of("abc", "abc"), oneLoop.runUntilComplete(fut));
        }

        // In Java a Coroutine is a function that runs once per task, so the duplicate is one task
        // passed several times: it runs once, and its result fills every position it was given at.
        @Test
        void duplicateCoroutines() {
            AtomicInteger runs = new AtomicInteger();
            Future<List<String>> fut = oneLoop.runUntilComplete(oneLoop.createTask(() -> {
                Task<String> c = Aio.createTask(() -> {
                    runs.incrementAndGet();
                    return "abc";
                });
                return Aio.gather(c, c, Aio.createTask(() -> "def"), c);
            }));
            runLoop(oneLoop);
            assertEquals(List.of("abc", "abc", "def", "abc"), fut.result());
            assertEquals(1, runs.get());
        }

        @Test
        void cancellationBroadcast() {
            AtomicInteger proof = new AtomicInteger();
            Future<Void> waiter = oneLoop.createFuture();
            Coroutine<Void> inner = () -> {
                waiter.await();
                proof.incrementAndGet();
                return null;
            };
            Task<Void> child1 = oneLoop.createTask(inner);
            Task<Void> child2 = oneLoop.createTask(inner);
            AtomicReference<Future<List<Void>>> gatherer = new AtomicReference<>();
            Task<Void> f = oneLoop.createTask(() -> {
                gatherer.set(Aio.gather(child1, child2));
                gatherer.get().await();
                proof.addAndGet(100);
                return null;
            });
            runBriefly(oneLoop);
            assertTrue(f.cancel());
            assertThrows(CancelledError.class, () -> oneLoop.runUntilComplete(f));
            assertFalse(gatherer.get().cancel());
            assertTrue(waiter.cancelled());
            assertTrue(child1.cancelled());
            assertTrue(child2.cancelled());
            runBriefly(oneLoop);
            assertEquals(0, proof.get());
        }

        @Test
        void exceptionMarking() {
            Future<Void> a = oneLoop.createFuture();
            Future<Void> b = oneLoop.createFuture();
            Coroutine<Void> innerA = () -> {
                a.await();
                throw new IllegalStateException("should not be ignored");
            };
            Coroutine<Void> innerB = () -> {
                b.await();
                throw new IllegalStateException("should not be ignored either");
            };
            Task<Object> f = oneLoop.createTask(() -> Aio.gather(innerA, innerB).await());
            runBriefly(oneLoop);
            a.setResult(null);
            runLoop(oneLoop);
            b.setResult(null);
            runLoop(oneLoop);
            assertInstanceOf(IllegalStateException.class, f.exception());
            assertEquals("should not be ignored", f.exception().getMessage());
            // closing the loop reports nothing: gather marked the second exception as retrieved
        }
    }

    // ================================================================== gather, aio4j-only

    // aio4j-only: the first error reaches the awaiter at once, the other children run on.
    @Test
    void gatherFirstErrorToAwaiterOthersRunOn() {
        List<String> trail = new ArrayList<>();
        RecordingExceptionHandler h = new RecordingExceptionHandler();
        Loops.runVirtual(h, () -> {
            Task<String> slow = Aio.createTask(() -> {
                Aio.sleep(2);
                trail.add("slow done at " + TestClocks.elapsed(Aio.getRunningLoop()));
                return "slow";
            });
            Task<String> failing = Aio.createTask(() -> {
                Aio.sleep(1);
                throw new IllegalStateException("first");
            });
            Task<String> failingLater = Aio.createTask(() -> {
                Aio.sleep(1.5);
                throw new IllegalArgumentException("second");
            });
            Future<List<String>> g = Aio.gather(slow, failing, failingLater);
            try {
                g.await();
                fail("gather should have failed");
            } catch (IllegalStateException e) {
                assertEquals("first", e.getMessage());
                trail.add("caught at " + TestClocks.elapsed(Aio.getRunningLoop()));
            }
            assertFalse(slow.done());
            assertFalse(failingLater.done());
            assertEquals("slow", slow.await());
            assertFalse(slow.cancelled());
            assertInstanceOf(IllegalArgumentException.class, failingLater.exception());
            return null;
        });
        assertEquals(List.of("caught at 1.0", "slow done at 2.0"), trail);
        h.assertNothingReported();
    }

    // aio4j-only: the second error, which nobody looked at, is not reported (gather retrieved it).
    @Test
    void gatherRetrievesLaterErrors() {
        RecordingExceptionHandler h = new RecordingExceptionHandler();
        Loops.runVirtual(h, () -> {
            Task<String> failing = Aio.createTask(() -> {
                Aio.sleep(1);
                throw new IllegalStateException("first");
            });
            Task<String> failingLater = Aio.createTask(() -> {
                Aio.sleep(2);
                throw new IllegalArgumentException("second");
            });
            assertThrows(IllegalStateException.class, () -> Aio.gather(failing, failingLater).await());
            Aio.sleep(5);
            return null;
        });
        h.assertNothingReported();
    }

    // aio4j-only: coroutines given to gather become tasks; results come in argument order.
    @Test
    void gatherOfCoroutinesKeepsArgumentOrder() {
        List<Object> order = new ArrayList<>();
        List<Integer> res = Loops.runVirtual(() -> Aio.gather(
                () -> {
                    Aio.sleep(3);
                    order.add(0);
                    return 0;
                },
                () -> {
                    Aio.sleep(1);
                    order.add(1);
                    return 1;
                },
                () -> {
                    Aio.sleep(2);
                    order.add(2);
                    return 2;
                }).await());
        assertEquals(List.of(0, 1, 2), res);
        assertEquals(List.of(1, 2, 0), order, "completion order differs");
    }

    // aio4j-only: children that are done before gather() is called still go through the loop.
    @Test
    void gatherOfDoneChildren() {
        Future<Object> a = loop.createFuture();
        Future<Object> b = loop.createFuture();
        a.setResult("a");
        b.setResult("b");
        Future<List<Object>> fut = Aio.gather(a, b);
        assertFalse(fut.done(), "the children's callbacks are scheduled, not called inline");
        assertEquals("GatheringFuture[pending, 0/2 children done]", fut.toString());
        runBriefly(loop);
        assertEquals(List.of("a", "b"), fut.result());
        assertEquals("GatheringFuture[finished result=[a, b], 2/2 children done]", fut.toString());
    }

    // aio4j-only: a future given several times counts once and its result fills each position.
    @Test
    void gatherDuplicateFutures() {
        Future<Object> a = loop.createFuture();
        Future<Object> b = loop.createFuture();
        Future<List<Object>> fut = Aio.gather(a, b, a, a);
        assertEquals("GatheringFuture[pending, 0/2 children done]", fut.toString());
        a.setResult(1);
        b.setResult(2);
        runLoop(loop);
        assertEquals(List.of(1, 2, 1, 1), fut.result());
    }

    // aio4j-only: cancelling gather() cancels every child that is not done, with the message.
    @Test
    void gatherCancelCancelsChildren() {
        List<String> trail = Collections.synchronizedList(new ArrayList<>());
        Loops.runVirtual(() -> {
            Task<String> done = Aio.createTask(() -> "early");
            Task<String> sleeping = Aio.createTask(() -> {
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    trail.add("sleeping: " + e.getMessage());
                    throw e;
                }
                return "late";
            });
            Aio.sleep(0);
            Future<List<String>> g = Aio.gather(done, sleeping);
            assertTrue(g.cancel("enough"));
            CancelledError e = assertThrows(CancelledError.class, g::await);
            assertEquals("enough", e.getMessage());
            assertTrue(g.done());
            assertFalse(g.cancelled(), "like asyncio, the gather future holds the CancelledError as its exception");
            assertFalse(done.cancelled());
            assertTrue(sleeping.cancelled());
            assertEquals(0.0, TestClocks.elapsed(Aio.getRunningLoop()));
            return null;
        });
        assertEquals(List.of("sleeping: enough"), trail);
    }

    // ================================================================== cancel gather (BaseTaskTests)

    @Test
    void cancelGather1() {
        Future<Integer> fut = loop.createFuture();
        Future<List<Integer>> gatherTask = loop.runUntilComplete(loop.createTask(() -> {
            Coroutine<Integer> childCoro = fut::await; // so the gather is not done together with fut
            return Aio.gather(childCoro);
        }));
        AtomicReference<Boolean> cancelResult = new AtomicReference<>();
        fut.addDoneCallback(f -> cancelResult.set(gatherTask.cancel()));
        fut.setResult(42); // the callback runs once fut is done
        loop.runUntilComplete(gatherTask);
        assertEquals(false, cancelResult.get(), "a gather whose children are all done refuses to be cancelled");
        assertFalse(gatherTask.cancelled());
        assertEquals(List.of(42), gatherTask.result());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "my message")
    void cancelGather2(String msg) {
        Task<Void> main = loop.createTask(() -> {
            Task<Void> qwe = Aio.createTask(() -> {
                double time = 0;
                while (true) {
                    time += 0.05;
                    Aio.gatherReturnExceptions(Aio.createTask(() -> {
                        Aio.sleep(0.05);
                        return null;
                    })).await();
                    if (time > 1) {
                        return null;
                    }
                }
            });
            Aio.sleep(0.2);
            qwe.cancel(msg);
            qwe.await();
            return null;
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main),
                "gather() propagates the CancelledError of its cancelled caller");
        assertEquals(msg, e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertEquals(CancelledError.class, t.getClass());
            assertEquals(msg, t.getMessage());
        }
    }

    // ================================================================== shield

    @Test
    void shieldResult() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        inner.setResult(42);
        assertEquals(42, loop.runUntilComplete(outer));
    }

    @Test
    void shieldException() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        runBriefly(loop);
        IllegalStateException exc = new IllegalStateException("expected");
        inner.setException(exc);
        runBriefly(loop);
        assertSame(exc, outer.exception());
        assertSame(exc, inner.exception());
    }

    @Test
    void shieldCancelInner() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        runBriefly(loop);
        inner.cancel("inner gone");
        runBriefly(loop);
        assertTrue(outer.cancelled());
        assertEquals("inner gone", assertThrows(CancelledError.class, outer::result).getMessage());
    }

    @Test
    void shieldCancelOuter() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        runBriefly(loop);
        assertTrue(outer.cancel());
        runBriefly(loop);
        assertTrue(outer.cancelled());
        assertFalse(inner.cancelled());
        assertEquals(0, outer.callbackCount());
        assertEquals(0, inner.callbackCount(), "the shield let go of the inner future");
    }

    @Test
    void shieldCancelOuterResult() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        runBriefly(loop);
        outer.cancel();
        runBriefly(loop);
        inner.setResult(1);
        runBriefly(loop);
        loop.close();
        handler.assertNothingReported();
    }

    // CPython 3.14 reports at once ("Exception exception in shielded future"); aio4j reports the
    // inner exception nobody retrieved when the loop closes (or the future is collected).
    @Test
    void shieldCancelOuterException() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        runBriefly(loop);
        outer.cancel();
        runBriefly(loop);
        IllegalStateException exc = new IllegalStateException("foo");
        inner.setException(exc);
        runBriefly(loop);
        loop.close();
        List<ExceptionContext> reports = handler.contexts();
        assertEquals(1, reports.size(), () -> "reports: " + handler.messages());
        assertSame(exc, reports.get(0).exception());
        assertEquals("Future exception was never retrieved: Future[finished exception=java.lang.IllegalStateException: foo]",
                reports.get(0).message());
        handler.clear();
    }

    @Test
    void shieldDuplicateLogOnce() {
        Future<Integer> inner = loop.createFuture();
        Future<Integer> outer = Aio.shield(inner);
        runBriefly(loop);
        outer.cancel();
        runBriefly(loop);
        outer = Aio.shield(inner);
        runBriefly(loop);
        outer.cancel();
        runBriefly(loop);
        IllegalStateException exc = new IllegalStateException("foo");
        inner.setException(exc);
        runBriefly(loop);
        loop.close();
        List<ExceptionContext> reports = handler.contexts();
        assertEquals(1, reports.size(), () -> "reports: " + handler.messages());
        assertSame(exc, reports.get(0).exception());
        handler.clear();
    }

    @Test
    void shieldShortcut() {
        Future<Integer> fut = loop.createFuture();
        fut.setResult(42);
        Future<Integer> shielded = Aio.shield(fut);
        assertSame(fut, shielded, "a done future needs no shield");
        assertEquals(42, loop.runUntilComplete(shielded));
    }

    @Test
    void shieldEffect() {
        AtomicInteger proof = new AtomicInteger();
        Future<Void> waiter = loop.createFuture();
        Coroutine<Void> inner = () -> {
            waiter.await();
            proof.incrementAndGet();
            return null;
        };
        Task<Void> f = loop.createTask(() -> {
            Aio.shield(inner).await();
            proof.addAndGet(100);
            return null;
        });
        runBriefly(loop);
        assertTrue(f.cancel());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(f));
        waiter.setResult(null);
        runLoop(loop);
        assertEquals(1, proof.get());
        assertFalse(waiter.cancelled());
    }

    @Test
    void shieldGather() {
        Future<Integer> child1 = loop.createFuture();
        Future<Integer> child2 = loop.createFuture();
        Future<List<Integer>> parent = Aio.gather(child1, child2);
        Future<List<Integer>> outer = Aio.shield(parent);
        runBriefly(loop);
        assertTrue(outer.cancel());
        runBriefly(loop);
        assertTrue(outer.cancelled());
        child1.setResult(1);
        child2.setResult(2);
        runLoop(loop);
        assertEquals(List.of(1, 2), parent.result());
    }

    @Test
    void gatherShield() {
        Future<Integer> child1 = loop.createFuture();
        Future<Integer> child2 = loop.createFuture();
        Future<Integer> inner1 = Aio.shield(child1);
        Future<Integer> inner2 = Aio.shield(child2);
        Future<List<Integer>> parent = Aio.gather(inner1, inner2);
        runBriefly(loop);
        assertTrue(parent.cancel());
        // this cancels inner1 and inner2, not child1 and child2
        runBriefly(loop);
        assertInstanceOf(CancelledError.class, parent.exception());
        assertTrue(inner1.cancelled());
        assertTrue(inner2.cancelled());
        assertFalse(child1.cancelled());
        assertFalse(child2.cancelled());
        child1.setResult(1);
        child2.setResult(2);
        runLoop(loop);
        assertEquals(1, child1.result());
    }

    @Test
    void shieldCoroutineWithoutLoop() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.shield(() -> 42));
        assertTrue(e.getMessage().startsWith("no running event loop in thread '"), e.getMessage());
    }

    @Test
    void shieldCoroutineUseRunningLoop() {
        Future<Integer> outer = loop.runUntilComplete(() -> Aio.shield(() -> 42));
        assertSame(loop, outer.getLoop());
        assertEquals(42, loop.runUntilComplete(outer));
    }

    // aio4j-only: an awaiting task that is cancelled gets CancelledError, the shielded task finishes.
    @Test
    void shieldedTaskOutlivesCancelledAwaiter() {
        List<String> trail = new ArrayList<>();
        Loops.runVirtual(() -> {
            Task<String> work = Aio.createTask(() -> {
                Aio.sleep(2);
                trail.add("work done at " + TestClocks.elapsed(Aio.getRunningLoop()));
                return "result";
            });
            Task<String> awaiter = Aio.createTask(() -> Aio.shield(work).await());
            Aio.sleep(1);
            awaiter.cancel("impatient");
            CancelledError e = assertThrows(CancelledError.class, awaiter::await);
            assertEquals("impatient", e.getMessage());
            trail.add("awaiter cancelled at " + TestClocks.elapsed(Aio.getRunningLoop()));
            assertEquals("result", work.await());
            return null;
        });
        assertEquals(List.of("awaiter cancelled at 1.0", "work done at 2.0"), trail);
    }
}
