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

/**
 * SslProtocol's copy-saving data path (a read's array unwrapped in place, a partial record kept,
 * several records unwrapped before one delivery, several records wrapped into one write) against
 * arbitrary cuts of the ciphertext stream: whatever the sizes of the writes and wherever the
 * stream is cut or glued between reads, the peer's app receives exactly the bytes written, in
 * order. No upstream twin (asyncio's SSLProtocol tests use fixed record boundaries).
 */
class SslProtocolChunkingProperties {

    /** Collects what it receives. */
    static final class Sink implements Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void dataReceived(byte[] data) {
            received.write(data, 0, data.length);
        }
    }

    @Property(tries = 40)
    void everyByteArrivesInOrderWhereverTheCiphertextIsCut(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 70_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 300_000) int maxRead,
            @ForAll long seed) throws Exception {
        exchange(writes, maxRead, seed, false);
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
        exchange(writes, maxRead, seed, true);
    }

    private static void exchange(List<Integer> writes, int maxRead, long seed, boolean reuseReadArray) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Sink clientApp = new Sink();
            Sink serverApp = new Sink();
            Future<Void> handshake = loop.createFuture();
            SslProtocol client = new SslProtocol(loop, clientApp, TestCertificates.client(), false, "localhost", 443, handshake, true);
            SslProtocol server = new SslProtocol(loop, serverApp, TestCertificates.server(), true, null, -1, null, true);
            PipeEnd[] pipe = PipeEnd.cuttingPair(loop, seed, maxRead, reuseReadArray);
            PipeEnd c = pipe[0];
            PipeEnd s = pipe[1];
            c.setProtocol(client);
            s.setProtocol(server);
            server.connectionMade(s);
            client.connectionMade(c);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            Random content = new Random(seed);
            for (int size : writes) {
                byte[] w = new byte[size];
                content.nextBytes(w);
                client.appTransport().write(w); // the first ones before the handshake ends
                sent.write(w, 0, w.length);
            }
            Aio.waitFor(handshake, 10.0);
            byte[] expected = sent.toByteArray();
            for (int i = 0; i < 10_000 && serverApp.received.size() < expected.length; i++) {
                Aio.sleep(0);
            }
            assertArrayEquals(expected, serverApp.received.toByteArray());
        });
    }
}
