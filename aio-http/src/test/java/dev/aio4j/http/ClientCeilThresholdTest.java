package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ClientTimeout#ceilThreshold()}, aiohttp's {@code ClientTimeout.ceil_threshold}: the value
 * (default, validation, the {@code with} methods) and, on a virtual clock against a loopback
 * server that never answers, when a request's timeout fires. The deadlines of each limit are
 * covered one by one in {@code internal.DeadlinesTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientCeilThresholdTest {
    @Test
    void theDefaultIsFiveSeconds() {
        // aiohttp's ClientTimeout(..., ceil_threshold: float = 5)
        assertEquals(5.0, ClientTimeout.DEFAULT.ceilThreshold());
        assertEquals(5.0, ClientTimeout.NONE.ceilThreshold());
        assertEquals(5.0, new ClientTimeout(30, 5, 10).ceilThreshold());
        assertEquals(5.0, new ClientTimeout(30, 5, 10, 2).ceilThreshold());
        assertEquals(5.0, ClientTimeout.ofTotal(60).ceilThreshold());
        assertEquals(new ClientTimeout(30, 5, 10, 2, 5), new ClientTimeout(30, 5, 10, 2));
    }

    @Test
    void withCeilThresholdChangesOnlyIt() { // aio4j-only
        ClientTimeout t = ClientTimeout.NONE.withTotal(30).withSockRead(2.5);
        ClientTimeout one = t.withCeilThreshold(1);
        assertEquals(new ClientTimeout(30, Double.POSITIVE_INFINITY, 2.5, Double.POSITIVE_INFINITY, 1), one);
        assertEquals(one, t.withCeilThreshold(Duration.ofSeconds(1)));
        assertEquals(0.0, t.withCeilThreshold(Duration.ZERO).ceilThreshold(), "0: every deadline rounded");
        assertEquals(Double.POSITIVE_INFINITY, t.withCeilThreshold(Double.POSITIVE_INFINITY).ceilThreshold());
        assertEquals(1.0, one.withTotal(10).withConnect(3).withSockRead(4).withSockConnect(5).ceilThreshold(),
                "the other with methods keep it");
        assertEquals(t.withCeilThreshold(5), t);
        assertEquals(t.withCeilThreshold(5).hashCode(), t.hashCode());
        assertEquals(false, one.equals(t));
        assertEquals("ClientTimeout[total=30.0, connect=Infinity, sockRead=2.5, sockConnect=Infinity, ceilThreshold=1.0]",
                one.toString());
    }

    @Test
    void aNegativeOrNaNThresholdIsRefused() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientTimeout.NONE.withCeilThreshold(-1));
        assertEquals("ceilThreshold must be >= 0 seconds or Double.POSITIVE_INFINITY for never, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ClientTimeout(1, 1, 1, 1, Double.NaN));
        assertEquals("ceilThreshold must be >= 0 seconds or Double.POSITIVE_INFINITY for never, got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClientTimeout.NONE.withCeilThreshold(Duration.ofMillis(-500)));
        assertEquals("ceilThreshold must be >= 0 seconds or Double.POSITIVE_INFINITY for never, got -0.5", e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> ClientTimeout.NONE.withCeilThreshold((Duration) null));
        assertEquals("ceilThreshold must not be null", npe.getMessage());
    }

    /**
     * A request to a server that never answers, started at loop time 0.25: a 5.5 s total timeout
     * fires at 6 (the next whole second), a 2.5 s one at 2.75 exactly; so does a 5.5 s one with
     * the threshold raised above it.
     */
    @Test
    void aTotalTimeoutOverTheThresholdFiresAtTheNextWholeSecond() throws Exception {
        assertEquals(6.0, totalTimeoutFiresAt(ClientTimeout.ofTotal(5.5)));
        assertEquals(0.25 + 2.5, totalTimeoutFiresAt(ClientTimeout.ofTotal(2.5)));
        assertEquals(0.25 + 5.5, totalTimeoutFiresAt(ClientTimeout.ofTotal(5.5).withCeilThreshold(10)));
    }

    private static double totalTimeoutFiresAt(ClientTimeout timeout) throws Exception {
        try (Runner runner = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            return runner.run(() -> {
                Server server = Streams.startServer((in, out) -> {
                    in.readuntil("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    in.read(1); // never answers; ends when the client gives up and closes
                }, "127.0.0.1", 0);
                try (server; ClientSession s = ClientSession.builder().timeout(timeout).build()) {
                    int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
                    Aio.sleep(0.25);
                    assertEquals(0.25, Aio.getRunningLoop().time());
                    ServerTimeoutError e = assertThrows(ServerTimeoutError.class, () -> s.get("http://127.0.0.1:" + port + "/"));
                    assertEquals(ServerTimeoutError.class, e.getClass(), e.toString());
                    return Aio.getRunningLoop().time();
                }
            });
        }
    }
}
