package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The socket transport and the protocol callbacks: mirrors the transport tests of
 * Lib/test/test_asyncio/test_selector_events.py (SelectorSocketTransportTests) and the
 * create_connection/create_server tests of test_events.py, against the JDK's blocking sockets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void createConnectionEchoHalfCloseAndEof() throws Exception {
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            List<String> events = Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, echo.port());
                RecordingProtocol p = tp.protocol();
                Transport t = tp.transport();
                assertTrue(p.made.done(), "createConnection returns after connectionMade");
                assertEquals(new InetSocketAddress(Net.LOOPBACK, echo.port()), t.getExtraInfo("peername"));
                assertInstanceOf(InetSocketAddress.class, t.getExtraInfo("sockname"));
                assertInstanceOf(SocketChannel.class, t.getExtraInfo("socket"));
                assertEquals("dflt", t.getExtraInfo("nonsense", "dflt"));
                assertTrue(t.canWriteEof());
                t.write(ascii("hello "));
                t.writelines(List.of(ascii("wor"), ascii("ld")));
                p.awaitBytes(11);
                t.writeEof();
                IllegalStateException afterEof = assertThrows(IllegalStateException.class, () -> t.write(ascii("x")));
                assertTrue(afterEof.getMessage().startsWith("Cannot call write() after writeEof()"), afterEof.getMessage());
                p.eof.await();
                assertNull(p.lost.await());
                assertEquals("hello world", p.received.toString(StandardCharsets.US_ASCII));
                assertTrue(t.isClosing());
                return p.events;
            });
            assertEquals(List.of("made", "data", "eof", "lost"), events);
        }
    }

    @Test
    void peerSeesEofAtOnceAfterCloseWhileTheLoopIsNotRunning_issue13() throws Exception {
        // aio4j-only: close() shuts the write side at once when nothing is buffered, and the socket's
        // descriptor is released when connectionLost runs, not at the loop's next select.
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK); dev.aio4j.loop.EventLoop loop = dev.aio4j.loop.EventLoop.create()) {
            TransportAndProtocol<RecordingProtocol> tp = loop.runUntilComplete(
                    () -> Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort()));
            try (Socket peer = ss.accept()) {
                peer.setSoTimeout(5000);
                Transport t = tp.transport();
                t.write(ascii("bye"));
                t.close(); // the loop is not running
                assertArrayEquals(ascii("bye"), peer.getInputStream().readNBytes(3));
                assertEquals(-1, peer.getInputStream().read(), "end of stream at once, not a timeout");
                SocketChannel ch = (SocketChannel) t.getExtraInfo("socket");
                dev.aio4j.loop.Future<Boolean> registeredAfterLost = loop.createFuture();
                loop.callSoon(() -> registeredAfterLost.setResult(ch.isRegistered())); // right after connectionLost
                assertFalse(loop.runUntilComplete(registeredAfterLost), "the descriptor is released with connectionLost");
                assertFalse(ch.isOpen());
                assertNull(tp.protocol().lost.result());
                assertEquals(List.of("made", "lost"), tp.protocol().events);
            }
        }
    }

    @Test
    void createServerAcceptsJdkClients() throws Exception {
        AtomicReference<String> got = new AtomicReference<>();
        Aio.run(() -> {
            List<RecordingProtocol> made = new java.util.ArrayList<>();
            Server server = Streams.createServer(() -> {
                RecordingProtocol p = new RecordingProtocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        super.dataReceived(data);
                        transport.write(new String(data, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII));
                    }
                };
                made.add(p);
                return p;
            }, Net.HOST, 0);
            int port = server.port();
            String reply = Aio.toThread(() -> {
                try (Socket s = new Socket(Net.LOOPBACK, port)) {
                    s.getOutputStream().write(ascii("ping"));
                    s.shutdownOutput();
                    return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            got.set(reply);
            assertEquals(1, made.size());
            assertNull(made.get(0).lost.await());
            assertEquals(List.of("made", "data", "eof", "lost"), made.get(0).events);
            server.close();
            server.waitClosed();
            return null;
        });
        assertEquals("PING", got.get());
    }

    @Test
    void closeFlushesEverythingBufferedFirst() throws Exception {
        byte[] big = Net.payload(8 << 20, 1);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch closed = new CountDownLatch(1);
            AtomicReference<byte[]> received = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    closed.await(10, TimeUnit.SECONDS); // read only after our close()
                    received.set(in.readAllBytes());
                } catch (IOException | InterruptedException ignored) {
                    // checked below
                }
            });
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                Transport t = tp.transport();
                t.write(big);
                assertTrue(t.getWriteBufferSize() > 0, "8 MiB fitted in the socket buffers: nothing to flush");
                assertEquals(1, tp.protocol().pauses, "above the high watermark the protocol is paused");
                t.close();
                t.close(); // idempotent
                assertTrue(t.isClosing());
                assertFalse(t.isReading());
                closed.countDown();
                assertNull(tp.protocol().lost.await());
                assertEquals(0, t.getWriteBufferSize());
                return null;
            });
            reader.join(20000);
            assertArrayEquals(big, received.get(), "nothing written before close() is lost");
        }
    }

    @Test
    void aCloseStillFlushingToAPeerThatNeverReadsWhenTheLoopClosesClosesItsSocket() throws Exception {
        // close() waits for its buffer to be written, and this peer never reads; Aio.run ends
        // meanwhile and no callback can run any more. The socket is closed as the loop closes
        // (the close hook a TLS close waiting for the peer's close_notify uses), not left open for
        // good: asyncio's transport closes it when collected, with a ResourceWarning. aio4j-only.
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch done = new CountDownLatch(1);
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = ss.accept()) {
                    done.await(); // never reads
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            SocketChannel[] channel = new SocketChannel[1];
            String state = Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                Transport t = tp.transport();
                channel[0] = (SocketChannel) t.getExtraInfo("socket");
                t.write(Net.payload(8 << 20, 1));
                assertTrue(t.getWriteBufferSize() > 0, "8 MiB fitted in the socket buffers: nothing to flush");
                t.close();
                // closing counts as closed for the leak check; the socket is the close hook's
                assertFalse(dev.aio4j.loop.internal.OpenResources.stillOpen(Aio.getRunningLoop()).contains(t));
                return t.toString();
            });
            done.countDown();
            peer.join();
            assertTrue(state.contains("closing, flushing"), state);
            assertFalse(channel[0].isOpen(), "closed as the loop closed");
        }
    }

    @Test
    void abortDropsTheBufferAndClosesAtOnce() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            java.util.concurrent.CountDownLatch aborted = new java.util.concurrent.CountDownLatch(1);
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept()) {
                    aborted.await(10, java.util.concurrent.TimeUnit.SECONDS); // read nothing until abort()
                    s.getInputStream().readAllBytes(); // ends with EOF or a reset
                } catch (IOException | InterruptedException ignored) {
                    // a reset is fine
                }
            });
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                Transport t = tp.transport();
                // The peer reads nothing yet, so 16 MiB cannot all fit in the socket buffers.
                for (int i = 0; i < 64; i++) {
                    t.write(new byte[256 * 1024]);
                }
                assertTrue(t.getWriteBufferSize() > 0);
                t.abort();
                aborted.countDown();
                assertEquals(0, t.getWriteBufferSize());
                assertTrue(t.isClosing());
                assertNull(tp.protocol().lost.await());
                return null;
            });
            peer.join(10000);
        }
    }

    @Test
    void writeBufferLimitsAndFlowControl() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch go = new CountDownLatch(1);
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    go.await(10, TimeUnit.SECONDS);
                    in.readAllBytes();
                } catch (IOException | InterruptedException ignored) {
                    // checked on our side
                }
            });
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                Transport t = tp.transport();
                RecordingProtocol p = tp.protocol();
                assertEquals(new Transport.WriteBufferLimits(16384, 65536), t.getWriteBufferLimits());
                t.setWriteBufferLimits(1000);
                assertEquals(new Transport.WriteBufferLimits(250, 1000), t.getWriteBufferLimits());
                IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(10, 20));
                assertEquals("write buffer limits must satisfy high >= low >= 0, got high=10, low=20", bad.getMessage());
                t.setWriteBufferLimits(64 * 1024, 16 * 1024);
                while (p.pauses == 0) {
                    t.write(new byte[32 * 1024]);
                }
                assertTrue(t.getWriteBufferSize() > 64 * 1024);
                assertEquals(0, p.resumes);
                go.countDown();
                while (p.resumes == 0) {
                    Aio.sleep(0.001);
                }
                assertTrue(t.getWriteBufferSize() <= 16 * 1024, "resumed at or below the low watermark");
                t.close();
                p.lost.await();
                return null;
            });
            peer.join(10000);
        }
    }

    @Test
    void pauseAndResumeReading() throws Exception {
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, echo.port());
                Transport t = tp.transport();
                RecordingProtocol p = tp.protocol();
                assertTrue(t.isReading());
                t.pauseReading();
                t.pauseReading(); // no-op
                assertFalse(t.isReading());
                t.write(ascii("abc"));
                Aio.sleep(0.05);
                assertEquals(0, p.received.size(), "no dataReceived while paused");
                t.resumeReading();
                assertTrue(t.isReading());
                p.awaitBytes(3);
                assertEquals("abc", p.received.toString(StandardCharsets.US_ASCII));
                t.close();
                p.lost.await();
                return null;
            });
        }
    }

    @Test
    void peerResetEndsInConnectionLostWithTheError() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try {
                    Socket s = ss.accept();
                    s.getInputStream().read(); // wait for one byte
                    s.setSoLinger(true, 0); // close with RST
                    s.close();
                } catch (IOException ignored) {
                    // checked on our side
                }
            });
            Exception lost = Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                tp.transport().write(new byte[] {1});
                Exception e = Aio.waitFor(tp.protocol().lost, 10);
                assertEquals(List.of("made", "lost"), tp.protocol().events);
                return e;
            });
            peer.join(5000);
            assertInstanceOf(IOException.class, lost);
            assertTrue(lost.getMessage().toLowerCase().contains("reset"), lost.getMessage());
        }
    }

    @Test
    void writeAfterCloseIsDroppedNotThrown() throws Exception {
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, echo.port());
                Transport t = tp.transport();
                t.close();
                for (int i = 0; i < 6; i++) {
                    t.write(ascii("late")); // dropped; a warning is logged from the fifth on
                }
                assertEquals(0, t.getWriteBufferSize());
                assertNull(tp.protocol().lost.await());
                t.write(ascii("later")); // still no exception once closed
                return null;
            });
        }
    }

    @Test
    void connectToAClosedPortIsRefused() throws Exception {
        int port = Net.closedPort();
        String msg = Aio.run(() -> {
            ConnectException e = assertThrows(ConnectException.class,
                    () -> Streams.createConnection(RecordingProtocol::new, Net.HOST, port));
            return e.getMessage();
        });
        assertTrue(msg.startsWith("Connect call failed to /127.0.0.1:" + port), msg);
        assertTrue(msg.contains("refused"), msg);
    }

    @Test
    void protocolErrorIsReportedAndAbortsTheConnection() throws Exception {
        dev.aio4j.loop.test.RecordingExceptionHandler handler = new dev.aio4j.loop.test.RecordingExceptionHandler();
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Exception lost = Aio.run(() -> {
                Aio.getRunningLoop().setExceptionHandler(handler);
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(() -> new RecordingProtocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        throw new IllegalStateException("boom");
                    }
                }, Net.HOST, echo.port());
                tp.transport().write(ascii("x"));
                return tp.protocol().lost.await();
            });
            assertEquals("boom", lost.getMessage());
            assertEquals(1, handler.messages().size(), handler.messages().toString());
            assertTrue(handler.messages().get(0).startsWith("Fatal error: protocol.dataReceived() call failed."));
        }
    }

    @Test
    void eofReceivedReturningTrueKeepsTheWriteSideOpen() throws Exception {
        Aio.run(() -> {
            Server server = Streams.createServer(() -> new RecordingProtocol() {
                {
                    keepOpenOnEof = true;
                }

                @Override
                public boolean eofReceived() {
                    boolean keep = super.eofReceived();
                    transport.write(ascii("after your eof"));
                    transport.close();
                    return keep;
                }
            }, Net.HOST, 0);
            String reply = Aio.toThread(() -> {
                try (Socket s = new Socket(Net.LOOPBACK, server.port())) {
                    s.shutdownOutput();
                    return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            assertEquals("after your eof", reply);
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void noFileDescriptorOrKeyLeaks() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 200, Net.LOOPBACK)) {
            Thread acceptor = Thread.ofPlatform().daemon(true).start(() -> {
                while (!ss.isClosed()) {
                    try (Socket s = ss.accept(); OutputStream out = s.getOutputStream()) {
                        out.write(s.getInputStream().read());
                    } catch (IOException e) {
                        if (ss.isClosed()) {
                            return;
                        }
                    }
                }
            });
            int closedPort = Net.closedPort();
            Net.assertNoFdLeak(() -> Aio.run(() -> {
                for (int i = 0; i < 10; i++) {
                    TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                    tp.transport().write(new byte[] {7});
                    tp.protocol().awaitBytes(1);
                    if (i % 2 == 0) {
                        tp.transport().close();
                    } else {
                        tp.transport().abort();
                    }
                    tp.protocol().lost.await();
                    assertThrows(ConnectException.class, () -> Streams.createConnection(RecordingProtocol::new, Net.HOST, closedPort));
                }
                Server server = Streams.createServer(RecordingProtocol::new, Net.HOST, 0);
                server.close();
                server.waitClosed();
                return null;
            }));
            ss.close();
            acceptor.join(5000);
        }
    }

    /** A protocol whose named callback throws {@code error}. */
    private static RecordingProtocol failingIn(String callback, RuntimeException error) {
        return new RecordingProtocol() {
            @Override
            public void connectionMade(Transport transport) {
                super.connectionMade(transport);
                if (callback.equals("connectionMade")) {
                    throw error;
                }
            }

            @Override
            public boolean eofReceived() {
                super.eofReceived();
                if (callback.equals("eofReceived")) {
                    throw error;
                }
                return false;
            }
        };
    }

    @Test
    void connectionMadeFailingIsReportedAndFailsCreateConnection() throws Exception {
        // test_selector_events.py: a failing connection_made aborts the connection (aio4j: and the call fails).
        dev.aio4j.loop.test.RecordingExceptionHandler handler = new dev.aio4j.loop.test.RecordingExceptionHandler();
        IllegalStateException boom = new IllegalStateException("boom");
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                Aio.getRunningLoop().setExceptionHandler(handler);
                assertSame(boom, assertThrows(IllegalStateException.class,
                        () -> Streams.createConnection(() -> failingIn("connectionMade", boom), Net.HOST, echo.port())));
                return null;
            });
        }
        assertEquals(1, handler.messages().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Fatal error: protocol.connectionMade() call failed.: SocketTransport["),
                handler.messages().get(0));
    }

    @Test
    void eofReceivedFailingIsReportedAndAbortsTheConnection() throws Exception {
        dev.aio4j.loop.test.RecordingExceptionHandler handler = new dev.aio4j.loop.test.RecordingExceptionHandler();
        IllegalStateException boom = new IllegalStateException("boom");
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Exception lost = Aio.run(() -> {
                Aio.getRunningLoop().setExceptionHandler(handler);
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(() -> failingIn("eofReceived", boom), Net.HOST,
                        echo.port());
                tp.transport().writeEof(); // the echo server answers with its own end of stream
                return Aio.waitFor(tp.protocol().lost, 10);
            });
            assertSame(boom, lost);
        }
        assertEquals(1, handler.messages().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Fatal error: protocol.eofReceived() call failed."), handler.messages().get(0));
    }

    @Test
    void pauseAndResumeWritingFailuresAreReportedButDoNotEndTheConnection() throws Exception {
        dev.aio4j.loop.test.RecordingExceptionHandler handler = new dev.aio4j.loop.test.RecordingExceptionHandler();
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Integer> got = new AtomicReference<>();
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    go.await(10, TimeUnit.SECONDS);
                    got.set(in.readAllBytes().length);
                } catch (IOException | InterruptedException ignored) {
                    // checked below
                }
            });
            int written = Aio.run(() -> {
                Aio.getRunningLoop().setExceptionHandler(handler);
                RuntimeException boom = new IllegalStateException("boom");
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(() -> new RecordingProtocol() {
                    @Override
                    public void pauseWriting() {
                        super.pauseWriting();
                        throw boom;
                    }

                    @Override
                    public void resumeWriting() {
                        super.resumeWriting();
                        throw boom;
                    }
                }, Net.HOST, ss.getLocalPort());
                Transport t = tp.transport();
                int n = 0;
                t.setWriteBufferLimits(1000);
                while (tp.protocol().pauses == 0) {
                    t.write(new byte[64 * 1024]);
                    n += 64 * 1024;
                }
                go.countDown();
                while (tp.protocol().resumes == 0) {
                    Aio.sleep(0.001);
                }
                assertFalse(t.isClosing(), "a failing pause/resumeWriting is reported, the connection goes on");
                t.close();
                assertNull(Aio.waitFor(tp.protocol().lost, 10));
                return n;
            });
            peer.join(10000);
            assertEquals(written, got.get());
        }
        assertEquals(2, handler.messages().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("protocol.pauseWriting() failed: SocketTransport["), handler.messages().get(0));
        assertTrue(handler.messages().get(1).startsWith("protocol.resumeWriting() failed: SocketTransport["), handler.messages().get(1));
    }

    @Test
    void writeEofAfterBufferedDataSendsTheDataFirst() throws Exception {
        byte[] big = Net.payload(4 << 20, 5);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<byte[]> got = new AtomicReference<>();
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    go.await(10, TimeUnit.SECONDS);
                    got.set(in.readAllBytes()); // ends at our FIN
                    s.getOutputStream().write(ascii("done"));
                } catch (IOException | InterruptedException ignored) {
                    // checked below
                }
            });
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, ss.getLocalPort());
                Transport t = tp.transport();
                assertSame(tp.protocol(), t.getProtocol());
                t.write(big);
                assertTrue(t.getWriteBufferSize() > 0, "4 MiB did not fit in the socket buffers");
                t.writeEof(); // waits for the buffer
                t.writeEof(); // idempotent
                assertFalse(t.isClosing());
                go.countDown();
                tp.protocol().awaitBytes(4);
                assertEquals("done", tp.protocol().received.toString(StandardCharsets.US_ASCII));
                t.close();
                return null;
            });
            peer.join(10000);
            assertArrayEquals(big, got.get());
        }
    }

    @Test
    void setProtocolSwitchesTheCallbacks() throws Exception {
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, echo.port());
                RecordingProtocol second = new RecordingProtocol();
                tp.transport().setProtocol(second);
                assertSame(second, tp.transport().getProtocol());
                tp.transport().write(ascii("to the second"));
                second.awaitBytes(13);
                assertEquals("to the second", second.received.toString(StandardCharsets.US_ASCII));
                assertEquals(0, tp.protocol().received.size());
                tp.transport().close();
                assertNull(Aio.waitFor(second.lost, 10));
                assertFalse(tp.protocol().lost.done());
                return null;
            });
        }
    }

    @Test
    void aProtocolWithOnlyTheDefaultCallbacksClosesAtTheEndOfStream() throws Exception {
        // asyncio's BaseProtocol/Protocol defaults: every callback does nothing, eof_received returns false.
        byte[] big = Net.payload(8 << 20, 7);
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                TransportAndProtocol<Protocol> tp = Streams.createConnection(() -> new Protocol() { }, Net.HOST, echo.port());
                Transport t = tp.transport();
                t.setWriteBufferLimits(0, 0); // the default pauseWriting/resumeWriting run too
                t.write(big);
                t.writeEof(); // the echo server answers with its end of stream once it has echoed everything
                Aio.waitFor(() -> {
                    while (!t.isClosing()) {
                        Aio.sleep(0.001);
                    }
                    return null;
                }, 10.0);
                assertEquals(0, t.getWriteBufferSize());
                return null;
            });
        }
    }

    @Test
    void aProtocolFactoryReturningNullIsRefusedAndNothingLeaks() throws Exception {
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                NullPointerException e = assertThrows(NullPointerException.class,
                        () -> Streams.createConnection(() -> null, Net.HOST, echo.port()));
                assertEquals("the protocol made by protocolFactory must not be null", e.getMessage());
                NullPointerException noTransport = assertThrows(NullPointerException.class,
                        () -> Streams.startTls(null, new Protocol() { }, null, false, null));
                assertEquals("transport must not be null", noTransport.getMessage());
                return null;
            });
            echo.thread.join(5000);
            assertFalse(echo.thread.isAlive(), "the socket was closed: the echo server saw end of stream");
        }
    }
}
