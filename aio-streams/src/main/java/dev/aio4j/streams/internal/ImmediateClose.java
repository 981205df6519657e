package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.LoopAccess;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * Closes a channel that the loop's selector may still hold, so that the close takes effect at
 * once: a closed listening socket refuses connections, a closed socket's descriptor is released.
 */
final class ImmediateClose {
    /*
     * Maintainer notes. NIO defers the real close of a channel that is still registered with a
     * selector until the selector deregisters its (cancelled) key at its next select; until then
     * the descriptor stays open: a closed listening socket still completes connections into its
     * backlog, which are then reset. Worse, closing a connected socket while it is registered
     * makes the JDK shut its output down first, so the peer reads a FIN (a clean end of stream)
     * before the reset that unread input calls for. asyncio closes the socket itself: a connect
     * right after Server.close() is refused, and a socket closed with unread input sends a reset
     * alone. So the channel leaves the selector first (LoopAccess.releaseChannel: its key
     * cancelled and flushed now), then closes. Every caller runs on the loop's side, never during
     * its select. ServerTest.connectRightAfterCloseIsRefused_issue13,
     * TransportTest.peerSeesEofAtOnceAfterCloseWhileTheLoopIsNotRunning_issue13 and
     * ImmediateCloseTest fail if this stops working.
     */
    private static final System.Logger LOG = System.getLogger("dev.aio4j.streams");

    private ImmediateClose() {}

    /** Closes {@code ch} (quietly) and releases its descriptor now, not at the loop's next select. */
    static void close(EventLoop loop, SelectableChannel ch) {
        if (ch.isRegistered() && !loop.isClosed()) {
            LoopAccess.releaseChannel(loop, ch);
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // best effort, as asyncio's sock.close()
        }
        if (ch.isRegistered()) {
            LOG.log(System.Logger.Level.DEBUG, "the close of " + ch + " waits for the loop's next select");
        }
    }
}
