package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Concurrent lookups of one host are merged, as aiohttp's {@code TCPConnector._throttle_dns_futures}
 * (test_connector.py's test_tcp_connector_dns_throttle_requests,
 * test_tcp_connector_dns_throttle_requests_exception_spread, test_tcp_connector_dns_tracing_throttle_requests,
 * test_multiple_dns_resolution_requests_first_cancelled, test_multiple_dns_resolution_requests_cancelled),
 * through a session against a loopback server. {@link TestHostsResolver}'s gate holds the lookup in
 * flight until both requests have sent their DNS signal, so nothing depends on timing. The trace
 * signals tell how many lookups the pool made: below it the JDK merges concurrent lookups of one
 * name and caches their results (and failures), so the resolver's own count does not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientDnsThrottleTest {
    private static final AtomicInteger TESTS = new AtomicInteger();
    /** A name of this test's own: the JDK caches what a name resolved to (and its failures) for a while. */
    private final String HOST = "t" + TESTS.incrementAndGet() + ".throttle.dns.test";

    @AfterEach
    void forget() {
        TestHostsResolver.forget(HOST);
    }

    private static long count(List<String> events, String event) {
        return events.stream().filter(event::equals).count();
    }

    /** Records the DNS signals and completes {@code twoSignalled} when two requests have sent their first. */
    private static TraceConfig recording(List<String> events, Future<Void> twoSignalled) {
        TraceConfig tc = new TraceConfig();
        Runnable counted = () -> {
            if (events.stream().filter(e -> e.equals("miss") || e.equals("hit")).count() == 2 && !twoSignalled.done()) {
                twoSignalled.setResult(null);
            }
        };
        tc.onDnsCacheMiss().add((s, ctx, p) -> {
            events.add("miss");
            counted.run();
        });
        tc.onDnsCacheHit().add((s, ctx, p) -> {
            events.add("hit");
            counted.run();
        });
        tc.onDnsResolveHostStart().add((s, ctx, p) -> events.add("resolve"));
        tc.onDnsResolveHostEnd().add((s, ctx, p) -> events.add("resolved"));
        return tc;
    }

    private static Task<String> fetch(ClientSession s, String url) {
        return Aio.createTask(() -> {
            try (ClientResponse r = s.get(url)) {
                return r.text();
            }
        });
    }

    @Test
    void concurrentRequestsShareOneLookup() throws Exception { // test_tcp_connector_dns_throttle_requests, _tracing_throttle_requests
        TestHostsResolver.HOSTS.put(HOST, List.of(TestServers.LOOPBACK));
        CountDownLatch gate = new CountDownLatch(1);
        TestHostsResolver.GATES.put(HOST, gate);
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            String url = "http://" + HOST + ":" + srv.port() + "/";
            Aio.run(() -> {
                Future<Void> two = Aio.getRunningLoop().createFuture();
                try (ClientSession s = ClientSession.builder().traceConfig(recording(events, two)).build()) {
                    Task<String> t1 = fetch(s, url);
                    Task<String> t2 = fetch(s, url);
                    two.await();
                    gate.countDown();
                    assertEquals("ok", t1.await());
                    assertEquals("ok", t2.await());
                }
                return null;
            });
        }
        assertEquals(1, TestHostsResolver.lookups(HOST), "one lookup for both requests");
        // the first request's lookup sends miss, resolve, resolved; the one that waited for it sends hit
        assertEquals(List.of("hit", "miss", "resolve", "resolved"), events.stream().sorted().toList());
    }

    @Test
    void aFailedLookupReachesEveryRequestThatWaited() throws Exception { // test_tcp_connector_dns_throttle_requests_exception_spread
        TestHostsResolver.FAILING.add(HOST);
        CountDownLatch gate = new CountDownLatch(1);
        TestHostsResolver.GATES.put(HOST, gate);
        List<String> events = new CopyOnWriteArrayList<>();
        Aio.run(() -> {
            Future<Void> two = Aio.getRunningLoop().createFuture();
            try (ClientSession s = ClientSession.builder().traceConfig(recording(events, two)).build()) {
                Task<String> t1 = fetch(s, "http://" + HOST + ":1/");
                Task<String> t2 = fetch(s, "http://" + HOST + ":1/");
                two.await();
                gate.countDown();
                ClientConnectorError e1 = assertThrows(ClientConnectorError.class, t1::await);
                ClientConnectorError e2 = assertThrows(ClientConnectorError.class, t2::await);
                UnknownHostException u = assertInstanceOf(UnknownHostException.class, e1.getCause());
                assertSame(u, e2.getCause(), "the lookup's own exception, as aiohttp sets it on every waiter");
                assertEquals(List.of("hit", "miss", "resolve"), events.stream().sorted().toList(), "one lookup, no resolved");
                // a failure is not cached, and the lookup is no longer in flight: the next request looks up again
                assertThrows(ClientConnectorError.class, () -> s.get("http://" + HOST + ":1/"));
                assertEquals(2, count(events, "miss"));
            }
            return null;
        });
    }

    @Test
    void closingTheSessionCancelsTheLookupInFlight() throws Exception { // test_tcp_connector_dns_throttle_requests_cancelled_when_close
        TestHostsResolver.HOSTS.put(HOST, List.of(TestServers.LOOPBACK));
        CountDownLatch gate = new CountDownLatch(1);
        TestHostsResolver.GATES.put(HOST, gate);
        List<String> events = new CopyOnWriteArrayList<>();
        Aio.run(() -> {
            Future<Void> two = Aio.getRunningLoop().createFuture();
            ClientSession s = ClientSession.builder().traceConfig(recording(events, two)).build();
            Task<String> t1 = fetch(s, "http://" + HOST + ":1/");
            Task<String> t2 = fetch(s, "http://" + HOST + ":1/");
            two.await();
            s.close();
            gate.countDown();
            // aiohttp's _close_immediately cancels the lookup and the futures of the requests waiting for it
            assertThrows(CancelledError.class, t1::await);
            assertThrows(CancelledError.class, t2::await);
            assertEquals(List.of("hit", "miss", "resolve"), events.stream().sorted().toList());
            return null;
        });
    }

    @Test
    void aCancelledFirstRequestLeavesTheLookupToTheOthers() throws Exception { // test_multiple_dns_resolution_requests_first_cancelled
        TestHostsResolver.HOSTS.put(HOST, List.of(TestServers.LOOPBACK));
        CountDownLatch gate = new CountDownLatch(1);
        TestHostsResolver.GATES.put(HOST, gate);
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            String url = "http://" + HOST + ":" + srv.port() + "/";
            Aio.run(() -> {
                Future<Void> two = Aio.getRunningLoop().createFuture();
                try (ClientSession s = ClientSession.builder().traceConfig(recording(events, two)).build()) {
                    Task<String> t1 = fetch(s, url);
                    Task<String> t2 = fetch(s, url);
                    two.await();
                    t1.cancel();
                    assertThrows(CancelledError.class, t1::await);
                    gate.countDown();
                    assertEquals("ok", t2.await(), "the lookup went on for the request that waited");
                }
                return null;
            });
        }
        assertEquals(List.of("hit", "miss", "resolve", "resolved"), events.stream().sorted().toList());
    }

    @Test
    void aCancelledWaiterDoesNotCancelTheLookup() throws Exception { // test_multiple_dns_resolution_requests_cancelled
        TestHostsResolver.HOSTS.put(HOST, List.of(TestServers.LOOPBACK));
        CountDownLatch gate = new CountDownLatch(1);
        TestHostsResolver.GATES.put(HOST, gate);
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            String url = "http://" + HOST + ":" + srv.port() + "/";
            Aio.run(() -> {
                Future<Void> two = Aio.getRunningLoop().createFuture();
                try (ClientSession s = ClientSession.builder().traceConfig(recording(events, two)).build()) {
                    Task<String> t1 = fetch(s, url);
                    Task<String> t2 = fetch(s, url);
                    two.await();
                    t2.cancel();
                    assertThrows(CancelledError.class, t2::await);
                    gate.countDown();
                    assertEquals("ok", t1.await());
                }
                return null;
            });
        }
        assertEquals(List.of("hit", "miss", "resolve", "resolved"), events.stream().sorted().toList());
    }

    @Test
    void withoutTheCacheLookupsAreNotMerged() throws Exception { // aiohttp throttles only with use_dns_cache
        TestHostsResolver.HOSTS.put(HOST, List.of(TestServers.LOOPBACK));
        CountDownLatch gate = new CountDownLatch(1);
        TestHostsResolver.GATES.put(HOST, gate);
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            String url = "http://" + HOST + ":" + srv.port() + "/";
            Aio.run(() -> {
                Future<Void> two = Aio.getRunningLoop().createFuture();
                TraceConfig tc = recording(events, two);
                tc.onDnsResolveHostStart().add((s, ctx, p) -> {
                    if (events.stream().filter("resolve"::equals).count() == 2 && !two.done()) {
                        two.setResult(null);
                    }
                });
                try (ClientSession s = ClientSession.builder().useDnsCache(false).traceConfig(tc).build()) {
                    Task<String> t1 = fetch(s, url);
                    Task<String> t2 = fetch(s, url);
                    two.await();
                    gate.countDown();
                    assertEquals("ok", t1.await());
                    assertEquals("ok", t2.await());
                }
                return null;
            });
        }
        assertEquals(List.of("resolve", "resolve", "resolved", "resolved"), events.stream().sorted().toList());
    }
}
