package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.ThrowingVoidCoroutine;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.VirtualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only: the {@link Duration} overloads of the server's timeouts ({@link ServerConfig}'s
 * {@code keepalive_timeout=}, {@code shutdown_timeout=} and request-head timeout,
 * {@link WebSocketResponse}'s {@code heartbeat=}, {@code timeout=}, {@code receive_timeout=} and
 * {@code receive(timeout)}) act as their seconds forms and refuse what those refuse, plus a null.
 * The WebSocket runs on one server connection over a {@link RecordingTransport} on a virtual
 * clock, so the timeouts are exact and cost nothing.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebDurationOverloadsTest {

    private static void virtual(ThrowingVoidCoroutine<Exception> body) throws Exception {
        try (Runner r = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            r.run(() -> {
                body.call();
                return null;
            });
        }
    }

    /** The body of a WebSocket handler. */
    private interface WsBody {
        void run(WebSocketResponse ws) throws Exception;
    }

    private static final String UPGRADE = "GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /**
     * One server connection over a {@link RecordingTransport} that received an upgrade request
     * for a handler preparing {@code ws} and then running {@code body}; the returned future ends
     * with the body (its failure, if any).
     */
    private static Future<Object> serve(WebSocketResponse ws, RecordingTransport transport, WsBody body) {
        EventLoop loop = Aio.getRunningLoop();
        Future<Object> outcome = loop.createFuture();
        Application app = new Application();
        app.router().addGet("/", r -> {
            try {
                ws.prepare(r);
                body.run(ws);
                outcome.setResult(null);
            } catch (Throwable e) {
                outcome.setException(e);
            }
            return ws;
        });
        RequestHandler handler = new WebServer(app, ServerConfig.defaults(), loop).newConnection();
        handler.connectionMade(transport);
        handler.dataReceived(UPGRADE.getBytes(StandardCharsets.ISO_8859_1));
        return outcome;
    }

    private static double now() {
        return Aio.getRunningLoop().time();
    }

    @Test
    void serverConfigTimeoutsTakeDurations() {
        ServerConfig c = ServerConfig.defaults().keepaliveTimeout(Duration.ofMillis(2500))
                .shutdownTimeout(Duration.ofSeconds(7)).readHeadTimeout(Duration.ofMillis(1250));
        assertEquals(2.5, c.keepaliveTimeout(), 0.0);
        assertEquals(7.0, c.shutdownTimeout(), 0.0);
        assertEquals(1.25, c.readHeadTimeout(), 0.0);
        ServerConfig zero = c.keepaliveTimeout(Duration.ZERO).readHeadTimeout(Duration.ZERO).shutdownTimeout(Duration.ZERO);
        assertEquals(0.0, zero.keepaliveTimeout(), 0.0);
        assertEquals(0.0, zero.readHeadTimeout(), 0.0);
        assertEquals(0.0, zero.shutdownTimeout(), 0.0);
        assertEquals(2.5, c.keepaliveTimeout(), 0.0, "a changed copy, as the seconds forms make");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.keepaliveTimeout(Duration.ofMillis(-500)));
        assertEquals("timeout must be a finite number >= 0, got -0.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.keepaliveTimeout(-0.5));
        assertThrows(IllegalArgumentException.class, () -> c.shutdownTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> c.readHeadTimeout(Duration.ofSeconds(-1)));
        for (java.util.function.Function<Duration, ServerConfig> setter : java.util.List.<java.util.function.Function<Duration,
                ServerConfig>>of(c::keepaliveTimeout, c::shutdownTimeout, c::readHeadTimeout)) {
            NullPointerException npe = assertThrows(NullPointerException.class, () -> setter.apply(null));
            assertEquals("timeout must not be null", npe.getMessage());
        }
    }

    @Test
    void webSocketReceiveTimeoutsTakeDurations() throws Exception {
        virtual(() -> serve(new WebSocketResponse().receiveTimeout(Duration.ofSeconds(7)), new RecordingTransport(), ws -> {
            double t0 = now();
            assertThrows(TimeoutError.class, ws::receive);
            assertEquals(7.0, now() - t0, 1e-9, "receiveTimeout(Duration) is the default wait of receive()");
            t0 = now();
            assertThrows(TimeoutError.class, () -> ws.receive(Duration.ofMillis(2500)));
            assertEquals(2.5, now() - t0, 1e-9, "receive(Duration) waits that long");
            t0 = now();
            assertThrows(TimeoutError.class, () -> ws.receive(Duration.ZERO));
            assertEquals(7.0, now() - t0, 1e-9, "receive(Duration.ZERO) is receive(0): the default wait");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ws.receive(Duration.ofSeconds(-1)));
            assertEquals("timeout must be a finite number >= 0, got -1.0", e.getMessage());
            NullPointerException npe = assertThrows(NullPointerException.class, () -> ws.receive((Duration) null));
            assertEquals("timeout must not be null", npe.getMessage());
            assertFalse(ws.closed(), "timeouts leave the connection open");
        }).await());
    }

    @Test
    void webSocketHeartbeatTakesADuration() throws Exception {
        virtual(() -> {
            RecordingTransport t = new RecordingTransport();
            double[] opened = {Double.NaN};
            Future<Object> served = serve(new WebSocketResponse().heartbeat(Duration.ofSeconds(4)), t, ws -> {
                opened[0] = now();
                assertEquals(WSMsgType.ERROR, ws.receive().type(), "no pong: the heartbeat ends the connection");
                assertEquals(6.0, now() - opened[0], 1e-9, "a ping at 4 s, then half the interval for its pong");
                assertEquals(1006, ws.closeCode().getAsInt());
            });
            double start = now(); // the upgrade request was received now
            Aio.sleep(3.99);
            assertFalse(served.done(), "the handler still waits in receive()");
            assertEquals(start, opened[0], 1e-9, "the handler ran at once");
            String afterHandshake = t.writtenText();
            assertTrue(afterHandshake.startsWith("HTTP/1.1 101 ") && afterHandshake.endsWith("\r\n\r\n"),
                    "only the 101 so far, no ping before the interval: " + afterHandshake);
            Aio.sleep(0.02);
            String sent = t.writtenText().substring(afterHandshake.length());
            assertFalse(sent.isEmpty(), "a ping after 4 s without incoming data");
            assertEquals(0x89, sent.charAt(0), "a ping frame (FIN, opcode 9)");
            served.await();
        });
    }

    @Test
    void webSocketCloseTimeoutTakesADuration() throws Exception {
        virtual(() -> serve(new WebSocketResponse().timeout(Duration.ofSeconds(3)), new RecordingTransport(), ws -> {
            double t0 = now();
            ws.close(); // the client never answers the close frame
            assertEquals(3.0, now() - t0, 1e-9, "close() waits the close timeout for the client's close frame");
            assertEquals(1006, ws.closeCode().getAsInt());
        }).await());
    }

    @Test
    void webSocketSettersRefuseWhatTheSecondsFormsRefuse() {
        WebSocketResponse ws = new WebSocketResponse();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ws.heartbeat(Duration.ofMillis(-500)));
        assertEquals("heartbeat must be a finite number >= 0, got -0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ws.receiveTimeout(Duration.ofMillis(-500)));
        assertEquals("receiveTimeout must be a finite number >= 0, got -0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ws.timeout(Duration.ZERO));
        assertEquals("timeout must be a finite number > 0, got 0.0", e.getMessage());
        assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class, () -> ws.timeout(0)).getMessage());
        assertEquals("heartbeat must not be null",
                assertThrows(NullPointerException.class, () -> ws.heartbeat((Duration) null)).getMessage());
        assertEquals("receiveTimeout must not be null",
                assertThrows(NullPointerException.class, () -> ws.receiveTimeout((Duration) null)).getMessage());
        assertEquals("timeout must not be null",
                assertThrows(NullPointerException.class, () -> ws.timeout((Duration) null)).getMessage());
        ws.heartbeat(Duration.ZERO).receiveTimeout(Duration.ZERO); // zero: none, as with seconds
    }
}
