package dev.aio4j.loop.internal.sched;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The carrier back-end never carries task threads on a thread that holds monitors. aio4j-only
 * (regression: with the caller inside a synchronized block, its monitor could be left owned by
 * a task's virtual thread after the loop returned).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CarrierSchedulerTest {

    @Test
    void holdsMonitorsSeesSynchronizedBlocks() {
        Object lock = new Object();
        assertFalse(CarrierScheduler.holdsMonitors());
        synchronized (lock) {
            assertTrue(CarrierScheduler.holdsMonitors());
        }
        assertFalse(CarrierScheduler.holdsMonitors());
    }

    @Test
    void theLoopRunsOnTheCallerUnlessTheCallerHoldsAMonitor() throws Exception {
        String scheduler;
        try (EventLoop probe = EventLoop.create()) {
            scheduler = probe.schedulerName();
        }
        Thread me = Thread.currentThread();
        Thread[] loopThread = new Thread[1];
        Runnable run = () -> Aio.run(() -> {
            Aio.getRunningLoop().callSoon(() -> loopThread[0] = Thread.currentThread());
            Aio.sleep(0);
            return null;
        });
        run.run();
        if (scheduler.equals("carrier")) {
            assertSame(me, loopThread[0], "no monitor held: the caller's thread carries the loop");
        }
        Object lock = new Object();
        synchronized (lock) {
            run.run();
        }
        if (scheduler.equals("carrier")) {
            assertNotSame(me, loopThread[0], "inside synchronized: the loop runs on a fresh platform thread");
            assertFalse(loopThread[0].isVirtual());
        }
        Thread other = Thread.ofPlatform().start(() -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        other.join(5000);
        assertFalse(other.isAlive(), "another thread can take the caller's monitor afterwards");
    }
}
