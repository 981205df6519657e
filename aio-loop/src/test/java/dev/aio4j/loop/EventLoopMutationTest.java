package dev.aio4j.loop;

import dev.aio4j.loop.test.IoTestSupport;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edges of {@link EventLoop} (and its layers {@code BaseEventLoop}, {@code SelectorEventLoop})
 * that their mutants (issue 11) showed untested. aio4j-only; complements {@link BaseEventsTest}
 * and {@link EventsTest}, which mirror CPython's suites.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventLoopMutationTest {

    private static final Runnable NOTHING = () -> { };

    // ------------------------------------------------------------------------ running, stopping

    @Test
    void runUntilCompleteOnAClosedLoopRefusesEvenADoneFuture_issue11() {
        EventLoop loop = Loops.virtualLoop();
        Future<String> done = loop.createFuture();
        done.setResult("x");
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(done));
        assertTrue(e.getMessage().startsWith("Event loop is closed: EventLoop[id="), e.getMessage());
    }

    @Test
    void runUntilCompleteStoppedLeavesNoStopperOnTheFuture_issue11() {
        try (EventLoop loop = Loops.virtualLoop()) {
            Future<Object> f = loop.createFuture();
            loop.callSoon(loop::stop);
            assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
            // f completes during a later run: that run must not stop early because of it.
            List<Integer> ran = new ArrayList<>();
            loop.callSoon(() -> {
                f.setResult(null);
                ran.add(1);
            });
            loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> {
                ran.add(2);
                loop.stop();
            })));
            loop.runForever();
            assertEquals(List.of(1, 2), ran);
        }
    }

    @Test
    void virtualMachineErrorInACallbackEndsRunForever_issue11() throws IOException {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        EventLoop loop = Loops.virtualLoop();
        loop.setExceptionHandler(handler);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        Pipe p = Pipe.open();
        try {
            loop.setDefaultExecutor(ex);
            p.source().configureBlocking(false);
            loop.addReader(p.source(), NOTHING);
            loop.callLater(60, NOTHING);
            StackOverflowError error = new StackOverflowError("callback");
            List<Task<Object>> created = new ArrayList<>();
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                created.add(loop.createTask(() -> null, "never started"));
                throw error;
            });
            loop.callSoon(() -> loop.callSoon(() -> ran.add("next iteration")));
            assertSame(error, assertThrows(StackOverflowError.class, loop::runForever));
            assertSame(error, loop.fatalError());
            assertEquals(List.of(), ran);
            loop.close();
            assertEquals(List.of("Event loop closed after a fatal error; 1 pending task(s) were dropped"), handler.messages());
            assertTrue(loop.isClosed());
            assertFalse(created.get(0).done(), "a task that never ran is dropped, not run");
            assertEquals(Set.of(), loop.allTasks());
            assertEquals(0, loop.timerCount(), "timers are dropped");
            assertTrue(ex.isShutdown(), "the default executor is shut down");
            assertFalse(p.source().isRegistered(), "the selector is closed");
            assertThrows(IllegalStateException.class, Aio::getRunningLoop, "close() leaves no running loop behind");
        } finally {
            ex.shutdownNow();
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void virtualMachineErrorInATaskEndsRunForever_issue11() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        EventLoop loop = Loops.virtualLoop();
        loop.setExceptionHandler(handler);
        OutOfMemoryError first = new OutOfMemoryError("first");
        loop.createTask(() -> {
            throw first;
        });
        loop.createTask(() -> {
            throw new OutOfMemoryError("second, same iteration");
        });
        assertSame(first, assertThrows(OutOfMemoryError.class, loop::runForever));
        assertSame(first, loop.fatalError(), "the first one is kept");
        loop.close();
    }

    // ------------------------------------------------------------------------- one iteration

    @Test
    void callSoonThreadsafeSentBeforeTheRunRunsBeforeAClockJump_issue11() {
        try (EventLoop loop = Loops.virtualLoop()) {
            VirtualClock clock = loop.virtualClock();
            List<Double> at = new ArrayList<>();
            loop.callLater(10, loop::stop);
            loop.callSoonThreadsafe(() -> at.add(TestClocks.elapsed(clock)));
            loop.runForever();
            assertEquals(List.of(0.0), at);
            assertEquals(10.0, TestClocks.elapsed(clock));
        }
    }

    @Test
    void timerDueWithinTheClockResolutionRunsWithoutAJump_issue11() {
        // asyncio's _run_once runs timers due before time() + clock_resolution.
        try (EventLoop loop = Loops.virtualLoop()) {
            VirtualClock clock = loop.virtualClock();
            List<Double> at = new ArrayList<>();
            loop.callSoon(() -> {
                loop.callLater(1e-9, () -> at.add(clock.time()));
                loop.callSoon(NOTHING); // keeps the next iteration from jumping the clock
                at.add(clock.time());
            });
            loop.callLater(5, loop::stop);
            loop.runForever();
            assertEquals(2, at.size());
            assertEquals(at.get(0), at.get(1), "no jump to the timer's deadline");
        }
    }

    @Test
    void timersOfAScheduleAreLateByItsJitter_issue11() {
        // Schedule.of(1.6, 5): the first timer's jitter is 5 steps of 1.6 / 16 = 0.5 s.
        VirtualClock clock = TestClocks.autoJump();
        Schedule schedule = Schedule.of(1.6, 5);
        try (EventLoop loop = EventLoop.create(clock, schedule)) {
            assertSame(schedule, loop.schedule());
            List<Double> at = new ArrayList<>();
            loop.callLater(1, () -> {
                at.add(TestClocks.elapsed(clock));
                loop.stop();
            });
            loop.runForever();
            assertEquals(List.of(1.5), at);
        }
    }

    @Test
    void readinessOfOneSelectRunsInTheSchedulesOrder_issue11() throws IOException {
        // Schedule.of(0, 1, 0): the first select with two ready channels swaps them, the second
        // keeps the selector's order; so the two rounds run the readers in opposite orders.
        VirtualClock clock = TestClocks.autoJump();
        Pipe a = Pipe.open();
        Pipe b = Pipe.open();
        try (EventLoop loop = EventLoop.create(clock, Schedule.of(0, 1, 0))) {
            a.source().configureBlocking(false);
            b.source().configureBlocking(false);
            List<String> order = new ArrayList<>();
            loop.addReader(a.source(), () -> order.add("a" + drain(a)));
            loop.addReader(b.source(), () -> order.add("b" + drain(b)));
            for (int round = 0; round < 2; round++) {
                a.sink().write(ByteBuffer.wrap(new byte[] {1}));
                b.sink().write(ByteBuffer.wrap(new byte[] {1}));
                loop.callSoon(loop::stop);
                loop.runForever();
            }
            assertEquals(4, order.size(), order.toString());
            assertEquals(List.of(order.get(3), order.get(2)), order.subList(0, 2), order.toString());
            assertNotEquals(order.get(0), order.get(1), order.toString());
            loop.removeReader(a.source());
            loop.removeReader(b.source());
        } finally {
            a.source().close();
            a.sink().close();
            b.source().close();
            b.sink().close();
        }
    }

    private static int drain(Pipe p) {
        try {
            return p.source().read(ByteBuffer.allocate(16));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    // -------------------------------------------------------------------------- scheduling

    @Test
    void contextFormsReturnHandlesThatCancel_issue11() {
        try (EventLoop loop = Loops.virtualLoop()) {
            Context ctx = Context.copyContext();
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("soon"), ctx).cancel();
            loop.callSoonThreadsafe(() -> ran.add("threadsafe")).cancel();
            loop.callSoonThreadsafe(() -> ran.add("threadsafe in ctx"), ctx).cancel();
            loop.callLater(0.5, () -> ran.add("later"), ctx).cancel();
            loop.callAt(loop.time() + 1, () -> ran.add("at"), ctx).cancel();
            loop.callLater(2, loop::stop);
            loop.runForever();
            assertEquals(List.of(), ran);
        }
    }

    // ------------------------------------------------------------------- thread confinement

    @Test
    void checkThreadOfTheOtherLoopConfinedMethods_issue11() throws IOException {
        ExecutorService intruder = Executors.newSingleThreadExecutor(r -> new Thread(r, "intruder"));
        Pipe p = Pipe.open();
        try {
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            List<String> messages = Loops.runVirtual(() -> {
                EventLoop l = Aio.getRunningLoop();
                return l.runInExecutor(intruder, () -> FuturesTest.refusals(List.of(
                        () -> Task.create(l, () -> null, null, null, true),
                        () -> l.setTaskFactory(null),
                        () -> l.runInExecutor(null, () -> null),
                        () -> l.setDefaultExecutor(intruder),
                        () -> l.addReader(p.source(), NOTHING),
                        () -> l.addWriter(p.sink(), NOTHING),
                        () -> l.removeReader(p.source()),
                        () -> l.removeWriter(p.sink()),
                        () -> l.addSignalHandler("USR1", NOTHING),
                        () -> l.removeSignalHandler("USR1")))).await();
            });
            String tail = " called from thread 'intruder', which is neither the event loop's thread nor one of its "
                    + "running tasks; from other threads use EventLoop.callSoonThreadsafe(...) or "
                    + "Aio.runCoroutineThreadsafe(...)";
            assertEquals(List.of("EventLoop.createTask()" + tail, "EventLoop.setTaskFactory()" + tail,
                    "EventLoop.runInExecutor()" + tail, "EventLoop.setDefaultExecutor()" + tail,
                    "EventLoop.addReader()" + tail, "EventLoop.addWriter()" + tail, "EventLoop.removeReader()" + tail,
                    "EventLoop.removeWriter()" + tail, "EventLoop.addSignalHandler()" + tail,
                    "EventLoop.removeSignalHandler()" + tail), messages);
        } finally {
            intruder.shutdownNow();
            p.source().close();
            p.sink().close();
        }
    }

    // --------------------------------------------------------------------------- closing

    @Test
    void aClosedLoopRefusesRegistrationsAndRemovesNothing_issue11() throws IOException {
        EventLoop loop = Loops.virtualLoop();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        Pipe p = Pipe.open();
        try {
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            assertFalse(loop.removeReader(p.source()), "no reader registered");
            assertFalse(loop.removeWriter(p.sink()), "no writer registered");
            loop.close();
            List<String> messages = FuturesTest.refusals(List.of(
                    () -> loop.addReader(p.source(), NOTHING),
                    () -> loop.addWriter(p.sink(), NOTHING),
                    () -> loop.setDefaultExecutor(ex),
                    () -> loop.addSignalHandler("USR1", NOTHING)));
            for (String m : messages) {
                assertTrue(m.startsWith("Event loop is closed: EventLoop[id="), messages.toString());
            }
            assertEquals(4, messages.size());
            assertFalse(loop.removeReader(p.source()));
            assertFalse(loop.removeWriter(p.sink()));
            assertFalse(loop.removeSignalHandler("USR1"));
        } finally {
            ex.shutdownNow();
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void closeUnwindsTasksOnTheLoopThenLeavesNothingBehind_issue11() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        EventLoop loop = Loops.virtualLoop();
        loop.setExceptionHandler(handler);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        AtomicReference<EventLoop> seen = new AtomicReference<>();
        loop.createTask(() -> {
            try {
                return loop.createFuture().await();
            } finally {
                seen.set(Aio.getRunningLoop()); // a finally block run by close() still sees its loop
            }
        });
        loop.runUntilComplete(loop.createTask(() -> {
            Aio.sleep(0);
            return null;
        }));
        loop.callLater(60, NOTHING);
        loop.setDefaultExecutor(ex);
        try {
            loop.close();
            assertSame(loop, seen.get());
            assertEquals(List.of("Task was destroyed but it is pending!"), handler.messages());
            assertThrows(IllegalStateException.class, Aio::getRunningLoop, "close() leaves no running loop behind");
            assertEquals(0, loop.timerCount(), "timers are dropped");
            assertTrue(ex.isShutdown(), "the default executor is shut down");
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void shutdownDefaultExecutorWithADuration_issue11() {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (EventLoop loop = Loops.virtualLoop()) {
            loop.setDefaultExecutor(ex);
            loop.shutdownDefaultExecutor(Duration.ofSeconds(5));
            assertTrue(ex.isShutdown());
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void aTimerCancelledWhileClosePendingTasksUnwindTakesTheIdleLock() throws Exception { // aio4j-only
        // close() runs pending tasks' finally blocks with the loop not running, while another
        // thread may cancel a timer of the same heap (under the idle lock): the unwinding's own
        // cancel must take that lock too, or the two would edit the heap at once.
        EventLoop loop = Loops.virtualLoop();
        TimerHandle[] timer = new TimerHandle[1];
        Thread[] victim = new Thread[1];
        loop.runUntilComplete(() -> {
            timer[0] = loop.callLater(3600, NOTHING);
            Aio.createTask(() -> {
                victim[0] = Thread.currentThread();
                try {
                    loop.createFuture().await();
                } finally {
                    timer[0].cancel();
                }
                return null;
            });
            Aio.sleep(0);
            return null;
        });
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        int[] countWhileHeld = {-1};
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (loop.idleTimers) {
                held.countDown();
                // Wait until the unwinding task waits for this lock (fixed) or removed its timer
                // without it (the race).
                while (victim[0].getState() != Thread.State.BLOCKED && loop.timerCount() != 0) {
                    Thread.onSpinWait();
                }
                countWhileHeld[0] = loop.timerCount();
            }
        });
        held.await();
        loop.setExceptionHandler((l, ctx) -> { }); // "Task was destroyed but it is pending!"
        loop.close();
        holder.join();
        assertEquals(1, countWhileHeld[0], "the closing thread removed the timer without the idle lock");
        assertTrue(timer[0].cancelled());
        assertEquals(0, loop.timerCount());
    }

    // ------------------------------------------------------------------ the selector's edges

    @Test
    void removingAReaderWhileIdleDropsTheReadinessItsFlushSaw_issue11() throws IOException {
        // removeReader() on an idle loop flushes the cancelled key with a selectNow(); what that
        // saw ready must not be dispatched later, after it stopped being ready.
        Pipe a = Pipe.open();
        Pipe b = Pipe.open();
        try (EventLoop loop = Loops.virtualLoop()) {
            a.source().configureBlocking(false);
            b.source().configureBlocking(false);
            List<String> ran = new ArrayList<>();
            loop.addReader(a.source(), () -> ran.add("a read " + drain(a)));
            loop.addReader(b.source(), () -> ran.add("b"));
            a.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertTrue(loop.removeReader(b.source()));
            assertEquals(1, drain(a), "read outside the loop: a is no longer readable");
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of(), ran);
            loop.removeReader(a.source());
        } finally {
            a.source().close();
            a.sink().close();
            b.source().close();
            b.sink().close();
        }
    }

    @Test
    void advancingAManualClockFromAnotherThreadWakesTheLoop_issue11() throws Exception {
        VirtualClock clock = TestClocks.manual();
        try (EventLoop loop = EventLoop.create(clock)) {
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            AtomicReference<Throwable> advancerFailure = new AtomicReference<>();
            loop.callSoon(() -> loopThread.set(Thread.currentThread()));
            loop.callLater(5, loop::stop);
            Thread advancer = Thread.ofPlatform().name("advancer").start(() -> {
                try {
                    while (loopThread.get() == null || !BaseEventsTest.blockedInSelect(loopThread.get())) {
                        Thread.sleep(1);
                    }
                    clock.advance(5);
                } catch (Throwable e) {
                    advancerFailure.set(e);
                    loop.callSoonThreadsafe(loop::stop);
                }
            });
            loop.runForever();
            advancer.join();
            assertEquals(null, advancerFailure.get());
            assertEquals(5.0, TestClocks.elapsed(clock));
        }
    }

    @Test
    void cancellingATimerFromAnotherThreadTakesItOutOfTheHeapAtOnce_issue11() throws Exception {
        // A manual clock never moves by itself, so the loop would sleep in select() for good if the
        // cancel did not wake it; the timer must leave the heap while the loop is still running.
        VirtualClock clock = TestClocks.manual();
        try (EventLoop loop = EventLoop.create(clock)) {
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            AtomicReference<Throwable> cancellerFailure = new AtomicReference<>();
            List<String> ran = new ArrayList<>();
            Handle timer = loop.callLater(100, () -> ran.add("timer"));
            loop.callSoon(() -> loopThread.set(Thread.currentThread()));
            Thread canceller = Thread.ofPlatform().name("canceller").start(() -> {
                try {
                    while (loopThread.get() == null || !BaseEventsTest.blockedInSelect(loopThread.get())) {
                        Thread.sleep(1);
                    }
                    timer.cancel();
                    while (loop.timerCount() != 0) {
                        Thread.sleep(1);
                    }
                } catch (Throwable e) {
                    cancellerFailure.set(e);
                } finally {
                    loop.callSoonThreadsafe(loop::stop);
                }
            });
            loop.runForever();
            canceller.join();
            assertEquals(null, cancellerFailure.get());
            assertEquals(0, loop.timerCount());
            assertEquals(List.of(), ran);
            assertEquals(0.0, TestClocks.elapsed(clock), "nothing moved the manual clock");
        }
    }

    @Test
    void anInterruptTheLoopSwallowsBeforeWaitingIsRestoredWhenTheRunEnds_issue11() {
        // select() clears the interrupt flag before it waits (an interrupted selector would not
        // wait at all); the runner thread must get it back when the run ends.
        try (EventLoop loop = EventLoop.create()) {
            loop.callLater(0.05, loop::stop);
            Thread.currentThread().interrupt();
            try {
                loop.runForever();
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is back on the runner thread (and cleared here)");
            }
        }
    }

    @Test
    void aCallbackSentWhileTheLoopWaitsRunsBeforeATimerThatFallsDueMeanwhile_issue11() throws Exception {
        // asyncio: call_soon_threadsafe appends to the ready queue at once, and the timers that
        // are due are appended after select() returns, so the callback runs first. The loop waits
        // on a manual clock; another thread sends a callback, then moves the clock past the timer.
        VirtualClock clock = TestClocks.manual();
        try (EventLoop loop = EventLoop.create(clock)) {
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            AtomicReference<Throwable> senderFailure = new AtomicReference<>();
            List<String> ran = new ArrayList<>();
            loop.callLater(5, () -> {
                ran.add("timer");
                loop.callSoon(loop::stop);
            });
            loop.callSoon(() -> loopThread.set(Thread.currentThread()));
            Thread sender = Thread.ofPlatform().name("sender").start(() -> {
                try {
                    while (loopThread.get() == null || !BaseEventsTest.blockedInSelect(loopThread.get())) {
                        Thread.sleep(1);
                    }
                    loop.callSoonThreadsafe(() -> ran.add("threadsafe"));
                    clock.advance(5);
                } catch (Throwable e) {
                    senderFailure.set(e);
                    loop.callSoonThreadsafe(loop::stop);
                }
            });
            loop.runForever();
            sender.join();
            assertEquals(null, senderFailure.get());
            assertEquals(List.of("threadsafe", "timer"), ran);
        }
    }

    @Test
    void debugModeUnmarksEachCallbackWhenItReturns_issue11() {
        // Otherwise the blocked-loop watchdog would report the last callback as still blocking.
        try (EventLoop loop = Loops.virtualLoop()) {
            loop.setDebug(true);
            List<Boolean> busyInside = new ArrayList<>();
            loop.callSoon(() -> busyInside.add(loop.blockedLoopWatch.busy()));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(List.of(true), busyInside);
            assertFalse(loop.blockedLoopWatch.busy());
        }
    }

    // ---------------------------------------------------------------------------- close() and memory

    @Test
    void aClosedLoopLetsGoOfTheCallbacksItNeverRan_issue11() throws InterruptedException {
        // asyncio's close() clears _ready and _scheduled: a loop object kept after close() (a
        // field of a long-lived service, say) must not keep what its callbacks refer to alive.
        EventLoop loop = Loops.virtualLoop();
        List<WeakReference<Object>> refs = scheduleCallbacksHolding(loop);
        loop.close();
        for (int i = 0; i < 50 && refs.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(List.of(true, true, true), refs.stream().map(r -> r.get() == null).toList(),
                "collected: what a callSoon, a callSoonThreadsafe and a callLater callback held");
        Reference.reachabilityFence(loop);
    }

    /** Schedules three callbacks that each hold an object of their own; returns weak references to those. */
    private static List<WeakReference<Object>> scheduleCallbacksHolding(EventLoop loop) {
        // One object per callback, each captured alone, so each reference tells about one queue.
        Object soon = new byte[1024];
        Object threadsafe = new byte[1024];
        Object later = new byte[1024];
        loop.callSoon(() -> soon.hashCode());
        loop.callSoonThreadsafe(() -> threadsafe.hashCode());
        loop.callLater(10, () -> later.hashCode());
        return List.of(new WeakReference<>(soon), new WeakReference<>(threadsafe), new WeakReference<>(later));
    }

    @Test
    void aLoopTheClockRefusesClosesItsSelector_issue11() throws Exception {
        // A virtual clock drives one loop; a second EventLoop.create(clock) is refused, and the
        // selector that loop had already opened must be closed, not leaked.
        VirtualClock clock = TestClocks.manual();
        try (EventLoop first = EventLoop.create(clock)) {
            IoTestSupport.assertNoFdLeak(() -> {
                for (int i = 0; i < 20; i++) {
                    assertThrows(IllegalStateException.class, () -> EventLoop.create(clock));
                }
            });
            assertFalse(first.isClosed());
        }
    }

    @Test
    void selectWaitsInWholeMillisecondsRoundedUpAndAtMostADay_issue11() {
        // asyncio caps one select() at MAXIMUM_SELECT_TIMEOUT (a day); a timer centuries away
        // (Long.MAX_VALUE ns) must not overflow into a 1 ms poll.
        long day = 86_400_000L;
        assertEquals(day, SelectorEventLoop.MAX_SELECT_MILLIS);
        assertEquals(List.of(1L, 1L, 2L, 1000L, day - 1, day, day, day),
                java.util.stream.LongStream.of(1, 1_000_000, 1_000_001, 1_000_000_000, (day - 1) * 1_000_000,
                        day * 1_000_000 - 1, day * 1_000_000, Long.MAX_VALUE)
                        .map(SelectorEventLoop::selectMillis).boxed().toList());
    }

    @Test
    void aTimerCancelledFromAnotherThreadWhileTheLoopIsIdleLeavesAtOnce_issue11() throws Exception {
        try (EventLoop loop = Loops.virtualLoop()) {
            TimerHandle h = loop.callLater(10, NOTHING);
            Thread t = Thread.ofPlatform().start(h::cancel);
            t.join();
            assertEquals(0, loop.timerCount());
            loop.callSoon(loop::stop);
            loop.runForever();
            assertEquals(0, loop.timerCount());
        }
    }
}
