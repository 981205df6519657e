package dev.aio4j.streams.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The socket transport's loop close hook (closeWhenTheLoopCloses). aio4j-only. */
class SocketTransportLoopCloseTest {

    @Test
    void theSocketIsClosedAsTheLoopClosesEvenWhenTheCleanupBeforeItThrows() throws Exception {
        // The hook runs a cleanup first (SslProtocol's), then closes the socket: a cleanup that
        // throws must not leave the descriptor open for good.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket ss = new ServerSocket(0, 5, loopback)) {
            CountDownLatch done = new CountDownLatch(1);
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = ss.accept()) {
                    done.await(); // never reads
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            SocketChannel[] channel = new SocketChannel[1];
            boolean[] ran = new boolean[1];
            Aio.run(() -> {
                Transport t = Streams.createConnection(() -> new Protocol() { }, loopback.getHostAddress(), ss.getLocalPort())
                        .transport();
                channel[0] = (SocketChannel) t.getExtraInfo("socket");
                ((SocketTransport) t).closeWhenTheLoopCloses(() -> {
                    ran[0] = true;
                    throw new IllegalStateException("cleanup failed");
                });
                t.write(new byte[8 << 20]);
                assertTrue(t.getWriteBufferSize() > 0, "8 MiB fitted in the socket buffers: nothing to flush");
                t.close();
                return null;
            });
            done.countDown();
            peer.join();
            assertTrue(ran[0], "the cleanup ran as the loop closed");
            assertFalse(channel[0].isOpen(), "closed as the loop closed, although the cleanup threw");
        }
    }
}
