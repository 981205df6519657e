package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.SslProtocolPairTest.App;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLEngine;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Writes while the engine has a handshake message to send first: a TLS 1.3 key update or a
 * TLS 1.2 renegotiation ({@code SSLEngine.beginHandshake()} on an established connection starts
 * either). The engine then takes no application bytes in the wrap call that sends its message;
 * the write must still go out, after it. aio4j-only (asyncio's SSLObject does this inside
 * OpenSSL; test_sslproto.py has no key-update case).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SslProtocolRehandshakeTest {

    /** An {@link App} that writes back what it receives, from inside dataReceived. */
    static final class Echo extends App {
        Transport transport;

        @Override
        public void connectionMade(Transport t) {
            super.connectionMade(t);
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            super.dataReceived(data);
            transport.write(data);
        }
    }

    private static SslProtocol[] connected(EventLoop loop, App clientApp, App serverApp, String version, PipeEnd[] pipe)
            throws Exception {
        SslPair pair = SslPair.of(loop, clientApp, serverApp);
        for (SslProtocol p : new SslProtocol[] {pair.client(), pair.server()}) {
            engine(p).setEnabledProtocols(new String[] {version});
        }
        pair.connect(pipe);
        SslPair.settle();
        assertEquals(version, engine(pair.client()).getSession().getProtocol());
        return new SslProtocol[] {pair.client(), pair.server()};
    }

    private static SSLEngine engine(SslProtocol p) {
        return (SSLEngine) p.appTransport().getExtraInfo("ssl_object", null);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void settle(App app, int size) throws Exception {
        for (int i = 0; i < 1000 && app.received.size() < size; i++) {
            Aio.sleep(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aWriteRightAfterStartingAKeyUpdateOrRenegotiationArrives(String version) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            App serverApp = new App();
            SslProtocol[] p = connected(loop, clientApp, serverApp, version, PipeEnd.pair(loop));
            engine(p[1]).beginHandshake(); // the server's engine now has a message to wrap first
            p[1].appTransport().write(b("one"));
            p[0].appTransport().write(b("two"));
            p[1].appTransport().write(b("three"));
            settle(clientApp, 8);
            settle(serverApp, 3);
            assertEquals("onethree", clientApp.received.toString(StandardCharsets.US_ASCII), "nothing dropped");
            assertEquals("two", serverApp.received.toString(StandardCharsets.US_ASCII));
        });
    }

    /**
     * The peer's key update (or renegotiation) arrives in the same read as data before it: the
     * data is delivered before the engine answers, and an echo written from dataReceived must
     * not be lost to the answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void anEchoFromDataReceivedBeforeThePeersKeyUpdateInTheSameReadArrives(String version) throws Exception {
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            Echo serverApp = new Echo();
            // reads of up to 1 MiB: what the client writes in one tick reaches the server as one read
            SslProtocol[] p = connected(loop, clientApp, serverApp, version, PipeEnd.cuttingPair(loop, 7, 1 << 20));
            p[0].appTransport().write(b("ping1 "));
            engine(p[0]).beginHandshake();
            p[0].appTransport().write(b("ping2"));
            settle(clientApp, 11);
            assertEquals("ping1 ping2", serverApp.received.toString(StandardCharsets.US_ASCII));
            assertEquals("ping1 ping2", clientApp.received.toString(StandardCharsets.US_ASCII), "every echo came back");
        });
    }
}
