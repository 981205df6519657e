package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.SslProtocol.State;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@link SslProtocol}s wired back to back through in-memory transports, on the virtual clock:
 * the state machine along its paths, and what only internal callers can do (write before the
 * handshake). Mirrors the SSLProtocol unit tests of Lib/test/test_asyncio/test_sslproto.py.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SslProtocolPairTest {
    /** An app protocol that records its callbacks. */
    static class App implements Protocol {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();

        @Override
        public void connectionMade(Transport transport) {
            events.add("made");
        }

        @Override
        public void dataReceived(byte[] data) {
            if (events.isEmpty() || !events.get(events.size() - 1).equals("data")) {
                events.add("data"); // one entry for a run of records
            }
            received.write(data, 0, data.length);
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return true; // has no effect over TLS: the TLS transport closes anyway
        }

        @Override
        public void connectionLost(Exception exc) {
            events.add("lost");
            lost.setResult(exc);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void statesAlongAWholeConnectionAndWritesBeforeTheHandshake() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            App serverApp = new App();
            SslPair p = SslPair.of(loop, clientApp, serverApp);
            SslProtocol client = p.client();
            SslProtocol server = p.server();
            assertEquals(State.UNWRAPPED, client.state());
            Transport app = client.appTransport();
            app.write(b("written "));
            app.write(b("early"));
            assertEquals(13, app.getWriteBufferSize(), "writes before the handshake wait, counted");
            assertTrue(app.toString().startsWith("SslTransport[UNWRAPPED, over "), app.toString());

            p.start(PipeEnd.pair(loop));
            assertEquals(State.DO_HANDSHAKE, client.state());
            app.write(b(", and more"));
            Aio.waitFor(p.handshake(), 10.0);
            assertEquals(State.WRAPPED, client.state());
            assertEquals(0, app.getWriteBufferSize(), "the waiting writes went out with the handshake");
            while (serverApp.received.size() < 23) {
                Aio.sleep(0);
            }
            assertEquals("written early, and more", serverApp.received.toString(StandardCharsets.US_ASCII));
            assertEquals(State.WRAPPED, server.state());

            app.close();
            assertEquals(State.SHUTDOWN, client.state(), "close_notify sent; waiting for the server's");
            assertNull(Aio.waitFor(clientApp.lost, 10.0));
            assertNull(Aio.waitFor(serverApp.lost, 10.0));
            assertEquals(State.CLOSED, client.state());
            assertEquals(State.CLOSED, server.state());
            assertEquals(List.of("made", "eof", "lost"), clientApp.events, "the server's close_notify completes the shutdown");
            assertEquals(List.of("made", "data", "eof", "lost"), serverApp.events, "our close_notify reads as end of stream");
        });
    }

    /**
     * An app that closes from connectionMade: the writes made during the handshake are already
     * in the write backlog and go out before close_notify (they were dropped before). asyncio:
     * close waits for the write backlog.
     */
    @Test
    void aCloseFromConnectionMadeStillSendsTheWritesMadeDuringTheHandshake() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App() {
                @Override
                public void connectionMade(Transport transport) {
                    super.connectionMade(transport);
                    transport.close();
                }
            };
            App serverApp = new App();
            SslPair p = SslPair.of(loop, clientApp, serverApp);
            p.client().appTransport().write(b("written early"));
            p.start(PipeEnd.pair(loop));
            assertNull(Aio.waitFor(serverApp.lost, 10.0));
            assertEquals("written early", serverApp.received.toString(StandardCharsets.US_ASCII));
            assertEquals(List.of("made", "data", "eof", "lost"), serverApp.events);
        });
    }

    @Test
    void closeBeforeTheTransportIsThereShutsDownQuietly() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App a = new App();
            SslProtocol p = new SslProtocol(loop, a, TestCertificates.client(), false, "127.0.0.1", 443, null, true);
            p.appTransport().write(b("never sent"));
            p.appTransport().close();
            assertEquals(State.CLOSED, p.state());
            assertTrue(p.appTransport().isClosing());
            p.appTransport().close(); // idempotent
            assertEquals(List.of(), a.events);
        });
    }

    @Test
    void closeDuringTheHandshakeFailsTheWaiterAndTellsTheAppNothing() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App a = new App();
            Future<Void> handshake = loop.createFuture();
            SslProtocol client = new SslProtocol(loop, a, TestCertificates.client(), false, "localhost", 443, handshake, true);
            PipeEnd[] pipe = PipeEnd.pair(loop);
            pipe[0].setProtocol(client);
            pipe[1].setProtocol(new Protocol() { }); // a peer that never answers
            client.connectionMade(pipe[0]);
            assertEquals(State.DO_HANDSHAKE, client.state());
            client.appTransport().close();
            assertEquals(State.CLOSED, client.state(), "no session to close: straight to CLOSED");
            assertTrue(pipe[0].closing, "the transport below is closed");
            java.net.SocketException e = org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketException.class,
                    () -> dev.aio4j.streams.internal.Connector.awaitIo(handshake));
            assertEquals("Connection lost during the TLS handshake", e.getMessage());
            assertEquals(List.of(), a.events, "the app was never connected");
        });
    }

    @Test
    void setProtocolHandsTheDataToTheNewProtocol() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App first = new App();
            App second = new App();
            App serverApp = new App();
            SslPair p = SslPair.connected(loop, first, serverApp, PipeEnd.pair(loop));
            SslProtocol client = p.client();
            SslProtocol server = p.server();
            client.appTransport().setProtocol(second);
            assertEquals(second, client.appTransport().getProtocol());
            server.appTransport().write(b("for the second"));
            while (second.received.size() < 14) {
                Aio.sleep(0);
            }
            assertEquals(0, first.received.size());
            server.appTransport().close();
            assertNull(Aio.waitFor(second.lost, 10.0));
            assertEquals(List.of("data", "eof", "lost"), second.events);
        });
    }
    /**
     * The socket transport calls pauseWriting from inside write() once its buffer passes the high
     * mark. A write of several records' worth is handed down a few records at a time, so that
     * call comes in the middle of the app's write; an app that writes (or closes) from
     * pauseWriting must see its bytes after the whole of the earlier write, as over a plain
     * transport and as asyncio's SSLProtocol, which tells the app only after a write is processed.
     */
    @Test
    void aWriteFromPauseWritingGoesAfterTheWholeWriteThatCausedIt() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            byte[] trailer = b("TRAILER");
            App clientApp = new App() {
                Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    super.connectionMade(transport);
                    t = transport;
                }

                @Override
                public void pauseWriting() {
                    t.write(trailer);
                }
            };
            App serverApp = new App();
            byte[] payload = payload(300_000);
            SslProtocol client = connectedClient(loop, clientApp, serverApp);
            client.appTransport().write(payload);
            byte[] expected = concat(payload, trailer);
            for (int i = 0; i < 1000 && serverApp.received.size() < expected.length; i++) {
                Aio.sleep(0);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, serverApp.received.toByteArray(), "the trailer comes last");
        });
    }

    @Test
    void aCloseFromPauseWritingStillSendsTheWholeWriteThatCausedIt() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App() {
                Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    super.connectionMade(transport);
                    t = transport;
                }

                @Override
                public void pauseWriting() {
                    t.close(); // close() flushes what was written before it
                }
            };
            App serverApp = new App();
            byte[] payload = payload(300_000);
            SslProtocol client = connectedClient(loop, clientApp, serverApp);
            client.appTransport().write(payload);
            assertNull(Aio.waitFor(serverApp.lost, 10.0));
            org.junit.jupiter.api.Assertions.assertArrayEquals(payload, serverApp.received.toByteArray(), "nothing cut off");
            assertEquals(List.of("made", "data", "eof", "lost"), serverApp.events);
        });
    }

    /** A client connected to a server through a pipe whose client end pauses writing past 64 KiB. */
    private static SslProtocol connectedClient(EventLoop loop, App clientApp, App serverApp) throws Exception {
        PipeEnd[] pipe = PipeEnd.pair(loop);
        pipe[0].highWater = 64 * 1024;
        return SslPair.connected(loop, clientApp, serverApp, pipe).client();
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        new java.util.Random(n).nextBytes(p);
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * A read handed to the protocol while it is still handling the previous one (a transport that
     * delivers from inside a callback of the app, e.g. from resumeReading) is unwrapped after all
     * of that read, not in the middle of it: here the re-entrant read comes while the record
     * completed from the head of the outer read is delivered, before the outer read's own next
     * record. Out of order, the records fail their authentication. aio4j-only.
     */
    @Test
    void aReentrantReadIsUnwrappedAfterTheWholeReadBeingHandled() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            byte[][] third = new byte[1][];
            SslProtocol[] server = new SslProtocol[1];
            App serverApp = new App() {
                @Override
                public void dataReceived(byte[] data) {
                    super.dataReceived(data);
                    if (third[0] != null) {
                        byte[] r = third[0];
                        third[0] = null;
                        server[0].dataReceived(r); // as a transport delivering synchronously would
                    }
                }
            };
            SslPair p = SslPair.of(loop, clientApp, serverApp);
            SslProtocol client = p.client();
            server[0] = p.server();
            PipeEnd[] pipe = p.connect(PipeEnd.pair(loop));
            SslPair.settle();
            // Capture the client's next three records instead of delivering them.
            List<byte[]> records = new ArrayList<>();
            pipe[1].setProtocol(new Protocol() {
                @Override
                public void dataReceived(byte[] data) {
                    records.add(data);
                }
            });
            client.appTransport().write(b("A"));
            client.appTransport().write(b("B"));
            client.appTransport().write(b("C"));
            while (records.size() < 3) {
                Aio.sleep(0);
            }
            pipe[1].setProtocol(server[0]);
            byte[] a = records.get(0);
            server[0].dataReceived(java.util.Arrays.copyOf(a, 3)); // a partial record, kept
            third[0] = records.get(2);
            server[0].dataReceived(concat(java.util.Arrays.copyOfRange(a, 3, a.length), records.get(1)));
            assertEquals("ABC", serverApp.received.toString(StandardCharsets.US_ASCII));
            assertEquals(State.WRAPPED, server[0].state());
        });
    }

    /**
     * A partial record left by a read is kept in a buffer of the connection's own until the next
     * read completes it; once a read ends on a record boundary, nothing is left to keep, and an
     * idle connection must not hold that buffer (10,000 idle connections after a bulk exchange
     * would hold 167 MB of them: the reason the plaintext and record buffers are per loop).
     */
    @Test
    void anIdleConnectionHoldsNoCiphertextBufferAfterPartialRecords() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            App serverApp = new App();
            // reads of 1 to 5000 bytes: records cut everywhere
            SslPair p = SslPair.connected(loop, clientApp, serverApp, PipeEnd.cuttingPair(loop, 42, 5000));
            SslProtocol client = p.client();
            SslProtocol server = p.server();
            byte[] payload = payload(200_000);
            client.appTransport().write(payload);
            for (int i = 0; i < 1000 && serverApp.received.size() < payload.length; i++) {
                Aio.sleep(0);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(payload, serverApp.received.toByteArray());
            assertEquals(0, server.heldCiphertextCapacity(), "the last read ended on a record boundary: nothing to keep");
            assertEquals(0, client.heldCiphertextCapacity());
        });
    }

    /** The content types of the TLS records {@code data} holds, in order (RFC 8446 5.1). */
    private static List<Integer> recordTypes(byte[] data) {
        List<Integer> types = new ArrayList<>();
        int at = 0;
        while (at + 5 <= data.length) {
            types.add(data[at] & 0xff);
            at += 5 + (((data[at + 3] & 0xff) << 8) | (data[at + 4] & 0xff));
        }
        assertEquals(data.length, at, "whole records");
        return types;
    }

    /**
     * A flight of handshake messages leaves in one write: the server's answer to the ClientHello
     * (TLS 1.3: ServerHello, the compatibility ChangeCipherSpec, then EncryptedExtensions to
     * Finished in one encrypted record) went out in three writes, one per wrap. No upstream
     * counterpart (asyncio's sslproto writes what one do_handshake() produced at once, which
     * OpenSSL has buffered as one flight).
     */
    @Test
    void theServersFlightLeavesInOneWrite() throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            App serverApp = new App();
            PipeEnd[] pipe = PipeEnd.pair(loop);
            SslProtocol client = SslPair.connected(loop, clientApp, serverApp, pipe).client();
            javax.net.ssl.SSLEngine engine = (javax.net.ssl.SSLEngine) client.appTransport().getExtraInfo("ssl_object");
            assertEquals("TLSv1.3", engine.getSession().getProtocol());
            assertEquals(List.of(22), recordTypes(pipe[0].firstWrites.get(0)), "the ClientHello");
            assertEquals(List.of(22, 20, 23), recordTypes(pipe[1].firstWrites.get(0)),
                    "ServerHello, ChangeCipherSpec and the encrypted rest of the flight in the server's first write; writes: " + pipe[1].firstWrites.stream().map(w -> recordTypes(w).toString()).toList());
            client.appTransport().close();
            assertNull(Aio.waitFor(serverApp.lost, 10.0));
        });
    }

    /** Ports no other test caches a client session for: each test's first handshake is a full one. */
    private static final java.util.concurrent.atomic.AtomicInteger PORTS = new java.util.concurrent.atomic.AtomicInteger(50_000);

    /**
     * A connection over {@code version} of a client for localhost:{@code port} over a fresh pipe,
     * closed by the client once the handshake settled; returns the pipe.
     */
    private static PipeEnd[] connectAndClose(EventLoop loop, String version, int port) throws Exception {
        App clientApp = new App();
        App serverApp = new App();
        Future<Void> handshake = loop.createFuture();
        SslProtocol client = new SslProtocol(loop, clientApp, TestCertificates.client(), false, "localhost", port, handshake, true);
        SslProtocol server = new SslProtocol(loop, serverApp, TestCertificates.server(), true, null, -1, null, true);
        javax.net.ssl.SSLEngine engine = (javax.net.ssl.SSLEngine) client.appTransport().getExtraInfo("ssl_object");
        engine.setEnabledProtocols(new String[] {version});
        PipeEnd[] pipe = new SslPair(client, server, handshake).connect(PipeEnd.pair(loop));
        SslPair.settle();
        assertEquals(version, engine.getSession().getProtocol());
        client.appTransport().close();
        assertNull(Aio.waitFor(serverApp.lost, 10.0));
        assertNull(Aio.waitFor(clientApp.lost, 10.0));
        return pipe;
    }

    /** The record types of each of the first writes {@code end} was given, one string per write. */
    private static List<String> writes(PipeEnd end) {
        return end.firstWrites.stream().map(w -> recordTypes(w).toString()).toList();
    }

    /**
     * Every handshake flight leaves in one write, on both sides, full and resumed, TLS 1.3 and
     * 1.2. A TLS 1.3 client's compatibility ChangeCipherSpec, wrapped as soon as the ServerHello
     * is read, and its Finished, wrapped after the rest of the server's flight from the same
     * read, left in two writes. (22: handshake, 20: ChangeCipherSpec, 23: application data, which
     * is also TLS 1.3's outer type of encrypted records, 21: alert, here close_notify.) No upstream
     * counterpart (OpenSSL buffers a flight and asyncio writes what one do_handshake() produced).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void everyHandshakeFlightLeavesInOneWrite(String version) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            int port = PORTS.incrementAndGet();
            PipeEnd[] full = connectAndClose(loop, version, port);
            PipeEnd[] resumed = connectAndClose(loop, version, port);
            if (version.equals("TLSv1.3")) {
                for (PipeEnd[] pipe : List.of(full, resumed)) {
                    assertEquals(List.of("[22]", "[20, 23]", "[23]"), writes(pipe[0]),
                            "ClientHello; ChangeCipherSpec and Finished in one write; close_notify");
                    assertEquals(List.of("[22, 20, 23]", "[23]", "[23]"), writes(pipe[1]),
                            "ServerHello, ChangeCipherSpec, EncryptedExtensions to Finished; NewSessionTicket; close_notify");
                }
            } else {
                assertEquals(List.of("[22]", "[22, 20, 22]", "[21]"), writes(full[0]),
                        "ClientHello; ClientKeyExchange, ChangeCipherSpec and Finished; close_notify");
                assertEquals(List.of("[22]", "[22, 20, 22]", "[21]"), writes(full[1]),
                        "ServerHello to ServerHelloDone (one record); NewSessionTicket, ChangeCipherSpec and Finished; close_notify");
                assertEquals(List.of("[22]", "[20, 22]", "[21]"), writes(resumed[0]),
                        "resumed: ClientHello; ChangeCipherSpec and Finished; close_notify");
                assertEquals(List.of("[22, 20, 22]", "[21]"), writes(resumed[1]),
                        "resumed: ServerHello, ChangeCipherSpec and Finished; close_notify");
            }
        });
    }
}
