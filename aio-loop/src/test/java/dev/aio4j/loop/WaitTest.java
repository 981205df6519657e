package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops.Body;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static dev.aio4j.loop.test.Loops.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the {@code wait} and {@code as_completed} tests of
 * {@code Lib/test/test_asyncio/test_tasks.py} ({@code BaseTaskTests.test_wait*},
 * {@code test_as_completed*}) and the {@code to_thread} tests of
 * {@code Lib/test/test_asyncio/test_threads.py}, for {@link Aio#wait}, {@link Aio#asCompleted}
 * and {@link Aio#toThread}.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaitTest {

    static <T> Task<T> sleeper(double delay, T result) {
        return Aio.createTask(() -> Aio.sleep(delay, result));
    }

    static Task<String> failAfter(double delay, RuntimeException e) {
        return Aio.createTask(() -> {
            Aio.sleep(delay);
            throw e;
        });
    }

    // ============================================================================ wait

    @Test
    void waitAllCompleted() throws Exception { // test_wait
        inLoop(() -> {
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = sleeper(0.15, "b");
            WaitResult<String> r = Aio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), r.done());
            assertEquals(Set.of(), r.pending());
            assertEquals(0.15, now());
            // again: nothing to wait for, no time passes
            r = Aio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), r.done());
            assertEquals(0.15, now());
        });
    }

    @Test
    void waitDuplicateCoroutines() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.01, "test");
            WaitResult<String> r = Aio.wait(List.of(a, a));
            assertEquals(1, r.done().size());
            assertEquals(Set.of(a), r.done());
            assertEquals("test", a.result());
        });
    }

    @Test
    void waitErrors() throws Exception {
        inLoop(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Aio.wait(List.<Future<Object>>of()));
            assertEquals("Aio.wait() was given an empty collection of futures", e.getMessage());
            Task<Object> t = sleeper(1, null);
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> Aio.wait(List.of(t), 1, null));
            assertEquals("returnWhen must not be null", npe.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Aio.wait(List.of(t), Double.NaN, ReturnWhen.ALL_COMPLETED));
            assertEquals("timeoutSeconds must be a number of seconds or +Infinity for none, got NaN", e.getMessage());
            t.cancel();
        });
    }

    @Test
    void waitOutsideTaskRefused() { // aio4j-only
        EventLoop loop = Loops.virtualLoop();
        try {
            Future<Object> f = loop.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.wait(List.of(f)));
            assertTrue(e.getMessage().startsWith("Aio.wait() called outside a task"), e.getMessage());
        } finally {
            loop.close();
        }
    }

    @Test
    void waitFuturesOfDifferentLoopsRefused() throws Exception { // aio4j-only
        EventLoop other = Loops.virtualLoop();
        try {
            inLoop(() -> {
                Future<Object> mine = Aio.getRunningLoop().createFuture();
                Future<Object> theirs = other.createFuture();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Aio.wait(List.of(mine, theirs)));
                assertTrue(e.getMessage().startsWith("Aio.wait() was given futures of different loops"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> Aio.wait(List.of(theirs)));
                assertTrue(e.getMessage().startsWith("Aio.wait() was given futures of another loop"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> Aio.asCompleted(List.of(mine, theirs)));
                assertTrue(e.getMessage().startsWith("Aio.asCompleted() was given futures of different loops"),
                        e.getMessage());
            });
        } finally {
            other.close();
        }
    }

    @Test
    void waitFirstCompleted() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(10.0, "a");
            Task<String> b = sleeper(0.1, "b");
            WaitResult<String> r = Aio.wait(List.of(b, a), Double.POSITIVE_INFINITY, ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertFalse(a.done(), "wait() does not cancel what is pending");
            assertTrue(b.done());
            assertEquals("b", b.result());
            assertEquals(0.1, now());
            a.cancel();
        });
    }

    @Test
    void waitReallyDone() throws Exception {
        // futures that finished in the same iteration as the first one are reported done too
        inLoop(() -> {
            Task<Object> a = Aio.createTask(() -> Aio.sleep(0, null));
            Task<Object> b = Aio.createTask(() -> {
                Aio.sleep(0);
                return Aio.sleep(0, null);
            });
            WaitResult<Object> r = Aio.wait(List.of(b, a), Double.POSITIVE_INFINITY, ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(a, b), r.done());
            assertEquals(Set.of(), r.pending());
            assertNull(a.result());
            assertNull(b.result());
        });
    }

    @Test
    void waitFirstException() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(10.0, "a");
            ArithmeticException err = new ArithmeticException("err");
            Task<String> b = Aio.createTask(() -> {
                throw err;
            });
            WaitResult<String> r = Aio.wait(List.of(b, a), Double.POSITIVE_INFINITY, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertSame(err, b.exception());
            assertEquals(0.0, now());
            a.cancel();
        });
    }

    @Test
    void waitFirstExceptionInWait() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(10.0, "a");
            Task<String> b = failAfter(0.01, new ArithmeticException("err"));
            WaitResult<String> r = Aio.wait(List.of(b, a), Double.POSITIVE_INFINITY, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertInstanceOf(ArithmeticException.class, b.exception());
            assertEquals(0.01, now());
            a.cancel();
        });
    }

    @Test
    void waitFirstExceptionIgnoresSuccessesAndCancellations() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<String> ok = sleeper(0.1, "ok");
            Task<String> cancelled = sleeper(5, "never");
            Task<String> bad = failAfter(0.3, new IllegalStateException("bad"));
            Task<String> slow = sleeper(10, "slow");
            Aio.getRunningLoop().callLater(0.2, () -> cancelled.cancel());
            WaitResult<String> r = Aio.wait(List.of(ok, cancelled, bad, slow), Double.POSITIVE_INFINITY,
                    ReturnWhen.FIRST_EXCEPTION);
            assertEquals(0.3, now());
            assertEquals(Set.of(ok, cancelled, bad), r.done());
            assertEquals(Set.of(slow), r.pending());
            assertTrue(cancelled.cancelled());
            assertInstanceOf(IllegalStateException.class, bad.exception());
            slow.cancel();
        });
    }

    @Test
    void waitFirstExceptionWithoutExceptionWaitsForAll() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = sleeper(0.2, "b");
            WaitResult<String> r = Aio.wait(List.of(a, b), Double.POSITIVE_INFINITY, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(a, b), r.done());
            assertEquals(0.2, now());
        });
    }

    @Test
    void waitWithException() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = failAfter(0.15, new ArithmeticException("really"));
            WaitResult<String> r = Aio.wait(List.of(b, a));
            assertEquals(2, r.done().size());
            assertEquals(Set.of(), r.pending());
            long errors = r.done().stream().filter(f -> f.exception() != null).count();
            assertEquals(1, errors);
            assertEquals(0.15, now());
        });
    }

    @Test
    void waitWithTimeout() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = sleeper(0.15, "b");
            WaitResult<String> r = Aio.wait(List.of(b, a), 0.11, ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            assertEquals(0.11, now(), "wait() returns at the timeout, without TimeoutError");
            // and b was not cancelled
            assertEquals("b", b.await());
            assertEquals(0.15, now());
        });
    }

    @Test
    void waitConcurrentComplete() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = sleeper(0.15, "b");
            // as CPython runs wait() in a task of its own: a's timer comes first
            WaitResult<String> r = Aio.createTask(() -> Aio.wait(List.of(b, a), 0.1, ReturnWhen.ALL_COMPLETED)).await();
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            b.cancel();
        });
    }

    @Test
    void waitZeroTimeoutReportsCurrentState() throws Exception { // aio4j-only
        inLoop(() -> {
            Future<String> done = Aio.getRunningLoop().createFuture();
            done.setResult("x");
            Task<String> pending = sleeper(1, "p");
            WaitResult<String> r = Aio.wait(List.of(done, pending), 0, ReturnWhen.ALL_COMPLETED);
            assertEquals(Set.of(done), r.done());
            assertEquals(Set.of(pending), r.pending());
            assertEquals(0.0, now());
            pending.cancel();
        });
    }

    @Test
    void waitResultKeepsInputOrder() throws Exception { // aio4j-only: WaitResult's sets iterate in the order given
        inLoop(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ts.add(sleeper(0.1 * (5 - i), i));
            }
            WaitResult<Integer> r = Aio.wait(ts);
            assertEquals(new ArrayList<>(ts), new ArrayList<>(r.done()));
            assertThrows(UnsupportedOperationException.class, () -> r.done().clear());
        });
    }

    @Test
    void waitCancelledLeavesFuturesAlone() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<String> a = sleeper(1, "a");
            Task<WaitResult<String>> waiter = Aio.createTask(() -> Aio.wait(List.of(a)));
            Aio.sleep(0.5);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertFalse(a.done());
            assertEquals("a", a.await());
            assertEquals(1.0, now());
        });
    }

    // ====================================================================== as_completed

    @Test
    void asCompleted() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.01, "a");
            Task<String> b = sleeper(0.01, "b");
            Task<String> c = sleeper(0.15, "c");
            List<String> values = new ArrayList<>();
            for (Future<String> f : Aio.asCompleted(List.of(b, c, a))) {
                values.add(f.await());
            }
            assertEquals(0.15, now());
            assertTrue(values.subList(0, 2).containsAll(List.of("a", "b")), values.toString());
            assertEquals("c", values.get(2));
        });
    }

    @Test
    void asCompletedInCompletionOrder() throws Exception { // aio4j-only: strictly by completion, not by input order
        inLoop(() -> {
            Task<String> c = sleeper(0.3, "c");
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = sleeper(0.2, "b");
            List<String> values = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            for (Future<String> f : Aio.asCompleted(List.of(c, a, b))) {
                assertTrue(f.done(), "next() returns a future that is done");
                values.add(f.result());
                times.add(now());
            }
            assertEquals(List.of("a", "b", "c"), values);
            assertEquals(List.of(0.1, 0.2, 0.3), times);
        });
    }

    @Test
    void asCompletedWithTimeout() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.1, "a");
            Task<String> b = sleeper(0.15, "b");
            List<String> values = new ArrayList<>();
            Iterator<Future<String>> it = Aio.asCompleted(List.of(a, b), 0.12).iterator();
            values.add(it.next().result());
            assertTrue(it.hasNext());
            TimeoutError e = assertThrows(TimeoutError.class, it::next);
            assertEquals("Aio.asCompleted() timed out after 0.12 seconds with 1 future(s) still pending", e.getMessage());
            assertEquals(List.of("a"), values);
            assertEquals(0.12, now());
            assertFalse(b.done(), "the timeout does not cancel the futures");
            assertThrows(TimeoutError.class, it::next); // and it stays timed out
            b.cancel();
        });
    }

    @Test
    void asCompletedWithUnusedTimeout() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.01, "a");
            for (Future<String> f : Aio.asCompleted(List.of(a), 1)) {
                assertEquals("a", f.await());
            }
            assertEquals(0.01, now());
        });
    }

    @Test
    void asCompletedDuplicateCoroutines() throws Exception {
        inLoop(() -> {
            Task<String> a = sleeper(0.01, "ok");
            Task<String> b = sleeper(0.02, "ok2");
            List<String> values = new ArrayList<>();
            for (Future<String> f : Aio.asCompleted(List.of(a, a, b))) {
                values.add(f.result());
            }
            assertEquals(List.of("ok", "ok2"), values);
        });
    }

    @Test
    void asCompletedIsSingleUse() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<String> a = sleeper(0.01, "a");
            Iterable<Future<String>> fs = Aio.asCompleted(List.of(a));
            Iterator<Future<String>> it = fs.iterator();
            IllegalStateException e = assertThrows(IllegalStateException.class, fs::iterator);
            assertEquals("Aio.asCompleted() returns a single-use iterable; call it again for a new one", e.getMessage());
            assertSame(a, it.next());
            assertFalse(it.hasNext());
            NoSuchElementException nse = assertThrows(NoSuchElementException.class, it::next);
            assertEquals("Aio.asCompleted(): every future has been returned", nse.getMessage());
        });
    }

    @Test
    void asCompletedEmpty() throws Exception { // aio4j-only
        inLoop(() -> {
            Iterator<Future<Object>> it = Aio.asCompleted(List.<Future<Object>>of(), 1).iterator();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        });
    }

    @Test
    void asCompletedYieldsFailedAndCancelledFutures() throws Exception { // aio4j-only
        inLoop(() -> {
            Future<String> done = Aio.getRunningLoop().createFuture();
            done.setResult("already");
            Task<String> failed = failAfter(0.2, new IllegalStateException("x"));
            Task<String> cancelled = sleeper(5, "never");
            Aio.getRunningLoop().callLater(0.1, () -> cancelled.cancel());
            List<Future<String>> order = new ArrayList<>();
            for (Future<String> f : Aio.asCompleted(List.of(failed, cancelled, done))) {
                order.add(f);
            }
            assertEquals(List.of(done, cancelled, failed), order);
            assertThrows(CancelledError.class, cancelled::result);
            assertThrows(IllegalStateException.class, failed::result);
        });
    }

    @Test
    void asCompletedNextCancelledLeavesIteratorUsable() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<String> a = sleeper(1, "a");
            Task<String> b = sleeper(2, "b");
            Iterator<Future<String>> it = Aio.asCompleted(List.of(a, b)).iterator();
            Task<Future<String>> first = Aio.createTask(it::next);
            Aio.sleep(0.5);
            first.cancel();
            assertThrows(CancelledError.class, first::await);
            assertFalse(a.done(), "cancelling next() does not cancel the futures");
            assertSame(a, it.next());
            assertSame(b, it.next());
            assertEquals(2.0, now());
        });
    }

    // ========================================================================= to_thread

    @Test
    void toThread() throws Exception {
        inLoop(() -> {
            Thread loopSide = Thread.currentThread();
            Thread[] ran = {null};
            String r = Aio.toThread(() -> {
                ran[0] = Thread.currentThread();
                return "from " + Thread.currentThread().getName();
            });
            assertNotSame(loopSide, ran[0]);
            assertTrue(r.startsWith("from aio4j-executor-"), r);
            assertEquals(0.0, now(), "waiting for a thread takes no virtual time");
        });
    }

    @Test
    void toThreadOnce() throws Exception {
        inLoop(() -> {
            AtomicInteger calls = new AtomicInteger();
            Aio.toThread(calls::incrementAndGet);
            assertEquals(1, calls.get());
        });
    }

    @Test
    void toThreadConcurrent() throws Exception {
        inLoop(() -> {
            AtomicInteger calls = new AtomicInteger();
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ts.add(Aio.createTask(() -> Aio.toThread(calls::incrementAndGet)));
            }
            List<Integer> r = Aio.gather(ts).await();
            assertEquals(10, calls.get());
            assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Set.copyOf(r));
        });
    }

    @Test
    void toThreadException() throws Exception { // aio4j-only
        inLoop(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Aio.toThread(() -> {
                throw boom;
            })));
            IOException io = new IOException("io");
            IOException e = assertThrows(IOException.class, () -> Aio.toThread(() -> {
                throw io;
            }));
            assertSame(io, e);
        });
    }

    @Test
    void toThreadCancelledWhileRunning() throws Exception { // aio4j-only: the caller gets CancelledError; the job runs on
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        inLoop(() -> {
            Task<String> t = Aio.createTask(() -> Aio.toThread(() -> {
                started.countDown();
                release.await(10, TimeUnit.SECONDS);
                finished.incrementAndGet();
                return "dropped";
            }));
            while (started.getCount() > 0) {
                Aio.toThread(() -> started.await(10, TimeUnit.SECONDS)); // let the job start
            }
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertEquals(0, finished.get());
            release.countDown();
        });
        assertEquals(1, finished.get(), "Aio.run() waited for the job at shutdown");
    }

    @Test
    void toThreadOutsideTaskRefused() { // aio4j-only
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.toThread(() -> 1));
        assertTrue(e.getMessage().startsWith("Aio.toThread() called outside a task"), e.getMessage());
    }
}
