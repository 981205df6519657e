package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ImmediateClose: a socket the loop still watches closes as asyncio's {@code sock.close()} does.
 * aio4j-only (asyncio closes its sockets itself; NIO defers the close of a registered channel).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImmediateCloseTest {

    /** What a test does with a loop, our non-blocking end of a loopback connection, and its peer. */
    @FunctionalInterface
    private interface WithConnection {
        void run(EventLoop loop, SocketChannel ch, Socket peer) throws Exception;
    }

    private static void withConnection(WithConnection body) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                EventLoop loop = EventLoop.create();
                SocketChannel ch = SocketChannel.open(ss.getLocalSocketAddress());
                Socket peer = ss.accept()) {
            ch.configureBlocking(false);
            peer.setSoTimeout(5000);
            body.run(loop, ch, peer);
        }
    }

    @Test
    void aWatchedSocketClosedWithUnreadInputResetsThePeer() throws Exception {
        // Closed while its key was still registered, NIO would shut the output down first: the
        // peer would read a clean end of stream instead of the reset that unread input calls for.
        withConnection((loop, ch, peer) -> {
            peer.getOutputStream().write(new byte[] {1, 2, 3}); // never read by ch
            Future<Void> closed = loop.createFuture();
            loop.addReader(ch, () -> { // the input has arrived; it stays unread
                if (!closed.done()) {
                    ImmediateClose.close(loop, ch);
                    closed.setResult(null);
                }
            });
            loop.runUntilComplete(closed);
            assertFalse(ch.isOpen());
            assertFalse(ch.isRegistered(), "the descriptor is released now, not at the next select");
            SocketException reset = assertThrows(SocketException.class, () -> peer.getInputStream().read(),
                    "the peer sees a reset, not end of stream");
            assertTrue(reset.getMessage().toLowerCase().contains("reset"), reset.getMessage());
        });
    }

    @Test
    void aSocketTheLoopDoesNotWatchJustCloses() throws Exception {
        withConnection((loop, ch, peer) -> {
            ImmediateClose.close(loop, ch);
            assertFalse(ch.isOpen());
            assertTrue(peer.getInputStream().read() == -1, "end of stream: nothing was left unread");
        });
    }
}
