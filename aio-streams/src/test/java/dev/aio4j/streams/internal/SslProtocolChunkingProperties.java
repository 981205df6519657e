package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.test.TestCertificates;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SslProtocol's copy-saving data path (a read's array unwrapped in place, a partial record kept,
 * several records unwrapped before one delivery, several records wrapped into one write) against
 * arbitrary cuts of the ciphertext stream: whatever the sizes of the writes and wherever the
 * stream is cut or glued between reads, the peer's app receives exactly the bytes written, in
 * order. No upstream twin (asyncio's SSLProtocol tests use fixed record boundaries).
 */
class SslProtocolChunkingProperties {

    /** Collects what it receives. */
    static class Sink implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void dataReceived(byte[] data) {
            received.write(data, 0, data.length);
        }
    }

    /**
     * A {@link Sink} that is lent its reads (BorrowedReadProtocol, as a WebSocket is): it copies
     * them and then overwrites the lent bytes with junk, so a delivery that re-reads or keeps the
     * loop's plaintext buffer shows as wrong bytes.
     */
    static final class BorrowingSink extends Sink implements BorrowedReadProtocol {
        int loans;

        @Override
        public void dataBorrowed(byte[] data, int offset, int length) {
            loans++;
            received.write(data, offset, length);
            java.util.Arrays.fill(data, offset, offset + length, (byte) 0x5a);
        }
    }

    @Property(tries = 40)
    void everyByteArrivesInOrderWhereverTheCiphertextIsCut(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed) throws Exception {
        exchange(writes, maxRead, seed, false, new Sink());
    }

    /**
     * The same through SocketTransport's entry: each read in one reused array, overwritten after
     * the call. The protocol completes a partial record from the head of the next read and unwraps
     * the rest in place, so this checks it never keeps or re-reads the caller's array.
     */
    @Property(tries = 40)
    void everyByteArrivesInOrderFromAReusedReadArray(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed) throws Exception {
        exchange(writes, maxRead, seed, true, new Sink());
    }

    /**
     * The same to an app protocol that is lent the plaintext (stop 30: a WebSocket over TLS gets
     * the loop's plaintext buffer, not a copy) and overwrites it after each call: it receives
     * exactly the bytes written, and only as loans.
     */
    @Property(tries = 40)
    void everyByteArrivesInOrderAtAnAppThatBorrowsItsReads(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed) throws Exception {
        BorrowingSink app = new BorrowingSink();
        exchange(writes, maxRead, seed, true, app);
        org.junit.jupiter.api.Assertions.assertTrue(app.loans > 0, "the app was never lent a read");
    }

    private static void exchange(List<Integer> writes, int maxRead, long seed, boolean reuseReadArray, Sink serverApp)
            throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Sink clientApp = new Sink();
            SslPair p = SslPair.of(loop, clientApp, serverApp);
            SslProtocol client = p.client();
            p.start(PipeEnd.cuttingPair(loop, seed, maxRead, reuseReadArray));
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            Random content = new Random(seed);
            for (int size : writes) {
                byte[] w = new byte[size];
                content.nextBytes(w);
                client.appTransport().write(w); // the first ones before the handshake ends
                sent.write(w, 0, w.length);
            }
            Aio.waitFor(p.handshake(), 10.0);
            byte[] expected = sent.toByteArray();
            for (int i = 0; i < 10_000 && serverApp.received.size() < expected.length; i++) {
                Aio.sleep(0);
            }
            assertArrayEquals(expected, serverApp.received.toByteArray());
        });
    }

    private static javax.net.ssl.SSLEngine engine(SslProtocol p) {
        return (javax.net.ssl.SSLEngine) p.appTransport().getExtraInfo("ssl_object", null);
    }

    /** A {@link Sink} that writes back everything it receives, from inside dataReceived. */
    static final class EchoSink extends Sink {
        dev.aio4j.streams.Transport transport;

        @Override
        public void connectionMade(dev.aio4j.streams.Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            super.dataReceived(data);
            transport.write(data);
        }
    }

    /**
     * Two connections on one loop share its plaintext and record buffers (LoopBuffers) and take
     * turns tick by tick, each cut differently into reads that come in one reused, overwritten
     * array; each server echoes from dataReceived (a wrap inside an unwrap's delivery), and either
     * end may start a TLS 1.3 key update between writes (its message then goes out ahead of the
     * next write or echo). Each side receives exactly what the other sent, in order.
     */
    @Property(tries = 25)
    void twoEchoingConnectionsOnOneLoopEachGetExactlyTheirOwnBytes(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed,
            @ForAll int keyUpdates) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Sink[] clientApps = new Sink[2];
            EchoSink[] serverApps = new EchoSink[2];
            SslProtocol[] clients = new SslProtocol[2];
            SslProtocol[] servers = new SslProtocol[2];
            List<Future<Void>> handshakes = new java.util.ArrayList<>();
            for (int k = 0; k < 2; k++) {
                clientApps[k] = new Sink();
                serverApps[k] = new EchoSink();
                SslPair p = SslPair.of(loop, clientApps[k], serverApps[k]);
                handshakes.add(p.handshake());
                clients[k] = p.client();
                servers[k] = p.server();
                p.start(PipeEnd.cuttingPair(loop, seed + k, maxRead / (k + 1) + 1, true));
            }
            ByteArrayOutputStream[] sent = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
            Random content = new Random(seed);
            for (int i = 0; i < writes.size(); i++) {
                int k = i % 2;
                if (i >= 2 && (keyUpdates >>> i & 1) != 0) {
                    engine(clients[k]).beginHandshake(); // TLS 1.3: a key update, sent before this write
                }
                if (i >= 2 && (keyUpdates >>> (i + 16) & 1) != 0) {
                    engine(servers[k]).beginHandshake(); // sent before the server's next echo
                }
                byte[] w = new byte[writes.get(i)];
                content.nextBytes(w);
                clients[k].appTransport().write(w);
                sent[k].write(w, 0, w.length);
                if (i == 1) {
                    for (Future<Void> h : handshakes) {
                        Aio.waitFor(h, 10.0); // the first writes wait for the handshake, the others do not
                    }
                }
            }
            for (int i = 0; i < 20_000 && (clientApps[0].received.size() < sent[0].size()
                    || clientApps[1].received.size() < sent[1].size()); i++) {
                Aio.sleep(0);
            }
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(sent[k].toByteArray(), serverApps[k].received.toByteArray(), "server " + k);
                assertArrayEquals(sent[k].toByteArray(), clientApps[k].received.toByteArray(), "echo to client " + k);
            }
        });
    }

    /** A {@link Sink} that keeps its transport (to nudge the peer) and completes {@link #lost}. */
    static final class ClosingSink extends Sink {
        dev.aio4j.streams.Transport transport;
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();

        @Override
        public void connectionMade(dev.aio4j.streams.Transport t) {
            transport = t;
        }

        @Override
        public void connectionLost(Exception exc) {
            lost.setResult(exc);
        }
    }

    /**
     * Writes of any sizes, with the client's engine refusing application data from random points
     * on until the peer's next message ({@link StallingEngine}: OK, nothing consumed or produced,
     * NEED_UNWRAP; the server then writes a byte, the message it waits for), through ciphertext
     * cut anywhere, then close(): the server receives exactly the concatenation of the writes,
     * then close_notify. aio4j-only.
     */
    @Property(tries = 30)
    void everyByteArrivesInOrderWhenTheEngineStallsAtRandomPoints(
            @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed,
            @ForAll int stalls,
            @ForAll int nudgeLate) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            ClosingSink clientApp = new ClosingSink();
            ClosingSink serverApp = new ClosingSink();
            List<StallingEngine> engines = new java.util.ArrayList<>();
            SslPair p = SslPair.of(loop, clientApp, StallingEngine.context(TestCertificates.client(), engines), SslProtocol.SHUTDOWN_TIMEOUT,
                    serverApp);
            SslProtocol client = p.client();
            p.start(PipeEnd.cuttingPair(loop, seed, maxRead, true));
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            Random content = new Random(seed);
            int nudges = 0;
            for (int i = 0; i < writes.size(); i++) {
                boolean stall = i >= 1 && (stalls >>> i & 1) != 0;
                if (stall) {
                    engines.get(0).stall();
                }
                byte[] w = new byte[writes.get(i)];
                content.nextBytes(w);
                client.appTransport().write(w);
                sent.write(w, 0, w.length);
                if (i == 0) {
                    Aio.waitFor(p.handshake(), 10.0); // the first write waits for the handshake
                }
                if (stall) {
                    if ((nudgeLate >>> i & 1) != 0) {
                        Aio.sleep(0); // more writes may queue behind the backlog meanwhile
                    }
                    serverApp.transport.write(new byte[] {1}); // what the engine waits for
                    nudges++;
                }
            }
            client.appTransport().close();
            assertNull(Aio.waitFor(serverApp.lost, 30.0));
            assertNull(Aio.waitFor(clientApp.lost, 30.0));
            assertArrayEquals(sent.toByteArray(), serverApp.received.toByteArray());
            // A nudge that reaches the client after its close_notify went out (SHUTDOWN) is dropped,
            // as asyncio's SSL_shutdown drops what comes after ours; one that comes while the
            // backlog still waits (FLUSHING) is delivered.
            org.junit.jupiter.api.Assertions.assertTrue(clientApp.received.size() <= nudges,
                    clientApp.received.size() + " bytes received for " + nudges + " nudges");
            org.junit.jupiter.api.Assertions.assertEquals(nudges > 0, engines.get(0).stalls > 0, "a stall was asked for: the engine refused a wrap");
        });
    }
}
