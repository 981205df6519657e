package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only (issue 13): a channel removed from a loop that is not running is deregistered from
 * the selector at once, so closing it closes the socket at once (NIO defers the close of a
 * registered channel until its key is flushed by the next select, which an idle loop never does).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChannelDeregistrationTest {

    private interface Removal {
        void remove(EventLoop loop, SocketChannel ch);
    }

    private void peerSeesEofAtOnce(boolean reader, Removal removal) throws Exception {
        try (EventLoop loop = EventLoop.create();
             ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                client.configureBlocking(false);
                if (reader) {
                    loop.addReader(client, () -> { });
                } else {
                    loop.addWriter(client, () -> { });
                }
                removal.remove(loop, client);
                client.close();
                assertEquals(0, loop.selectorKeyCount(), "the cancelled key was flushed");
                Socket peer = accepted.socket();
                peer.setSoTimeout(20_000); // far beyond "at once"; without the fix the read blocks until then
                InputStream in = peer.getInputStream();
                assertEquals(-1, in.read(), "the peer sees end of stream");
            }
        }
    }

    @Test
    void peerSeesEofAtOnceAfterRemoveReaderAndClose_issue13() throws Exception {
        peerSeesEofAtOnce(true, (loop, ch) -> assertTrue(loop.removeReader(ch)));
    }

    @Test
    void peerSeesEofAtOnceAfterRemoveWriterAndClose_issue13() throws Exception {
        peerSeesEofAtOnce(false, (loop, ch) -> assertTrue(loop.removeWriter(ch)));
    }
}
