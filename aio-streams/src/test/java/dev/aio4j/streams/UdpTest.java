package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.streams.internal.SelectorDatagramTransport;
import dev.aio4j.streams.test.RecordingDatagramProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.streams.test.RecordingDatagramProtocol.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The UDP transport: mirrors Lib/test/test_asyncio/test_selector_events.py
 * (SelectorDatagramTransportTests, and the close/abort tests of SelectorTransportTests). CPython
 * drives the transport with a mock socket; here a real loopback socket is driven through
 * {@link HookIo}, which says "would block" or fails on demand, so the loop's readiness callbacks
 * are the real ones. The create_datagram_endpoint tests of test_events.py and test_base_events.py
 * are {@link UdpEndpointTest} (on real sockets) and aio-test's SimUdpEndpointTest (on a
 * simulated network), written once in {@link dev.aio4j.streams.test.UdpEndpointScenarios}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpTest {
    private static final InetAddress LOOPBACK = Net.LOOPBACK;

    /** The socket calls of a transport, with failures and "would block" on demand. */
    static final class HookIo implements SelectorDatagramTransport.Io {
        final SelectorDatagramTransport.Io real;
        boolean sendWouldBlock;
        IOException sendError;
        RuntimeException sendFault;
        boolean receiveNothing;
        IOException receiveError;
        RuntimeException receiveFault;
        int sendCalls;
        int receiveCalls;

        HookIo(DatagramChannel ch) {
            real = SelectorDatagramTransport.channelIo(ch);
        }

        @Override
        public boolean send(ByteBuffer src, SocketAddress target) throws IOException {
            sendCalls++;
            if (sendError != null) {
                throw sendError;
            }
            if (sendFault != null) {
                throw sendFault;
            }
            return !sendWouldBlock && real.send(src, target);
        }

        @Override
        public SocketAddress receive(ByteBuffer dst) throws IOException {
            receiveCalls++;
            if (receiveError != null) {
                IOException e = receiveError;
                receiveError = null;
                real.receive(dst); // consume the datagram that made the socket readable
                throw e;
            }
            if (receiveFault != null) {
                throw receiveFault;
            }
            if (receiveNothing) {
                return null;
            }
            return real.receive(dst);
        }
    }

    /** A blocking JDK peer on loopback with a receive timeout; receive on a worker thread. */
    static final class Peer implements AutoCloseable {
        final DatagramSocket socket;

        Peer() throws SocketException {
            socket = new DatagramSocket(0, LOOPBACK);
            socket.setSoTimeout(10_000);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(byte[] data, SocketAddress to) throws IOException {
            socket.send(new DatagramPacket(data, data.length, to));
        }

        /** Receives one datagram (suspends the task; the blocking call runs on another thread). */
        byte[] receive() throws Exception {
            return Aio.toThread(() -> {
                DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                socket.receive(p);
                return Arrays.copyOf(p.getData(), p.getLength());
            });
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A non-blocking channel bound to loopback, connected to {@code peer} if given. */
    private static DatagramChannel channel(SocketAddress peer) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.configureBlocking(false);
        ch.bind(new InetSocketAddress(LOOPBACK, 0));
        if (peer != null) {
            ch.connect(peer);
        }
        return ch;
    }

    /** A test's body, given what {@link #onTransport} set up. */
    @FunctionalInterface
    interface TransportBody<T> {
        T run(Peer peer, DatagramChannel ch, HookIo io, RecordingDatagramProtocol p, SelectorDatagramTransport t) throws Exception;
    }

    /**
     * CPython's setUp and datagram_transport() helper: a JDK peer, then on a fresh loop a
     * loopback channel (connected to the peer if {@code connected}), a recording protocol and a
     * started transport over them, its socket calls through a {@link HookIo} that passes them on
     * until the body sets a flag; returns what {@code body} returned.
     */
    private static <T> T onTransport(boolean connected, TransportBody<T> body) throws Exception {
        try (Peer peer = new Peer()) {
            return Aio.run(() -> {
                SocketAddress address = connected ? peer.address() : null;
                DatagramChannel ch = channel(address);
                HookIo io = new HookIo(ch);
                RecordingDatagramProtocol p = new RecordingDatagramProtocol();
                EventLoop loop = Aio.getRunningLoop();
                Future<Void> waiter = loop.createFuture();
                SelectorDatagramTransport t = new SelectorDatagramTransport(loop, ch, p, address, waiter, io);
                waiter.await();
                return body.run(peer, ch, io, p, t);
            });
        }
    }

    // ------------------------------------------------------------ SelectorDatagramTransportTests

    @Test
    void readReady() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            peer.send(ascii("data"), ch.getLocalAddress());
            p.awaitDatagrams(1);
            assertEquals("data", ascii(p.received.get(0).data()));
            assertEquals(peer.address(), p.received.get(0).addr());
            t.close();
            assertNull(p.lost.await());
            return null;
        });
    }

    @Test
    void readReadyTryagain() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.receiveNothing = true;
            peer.send(ascii("data"), ch.getLocalAddress());
            while (io.receiveCalls == 0) {
                Aio.sleep(0);
            }
            assertTrue(p.received.isEmpty());
            assertTrue(p.errors.isEmpty());
            assertFalse(t.isClosing());
            io.receiveNothing = false; // the datagram is still there
            p.awaitDatagrams(1);
            assertEquals("data", ascii(p.received.get(0).data()));
            t.close();
            return null;
        });
    }

    @Test
    void readReadyErr() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Exception lost = onTransport(false, (peer, ch, io, p, t) -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            io.receiveFault = new IllegalStateException("boom");
            peer.send(ascii("data"), ch.getLocalAddress());
            Exception e = p.lost.await();
            assertTrue(t.isClosing());
            assertFalse(ch.isOpen());
            return e;
        });
        assertEquals("boom", lost.getMessage());
        assertEquals(1, handler.messages().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Fatal read error on datagram transport"), handler.messages().get(0));
    }

    @Test
    void readReadyOserr() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            IOException err = new IOException("oserr");
            io.receiveError = err;
            peer.send(ascii("first"), ch.getLocalAddress());
            p.awaitErrors(1);
            assertSame(err, p.errors.get(0));
            assertFalse(t.isClosing(), "an OSError is not fatal");
            peer.send(ascii("second"), ch.getLocalAddress());
            p.awaitDatagrams(1);
            assertEquals("second", ascii(p.received.get(0).data()));
            t.close();
            return null;
        });
    }

    @Test
    void sendto() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            t.sendto(ascii("data"), peer.address());
            assertEquals(0, t.getWriteBufferSize());
            assertEquals("data", ascii(peer.receive()));
            t.close();
            return null;
        });
    }

    @Test
    void sendtoNoData() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            t.sendto(new byte[0], peer.address()); // Python 3.13: an empty datagram is sent
            t.sendto(ascii("after"), peer.address());
            assertEquals(0, peer.receive().length);
            assertEquals("after", ascii(peer.receive()));
            t.close();
            return null;
        });
    }

    @Test
    void sendtoNoDataConnectedIsRefused() throws Exception { // aio4j-only: a JDK limitation
        onTransport(true, (peer, ch, io, p, t) -> {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> t.sendto(new byte[0]));
            assertTrue(e.getMessage().startsWith("sendto() of an empty datagram on a connected endpoint"), e.getMessage());
            t.sendto(ascii("x"));
            assertEquals("x", ascii(peer.receive()));
            t.close();
            return null;
        });
    }

    @Test
    void sendtoBuffer() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data1"), peer.address());
            assertEquals(1, io.sendCalls);
            t.sendto(ascii("data2"), peer.address());
            assertEquals(1, io.sendCalls, "a non-empty queue is not bypassed");
            assertEquals(2 * (5 + SelectorDatagramTransport.HEADER_SIZE), t.getWriteBufferSize());
            t.abort();
            return null;
        });
    }

    @Test
    void sendtoBufferNodata() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data1"), peer.address());
            t.sendto(new byte[0], peer.address());
            assertEquals(5 + 2 * SelectorDatagramTransport.HEADER_SIZE, t.getWriteBufferSize());
            io.sendWouldBlock = false;
            assertEquals("data1", ascii(peer.receive()));
            assertEquals(0, peer.receive().length);
            t.close();
            return null;
        });
    }

    @Test
    void sendtoBufferCopiesTheData() throws Exception { // CPython: test_sendto_buffer_bytearray/memoryview
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            byte[] data = ascii("data");
            t.sendto(data, peer.address());
            data[0] = 'X';
            io.sendWouldBlock = false;
            assertEquals("data", ascii(peer.receive()));
            t.close();
            return null;
        });
    }

    @Test
    void sendtoTryagain() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("one"), peer.address());
            t.sendto(ascii("two"), peer.address());
            assertEquals(6 + 2 * SelectorDatagramTransport.HEADER_SIZE, t.getWriteBufferSize());
            io.sendWouldBlock = false; // the writer callback sends the queue, in order
            assertEquals("one", ascii(peer.receive()));
            assertEquals("two", ascii(peer.receive()));
            assertEquals(0, t.getWriteBufferSize());
            assertFalse(Aio.getRunningLoop().removeWriter(ch), "the writer is removed once the queue is empty");
            t.close();
            return null;
        });
    }

    @Test
    void sendtoException() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Exception lost = onTransport(false, (peer, ch, io, p, t) -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            io.sendFault = new IllegalStateException("boom");
            t.sendto(ascii("data"), peer.address());
            assertTrue(t.isClosing());
            Exception e = p.lost.await();
            t.sendto(ascii("more"), peer.address()); // dropped and counted, as asyncio's _conn_lost
            assertEquals(1, t.droppedSends());
            return e;
        });
        assertEquals("boom", lost.getMessage());
        assertEquals(1, handler.messages().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Fatal write error on datagram transport"));
    }

    @Test
    void sendtoWhoseAddWriterFailsThrowsToTheCaller() throws Exception {
        // aio4j-only (CPython's tests mock the loop): asyncio's sendto calls _add_writer inside its
        // "except (BlockingIOError, InterruptedError)" clause, so what that raises leaves sendto,
        // uncaught by the clauses after it: the caller gets it, the datagram is not queued, and
        // the transport carries on, nothing reported. Here addWriter fails as it does for a call
        // from a thread that is not the loop's.
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        onTransport(false, (peer, ch, io, p, t) -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            io.sendWouldBlock = true;
            IllegalStateException e = Aio.toThread(() -> assertThrows(IllegalStateException.class,
                    () -> t.sendto(ascii("data"), peer.address())));
            assertTrue(e.getMessage().startsWith("EventLoop.addWriter() called from thread"), e.getMessage());
            assertFalse(t.isClosing());
            assertEquals(0, t.getWriteBufferSize());
            io.sendWouldBlock = false;
            t.sendto(ascii("after"), peer.address());
            assertEquals("after", ascii(peer.receive()));
            t.close();
            assertNull(p.lost.await());
            return null;
        });
        assertEquals(List.of(), handler.messages());
    }

    @Test
    void sendtoErrorReceived() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            IOException err = new IOException("oserr");
            io.sendError = err;
            t.sendto(ascii("data"), peer.address());
            assertEquals(List.of(err), p.errors);
            assertFalse(t.isClosing());
            assertEquals(0, t.getWriteBufferSize(), "the failed datagram is dropped");
            t.close();
            return null;
        });
    }

    @Test
    void sendtoErrorReceivedConnected() throws Exception {
        onTransport(true, (peer, ch, io, p, t) -> {
            IOException err = new PortUnreachableException("refused");
            io.sendError = err;
            t.sendto(ascii("data"));
            assertEquals(List.of(err), p.errors);
            assertFalse(t.isClosing());
            t.close();
            return null;
        });
    }

    @Test
    void sendtoConnectedAddr() throws Exception {
        try (Peer other = new Peer()) {
            onTransport(true, (peer, ch, io, p, t) -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> t.sendto(ascii("data"), other.address()));
                assertEquals("Invalid address: must be null or " + peer.address() + ", got " + other.address(), e.getMessage());
                t.sendto(ascii("to peer"), peer.address()); // the peer's own address is fine
                assertEquals("to peer", ascii(peer.receive()));
                t.close();
                return null;
            });
        }
    }

    @Test
    void sendtoWithoutAddressOnUnconnectedEndpoint() throws Exception { // aio4j-only (Python: TypeError)
        onTransport(false, (peer, ch, io, p, t) -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.sendto(ascii("x")));
            assertTrue(e.getMessage().startsWith("sendto() without an address on an endpoint that is not connected"), e.getMessage());
            t.close();
            return null;
        });
    }

    @Test
    void sendtoClosing() throws Exception {
        onTransport(true, (peer, ch, io, p, t) -> {
            t.close();
            t.sendto(ascii("data"), peer.address());
            assertEquals(1, t.droppedSends());
            assertEquals(0, t.getWriteBufferSize());
            assertNull(p.lost.await());
            return null;
        });
    }

    @Test
    void sendtoReady() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data"), peer.address());
            io.sendWouldBlock = false;
            assertEquals("data", ascii(peer.receive()));
            assertEquals(0, t.getWriteBufferSize());
            assertFalse(Aio.getRunningLoop().removeWriter(ch));
            t.close();
            return null;
        });
    }

    @Test
    void sendtoReadyClosing() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data"), peer.address());
            t.close();
            assertTrue(t.isClosing());
            Aio.sleep(0);
            assertTrue(ch.isOpen(), "the queue is sent before the socket closes");
            assertFalse(p.lost.done());
            io.sendWouldBlock = false;
            assertNull(p.lost.await());
            assertFalse(ch.isOpen());
            assertEquals("data", ascii(peer.receive()));
            return null;
        });
    }

    @Test
    void sendtoReadyTryagain() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data"), peer.address());
            while (io.sendCalls < 3) { // the writer callback tried again, and again
                Aio.sleep(0);
            }
            assertEquals(4 + SelectorDatagramTransport.HEADER_SIZE, t.getWriteBufferSize());
            t.abort();
            assertEquals(0, t.getWriteBufferSize());
            return null;
        });
    }

    @Test
    void sendtoReadyException() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Exception lost = onTransport(false, (peer, ch, io, p, t) -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            io.sendWouldBlock = true;
            t.sendto(ascii("data"), peer.address());
            io.sendFault = new IllegalStateException("boom");
            return p.lost.await();
        });
        assertEquals("boom", lost.getMessage());
        assertTrue(handler.messages().get(0).startsWith("Fatal write error on datagram transport"));
    }

    @Test
    void sendtoReadyErrorReceived() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data"), peer.address());
            IOException err = new IOException("oserr");
            io.sendError = err;
            p.awaitErrors(1);
            assertSame(err, p.errors.get(0));
            assertFalse(t.isClosing());
            t.close();
            assertNull(p.lost.await());
            return null;
        });
    }

    @Test
    void sendtoReadyErrorReceivedConnection() throws Exception {
        onTransport(true, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data"));
            IOException err = new PortUnreachableException("refused");
            io.sendError = err;
            p.awaitErrors(1);
            assertSame(err, p.errors.get(0));
            assertFalse(t.isClosing());
            t.close();
            return null;
        });
    }

    @Test
    void fatalErrorConnected() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Exception lost = onTransport(true, (peer, ch, io, p, t) -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            t.fatalError(new PortUnreachableException("refused"), "Fatal error");
            return p.lost.await();
        });
        assertInstanceOf(PortUnreachableException.class, lost);
        handler.assertNothingReported(); // an I/O error is logged in debug mode only
    }

    @Test
    void fatalErrorConnectedCustomError() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        onTransport(true, (peer, ch, io, p, t) -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            t.fatalError(new IllegalStateException("custom"), "Fatal error");
            return p.lost.await();
        });
        assertEquals(1, handler.messages().size());
        assertTrue(handler.messages().get(0).startsWith("Fatal error"));
    }

    @Test
    void writeBufferLimitsPauseAndResumeWriting() throws Exception { // Python 3.13 flow control with _header_size
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.setWriteBufferLimits(20, 0);
            assertEquals(new Transport.WriteBufferLimits(0, 20), t.getWriteBufferLimits());
            t.sendto(new byte[10], peer.address());
            assertEquals(18, t.getWriteBufferSize());
            assertEquals(List.of("made"), p.events);
            t.sendto(new byte[10], peer.address());
            assertEquals(List.of("made", "pause"), p.events);
            io.sendWouldBlock = false;
            peer.receive();
            peer.receive();
            assertEquals(List.of("made", "pause", "resume"), p.events);
            assertThrows(IllegalArgumentException.class, () -> t.setWriteBufferLimits(1, 2));
            t.setWriteBufferLimits(64);
            assertEquals(new Transport.WriteBufferLimits(16, 64), t.getWriteBufferLimits());
            t.close();
            return null;
        });
    }

    // ------------------------------------------------------------- SelectorTransportTests (base)

    @Test
    void close() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            t.close();
            assertTrue(t.isClosing());
            assertFalse(ch.isOpen(), "with nothing queued the socket closes at once");
            assertFalse(Aio.getRunningLoop().removeReader(ch));
            assertFalse(p.lost.done(), "connectionLost comes on the next iteration");
            assertNull(p.lost.await());
            t.close(); // idempotent
            assertEquals(List.of("made", "lost"), p.events);
            return null;
        });
    }

    @Test
    void forceClose() throws Exception {
        onTransport(false, (peer, ch, io, p, t) -> {
            io.sendWouldBlock = true;
            t.sendto(ascii("data"), peer.address());
            t.abort();
            assertEquals(0, t.getWriteBufferSize());
            assertFalse(ch.isOpen());
            assertNull(p.lost.await());
            return null;
        });
    }

    @Test
    void setProtocol() throws Exception { // aio4j-only: set_protocol/get_protocol
        onTransport(false, (peer, ch, io, first, t) -> {
            RecordingDatagramProtocol second = new RecordingDatagramProtocol();
            assertSame(first, t.getProtocol());
            t.setProtocol(second);
            assertSame(second, t.getProtocol());
            peer.send(ascii("to second"), ch.getLocalAddress());
            second.awaitDatagrams(1);
            assertTrue(first.received.isEmpty());
            t.close();
            assertNull(second.lost.await());
            return null;
        });
    }
}
