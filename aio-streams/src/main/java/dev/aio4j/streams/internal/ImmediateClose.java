package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * Closes a channel that the loop's selector may still hold, so that the close takes effect at
 * once: a closed listening socket refuses connections, a closed socket's descriptor is released.
 */
final class ImmediateClose {
    /*
     * Maintainer notes. NIO defers the real close of a channel that is still registered with a
     * selector: removeReader()/removeWriter() only cancel its key, and the selector deregisters
     * cancelled keys at its next select; until then the descriptor stays open. For a listening
     * socket that means the kernel still completes connections into the backlog, which are then
     * reset. asyncio closes the socket itself, and a connect right after Server.close() is
     * refused.
     *
     * aio-loop has no public way to flush cancelled keys. Stop-gap: EventLoop.addReader on the
     * channel after closing it. Its Readiness.add() finds the cancelled key, runs selectNow() to
     * deregister it (which releases the descriptor of the closed channel), then refuses the
     * closed channel with an IllegalStateException, which we expect. This is safe because every
     * caller runs on the loop (or while it is not running), never during its select. The hook
     * that should replace this: an aio-loop method that cancels the channel's key and flushes
     * the selector's cancelled keys when the loop is not selecting (e.g.
     * EventLoop.closeChannel(SelectableChannel)). ServerTest.connectRightAfterCloseIsRefused_issue13
     * and TransportTest.peerSeesEofAtOnceAfterCloseWhileTheLoopIsNotRunning_issue13 fail if this
     * stops working.
     */
    private static final System.Logger LOG = System.getLogger("dev.aio4j.streams");

    private ImmediateClose() {}

    /** Closes {@code ch} (quietly) and releases its descriptor now, not at the loop's next select. */
    static void close(EventLoop loop, SelectableChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // best effort, as asyncio's sock.close()
        }
        if (!ch.isRegistered() || loop.isClosed()) {
            return; // closed for real already (a closed loop's selector deregistered everything)
        }
        try {
            loop.addReader(ch, () -> { });
            loop.removeReader(ch); // not expected: aio-loop took the closed channel
        } catch (IllegalStateException expected) {
            // "cannot wait for I/O on a closed channel", after the cancelled key was flushed
        }
        if (ch.isRegistered()) {
            LOG.log(System.Logger.Level.DEBUG, "the close of " + ch + " waits for the loop's next select");
        }
    }
}
