package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unix domain sockets: mirrors the unix tests of Lib/test/test_asyncio/test_streams.py and
 * test_unix_events.py, with the JDK's blocking Unix-domain channels as peers.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnixSocketsTest {
    @TempDir
    Path dir;

    @Test
    void openUnixConnectionToAJdkServer() throws Exception {
        Path path = dir.resolve("jdk.sock");
        try (ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ss.bind(UnixDomainSocketAddress.of(path));
            Thread peer = Thread.ofPlatform().start(() -> {
                try (SocketChannel c = ss.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    c.read(b);
                    b.flip();
                    c.write(b);
                } catch (IOException ignored) {
                    // checked on our side
                }
            });
            String got = Aio.run(() -> {
                StreamPair rw = Streams.openUnixConnection(path);
                assertInstanceOf(UnixDomainSocketAddress.class, rw.writer().getExtraInfo("peername"));
                rw.writer().write("over unix\n".getBytes(StandardCharsets.US_ASCII));
                String line = new String(rw.reader().readline(), StandardCharsets.US_ASCII);
                rw.writer().close();
                rw.writer().waitClosed();
                return line;
            });
            peer.join(5000);
            assertEquals("over unix\n", got);
        }
    }

    @Test
    void startUnixServerServesAJdkClientAndRemovesItsFile() throws Exception {
        Path path = dir.resolve("srv.sock");
        Files.createFile(dir.resolve("not-a-socket"));
        Aio.run(() -> {
            Server srv = Streams.startUnixServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, path);
            assertTrue(Files.exists(path));
            assertEquals(UnixDomainSocketAddress.of(path), srv.addresses().get(0));
            String reply = Aio.toThread(() -> {
                try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    c.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer b = ByteBuffer.allocate(64);
                    while (c.read(b) >= 0) {
                        // until the server closes
                    }
                    return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
                }
            });
            assertEquals("ping\n", reply);
            assertThrows(IllegalStateException.class, srv::port);
            srv.close();
            srv.waitClosed();
            assertFalse(Files.exists(path), "the socket file is removed on close");
            // A file that is not a socket is never removed: binding there fails.
            assertThrows(java.net.BindException.class, () -> Streams.startUnixServer((r, w) -> w.close(), dir.resolve("not-a-socket")));
            assertTrue(Files.exists(dir.resolve("not-a-socket")));
            return null;
        });
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ss.bind(UnixDomainSocketAddress.of(path)); // leaves the file behind after close
        }
        assertTrue(Files.exists(path));
        Aio.run(() -> {
            Server srv = Streams.startUnixServer((r, w) -> w.close(), path);
            StreamPair c = Streams.openUnixConnection(path);
            assertEquals(0, c.reader().read(-1).length);
            c.writer().close();
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void connectingToAMissingSocketFails() throws Exception {
        Path path = dir.resolve("missing.sock");
        String msg = Aio.run(() -> assertThrows(IOException.class, () -> Streams.openUnixConnection(path)).getMessage());
        assertTrue(msg.startsWith("Connect call failed to " + path), msg);
    }

    /** A network that simulates only TCP: it does not override connectUnix/listenUnix. */
    private static final class TcpOnlyNetwork implements dev.aio4j.streams.spi.Network {
        @Override
        public java.util.List<java.net.InetSocketAddress> getaddrinfo(dev.aio4j.loop.EventLoop loop, String host, int port)
                throws IOException {
            throw new java.net.UnknownHostException("TCP-only test network: " + host);
        }

        @Override
        public Transport connect(dev.aio4j.loop.EventLoop loop, java.net.InetSocketAddress address, Protocol protocol)
                throws IOException {
            throw new java.net.ConnectException("TCP-only test network: " + address);
        }

        @Override
        public Listener listen(dev.aio4j.loop.EventLoop loop, java.net.InetSocketAddress address, int backlog, Acceptor acceptor)
                throws IOException {
            throw new java.net.BindException("TCP-only test network: " + address);
        }
    }

    @Test
    void aNetworkWithoutUnixMethodsKeepsRealUnixSockets_issue17() throws Exception {
        Path path = dir.resolve("net.sock");
        Path missing = dir.resolve("missing.sock");
        Aio.run(() -> {
            IOException without = assertThrows(IOException.class, () -> Streams.openUnixConnection(missing));
            Streams.useNetwork(Aio.getRunningLoop(), new TcpOnlyNetwork());
            try {
                Server srv = Streams.startUnixServer((r, w) -> {
                    w.write(r.readline());
                    w.close();
                }, path);
                assertTrue(Files.exists(path), "the default listenUnix binds a real socket file");
                assertEquals(java.util.List.of(UnixDomainSocketAddress.of(path)), srv.addresses());
                StreamPair c = Streams.openUnixConnection(path);
                assertInstanceOf(UnixDomainSocketAddress.class, c.writer().getExtraInfo("peername"));
                c.writer().write("through the seam\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("through the seam\n", new String(c.reader().readline(), StandardCharsets.US_ASCII));
                assertEquals(0, c.reader().read(-1).length);
                c.writer().close();
                srv.close();
                srv.waitClosed();
                assertFalse(Files.exists(path), "closing the default listener removes the socket file");
                IOException with = assertThrows(IOException.class, () -> Streams.openUnixConnection(missing));
                assertEquals(without.getClass(), with.getClass());
                assertEquals(without.getMessage(), with.getMessage());
            } finally {
                Streams.useNetwork(Aio.getRunningLoop(), null);
            }
            return null;
        });
    }

    @Test
    void noFileDescriptorLeaks() throws Exception {
        Path path = dir.resolve("leak.sock");
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            Server srv = Streams.startUnixServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, path);
            for (int i = 0; i < 10; i++) {
                StreamPair c = Streams.openUnixConnection(path);
                c.writer().write("x\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(2, c.reader().readline().length);
                c.writer().close();
                c.writer().waitClosed();
            }
            srv.close();
            srv.waitClosed();
            return null;
        }));
    }
}
