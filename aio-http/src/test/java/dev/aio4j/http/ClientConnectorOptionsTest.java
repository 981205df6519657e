package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The name-resolution options of aiohttp's {@code TCPConnector}: {@code use_dns_cache},
 * {@code ttl_dns_cache} and {@code family} (test_connector.py's {@code test_tcp_connector_dns_cache_*},
 * {@code test_tcp_connector_family} in spirit, against a real loopback server), with host names
 * given addresses by {@link TestHostsResolver}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientConnectorOptionsTest {
    private static final String V4 = "v4.connector-options.test";
    private static final String V6 = "v6.connector-options.test";
    /** Each name keeps one set of addresses: the JDK caches a lookup's result for 30 s. */
    private static final String MIXED = "mixed.connector-options.test";

    @AfterEach
    void forget() {
        TestHostsResolver.HOSTS.remove(V4);
        TestHostsResolver.HOSTS.remove(V6);
        TestHostsResolver.HOSTS.remove(MIXED);
    }

    private static TraceConfig recording(List<String> events) {
        TraceConfig tc = new TraceConfig();
        tc.onDnsCacheMiss().add((s, ctx, p) -> events.add("miss"));
        tc.onDnsCacheHit().add((s, ctx, p) -> events.add("hit"));
        tc.onDnsResolveHostStart().add((s, ctx, p) -> events.add("resolve"));
        return tc;
    }

    /** Two requests to {@code V4}, each on a new connection; the DNS events they caused. */
    private static List<String> twoConnections(ClientSession.Builder b, TestServers.Jdk srv) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TestHostsResolver.HOSTS.put(V4, List.of(TestServers.LOOPBACK));
        Aio.run(() -> {
            try (ClientSession s = b.traceConfig(recording(events)).build()) {
                for (int i = 0; i < 2; i++) {
                    try (ClientResponse r = s.get("http://" + V4 + ":" + srv.port() + "/", RequestOption.header("Connection", "close"))) {
                        assertEquals("ok", r.text());
                    }
                }
            }
            return null;
        });
        return events;
    }

    @Test
    void theCacheKeepsANameForItsTtl() throws Exception { // use_dns_cache=True, ttl_dns_cache=10
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            assertEquals(List.of("miss", "resolve", "hit"), twoConnections(ClientSession.builder(), srv));
        }
    }

    @Test
    void aTtlOfZeroLooksUpEveryTime() throws Exception { // ttl_dns_cache=0
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            assertEquals(List.of("miss", "resolve", "miss", "resolve"), twoConnections(ClientSession.builder().ttlDnsCache(0), srv));
        }
    }

    @Test
    void withoutTheCacheEveryConnectionResolvesAndNoCacheSignalFires() throws Exception { // use_dns_cache=False
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            assertEquals(List.of("resolve", "resolve"), twoConnections(ClientSession.builder().useDnsCache(false), srv));
        }
    }

    @Test
    void aHostWithoutAnAddressOfTheFamilyIsAConnectorError() throws Exception { // family=AF_INET6 for an IPv4-only host
        TestHostsResolver.HOSTS.put(V4, List.of(TestServers.LOOPBACK));
        TestHostsResolver.HOSTS.put(V6, List.of(InetAddress.getByName("::1")));
        Aio.run(() -> {
            try (ClientSession six = ClientSession.builder().family(StandardProtocolFamily.INET6).build();
                 ClientSession four = ClientSession.builder().family(StandardProtocolFamily.INET).build()) {
                ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> six.get("http://" + V4 + ":1/"));
                UnknownHostException u = assertInstanceOf(UnknownHostException.class, e.getCause());
                assertTrue(u.getMessage().contains("no IPv6 address") && u.getMessage().contains("127.0.0.1"), u.getMessage());
                ClientConnectorError e4 = assertThrows(ClientConnectorError.class, () -> four.get("http://" + V6 + ":1/"));
                assertTrue(e4.getCause().getMessage().contains("no IPv4 address"), e4.getCause().getMessage());
                ClientConnectorError literal = assertThrows(ClientConnectorError.class, () -> six.get("http://127.0.0.1:1/"));
                assertTrue(literal.getCause().getMessage().contains("no IPv6 address"), literal.getCause().getMessage());
            }
            return null;
        });
    }

    @Test
    void theFamilyKeepsItsAddresses() throws Exception { // family=AF_INET: an IPv4 address is used
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            TestHostsResolver.HOSTS.put(MIXED, List.of(InetAddress.getByName("::1"), TestServers.LOOPBACK));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().family(StandardProtocolFamily.INET)
                        .happyEyeballsDelay(Double.POSITIVE_INFINITY).build();
                     ClientResponse r = s.get("http://" + MIXED + ":" + srv.port() + "/")) {
                    assertEquals("ok", r.text());
                }
                return null;
            });
        }
    }

    @Test
    void localAddrIsWhereConnectionsComeFrom() throws Exception { // TCPConnector(local_addr=)
        InetAddress local = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        java.util.Set<String> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            peers.add(ex.getRemoteAddress().getAddress().getHostAddress());
            TestServers.send(ex, 200, "ok");
        })) {
            TestHostsResolver.HOSTS.put(V4, List.of(TestServers.LOOPBACK));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().localAddr(new java.net.InetSocketAddress(local, 0)).build()) {
                    try (ClientResponse r = s.get("http://" + V4 + ":" + srv.port() + "/")) { // a name: the pool's race
                        assertEquals("ok", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/"), RequestOption.header("Connection", "close"))) { // a literal
                        assertEquals("ok", r.text());
                    }
                }
                return null;
            });
        }
        assertEquals(java.util.Set.of("127.0.0.2"), peers);
    }

    @Test
    void builderRefusesNonsense() {
        ClientSession.Builder b = ClientSession.builder();
        assertThrows(IllegalArgumentException.class, () -> b.ttlDnsCache(-1));
        assertThrows(IllegalArgumentException.class, () -> b.ttlDnsCache(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.family(StandardProtocolFamily.UNIX));
        assertThrows(IllegalArgumentException.class, () -> b.localAddr(java.net.InetSocketAddress.createUnresolved("h", 0)));
        b.ttlDnsCache(Double.POSITIVE_INFINITY).family(null).useDnsCache(false); // all allowed
    }
}
