package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sock_recvfrom}, {@code sock_recvfrom_into}, {@code sock_sendto} (Lib/test/test_asyncio/
 * test_sock_lowlevel.py's {@code _basetest_datagram_recvfrom}, {@code _basetest_datagram_recvfrom_into})
 * and {@code sock_sendfile} (test_sendfile.py's {@code SockSendfileMixin}), against the JDK's
 * blocking sockets on loopback.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SockDatagramAndSendfileTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A JDK UDP echo server answering {@code n} datagrams, as test_sock_lowlevel's MyDatagramProto. */
    private static Thread udpEcho(DatagramSocket server, int n) {
        return Thread.ofPlatform().start(() -> {
            byte[] buf = new byte[65536];
            try {
                for (int i = 0; i < n; i++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    server.receive(p);
                    server.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                }
            } catch (IOException ignored) {
                // the test fails on its own side
            }
        });
    }

    private static DatagramChannel boundChannel() throws IOException {
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        ch.configureBlocking(false);
        return ch;
    }

    @Test
    void datagramRecvfrom() throws Exception { // _basetest_datagram_recvfrom
        try (DatagramSocket server = new DatagramSocket(0, LOOPBACK)) {
            Thread echo = udpEcho(server, 1);
            byte[] data = new byte[4096];
            Arrays.fill(data, (byte) 1);
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                try (DatagramChannel ch = boundChannel()) {
                    assertEquals(4096, loop.sockSendto(ch, data, server.getLocalSocketAddress()));
                    EventLoop.Datagram got = loop.sockRecvfrom(ch, 4096);
                    assertArrayEquals(data, got.data());
                    assertEquals(server.getLocalSocketAddress(), got.address());
                }
                return null;
            });
            echo.join(5000);
        }
    }

    @Test
    void datagramRecvfromInto() throws Exception { // _basetest_datagram_recvfrom_into
        try (DatagramSocket server = new DatagramSocket(0, LOOPBACK)) {
            Thread echo = udpEcho(server, 2);
            byte[] data = new byte[4096];
            Arrays.fill(data, (byte) 1);
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                try (DatagramChannel ch = boundChannel()) {
                    loop.sockSendto(ch, data, server.getLocalSocketAddress());
                    ByteBuffer buf = ByteBuffer.allocate(8192);
                    assertEquals(server.getLocalSocketAddress(), loop.sockRecvfromInto(ch, buf));
                    assertEquals(4096, buf.position(), "the count is how far the position moved");
                    assertArrayEquals(data, Arrays.copyOf(buf.array(), 4096));

                    // a buffer shorter than the datagram: the rest is dropped, as recvfrom_into(buf, 1024)
                    loop.sockSendto(ch, data, server.getLocalSocketAddress());
                    ByteBuffer small = ByteBuffer.allocate(1024);
                    assertEquals(server.getLocalSocketAddress(), loop.sockRecvfromInto(ch, small));
                    assertEquals(1024, small.position());
                }
                return null;
            });
            echo.join(5000);
        }
    }

    @Test
    void anEmptyDatagramIsSentAndReceived() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            try (DatagramChannel a = boundChannel(); DatagramChannel b = boundChannel()) {
                assertEquals(0, loop.sockSendto(a, new byte[0], b.getLocalAddress()), "sent at once, not waited on");
                EventLoop.Datagram got = loop.sockRecvfrom(b, 10);
                assertEquals(0, got.data().length);
                assertEquals(a.getLocalAddress(), got.address());
            }
            return null;
        });
    }

    @Test
    void recvfromSuspendsUntilADatagramArrivesAndCancelTakesNone() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                try (DatagramChannel ch = boundChannel()) {
                    Task<EventLoop.Datagram> waiting = Aio.createTask(() -> loop.sockRecvfrom(ch, 100));
                    Aio.sleep(0.01);
                    assertTrue(!waiting.done(), "nothing sent yet");
                    waiting.cancel();
                    assertThrows(CancelledError.class, waiting::await);
                    byte[] hello = {104, 105};
                    peer.send(new DatagramPacket(hello, 2, ch.getLocalAddress()));
                    EventLoop.Datagram got = loop.sockRecvfrom(ch, 100);
                    assertArrayEquals(hello, got.data(), "the cancelled receive took nothing");
                    assertEquals(peer.getLocalSocketAddress(), got.address());
                }
                return null;
            });
        }
    }

    @Test
    void datagramArgumentErrors() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            try (DatagramChannel blocking = DatagramChannel.open(); DatagramChannel ch = boundChannel()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfrom(blocking, 10));
                assertTrue(e.getMessage().contains("configureBlocking(false)"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfrom(ch, 0));
                assertThrows(NullPointerException.class, () -> loop.sockSendto(ch, null, ch.getLocalAddress()));
                assertThrows(NullPointerException.class, () -> loop.sockSendto(ch, new byte[1], null));
                IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockSendto(blocking, new byte[1], ch.getLocalAddress()));
                assertTrue(b.getMessage().contains("sockSendto"), b.getMessage());
                assertThrows(IllegalArgumentException.class, () -> loop.sockRecvfromInto(blocking, ByteBuffer.allocate(1)));
            }
            return null;
        });
    }

    // --------------------------------------------------------------------- sock_sendfile

    private static Path dataFile(Path dir, byte[] content) throws IOException {
        return Files.write(dir.resolve("data.bin"), content);
    }

    private static byte[] content(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /** Connects a non-blocking channel to a JDK reader that collects everything until end of stream. */
    private record Sink(SocketChannel channel, CompletableFuture<byte[]> received) {
    }

    private static Sink sink(EventLoop loop, ServerSocket server, int delayMillis) throws IOException {
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                Thread.sleep(delayMillis); // a late reader: the socket's buffers fill first
                received.complete(in.readAllBytes());
            } catch (Exception e) {
                received.completeExceptionally(e);
            }
        });
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        loop.sockConnect(ch, new InetSocketAddress(LOOPBACK, server.getLocalPort()));
        return new Sink(ch, received);
    }

    private static byte[] finish(Sink s) throws Exception {
        s.channel().close();
        return Aio.toThread(() -> s.received().get(20, TimeUnit.SECONDS));
    }

    @Test
    void sockSendfileSuccess(@TempDir Path dir) throws Exception { // test_sock_sendfile_success
        byte[] data = content(4 << 20); // larger than the socket buffers: sendfile must wait for writability
        Path file = dataFile(dir, data);
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 50);
                try (FileChannel f = FileChannel.open(file)) {
                    assertEquals(data.length, loop.sockSendfile(s.channel(), f, 0, 0));
                    assertEquals(data.length, f.position(), "the file's position is after the last byte sent");
                }
                assertArrayEquals(data, finish(s));
                return null;
            });
        }
    }

    @Test
    void sockSendfileWithOffsetAndCount(@TempDir Path dir) throws Exception { // test_sock_sendfile_with_offset_and_count
        byte[] data = content(1 << 16);
        Path file = dataFile(dir, data);
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 0);
                try (FileChannel f = FileChannel.open(file)) {
                    assertEquals(2000, loop.sockSendfile(s.channel(), f, 1000, 2000));
                    assertEquals(3000, f.position());
                }
                assertArrayEquals(Arrays.copyOfRange(data, 1000, 3000), finish(s));
                return null;
            });
        }
    }

    @Test
    void sockSendfileZeroSizeAndPastTheEnd(@TempDir Path dir) throws Exception { // test_sock_sendfile_zero_size
        Path empty = dataFile(dir, new byte[0]);
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 0);
                try (FileChannel f = FileChannel.open(empty)) {
                    assertEquals(0, loop.sockSendfile(s.channel(), f, 0, 0));
                    assertEquals(0, loop.sockSendfile(s.channel(), f, 10, 5), "an offset past the end sends nothing");
                }
                assertEquals(0, finish(s).length);
                return null;
            });
        }
    }

    @Test
    void sockSendfileCountPastTheEndSendsToTheEnd(@TempDir Path dir) throws Exception { // asyncio: count > size sends what there is
        byte[] data = content(5000);
        Path file = dataFile(dir, data);
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 0);
                try (FileChannel f = FileChannel.open(file)) {
                    // offset + count overflows a long: still "everything from offset on", not nothing
                    assertEquals(4000, loop.sockSendfile(s.channel(), f, 1000, Long.MAX_VALUE));
                    assertEquals(5000, f.position());
                }
                assertArrayEquals(Arrays.copyOfRange(data, 1000, 5000), finish(s));
                return null;
            });
        }
    }

    @Test
    void sockSendfileThatSendsNothingLeavesThePosition(@TempDir Path dir) throws Exception {
        // base_events/unix_events _sock_sendfile_update_filepos: the file is seeked only if total_sent > 0
        Path file = dataFile(dir, content(100));
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 0);
                try (FileChannel f = FileChannel.open(file)) {
                    f.position(7);
                    assertEquals(0, loop.sockSendfile(s.channel(), f, 500, 10), "an offset past the end sends nothing");
                    assertEquals(7, f.position(), "nothing sent: the file's position is left where it was");
                }
                assertEquals(0, finish(s).length);
                return null;
            });
        }
    }

    @Test
    void sockSendfileMixWithRegularSend(@TempDir Path dir) throws Exception { // test_sock_sendfile_mix_with_regular_send
        byte[] data = content(1 << 20);
        Path file = dataFile(dir, data);
        byte[] before = "before".getBytes();
        byte[] after = "after".getBytes();
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 20);
                loop.sockSendall(s.channel(), before);
                try (FileChannel f = FileChannel.open(file)) {
                    assertEquals(data.length, loop.sockSendfile(s.channel(), f, 0, 0));
                }
                loop.sockSendall(s.channel(), after);
                byte[] got = finish(s);
                assertEquals(before.length + data.length + after.length, got.length);
                assertArrayEquals(before, Arrays.copyOfRange(got, 0, before.length));
                assertArrayEquals(data, Arrays.copyOfRange(got, before.length, before.length + data.length));
                assertArrayEquals(after, Arrays.copyOfRange(got, before.length + data.length, got.length));
                return null;
            });
        }
    }

    @Test
    void sockSendfileArgumentErrors(@TempDir Path dir) throws Exception { // test_sock_sendfile_invalid_offset, _count
        Path file = dataFile(dir, content(10));
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            Aio.run(() -> {
                EventLoop loop = Aio.getRunningLoop();
                Sink s = sink(loop, server, 0);
                try (FileChannel f = FileChannel.open(file)) {
                    assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(s.channel(), f, -1, 0));
                    assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(s.channel(), f, 0, -1));
                    s.channel().configureBlocking(true);
                    assertThrows(IllegalArgumentException.class, () -> loop.sockSendfile(s.channel(), f, 0, 0));
                }
                finish(s);
                return null;
            });
        }
    }
}
