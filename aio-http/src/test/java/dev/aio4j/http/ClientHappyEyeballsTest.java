package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.test.FullListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Happy Eyeballs in the session's connector: aiohttp's {@code TCPConnector(happy_eyeballs_delay=0.25,
 * interleave=None)} (aiohttp's test_connector.py {@code test_tcp_connector_happy_eyeballs} cases),
 * with a host name that resolves to two loopback addresses ({@link TestHostsResolver}): the first
 * one a listener whose accept queue is full, so the kernel drops its SYNs as a dead IPv6 route
 * does; the second the server.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost race waits for the kernel's SYN retries
class ClientHappyEyeballsTest {
    private static final String HOST = "dual.happy-eyeballs.test";
    private static final InetAddress OTHER_LOOPBACK = loopback2();

    private static InetAddress loopback2() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void forgetHost() {
        TestHostsResolver.HOSTS.remove(HOST);
    }

    private static FullListener fullListenerOn(int port) throws IOException {
        try {
            return new FullListener(OTHER_LOOPBACK, port);
        } catch (BindException e) {
            assumeTrue(false, "127.0.0.2 cannot be bound here: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void aFirstAddressDroppingSynsCostsTheDelayNotTheConnectTimeout() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "second address"));
             FullListener dead = fullListenerOn(srv.port())) {
            assumeTrue(dead.dropsSyns(), "this kernel answers SYNs beyond a full accept queue");
            TestHostsResolver.HOSTS.put(HOST, List.of(OTHER_LOOPBACK, TestServers.LOOPBACK));
            TestServers.assertNoFdLeak(() -> Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().happyEyeballsDelay(0.05).build();
                     ClientResponse r = s.get("http://" + HOST + ":" + srv.port() + "/")) {
                    assertEquals(200, r.status());
                    assertEquals("second address", r.text());
                }
                return null;
            }));
        }
    }

    @Test
    void theDefaultDelayRacesToo() throws Exception { // aiohttp's default happy_eyeballs_delay=0.25
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"));
             FullListener dead = fullListenerOn(srv.port())) {
            assumeTrue(dead.dropsSyns(), "this kernel answers SYNs beyond a full accept queue");
            TestHostsResolver.HOSTS.put(HOST, List.of(OTHER_LOOPBACK, TestServers.LOOPBACK));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create(); ClientResponse r = s.get("http://" + HOST + ":" + srv.port() + "/")) {
                    assertEquals("ok", r.text());
                }
                return null;
            });
        }
    }

    @Test
    void withoutARaceARefusedAddressFallsBackToTheNext() throws Exception { // happy_eyeballs_delay=None
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "fallback"))) {
            // nothing listens on 127.0.0.2:port: that connect is refused at once
            TestHostsResolver.HOSTS.put(HOST, List.of(OTHER_LOOPBACK, TestServers.LOOPBACK));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().happyEyeballsDelay(Double.POSITIVE_INFINITY).build();
                     ClientResponse r = s.get("http://" + HOST + ":" + srv.port() + "/")) {
                    assertEquals("fallback", r.text());
                }
                return null;
            });
        }
    }

    @Test
    void everyAddressRefusedIsAConnectorErrorNamingEach() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(TestServers.LOOPBACK, 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        TestHostsResolver.HOSTS.put(HOST, List.of(OTHER_LOOPBACK, TestServers.LOOPBACK));
        Aio.run(() -> {
            try (ClientSession s = ClientSession.create()) {
                ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> s.get("http://" + HOST + ":" + port + "/"));
                String all = String.valueOf(e.getMessage()) + " " + e.getCause();
                assertTrue(all.contains("127.0.0.2") && all.contains("127.0.0.1"), all);
            }
            return null;
        });
    }

    @Test
    void aTlsFailureOnTheWinningAddressMovesOnToTheNext() throws Exception { // aiohttp's _create_direct_connection loop
        try (TestServers.Jdk srv = TestServers.Jdk.https(dev.aio4j.streams.test.TestCertificates.server())
                .handle("/", ex -> TestServers.send(ex, 200, "tls on the second address"))) {
            java.net.ServerSocket notTls;
            try {
                notTls = new java.net.ServerSocket(srv.port(), 50, OTHER_LOOPBACK);
            } catch (BindException e) {
                assumeTrue(false, "127.0.0.2 cannot be bound here: " + e.getMessage());
                return;
            }
            Thread closer = Thread.ofPlatform().daemon(true).start(() -> { // accepts and hangs up: no TLS there
                while (!notTls.isClosed()) {
                    try {
                        notTls.accept().close();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (notTls) {
                TestHostsResolver.HOSTS.put(HOST, List.of(OTHER_LOOPBACK, TestServers.LOOPBACK));
                Aio.run(() -> {
                    try (ClientSession s = ClientSession.builder().ssl(false).happyEyeballsDelay(Double.POSITIVE_INFINITY).build();
                         ClientResponse r = s.get("https://" + HOST + ":" + srv.port() + "/")) {
                        assertEquals("tls on the second address", r.text());
                    }
                    return null;
                });
            }
            closer.join(5000);
        }
    }

    @Test
    void builderRefusesNonsense() {
        ClientSession.Builder b = ClientSession.builder();
        assertThrows(IllegalArgumentException.class, () -> b.happyEyeballsDelay(-0.1));
        assertThrows(IllegalArgumentException.class, () -> b.happyEyeballsDelay(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.interleave(-1));
        b.happyEyeballsDelay(0).interleave(2).happyEyeballsDelay(Double.POSITIVE_INFINITY); // all allowed
    }
}
