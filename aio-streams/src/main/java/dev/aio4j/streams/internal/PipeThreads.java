package dev.aio4j.streams.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the virtual threads that bridge a subprocess's blocking pipes, and counts the live ones
 * (for leak tests).
 *
 * <p>A virtual thread created by another virtual thread inherits its scheduler. A task of a loop
 * with the carrier scheduler runs on a virtual thread carried by the loop's own thread, so a pipe
 * thread created there would be carried by the loop too, and its blocking read would stop the loop.
 * The pipe threads are therefore created by a platform thread (one at most, which ends after a
 * second without work), so that they run on the JDK's default scheduler.
 */
public final class PipeThreads {
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final ThreadPoolExecutor LAUNCHER = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon(true).name("aio4j-pipe-launcher").unstarted(r));

    private PipeThreads() {}

    static void start(String name, Runnable body) {
        LIVE.incrementAndGet();
        try {
            LAUNCHER.execute(() -> {
                try {
                    Thread.ofVirtual().name(name).start(() -> {
                        try {
                            body.run();
                        } finally {
                            LIVE.decrementAndGet();
                        }
                    });
                } catch (RuntimeException | Error e) {
                    LIVE.decrementAndGet();
                    throw e;
                }
            });
        } catch (RuntimeException | Error e) {
            LIVE.decrementAndGet();
            throw e;
        }
    }

    /** Pipe threads of every subprocess of this JVM not yet ended (including those about to start). */
    public static int live() {
        return LIVE.get();
    }
}
