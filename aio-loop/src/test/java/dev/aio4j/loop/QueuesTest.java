package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops.Body;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.Steps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static dev.aio4j.loop.test.Loops.task;
import static dev.aio4j.loop.test.Loops.ticks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors {@code Lib/test/test_asyncio/test_queues.py}: {@code QueueBasicTests},
 * {@code QueueGetTests}, {@code QueuePutTests}, {@code LifoQueueTests},
 * {@code PriorityQueueTests}, and the join and shutdown (Python 3.13) mixins, which run for each
 * of the three queue kinds.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueuesTest {

    // =====================================================================================
    @Nested
    class QueueBasicTests {

        @Test
        void repr() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                assertEquals("Queue[maxsize=0, qsize=0]", q.toString());
                Task<Integer> getter = Aio.createTask(q::get);
                ticks(1);
                assertEquals("Queue[maxsize=0, qsize=0, getters=1]", q.toString());
                getter.cancel();
                ticks(1);
                assertEquals("Queue[maxsize=0, qsize=0]", q.toString());

                Queue<Integer> bounded = new Queue<>(1);
                bounded.putNowait(1);
                assertEquals("Queue[maxsize=1, qsize=1, tasks=1]", bounded.toString());
                Task<Object> putter = task("putter", () -> bounded.put(2));
                ticks(1);
                assertEquals("Queue[maxsize=1, qsize=1, putters=1, tasks=1]", bounded.toString());
                putter.cancel();
                ticks(1);
                bounded.getNowait();
                bounded.taskDone();
                bounded.shutdown();
                assertEquals("Queue[maxsize=1, qsize=0, shutdown]", bounded.toString());

                assertEquals("LifoQueue[maxsize=3, qsize=0]", new LifoQueue<Integer>(3).toString());
                assertEquals("PriorityQueue[maxsize=0, qsize=0]", new PriorityQueue<Integer>().toString());
            });
        }

        @Test
        void empty() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                assertTrue(q.empty());
                q.putNowait(1);
                assertFalse(q.empty());
                assertEquals(1, q.getNowait());
                assertTrue(q.empty());
            });
        }

        @Test
        void full() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                assertFalse(q.full());
                Queue<Integer> one = new Queue<>(1);
                one.putNowait(1);
                assertTrue(one.full());
                Queue<Integer> unbounded = new Queue<>(-1); // <= 0 means unbounded
                for (int i = 0; i < 1000; i++) {
                    unbounded.putNowait(i);
                }
                assertFalse(unbounded.full());
                assertEquals(1000, unbounded.qsize());
            });
        }

        @Test
        void order() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                for (int i : new int[] {1, 3, 2}) {
                    q.putNowait(i);
                }
                List<Integer> items = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    items.add(q.getNowait());
                }
                assertEquals(List.of(1, 3, 2), items);
            });
        }

        @Test
        void maxsize() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(2);
                assertEquals(2, q.maxsize());
                List<Integer> haveBeenPut = new ArrayList<>();
                Task<Boolean> t = Aio.createTask(() -> {
                    for (int i = 0; i < 3; i++) {
                        q.put(i);
                        haveBeenPut.add(i);
                    }
                    return true;
                });
                ticks(2);
                // the putter is blocked after two items
                assertEquals(List.of(0, 1), haveBeenPut);
                assertFalse(t.done());
                assertEquals(0, q.get());
                ticks(1);
                assertEquals(List.of(0, 1, 2), haveBeenPut);
                assertEquals(1, q.get());
                assertEquals(2, q.get());
                assertTrue(t.done());
                assertTrue(t.result());
            });
        }

        @Test
        void nullItemsAreItems() throws Exception { // aio4j-only: asyncio queues carry None, the usual end-of-stream sentinel
            inLoop(() -> {
                Queue<String> q = new Queue<>(2);
                Task<Object> consumer = task("consumer", () -> assertNull(q.get()));
                ticks(1);
                q.put(null); // wakes the waiting consumer with a null item
                consumer.await();
                q.putNowait("a");
                q.put(null);
                assertTrue(q.full());
                assertEquals("a", q.getNowait());
                assertNull(q.getNowait());
                assertTrue(q.empty());
                assertThrows(QueueEmpty.class, q::getNowait);
            });
        }

        @Test
        void queueBoundToOneLoop() throws Exception { // aio4j-only
            Queue<Integer> q = new Queue<>();
            Loops.assertBoundToFirstLoop("Queue", () -> q.putNowait(q.qsize() + 1));
            assertEquals(1, q.qsize());
        }
    }

    // =====================================================================================
    @Nested
    class QueueGetTests {

        @Test
        void blockingGet() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                q.putNowait(1);
                assertEquals(1, q.get());
            });
        }

        @Test
        void getWithPutters() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.putNowait(1);
                Task<Object> putter = task("putter", () -> q.put(2));
                ticks(1);
                assertFalse(putter.done());
                assertEquals(1, q.get());
                ticks(1);
                assertTrue(putter.done());
                assertEquals(2, q.getNowait());
            });
        }

        @Test
        void blockingGetWait() throws Exception {
            inLoop(() -> {
                Queue<String> q = new Queue<>();
                EventLoop loop = Aio.getRunningLoop();
                double t0 = TestClocks.elapsed(loop);
                loop.callLater(0.01, () -> q.putNowait("a"));
                assertEquals("a", q.get());
                assertEquals(t0 + 0.01, TestClocks.elapsed(loop));
            });
        }

        @Test
        void nonblockingGet() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                q.putNowait(1);
                assertEquals(1, q.getNowait());
            });
        }

        @Test
        void nonblockingGetException() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(10);
                QueueEmpty e = assertThrows(QueueEmpty.class, q::getNowait);
                assertEquals("Queue.getNowait() called on an empty queue: Queue[maxsize=10, qsize=0]", e.getMessage());
                assertInstanceOf(IllegalStateException.class, e);
            });
        }

        @Test
        void getCancelledRace() throws Exception {
            inLoop(() -> {
                Queue<String> q = new Queue<>();
                Task<String> t1 = Aio.createTask(q::get);
                Task<String> t2 = Aio.createTask(q::get);
                ticks(1);
                t1.cancel();
                ticks(1);
                assertTrue(t1.done());
                assertTrue(t1.cancelled());
                q.put("a");
                ticks(1);
                assertEquals("a", t2.await());
            });
        }

        @Test
        void getWithWaitingPutters() throws Exception {
            inLoop(() -> {
                Queue<String> q = new Queue<>(1);
                task("a", () -> q.put("a"));
                task("b", () -> q.put("b"));
                assertEquals("a", q.get());
                assertEquals("b", q.get());
            });
        }

        @Test
        void whyAreGettersWaiting() throws Exception {
            // a getter and a putter woken in the same iteration must not leave a getter hanging
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                int n = 5;
                List<Integer> got = new ArrayList<>();
                Aio.taskGroup(tg -> {
                    tg.createTask(() -> {
                        for (int i = 0; i < n; i++) {
                            q.put(i);
                        }
                        return null;
                    });
                    tg.createTask(() -> {
                        for (int i = 0; i < n; i++) {
                            got.add(q.get());
                        }
                        return null;
                    });
                    return null;
                });
                assertEquals(List.of(0, 1, 2, 3, 4), got);
            });
        }

        @Test
        void cancelledGettersNotBeingHeldInSelfGetters() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(5);
                assertThrows(TimeoutError.class, () -> Aio.waitFor(q::get, 0.1));
                assertEquals("Queue[maxsize=5, qsize=0]", q.toString());
            });
        }

        @Test
        void getCancelDropOnePendingReader() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                Task<Integer> reader = Aio.createTask(q::get);
                ticks(1);
                q.putNowait(1);
                q.putNowait(2);
                reader.cancel(); // woken by the first put, cancelled before it ran
                int result;
                try {
                    result = reader.await();
                } catch (CancelledError e) {
                    result = Aio.createTask(q::get).await();
                }
                // 2 would mean that 1 was lost with the cancelled reader
                assertEquals(1, result);
                assertEquals(1, q.qsize());
            });
        }

        @Test
        void getCancelDropManyPendingReaders() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                Task<Integer> reader1 = Aio.createTask(q::get);
                Task<Integer> reader2 = Aio.createTask(q::get);
                Task<Integer> reader3 = Aio.createTask(q::get);
                ticks(1);
                q.putNowait(1);
                q.putNowait(2);
                reader1.cancel();
                assertThrows(CancelledError.class, reader1::await);
                reader3.await();
                assertEquals(Set.of(1, 2), Set.of(reader2.await(), reader3.await()));
                assertTrue(q.empty());
            });
        }

        @Test
        void wokenGetterCancelledPassesWakeupOn() throws Exception { // aio4j-only: the exact hand-over
            inLoop(() -> {
                Queue<String> q = new Queue<>();
                Task<String> g1 = Aio.createTask(q::get, "g1");
                Task<String> g2 = Aio.createTask(q::get, "g2");
                ticks(1);
                q.putNowait("x"); // wakes g1 only
                g1.cancel();       // g1 is cancelled before it could take x
                ticks(2);          // g1 passes the wake-up on; g2 runs in the next iteration
                assertTrue(g1.cancelled());
                assertTrue(g2.done(), "the wake-up went to g2");
                assertEquals("x", g2.result());
                assertEquals("Queue[maxsize=0, qsize=0, tasks=1]", q.toString());
            });
        }

        @Test
        void cancelledGetTakesNothing() throws Exception { // aio4j-only
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                Task<Integer> g = Aio.createTask(q::get);
                ticks(1);
                g.cancel();
                q.putNowait(7); // in the same iteration as the cancel: g's waiter is cancelled, not woken
                ticks(1);
                assertTrue(g.cancelled());
                assertEquals(1, q.qsize());
                assertEquals(7, q.getNowait());
            });
        }
    }

    // =====================================================================================
    @Nested
    class QueuePutTests {

        @Test
        void blockingPut() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                q.put(1); // no maxsize: never blocks
                assertEquals(1, q.get());
            });
        }

        @Test
        void blockingPutWait() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                EventLoop loop = Aio.getRunningLoop();
                q.put(1);
                loop.callLater(0.01, q::getNowait);
                q.put(2);
                assertEquals(0.01, TestClocks.elapsed(loop));
                assertEquals(2, q.getNowait());
            });
        }

        @Test
        void nonblockingPut() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                q.putNowait(1);
                assertEquals(1, q.get());
            });
        }

        @Test
        void putCancelDrop() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.putNowait(1);
                Task<Object> writer = task("writer", () -> q.put(2));
                ticks(1);
                assertEquals(1, q.getNowait()); // wakes the writer
                writer.cancel();                // ... which is cancelled before it could put
                try {
                    writer.await();
                } catch (CancelledError e) {
                    // the caller still has the item: try again
                    task("writer2", () -> q.put(2)).await();
                }
                assertEquals(2, q.getNowait());
                assertEquals(0, q.qsize());
            });
        }

        @Test
        void nonblockingPutException() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.putNowait(1);
                QueueFull e = assertThrows(QueueFull.class, () -> q.putNowait(2));
                assertEquals("Queue.putNowait() called on a full queue: Queue[maxsize=1, qsize=1, tasks=1]", e.getMessage());
                assertEquals(1, q.qsize());
            });
        }

        @Test
        void putCancelled() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>();
                Task<Boolean> t = Aio.createTask(() -> {
                    q.put(1);
                    return true;
                });
                assertEquals(1, q.get());
                assertTrue(t.done());
                assertTrue(t.result());
            });
        }

        @Test
        void putCancelledRace() throws Exception {
            inLoop(() -> {
                Queue<String> q = new Queue<>(1);
                Task<Object> putA = task("a", () -> q.put("a"));
                Task<Object> putB = task("b", () -> q.put("b"));
                Task<Object> putC = task("c", () -> q.put("X"));
                ticks(1);
                assertTrue(putA.done());
                assertFalse(putB.done());
                putC.cancel();
                ticks(1);
                assertTrue(putC.done());
                assertEquals("a", q.getNowait());
                ticks(1);
                assertEquals("b", q.getNowait());
                putB.await();
                assertTrue(q.empty(), "the cancelled put must not have added X");
            });
        }

        @Test
        void putWithWaitingGetters() throws Exception {
            inLoop(() -> {
                Queue<String> q = new Queue<>();
                Task<String> t = Aio.createTask(q::get);
                ticks(1);
                q.put("a");
                assertEquals("a", t.await());
            });
        }

        @Test
        void whyArePuttersWaiting() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(2);
                List<Task<Object>> ts = new ArrayList<>();
                ts.add(task("getter", () -> {
                    Aio.sleep(0);
                    int num = q.qsize();
                    for (int i = 0; i < num; i++) {
                        q.getNowait();
                    }
                }));
                for (int i = 0; i < 4; i++) {
                    int item = i;
                    ts.add(task("putter" + i, () -> q.put(item)));
                }
                Aio.gather(ts).await();
                assertEquals(2, q.qsize());
            });
        }

        @Test
        void cancelledPutsNotBeingHeldInSelfPutters() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.putNowait(1);
                Task<Object> put = task("put", () -> q.put(1));
                ticks(1);
                assertTrue(q.toString().contains("putters=1"), q.toString());
                put.cancel();
                assertThrows(CancelledError.class, put::await);
                assertFalse(q.toString().contains("putters"), q.toString());
            });
        }

        @Test
        void cancelledPutSilenceValueErrorException() throws Exception {
            // the putter's waiter was removed by getNowait(); cancelling it must still be a plain cancel
            inLoop(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.putNowait(1);
                Task<Object> put = task("put", () -> q.put(1));
                ticks(1);
                q.getNowait();
                put.cancel();
                assertThrows(CancelledError.class, put::await);
                assertTrue(q.empty());
            });
        }

        @Test
        void wokenPutterCancelledPassesWakeupOn() throws Exception { // aio4j-only
            inLoop(() -> {
                Queue<String> q = new Queue<>(1);
                q.putNowait("first");
                Task<Object> p1 = task("p1", () -> q.put("p1"));
                Task<Object> p2 = task("p2", () -> q.put("p2"));
                ticks(1);
                assertEquals("first", q.getNowait()); // wakes p1 only
                p1.cancel();
                ticks(2);
                assertTrue(p1.cancelled());
                assertTrue(p2.done(), "the free slot went to p2");
                assertEquals("p2", q.getNowait());
                assertTrue(q.empty());
            });
        }
    }

    // =====================================================================================
    @Nested
    class LifoQueueTests {
        @Test
        void order() throws Exception {
            inLoop(() -> {
                LifoQueue<Integer> q = new LifoQueue<>();
                for (int i : new int[] {1, 3, 2}) {
                    q.putNowait(i);
                }
                List<Integer> items = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    items.add(q.getNowait());
                }
                assertEquals(List.of(2, 3, 1), items);
            });
        }

        @Test
        void blockedGetterGetsTheNewestItem() throws Exception { // aio4j-only
            inLoop(() -> {
                LifoQueue<Integer> q = new LifoQueue<>(2);
                Task<Integer> g = Aio.createTask(q::get);
                ticks(1);
                q.putNowait(1);
                q.putNowait(2);
                assertEquals(2, g.await());
                assertEquals(1, q.getNowait());
            });
        }

        @Test
        void nullItemsAreItems() throws Exception { // aio4j-only: as in Queue
            inLoop(() -> {
                LifoQueue<String> q = new LifoQueue<>();
                q.putNowait(null);
                q.putNowait("top");
                q.putNowait(null);
                assertEquals(3, q.qsize());
                assertNull(q.get());
                assertEquals("top", q.get());
                assertNull(q.getNowait());
                assertTrue(q.empty());
            });
        }
    }

    // =====================================================================================
    @Nested
    class PriorityQueueTests {
        @Test
        void order() throws Exception {
            inLoop(() -> {
                PriorityQueue<Integer> q = new PriorityQueue<>();
                for (int i : new int[] {1, 3, 2}) {
                    q.putNowait(i);
                }
                List<Integer> items = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    items.add(q.getNowait());
                }
                assertEquals(List.of(1, 2, 3), items);
            });
        }

        @Test
        void comparatorAndStableTies() throws Exception { // aio4j-only: Comparator; equal items come out in insertion order
            inLoop(() -> {
                PriorityQueue<String> q = new PriorityQueue<>(0, Comparator.comparingInt(String::length));
                for (String s : List.of("ccc", "a1", "b", "a2", "dd", "e")) {
                    q.putNowait(s);
                }
                List<String> items = new ArrayList<>();
                while (!q.empty()) {
                    items.add(q.get());
                }
                assertEquals(List.of("b", "e", "a1", "a2", "dd", "ccc"), items);
            });
        }

        @Test
        void nullItemRefused() throws Exception { // aio4j-only
            inLoop(() -> {
                PriorityQueue<Integer> q = new PriorityQueue<>();
                NullPointerException e = assertThrows(NullPointerException.class, () -> q.putNowait(null));
                assertEquals("PriorityQueue items must not be null", e.getMessage());
                assertEquals("PriorityQueue[maxsize=0, qsize=0]", q.toString());
            });
        }
    }

    // =====================================================================================
    /** The join and shutdown tests, run for every queue kind (CPython's mixins). */
    abstract static class QueueJoinAndShutdownTests {
        abstract <T> Queue<T> newQueue(int maxsize);

        <T> Queue<T> newQueue() {
            return newQueue(0);
        }

        abstract String kind();

        @Test
        void taskDoneUnderflow() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = newQueue();
                IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
                assertEquals(kind() + ".taskDone() called more times than items were put: " + kind() + "[maxsize=0, qsize=0]",
                        e.getMessage());
                q.putNowait(1);
                q.getNowait();
                q.taskDone();
                assertThrows(IllegalStateException.class, q::taskDone);
            });
        }

        @Test
        void taskDone() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = newQueue();
                for (int i = 0; i < 100; i++) {
                    q.putNowait(i);
                }
                int[] accumulator = {0};
                boolean[] running = {true};
                Aio.taskGroup(tg -> {
                    List<Task<Object>> workers = new ArrayList<>();
                    for (int w = 0; w < 2; w++) {
                        workers.add(tg.createTask(() -> {
                            while (running[0]) {
                                int item = q.get();
                                accumulator[0] += item;
                                q.taskDone();
                            }
                            return null;
                        }));
                    }
                    q.join();
                    assertEquals(4950, accumulator[0]);
                    running[0] = false;
                    for (int i = 0; i < workers.size(); i++) {
                        q.putNowait(0);
                    }
                    return null;
                });
                assertEquals(4950, accumulator[0]);
            });
        }

        @Test
        void joinEmptyQueue() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = newQueue();
                Steps steps = new Steps();
                Task<Object> other = task("other", () -> steps.expect(2));
                q.join(); // returns at once, twice, without a turn of the loop
                q.join();
                steps.expect(1);
                other.await();
                steps.finish(3);
            });
        }

        @Test
        void joinWaitsForTaskDone() throws Exception { // aio4j-only
            inLoop(() -> {
                Queue<Integer> q = newQueue();
                q.putNowait(1);
                q.putNowait(2);
                Task<Object> joiner = task("joiner", q::join);
                int first = q.get();
                q.taskDone();
                ticks(1);
                assertFalse(joiner.done());
                assertEquals(3, first + q.get());
                ticks(1);
                assertFalse(joiner.done(), "join() must wait for taskDone(), not just for an empty queue");
                q.taskDone();
                ticks(1);
                assertTrue(joiner.done());
            });
        }

        @Test
        void format() throws Exception {
            inLoop(() -> {
                Queue<Integer> q = newQueue();
                q.putNowait(1);
                q.putNowait(2);
                assertEquals(kind() + "[maxsize=0, qsize=2, tasks=2]", q.toString());
                q.getNowait();
                assertEquals(kind() + "[maxsize=0, qsize=1, tasks=2]", q.toString());
                q.taskDone();
                assertEquals(kind() + "[maxsize=0, qsize=1, tasks=1]", q.toString());
            });
        }

        private void assertAllShutDown(Queue<String> q) {
            QueueShutDown e = assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertEquals(kind() + ".put() called on a queue that is shut down: " + q, e.getMessage());
            e = assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertTrue(e.getMessage().startsWith(kind() + ".putNowait() called on a queue that is shut down: "), e.getMessage());
            if (q.empty()) {
                e = assertThrows(QueueShutDown.class, q::get);
                assertTrue(e.getMessage().startsWith(kind() + ".get() called on an empty queue that is shut down: "), e.getMessage());
                e = assertThrows(QueueShutDown.class, q::getNowait);
                assertTrue(e.getMessage().startsWith(kind() + ".getNowait() called on an empty queue that is shut down: "),
                        e.getMessage());
            }
        }

        @Test
        void shutdownEmpty() throws Exception {
            inLoop(() -> {
                Queue<String> q = newQueue();
                Task<String> getTask = Aio.createTask(q::get);
                ticks(1);
                q.shutdown(false);
                assertTrue(q.isShutdown());
                assertEquals(0, q.qsize());
                q.join();
                ticks(1);
                assertTrue(getTask.done());
                assertThrows(QueueShutDown.class, getTask::await);
                assertAllShutDown(q);
                assertTrue(q.toString().endsWith(", shutdown]"), q.toString());
            });
        }

        @Test
        void shutdownNonempty() throws Exception {
            inLoop(() -> {
                Queue<String> q = newQueue();
                q.putNowait("data");
                Task<Object> joinTask = task("join", q::join);
                q.shutdown(false);
                assertEquals(1, q.qsize());
                ticks(1);
                assertFalse(joinTask.done());
                assertAllShutDown(q);
                assertEquals("data", q.get()); // items queued before shutdown(false) can still be taken
                ticks(1);
                assertFalse(joinTask.done());
                assertAllShutDown(q);
                q.taskDone();
                ticks(1);
                assertTrue(joinTask.done());
                joinTask.await();
            });
        }

        @Test
        void shutdownImmediate() throws Exception {
            inLoop(() -> {
                Queue<String> q = newQueue();
                q.putNowait("data");
                Task<Object> joinTask = task("join", q::join);
                q.shutdown(true); // drops the item and counts it as done
                assertEquals(0, q.qsize());
                ticks(1);
                assertTrue(joinTask.done());
                joinTask.await();
                assertAllShutDown(q);
            });
        }

        @Test
        void shutdownImmediateReleasesAWaitingJoin() throws Exception { // aio4j-only: shutdownImmediate with join() already waiting
            inLoop(() -> {
                Queue<String> q = newQueue();
                q.putNowait("data");
                Task<Object> joinTask = task("join", q::join);
                ticks(1);
                assertFalse(joinTask.done(), "join() waits for the unfinished item");
                q.shutdown(true); // drops the item, counts it as done: nothing is unfinished
                ticks(1);
                assertTrue(joinTask.done());
                joinTask.await();
            });
        }

        @Test
        void shutdownImmediateWithUnfinished() throws Exception {
            inLoop(() -> {
                Queue<String> q = newQueue();
                q.putNowait("data");
                q.putNowait("data");
                Task<Object> joinTask = task("join", q::join);
                assertEquals("data", q.get());
                q.shutdown(true); // unfinished: 2 -> 1
                assertEquals(0, q.qsize());
                ticks(1);
                assertFalse(joinTask.done());
                assertAllShutDown(q);
                q.taskDone();
                assertThrows(IllegalStateException.class, q::taskDone);
                ticks(1);
                assertTrue(joinTask.done());
                joinTask.await();
            });
        }

        @Test
        void shutdownWakesBlockedPutters() throws Exception { // aio4j-only
            inLoop(() -> {
                Queue<String> q = newQueue(1);
                q.putNowait("kept");
                Task<Object> p1 = task("p1", () -> q.put("p1"));
                Task<Object> p2 = task("p2", () -> q.put("p2"));
                ticks(1);
                assertFalse(p1.done());
                q.shutdown(false);
                ticks(1);
                for (Task<Object> p : List.of(p1, p2)) {
                    QueueShutDown e = assertInstanceOf(QueueShutDown.class, p.exception());
                    assertTrue(e.getMessage().startsWith(kind() + ".put() called on a queue that is shut down: "), e.getMessage());
                }
                assertEquals(1, q.qsize());
                assertEquals("kept", q.getNowait());
                assertThrows(QueueShutDown.class, q::getNowait);
            });
        }

        @Test
        void shutdownImmediateWakesBlockedPuttersAndGetters() throws Exception { // aio4j-only
            inLoop(() -> {
                Queue<String> full = newQueue(1);
                full.putNowait("dropped");
                Task<Object> putter = task("putter", () -> full.put("never"));
                Queue<String> empty = newQueue();
                Task<String> g1 = Aio.createTask(empty::get);
                Task<String> g2 = Aio.createTask(empty::get);
                ticks(1);
                full.shutdown(true);
                empty.shutdown(true);
                ticks(1);
                // the putter sees room (the queue was emptied) but the queue is shut down
                QueueShutDown e = assertInstanceOf(QueueShutDown.class, putter.exception());
                assertTrue(e.getMessage().startsWith(kind() + ".put() called on a queue that is shut down: "), e.getMessage());
                assertEquals(0, full.qsize());
                assertInstanceOf(QueueShutDown.class, g1.exception());
                assertInstanceOf(QueueShutDown.class, g2.exception());
                full.join(); // the dropped item counts as done
            });
        }

        @Test
        void shutdownWakesBlockedGettersOnlyWhenEmpty() throws Exception { // aio4j-only: shutdown(false) lets consumers drain
            inLoop(() -> {
                Queue<String> q = newQueue();
                Task<String> g1 = Aio.createTask(q::get);
                Task<String> g2 = Aio.createTask(q::get);
                ticks(1);
                q.putNowait("x"); // wakes g1
                q.shutdown(false); // wakes everybody
                ticks(1);
                assertEquals("x", g1.result());
                assertInstanceOf(QueueShutDown.class, g2.exception());
            });
        }
    }

    @Nested
    class QueueJoinTests extends QueueJoinAndShutdownTests {
        @Override
        <T> Queue<T> newQueue(int maxsize) {
            return new Queue<>(maxsize);
        }

        @Override
        String kind() {
            return "Queue";
        }
    }

    @Nested
    class LifoQueueJoinTests extends QueueJoinAndShutdownTests {
        @Override
        <T> Queue<T> newQueue(int maxsize) {
            return new LifoQueue<>(maxsize);
        }

        @Override
        String kind() {
            return "LifoQueue";
        }
    }

    @Nested
    class PriorityQueueJoinTests extends QueueJoinAndShutdownTests {
        @Override
        <T> Queue<T> newQueue(int maxsize) {
            return new PriorityQueue<>(maxsize);
        }

        @Override
        String kind() {
            return "PriorityQueue";
        }
    }
}
