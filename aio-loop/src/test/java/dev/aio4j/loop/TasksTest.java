package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.loop.test.Steps;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aio4j.loop.FutureContractTest.runBriefly;
import static dev.aio4j.loop.FutureContractTest.runUntilDone;
import static dev.aio4j.loop.FutureContractTest.top;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors CPython's {@code Lib/test/test_asyncio/test_tasks.py} ({@code BaseTaskTests},
 * {@code RunCoroutineThreadsafeTests}, {@code SleepTests}); its gather and shield tests are in
 * {@link GatherTest}. The nested {@link TaskAsFutureTest} runs the {@link FutureContractTest}
 * contract against tasks.
 *
 * <p>Tests that drive a loop step by step use {@link #loop} (virtual clock, idle between calls);
 * the others run a main coroutine with {@link Loops#runVirtual}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TasksTest {
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

    /** Runs a task on {@link #loop} that sleeps {@code seconds}, until it is done. */
    private void runSleep(double seconds) {
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(seconds);
            return null;
        }));
    }

    private static void stackFoo(Future<?> gate) {
        stackBar(gate);
    }

    private static void stackBar(Future<?> gate) {
        gate.await();
    }

    private static Void sleepTen() {
        Aio.sleep(10);
        return null;
    }

    private static Void awaitTarget(Task<?> task) {
        task.await();
        return null;
    }

    private static Throwable innermost(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    private static boolean chainHasFrame(Throwable e, String methodName) {
        for (Throwable t : chain(e)) {
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().equals(TasksTest.class.getName()) && f.getMethodName().equals(methodName)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ================================================================== the Future contract, for tasks

    /**
     * {@link FutureContractTest} for task-backed futures: each task awaits a gate future, and the
     * test completes the gate with what the body should do next.
     */
    @Nested
    class TaskAsFutureTest extends FutureContractTest {
        private final Map<Future<?>, Future<Coroutine<?>>> gates = new IdentityHashMap<>();
        private int count;

        @Override
        protected <T> Future<T> newFuture() {
            Future<Coroutine<?>> gate = loop.createFuture();
            @SuppressWarnings("unchecked")
            Task<T> t = loop.createTask(() -> (T) gate.await().call(), "contract-" + (++count));
            gates.put(t, gate);
            runBriefly(loop); // the task starts and waits on its gate
            assertSame(gate, t.waitingOn);
            return t;
        }

        @Override
        protected <T> void finishWithResult(Future<T> f, T value) {
            gates.get(f).setResult(() -> value);
            runUntilDone(loop, f);
        }

        @Override
        protected void finishWithException(Future<?> f, Exception error) {
            gates.get(f).setResult(() -> {
                throw error;
            });
            runUntilDone(loop, f);
        }

        @Override
        protected void finishCancelled(Future<?> f, String msg) {
            assertTrue(f.cancel(msg));
            assertFalse(f.done(), "a task is cancelled at its await point, on a later iteration");
            runUntilDone(loop, f);
        }

        @Override
        protected String repr(Future<?> f, String state) {
            return "Task[name=" + ((Task<?>) f).getName() + ", " + state + "]";
        }

        @Override
        protected String kind() {
            return "Task";
        }

        @Override
        protected void assertRefusesCompletion(Future<?> f) {
            @SuppressWarnings("unchecked")
            Future<Object> g = (Future<Object>) f;
            UnsupportedOperationException r = assertThrows(UnsupportedOperationException.class, () -> g.setResult("x"));
            assertEquals("Task does not support setResult(): a task's result is what its body returns", r.getMessage());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> g.setException(new RuntimeException()));
            assertEquals("Task does not support setException(): a task fails when its body throws", e.getMessage());
        }
    }

    // ================================================================== creation, names, toString

    @Test
    void taskCancelMessageGetter() {
        Task<Object> t = loop.createTask(() -> null);
        assertTrue(t.cancel("my message"));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("my message", e.getMessage());
    }

    @Test
    void otherLoopFuture() {
        try (EventLoop other = EventLoop.create(TestClocks.autoJump())) {
            Future<Object> fut = other.createFuture();
            AtomicReference<String> expected = new AtomicReference<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(loop.createTask(() -> {
                expected.set("Future.await() in " + Aio.currentTask() + " on a future attached to a different loop: "
                        + fut + " belongs to " + other + "; a task can only await futures of its own loop");
                return fut.await();
            })));
            assertEquals(expected.get(), e.getMessage());
            assertFalse(fut.done());
        }
    }

    @Test
    void taskAwaitsOnItself() {
        AtomicReference<Task<?>> self = new AtomicReference<>();
        Task<Object> task = loop.createTask(() -> self.get().await(), "narcissus");
        self.set(task);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(task));
        assertEquals("Task cannot await on itself: Task[name=narcissus, pending, running]", e.getMessage());
    }

    @Test
    void taskClass() {
        Task<String> t = loop.createTask(() -> "ok");
        assertEquals("ok", loop.runUntilComplete(t));
        assertTrue(t.done());
        assertEquals("ok", t.result());
        assertSame(loop, t.getLoop());

        try (EventLoop other = EventLoop.create(TestClocks.autoJump())) {
            Task<String> t2 = other.createTask(() -> "ok");
            assertSame(other, t2.getLoop());
            assertEquals("ok", other.runUntilComplete(t2));
        }
    }

    @Test
    void ensureFutureCoroutine() {
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> Aio.ensureFuture(() -> "ok"));
        assertTrue(outside.getMessage().startsWith("no running event loop in thread '"), outside.getMessage());

        Task<String> t = loop.runUntilComplete(loop.createTask(() -> Aio.ensureFuture(() -> "ok")));
        assertSame(loop, t.getLoop());
        assertEquals("ok", loop.runUntilComplete(t));
        assertTrue(t.done());
    }

    @Test
    void ensureFutureFuture() {
        Future<String> fOrig = loop.createFuture();
        fOrig.setResult("ko");
        Future<String> f = Aio.ensureFuture(fOrig);
        assertSame(fOrig, f);
        assertEquals("ko", loop.runUntilComplete(f));
    }

    @Test
    void ensureFutureTask() {
        Task<String> tOrig = loop.createTask(() -> "ok");
        Future<String> t = Aio.ensureFuture(tOrig);
        assertSame(tOrig, t);
        assertEquals("ok", loop.runUntilComplete(t));
    }

    @Test
    void ensureFutureNeither() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Aio.ensureFuture((Future<Object>) null));
        assertEquals("future must not be null", e.getMessage());
    }

    @Test
    void getStack() {
        Future<Void> gate = loop.createFuture();
        Task<Void> t = loop.createTask(() -> {
            stackFoo(gate);
            return null;
        }, "stacked");
        assertEquals(0, t.getStack().length, "not started yet");
        runBriefly(loop);

        StackTraceElement[] stack = t.getStack();
        assertTrue(stack.length >= 3, () -> "stack: " + List.of(stack));
        assertEquals(Future.class.getName(), stack[0].getClassName(), () -> "stack: " + top(stack));
        assertEquals("await", stack[0].getMethodName());
        assertEquals(TasksTest.class.getName(), stack[1].getClassName(), () -> "stack: " + top(stack));
        assertEquals("stackBar", stack[1].getMethodName());
        assertEquals("stackFoo", stack[2].getMethodName());
        for (StackTraceElement e : stack) {
            assertFalse(e.getClassName().startsWith("java.") || e.getClassName().startsWith("jdk."),
                    () -> "the stack shows no JDK frames: " + List.of(stack));
        }

        gate.setResult(null);
        loop.runUntilComplete(t);
        assertEquals(0, t.getStack().length, "done");
    }

    // aio4j-only: dumpTasks() lists every pending task, what it waits on, who waits on it, and where.
    @Test
    void dumpTasks() {
        Future<Void> gate = loop.createFuture();
        Task<Void> stacked = loop.createTask(() -> {
            stackFoo(gate);
            return null;
        }, "stacked");
        Task<Void> waiter = loop.createTask(() -> {
            stacked.await();
            return null;
        }, "waiter");
        String dump = loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(0);
            return Aio.dumpTasks();
        }, "dumper"));
        List<String> lines = List.of(dump.split("\n"));
        assertEquals(loop.toString().replace(", idle,", ", running,") + ": 3 pending tasks", lines.get(0), dump);
        assertTrue(lines.contains("  Task[name=stacked, pending, waiting on Future[pending]]"), dump);
        assertTrue(lines.contains("    awaited by: waiter"), dump);
        assertTrue(lines.contains("  Task[name=waiter, pending, waiting on Task[name=stacked]]"), dump);
        assertTrue(lines.contains("  Task[name=dumper, pending, running]"), dump);
        int stackedAt = lines.indexOf("  Task[name=stacked, pending, waiting on Future[pending]]");
        assertTrue(lines.get(stackedAt + 2).startsWith("    at dev.aio4j.loop.Future.await("), dump);
        assertTrue(lines.get(stackedAt + 3).startsWith("    at dev.aio4j.loop.TasksTest.stackBar(TasksTest.java:"), dump);
        assertTrue(lines.get(stackedAt + 4).startsWith("    at dev.aio4j.loop.TasksTest.stackFoo(TasksTest.java:"), dump);

        gate.setResult(null);
        loop.runUntilComplete(waiter);
        assertEquals(loop + ": 0 pending tasks\n", loop.dumpTasks());
    }

    @Test
    void taskRepr() {
        Task<String> t = loop.createTask(() -> "abc", "TestTask");
        assertEquals("Task[name=TestTask, pending, not started]", t.toString());

        t.cancel(); // does not take effect at once
        assertEquals("Task[name=TestTask, pending, not started, cancelling=1]", t.toString());

        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("Task[name=TestTask, cancelled]", t.toString());

        Task<String> t2 = loop.createTask(() -> "abc", "TestTask");
        loop.runUntilComplete(t2);
        assertEquals("Task[name=TestTask, finished result=abc]", t2.toString());
    }

    @Test
    void taskReprAutogenerated() {
        Task<Integer> t1 = loop.createTask(() -> 123);
        Task<Integer> t2 = loop.createTask(() -> 123);
        assertTrue(t1.getName().matches("Task-\\d+"), t1.getName());
        assertTrue(t2.getName().matches("Task-\\d+"), t2.getName());
        assertTrue(Long.parseLong(t1.getName().substring(5)) < Long.parseLong(t2.getName().substring(5)),
                "autogenerated task names have increasing numbers");
        assertTrue(t1.toString().startsWith("Task[name=" + t1.getName() + ", pending"), t1.toString());
        loop.runUntilComplete(t1);
        loop.runUntilComplete(t2);
    }

    // aio4j-only: the name can change; the task's thread carries it.
    @Test
    void taskSetName() {
        Task<String> t = loop.createTask(() -> {
            Aio.sleep(0);
            return Thread.currentThread().getName();
        }, "before");
        runBriefly(loop);
        t.setName("after");
        assertEquals("after", t.getName());
        assertEquals("after", loop.runUntilComplete(t));
        NullPointerException e = assertThrows(NullPointerException.class, () -> t.setName(null));
        assertEquals("name must not be null", e.getMessage());
    }

    @Test
    void taskReprWaitFor() {
        Future<Void> fut = loop.createFuture();
        Task<Void> task = loop.createTask(() -> fut.await(), "w");
        runBriefly(loop);
        assertEquals("Task[name=w, pending, waiting on " + fut + "]", task.toString());
        assertEquals("Task[name=w, pending, waiting on Future[pending]]", task.toString());
        fut.setResult(null);
        loop.runUntilComplete(task);
    }

    // aio4j-only: the other pending states of toString().
    @Test
    void taskReprSleepingAndRunning() {
        Task<String> sleeper = loop.createTask(() -> {
            Aio.sleep(5);
            return null;
        }, "sleeper");
        String running = loop.runUntilComplete(loop.createTask(() -> Aio.currentTask().toString(), "me"));
        assertEquals("Task[name=me, pending, running]", running);
        assertEquals("Task[name=sleeper, pending, sleeping until " + TestClocks.at(loop, 5.0) + "]", sleeper.toString());
        Task<Object> awaiting = loop.createTask(() -> sleeper.await(), "awaiting");
        runBriefly(loop);
        assertEquals("Task[name=awaiting, pending, waiting on Task[name=sleeper]]", awaiting.toString());
        loop.runUntilComplete(awaiting);
    }

    @Test
    void taskBasics() throws Exception {
        Coroutine<Integer> inner1 = () -> 42;
        Coroutine<Integer> inner2 = () -> 1000;
        Coroutine<Integer> outer = () -> inner1.call() + inner2.call();
        assertEquals(1042, loop.runUntilComplete(outer));
    }

    // aio4j-only: a task's first step runs on the loop's next iteration, after what was already scheduled.
    @Test
    void taskStartsOnNextIteration() {
        Steps steps = new Steps();
        Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            steps.expect(1);
            l.callSoon(() -> steps.expect(3));
            Task<Void> t = Aio.createTask(() -> {
                steps.expect(4);
                return null;
            });
            l.callSoon(() -> steps.expect(5));
            steps.expect(2);
            assertFalse(t.done());
            Aio.sleep(0);
            steps.finish(6);
            assertTrue(t.done());
            return null;
        });
        steps.assertFinished(6);
    }

    // ================================================================== cancelling() and uncancel()

    @Test
    void cancelling() {
        Task<Void> t = loop.createTask(() -> {
            Aio.sleep(10);
            return null;
        });
        assertEquals(0, t.cancelling());
        assertFalse(t.toString().contains("cancelling"), t.toString());
        assertTrue(t.cancel());
        assertEquals(1, t.cancelling());
        assertTrue(t.toString().contains(", cancelling=1"), t.toString());
        assertTrue(t.cancel());
        assertEquals(2, t.cancelling());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals(0.0, TestClocks.elapsed(loop), "the body never ran, so it never slept");
    }

    @Test
    void uncancelBasic() {
        Task<Void> t = loop.createTask(() -> {
            try {
                Aio.sleep(10);
            } catch (CancelledError e) {
                assertEquals(0, Aio.currentTask().uncancel());
                Aio.sleep(10);
            }
            return null;
        });
        runSleep(0.01);
        assertTrue(t.cancel()); // cancels the first sleep
        assertTrue(t.toString().contains("cancelling=1"), t.toString());
        runSleep(0.01);
        assertFalse(t.toString().contains("cancelling"), t.toString()); // after uncancel()
        assertEquals(0, t.cancelling());
        assertTrue(t.cancel()); // cancels the second sleep
        assertEquals(1, t.cancelling());
        assertFalse(t.cancelled(), "still not complete");
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.cancelled());
        assertEquals(0.02, TestClocks.elapsed(loop), 1e-9);

        t.uncancel(); // no longer has any effect once the task is done
        assertTrue(t.cancelled());
        assertTrue(t.done());
    }

    /**
     * What {@code asyncio.timeout()} does by hand: a timer cancels the task, and the block that
     * caused the cancellation uncancels it and turns it into a TimeoutError, so the code after
     * the block runs on.
     */
    private static List<Boolean> makeRequestWithTimeout(double sleep, double timeout) {
        Task<?> task = Aio.currentTask();
        boolean[] timedOut = {false};
        boolean structuredBlockFinished = false;
        TimerHandle timeoutHandle = task.getLoop().callLater(timeout, () -> {
            timedOut[0] = true;
            task.cancel();
        });
        try {
            try {
                Aio.sleep(sleep); // the structured block affected by the timeout
                structuredBlockFinished = true;
            } catch (CancelledError e) {
                timeoutHandle.cancel();
                if (timedOut[0] && task.uncancel() == 0) {
                    throw new TimeoutError("timed out");
                }
                throw e;
            } finally {
                timeoutHandle.cancel();
            }
        } catch (TimeoutError e) {
            assertTrue(timedOut[0]);
        }
        boolean outerCodeReached = true; // code after the block is not affected by the timeout
        Aio.sleep(0);
        return List.of(timedOut[0], structuredBlockFinished, outerCodeReached);
    }

    @Test
    void uncancelStructuredBlocks() {
        Task<List<Boolean>> t1 = loop.createTask(() -> makeRequestWithTimeout(10.0, 0.1));
        assertEquals(List.of(true, false, true), loop.runUntilComplete(t1));
        assertEquals(0, t1.cancelling(), "no cancellation of the task is left pending");
        assertEquals(0.1, TestClocks.elapsed(loop), 1e-9);

        Task<List<Boolean>> t2 = loop.createTask(() -> makeRequestWithTimeout(0, 10.0));
        assertEquals(List.of(false, true, true), loop.runUntilComplete(t2));
        assertEquals(0, t2.cancelling());
        assertEquals(0.1, TestClocks.elapsed(loop), 1e-9, "the cancelled timer did not hold the loop");
    }

    @Test
    void uncancelResetsMustCancel() {
        Future<Void> fut = loop.createFuture();
        Task<Integer> task = loop.createTask(() -> {
            fut.await();
            return 42;
        });
        runSleep(0); // the task waits for fut
        fut.setResult(null); // the task is ready to resume
        assertTrue(task.cancel());
        assertEquals(1, task.cancelling());
        assertEquals(Task.PendingCancel.REQUESTED, task.pendingCancel); // white box
        assertEquals(0, task.uncancel());
        assertEquals(0, task.cancelling());
        assertEquals(Task.PendingCancel.NONE, task.pendingCancel); // white box
        assertEquals(42, loop.runUntilComplete(task));
    }

    // aio4j-only: uncancel() never goes below zero.
    @Test
    void uncancelWithoutCancel() {
        Task<Void> t = loop.createTask(() -> null);
        assertEquals(0, t.uncancel());
        assertEquals(0, t.cancelling());
        loop.runUntilComplete(t);
    }

    // ================================================================== cancellation

    @Test
    void cancel() {
        Task<Integer> t = loop.createTask(() -> {
            Aio.sleep(10.0);
            return 12;
        });
        loop.callSoon(t::cancel);
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.done());
        assertTrue(t.cancelled());
        assertFalse(t.cancel());
        assertEquals(0.0, TestClocks.elapsed(loop), "the sleep was cut short");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "my message")
    void cancelWithMessageThenFutureResult(String msg) {
        Task<Object> main = loop.createTask(() -> {
            Task<Void> task = Aio.createTask(TasksTest::sleepTen);
            Aio.sleep(0);
            task.cancel(msg);
            Aio.gatherReturnExceptions(task).await();
            return task.result();
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
        assertEquals(msg, e.getMessage());
        for (Throwable t : chain(e)) {
            assertEquals(CancelledError.class, t.getClass(), () -> "chain: " + chain(e));
            assertEquals(msg, t.getMessage());
        }
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "my message")
    void cancelWithMessageThenFutureException(String msg) {
        Task<Object> main = loop.createTask(() -> {
            Task<Void> task = Aio.createTask(TasksTest::sleepTen);
            Aio.sleep(0);
            task.cancel(msg);
            Aio.gatherReturnExceptions(task).await();
            return task.exception();
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
        assertEquals(msg, e.getMessage());
        Throwable inner = innermost(e);
        assertEquals(CancelledError.class, inner.getClass());
        assertEquals(msg, inner.getMessage());
    }

    @Test
    void cancellationExceptionContext() {
        Future<Void> fut = loop.createFuture();
        Task<Object> task = loop.createTask(() -> {
            Task<Void> inner = Aio.createTask(() -> {
                fut.setResult(null);
                Aio.sleep(10);
                return null;
            });
            fut.await();
            Aio.getRunningLoop().callSoon(() -> inner.cancel("msg"));
            try {
                inner.await();
            } catch (CancelledError ex) {
                throw new IllegalArgumentException("cancelled", ex);
            }
            return null;
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(task));
        assertEquals("cancelled", e.getMessage());
        assertEquals(CancelledError.class, e.getCause().getClass());
        assertEquals("msg", e.getCause().getMessage());
    }

    @Test
    void cancelWithMessageBeforeStartingTask() {
        AtomicInteger bodyRuns = new AtomicInteger();
        Task<Object> main = loop.createTask(() -> {
            Task<Void> task = Aio.createTask(() -> {
                bodyRuns.incrementAndGet();
                return sleepTen();
            });
            // no sleep here: the task has not started
            task.cancel("my message");
            Aio.gatherReturnExceptions(task).await();
            return task.exception();
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
        assertEquals("my message", e.getMessage());
        assertEquals("my message", innermost(e).getMessage());
        assertEquals(0, bodyRuns.get(), "a task cancelled before it started never runs its body");
    }

    // aio4j-only: cancelled before its first step, a task runs neither its body nor its finally blocks.
    @Test
    void cancelBeforeStartBodyNeverRuns() {
        List<String> trail = new ArrayList<>();
        Task<String> t = Loops.runVirtual(() -> {
            Task<String> task = Aio.createTask(() -> {
                try {
                    trail.add("body");
                    return "result";
                } finally {
                    trail.add("finally");
                }
            });
            assertTrue(task.cancel());
            Aio.gatherReturnExceptions(task).await();
            return task;
        });
        assertTrue(t.cancelled());
        assertEquals(List.of(), trail);
    }

    // aio4j-only: the CancelledError arrives at the await point, carries the message, and finally blocks run.
    @Test
    void cancelDeliveredAtAwaitPoint() {
        Steps steps = new Steps();
        List<Object> seen = new ArrayList<>();
        Loops.runVirtual(() -> {
            Future<String> never = Aio.getRunningLoop().createFuture();
            Task<String> t = Aio.createTask(() -> {
                steps.expect(2);
                try {
                    never.await();
                    steps.expectUnreached();
                } catch (CancelledError e) {
                    steps.expect(4);
                    seen.add(e.getMessage());
                    throw e;
                } finally {
                    steps.expect(5);
                }
                return "unreachable";
            });
            steps.expect(1);
            Aio.sleep(0);
            steps.expect(3);
            assertTrue(t.cancel("stop now"));
            assertTrue(never.cancelled(), "the awaited future is cancelled at once");
            CancelledError e = assertThrows(CancelledError.class, t::await);
            steps.finish(6);
            seen.add(e.getMessage());
            seen.add(t.cancelled());
            return null;
        });
        assertEquals(List.of("stop now", "stop now", true), seen);
    }

    // aio4j-only: asyncio cancels the awaited future with the first message; a second cancel()
    // before the task resumes only sets _must_cancel, and the task gets the future's
    // CancelledError, which carries the first message.
    @ParameterizedTest
    @ValueSource(strings = {"future", "sleep"})
    void cancelTwiceBeforeResumeDeliversFirstMessage_issue2(String awaiting) {
        Future<Void> fut = loop.createFuture();
        Task<Void> t = loop.createTask(() -> {
            if (awaiting.equals("future")) {
                fut.await();
            } else {
                Aio.sleep(10);
            }
            return null;
        });
        runBriefly(loop);
        assertTrue(t.cancel("first"));
        assertTrue(t.cancel("second"));
        assertEquals(2, t.cancelling());
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("first", e.getMessage());
    }

    @Test
    void cancelYield() {
        Task<Integer> t = loop.createTask(() -> {
            Aio.sleep(0);
            Aio.sleep(0);
            return 12;
        });
        runBriefly(loop); // start the task
        assertTrue(t.cancel());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.done());
        assertTrue(t.cancelled());
        assertFalse(t.cancel());
    }

    @Test
    void cancelInnerFuture() {
        Future<Void> f = loop.createFuture();
        Task<Integer> t = loop.createTask(() -> {
            f.await();
            return 12;
        });
        runBriefly(loop);
        f.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(f.cancelled());
        assertTrue(t.cancelled());
    }

    @Test
    void cancelBothTaskAndInnerFuture() {
        Future<Void> f = loop.createFuture();
        Task<Integer> t = loop.createTask(() -> {
            f.await();
            return 12;
        });
        runBriefly(loop);
        f.cancel();
        t.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.done());
        assertTrue(f.cancelled());
        assertTrue(t.cancelled());
    }

    /*
     * aio4j-only, variants of test_cancel_both_task_and_inner_future where the awaited future
     * fails instead of being cancelled, and the task is cancelled after the failure scheduled
     * its wake-up but before that ran. asyncio's Task.__wakeup calls future.result(), which marks
     * the exception retrieved, then __step sees _must_cancel and throws CancelledError in
     * instead: the body never sees the future's exception, and nothing is logged as "exception
     * was never retrieved" (closeLoopAndCheckNothingReported checks that at close).
     */

    @Test
    void cancelTaskAfterInnerFutureFailed() {
        Future<Void> f = loop.createFuture();
        List<Throwable> seen = new ArrayList<>();
        Task<Integer> t = loop.createTask(() -> {
            try {
                f.await();
            } catch (RuntimeException e) {
                seen.add(e);
                throw e;
            }
            return 12;
        });
        runBriefly(loop);
        f.setException(new IllegalStateException("inner failed"));
        assertFalse(t.done()); // its wake-up is scheduled, not run (f.cancel() here would retrieve)
        t.cancel("outer cancelled");
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("outer cancelled", e.getMessage());
        assertTrue(t.cancelled());
        assertEquals(1, seen.size(), () -> "seen: " + seen);
        assertInstanceOf(CancelledError.class, seen.get(0), () -> "the body sees the cancellation: " + seen);
        assertEquals("outer cancelled", seen.get(0).getMessage());
    }

    @Test
    void waitForTimesOutInTheIterationTheFutureFails() {
        Future<Integer> f = loop.createFuture();
        // Registered first, due at the same instant as the timeout below: it runs first in that
        // iteration (timers due together run in the order they were scheduled).
        loop.callLater(1.0, () -> f.setException(new IllegalStateException("inner failed")));
        Task<Integer> t = loop.createTask(() -> Aio.waitFor(f, 1.0));
        assertThrows(TimeoutError.class, () -> loop.runUntilComplete(t));
        assertTrue(f.done());
        assertFalse(f.cancelled(), "failed before the timeout could cancel it");
    }

    @Test
    void cancelTaskAfterGatheredFutureFailed() {
        Future<Integer> a = loop.createFuture();
        Future<Integer> b = loop.createFuture();
        Task<List<Integer>> t = loop.createTask(() -> Aio.gather(a, b).await());
        runBriefly(loop);
        a.setException(new IllegalStateException("child failed"));
        runBriefly(loop); // gather's callback fails the outer future, which schedules the wake-up
        assertFalse(t.done());
        t.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.cancelled());
        b.cancel(); // pending: gather leaves it alone when a child fails
    }

    @Test
    void cancelTaskCatching() {
        Future<Void> fut1 = loop.createFuture();
        Future<Void> fut2 = loop.createFuture();
        Task<Integer> t = loop.createTask(() -> {
            fut1.await();
            try {
                fut2.await();
            } catch (CancelledError e) {
                return 42;
            }
            return 0;
        });
        runBriefly(loop);
        assertSame(fut1, t.waitingOn); // white box
        fut1.setResult(null);
        runBriefly(loop);
        assertSame(fut2, t.waitingOn); // white box
        assertTrue(t.cancel());
        assertTrue(fut2.cancelled());
        assertEquals(42, loop.runUntilComplete(t));
        assertFalse(t.cancelled());
        assertEquals(1, t.cancelling(), "the request stays counted until uncancel()");
    }

    @Test
    void cancelTaskIgnoring() {
        Future<Void> fut1 = loop.createFuture();
        Future<Void> fut2 = loop.createFuture();
        Future<Integer> fut3 = loop.createFuture();
        Task<Integer> t = loop.createTask(() -> {
            fut1.await();
            try {
                fut2.await();
            } catch (CancelledError ignored) {
                // keep going
            }
            return fut3.await();
        });
        runBriefly(loop);
        assertSame(fut1, t.waitingOn);
        fut1.setResult(null);
        runBriefly(loop);
        assertSame(fut2, t.waitingOn);
        t.cancel();
        assertTrue(fut2.cancelled());
        runBriefly(loop);
        assertSame(fut3, t.waitingOn);
        fut3.setResult(42);
        assertEquals(42, loop.runUntilComplete(t));
        assertFalse(fut3.cancelled());
        assertFalse(t.cancelled());
    }

    @Test
    void cancelCurrentTask() {
        AtomicReference<Task<Integer>> ref = new AtomicReference<>();
        Task<Integer> t = loop.createTask(() -> {
            Task<Integer> me = ref.get();
            assertTrue(me.cancel());
            assertEquals(Task.PendingCancel.REQUESTED, me.pendingCancel); // white box
            Aio.sleep(100); // cancelled at once
            return 12;
        });
        ref.set(t);
        assertFalse(t.cancelled());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.done());
        assertTrue(t.cancelled());
        assertEquals(Task.PendingCancel.NONE, t.pendingCancel); // white box
        assertFalse(t.cancel());
        assertEquals(0.0, TestClocks.elapsed(loop), "the sleep did not wait: it was cancelled before it began");
    }

    @Test
    void cancelAtEnd() {
        AtomicReference<Task<Integer>> ref = new AtomicReference<>();
        Task<Integer> t = loop.createTask(() -> {
            assertTrue(ref.get().cancel());
            assertEquals(Task.PendingCancel.REQUESTED, ref.get().pendingCancel); // white box
            return 12;
        });
        ref.set(t);
        assertFalse(t.cancelled());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.done());
        assertTrue(t.cancelled());
        assertEquals(Task.PendingCancel.NONE, t.pendingCancel); // white box
        assertFalse(t.cancel());
    }

    @Test
    void cancelAwaitedTask() {
        Future<Void> fut = loop.createFuture();
        AtomicReference<Task<Void>> taskRef = new AtomicReference<>();
        AtomicReference<Task<Void>> nestedRef = new AtomicReference<>();
        List<String> trail = Collections.synchronizedList(new ArrayList<>());
        Task<Void> task = loop.createTask(() -> {
            Task<Void> nested = Aio.createTask(() -> {
                try {
                    fut.await();
                } finally {
                    trail.add("nested finally");
                }
                return null;
            });
            nestedRef.set(nested);
            Aio.sleep(0); // the nested task starts and waits for fut
            taskRef.get().cancel(); // request our own cancellation while running
            nested.await(); // the nested task must be cancelled at once
            return null;
        });
        taskRef.set(task);
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(task));
        assertTrue(task.cancelled());
        assertTrue(nestedRef.get().cancelled());
        assertTrue(fut.cancelled(), "cancelling the nested task cancels what it awaits");
        assertEquals(List.of("nested finally"), trail, "the nested task was unwound, not just marked cancelled");
        assertTrue(loop.allTasks().isEmpty(), () -> "pending: " + loop.allTasks());
    }

    @Test
    void cancelTracebackForFutureResult() {
        Task<Void> main = loop.createTask(() -> {
            Task<Void> task = Aio.createTask(TasksTest::sleepTen);
            Aio.sleep(0);
            task.cancel();
            return awaitTarget(task);
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
        assertTrue(chainHasFrame(e, "sleepTen"), "the cancelled line is in the chain");
        assertTrue(chainHasFrame(e, "awaitTarget"), "the intermediate await is in the chain");
    }

    @Test
    void cancelTracebackForFutureException() {
        Task<Object> main = loop.createTask(() -> {
            Task<Void> task = Aio.createTask(TasksTest::sleepTen);
            Aio.sleep(0);
            task.cancel();
            Aio.gatherReturnExceptions(task).await();
            return task.exception();
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(main));
        assertTrue(chainHasFrame(e, "sleepTen"), "the cancelled line is in the chain");
    }

    @Test
    void stopWhileRunInComplete() {
        AtomicInteger x = new AtomicInteger();
        Task<Void> t = loop.createTask(() -> {
            while (x.get() < 10) {
                Aio.sleep(0.1);
                if (x.incrementAndGet() == 2) {
                    Aio.getRunningLoop().stop();
                }
            }
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertEquals("Event loop stopped before Future completed: " + t, e.getMessage());
        assertFalse(t.done());
        assertEquals(2, x.get());
        assertEquals(0.2, TestClocks.elapsed(loop), 1e-9);

        t.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
    }

    @Test
    void taskCancelSleepingTask() {
        String r = loop.runUntilComplete(loop.createTask(() -> {
            Task<Void> sleeper = Aio.createTask(() -> {
                Aio.sleep(5000);
                return null;
            });
            Aio.getRunningLoop().callLater(0.1, sleeper::cancel);
            try {
                sleeper.await();
            } catch (CancelledError e) {
                return "cancelled";
            }
            return "slept in";
        }));
        assertEquals("cancelled", r);
        assertEquals(0.1, TestClocks.elapsed(loop), 1e-9);
    }

    @Test
    void taskCancelWaiterFuture() {
        Future<Void> fut = loop.createFuture();
        Task<Void> task = loop.createTask(() -> fut.await());
        runBriefly(loop);
        assertSame(fut, task.waitingOn);
        assertTrue(task.cancel());
        runBriefly(loop);
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(task));
        assertNull(task.waitingOn);
        assertTrue(fut.cancelled());
    }

    @Test
    void taskSetMethods() {
        Task<String> task = loop.createTask(() -> "ko");
        UnsupportedOperationException r = assertThrows(UnsupportedOperationException.class, () -> task.setResult("ok"));
        assertEquals("Task does not support setResult(): a task's result is what its body returns", r.getMessage());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> task.setException(new IllegalArgumentException()));
        assertEquals("Task does not support setException(): a task fails when its body throws", e.getMessage());
        assertEquals("ko", loop.runUntilComplete(task));
    }

    @Test
    void stepResultFuture() {
        Future<Object> fut = loop.createFuture();
        AtomicReference<Object> result = new AtomicReference<>();
        Task<Void> t = loop.createTask(() -> {
            result.set(fut.await());
            return null;
        });
        runBriefly(loop);
        assertEquals(1, fut.callbackCount(), "the task waits as a callback of the future");

        Object res = new Object();
        fut.setResult(res);
        runBriefly(loop);
        assertSame(res, result.get());
        assertTrue(t.done());
        assertNull(t.result());
        assertEquals(0, fut.callbackCount());
    }

    /** Stands in for Python's {@code SystemExit}: an {@link Error}, not an exception. */
    private static final class FatalError extends Error {
        private static final long serialVersionUID = 1L;

        FatalError() {
            super("fatal");
        }
    }

    @Test
    void baseexceptionDuringCancel() {
        FatalError baseExc = new FatalError();
        Task<Void> task = loop.createTask(() -> {
            try {
                sleepTen();
            } catch (CancelledError e) {
                throw baseExc;
            }
            return null;
        });
        runBriefly(loop);
        task.cancel();
        assertFalse(task.done());
        runUntilDone(loop, task);
        assertTrue(task.done());
        assertFalse(task.cancelled());
        assertSame(baseExc, task.exception());
    }

    @Test
    void coroutineNonGenFunction() {
        assertEquals("test", loop.runUntilComplete(() -> "test"));
    }

    @Test
    void coroutineNonGenFunctionReturnFuture() {
        Future<String> fut = loop.createFuture();
        Task<Future<String>> t1 = loop.createTask(() -> fut);
        Task<Void> t2 = loop.createTask(() -> {
            fut.setResult("test");
            return null;
        });
        Future<String> res = loop.runUntilComplete(t1);
        assertSame(fut, res, "a returned future is the result; it is not awaited");
        assertNull(t2.result());
    }

    // ================================================================== current task, all tasks

    @Test
    void currentTask() {
        assertNull(Aio.currentTask());
        AtomicReference<Task<?>> seen = new AtomicReference<>();
        Task<Void> task = loop.createTask(() -> {
            seen.set(Aio.currentTask());
            return null;
        });
        loop.runUntilComplete(task);
        assertSame(task, seen.get());
        assertNull(Aio.currentTask());
    }

    @Test
    void currentTaskWithInterleavingTasks() {
        assertNull(Aio.currentTask());
        Future<Boolean> fut1 = loop.createFuture();
        Future<Boolean> fut2 = loop.createFuture();
        AtomicReference<Task<Void>> task1 = new AtomicReference<>();
        AtomicReference<Task<Void>> task2 = new AtomicReference<>();
        List<String> trail = new ArrayList<>();
        task1.set(loop.createTask(() -> {
            trail.add("1 is current: " + (Aio.currentTask() == task1.get()));
            fut1.await();
            trail.add("1 is current: " + (Aio.currentTask() == task1.get()));
            fut2.setResult(true);
            return null;
        }));
        task2.set(loop.createTask(() -> {
            trail.add("2 is current: " + (Aio.currentTask() == task2.get()));
            fut1.setResult(true);
            fut2.await();
            trail.add("2 is current: " + (Aio.currentTask() == task2.get()));
            return null;
        }));
        loop.runUntilComplete(Aio.gatherReturnExceptions(task1.get(), task2.get()));
        assertEquals(List.of("1 is current: true", "2 is current: true", "1 is current: true", "2 is current: true"), trail);
        assertNull(Aio.currentTask());
    }

    // aio4j-only: no task is current in a loop callback.
    @Test
    void currentTaskInLoopCallback() {
        AtomicReference<Object> seen = new AtomicReference<>("not run");
        loop.runUntilComplete(loop.createTask(() -> {
            Future<Void> ran = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callSoon(() -> {
                seen.set(Aio.currentTask());
                ran.setResult(null);
            });
            ran.await();
            return null;
        }));
        assertNull(seen.get());
    }

    // aio4j-only
    @Test
    void allTasks() {
        IllegalStateException outside = assertThrows(IllegalStateException.class, Aio::allTasks);
        assertTrue(outside.getMessage().startsWith("no running event loop"), outside.getMessage());
        Loops.runVirtual(() -> {
            Task<?> main = Aio.currentTask();
            assertEquals(Set.of(main), Aio.allTasks());
            Task<Void> a = Aio.createTask(() -> {
                Aio.sleep(1);
                return null;
            }, "a");
            Task<String> b = Aio.createTask(() -> "quick", "b");
            assertEquals(List.of(main, a, b), new ArrayList<>(Aio.allTasks()), "creation order");
            Aio.sleep(0);
            assertEquals(List.of(main, a), new ArrayList<>(Aio.allTasks()), "done tasks leave");
            a.await();
            assertEquals(Set.of(main), Aio.allTasks());
            assertEquals("quick", b.result());
            return null;
        });
    }

    // ================================================================== cancellation through awaits

    @Test
    void yieldFuturePassesCancel() {
        AtomicInteger proof = new AtomicInteger();
        Future<Void> waiter = loop.createFuture();
        Coroutine<Void> inner = () -> {
            try {
                waiter.await();
            } catch (CancelledError e) {
                proof.addAndGet(1);
                throw e;
            }
            throw new AssertionError("got past the await in inner()");
        };
        Task<Void> f = loop.createTask(() -> {
            try {
                inner.call();
            } catch (CancelledError e) {
                proof.addAndGet(100); // expect this path
                return null;
            }
            proof.addAndGet(10);
            return null;
        });
        runBriefly(loop);
        f.cancel();
        loop.runUntilComplete(f);
        assertEquals(101, proof.get());
        assertTrue(waiter.cancelled());
    }

    // ================================================================== errors

    // aio4j-only: the exception of a task is what await() and runUntilComplete() throw, the same object.
    @Test
    void taskExceptionPropagates() {
        IllegalStateException exc = new IllegalStateException("inner failure");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Loops.runVirtual(() -> {
            Task<Object> t = Aio.createTask(() -> {
                Aio.sleep(1);
                throw exc;
            });
            IllegalStateException caught = assertThrows(IllegalStateException.class, t::await);
            assertSame(exc, caught);
            assertSame(exc, t.exception());
            throw exc;
        }));
        assertSame(exc, thrown);

        IOException checked = new IOException("checked failure");
        IOException unchanged = assertThrows(IOException.class, () -> Loops.runVirtual(() -> {
            throw checked;
        }));
        assertSame(checked, unchanged);
    }

    // aio4j-only: a failed task whose exception nobody retrieved is reported, naming the task.
    @Test
    void taskExceptionNeverRetrieved() {
        RecordingExceptionHandler h = new RecordingExceptionHandler();
        IllegalStateException exc = new IllegalStateException("boom");
        Loops.runVirtual(h, () -> {
            Aio.createTask(() -> {
                throw exc;
            }, "doomed");
            Aio.sleep(0);
            Aio.sleep(0);
            return null;
        });
        assertEquals(List.of("Task exception was never retrieved: Task[name=doomed, finished exception="
                + "java.lang.IllegalStateException: boom]"), h.messages());
        assertSame(exc, h.contexts().get(0).exception());
    }

    @Test
    void logDestroyedPendingTask() {
        loop.setDebug(true);
        List<String> trail = new ArrayList<>();
        Future<Void> never = loop.createFuture();
        Task<Void> task = loop.createTask(() -> {
            try {
                never.await();
                trail.add("not reached");
            } finally {
                trail.add("finally");
            }
            return null;
        }, "kill_me");
        assertEquals(Set.of(task), loop.allTasks());
        runBriefly(loop); // the task waits for the future
        assertEquals(List.of(), trail);

        loop.close();
        List<ExceptionContext> reports = handler.contexts();
        assertEquals(1, reports.size(), () -> "reports: " + handler.messages());
        ExceptionContext report = reports.get(0);
        assertEquals("Task was destroyed but it is pending!", report.message());
        assertSame(task, report.task());
        assertNotNull(report.sourceTraceback());
        assertEquals("logDestroyedPendingTask", report.sourceTraceback()[0].getMethodName(),
                () -> "created at: " + top(report.sourceTraceback()));
        assertEquals(List.of("finally"), trail, "closing the loop unwinds the task");
        assertTrue(task.cancelled());
        assertEquals("event loop is closed", assertThrows(CancelledError.class, task::result).getMessage());
        handler.clear();
    }

    @Test
    void tbLoggerNotCalledAfterCancel() {
        RecordingExceptionHandler h = new RecordingExceptionHandler();
        Loops.runVirtual(h, () -> {
            Task<Void> task = Aio.createTask(() -> {
                throw new IllegalArgumentException("type error");
            });
            Aio.sleep(0.05);
            assertTrue(task.done());
            assertFalse(task.cancel());
            return null;
        });
        h.assertNothingReported();
    }

    @Test
    void taskSourceTraceback() {
        loop.setDebug(true);
        Task<Void> task = loop.createTask(() -> null);
        assertNotNull(task.sourceTraceback);
        StackTraceElement site = task.sourceTraceback[0];
        assertEquals(TasksTest.class.getName(), site.getClassName(), () -> "created at: " + top(task.sourceTraceback));
        assertEquals("taskSourceTraceback", site.getMethodName());
        loop.runUntilComplete(task);
    }

    @Test
    void exceptionTraceback() {
        loop.runUntilComplete(loop.createTask(() -> {
            Task<Integer> task = Aio.createTask(() -> 1 / zero());
            Aio.sleep(0);
            Throwable e = task.exception();
            assertInstanceOf(ArithmeticException.class, e);
            StackTraceElement thrower = e.getStackTrace()[0];
            assertEquals(TasksTest.class.getName(), thrower.getClassName());
            assertTrue(thrower.getMethodName().startsWith("lambda$exceptionTraceback$"), thrower.getMethodName());
            return null;
        }));
    }

    private static int zero() {
        return 0;
    }

    @Test
    void createTaskWithNoncoroutine() {
        // A bare null matches both the Coroutine and the VoidCoroutine overload: cast it.
        NullPointerException e = assertThrows(NullPointerException.class, () -> loop.createTask((Coroutine<Object>) null));
        assertEquals("coroutine must not be null", e.getMessage());
        NullPointerException again = assertThrows(NullPointerException.class,
                () -> loop.createTask((Coroutine<Object>) null, "named"));
        assertEquals("coroutine must not be null", again.getMessage());
        NullPointerException asVoid = assertThrows(NullPointerException.class, () -> loop.createTask((VoidCoroutine) null));
        assertEquals("coroutine must not be null", asVoid.getMessage());
        assertTrue(loop.allTasks().isEmpty());
    }

    @Test
    void createTaskWithAsyncFunction() {
        Task<Void> task = loop.createTask(() -> null);
        assertInstanceOf(Task.class, task);
        loop.runUntilComplete(task);
        Task<Void> again = loop.createTask(() -> null);
        loop.runUntilComplete(again);
        assertTrue(again.done());
    }

    @Test
    void bareCreateTask() {
        int ret = Loops.runVirtual(() -> {
            Task<Integer> task = Aio.createTask(() -> 1);
            assertInstanceOf(Task.class, task);
            return task.await();
        });
        assertEquals(1, ret);
    }

    @Test
    void bareCreateNamedTask() {
        Loops.runVirtual(() -> {
            Task<Void> task = Aio.createTask(() -> null, "No-op");
            assertEquals("No-op", task.getName());
            task.await();
            return null;
        });
    }

    // aio4j-only: a task nobody holds a reference to still runs to its end (the loop holds it).
    @Test
    void taskWithoutReferenceRunsToEnd() {
        List<String> trail = Collections.synchronizedList(new ArrayList<>());
        Loops.runVirtual(() -> {
            Aio.createTask(() -> {
                Aio.sleep(1);
                trail.add("step 1");
                Aio.sleep(1);
                trail.add("done");
                return null;
            });
            Aio.sleep(0.5);
            System.gc();
            Aio.sleep(5);
            return null;
        });
        assertEquals(List.of("step 1", "done"), trail);
    }

    // ================================================================== sleep

    @Test
    void sleep() {
        Task<String> t = loop.createTask(() -> {
            Aio.sleep(0.05);
            return Aio.sleep(0.05, "yeah");
        });
        loop.runUntilComplete(t);
        assertTrue(t.done());
        assertEquals("yeah", t.result());
        assertEquals(0.1, TestClocks.elapsed(loop), 1e-9);
    }

    @Test
    void sleepWhenDelayIsNan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(() -> {
            Aio.sleep(Double.NaN);
            return null;
        }));
        assertEquals("seconds must be a finite number of seconds, got NaN", e.getMessage());
    }

    @Test
    void sleepCancel() {
        Task<String> t = loop.createTask(() -> Aio.sleep(10.0, "yeah"));
        runBriefly(loop);
        TimerHandle handle = (TimerHandle) t.waitingOn; // white box
        assertFalse(handle.cancelled());
        assertEquals(1, loop.timerCount());
        t.cancel();
        // aio4j-only: at once, not at the task's next step (asyncio cancels the handle when sleep()
        // resumes); the heap drops a cancelled timer at once.
        assertTrue(handle.cancelled());
        assertEquals(0, loop.timerCount(), "a cancelled sleep leaves no timer behind");
        runBriefly(loop);
        assertTrue(handle.cancelled());
        runUntilDone(loop, t);
        assertTrue(t.cancelled());
    }

    @Test
    void sleepZero() {
        AtomicInteger result = new AtomicInteger();
        loop.runUntilComplete(() -> {
            Aio.getRunningLoop().callSoon(() -> result.addAndGet(1));
            assertEquals(0, result.get());
            int num = Aio.sleep(0, 10);
            assertEquals(1, result.get()); // incremented by the callback
            result.addAndGet(num);
            return null;
        });
        assertEquals(11, result.get());
    }

    // aio4j-only: sleepers wake in deadline order; equal deadlines wake in the order they slept.
    @Test
    void sleepOrdering() {
        List<String> order = new ArrayList<>();
        double[] delays = {3, 1, 2, 1, 0, 2.5};
        Loops.runVirtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < delays.length; i++) {
                String name = String.valueOf((char) ('a' + i));
                double d = delays[i];
                tasks.add(Aio.createTask(() -> {
                    Aio.sleep(d);
                    order.add(name + "@" + TestClocks.elapsed(Aio.getRunningLoop()));
                    return null;
                }));
            }
            Aio.gather(tasks).await();
            return null;
        });
        assertEquals(List.of("e@0.0", "b@1.0", "d@1.0", "c@2.0", "f@2.5", "a@3.0"), order);
    }

    // aio4j-only: suspending outside a task fails with a message that says what to do.
    @Test
    void sleepOutsideTask() {
        IllegalStateException here = assertThrows(IllegalStateException.class, () -> Aio.sleep(1));
        assertEquals("Aio.sleep() called outside a task (thread '" + Thread.currentThread().getName()
                + "'); run it inside Aio.run(...) or a task, or use EventLoop.runUntilComplete(...)", here.getMessage());

        AtomicReference<Throwable> inCallback = new AtomicReference<>();
        loop.runUntilComplete(() -> {
            Future<Void> ran = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callSoon(() -> {
                try {
                    Aio.sleep(1);
                } catch (Throwable e) {
                    inCallback.set(e);
                }
                ran.setResult(null);
            });
            ran.await();
            return null;
        });
        assertEquals(IllegalStateException.class, inCallback.get().getClass());
        assertEquals("Aio.sleep() called from a loop callback, not from a task; create a task with Aio.createTask(...) "
                + "or schedule with EventLoop.callLater(...)", inCallback.get().getMessage());
    }

    // aio4j-only: Task.cancel() from another thread while the loop runs is refused (as
    // Future.cancel() is), and the task goes on.
    @Test
    @Timeout(5)
    void cancelFromForeignThreadWhileRunning() {
        ExecutorService intruder = Executors.newSingleThreadExecutor(r -> new Thread(r, "intruder"));
        try {
            List<String> messages = Loops.runVirtual(() -> {
                EventLoop l = Aio.getRunningLoop();
                Task<String> t = Aio.createTask(() -> {
                    Aio.sleep(10);
                    return "finished";
                });
                Aio.sleep(0);
                List<String> out = l.runInExecutor(intruder, () -> FuturesTest.refusals(List.of(
                        () -> t.cancel(),
                        () -> t.cancel("from the wrong thread")))).await();
                assertEquals(0, t.cancelling());
                assertEquals("finished", t.await());
                return out;
            });
            String tail = " called from thread 'intruder', which is neither the event loop's thread nor one of its "
                + "running tasks; from other threads use EventLoop.callSoonThreadsafe(...) or "
                + "Aio.runCoroutineThreadsafe(...)";
            assertEquals(List.of("Task.cancel()" + tail, "Task.cancel()" + tail), messages);
        } finally {
            intruder.shutdownNow();
        }
    }

    // aio4j-only: cancelling the CompletableFuture view from another thread while the loop runs
    // cancels the task, on its loop.
    @Test
    @Timeout(5)
    void cancelToCompletableFutureFromAnotherThread() {
        ExecutorService intruder = Executors.newSingleThreadExecutor(r -> new Thread(r, "intruder"));
        try {
            Loops.runVirtual(() -> {
                EventLoop l = Aio.getRunningLoop();
                Task<String> t = Aio.createTask(() -> {
                    Aio.sleep(3600);
                    return "not cancelled";
                });
                CompletableFuture<String> view = t.toCompletableFuture();
                Aio.sleep(0);
                assertTrue(l.runInExecutor(intruder, () -> view.cancel(false)).await());
                assertThrows(CancelledError.class, t::await);
                assertTrue(t.cancelled());
                assertTrue(view.isCancelled());
                return null;
            });
        } finally {
            intruder.shutdownNow();
        }
    }

    // ================================================================== runCoroutineThreadsafe

    /** Runs {@code body} on a new thread and awaits what it hands back. */
    private static Object fromOtherThread(java.util.concurrent.Callable<Object> body) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                out.complete(body.call());
            } catch (Throwable e) {
                out.complete(e);
            }
        }, "foreign-caller");
        t.start();
        return Aio.wrapFuture(out).await();
    }

    @Test
    @Timeout(10)
    void runCoroutineThreadsafe() {
        Object result = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            return fromOtherThread(() -> Aio.runCoroutineThreadsafe(() -> {
                Aio.sleep(0.05);
                return 1 + 2;
            }, l).get());
        });
        assertEquals(3, result);
    }

    @Test
    @Timeout(10)
    void runCoroutineThreadsafeWithException() {
        Object result = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            return fromOtherThread(() -> Aio.runCoroutineThreadsafe(() -> {
                Aio.sleep(0.05);
                throw new IllegalStateException("Fail!");
            }, l).get());
        });
        assertInstanceOf(ExecutionException.class, result);
        assertInstanceOf(IllegalStateException.class, ((Throwable) result).getCause());
        assertEquals("Fail!", ((Throwable) result).getCause().getMessage());
    }

    @Test
    @Timeout(10)
    void runCoroutineThreadsafeWithTimeout() {
        AtomicReference<Task<?>> started = new AtomicReference<>();
        List<Object> seen = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            Future<Integer> never = l.createFuture();
            AtomicReference<CompletableFuture<Integer>> cfRef = new AtomicReference<>();
            Object r = fromOtherThread(() -> {
                CompletableFuture<Integer> cf = Aio.runCoroutineThreadsafe(() -> {
                    started.set(Aio.currentTask());
                    return never.await();
                }, l);
                cfRef.set(cf);
                try {
                    return cf.get(0, TimeUnit.MILLISECONDS);
                } finally {
                    cf.cancel(false);
                }
            });
            Task<?> t = started.get();
            if (t != null) {
                Aio.gatherReturnExceptions(t).await();
                assertTrue(t.cancelled());
                assertTrue(never.cancelled());
            }
            Aio.sleep(0);
            assertEquals(Set.of(Aio.currentTask()), Aio.allTasks(), "nothing left pending");
            return List.of(r, cfRef.get().isCancelled());
        });
        assertInstanceOf(TimeoutException.class, seen.get(0));
        assertEquals(true, seen.get(1));
    }

    @Test
    @Timeout(10)
    void runCoroutineThreadsafeTaskCancelled() {
        Object result = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            return fromOtherThread(() -> Aio.runCoroutineThreadsafe(() -> {
                Aio.sleep(0.05);
                Aio.currentTask().cancel();
                Aio.sleep(0);
                return 3;
            }, l).get());
        });
        assertInstanceOf(CancellationException.class, result);
    }
}
