package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An executor job's result and the auto-jumping virtual clock. aio4j-only (asyncio's TestLoop has
 * no auto-jump). Found by looping SimNetworkStacksTest's FileResponse run (stop 33 review).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualClockExecutorResultTest {

    /**
     * A job that ends between an idle iteration's drain of the threadsafe queue and its look at
     * the running jobs has queued its result already: the result is taken at the same virtual
     * instant, the clock does not jump to the next timer first. Forced with the loop's test hook
     * and an executor that runs the job when told.
     */
    @Test
    void jobEndingBetweenTheDrainAndTheCountDoesNotLetTheClockJump() throws Exception {
        EventLoop loop = EventLoop.create(VirtualClock.autoJump());
        try {
            AtomicReference<Runnable> job = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                loop.callLater(60, () -> { }); // the timer a wrong jump would go to
                Future<String> f = loop.runInExecutor(job::set, () -> "read");
                loop.beforeIdleTimeoutForTests = () -> {
                    // the job runs to its end on its own thread now: result queued, count dropped
                    Thread t = Thread.ofPlatform().start(job.get());
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                };
                double t0 = loop.time();
                assertEquals("read", f.await());
                assertEquals(t0, loop.time(), "the clock jumped past a result already queued");
            });
        } finally {
            loop.close();
        }
    }
}
