package dev.aio4j.http;

import dev.aio4j.http.internal.ws.Role;
import dev.aio4j.http.internal.ws.WebSocketConnection;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.ThrowingVoidCoroutine;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.streams.test.InertTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only: the {@link Duration} overloads of the client's delays and timeouts
 * ({@link ClientSession.Builder}'s {@code keep_alive_timeout}, {@code happy_eyeballs_delay},
 * {@code ttl_dns_cache}; {@link ClientTimeout#ofTotal(Duration)}; the {@link WSConnectOption}
 * timeouts; {@link ClientWebSocketResponse#receive(Duration)}) act as their seconds forms and
 * refuse what those refuse, plus a null. A refusal's message shows the value the seconds form
 * received; the WebSocket runs over a transport with no socket on a virtual clock.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientDurationOverloadsTest {

    @Test
    void builderDelaysTakeDurations() throws Exception {
        Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().keepAliveTimeout(Duration.ofMillis(2500)).build()) {
                assertTrue(s.toString().contains("keepAliveTimeout=2.5"), s.toString());
            }
            return null;
        });
        ClientSession.Builder b = ClientSession.builder();
        b.keepAliveTimeout(Duration.ZERO).happyEyeballsDelay(Duration.ZERO).ttlDnsCache(Duration.ZERO); // as 0 seconds

        // what each seconds form is given shows in its message
        assertEquals(assertThrows(IllegalArgumentException.class, () -> b.keepAliveTimeout(-0.25)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> b.keepAliveTimeout(Duration.ofMillis(-250))).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> b.happyEyeballsDelay(-0.25)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> b.happyEyeballsDelay(Duration.ofMillis(-250))).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> b.ttlDnsCache(-0.25)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> b.ttlDnsCache(Duration.ofMillis(-250))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.ttlDnsCache(Duration.ofMillis(-250)))
                .getMessage().endsWith("got -0.25"));

        assertEquals("keepAliveTimeout must not be null",
                assertThrows(NullPointerException.class, () -> b.keepAliveTimeout((Duration) null)).getMessage());
        assertEquals("happyEyeballsDelay must not be null",
                assertThrows(NullPointerException.class, () -> b.happyEyeballsDelay((Duration) null)).getMessage());
        assertEquals("ttlDnsCache must not be null",
                assertThrows(NullPointerException.class, () -> b.ttlDnsCache((Duration) null)).getMessage());
    }

    @Test
    void clientTimeoutOfTotalTakesADuration() {
        assertEquals(ClientTimeout.ofTotal(2.5), ClientTimeout.ofTotal(Duration.ofMillis(2500)));
        assertEquals(new ClientTimeout(300, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
                ClientTimeout.ofTotal(Duration.ofMinutes(5)));
        assertEquals(assertThrows(IllegalArgumentException.class, () -> ClientTimeout.ofTotal(0)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> ClientTimeout.ofTotal(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientTimeout.ofTotal(Duration.ofSeconds(-1)));
        assertEquals("total must not be null",
                assertThrows(NullPointerException.class, () -> ClientTimeout.ofTotal((Duration) null)).getMessage());
    }

    @Test
    void wsConnectOptionsTakeDurations() {
        WSConnectOption.Spec spec = new WSConnectOption.Spec();
        WSConnectOption.heartbeat(Duration.ofMillis(1500)).applyTo(spec);
        WSConnectOption.receiveTimeout(Duration.ofSeconds(7)).applyTo(spec);
        WSConnectOption.closeTimeout(Duration.ofMillis(250)).applyTo(spec);
        assertEquals(1.5, spec.heartbeat, 0.0);
        assertEquals(7.0, spec.receiveTimeout, 0.0);
        assertEquals(0.25, spec.closeTimeout, 0.0);

        for (String name : List.of("heartbeat", "receiveTimeout", "closeTimeout")) {
            Function<Duration, WSConnectOption> viaDuration = switch (name) {
                case "heartbeat" -> WSConnectOption::heartbeat;
                case "receiveTimeout" -> WSConnectOption::receiveTimeout;
                default -> WSConnectOption::closeTimeout;
            };
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> viaDuration.apply(Duration.ZERO));
            assertEquals(name + " must be a finite number > 0, got 0.0", zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> viaDuration.apply(Duration.ofSeconds(-1)));
            NullPointerException npe = assertThrows(NullPointerException.class, () -> viaDuration.apply(null));
            assertEquals(name + " must not be null", npe.getMessage());
        }
    }

    private static void virtual(ThrowingVoidCoroutine<Exception> body) throws Exception {
        try (Runner r = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            r.run(() -> {
                body.call();
                return null;
            });
        }
    }

    @Test
    void clientWebSocketReceiveTakesADuration() throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            WebSocketConnection conn = new WebSocketConnection(loop, new InertTransport(), Role.CLIENT, null, null,
                    new WebSocketConnection.Settings(true, true, 0, 5, 10, 1024, null, null), null);
            ClientWebSocketResponse ws = new ClientWebSocketResponse(conn, URI.create("ws://example.com/"), 101, new Headers());
            double t0 = loop.time();
            assertThrows(TimeoutError.class, () -> ws.receive(Duration.ofMillis(2500)));
            assertEquals(2.5, loop.time() - t0, 1e-9, "receive(Duration) waits that long");
            t0 = loop.time();
            assertThrows(TimeoutError.class, () -> ws.receive(Duration.ZERO));
            assertEquals(5.0, loop.time() - t0, 1e-9, "receive(Duration.ZERO) is receive(0): the receive timeout");

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ws.receive(Duration.ofSeconds(-1)));
            assertEquals(assertThrows(IllegalArgumentException.class, () -> ws.receive(-1.0)).getMessage(), e.getMessage());
            assertEquals("timeout must be a finite number >= 0, got Infinity",
                    assertThrows(IllegalArgumentException.class, () -> ws.receive(Double.POSITIVE_INFINITY)).getMessage(),
                    "as WebSocketResponse.receive says it, not as the loop's timer would");
            assertEquals("timeout must not be null",
                    assertThrows(NullPointerException.class, () -> ws.receive((Duration) null)).getMessage());
        });
    }
}
