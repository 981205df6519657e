package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.ConnectOptions;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.TransportAndProtocol;
import dev.aio4j.streams.internal.SslProtocolPairTest.App;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS timeouts of {@link SslProtocol} ({@code ssl_handshake_timeout},
 * {@code ssl_shutdown_timeout}): mirrors the timeout tests of
 * Lib/test/test_asyncio/test_sslproto.py ({@code SslProtoHandshakeTests}); the shutdown timeout
 * through the public options runs over loopback with a {@link StallingEngine} (asyncio's tests
 * have no engine that holds data back; aio4j-only).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SslProtocolTimeoutsTest {
    private static final String HOST = InetAddress.getLoopbackAddress().getHostAddress();

    private static SslProtocol withTimeouts(EventLoop loop, double handshake, double shutdown) throws Exception {
        return new SslProtocol(loop, new Protocol() { }, TestCertificates.client(), false, "localhost", 443, null, true,
                handshake, shutdown);
    }

    @Test
    void handshakeTimeoutZero() throws Exception {
        // test_sslproto.py test_handshake_timeout_zero
        Loops.inLoop(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withTimeouts(Aio.getRunningLoop(), 0, 30));
            assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", e.getMessage());
        });
    }

    @Test
    void handshakeTimeoutNegative() throws Exception {
        // test_sslproto.py test_handshake_timeout_negative
        Loops.inLoop(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withTimeouts(Aio.getRunningLoop(), -10, 30));
            assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got -10.0", e.getMessage());
        });
    }

    @Test
    void shutdownTimeoutZeroNegativeOrNaN() throws Exception {
        // asyncio's SSLProtocol checks ssl_shutdown_timeout the same way ("should be a positive
        // number"); CPython has no test of it. NaN is refused too; infinity is no limit, as
        // asyncio's float('inf').
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            withTimeouts(loop, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
            for (double bad : new double[] {0, -1, Double.NaN, Double.NEGATIVE_INFINITY}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withTimeouts(loop, 60, bad));
                assertEquals("sslShutdownTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got " + bad, e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> withTimeouts(loop, Double.NaN, 30));
        });
    }

    @Test
    void theDefaultsAreAsyncios() {
        assertEquals(60.0, SslProtocol.HANDSHAKE_TIMEOUT);
        assertEquals(30.0, SslProtocol.SHUTDOWN_TIMEOUT);
        assertEquals(Streams.SSL_HANDSHAKE_TIMEOUT, SslProtocol.HANDSHAKE_TIMEOUT);
        assertEquals(Streams.SSL_SHUTDOWN_TIMEOUT, SslProtocol.SHUTDOWN_TIMEOUT);
    }

    /** A server handler that reads until the client is gone, then closes. */
    private static void readToTheEnd(dev.aio4j.streams.StreamReader r, StreamWriter w) throws Exception {
        try {
            r.read(-1);
        } catch (java.io.IOException gone) {
            // an abort reads as a reset
        } finally {
            w.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aClientsShutdownTimeoutComesFromConnectOptions() throws Exception {
        // ssl_shutdown_timeout= of create_connection: a close() whose written data the engine never
        // takes ends after that many seconds (not the default 30), with asyncio's TimeoutError.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Server srv = Streams.startServer((r, w) -> {
                w.write(b("hello")); // after the session tickets: once the client has it, it has them
                readToTheEnd(r, w);
            }, HOST, 0, TestCertificates.server());
            List<StallingEngine> engines = new ArrayList<>();
            SSLContext stalling = StallingEngine.context(TestCertificates.client(), engines);
            dev.aio4j.loop.Future<Void> greeted = loop.createFuture();
            App app = new App() {
                @Override
                public void dataReceived(byte[] data) {
                    super.dataReceived(data);
                    if (!greeted.done()) {
                        greeted.setResult(null);
                    }
                }
            };
            TransportAndProtocol<App> tp = Streams.createConnection(() -> app, "localhost", srv.port(),
                    ConnectOptions.defaults().ssl(stalling).sslShutdownTimeout(2.5));
            Transport t = tp.transport();
            Aio.waitFor(greeted, 10.0); // nothing more comes from the server that could release the engine
            engines.get(0).stall();
            t.write(b("never taken"));
            double start = loop.time();
            t.close();
            Exception lost = Aio.waitFor(app.lost, 10.0);
            TimeoutError timeout = assertInstanceOf(TimeoutError.class, lost);
            assertEquals("TLS shutdown timed out: the engine did not take the last 11 bytes written before close() in 2.5 s",
                    timeout.getMessage());
            assertEquals(2.5, loop.time() - start, 0.5);
            srv.close();
            Aio.waitFor(() -> {
                srv.waitClosed();
                return null;
            }, 20.0);
        });
    }

    @Test
    void aServersShutdownTimeoutComesFromServerOptions() throws Exception {
        // ssl_shutdown_timeout= of start_server: each accepted connection's TLS layer gets it.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<StallingEngine> engines = new ArrayList<>();
            SSLContext stalling = StallingEngine.context(TestCertificates.server(), engines);
            AtomicReference<Double> closedAfter = new AtomicReference<>();
            AtomicReference<Exception> closeError = new AtomicReference<>();
            Server srv = Streams.startServer((r, w) -> {
                engines.get(0).stall();
                w.write(b("never taken"));
                double start = loop.time();
                w.close();
                try {
                    w.waitClosed();
                } catch (Exception e) {
                    closeError.set(e); // the shutdown timeout's error, as asyncio's wait_closed raises it
                }
                closedAfter.set(loop.time() - start);
            }, HOST, 0, ServerOptions.defaults().ssl(stalling).sslShutdownTimeout(4));
            TransportAndProtocol<App> client = Streams.createConnection(App::new, "localhost", srv.port(),
                    TestCertificates.client());
            Aio.waitFor(client.protocol().lost, 20.0);
            srv.close();
            Aio.waitFor(() -> {
                srv.waitClosed();
                return null;
            }, 20.0);
            assertEquals(4.0, closedAfter.get(), 0.5);
            assertInstanceOf(TimeoutError.class, closeError.get());
        });
    }

    @Test
    void startTlsRefusesABadTimeoutBeforeItChangesAnything() throws Exception {
        // loop.start_tls(..., ssl_handshake_timeout=0) raises before the transport is touched.
        Loops.inLoop(() -> {
            Server srv = Streams.startServer(SslProtocolTimeoutsTest::readToTheEnd, HOST, 0);
            dev.aio4j.streams.StreamPair rw = Streams.openConnection(HOST, srv.port());
            StreamWriter w = rw.writer();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.startTls(TestCertificates.client(), "localhost", 0, 30));
            assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.startTls(w.transport(), w.transport().getProtocol(), TestCertificates.client(), false,
                            "localhost", 60, -1));
            assertEquals("sslShutdownTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got -1.0", e.getMessage());
            assertTrue(w.transport() instanceof SocketTransport, "still the plain transport: " + w.transport());
            assertTrue(!w.transport().isClosing() && w.transport().isReading());
            w.close();
            srv.close();
            Aio.waitFor(() -> {
                srv.waitClosed();
                return null;
            }, 20.0);
        });
    }
}
