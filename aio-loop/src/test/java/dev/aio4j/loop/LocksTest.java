package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops.Body;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.Steps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static dev.aio4j.loop.test.Loops.task;
import static dev.aio4j.loop.test.Loops.ticks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors {@code Lib/test/test_asyncio/test_locks.py}: {@code LockTests}, {@code EventTests},
 * {@code ConditionTests}, {@code SemaphoreTests} and {@code BarrierTests}, one nested class each.
 * Every test runs on a loop with a virtual clock.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LocksTest {

    // =====================================================================================
    @Nested
    class LockTests {

        @Test
        void repr() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                assertEquals("Lock[unlocked]", lock.toString());
                lock.acquire();
                String me = Aio.currentTask().getName();
                assertEquals("Lock[locked by " + me + "]", lock.toString());
                Task<Object> t = task("w", lock::acquire);
                ticks(1);
                assertEquals("Lock[locked by " + me + ", waiters=1]", lock.toString());
                t.cancel();
                ticks(1);
                assertEquals("Lock[locked by " + me + "]", lock.toString());
                lock.release();
                assertEquals("Lock[unlocked]", lock.toString());
            });
        }

        @Test
        void lock() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                assertFalse(lock.locked());
                assertTrue(lock.acquire());
                assertTrue(lock.locked());
                lock.release();
                assertFalse(lock.locked());
            });
        }

        @Test
        void acquire() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                List<Integer> result = new ArrayList<>();
                assertTrue(lock.acquire());
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    ts.add(task("c" + n, () -> {
                        lock.acquire();
                        result.add(n);
                        lock.release();
                    }));
                }
                ticks(1);
                assertEquals(List.of(), result);
                lock.release();
                ticks(1);
                assertEquals(List.of(1), result);
                // c1 released, which woke c2 (and only c2)
                ticks(1);
                assertEquals(List.of(1, 2), result);
                ticks(1);
                assertEquals(List.of(1, 2, 3), result);
                for (Task<Object> t : ts) {
                    assertTrue(t.done());
                    assertNull(t.result());
                }
                assertFalse(lock.locked());
            });
        }

        @Test
        void acquireFifoWhileHeldAcrossSleeps() throws Exception { // aio4j-only: FIFO with holders that suspend
            inLoop(() -> {
                Lock lock = new Lock();
                List<String> order = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    String name = "t" + i;
                    ts.add(task(name, () -> {
                        Aio.sleep(0.001 * (5 - Integer.parseInt(name.substring(1)))); // arrive t4 first
                        try (Acquired held = lock.hold()) {
                            order.add(name + "+");
                            Aio.sleep(1);
                            order.add(name + "-");
                        }
                    }));
                }
                Aio.gather(ts).await();
                assertEquals(List.of("t4+", "t4-", "t3+", "t3-", "t2+", "t2-", "t1+", "t1-", "t0+", "t0-"), order);
            });
        }

        @Test
        void acquireCancel() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                assertTrue(lock.acquire());
                Task<Object> t = task("waiter", lock::acquire);
                ticks(1);
                assertTrue(t.cancel());
                assertThrows(CancelledError.class, t::await);
                assertTrue(t.cancelled());
                assertTrue(lock.locked());
                assertFalse(lock.toString().contains("waiters"), lock.toString());
                lock.release();
                assertFalse(lock.locked());
            });
        }

        @Test
        void cancelRace() throws Exception {
            // A holds the lock and is about to release it; B and C wait. B is cancelled in the same
            // loop iteration in which A releases: the lock must go to C.
            inLoop(() -> {
                Lock lock = new Lock();
                Future<Void> fa = Aio.getRunningLoop().createFuture();
                Task<Object> ta = task("A", () -> {
                    lock.acquire();
                    try {
                        fa.await();
                    } finally {
                        lock.release();
                    }
                });
                ticks(1);
                assertTrue(lock.locked());
                Task<Object> tb = task("B", () -> {
                    lock.acquire();
                    lock.release();
                });
                ticks(1);
                Task<Object> tc = task("C", () -> {
                    lock.acquire();
                    lock.release();
                });
                ticks(1);
                assertTrue(lock.toString().endsWith("waiters=2]"), lock.toString());

                fa.setResult(null);
                tb.cancel();
                ticks(1);
                assertTrue(ta.done());
                assertTrue(tb.cancelled());
                tc.await();
                assertFalse(lock.locked());
            });
        }

        @Test
        void cancelReleaseRace() throws Exception {
            // bpo-32734: four acquirers, cancel the second, release the first: only one may get it.
            inLoop(() -> {
                Lock lock = new Lock();
                AtomicInteger lockCount = new AtomicInteger();
                AtomicInteger callCount = new AtomicInteger();
                Body lockit = () -> {
                    callCount.incrementAndGet();
                    lock.acquire();
                    lockCount.incrementAndGet();
                };
                lock.acquire();
                Task<Object> t1 = task("t1", lockit);
                Task<Object> t2 = task("t2", lockit);
                Task<Object> t3 = task("t3", lockit);
                ticks(1);
                // asyncio releases from a callback; here the holder (this task) must release
                t1.cancel();
                lock.release();
                assertThrows(CancelledError.class, t1::await);
                ticks(2);
                assertEquals(1, lockCount.get(), "only one task may take the lock");
                assertEquals(3, callCount.get());
                assertTrue(t1.cancelled());
                assertTrue(t2.done());
                assertFalse(t3.done());
                t3.cancel();
                ticks(1);
                assertTrue(t3.cancelled());
            });
        }

        @Test
        void cancelRaceWithHoldersThatSuspend() throws Exception { // aio4j-only: the same race, seen as mutual exclusion
            inLoop(() -> {
                Lock lock = new Lock();
                int[] inside = {0};
                int[] maxInside = {0};
                List<String> entered = new ArrayList<>();
                Future<Void> fa = Aio.getRunningLoop().createFuture();
                Task<Object> ta = task("A", () -> {
                    try (Acquired held = lock.hold()) {
                        fa.await();
                    }
                });
                ticks(1);
                List<Task<Object>> ws = new ArrayList<>();
                for (String name : List.of("B", "C", "D")) {
                    ws.add(task(name, () -> {
                        try (Acquired held = lock.hold()) {
                            entered.add(name);
                            inside[0]++;
                            maxInside[0] = Math.max(maxInside[0], inside[0]);
                            Aio.sleep(0.1);
                            inside[0]--;
                        }
                    }));
                }
                ticks(1);
                fa.setResult(null);
                ws.get(0).cancel();
                ta.await();
                Object[] outcome = Aio.gatherReturnExceptions(ws.toArray(new Future<?>[0])).await().toArray();
                assertInstanceOf(CancelledError.class, outcome[0]);
                assertNull(outcome[1], String.valueOf(outcome[1]));
                assertNull(outcome[2], String.valueOf(outcome[2]));
                assertEquals(1, maxInside[0], "two tasks held the lock at once");
                assertEquals(List.of("C", "D"), entered);
                assertFalse(lock.locked());
            });
        }

        @Test
        void finishedWaiterCancelled() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                lock.acquire();
                Task<Object> tb = task("B", lock::acquire);
                ticks(1);
                assertTrue(lock.toString().endsWith("waiters=1]"), lock.toString());
                // create a second waiter, cancel the first, and release: the second must get the lock
                Task<Object> tc = task("C", lock::acquire);
                tb.cancel();
                lock.release();
                ticks(1);
                assertTrue(lock.locked());
                assertTrue(tb.cancelled());
                tc.await();
                assertEquals("Lock[locked by C]", lock.toString());
            });
        }

        @Test
        void wokenWaiterCancelledPassesLockOn() throws Exception { // aio4j-only: release first, then cancel the woken waiter
            inLoop(() -> {
                Lock lock = new Lock();
                lock.acquire();
                Task<Object> tb = task("B", lock::acquire);
                Task<Object> tc = task("C", lock::acquire);
                ticks(1);
                lock.release(); // wakes B
                tb.cancel();    // ... which is cancelled before it could run
                ticks(1);
                assertTrue(tb.cancelled());
                tc.await();
                assertTrue(tc.done());
                assertEquals("Lock[locked by C]", lock.toString());
            });
        }

        @Test
        void releaseNotAcquired() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
                assertEquals("Lock.release() called on a lock that is not acquired: Lock[unlocked]", e.getMessage());
            });
        }

        @Test
        void releaseByNonOwnerRefused() throws Exception { // aio4j-only: asyncio allows it
            inLoop(() -> {
                Lock lock = new Lock();
                lock.acquire();
                String me = Aio.currentTask().getName();
                Task<Object> other = task("intruder", lock::release);
                ticks(1);
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, other.exception());
                assertTrue(e.getMessage().startsWith("Lock.release() called by Task[name=intruder"), e.getMessage());
                assertTrue(e.getMessage().endsWith("but the lock is held by Task[name=" + me
                        + "]; only the holder may release it"), e.getMessage());
                assertTrue(lock.locked());
                // and from a loop callback
                Future<Throwable> fromCallback = Aio.getRunningLoop().createFuture();
                Aio.getRunningLoop().callSoon(() -> {
                    try {
                        lock.release();
                        fromCallback.setResult(null);
                    } catch (IllegalStateException err) {
                        fromCallback.setResult(err);
                    }
                });
                Throwable err = fromCallback.await();
                assertInstanceOf(IllegalStateException.class, err);
                assertTrue(err.getMessage().startsWith("Lock.release() called by a loop callback but the lock is held by"),
                        err.getMessage());
                assertTrue(lock.locked());
                lock.release();
                assertFalse(lock.locked());
            });
        }

        @Test
        void acquireOutsideTaskRefused() { // aio4j-only
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Lock().acquire());
            assertTrue(e.getMessage().startsWith("Lock.acquire() called outside a task"), e.getMessage());
        }

        @Test
        void releaseNoWaiters() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                lock.acquire();
                assertTrue(lock.locked());
                lock.release();
                assertFalse(lock.locked());
            });
        }

        @Test
        void contextManager() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                try (Acquired held = lock.hold()) {
                    assertTrue(lock.locked());
                }
                assertFalse(lock.locked());
            });
        }

        @Test
        void holdReleasesOnException() throws Exception { // aio4j-only: async with releases on the way out of an error
            inLoop(() -> {
                Lock lock = new Lock();
                IllegalArgumentException boom = new IllegalArgumentException("boom");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                    try (Acquired held = lock.hold()) {
                        assertTrue(lock.locked());
                        throw boom;
                    }
                });
                assertSame(boom, e);
                assertEquals(0, e.getSuppressed().length);
                assertFalse(lock.locked());
            });
        }

        @Test
        void holdReleasesOnCancellation() throws Exception { // aio4j-only
            inLoop(() -> {
                Lock lock = new Lock();
                Steps steps = new Steps();
                Task<Object> t = task("holder", () -> {
                    try (Acquired held = lock.hold()) {
                        steps.expect(1);
                        Aio.sleep(10);
                        steps.expectUnreached();
                    }
                });
                ticks(1);
                assertTrue(lock.locked());
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                steps.finish(2);
                assertFalse(lock.locked());
            });
        }

        @Test
        void boundToOneLoop() throws Exception { // aio4j-only: asyncio's _LoopBoundMixin
            Lock lock = new Lock();
            Loops.assertBoundToFirstLoop("Lock", () -> {
                lock.acquire();
                Task<Object> waiter = task("waiter", () -> {
                    lock.acquire();
                    lock.release();
                });
                ticks(1);
                lock.release();
                waiter.await();
            });
        }
    }

    // =====================================================================================
    @Nested
    class EventTests {

        @Test
        void repr() throws Exception {
            inLoop(() -> {
                Event ev = new Event();
                assertEquals("Event[unset]", ev.toString());
                ev.set();
                assertEquals("Event[set]", ev.toString());
                ev.clear();
                Task<Object> t = task("w", ev::await);
                ticks(1);
                assertEquals("Event[unset, waiters=1]", ev.toString());
                t.cancel();
                ticks(1);
                assertEquals("Event[unset]", ev.toString());
            });
        }

        @Test
        void waitWakesAllWaiters() throws Exception { // test_wait
            inLoop(() -> {
                Event ev = new Event();
                assertFalse(ev.isSet());
                List<Integer> result = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    ts.add(task("c" + n, () -> {
                        assertTrue(ev.await());
                        result.add(n);
                    }));
                }
                ticks(1);
                assertEquals(List.of(), result);
                assertEquals("Event[unset, waiters=3]", ev.toString());
                ev.set();
                assertTrue(ev.isSet());
                ticks(1);
                assertEquals(List.of(1, 2, 3), result);
                for (Task<Object> t : ts) {
                    assertTrue(t.done());
                }
                assertEquals("Event[set]", ev.toString());
            });
        }

        @Test
        void waitOnSet() throws Exception {
            inLoop(() -> {
                Event ev = new Event();
                ev.set();
                Steps steps = new Steps();
                Task<Object> other = task("other", () -> steps.expect(3));
                steps.expect(1);
                assertTrue(ev.await()); // returns at once, without a turn of the loop
                steps.expect(2);
                other.await();
                steps.finish(4);
            });
        }

        @Test
        void waitCancel() throws Exception {
            inLoop(() -> {
                Event ev = new Event();
                Task<Object> w = task("w", ev::await);
                ticks(1);
                w.cancel();
                assertThrows(CancelledError.class, w::await);
                assertTrue(w.cancelled());
                assertFalse(ev.isSet());
                assertEquals("Event[unset]", ev.toString());
            });
        }

        @Test
        void clear() throws Exception {
            inLoop(() -> {
                Event ev = new Event();
                assertFalse(ev.isSet());
                ev.set();
                assertTrue(ev.isSet());
                ev.clear();
                assertFalse(ev.isSet());
            });
        }

        @Test
        void clearWithWaiters() throws Exception {
            inLoop(() -> {
                Event ev = new Event();
                List<Integer> result = new ArrayList<>();
                Task<Boolean> t = Aio.createTask(() -> {
                    if (ev.await()) {
                        result.add(1);
                    }
                    return true;
                });
                ticks(1);
                assertEquals(List.of(), result);
                ev.set();
                ev.clear(); // the waiter was already woken: it still returns
                assertFalse(ev.isSet());
                ev.set();
                ev.set();
                assertEquals("Event[set, waiters=1]", ev.toString());
                ticks(1);
                assertEquals(List.of(1), result);
                assertEquals("Event[set]", ev.toString());
                assertTrue(t.done());
                assertTrue(t.result());
            });
        }

        @Test
        void clearBeforeWaiterRunsDoesNotBlockLaterWaiters() throws Exception { // aio4j-only
            inLoop(() -> {
                Event ev = new Event();
                Task<Object> w1 = task("w1", ev::await);
                ticks(1);
                ev.set();
                ev.clear();
                Task<Object> w2 = task("w2", ev::await);
                ticks(2);
                assertTrue(w1.done());
                assertFalse(w2.done(), "a waiter that arrived after clear() must wait for the next set()");
                ev.set();
                w2.await();
            });
        }

        @Test
        void boundToOneLoop() throws Exception { // aio4j-only: asyncio's _LoopBoundMixin
            Event event = new Event();
            Loops.assertBoundToFirstLoop("Event", () -> {
                event.clear();
                Task<Object> waiter = task("waiter", event::await);
                ticks(1);
                event.set();
                waiter.await();
            });
        }
    }

    // =====================================================================================
    @Nested
    class ConditionTests {

        @Test
        void waitSignalsInOrder() throws Exception { // test_wait
            inLoop(() -> {
                Condition cond = new Condition();
                List<Integer> result = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    ts.add(task("c" + n, () -> {
                        cond.acquire();
                        if (cond.await()) {
                            result.add(n);
                        }
                        cond.release();
                    }));
                }
                ticks(1);
                assertEquals(List.of(), result);
                assertFalse(cond.locked());

                assertTrue(cond.acquire());
                cond.signal();
                ticks(1);
                assertEquals(List.of(), result); // c1 woke but waits for the lock
                assertTrue(cond.locked());
                cond.release();
                ticks(1);
                assertEquals(List.of(1), result);

                cond.acquire();
                cond.signal(2);
                cond.release();
                ticks(3);
                assertEquals(List.of(1, 2, 3), result);
                for (Task<Object> t : ts) {
                    assertTrue(t.done());
                }
                assertFalse(cond.locked());
            });
        }

        @Test
        void waitCancel() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                boolean[] lockedOnCancel = {false};
                Task<Object> w = task("w", () -> {
                    cond.acquire();
                    try {
                        cond.await();
                    } catch (CancelledError e) {
                        lockedOnCancel[0] = cond.locked() && cond.toString().equals("Condition[locked]");
                        throw e;
                    } finally {
                        cond.release(); // only legal if await() re-acquired the lock for us
                    }
                });
                ticks(1);
                assertFalse(cond.locked());
                w.cancel();
                assertThrows(CancelledError.class, w::await);
                assertTrue(lockedOnCancel[0], "the lock must be re-acquired before CancelledError propagates");
                assertEquals("Condition[unlocked]", cond.toString());
            });
        }

        @Test
        void waitCancelContested() throws Exception {
            // await() must re-acquire the lock even if cancelled while waiting for it
            inLoop(() -> {
                Condition cond = new Condition();
                Steps steps = new Steps();
                Task<Object> w = task("w", () -> {
                    cond.acquire();
                    try {
                        steps.expect(1);
                        cond.await();
                        steps.expectUnreached();
                    } catch (CancelledError e) {
                        steps.expect(3);
                        assertTrue(cond.locked());
                        throw e;
                    } finally {
                        cond.release();
                    }
                });
                ticks(1);
                assertFalse(cond.locked());
                cond.acquire();
                cond.signal(); // w is woken but must wait for the lock, which we hold
                ticks(1);
                w.cancel();    // cancel it while it waits for the lock
                ticks(1);
                steps.expect(2);
                assertFalse(w.done());
                cond.release();
                assertThrows(CancelledError.class, w::await);
                steps.finish(4);
                assertFalse(cond.locked());
            });
        }

        @Test
        void waitCancelAfterNotify() throws Exception {
            // bpo-32841
            inLoop(() -> {
                Condition cond = new Condition();
                boolean[] waited = {false};
                Task<Object> waiter = task("waiter", () -> {
                    try (Acquired held = cond.hold()) {
                        waited[0] = true;
                        cond.await();
                    }
                });
                Aio.sleep(1);
                cond.acquire();
                cond.signal();
                ticks(1); // the waiter now waits for the lock
                waiter.cancel();
                ticks(1);
                cond.release();
                ticks(1);
                assertTrue(waiter.cancelled());
                assertTrue(waited[0]);
                assertFalse(cond.locked());
            });
        }

        @Test
        void waitUnacquired() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
                assertEquals("Condition.await() called without holding the lock: Condition[unlocked]", e.getMessage());
            });
        }

        @Test
        void waitByTaskNotHoldingTheLockRefused() throws Exception { // aio4j-only: the lock knows its holder
            inLoop(() -> {
                Condition cond = new Condition();
                cond.acquire();
                Task<Object> other = task("other", cond::await);
                ticks(1);
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, other.exception());
                assertTrue(e.getMessage().contains("only the holder may release it"), e.getMessage());
                assertTrue(cond.locked());
                assertEquals("Condition[locked]", cond.toString());
                cond.release();
            });
        }

        @Test
        void waitFor() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                int[] presult = {0};
                int[] calls = {0};
                List<Integer> result = new ArrayList<>();
                Task<Object> t = task("c1", () -> {
                    cond.acquire();
                    assertTrue(cond.awaitFor(() -> {
                        calls[0]++;
                        return presult[0] != 0;
                    }));
                    result.add(1);
                    cond.release();
                });
                ticks(1);
                assertEquals(List.of(), result);
                assertEquals(1, calls[0]);

                cond.acquire();
                cond.signal();
                cond.release();
                ticks(2);
                assertEquals(List.of(), result); // woken, predicate still false, waits again
                assertEquals(2, calls[0]);

                presult[0] = 1;
                cond.acquire();
                cond.signal();
                cond.release();
                ticks(2);
                assertEquals(List.of(1), result);
                assertEquals(3, calls[0]);
                assertTrue(t.done());
            });
        }

        @Test
        void waitForUnacquired() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                // predicate already true: returns at once without touching the lock
                assertTrue(cond.awaitFor(() -> true));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> false));
                assertTrue(e.getMessage().startsWith("Condition.await() called without holding the lock"), e.getMessage());
            });
        }

        @Test
        void notifySignalsOne() throws Exception { // test_notify
            inLoop(() -> {
                Condition cond = new Condition();
                List<Integer> result = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    task("c" + n, () -> {
                        try (Acquired held = cond.hold()) {
                            cond.await();
                            result.add(n);
                        }
                    });
                }
                ticks(1);
                assertEquals(List.of(), result);

                cond.acquire();
                cond.signal(1);
                cond.release();
                ticks(2);
                assertEquals(List.of(1), result);

                cond.acquire();
                cond.signal(1);
                cond.signal(2048); // more than there are waiters
                cond.release();
                ticks(3);
                assertEquals(List.of(1, 2, 3), result);
            });
        }

        @Test
        void notifyAllSignalsEvery() throws Exception { // test_notify_all
            inLoop(() -> {
                Condition cond = new Condition();
                List<Integer> result = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    int n = i;
                    task("c" + n, () -> {
                        try (Acquired held = cond.hold()) {
                            cond.await();
                            result.add(n);
                        }
                    });
                }
                ticks(1);
                assertEquals("Condition[unlocked, waiters=2]", cond.toString());
                cond.acquire();
                cond.signalAll();
                cond.release();
                ticks(3);
                assertEquals(List.of(1, 2), result);
                assertEquals("Condition[unlocked]", cond.toString());
            });
        }

        @Test
        void notifyUnacquired() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                IllegalStateException e = assertThrows(IllegalStateException.class, cond::signal);
                assertEquals("Condition.signal() called without holding the lock: Condition[unlocked]", e.getMessage());
            });
        }

        @Test
        void notifyAllUnacquired() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                IllegalStateException e = assertThrows(IllegalStateException.class, cond::signalAll);
                assertEquals("Condition.signalAll() called without holding the lock: Condition[unlocked]", e.getMessage());
            });
        }

        @Test
        void repr() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                assertEquals("Condition[unlocked]", cond.toString());
                cond.acquire();
                assertEquals("Condition[locked]", cond.toString());
                Task<Object> w = task("w", () -> {
                    try (Acquired held = cond.hold()) {
                        cond.await();
                    }
                });
                cond.release();
                ticks(1);
                assertEquals("Condition[unlocked, waiters=1]", cond.toString());
                w.cancel();
                ticks(2);
                assertTrue(w.cancelled());
                assertEquals("Condition[unlocked]", cond.toString());
            });
        }

        @Test
        void contextManager() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                assertFalse(cond.locked());
                try (Acquired held = cond.hold()) {
                    assertTrue(cond.locked());
                }
                assertFalse(cond.locked());
            });
        }

        @Test
        void explicitLock() throws Exception {
            inLoop(() -> {
                Lock lock = new Lock();
                Condition cond = new Condition(lock);
                lock.acquire();
                assertTrue(cond.locked());
                cond.release();
                assertFalse(lock.locked());
                cond.acquire();
                assertTrue(lock.locked());
                lock.release();
                assertFalse(cond.locked());
                NullPointerException e = assertThrows(NullPointerException.class, () -> new Condition(null));
                assertEquals("lock must not be null", e.getMessage());
            });
        }

        @Test
        void timeoutInBlock() throws Exception {
            inLoop(() -> {
                Condition cond = new Condition();
                double t0 = TestClocks.elapsed(Aio.getRunningLoop());
                try (Acquired held = cond.hold()) {
                    assertThrows(TimeoutError.class, () -> Aio.timeout(0.5, cond::await));
                    assertTrue(cond.locked(), "the lock is held again after the timeout");
                }
                assertFalse(cond.locked());
                assertEquals(t0 + 0.5, TestClocks.elapsed(Aio.getRunningLoop()));
            });
        }

        @Test
        void cancelledErrorWakeup() throws Exception {
            // a cancellation received while waiting to be woken is re-raised unmodified
            inLoop(() -> {
                Condition cond = new Condition();
                CancelledError[] raised = {null};
                Task<Object> t = task("t", () -> {
                    try (Acquired held = cond.hold()) {
                        try {
                            cond.awaitFor(() -> false);
                        } catch (CancelledError e) {
                            raised[0] = e;
                            throw e;
                        }
                    }
                });
                ticks(1);
                t.cancel("foo");
                CancelledError e = assertThrows(CancelledError.class, t::await);
                assertEquals("foo", e.getMessage());
                assertEquals("foo", raised[0].getMessage());
                assertFalse(cond.locked());
            });
        }

        @Test
        void cancelledErrorReAquire() throws Exception {
            // a cancellation received while re-acquiring the lock is re-raised unmodified
            inLoop(() -> {
                Condition cond = new Condition();
                boolean[] wake = {false};
                CancelledError[] raised = {null};
                Task<Object> t = task("t", () -> {
                    try (Acquired held = cond.hold()) {
                        try {
                            cond.awaitFor(() -> wake[0]);
                        } catch (CancelledError e) {
                            raised[0] = e;
                            throw e;
                        }
                    }
                });
                ticks(1);
                cond.acquire();
                wake[0] = true;
                cond.signal();
                ticks(1); // t now waits for the lock: cancel it there
                t.cancel("foo");
                cond.release();
                CancelledError e = assertThrows(CancelledError.class, t::await);
                assertEquals("foo", e.getMessage());
                assertEquals("foo", raised[0].getMessage());
                assertFalse(cond.locked());
            });
        }

        private void cancelledWakeupScenario(boolean cancelWhileReacquiring) throws Exception {
            // A consumer cancelled at the same time as it is signalled must not swallow the wake-up.
            inLoop(() -> {
                Condition cond = new Condition();
                int[] state = {0};
                List<Task<Object>> consumers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    consumers.add(task("consumer" + i, () -> {
                        try (Acquired held = cond.hold()) {
                            while (true) {
                                cond.awaitFor(() -> state[0] != 0);
                                if (state[0] < 0) {
                                    return;
                                }
                                state[0]--;
                            }
                        }
                    }));
                }
                ticks(1);
                try (Acquired held = cond.hold()) {
                    state[0]++;
                    cond.signal(1);
                    if (cancelWhileReacquiring) {
                        ticks(1); // consumer0 now waits for the lock
                    }
                    consumers.get(0).cancel();
                    try {
                        Aio.timeout(0.01, () -> cond.awaitFor(() -> state[0] == 0));
                    } catch (TimeoutError e) {
                        // checked below
                    }
                    assertEquals(0, state[0], "the signal was lost with the cancelled consumer");
                    state[0] = -1;
                    cond.signalAll();
                }
                consumers.get(1).await();
                assertTrue(consumers.get(0).cancelled());
            });
        }

        @Test
        void cancelledWakeup() throws Exception {
            cancelledWakeupScenario(false);
        }

        @Test
        void cancelledWakeupAgain() throws Exception {
            cancelledWakeupScenario(true);
        }

        @Test
        void boundToOneLoop() throws Exception { // aio4j-only: asyncio's _LoopBoundMixin
            Condition cond = new Condition();
            Loops.assertBoundToFirstLoop("Condition", () -> {
                try (Acquired held = cond.hold()) {
                    task("notifier", () -> {
                        try (Acquired h = cond.hold()) {
                            cond.signal();
                        }
                    });
                    cond.await();
                }
            });
        }
    }

    // =====================================================================================
    @Nested
    class SemaphoreTests {

        @Test
        void initialValueZero() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(0);
                assertTrue(sem.locked());
                assertEquals(0, sem.value());
            });
        }

        @Test
        void repr() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore();
                assertEquals("Semaphore[unlocked, value=1]", sem.toString());
                sem.acquire();
                assertEquals("Semaphore[locked, value=0]", sem.toString());
                Task<Object> w = task("w", sem::acquire);
                ticks(1);
                assertEquals("Semaphore[locked, value=0, waiters=1]", sem.toString());
                w.cancel();
                ticks(1);
                assertEquals("Semaphore[locked, value=0]", sem.toString());
                assertEquals("BoundedSemaphore[unlocked, value=2]", new BoundedSemaphore(2).toString());
            });
        }

        @Test
        void semaphore() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore();
                assertEquals(1, sem.value());
                assertTrue(sem.acquire());
                assertTrue(sem.locked());
                assertEquals(0, sem.value());
                sem.release();
                assertFalse(sem.locked());
                assertEquals(1, sem.value());
            });
        }

        @Test
        void semaphoreValue() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
            assertEquals("value must be >= 0, got -1", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
        }

        @Test
        void acquire() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(3);
                List<Integer> result = new ArrayList<>();
                assertTrue(sem.acquire());
                assertTrue(sem.acquire());
                assertFalse(sem.locked());
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    int n = i;
                    ts.add(task("c" + n, () -> {
                        sem.acquire();
                        result.add(n);
                    }));
                }
                ticks(1);
                assertEquals(List.of(1), result);
                assertTrue(sem.locked());
                assertEquals(0, sem.value());
                // c2, c3, c4 wait
                sem.release();
                sem.release();
                ticks(1);
                assertEquals(List.of(1, 2, 3), result);
                assertTrue(sem.locked());
                assertFalse(ts.get(3).done());
                ts.get(3).cancel();
                ticks(1);
                assertEquals(0, sem.value());
                assertEquals("Semaphore[locked, value=0]", sem.toString());
            });
        }

        @Test
        void acquireCancel() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore();
                sem.acquire();
                Task<Object> t = task("w", sem::acquire);
                ticks(1);
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                assertTrue(t.cancelled());
                assertEquals(0, sem.value());
                assertEquals("Semaphore[locked, value=0]", sem.toString());
                sem.release();
                assertEquals(1, sem.value());
                assertFalse(sem.locked());
            });
        }

        @Test
        void acquireCancelBeforeAwoken() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(0);
                Task<Object> t1 = task("t1", sem::acquire);
                Task<Object> t2 = task("t2", sem::acquire);
                Task<Object> t3 = task("t3", sem::acquire);
                Task<Object> t4 = task("t4", sem::acquire);
                ticks(1);
                t1.cancel();
                t2.cancel();
                sem.release();
                ticks(2);
                assertTrue(t1.cancelled());
                assertTrue(t2.cancelled());
                assertTrue(t3.done());
                assertFalse(t4.done());
                assertEquals(0, sem.value());
                t4.cancel();
                ticks(1);
                assertEquals(0, sem.value());
            });
        }

        @Test
        void acquireHang() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(0);
                Task<Object> t1 = task("t1", sem::acquire);
                Task<Object> t2 = task("t2", sem::acquire);
                ticks(1);
                t1.cancel();
                sem.release();
                ticks(2);
                assertTrue(sem.locked());
                assertTrue(t2.done());
                assertEquals(0, sem.value());
            });
        }

        @Test
        void acquireNoHang() throws Exception {
            // the permit handed to a waiter that is cancelled before it runs goes back
            inLoop(() -> {
                Semaphore sem = new Semaphore(1);
                @SuppressWarnings("unchecked")
                Task<Object>[] t2 = new Task[1];
                Task<Object> t1 = task("t1", () -> {
                    try (Acquired held = sem.hold()) {
                        ticks(1);
                    }
                    t2[0].cancel(); // t2 was just handed the permit
                });
                t2[0] = task("t2", () -> {
                    try (Acquired held = sem.hold()) {
                        throw new AssertionError("t2 must not get the permit");
                    }
                });
                List<Object> r = Aio.gatherReturnExceptions(t1, t2[0]).await();
                assertNull(r.get(0));
                assertInstanceOf(CancelledError.class, r.get(1));
                assertEquals(1, sem.value(), "the permit leaked");
                Aio.waitFor(sem::acquire, 1.0);
                assertEquals(0, sem.value());
            });
        }

        @Test
        void releaseNotAcquired() throws Exception {
            inLoop(() -> {
                BoundedSemaphore sem = new BoundedSemaphore();
                IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
                assertEquals("BoundedSemaphore released too many times (bound 1): BoundedSemaphore[unlocked, value=1]",
                        e.getMessage());
                assertEquals(1, sem.value());
            });
        }

        @Test
        void boundedSemaphoreOverReleaseAfterUse() throws Exception { // aio4j-only
            inLoop(() -> {
                BoundedSemaphore sem = new BoundedSemaphore(2);
                sem.acquire();
                sem.acquire();
                sem.release();
                sem.release();
                assertThrows(IllegalStateException.class, sem::release);
                assertEquals(2, sem.value());
                // a plain Semaphore lets the count grow
                Semaphore plain = new Semaphore(1);
                plain.release();
                assertEquals(2, plain.value());
            });
        }

        @Test
        void releaseNoWaiters() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore();
                assertTrue(sem.acquire());
                assertTrue(sem.locked());
                sem.release();
                assertFalse(sem.locked());
            });
        }

        @Test
        void contextManager() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(2);
                try (Acquired held = sem.hold()) {
                    assertFalse(sem.locked());
                    assertEquals(1, sem.value());
                    try (Acquired held2 = sem.hold()) {
                        assertTrue(sem.locked());
                    }
                }
                assertEquals(2, sem.value());
                assertThrows(IllegalStateException.class, () -> {
                    try (Acquired held = sem.hold()) {
                        throw new IllegalStateException("boom");
                    }
                });
                assertEquals(2, sem.value());
            });
        }

        @Test
        void timeoutInBlock() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(1);
                try (Acquired held = sem.hold()) {
                    assertThrows(TimeoutError.class, () -> Aio.waitFor(sem::acquire, 0.5));
                }
                assertEquals(1, sem.value());
                assertFalse(sem.locked());
            });
        }

        @Test
        void acquireFifoOrder() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(1);
                List<String> result = new ArrayList<>();
                Aio.taskGroup(tg -> {
                    for (String tag : List.of("c1", "c2", "c3")) {
                        tg.createTask(() -> {
                            sem.acquire();
                            result.add(tag + "_1");
                            Aio.sleep(0.01);
                            sem.release();
                            sem.acquire();
                            result.add(tag + "_2");
                            Aio.sleep(0.01);
                            sem.release();
                            return null;
                        });
                    }
                    return null;
                });
                assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
            });
        }

        @Test
        void acquireFifoOrder2() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(1);
                List<Integer> result = new ArrayList<>();
                Task<Object> t1 = task("c1", () -> {
                    sem.acquire();
                    result.add(1);
                });
                Task<Object> t2 = task("c2", () -> {
                    sem.acquire();
                    result.add(2);
                    sem.release();
                    sem.acquire();
                    result.add(4);
                });
                Task<Object> t3 = task("c3", () -> {
                    sem.acquire();
                    result.add(3);
                });
                ticks(1);
                sem.release();
                sem.release();
                Aio.gather(t1, t2, t3).await();
                assertEquals(List.of(1, 2, 3, 4), result);
            });
        }

        @Test
        void acquireFifoOrder3() throws Exception {
            inLoop(() -> {
                Semaphore sem = new Semaphore(0);
                List<Integer> result = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    ts.add(task("c" + n, () -> {
                        sem.acquire();
                        result.add(n);
                    }));
                }
                ticks(1);
                ts.get(0).cancel();
                ticks(1);
                sem.release();
                sem.release();
                Aio.gatherReturnExceptions(ts.toArray(new Future<?>[0])).await();
                assertEquals(List.of(2, 3), result);
            });
        }

        @Test
        void acquireFifoOrder4() throws Exception {
            // a successful acquire() wakes as many queued tasks as there are permits
            inLoop(() -> {
                Semaphore sem = new Semaphore(0);
                List<Integer> result = new ArrayList<>();
                @SuppressWarnings("unchecked")
                Task<Object>[] t4 = new Task[1];
                Task<Object> t1 = task("c1", () -> {
                    assertEquals(0, sem.value());
                    sem.acquire();
                    assertEquals(0, sem.value());
                    t4[0] = task("c4", () -> result.add(4));
                    result.add(1);
                });
                Task<Object> t2 = task("c2", () -> {
                    sem.release();
                    sem.release();
                    sem.release();
                    assertEquals(2, sem.value());
                    assertTrue(sem.locked()); // c1 has not resumed yet
                    sem.acquire();
                    result.add(2);
                });
                Task<Object> t3 = task("c3", () -> {
                    sem.acquire();
                    assertTrue(sem.locked());
                    result.add(3);
                });
                Aio.gather(t1, t2, t3).await();
                t4[0].await();
                assertEquals(List.of(1, 2, 3, 4), result);
                assertEquals(0, sem.value());
            });
        }

        @Test
        void cancelledAcquireLeaksNoPermit() throws Exception { // aio4j-only: woken, then cancelled, with others queued
            inLoop(() -> {
                Semaphore sem = new Semaphore(2);
                sem.acquire();
                sem.acquire();
                List<String> got = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (String name : List.of("a", "b", "c", "d")) {
                    ts.add(task(name, () -> {
                        sem.acquire();
                        got.add(name);
                    }));
                }
                ticks(1);
                sem.release(); // hands a permit to a
                sem.release(); // hands a permit to b
                ts.get(0).cancel(); // a and b are cancelled after being woken
                ts.get(1).cancel();
                Aio.gatherReturnExceptions(ts.toArray(new Future<?>[0])).await();
                assertEquals(List.of("c", "d"), got);
                assertEquals(0, sem.value());
                sem.release();
                sem.release();
                assertEquals(2, sem.value());
                assertEquals("Semaphore[unlocked, value=2]", sem.toString());
            });
        }

        @Test
        void boundToOneLoop() throws Exception { // aio4j-only: asyncio's _LoopBoundMixin
            for (Semaphore sem : List.of(new Semaphore(1), new BoundedSemaphore(1))) {
                Loops.assertBoundToFirstLoop(sem.getClass().getSimpleName(), () -> {
                    sem.acquire();
                    Task<Object> waiter = task("waiter", () -> {
                        sem.acquire();
                        sem.release();
                    });
                    ticks(1);
                    sem.release();
                    waiter.await();
                });
            }
        }
    }

    // =====================================================================================
    @Nested
    class BarrierTests {

        @Test
        void barrier() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(5);
                assertEquals(5, barrier.parties());
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.broken());
            });
        }

        @Test
        void repr() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                assertEquals("Barrier[filling, waiters=0/3]", barrier.toString());
                Task<Object> w = task("w", barrier::await);
                ticks(1);
                assertEquals("Barrier[filling, waiters=1/3]", barrier.toString());
                barrier.abort();
                assertEquals("Barrier[broken, waiters=0/3]", barrier.toString());
                assertThrows(BrokenBarrierError.class, w::await);
                barrier.reset();
                assertEquals("Barrier[filling, waiters=0/3]", barrier.toString());
            });
        }

        @Test
        void barrierParties() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
            assertEquals("parties must be > 0, got 0", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Barrier(-10));
            assertEquals(5, new Barrier(5).parties());
        }

        @Test
        void fillingOneTask() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(1);
                assertEquals(0, barrier.await());
                assertEquals(0, barrier.await()); // reusable
                assertEquals("Barrier[filling, waiters=0/1]", barrier.toString());
            });
        }

        @Test
        void fillingTaskByTask() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                Task<Integer> t1 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(1, barrier.nWaiting());
                Task<Integer> t2 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(2, barrier.nWaiting());
                Task<Integer> t3 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(0, barrier.nWaiting());
                assertEquals(List.of(0, 1, 2), Aio.gather(t1, t2, t3).await());
                assertFalse(barrier.broken());
                assertEquals(0, barrier.nWaiting());
            });
        }

        @Test
        void fillingTasksWaitTwice() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                List<Integer> indices = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ts.add(task("t" + i, () -> {
                        indices.add(barrier.await());
                        indices.add(barrier.await());
                    }));
                }
                Aio.gather(ts).await();
                assertEquals(6, indices.size());
                assertEquals(List.of(0, 1, 2), indices.subList(0, 3).stream().sorted().toList());
                assertEquals(List.of(0, 1, 2), indices.subList(3, 6).stream().sorted().toList());
                assertEquals(0, barrier.nWaiting());
            });
        }

        @Test
        void fillingTasksCheckReturnValue() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(5);
                List<Task<Integer>> ts = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ts.add(Aio.createTask(barrier::await));
                }
                List<Integer> r = Aio.gather(ts).await();
                assertEquals(List.of(0, 1, 2, 3, 4), r);
            });
        }

        @Test
        void drainingState() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                List<String> states = new ArrayList<>();
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ts.add(task("t" + i, () -> {
                        barrier.await();
                        states.add(barrier.toString());
                    }));
                }
                Aio.gather(ts).await();
                // the first two leave while the barrier drains; the last one refills it
                assertEquals("Barrier[draining, waiters=0/3]", states.get(0));
                assertEquals("Barrier[draining, waiters=0/3]", states.get(1));
                assertEquals("Barrier[filling, waiters=0/3]", states.get(2));
            });
        }

        @Test
        void blockingTasksWhileDraining() throws Exception {
            // a task arriving for the next round while the barrier drains waits for the drain to end
            inLoop(() -> {
                Barrier barrier = new Barrier(2);
                List<List<Integer>> rounds = List.of(new ArrayList<>(), new ArrayList<>());
                List<Task<Object>> ts = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    ts.add(task(name, () -> {
                        rounds.get(0).add(barrier.await());
                        rounds.get(1).add(barrier.await()); // b gets here while a still drains round 1
                    }));
                }
                Aio.gather(ts).await();
                assertEquals(List.of(0, 1), rounds.get(0).stream().sorted().toList());
                assertEquals(List.of(0, 1), rounds.get(1).stream().sorted().toList());
                assertEquals("Barrier[filling, waiters=0/2]", barrier.toString());
            });
        }

        @Test
        void fillingTasksCancelOne() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                Task<Integer> t1 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(1, barrier.nWaiting());
                Task<Integer> t2 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(2, barrier.nWaiting());
                t1.cancel();
                ticks(1);
                assertEquals(1, barrier.nWaiting());
                assertThrows(CancelledError.class, t1::await);
                assertTrue(t1.cancelled());
                Task<Integer> t3 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(2, barrier.nWaiting());
                Task<Integer> t4 = Aio.createTask(barrier::await);
                List<Integer> r = Aio.gather(t2, t3, t4).await();
                assertEquals(3, r.size());
                assertEquals(2, r.get(2), "the last arrival gets parties-1");
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.broken());
            });
        }

        @Test
        void resetBarrier() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(1);
                barrier.reset();
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.broken());
            });
        }

        @Test
        void resetBarrierWhileTasksWaiting() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                List<Task<Integer>> ts = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    ts.add(Aio.createTask(barrier::await));
                }
                ticks(1);
                assertEquals(2, barrier.nWaiting());
                barrier.reset();
                for (Task<Integer> t : ts) {
                    BrokenBarrierError e = assertThrows(BrokenBarrierError.class, t::await);
                    assertTrue(e.getMessage().startsWith("Barrier aborted or reset while waiting"), e.getMessage());
                }
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.broken());
                assertEquals("Barrier[filling, waiters=0/3]", barrier.toString());
                // usable again
                List<Task<Integer>> again = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    again.add(Aio.createTask(barrier::await));
                }
                assertEquals(List.of(0, 1, 2), Aio.gather(again).await());
            });
        }

        @Test
        void resetBarrierWhileTasksWaitingAndWaitingAgain() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(2);
                List<String> log = new ArrayList<>();
                Task<Object> t1 = task("t1", () -> {
                    try {
                        barrier.await();
                        log.add("t1 passed");
                    } catch (BrokenBarrierError e) {
                        log.add("t1 broken");
                    }
                    log.add("t1 round2 " + barrier.await());
                });
                ticks(1);
                barrier.reset();
                ticks(3);
                assertEquals(List.of("t1 broken"), log);
                Task<Integer> t2 = Aio.createTask(barrier::await);
                t1.await();
                assertEquals(1, t2.await());
                assertEquals(List.of("t1 broken", "t1 round2 0"), log);
            });
        }

        @Test
        void abortBarrier() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(3);
                List<Task<Integer>> ts = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    ts.add(Aio.createTask(barrier::await));
                }
                ticks(1);
                barrier.abort();
                assertTrue(barrier.broken());
                for (Task<Integer> t : ts) {
                    assertThrows(BrokenBarrierError.class, t::await);
                }
                BrokenBarrierError e = assertThrows(BrokenBarrierError.class, barrier::await);
                assertEquals("Barrier is broken: Barrier[broken, waiters=0/3]", e.getMessage());
                assertTrue(barrier.broken());
                assertEquals(0, barrier.nWaiting());
            });
        }

        @Test
        void abortBarrierWhenExceptionThenResetting() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(2);
                Task<Object> a = task("a", () -> {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        // expected
                    }
                });
                ticks(1);
                barrier.abort();
                a.await();
                assertTrue(barrier.broken());
                barrier.reset();
                assertFalse(barrier.broken());
                Task<Integer> b = Aio.createTask(barrier::await);
                Task<Integer> c = Aio.createTask(barrier::await);
                assertEquals(List.of(0, 1), Aio.gather(b, c).await());
            });
        }

        private static final int N = 5; // BarrierTests.setUp's self.N

        private static List<Object> gatherTasks(int n, Body coro) {
            List<Task<Object>> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ts.add(task("t" + i, coro));
            }
            return Aio.gather(ts).await();
        }

        @Test
        void fillingOneTaskTwice() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(1);
                Task<Integer> t1 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(0, barrier.nWaiting());
                Task<Integer> t2 = Aio.createTask(barrier::await);
                ticks(1);
                assertEquals(t1.result(), t2.result());
                assertEquals(t1.done(), t2.done());
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.broken());
            });
        }

        @Test
        void resetBarrierWhenTasksHalfDrainingHalfBlocking() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(N);
                List<Boolean> results1 = new ArrayList<>();
                List<Boolean> results2 = new ArrayList<>();
                int blockingTasks = N / 2;
                int[] count = {0};
                gatherTasks(N, () -> {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        results1.add(true); // the tasks still waiting
                        barrier.await(); // waiting again to reach the parties
                        return;
                    }
                    count[0]++;
                    if (count[0] > blockingTasks) {
                        barrier.reset(); // BrokenBarrierError for the waiting tasks
                        barrier.await();
                    } else {
                        try {
                            barrier.await();
                        } catch (BrokenBarrierError e) {
                            results2.add(true); // never: blocked tasks go on waiting
                        }
                    }
                });
                assertEquals(Collections.nCopies(blockingTasks, true), results1);
                assertEquals(List.of(), results2);
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.toString().contains("resetting"), barrier.toString());
                assertFalse(barrier.broken());
            });
        }

        @Test
        void resetBarrierWhileTasksDraining() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(N);
                List<Boolean> results1 = new ArrayList<>();
                List<Boolean> results2 = new ArrayList<>();
                List<Boolean> results3 = new ArrayList<>();
                int[] count = {0};
                gatherTasks(N, () -> {
                    barrier.await();
                    count[0]++;
                    if (count[0] == N) {
                        barrier.reset(); // the last task out of the barrier
                        barrier.await();
                    } else {
                        try {
                            barrier.await(); // second wait: N-1 tasks here
                            results1.add(true);
                        } catch (Exception e) {
                            results2.add(true); // never
                        }
                    }
                    barrier.await(); // pass the barrier once more
                    results3.add(true);
                });
                assertFalse(barrier.broken());
                assertEquals(Collections.nCopies(N - 1, true), results1);
                assertEquals(List.of(), results2);
                assertEquals(Collections.nCopies(N, true), results3);
                assertEquals(0, barrier.nWaiting());
            });
        }

        @Test
        void abortBarrierWhenTasksHalfDrainingHalfBlocking() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(N);
                List<Boolean> results1 = new ArrayList<>();
                List<Boolean> results2 = new ArrayList<>();
                int blockingTasks = N / 2;
                int[] count = {0};
                gatherTasks(N, () -> {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        results1.add(true); // the tasks waiting to drain
                        return;
                    }
                    count[0]++;
                    if (count[0] > blockingTasks) {
                        barrier.abort(); // BrokenBarrierError for every task
                    } else {
                        try {
                            barrier.await();
                        } catch (BrokenBarrierError e) {
                            results2.add(true); // the blocked tasks (already drained)
                        }
                    }
                });
                assertTrue(barrier.broken());
                assertEquals(Collections.nCopies(blockingTasks, true), results1);
                assertEquals(Collections.nCopies(N - blockingTasks - 1, true), results2);
                assertEquals(0, barrier.nWaiting());
                assertFalse(barrier.toString().contains("resetting"), barrier.toString());
            });
        }

        @Test
        void abortBarrierWhenException() throws Exception {
            inLoop(() -> {
                Barrier barrier = new Barrier(N);
                List<Boolean> results1 = new ArrayList<>();
                List<Boolean> results2 = new ArrayList<>();
                gatherTasks(N, () -> {
                    try {
                        int i = barrier.await();
                        if (i == N / 2) {
                            throw new IllegalArgumentException("RuntimeError");
                        }
                        barrier.await();
                        results1.add(true);
                    } catch (BrokenBarrierError e) {
                        results2.add(true);
                    } catch (IllegalArgumentException e) {
                        barrier.abort();
                    }
                });
                assertTrue(barrier.broken());
                assertEquals(List.of(), results1);
                assertEquals(Collections.nCopies(N - 1, true), results2);
                assertEquals(0, barrier.nWaiting());
            });
        }

        @Test
        void abortBarrierWhenExceptionThenResettingAsUpstream() throws Exception { // test_abort_barrier_when_exception_then_resetting, with N tasks
            inLoop(() -> {
                Barrier barrier1 = new Barrier(N);
                Barrier barrier2 = new Barrier(N);
                List<Boolean> results1 = new ArrayList<>();
                List<Boolean> results2 = new ArrayList<>();
                List<Boolean> results3 = new ArrayList<>();
                gatherTasks(N, () -> {
                    try {
                        int i = barrier1.await();
                        if (i == N / 2) {
                            throw new IllegalArgumentException("RuntimeError");
                        }
                        barrier1.await();
                        results1.add(true);
                    } catch (BrokenBarrierError e) {
                        results2.add(true);
                    } catch (IllegalArgumentException e) {
                        barrier1.abort();
                    }
                    // Everyone leaves barrier1 before the reset, and nobody enters it before.
                    int i = barrier2.await();
                    if (i == N / 2) {
                        barrier1.reset();
                    }
                    barrier2.await();
                    barrier1.await();
                    results3.add(true);
                });
                assertFalse(barrier1.broken());
                assertEquals(List.of(), results1);
                assertEquals(Collections.nCopies(N - 1, true), results2);
                assertEquals(Collections.nCopies(N, true), results3);
                assertEquals(0, barrier1.nWaiting());
            });
        }

        @Test
        void reuseAcrossRounds() throws Exception { // aio4j-only: several rounds, indices each round are 0..n-1
            inLoop(() -> {
                Barrier barrier = new Barrier(4);
                List<List<Integer>> rounds = new ArrayList<>();
                for (int r = 0; r < 3; r++) {
                    rounds.add(new ArrayList<>());
                }
                List<Task<Object>> ts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    double delay = 0.1 * (i + 1);
                    ts.add(task("t" + i, () -> {
                        for (int r = 0; r < 3; r++) {
                            Aio.sleep(delay);
                            rounds.get(r).add(barrier.await());
                        }
                    }));
                }
                Aio.gather(ts).await();
                for (List<Integer> r : rounds) {
                    assertEquals(List.of(0, 1, 2, 3), r.stream().sorted().toList());
                }
                // the slowest task arrives last each round: round r ends at (r+1)*0.4
                assertEquals(1.2, TestClocks.elapsed(Aio.getRunningLoop()), 1e-9);
            });
        }

        @Test
        void boundToOneLoop() throws Exception { // aio4j-only: asyncio's _LoopBoundMixin
            Barrier barrier = new Barrier(2);
            Loops.assertBoundToFirstLoop("Barrier", () -> {
                Task<Object> other = task("other", barrier::await);
                barrier.await();
                other.await();
            });
        }
    }
}
