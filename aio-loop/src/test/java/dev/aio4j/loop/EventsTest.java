package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the handle, timer and loop-state parts of {@code Lib/test/test_asyncio/test_events.py}
 * ({@code HandleTests}, {@code TimerTests}), plus aio4j's {@link VirtualClock}.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventsTest {
    private static final String SCHEDULER = System.getProperty("aio4j.scheduler");

    private EventLoop loop;

    @BeforeEach
    void setUp() {
        loop = Loops.virtualLoop();
    }

    @AfterEach
    void tearDown() {
        if (!loop.isRunning()) {
            loop.close();
        }
    }

    private static void runOnce(EventLoop l) {
        l.stop();
        l.runForever();
    }

    /** A named callback, so that toString() is predictable. */
    static final class Noop implements Runnable {
        int calls;

        @Override
        public void run() {
            calls++;
        }
    }

    // ------------------------------------------------------------------------- Handle

    @Test
    void handle() {
        Noop cb = new Noop();
        Handle h = loop.callSoon(cb);
        assertFalse(h.cancelled());
        h.cancel();
        assertTrue(h.cancelled());
        h.cancel(); // a second cancel does nothing
        assertTrue(h.cancelled());
        runOnce(loop);
        assertEquals(0, cb.calls);
    }

    @Test
    void handleRunsOnce() { // aio4j-only
        Noop cb = new Noop();
        Handle h = loop.callSoon(cb);
        runOnce(loop);
        runOnce(loop);
        assertEquals(1, cb.calls);
        h.cancel(); // cancelling after it ran is harmless
        assertTrue(h.cancelled());
    }

    @Test
    void callbackWithException() {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        loop.setExceptionHandler(handler);
        IllegalStateException boom = new IllegalStateException("boom");
        Handle h = loop.callSoon(() -> {
            throw boom;
        });
        runOnce(loop);
        assertEquals(List.of("Exception in callback dev.aio4j.loop.EventsTest$$Lambda"), handler.messages());
        ExceptionContext ctx = handler.contexts().get(0);
        assertSame(boom, ctx.exception());
        assertSame(h, ctx.handle());
        assertNull(ctx.future());
        assertNull(ctx.sourceTraceback());
    }

    @Test
    void handleRepr() {
        Handle named = loop.callSoon(new Noop());
        assertEquals("Handle[dev.aio4j.loop.EventsTest$Noop]", named.toString());
        Handle lambda = loop.callSoon(() -> { });
        assertEquals("Handle[dev.aio4j.loop.EventsTest$$Lambda]", lambda.toString());
        named.cancel();
        assertEquals("Handle[cancelled]", named.toString());
    }

    // ---------------------------------------------------------------------- TimerHandle

    @Test
    void timer() {
        Noop cb = new Noop();
        TimerHandle h = loop.callAt(TestClocks.at(loop, 12.5), cb);
        assertEquals(12.5, TestClocks.sinceStart(loop, h.when()));
        assertFalse(h.cancelled());
        assertEquals(1, loop.timerCount());
        h.cancel();
        assertTrue(h.cancelled());
        assertEquals(0, loop.timerCount());
        h.cancel();
        assertEquals(0, loop.timerCount());
        loop.callAt(TestClocks.at(loop, 13), loop::stop);
        loop.runForever();
        assertEquals(0, cb.calls);
        assertEquals(13.0, TestClocks.elapsed(loop));
    }

    @Test
    void timerRepr() {
        TimerHandle h = loop.callLater(10, new Noop());
        double when = TestClocks.at(loop, 10);
        assertEquals("TimerHandle[when=" + when + ", dev.aio4j.loop.EventsTest$Noop]", h.toString());
        h.cancel();
        assertEquals("TimerHandle[when=" + when + ", cancelled]", h.toString());
    }

    @Test
    void when() {
        loop.callAt(TestClocks.at(loop, 7.0), loop::stop);
        loop.runForever();
        assertEquals(7.0, TestClocks.elapsed(loop));
        TimerHandle later = loop.callLater(2.5, () -> { });
        assertEquals(9.5, TestClocks.sinceStart(loop, later.when()));
        TimerHandle at = loop.callAt(TestClocks.at(loop, 3.0), () -> { });
        assertEquals(TestClocks.at(loop, 3.0), at.when()); // a deadline in the past is kept as given
        TimerHandle duration = loop.callLater(Duration.ofMillis(1500), () -> { });
        assertEquals(8.5, TestClocks.sinceStart(loop, duration.when()));
    }

    @Test
    void timerCancelledAfterItRanIsHarmless() { // aio4j-only
        Noop cb = new Noop();
        TimerHandle h = loop.callLater(1, cb);
        loop.callLater(2, loop::stop);
        loop.runForever();
        assertEquals(1, cb.calls);
        h.cancel();
        assertTrue(h.cancelled());
        assertEquals(0, loop.timerCount());
    }

    // ------------------------------------------------------------------ EventLoop state

    @Test
    void loopRepr() { // aio4j-only
        String prefix = "EventLoop\\[id=\\d+, " + loop.schedulerName() + ", ";
        String clock = ", VirtualClock\\[auto-jump, time=\\d+\\.\\d+(E\\d+)?], debug=false]";
        assertTrue(loop.toString().matches(prefix + "idle" + clock), loop.toString());
        AtomicReference<String> whileRunning = new AtomicReference<>();
        loop.callSoon(() -> whileRunning.set(loop.toString()));
        runOnce(loop);
        assertTrue(whileRunning.get().matches(prefix + "running" + clock), whileRunning.get());
        assertTrue(loop.toString().matches(prefix + "idle" + clock), loop.toString());
        loop.setDebug(true);
        assertTrue(loop.toString().endsWith(", debug=true]"), loop.toString());
        loop.close();
        assertTrue(loop.toString().matches(prefix + "closed, VirtualClock\\[auto-jump, time=\\d+\\.\\d+(E\\d+)?], debug=true]"),
                loop.toString());

        try (EventLoop real = EventLoop.create()) {
            assertTrue(real.toString().matches("EventLoop\\[id=\\d+, " + real.schedulerName() + ", idle, debug=false]"),
                    real.toString());
            assertNull(real.virtualClock());
        }
    }

    @Test
    void schedulerIsTheOneThisRunAsked() { // aio4j-only: surefire runs the suite once per scheduler
        if (SCHEDULER != null) {
            assertEquals(SCHEDULER, loop.schedulerName());
        } else {
            assertTrue(List.of("carrier", "portable").contains(loop.schedulerName()), loop.schedulerName());
        }
    }

    @Test
    void isRunningAndIsClosed() { // aio4j-only
        assertFalse(loop.isRunning());
        List<Boolean> seen = new ArrayList<>();
        loop.callSoon(() -> seen.add(loop.isRunning()));
        runOnce(loop);
        assertEquals(List.of(true), seen);
        assertFalse(loop.isRunning());
        assertFalse(loop.isClosed());
        loop.close();
        assertTrue(loop.isClosed());
        assertFalse(loop.isRunning());
    }

    @Test
    void timeMonotonic() { // aio4j-only
        try (EventLoop real = EventLoop.create()) {
            double previous = real.time();
            for (int i = 0; i < 10_000; i++) {
                double now = real.time();
                assertTrue(now >= previous, now + " < " + previous);
                previous = now;
            }
        }
        assertEquals(0.0, VirtualClock.autoJump().time()); // the public factories start at zero
        assertEquals(0.0, TestClocks.elapsed(loop));
    }

    // --------------------------------------------------------------------- VirtualClock

    @Test
    void virtualClockAutoJump() { // aio4j-only
        List<String> log = new ArrayList<>();
        double end = Loops.runVirtual(() -> {
            EventLoop l = Aio.getRunningLoop();
            assertTrue(l.virtualClock().isAutoJump());
            Task<Void> a = Aio.createTask(() -> {
                Aio.sleep(2.0);
                log.add("a@" + TestClocks.elapsed(l));
                return null;
            });
            Task<Void> b = Aio.createTask(() -> {
                Aio.sleep(1.0);
                log.add("b@" + TestClocks.elapsed(l));
                Aio.sleep(Duration.ofSeconds(5));
                log.add("b@" + TestClocks.elapsed(l));
                return null;
            });
            a.await();
            b.await();
            return TestClocks.elapsed(l);
        });
        assertEquals(List.of("b@1.0", "a@2.0", "b@6.0"), log);
        assertEquals(6.0, end);
    }

    @Test
    void virtualClockManualAdvanceFromATask() { // aio4j-only
        VirtualClock clock = VirtualClock.manual(); // the public factory: starts at 0
        assertFalse(clock.isAutoJump());
        assertEquals("VirtualClock[manual, time=0.0]", clock.toString());
        try (Runner runner = Runner.withLoopFactory(() -> EventLoop.create(clock))) {
            List<Double> fired = runner.run(() -> {
                EventLoop l = Aio.getRunningLoop();
                List<Double> times = new ArrayList<>();
                Future<Void> atOne = l.createFuture();
                Future<Void> atTwo = l.createFuture();
                l.callLater(1, () -> {
                    times.add(TestClocks.elapsed(l));
                    atOne.setResult(null);
                });
                l.callLater(2, () -> {
                    times.add(TestClocks.elapsed(l));
                    atTwo.setResult(null);
                });
                clock.advance(Duration.ofSeconds(1));
                atOne.await();
                assertFalse(atTwo.done()); // time is 1.0: the second timer is not due yet
                assertEquals(1.0, TestClocks.elapsed(l));
                clock.advance(1.0);
                atTwo.await();
                return times;
            });
            assertEquals(List.of(1.0, 2.0), fired);
            assertEquals(2.0, TestClocks.elapsed(clock));
        }
    }

    @Test
    void virtualClockManualAdvanceFromAnotherThread() throws Exception { // aio4j-only
        VirtualClock clock = TestClocks.manual();
        try (EventLoop l = EventLoop.create(clock)) {
            List<Double> fired = new ArrayList<>();
            l.callLater(2, () -> {
                fired.add(TestClocks.elapsed(l));
                l.stop();
            });
            // The loop has nothing to do until the clock moves: it must wait for another thread.
            Thread advancer = Thread.ofPlatform().name("advancer").start(() -> clock.advance(Duration.ofSeconds(2)));
            l.runForever();
            advancer.join();
            assertEquals(List.of(2.0), fired);
            assertEquals(2.0, TestClocks.elapsed(l));
        }
    }

    @Test
    void virtualClockManualDoesNotJump() throws Exception { // aio4j-only
        VirtualClock clock = TestClocks.manual();
        try (EventLoop l = EventLoop.create(clock)) {
            List<String> fired = new ArrayList<>();
            l.callLater(5, () -> fired.add("timer"));
            // one iteration with a callback ready: the timer is not due, and time stays put
            l.callSoon(() -> fired.add("soon"));
            runOnce(l);
            assertEquals(List.of("soon"), fired);
            assertEquals(0.0, TestClocks.elapsed(l));
            assertEquals(1, l.timerCount());
            clock.advance(4.999);
            runOnce(l);
            assertEquals(List.of("soon"), fired);
            clock.advance(0.001);
            runOnce(l);
            assertEquals(List.of("soon", "timer"), fired);
        }
    }

    @Test
    void virtualClockAdvanceRejectsNegative() { // aio4j-only
        VirtualClock clock = TestClocks.manual();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
        assertEquals("seconds must be a finite number >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> clock.advance(Double.NaN));
        assertEquals("seconds must be a finite number >= 0, got NaN", e.getMessage());
        assertEquals(0.0, TestClocks.elapsed(clock));
    }

    @Test
    void virtualClockServesOneLoop() { // aio4j-only
        VirtualClock clock = TestClocks.autoJump();
        try (EventLoop first = EventLoop.create(clock)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventLoop.create(clock));
            assertTrue(e.getMessage().startsWith("this VirtualClock already drives EventLoop["), e.getMessage());
            assertTrue(e.getMessage().endsWith("; create one clock per loop"), e.getMessage());
            assertSame(clock, first.virtualClock());
        }
    }

    @Test
    void sleepOnTheVirtualClockReturnsAtOnce() { // aio4j-only
        double t = Loops.runVirtual(() -> {
            Aio.sleep(3600);
            return TestClocks.elapsed(Aio.getRunningLoop());
        });
        assertEquals(3600.0, t);
    }
}
