package dev.aio4j.streams.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the threads that bridge blocking pipes (a subprocess's, or one of {@code connectReadPipe}
 * / {@code connectWritePipe}) to the loop, and counts the live ones (for leak tests).
 *
 * <p>They are platform threads, daemon, one per pipe. Not virtual threads: a virtual thread made
 * by a task of a loop with the carrier scheduler would inherit that scheduler and its blocking read
 * would stop the loop; and on the JDK's default scheduler a pipe given as an NIO channel's stream
 * is written through the JDK's poller, where a write waiting for room was seen to miss its wake-up
 * while a platform thread drained the other end (the write then waits for good). A platform thread
 * blocks in the kernel's read or write, which always returns.
 */
public final class PipeThreads {
    private static final AtomicInteger LIVE = new AtomicInteger();

    private PipeThreads() {}

    static void start(String name, Runnable body) {
        LIVE.incrementAndGet();
        try {
            Thread.ofPlatform().daemon(true).name("aio4j-" + name).start(() -> {
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
    }

    /** Pipe threads of this JVM not yet ended. */
    public static int live() {
        return LIVE.get();
    }
}
