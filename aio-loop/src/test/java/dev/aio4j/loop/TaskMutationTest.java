package dev.aio4j.loop;

import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.aio4j.loop.test.Loops.inLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link Task} that its mutants (issue 11) showed untested. aio4j-only; complements
 * {@link TasksTest} (whose {@code uncancel} tests mirror CPython's {@code test_uncancel_*}).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskMutationTest {

    @Test
    void uncancelReturnsTheCountLeft_issue11() throws Exception {
        inLoop(() -> {
            Task<Object> t = Aio.createTask(() -> {
                Aio.sleep(10);
                return null;
            });
            Aio.sleep(0);
            t.cancel();
            t.cancel();
            assertEquals(2, t.cancelling());
            assertEquals(1, t.uncancel());
            assertEquals(1, t.cancelling());
            assertEquals(0, t.uncancel());
            assertEquals(0, t.uncancel(), "never below zero");
            t.cancel("again");
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals(1, t.cancelling());
        });
    }

    // ------------------------------------------------------------------- getStack's trimming

    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, null, -1);
    }

    private static final StackTraceElement PARK = frame("java.lang.VirtualThread", "park");
    private static final StackTraceElement TASK_PARK = frame("dev.aio4j.loop.Task", "park");
    private static final StackTraceElement AWAIT = frame("dev.aio4j.loop.Future", "await");
    private static final StackTraceElement USER = frame("com.example.Fetcher", "fetch");
    private static final StackTraceElement USER_CALLER = frame("com.example.Fetcher", "run");
    private static final StackTraceElement BODY = frame("dev.aio4j.loop.Task", "body");

    @Test
    void getStackStartsAtTheAio4jCallTheUserMadeAndEndsAboveTheBody_issue11() {
        StackTraceElement[] raw = {PARK, TASK_PARK, AWAIT, USER, USER_CALLER, BODY, frame("java.lang.Thread", "run")};
        assertArrayEquals(new StackTraceElement[] {AWAIT, USER, USER_CALLER}, Task.trimStack(raw));
    }

    @Test
    void getStackOfOnlyLoopMachineryIsEmpty_issue11() {
        assertArrayEquals(new StackTraceElement[0], Task.trimStack(new StackTraceElement[] {PARK, TASK_PARK, AWAIT}));
        assertArrayEquals(new StackTraceElement[0], Task.trimStack(new StackTraceElement[0]));
    }

    @Test
    void getStackOfATaskWaitingInAJdkCallStartsAtTheUsersFrame_issue11() {
        StackTraceElement lockPark = frame("java.util.concurrent.locks.LockSupport", "park");
        // The last frame before the user's is the JDK's: the trimmed stack used to come out empty
        // (the walk ran on to the body) or, without a body frame, past the end of the array.
        StackTraceElement[] raw = {PARK, lockPark, USER, USER_CALLER, BODY, frame("java.lang.Thread", "run")};
        assertArrayEquals(new StackTraceElement[] {USER, USER_CALLER}, Task.trimStack(raw));
        assertArrayEquals(new StackTraceElement[] {USER, USER_CALLER},
                Task.trimStack(new StackTraceElement[] {PARK, lockPark, USER, USER_CALLER}));
        assertArrayEquals(new StackTraceElement[] {USER}, Task.trimStack(new StackTraceElement[] {PARK, USER}));
    }

    @Test
    void getStackWithoutMachineryOrBodyKeepsEveryFrame_issue11() {
        StackTraceElement[] raw = {USER, USER_CALLER};
        assertArrayEquals(raw, Task.trimStack(raw));
    }

    // ------------------------------------------------------------- how a body's end is recorded

    @Test
    void virtualMachineErrorInABodyEndsTheRunAndTheTask_issue11() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        EventLoop loop = EventLoop.create(TestClocks.autoJump());
        loop.setExceptionHandler(handler);
        Task<Object> sleeper = loop.createTask(() -> {
            Aio.sleep(10);
            return null;
        }, "sleeper");
        StackOverflowError error = new StackOverflowError("deep");
        Task<Object> t = loop.createTask(() -> {
            throw error;
        }, "overflow");
        assertSame(error, assertThrows(StackOverflowError.class, () -> loop.runUntilComplete(t)));
        assertTrue(t.done());
        assertSame(error, t.exception());
        assertSame(error, loop.fatalError());
        loop.close();
        assertEquals(List.of("Event loop closed after a fatal error; 1 pending task(s) were dropped"), handler.messages());
        assertTrue(sleeper.cancelled(), "unwound by close()");
    }

    @Test
    void bodyFailingWithTheClosedLoopsErrorWhileCloseUnwindsItIsCancelled_issue11() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        EventLoop loop = EventLoop.create(TestClocks.autoJump());
        loop.setExceptionHandler(handler);
        Future<Object> never = loop.createFuture();
        Task<Object> t = loop.createTask(() -> {
            try {
                return never.await();
            } finally {
                loop.callSoon(() -> {}); // throws: the loop is closing
            }
        }, "cleanup");
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(0);
            return null;
        }));
        loop.close();
        assertTrue(t.cancelled(), t.toString());
        assertEquals(List.of("Task was destroyed but it is pending!"), handler.messages(),
                "no 'exception was never retrieved' for the IllegalStateException");
        assertEquals(0, never.callbackCount(), "a future outliving its loop keeps no callback of the destroyed task");
    }

    @Test
    void aFailureThatIsNotTheClosedLoopsErrorIsKeptWhenCloseUnwinds_issue11() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        EventLoop loop = EventLoop.create(TestClocks.autoJump());
        loop.setExceptionHandler(handler);
        Task<Object> t = loop.createTask(() -> {
            try {
                return loop.createFuture().await();
            } finally {
                throw new IllegalArgumentException("cleanup failed"); // not the closed loop's error
            }
        }, "cleanup");
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(0);
            return null;
        }));
        loop.close();
        assertFalse(t.cancelled(), t.toString());
        assertEquals("cleanup failed", t.exception().getMessage());
    }

    // ------------------------------------------------------------ a cancel requested while running

    @Test
    void cancelRequestedWhileRunningCancelsOnlyTheNextAwait_issue11() throws Exception {
        inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Task<String> t = Aio.createTask(() -> {
                Task<?> me = Aio.currentTask();
                me.cancel("first");
                Future<String> first = loop.createFuture();
                CancelledError e = assertThrows(CancelledError.class, first::await);
                assertEquals("first", e.getMessage());
                assertTrue(first.cancelled());
                me.uncancel();
                Future<String> second = loop.createFuture();
                loop.callSoon(() -> second.setResult("second"));
                return second.await();
            });
            assertEquals("second", t.await());
        });
    }

    @Test
    void sleepAfterACancelWhileRunningLeavesNoTimer_issue11() throws Exception {
        inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Task<Object> t = Aio.createTask(() -> {
                Aio.currentTask().cancel();
                Aio.sleep(10);
                return null;
            });
            Aio.sleep(0); // t ran first: it asked to sleep while cancelled, and is waiting for its next step
            assertFalse(t.done());
            assertEquals(0, loop.timerCount(), "the sleep's timer was cancelled at once");
            assertThrows(CancelledError.class, t::await);
        });
    }

    @Test
    void cancelWhileRunningGoesToTheAwaitedTaskWhichMaySwallowIt_issue11() throws Exception {
        // As asyncio: the request is handed to the awaited task (its cancel() returns true), so the
        // awaiting task is not cancelled again when it resumes; the inner task refused, and its
        // result is the outer task's.
        inLoop(() -> {
            Task<String> inner = Aio.createTask(() -> {
                try {
                    Aio.sleep(10);
                    return "slept";
                } catch (CancelledError e) {
                    return "swallowed";
                }
            });
            Task<String> outer = Aio.createTask(() -> {
                Aio.currentTask().cancel();
                return inner.await();
            });
            assertEquals("swallowed", outer.await());
            assertFalse(outer.cancelled());
        });
    }
}
