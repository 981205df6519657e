package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.ClosedSelectorException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable scheduler's baton passing (docs/architecture.md, "Schedulers"): the loop's own
 * code runs on whichever thread holds the baton, a task's thread included. These tests make
 * their loops with the portable scheduler whatever {@code -Daio4j.scheduler} says
 * ({@link Loops#portable}), so that the mutation profile, which runs the suite on the carrier
 * scheduler, measures the baton code too (issue 11). Where the behaviour is asyncio's and not
 * the scheduler's, the same body also runs on the loop the run's scheduler gives.
 * aio4j-only.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BatonPassingTest {

    // ---------------------------------------------------------- debug mode turned on by a task

    @Test
    void debugModeTurnedOnByATaskKeepsAsyncioOrder_portable() throws Exception {
        debugModeTurnedOnByATaskKeepsAsyncioOrder(Loops.portableVirtualLoop());
    }

    @Test
    void debugModeTurnedOnByATaskKeepsAsyncioOrder_thisRunsScheduler() throws Exception {
        debugModeTurnedOnByATaskKeepsAsyncioOrder(Loops.virtualLoop());
    }

    /**
     * A task turns debug mode on and yields while a callback of the same iteration is still to
     * run. With baton passing the task's thread is running the loop's code at that moment and
     * hands the rest of the iteration back to the runner (debug mode measures steps the classic
     * way); the runner must go on with the same iteration, not start a new one. asyncio's order:
     * the callback X, then the next iteration's callbacks in the order they were queued (the
     * task's step, then Y, which X queued), then the timer that fell due (timers join the ready
     * queue after it is formed).
     */
    private static void debugModeTurnedOnByATaskKeepsAsyncioOrder(EventLoop loop) throws Exception {
        try (loop) {
            List<String> log = new ArrayList<>();
            AtomicReference<Thread> taskThread = new AtomicReference<>();
            AtomicReference<Thread> xThread = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                Task<Object> a = Loops.task("a", () -> {
                    taskThread.set(Thread.currentThread());
                    loop.setDebug(true);
                    loop.callLater(0, () -> log.add("T"));
                    Aio.sleep(0);
                    log.add("A2");
                });
                loop.callSoon(() -> {
                    log.add("X");
                    xThread.set(Thread.currentThread());
                    loop.callSoon(() -> log.add("Y"));
                });
                a.await();
                Loops.ticks(2);
                return null;
            });
            assertEquals(List.of("X", "A2", "Y", "T"), log);
            assertNotSame(taskThread.get(), xThread.get(),
                    "in debug mode a task's thread does not run the callbacks after its step");
        }
    }

    // ------------------------------------------------------------------ what a task thread sees

    @Test
    void aCallbackRunOnATasksThreadSeesNoTaskAndNoInterrupt_portable() throws Exception {
        try (EventLoop loop = Loops.portableVirtualLoop()) {
            AtomicReference<Thread> taskThread = new AtomicReference<>();
            AtomicReference<Thread> cbThread = new AtomicReference<>();
            AtomicReference<Object> cbTask = new AtomicReference<>("not run");
            boolean[] cbInterrupted = {true};
            AtomicReference<EventLoop> cbLoop = new AtomicReference<>();
            Object[] after = new Object[2];
            loop.runUntilComplete(() -> {
                Task<Object> a = Loops.task("a", () -> {
                    taskThread.set(Thread.currentThread());
                    Thread.currentThread().interrupt();
                    Aio.sleep(0); // this thread now runs the loop's code: the callback below
                    after[0] = Aio.currentTask();
                    after[1] = Thread.interrupted();
                });
                loop.callSoon(() -> {
                    cbThread.set(Thread.currentThread());
                    cbTask.set(Aio.currentTask());
                    cbInterrupted[0] = Thread.currentThread().isInterrupted();
                    cbLoop.set(Aio.getRunningLoop());
                });
                a.await();
                assertSame(a, after[0], "the task is current again when its body goes on");
                return null;
            });
            assertSame(taskThread.get(), cbThread.get(), "baton passing: the waiting task's thread ran the callback");
            assertNull(cbTask.get(), "a callback runs outside any task, even on a task's thread");
            assertFalse(cbInterrupted[0], "the task's interrupt is not the loop's");
            assertSame(loop, cbLoop.get());
            assertEquals(Boolean.TRUE, after[1], "the task's interrupt is back when its body goes on");
        }
    }

    // ------------------------------------------------------- the loop's own failure on a task thread

    @Test
    void aLoopFailureOnATasksThreadIsThrownByRunUntilCompleteOnTheCaller_portable() throws Exception {
        try (EventLoop loop = Loops.portableVirtualLoop()) {
            ClosedSelectorException e = assertThrows(ClosedSelectorException.class, () -> loop.runUntilComplete(() -> {
                loop.closeSelector(); // the next select(), which this task's thread runs, fails
                Aio.sleep(0);
                return "unreachable";
            }));
            assertTrue(java.util.Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().endsWith("BaseEventLoop$Driver")),
                    "thrown by the loop's code on the task's thread (the baton's driver), not on the runner");
            assertFalse(loop.isRunning(), "the run ended");
            assertNull(Aio.runningLoopOrNull());
            assertNull(e.getCause(), "rethrown as itself");
        }
    }

    @Test
    void aVirtualMachineErrorInACallbackOnATaskThreadEndsTheRunAsItself_portable() throws Exception {
        aVirtualMachineErrorInACallbackOnATaskThreadEndsTheRunAsItself(Loops.portableVirtualLoop());
    }

    @Test
    void aVirtualMachineErrorInACallbackOnATaskThreadEndsTheRunAsItself_thisRunsScheduler() throws Exception {
        aVirtualMachineErrorInACallbackOnATaskThreadEndsTheRunAsItself(Loops.virtualLoop());
    }

    private static void aVirtualMachineErrorInACallbackOnATaskThreadEndsTheRunAsItself(EventLoop loop) {
        StackOverflowError planted = new StackOverflowError("planted by the test");
        List<String> ran = new ArrayList<>();
        try (loop) {
            StackOverflowError e = assertThrows(StackOverflowError.class, () -> loop.runUntilComplete(() -> {
                loop.callSoon(() -> {
                    throw planted;
                });
                loop.callSoon(() -> ran.add("after the error, same iteration"));
                Aio.sleep(0);
                ran.add("main went on");
                return null;
            }));
            assertSame(planted, e);
            assertFalse(loop.isRunning());
            assertEquals(List.of(), ran, "the run ends at once: no other callback, and the task does not go on");
        }
    }

    // ----------------------------------------------------------------- a virtual thread as runner

    @Test
    void aVirtualThreadRunsOnePortableLoopAfterAnother() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try (EventLoop first = Loops.portableVirtualLoop(); EventLoop second = Loops.portableVirtualLoop()) {
                Thread me = Thread.currentThread();
                Thread[] runner = new Thread[1];
                first.callSoon(() -> runner[0] = Thread.currentThread());
                int a = first.runUntilComplete(() -> 1);
                assertSame(me, runner[0], "a virtual thread is the portable loop's runner itself");
                assertNull(Aio.runningLoopOrNull(), "the first loop is no longer this thread's running loop");
                int b = second.runUntilComplete(() -> 2);
                result.set(a + b);
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.join();
        assertEquals(3, result.get());
    }

    @Test
    void anInterruptTheLoopSwallowsIsRestoredOnAVirtualRunner_portable() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try (EventLoop loop = Loops.portable(EventLoop::create)) {
                loop.callLater(0.02, loop::stop); // a real wait in select(), on this thread
                Thread.currentThread().interrupt();
                try {
                    loop.runForever();
                } finally {
                    result.set(Thread.interrupted());
                }
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.join();
        assertEquals(Boolean.TRUE, result.get(), "the interrupt is back on the runner when the run ends");
    }

    @Test
    void portableLoopsAreWhatTheyClaim() {
        try (EventLoop loop = Loops.portableVirtualLoop()) {
            assertEquals("portable", loop.schedulerName());
            assertTrue(loop.toString().contains("portable"), loop.toString());
        }
    }

    // ------------------------------------------------- where task threads are made (inheritance)

    /**
     * A task's thread inherits the {@code InheritableThreadLocal} values of the loop's runner
     * (docs/architecture.md, "Context variables"), never those of the task whose thread happened
     * to run the loop's code when the new task started: with baton passing that may be any
     * task's thread. Checked for a task created by a task, for its first step run on another
     * task's thread, and for an eager task.
     */
    @Test
    void everyTaskThreadInheritsFromTheRunner_portable() throws Exception {
        InheritableThreadLocal<String> where = new InheritableThreadLocal<>();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            where.set("runner");
            try (EventLoop loop = Loops.portableVirtualLoop()) {
                result.set(loop.runUntilComplete(() -> {
                    List<String> seen = new ArrayList<>();
                    where.set("main");
                    Task<Object> b = Loops.task("b", () -> seen.add("b:" + where.get()));
                    Task<Object> a = Loops.task("a", () -> {
                        where.set("a");
                        // a's thread now runs the loop's code; c's first step runs from here.
                        Task<Object> c = Loops.task("c", () -> seen.add("c:" + where.get()));
                        Aio.sleep(0);
                        c.await();
                    });
                    b.await();
                    a.await();
                    loop.setTaskFactory(Aio.eagerTaskFactory());
                    Task<Object> eager = Loops.task("eager", () -> {
                        seen.add("eager:" + where.get());
                        Aio.sleep(0);
                    });
                    eager.await();
                    Task<Object> eagerFromTask = Loops.task("outer", () -> {
                        where.set("outer");
                        Loops.task("inner", () -> seen.add("inner:" + where.get())).await();
                    });
                    eagerFromTask.await();
                    return seen;
                }));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        runner.join();
        assertEquals(List.of("b:runner", "c:runner", "eager:runner", "inner:runner"), result.get());
    }

    @Test
    void oneTripToTheRunnerPreparesTheFibersOfTheFirstStepsQueuedBehind_portable() throws Exception {
        try (EventLoop loop = Loops.portableVirtualLoop()) {
            Object[] seen = new Object[3];
            loop.runUntilComplete(() -> {
                AtomicReference<Task<?>> second = new AtomicReference<>();
                AtomicReference<Task<?>> third = new AtomicReference<>();
                Task<Object> first = Loops.task("first", () -> {
                    // main's thread ran the loop and met this first step: the runner made this
                    // fiber and, in the same trip, those of the first steps queued behind it.
                    seen[0] = second.get().preparedFiber != null;
                    third.get().cancel(); // cancelled before its first step: its fiber goes unused
                });
                second.set(Loops.task("second", () -> { }));
                third.set(Loops.task("third", () -> { }));
                first.await();
                second.get().await();
                Aio.sleep(0);
                seen[1] = third.get().cancelled();
                seen[2] = third.get().preparedFiber == null && third.get().fiber == null;
                return null;
            });
            assertEquals(List.of(true, true, true), List.of(seen));
        }
    }
}
