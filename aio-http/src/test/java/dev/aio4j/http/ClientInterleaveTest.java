package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.spi.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The order the session's connector tries a host's addresses in: aiohttp's
 * {@code TCPConnector(happy_eyeballs_delay=0.25, interleave=None)} hands both to asyncio's
 * {@code create_connection}, where {@code interleave=None} with a delay means 1 and
 * {@code interleave=0} means the resolver's order. aio4j-only test (aiohttp passes the values
 * through; asyncio's test_base_events.py tests the order on real sockets), through a network
 * installed on the loop that resolves the host to two IPv6 addresses then one IPv4 and refuses
 * every connect, recording them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientInterleaveTest {
    /** Resolves any host to fd00::1, fd00::2, 10.9.9.9 and refuses each connect, recording it. */
    private static final class DualStack implements Network {
        final List<String> connects = new ArrayList<>();

        @Override
        public List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws IOException {
            return List.of(new InetSocketAddress(InetAddress.getByName("fd00::1"), port),
                    new InetSocketAddress(InetAddress.getByName("fd00::2"), port),
                    new InetSocketAddress(InetAddress.getByName("10.9.9.9"), port));
        }

        @Override
        public Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException {
            connects.add(address.getAddress().getHostAddress());
            throw new ConnectException("refused by the test network");
        }

        @Override
        public Listener listen(EventLoop loop, InetSocketAddress address, int backlog, Acceptor acceptor) {
            throw new UnsupportedOperationException("a client test");
        }
    }

    private static List<String> triedWith(ClientSession.Builder builder) throws Exception {
        return Aio.run(() -> {
            DualStack net = new DualStack();
            Streams.useNetwork(Aio.getRunningLoop(), net);
            try (ClientSession s = builder.build()) {
                assertThrows(ClientConnectorError.class, () -> s.get("http://dual.test/"));
            } finally {
                Streams.useNetwork(Aio.getRunningLoop(), null);
            }
            return net.connects;
        });
    }

    private static final List<String> RESOLVER_ORDER = List.of("fd00:0:0:0:0:0:0:1", "fd00:0:0:0:0:0:0:2", "10.9.9.9");
    private static final List<String> INTERLEAVED = List.of("fd00:0:0:0:0:0:0:1", "10.9.9.9", "fd00:0:0:0:0:0:0:2");

    @Test
    void interleaveUnsetWithHappyEyeballsIsOne() throws Exception {
        assertEquals(INTERLEAVED, triedWith(ClientSession.builder()), "aiohttp's defaults: delay 0.25, interleave=None");
    }

    @Test
    void interleaveZeroKeepsTheResolversOrderEvenWithHappyEyeballs() throws Exception {
        assertEquals(RESOLVER_ORDER, triedWith(ClientSession.builder().interleave(0)), "interleave=0 is a value, not None");
    }

    @Test
    void interleaveUnsetWithoutHappyEyeballsKeepsTheResolversOrder() throws Exception {
        assertEquals(RESOLVER_ORDER, triedWith(ClientSession.builder().happyEyeballsDelay(Double.POSITIVE_INFINITY)));
        assertEquals(List.of("fd00:0:0:0:0:0:0:1", "fd00:0:0:0:0:0:0:2", "10.9.9.9"),
                triedWith(ClientSession.builder().happyEyeballsDelay(Double.POSITIVE_INFINITY).interleave(2)));
    }
}
