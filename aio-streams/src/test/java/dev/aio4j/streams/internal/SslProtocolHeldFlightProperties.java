package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Transport;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import javax.net.ssl.SSLEngine;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The handshake records SslProtocol holds while more of the peer's records of the same read wait
 * (stop 30) never reorder or lose anything: over TLS 1.3 and 1.2, with the ciphertext cut and
 * glued anywhere between reads, a server that writes a greeting from connectionMade (right after
 * its last handshake flight) and echoes from dataReceived, and key updates or renegotiations
 * started by either end between writes, the client receives the greeting and then every byte it
 * wrote, in order, and a close by the client then ends both sides cleanly. aio4j-only.
 */
class SslProtocolHeldFlightProperties {

    private static final byte[] GREETING = "hello from connectionMade".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Writes {@link #GREETING} from connectionMade, then echoes what it receives. */
    static final class GreetingEcho extends SslProtocolChunkingProperties.Sink {
        Transport transport;
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            t.write(GREETING);
        }

        @Override
        public void dataReceived(byte[] data) {
            super.dataReceived(data);
            transport.write(data);
        }

        @Override
        public void connectionLost(Exception exc) {
            lost.setResult(exc);
        }
    }

    /** Collects what it receives and completes {@link #lost}. */
    static final class Client extends SslProtocolChunkingProperties.Sink {
        final Future<Exception> lost = Aio.getRunningLoop().createFuture();

        @Override
        public void connectionLost(Exception exc) {
            lost.setResult(exc);
        }
    }

    @Property(tries = 30)
    void aGreetingAndEchoesArriveInOrderWhateverTheCutsAndRehandshakes(
            @ForAll boolean tls13,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40_000) Integer> writes,
            @ForAll @IntRange(min = 1, max = 100_000) int maxRead,
            @ForAll long seed,
            @ForAll int rehandshakes) throws Exception {
        String version = tls13 ? "TLSv1.3" : "TLSv1.2";
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Client clientApp = new Client();
            GreetingEcho serverApp = new GreetingEcho();
            SslPair p = SslPair.of(loop, clientApp, serverApp);
            for (SslProtocol s : new SslProtocol[] {p.client(), p.server()}) {
                engine(s).setEnabledProtocols(new String[] {version});
            }
            p.start(PipeEnd.cuttingPair(loop, seed, maxRead, true));
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            Random content = new Random(seed);
            for (int i = 0; i < writes.size(); i++) {
                if (i >= 1 && (rehandshakes >>> i & 1) != 0) {
                    engine(p.client()).beginHandshake();
                }
                if (i >= 1 && (rehandshakes >>> (i + 16) & 1) != 0) {
                    engine(p.server()).beginHandshake();
                }
                byte[] w = new byte[writes.get(i)];
                content.nextBytes(w);
                p.client().appTransport().write(w); // the first one before the handshake ends
                sent.write(w, 0, w.length);
                if (i == 0) {
                    Aio.waitFor(p.handshake(), 10.0);
                }
                if ((seed >>> i & 1) != 0) {
                    Aio.sleep(0); // some writes cross the other side's
                }
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(GREETING, 0, GREETING.length);
            expected.write(sent.toByteArray(), 0, sent.size());
            for (int i = 0; i < 20_000 && clientApp.received.size() < expected.size(); i++) {
                Aio.sleep(0);
            }
            assertArrayEquals(sent.toByteArray(), serverApp.received.toByteArray(), "the server got every byte, in order");
            assertArrayEquals(expected.toByteArray(), clientApp.received.toByteArray(), "the greeting, then the echoes, in order");
            p.client().appTransport().close();
            assertNull(Aio.waitFor(clientApp.lost, 10.0), "a clean close");
            assertNull(Aio.waitFor(serverApp.lost, 10.0), "a clean close");
            assertEquals(SslProtocol.State.CLOSED, p.client().state());
        });
    }

    private static SSLEngine engine(SslProtocol p) {
        return (SSLEngine) p.appTransport().getExtraInfo("ssl_object", null);
    }
}
