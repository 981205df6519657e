package dev.aio4j.streams;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.internal.IoErrors;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayDeque;

/**
 * Write-side flow control for a protocol of your own: forward the protocol's
 * {@link Protocol#pauseWriting()}, {@link Protocol#resumeWriting()} and
 * {@link Protocol#connectionLost(Exception)} here, and call {@link #drain()} after writing to
 * wait while the transport's buffer is over its high watermark.
 *
 * <pre>{@code
 * final class Pusher implements Protocol {
 *     private final FlowControl flow = new FlowControl(Aio.getRunningLoop());
 *     public void pauseWriting() { flow.pauseWriting(); }
 *     public void resumeWriting() { flow.resumeWriting(); }
 *     public void connectionLost(Exception exc) { flow.connectionLost(exc); }
 *     void send(byte[] data) throws IOException { transport.write(data); flow.drain(); }
 * }
 * }</pre>
 *
 * <p><b>asyncio:</b> {@code asyncio.streams.FlowControlMixin} and its {@code _drain_helper}.
 * <b>Differences:</b> a helper object to hold, not a mixin to inherit.
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.2
 */
public final class FlowControl {
    /*
     * Maintainer notes: `paused` mirrors the transport's pause/resumeWriting; `waiters` are the
     * drain() calls suspended while paused, each completed with the error to throw (null: go on).
     */
    private final EventLoop loop;
    private final ArrayDeque<Future<Throwable>> waiters = new ArrayDeque<>();
    private boolean paused;
    private boolean lost;

    /**
     * Makes the helper for a protocol served by {@code loop}.
     *
     * @param loop the protocol's loop
     */
    public FlowControl(EventLoop loop) {
        this.loop = Checks.notNull(loop, "loop");
    }

    /** The transport's buffer went over its high watermark: {@code drain()} suspends from now on. */
    public void pauseWriting() {
        paused = true;
    }

    /** The buffer fell to its low watermark: suspended {@code drain()} calls return. */
    public void resumeWriting() {
        paused = false;
        wake(null);
    }

    /**
     * The connection is gone: suspended {@code drain()} calls throw {@code exc} (or return, for a
     * clean close, as asyncio's do), later ones throw.
     *
     * @param exc the cause, or null for a clean close
     */
    public void connectionLost(Exception exc) {
        lost = true;
        if (paused) {
            wake(exc); // asyncio: a clean close lets a suspended drain() return; the next one throws
        }
    }

    private void wake(Throwable error) {
        for (Future<Throwable> w : new ArrayDeque<>(waiters)) {
            if (!w.done()) {
                w.setResult(error);
            }
        }
    }

    /**
     * Returns whether writing is paused (the buffer is over its high watermark).
     *
     * @return whether {@link #drain()} would suspend
     */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Returns whether the connection is gone.
     *
     * @return whether {@link #connectionLost} was called
     */
    public boolean isLost() {
        return lost;
    }

    /**
     * Suspends while writing is paused: asyncio's {@code _drain_helper}.
     *
     * <p><b>Cancellation:</b> suspends while paused; cancelling only stops the wait.
     *
     * @throws IOException if the connection is gone ({@link SocketException} "Connection lost",
     *     or the error it was lost with)
     */
    public void drain() throws IOException {
        if (lost) {
            throw new SocketException("Connection lost");
        }
        if (!paused) {
            return;
        }
        Future<Throwable> w = loop.createFuture();
        waiters.add(w);
        try {
            Throwable e = w.await();
            if (e != null) {
                throw IoErrors.rethrow(e);
            }
        } finally {
            waiters.remove(w);
        }
    }
}
