package dev.aio4j.loop;

import dev.aio4j.loop.internal.IpLiterals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors Lib/test/test_asyncio/test_sock_lowlevel.py and the add_reader/add_writer tests of
 * test_selector_events.py, against peers aio4j did not write (the JDK's blocking sockets), on
 * loopback, on the real clock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SockTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void sockClientOps() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            Thread echo = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                } catch (IOException ignored) {
                    // the test fails on its own side
                }
            });
            byte[] reply = Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                try (SocketChannel ch = SocketChannel.open()) {
                    ch.configureBlocking(false);
                    loop.sockConnect(ch, new InetSocketAddress(LOOPBACK, server.getLocalPort()));
                    loop.sockSendall(ch, "hello aio4j".getBytes(StandardCharsets.US_ASCII));
                    ByteBuffer got = ByteBuffer.allocate(11);
                    while (got.hasRemaining()) {
                        assertTrue(loop.sockRecvInto(ch, got) > 0);
                    }
                    ch.shutdownOutput();
                    assertEquals(0, loop.sockRecv(ch, 10).length, "EOF reads as empty, as in asyncio");
                    return got.array();
                }
            });
            echo.join(5000);
            assertEquals("hello aio4j", new String(reply, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void sockSendallOfSeveralMegabytesWaitsForASlowReader() throws Exception {
        // The reader starts late, so the kernel buffers fill and sockSendall must wait for
        // writability (OP_WRITE) many times; every byte must still arrive, in order.
        byte[] payload = new byte[8 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            byte[][] received = new byte[1][];
            java.util.concurrent.CountDownLatch senderBlocked = new java.util.concurrent.CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    senderBlocked.await(10, TimeUnit.SECONDS);
                    received[0] = in.readAllBytes();
                } catch (IOException | InterruptedException ignored) {
                    // checked below
                }
            });
            int[] waits = {0};
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                try (SocketChannel ch = SocketChannel.open()) {
                    ch.configureBlocking(false);
                    loop.sockConnect(ch, new InetSocketAddress(LOOPBACK, server.getLocalPort()));
                    ByteBuffer src = ByteBuffer.wrap(payload);
                    Task<Object> send = Aio.createTask(() -> {
                        loop.sockSendall(ch, src);
                        return null;
                    });
                    // Watch the sender stall with bytes left, then let the reader go.
                    while (!send.done()) {
                        Aio.sleep(0.005);
                        waits[0]++;
                        if (waits[0] == 3) {
                            assertTrue(src.hasRemaining(), "8 MiB fitted in the socket buffers: no back-pressure to test");
                            senderBlocked.countDown();
                        }
                    }
                    senderBlocked.countDown();
                    send.await();
                }
                return null;
            });
            reader.join(20000);
            assertTrue(waits[0] >= 3, "the send finished before the reader started");
            assertArrayEquals(payload, received[0]);
        }
    }

    @Test
    void sockAcceptFromABlockingClient() throws Exception {
        String line = Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(LOOPBACK, 0));
                server.configureBlocking(false);
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                Thread client = Thread.ofPlatform().start(() -> {
                    try (Socket s = new Socket(LOOPBACK, port)) {
                        s.getOutputStream().write("from a JDK socket".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                        // checked by the result
                    }
                });
                try (SocketChannel conn = loop.sockAccept(server)) {
                    assertFalse(conn.isBlocking());
                    StringBuilder sb = new StringBuilder();
                    byte[] chunk;
                    while ((chunk = loop.sockRecv(conn, 64)).length > 0) {
                        sb.append(new String(chunk, StandardCharsets.US_ASCII));
                    }
                    client.join(5000);
                    return sb.toString();
                }
            }
        });
        assertEquals("from a JDK socket", line);
    }

    @Test
    void sockConnectRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        String refused = Aio.run(() -> {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                ConnectException e = assertThrows(ConnectException.class,
                        () -> Aio.getRunningLoop().sockConnect(ch, new InetSocketAddress(LOOPBACK, port)));
                return e.getMessage();
            }
        });
        assertTrue(refused.contains("refused"), refused);
    }

    @Test
    void addReaderCallsBackForEachReadinessAndRemoveReaderStopsIt() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            List<String> got = new ArrayList<>();
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Future<Void> twoChunks = loop.createFuture();
                loop.addReader(source, () -> {
                    ByteBuffer b = ByteBuffer.allocate(16);
                    try {
                        source.read(b);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    got.add(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
                    if (got.size() == 2 && !twoChunks.done()) {
                        twoChunks.setResult(null);
                    }
                });
                sink.write(ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)));
                Aio.sleep(0.01);
                sink.write(ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)));
                twoChunks.await();
                assertTrue(loop.removeReader(source));
                assertFalse(loop.removeReader(source));
                Aio.sleep(0);
                assertEquals(0, loop.selectorKeyCount(), "the key is gone once nothing waits on the channel");
                return null;
            });
            assertEquals(List.of("one", "two"), got);
        }
    }

    @Test
    void addWriterFiresWhenWritable() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
            sink.configureBlocking(false);
            int calls = Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                int[] n = {0};
                Future<Void> f = loop.createFuture();
                loop.addWriter(sink, () -> {
                    n[0]++;
                    loop.removeWriter(sink);
                    f.setResult(null);
                });
                f.await();
                return n[0];
            });
            assertEquals(1, calls);
        }
    }

    @Test
    void blockingOrClosedChannelsAreRefusedWithAClearMessage() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().close();
        Pipe.SourceChannel source = pipe.source();
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            IllegalArgumentException blocking = assertThrows(IllegalArgumentException.class, () -> loop.addReader(source, () -> { }));
            assertTrue(blocking.getMessage().contains("must be in non-blocking mode; call configureBlocking(false)"), blocking.getMessage());
            source.configureBlocking(false);
            source.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> loop.addReader(source, () -> { }));
            assertTrue(closed.getMessage().startsWith("cannot wait for I/O on a closed channel"), closed.getMessage());
            return null;
        });
    }

    @Test
    void cancelledRecvLeavesNoRegistration() throws Exception {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                // SourceChannel is not a SocketChannel: wait for readiness the way sockRecv does.
                Task<Object> waiter = Aio.createTask(() -> {
                    Future<Void> f = loop.createFuture();
                    loop.addReader(source, () -> f.setResult(null));
                    try {
                        return f.await();
                    } finally {
                        loop.removeReader(source);
                    }
                });
                Aio.sleep(0.01);
                assertEquals(1, loop.selectorKeyCount());
                waiter.cancel();
                assertThrows(CancelledError.class, waiter::await);
                Aio.sleep(0);
                assertEquals(0, loop.selectorKeyCount());
                return null;
            });
        }
    }

    @Test
    void getaddrinfoResolvesLiteralsAndNamesOffTheLoop() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<InetSocketAddress> literal = loop.getaddrinfo("127.0.0.1", 8080);
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", 8080)), literal);
            List<InetSocketAddress> named = loop.getaddrinfo("localhost", 80);
            assertFalse(named.isEmpty());
            assertTrue(named.stream().allMatch(a -> a.getAddress().isLoopbackAddress() && a.getPort() == 80), named.toString());
            assertThrows(IllegalArgumentException.class, () -> loop.getaddrinfo("localhost", 70000));
            return null;
        });
        assertTrue(IpLiterals.isIpLiteral("10.0.0.1"));
        assertTrue(IpLiterals.isIpLiteral("::1"));
        assertFalse(IpLiterals.isIpLiteral("example.com"));
        assertFalse(IpLiterals.isIpLiteral("1.2.3"));
    }

    @Test
    void noFileDescriptorLeaksAcrossManyConnections() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd (Linux)");
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 200, LOOPBACK)) {
            Thread acceptor = Thread.ofPlatform().daemon(true).start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read();
                    } catch (IOException e) {
                        return;
                    }
                    served.incrementAndGet(); // counted once the accepted socket is closed
                }
            });
            Coroutine<Void> rounds = () -> {
                EventLoop loop = Aio.getRunningLoop();
                for (int i = 0; i < 20; i++) {
                    try (SocketChannel ch = SocketChannel.open()) {
                        ch.configureBlocking(false);
                        loop.sockConnect(ch, new InetSocketAddress(LOOPBACK, server.getLocalPort()));
                        loop.sockSendall(ch, new byte[] {1});
                    }
                }
                return null;
            };
            ThrowingVoidCoroutine<Exception> round = () -> Aio.run(rounds);
            round.call(); // warm up: class loading may open jars
            awaitServed(served, 20);
            long before = countFds(fds);
            round.call();
            round.call();
            awaitServed(served, 60);
            long after = countFds(fds);
            assertEquals(before, after, "open file descriptors before and after two rounds of 20 connections");
            server.close();
            acceptor.join(5000);
        }
    }

    private static void awaitServed(java.util.concurrent.atomic.AtomicInteger served, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (served.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(n, served.get(), "connections served by the JDK acceptor");
    }

    private static long countFds(Path fds) throws IOException {
        try (var s = Files.list(fds)) {
            return s.count();
        }
    }

    @Test
    void virtualTimeStillJumpsWhileAChannelIsRegistered_issue2() throws Exception {
        // Regression: with an idle channel registered, the auto-jump clock waited its 5 ms real
        // grace period forever instead of jumping afterwards.
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            double t = dev.aio4j.loop.test.Loops.runVirtual(() -> {
                EventLoop loop = Aio.getRunningLoop();
                loop.addReader(source, () -> { });
                Aio.sleep(3600);
                loop.removeReader(source);
                return TestClocks.elapsed(loop);
            });
            assertEquals(3600.0, t);
        }
    }
}
