package dev.aio4j.http;

import com.sun.net.httpserver.HttpExchange;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Client middlewares against a real loopback server (the JDK's HttpServer): mirrors aiohttp's
 * tests/test_client_middleware.py, test names in the comments.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientMiddlewareTest {
    private static final String ALLOWED_HOST = "mw-allowed.test";

    /** Custom exception for when middleware blocks a request (upstream's BlockedByMiddleware). */
    static final class BlockedByMiddleware extends ClientError {
        BlockedByMiddleware(String what, URI url) {
            super(what, url);
        }
    }

    @AfterEach
    void forgetHosts() {
        TestHostsResolver.HOSTS.remove(ALLOWED_HOST);
    }

    private static void reply(HttpExchange ex, int status, String body) {
        try {
            TestServers.send(ex, status, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requestBody(HttpExchange ex) {
        try {
            return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server that echoes the request body. */
    private static TestServers.Jdk echo() throws IOException {
        return new TestServers.Jdk().handle("/", ex -> reply(ex, 200, requestBody(ex)));
    }

    // upstream: test_client_middleware_called
    @Test
    void clientMiddlewareCalled() throws Exception {
        AtomicInteger requestCount = new AtomicInteger();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "OK " + requestCount.incrementAndGet()))) {
            boolean[] called = {false};
            ClientMiddleware mw = (request, handler) -> {
                called[0] = true;
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(mw).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                    assertEquals("OK 1", r.text());
                }
                return null;
            });
            assertTrue(called[0]);
            assertEquals(1, requestCount.get());
        }
    }

    // upstream: test_client_middleware_retry
    @Test
    void clientMiddlewareRetry() throws Exception {
        AtomicInteger requestCount = new AtomicInteger();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            int n = requestCount.incrementAndGet();
            reply(ex, n == 1 ? 503 : 200, n == 1 ? "" : "OK " + n);
        })) {
            ClientMiddleware retry = (request, handler) -> {
                for (int i = 0; i < 2; i++) {
                    ClientResponse r = handler.send(request);
                    if (r.ok()) {
                        return r;
                    }
                    r.close();
                }
                throw new AssertionError("not reachable in test");
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(retry).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200, r.status());
                        assertEquals("OK 2", r.text());
                    }
                    assertEquals(0, s.poolStats().open() - s.poolStats().idle(), "no connection stays taken");
                }
                return null;
            });
            assertEquals(2, requestCount.get());
        }
    }

    // upstream: test_client_middleware_per_request
    @Test
    void clientMiddlewarePerRequest() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "OK"))) {
            List<String> calls = new CopyOnWriteArrayList<>();
            ClientMiddleware sessionMw = (request, handler) -> {
                calls.add("session");
                return handler.send(request);
            };
            ClientMiddleware requestMw = (request, handler) -> {
                calls.add("request");
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(sessionMw).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200, r.status());
                    }
                    assertEquals(List.of("session"), calls);
                    calls.clear();
                    try (ClientResponse r = s.get(srv.url("/"), RequestOption.middlewares(requestMw))) {
                        assertEquals(200, r.status());
                    }
                    assertEquals(List.of("request"), calls, "the request's middlewares replace the session's");
                }
                return null;
            });
        }
    }

    // upstream: test_multiple_client_middlewares
    @Test
    void multipleClientMiddlewares() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "OK"))) {
            List<String> calls = new ArrayList<>();
            ClientMiddleware mw1 = (request, handler) -> {
                calls.add("before1");
                ClientResponse r = handler.send(request);
                calls.add("after1");
                return r;
            };
            ClientMiddleware mw2 = (request, handler) -> {
                calls.add("before2");
                ClientResponse r = handler.send(request);
                calls.add("after2");
                return r;
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(mw1, mw2).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                }
                return null;
            });
            assertEquals(List.of("before1", "before2", "after2", "after1"), calls, "the first middleware wraps the second");
        }
    }

    // upstream: test_client_middleware_auth_example
    @Test
    void clientMiddlewareAuthExample() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            if ("Bearer valid-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 200, "Authenticated");
            } else {
                reply(ex, 401, "Unauthorized");
            }
        })) {
            ClientMiddleware auth = (request, handler) -> {
                request.headers().set("Authorization", "Bearer valid-token");
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create(); ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(401, r.status());
                }
                try (ClientSession s = ClientSession.builder().middlewares(auth).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                    assertEquals("Authenticated", r.text());
                }
                return null;
            });
        }
    }

    // upstream: test_client_middleware_challenge_auth
    @Test
    void clientMiddlewareChallengeAuth() throws Exception {
        AtomicInteger requestCount = new AtomicInteger();
        String challenge = "challenge-123";
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            int n = requestCount.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (n == 1 && auth == null) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Custom realm=\"test\", nonce=\"" + challenge + "\"");
                reply(ex, 401, "");
            } else if (("Custom response=\"" + challenge + "-secret\"").equals(auth)) {
                reply(ex, 200, "Authenticated");
            } else {
                reply(ex, 500, "invalid auth scenario");
            }
        })) {
            ClientMiddleware challengeAuth = (request, handler) -> {
                String nonce = null;
                boolean attempted = false;
                while (true) {
                    if (nonce != null && attempted) {
                        request.headers().set("Authorization", "Custom response=\"" + nonce + "-secret\"");
                    }
                    ClientResponse r = handler.send(request);
                    if (r.status() == 401 && !attempted) {
                        String www = r.headers().get("WWW-Authenticate");
                        assertTrue(www != null && www.contains("nonce="), "a challenge");
                        int start = www.indexOf("nonce=\"") + 7;
                        nonce = www.substring(start, www.indexOf('"', start));
                        attempted = true;
                        r.close();
                        continue;
                    }
                    return r;
                }
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(challengeAuth).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                    assertEquals("Authenticated", r.text());
                }
                return null;
            });
            assertEquals(2, requestCount.get(), "the first request and the retry with the answer");
        }
    }

    // upstream: test_client_middleware_multi_step_auth
    @Test
    void clientMiddlewareMultiStepAuth() throws Exception {
        Map<String, Integer> authState = new java.util.concurrent.ConcurrentHashMap<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            String clientId = ex.getRequestHeaders().getFirst("X-Client-ID");
            clientId = clientId == null ? "unknown" : clientId;
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            int step = authState.getOrDefault(clientId, 0);
            if (step == 0 && auth == null) {
                authState.put(clientId, 1);
                ex.getResponseHeaders().set("X-Auth-Step", "1");
                ex.getResponseHeaders().set("X-Session", "session-123");
                reply(ex, 401, "");
            } else if (step == 1 && "Bearer session-123".equals(auth)) {
                authState.put(clientId, 2);
                ex.getResponseHeaders().set("X-Auth-Step", "2");
                ex.getResponseHeaders().set("X-Challenge", "challenge-456");
                reply(ex, 401, "");
            } else if (step == 2 && "Bearer challenge-456-response".equals(auth)) {
                reply(ex, 200, "Authenticated");
            } else {
                reply(ex, 500, "invalid multi-step auth flow");
            }
        })) {
            int[] stepOf = {0};
            String[] sessionToken = {null};
            String[] challengeToken = {null};
            ClientMiddleware multiStep = (request, handler) -> {
                request.headers().set("X-Client-ID", "test-client");
                for (int i = 0; i < 3; i++) {
                    if (stepOf[0] == 1 && sessionToken[0] != null) {
                        request.headers().set("Authorization", "Bearer " + sessionToken[0]);
                    } else if (stepOf[0] == 2 && challengeToken[0] != null) {
                        request.headers().set("Authorization", "Bearer " + challengeToken[0] + "-response");
                    }
                    ClientResponse r = handler.send(request);
                    if (r.status() == 401) {
                        String step = r.headers().get("X-Auth-Step");
                        if ("1".equals(step)) {
                            sessionToken[0] = r.headers().get("X-Session");
                            stepOf[0] = 1;
                        } else if ("2".equals(step)) {
                            challengeToken[0] = r.headers().get("X-Challenge");
                            stepOf[0] = 2;
                        } else {
                            fail("Should not reach here");
                        }
                        r.close();
                        continue;
                    }
                    return r;
                }
                throw new AssertionError("Should not reach here");
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(multiStep).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                    assertEquals("Authenticated", r.text());
                }
                return null;
            });
        }
    }

    // upstream: test_client_middleware_conditional_retry (the token error read from the body)
    @Test
    void clientMiddlewareConditionalRetry() throws Exception {
        AtomicInteger requestCount = new AtomicInteger();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            int n = requestCount.incrementAndGet();
            if (n == 1) {
                reply(ex, 401, "{\"error\": \"token_expired\", \"refresh_required\": true}");
            } else if ("refreshed-token".equals(ex.getRequestHeaders().getFirst("X-Auth-Token"))) {
                reply(ex, 200, "{\"data\": \"success\"}");
            } else {
                reply(ex, 500, "invalid token refresh flow");
            }
        })) {
            String[] token = {"old-token"};
            boolean[] refreshed = {false};
            ClientMiddleware tokenRefresh = (request, handler) -> {
                for (int i = 0; i < 2; i++) {
                    request.headers().set("X-Auth-Token", token[0]);
                    ClientResponse r = handler.send(request);
                    if (r.status() == 401 && !refreshed[0]) {
                        String data = r.text(); // reads the body to the end: the connection goes back
                        assertTrue(data.contains("\"token_expired\"") && data.contains("\"refresh_required\": true"), data);
                        token[0] = "refreshed-token";
                        refreshed[0] = true;
                        continue;
                    }
                    return r;
                }
                throw new AssertionError("Should not reach here");
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(tokenRefresh).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200, r.status());
                        assertEquals("{\"data\": \"success\"}", r.text());
                    }
                    assertEquals(1, s.poolStats().created(), "the body read, the first connection was reused");
                }
                return null;
            });
            assertEquals(2, requestCount.get());
        }
    }

    // upstream: test_build_client_middlewares_empty
    @Test
    void buildClientMiddlewaresEmpty() {
        ClientHandler handler = request -> {
            throw new AssertionError("not called");
        };
        assertSame(handler, ClientSession.buildMiddlewares(handler, List.of()));
    }

    // upstream: test_client_middleware_class_based_auth
    @Test
    void clientMiddlewareClassBasedAuth() throws Exception {
        final class TokenAuthMiddleware implements ClientMiddleware {
            final String token;
            int requestCount;

            TokenAuthMiddleware(String token) {
                this.token = token;
            }

            @Override
            public ClientResponse handle(ClientRequest request, ClientHandler handler) {
                requestCount++;
                request.headers().set("Authorization", "Bearer " + token);
                return handler.send(request);
            }
        }
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            boolean ok = "Bearer test-token".equals(ex.getRequestHeaders().getFirst("Authorization"));
            reply(ex, ok ? 200 : 500, ok ? "Authenticated" : "no token");
        })) {
            TokenAuthMiddleware auth = new TokenAuthMiddleware("test-token");
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(auth).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                    assertEquals("Authenticated", r.text());
                }
                return null;
            });
            assertEquals(1, auth.requestCount);
        }
    }

    // upstream: test_client_middleware_stateful_retry
    @Test
    void clientMiddlewareStatefulRetry() throws Exception {
        final class RetryMiddleware implements ClientMiddleware {
            final int maxRetries;

            RetryMiddleware(int maxRetries) {
                this.maxRetries = maxRetries;
            }

            @Override
            public ClientResponse handle(ClientRequest request, ClientHandler handler) {
                int retryCount = 0;
                while (true) {
                    ClientResponse r = handler.send(request);
                    if (r.status() >= 500 && retryCount < maxRetries) {
                        retryCount++;
                        r.close();
                        continue;
                    }
                    return r;
                }
            }
        }
        AtomicInteger requestCount = new AtomicInteger();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            int n = requestCount.incrementAndGet();
            reply(ex, n < 3 ? 503 : 200, n < 3 ? "" : "Success");
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(new RetryMiddleware(2)).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                    assertEquals("Success", r.text());
                }
                return null;
            });
            assertEquals(3, requestCount.get(), "the first request and two retries");
        }
    }

    // upstream: test_client_middleware_multiple_instances
    @Test
    void clientMiddlewareMultipleInstances() throws Exception {
        final class HeaderMiddleware implements ClientMiddleware {
            final String name;
            final String value;
            boolean applied;

            HeaderMiddleware(String name, String value) {
                this.name = name;
                this.value = value;
            }

            @Override
            public ClientResponse handle(ClientRequest request, ClientHandler handler) {
                applied = true;
                request.headers().set(name, value);
                return handler.send(request);
            }
        }
        List<String> received = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            received.add(ex.getRequestHeaders().getFirst("X-Custom-1") + "," + ex.getRequestHeaders().getFirst("X-Custom-2"));
            reply(ex, 200, "OK");
        })) {
            HeaderMiddleware m1 = new HeaderMiddleware("X-Custom-1", "value1");
            HeaderMiddleware m2 = new HeaderMiddleware("X-Custom-2", "value2");
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(m1, m2).build();
                     ClientResponse r = s.get(srv.url("/"))) {
                    assertEquals(200, r.status());
                }
                return null;
            });
            assertTrue(m1.applied && m2.applied);
            assertEquals(List.of("value1,value2"), received);
        }
    }

    // upstream: test_request_middleware_overrides_session_middleware_with_empty
    @Test
    void requestMiddlewareOverridesSessionMiddlewareWithEmpty() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            reply(ex, 200, auth != null ? "Auth: " + auth : "No auth");
        })) {
            boolean[] called = {false};
            ClientMiddleware sessionMw = (request, handler) -> {
                called[0] = true;
                request.headers().set("Authorization", "Bearer session-token");
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(sessionMw).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals("Auth: Bearer session-token", r.text());
                        assertTrue(called[0]);
                    }
                    called[0] = false;
                    try (ClientResponse r = s.get(srv.url("/"), RequestOption.middlewares())) {
                        assertEquals(200, r.status());
                        assertEquals("No auth", r.text());
                        assertFalse(called[0], "middlewares() with none turns the session's off");
                    }
                }
                return null;
            });
        }
    }

    // upstream: test_request_middleware_overrides_session_middleware_with_specific
    @Test
    void requestMiddlewareOverridesSessionMiddlewareWithSpecific() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex ->
                reply(ex, 200, "Auth: " + ex.getRequestHeaders().getFirst("Authorization")))) {
            List<String> calls = new ArrayList<>();
            ClientMiddleware sessionMw = (request, handler) -> {
                calls.add("session");
                request.headers().set("Authorization", "Bearer session-token");
                return handler.send(request);
            };
            ClientMiddleware requestMw = (request, handler) -> {
                calls.add("request");
                request.headers().set("Authorization", "Bearer request-token");
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(sessionMw).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals("Auth: Bearer session-token", r.text());
                    }
                    assertEquals(List.of("session"), calls);
                    calls.clear();
                    try (ClientResponse r = s.get(srv.url("/"), RequestOption.middlewares(requestMw))) {
                        assertEquals("Auth: Bearer request-token", r.text());
                    }
                    assertEquals(List.of("request"), calls);
                }
                return null;
            });
        }
    }

    // upstream: test_client_middleware_exception_closes_connection (parametrized: ValueError,
    // ClientError, OSError); aio4j-only: also a middleware that throws after it got a response
    @ParameterizedTest
    @ValueSource(strings = {"IllegalArgumentException", "ClientError", "UncheckedIOException"})
    void clientMiddlewareExceptionClosesConnection(String kind) throws Exception {
        AtomicInteger reached = new AtomicInteger();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            reached.incrementAndGet();
            ex.sendResponseHeaders(200, 1 << 20); // more than the client buffers: the body stays pending
            ex.getResponseBody().write(new byte[1 << 20]);
        })) {
            RuntimeException error = switch (kind) {
                case "IllegalArgumentException" -> new IllegalArgumentException("Middleware error");
                case "ClientError" -> new ClientError("Client error from middleware", null);
                default -> new UncheckedIOException(new IOException("OS error from middleware"));
            };
            ClientMiddleware failingBefore = (request, handler) -> {
                throw error;
            };
            ClientMiddleware failingAfter = (request, handler) -> {
                handler.send(request); // a response with an unread body, dropped by the throw
                throw error;
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(failingBefore).build()) {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> s.get(srv.url("/")));
                    assertSame(error, e);
                    assertEquals(0, s.poolStats().open(), "no connection was made");
                    assertEquals(0, s.poolStats().created());
                    e = assertThrows(RuntimeException.class, () -> s.get(srv.url("/"), RequestOption.middlewares(failingAfter)));
                    assertSame(error, e);
                    assertEquals(0, s.poolStats().open(), "the dropped response's connection was closed: " + s.poolStats());
                    assertEquals(1, s.poolStats().created());
                }
                return null;
            });
            assertEquals(1, reached.get(), "only the second middleware let the request out");
        }
    }

    // upstream: test_client_middleware_blocks_connection_before_established
    @Test
    void clientMiddlewareBlocksConnectionBeforeEstablished() throws Exception {
        List<String> attempts = new ArrayList<>();
        java.util.Set<String> blocked = java.util.Set.of("blocked.example.com", "evil.com");
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "Reached"))) {
            ClientMiddleware blocking = (request, handler) -> {
                attempts.add(request.url().toString());
                if (blocked.contains(request.url().getHost())) {
                    throw new BlockedByMiddleware("Connection to " + request.url().getHost() + " is blocked", request.url());
                }
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(blocking).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200, r.status());
                        assertEquals("Reached", r.text());
                    }
                    BlockedByMiddleware e = assertThrows(BlockedByMiddleware.class, () -> s.get("https://blocked.example.com/"));
                    assertTrue(e.getMessage().contains("Connection to blocked.example.com is blocked"), e.getMessage());
                    e = assertThrows(BlockedByMiddleware.class, () -> s.get("https://evil.com/path"));
                    assertTrue(e.getMessage().contains("Connection to evil.com is blocked"), e.getMessage());
                    assertEquals(1, s.poolStats().created(), "only the allowed request connected");
                    assertEquals(0, s.poolStats().open() - s.poolStats().idle(), "no connection leaked: " + s.poolStats());
                }
                return null;
            });
            assertEquals(List.of(srv.url("/"), "https://blocked.example.com/", "https://evil.com/path"), attempts);
        }
    }

    // upstream: test_client_middleware_blocks_connection_without_dns_lookup (the lookups seen by
    // the trace's DNS signals instead of a resolver subclass)
    @Test
    void clientMiddlewareBlocksConnectionWithoutDnsLookup() throws Exception {
        TestHostsResolver.HOSTS.put(ALLOWED_HOST, List.of(TestServers.LOOPBACK));
        List<String> lookups = new CopyOnWriteArrayList<>();
        TraceConfig trace = new TraceConfig();
        trace.onDnsResolveHostStart().add((session, ctx, p) -> lookups.add(p.host()));
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "OK"))) {
            ClientMiddleware blocking = (request, handler) -> {
                if (request.url().getHost().equals("blocked.domain.tld")) {
                    throw new BlockedByMiddleware("Blocked by policy: " + request.url().getHost(), request.url());
                }
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(blocking).traceConfig(trace).build()) {
                    BlockedByMiddleware e = assertThrows(BlockedByMiddleware.class, () -> s.get("https://blocked.domain.tld/"));
                    assertTrue(e.getMessage().contains("Blocked by policy: blocked.domain.tld"), e.getMessage());
                    assertEquals(List.of(), lookups, "no lookup for the blocked host");
                    try (ClientResponse r = s.get("http://" + ALLOWED_HOST + ":" + srv.port() + "/")) {
                        assertEquals(200, r.status());
                    }
                    assertEquals(List.of(ALLOWED_HOST), lookups, "the allowed host was looked up");
                }
                return null;
            });
        }
    }

    // upstream: test_client_middleware_retry_reuses_connection
    @Test
    void clientMiddlewareRetryReusesConnection() throws Exception {
        AtomicInteger requestCount = new AtomicInteger();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            int n = requestCount.incrementAndGet();
            reply(ex, n == 1 ? 400 : 200, n == 1 ? "" : "OK");
        })) {
            int[] attempts = {0};
            ClientMiddleware retryOnce = (request, handler) -> {
                int retryCount = 0;
                while (true) {
                    attempts[0]++;
                    ClientResponse r = handler.send(request);
                    if (r.status() == 400 && retryCount == 0) {
                        retryCount++;
                        continue; // as upstream, not closed: a response without a body released its connection at once
                    }
                    return r;
                }
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(retryOnce).build()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200, r.status());
                        assertEquals("OK", r.text());
                    }
                    assertEquals(1, s.poolStats().created(), "one connection: " + s.poolStats());
                    assertEquals(1, s.poolStats().reused());
                }
                return null;
            });
            assertEquals(2, attempts[0]);
            assertEquals(1, srv.clientPorts.size());
        }
    }

    // upstream: test_middleware_uses_session_avoids_recursion_with_path_check
    @Test
    void middlewareUsesSessionAvoidsRecursionWithPathCheck() throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk logSrv = new TestServers.Jdk().handle("/log", ex -> {
                 logs.add(requestBody(ex));
                 reply(ex, 200, "OK");
             });
             TestServers.Jdk mainSrv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "Hello from " + ex.getRequestURI().getPath()))) {
            ClientMiddleware log = (request, handler) -> {
                if (!request.url().getPath().equals("/log")) {
                    try (ClientResponse r = request.session().post(logSrv.url("/log"),
                            RequestOption.body(request.method() + " " + request.url(), "application/json"))) {
                        assertEquals(200, r.status());
                    }
                }
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(log).build()) {
                    try (ClientResponse r = s.get(mainSrv.url("/test"))) {
                        assertEquals(200, r.status());
                        assertEquals("Hello from /test", r.text());
                    }
                    try (ClientResponse r = s.post(logSrv.url("/log"), RequestOption.body("DIRECT_POST manual_test_entry"))) {
                        assertEquals(200, r.status());
                    }
                }
                return null;
            });
            assertEquals(List.of("GET " + mainSrv.url("/test"), "DIRECT_POST manual_test_entry"), logs);
        }
    }

    // upstream: test_middleware_uses_session_avoids_recursion_with_disabled_middleware
    @Test
    void middlewareUsesSessionAvoidsRecursionWithDisabledMiddleware() throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk logSrv = new TestServers.Jdk().handle("/log", ex -> {
                 logs.add(requestBody(ex));
                 reply(ex, 200, "OK");
             });
             TestServers.Jdk mainSrv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "Hello from " + ex.getRequestURI().getPath()))) {
            ClientMiddleware log = (request, handler) -> {
                try (ClientResponse r = request.session().post(logSrv.url("/log"),
                        RequestOption.body(request.method() + " " + request.url(), "application/json"),
                        RequestOption.middlewares())) { // prevents the recursion
                    assertEquals(200, r.status());
                }
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(log).build()) {
                    try (ClientResponse r = s.get(mainSrv.url("/test"))) {
                        assertEquals("Hello from /test", r.text());
                    }
                    try (ClientResponse r = s.get(mainSrv.url("/another"))) {
                        assertEquals(200, r.status());
                    }
                }
                return null;
            });
            assertEquals(List.of("GET " + mainSrv.url("/test"), "GET " + mainSrv.url("/another")), logs);
        }
    }

    // upstream: test_middleware_can_check_request_body
    @Test
    void middlewareCanCheckRequestBody() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/api", ex -> {
            bodies.add(requestBody(ex));
            signatures.add(ex.getRequestHeaders().getFirst("CUSTOM-AUTH"));
            reply(ex, 200, "OK");
        })) {
            String secret = "test-secret-key";
            ClientMiddleware customAuth = (request, handler) -> {
                String data = new String(request.body(), StandardCharsets.UTF_8);
                if (data.isEmpty()) {
                    data = "{}";
                }
                request.headers().set("CUSTOM-AUTH",
                        "SIGNATURE-" + secret + "-" + data.length() + "-" + data.substring(0, Math.min(10, data.length())));
                return handler.send(request);
            };
            String json1 = "{\"user\": \"alice\", \"action\": \"login\"}";
            String json2 = "{\"user\": \"bob\", \"value\": 42}";
            String text = "plain text body";
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(customAuth).build()) {
                    try (ClientResponse r = s.post(srv.url("/api"), RequestOption.body(json1, "application/json"))) {
                        assertEquals(200, r.status());
                    }
                    try (ClientResponse r = s.post(srv.url("/api"), RequestOption.body(json2, "application/json"))) {
                        assertEquals(200, r.status());
                    }
                    try (ClientResponse r = s.get(srv.url("/api"))) {
                        assertEquals(200, r.status());
                    }
                    try (ClientResponse r = s.post(srv.url("/api"), RequestOption.body(text, "text/plain"))) {
                        assertEquals(200, r.status());
                    }
                }
                return null;
            });
            assertEquals(List.of("SIGNATURE-test-secret-key-" + json1.length() + "-" + json1.substring(0, 10),
                    "SIGNATURE-test-secret-key-" + json2.length() + "-" + json2.substring(0, 10),
                    "SIGNATURE-test-secret-key-2-{}",
                    "SIGNATURE-test-secret-key-" + text.length() + "-" + text.substring(0, 10)), signatures);
            assertEquals(List.of(json1, json2, "", text), bodies);
        }
    }

    // aio4j-only: body() reads a file body (and leaves it to be sent), refuses a one-shot stream
    @Test
    void middlewareReadsFileBodyAndRefusesStream() throws Exception {
        Path file = Files.createTempFile("aio4j-mw", ".txt");
        Files.writeString(file, "file contents");
        List<String> seen = new ArrayList<>();
        try (TestServers.Jdk srv = echo()) {
            ClientMiddleware reader = (request, handler) -> {
                try {
                    seen.add(new String(request.body(), StandardCharsets.UTF_8));
                } catch (IllegalStateException e) {
                    seen.add(e.getMessage());
                }
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(reader).build()) {
                    try (ClientResponse r = s.post(srv.url("/"), RequestOption.file(file))) {
                        assertEquals("file contents", r.text());
                    }
                    try (ClientResponse r = s.post(srv.url("/"), RequestOption.chunks(List.of("a".getBytes(), "b".getBytes())))) {
                        assertEquals("ab", r.text(), "the stream is still sent");
                    }
                }
                return null;
            });
            assertEquals("file contents", seen.get(0));
            assertTrue(seen.get(1).startsWith("ClientRequest.body() cannot read a one-shot streamed body without sending it (POST "),
                    seen.get(1));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // upstream: test_client_middleware_update_shorter_body
    @Test
    void clientMiddlewareUpdateShorterBody() throws Exception {
        assertEquals("short body", postThrough((request, handler) -> {
            request.updateBody("short body".getBytes(StandardCharsets.UTF_8));
            return handler.send(request);
        }, RequestOption.body("original body".getBytes(StandardCharsets.UTF_8))));
    }

    // upstream: test_client_middleware_update_longer_body
    @Test
    void clientMiddlewareUpdateLongerBody() throws Exception {
        assertEquals("much much longer body", postThrough((request, handler) -> {
            request.updateBody("much much longer body".getBytes(StandardCharsets.UTF_8));
            return handler.send(request);
        }, RequestOption.body("original body".getBytes(StandardCharsets.UTF_8))));
    }

    // upstream: test_client_middleware_update_string_body
    @Test
    void clientMiddlewareUpdateStringBody() throws Exception {
        assertEquals("this is a string", postThrough((request, handler) -> {
            request.updateBody("this is a string");
            return handler.send(request);
        }, RequestOption.body("original string")));
    }

    // upstream: test_client_middleware_switch_types
    @Test
    void clientMiddlewareSwitchTypes() throws Exception {
        assertEquals("now a string", postThrough((request, handler) -> {
            request.updateBody("now a string");
            return handler.send(request);
        }, RequestOption.body("original bytes".getBytes(StandardCharsets.UTF_8))));
    }

    // aio4j-only: updateBody with a body option (a form, chunks), with null (no body), and with a
    // non-body option (refused)
    @Test
    void updateBodyWithOptions() throws Exception {
        assertEquals("a=1&b=x+y", postThrough((request, handler) -> {
            request.updateBody(RequestOption.form("a", "1", "b", "x y"));
            return handler.send(request);
        }, RequestOption.body("original")));
        assertEquals("chunked", postThrough((request, handler) -> {
            request.updateBody(RequestOption.chunks(List.of("chun".getBytes(), "ked".getBytes())));
            return handler.send(request);
        }, RequestOption.body("original")));
        assertEquals("", postThrough((request, handler) -> {
            request.updateBody((RequestOption) null);
            return handler.send(request);
        }, RequestOption.body("original")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> postThrough((request, handler) -> {
            request.updateBody(RequestOption.header("X", "y"));
            return handler.send(request);
        }, RequestOption.body("original")));
        assertEquals("ClientRequest.updateBody takes a body option (body, form, data, file, chunks, json) or null, got "
                + "RequestOption[headers]", e.getMessage());
    }

    /** POSTs through {@code mw} to an echo server and returns what it echoed. */
    private static String postThrough(ClientMiddleware mw, RequestOption body) throws Exception {
        try (TestServers.Jdk srv = echo()) {
            return Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(mw).build();
                     ClientResponse r = s.post(srv.url("/"), body)) {
                    assertEquals(200, r.status());
                    return r.text();
                }
            });
        }
    }

    // ------------------------------------------------------------------ aio4j-only

    // aio4j-only (aiohttp: the chain wraps _connect_and_send_request on every pass of the redirect loop)
    @Test
    void middlewaresRunOnEachRedirectHop() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/a", ex -> {
                    ex.getResponseHeaders().set("Location", "/b");
                    reply(ex, 302, "");
                })
                .handle("/b", ex -> {
                    ex.getResponseHeaders().set("Location", "/c");
                    reply(ex, 307, "");
                })
                .handle("/c", ex -> reply(ex, 200, "hop " + ex.getRequestHeaders().getFirst("X-Hop")))) {
            List<String> hops = new ArrayList<>();
            ClientMiddleware outer = (request, handler) -> {
                hops.add("outer " + request.method() + " " + request.url().getPath());
                request.headers().set("X-Hop", String.valueOf(hops.size()));
                return handler.send(request);
            };
            ClientMiddleware inner = (request, handler) -> {
                hops.add("inner " + request.url().getPath());
                ClientResponse r = handler.send(request);
                hops.add("inner got " + r.status());
                return r;
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(outer, inner).build()) {
                    try (ClientResponse r = s.post(srv.url("/a"), RequestOption.body("x"))) {
                        assertEquals(200, r.status());
                        assertEquals("hop 7", r.text(), "the last hop's middlewares set the header");
                        assertEquals(List.of(302, 307), r.history().stream().map(ClientResponse::status).toList());
                    }
                    assertEquals(0, s.poolStats().open() - s.poolStats().idle());
                }
                return null;
            });
            assertEquals(List.of("outer POST /a", "inner /a", "inner got 302",
                    "outer GET /b", "inner /b", "inner got 307",
                    "outer GET /c", "inner /c", "inner got 200"), hops);
        }
    }

    // aio4j-only (aiohttp: a 307/308 follow-up is built with data=req._body, the body as the
    // middlewares left it, not the caller's)
    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void redirectKeepsTheMiddlewaresUpdatedBody(int status) throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/a", ex -> {
                    requestBody(ex);
                    ex.getResponseHeaders().set("Location", "/b");
                    reply(ex, status, "");
                })
                .handle("/b", ex -> reply(ex, 200, "b got " + requestBody(ex)))) {
            List<String> seen = new ArrayList<>();
            ClientMiddleware seal = (request, handler) -> {
                seen.add(request.url().getPath() + " " + new String(request.body(), StandardCharsets.UTF_8));
                if (request.url().getPath().equals("/a")) {
                    request.updateBody("sealed(" + new String(request.body(), StandardCharsets.UTF_8) + ")");
                }
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(seal).build();
                     ClientResponse r = s.post(srv.url("/a"), RequestOption.body("plain"))) {
                    assertEquals(200, r.status());
                    assertEquals("b got sealed(plain)", r.text());
                }
                return null;
            });
            assertEquals(List.of("/a plain", "/b sealed(plain)"), seen);
        }
    }

    // aio4j-only (aiohttp: the one retry of an idempotent request on a stale pooled connection is
    // the `continue` of _request's loop, which builds the handler chain again): the middleware sees
    // the failure, then the retry
    @Test
    void staleConnectionRetryRunsTheMiddlewaresAgain() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted(
                (s, in, out) -> {
                    TestServers.readHead(in);
                    TestServers.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
                    TestServers.readHead(in); // the second request arrives, and the server hangs up without a byte
                },
                (s, in, out) -> {
                    String head = TestServers.readHead(in);
                    String call = head.lines().filter(l -> l.regionMatches(true, 0, "X-Call:", 0, 7)).findFirst().orElse("none");
                    String body = call.substring(call.indexOf(':') + 1).strip();
                    TestServers.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                    Thread.sleep(300);
                })) {
            List<String> calls = new ArrayList<>();
            ClientMiddleware count = (request, handler) -> {
                calls.add(request.url().getPath());
                request.headers().set("X-Call", String.valueOf(calls.size()));
                try {
                    return handler.send(request);
                } catch (ServerDisconnectedError e) {
                    calls.add("failed");
                    throw e;
                }
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(count).build()) {
                    try (ClientResponse r = s.get(srv.url("/a"))) {
                        assertEquals("hello", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/b"))) {
                        assertEquals("4", r.text(), "the retry went through the middleware again");
                    }
                    assertEquals(0, s.poolStats().open() - s.poolStats().idle());
                }
                return null;
            });
            assertEquals(List.of("/a", "/b", "failed", "/b"), calls);
            assertEquals(2, srv.accepted);
        }
    }

    // aio4j-only: a middleware that turns the stale connection's failure into its own stops the retry
    @Test
    void staleConnectionFailureAMiddlewareReplacesIsNotRetried() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted(
                (s, in, out) -> {
                    TestServers.readHead(in);
                    TestServers.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
                    TestServers.readHead(in);
                },
                (s, in, out) -> { // only reached if the session retried behind the middleware's back
                    TestServers.readHead(in);
                    TestServers.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nretried");
                    Thread.sleep(300);
                })) {
            AtomicInteger calls = new AtomicInteger();
            ClientMiddleware wrap = (request, handler) -> {
                calls.incrementAndGet();
                try {
                    return handler.send(request);
                } catch (ServerDisconnectedError e) {
                    throw new BlockedByMiddleware("gave up", request.url());
                }
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(wrap).build()) {
                    try (ClientResponse r = s.get(srv.url("/a"))) {
                        assertEquals("hello", r.text());
                    }
                    assertThrows(BlockedByMiddleware.class, () -> s.get(srv.url("/b")));
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
            assertEquals(2, calls.get());
            assertEquals(1, srv.accepted);
        }
    }

    // aio4j-only: a middleware may answer without the network, and must not answer null
    @Test
    void middlewareAnswersWithoutHandlerOrReturnsNull() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> reply(ex, 200, "from the server"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().build()) {
                    ClientResponse cached;
                    try (ClientSession other = ClientSession.create()) {
                        cached = other.get(srv.url("/"));
                        String body = cached.text();
                        assertEquals("from the server", body);
                        ClientMiddleware cache = (request, handler) -> cached;
                        try (ClientResponse r = s.get("http://cache.invalid/", RequestOption.middlewares(cache))) {
                            assertSame(cached, r);
                        }
                    }
                    assertEquals(0, s.poolStats().created(), "no connection made");
                    ClientMiddleware none = (request, handler) -> null;
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> s.get(srv.url("/"), RequestOption.middlewares(none)));
                    assertEquals("a ClientMiddleware returned null for GET " + srv.url("/")
                            + "; return the handler's response, or one of your own, or throw", e.getMessage());
                }
                return null;
            });
        }
    }

    // aio4j-only: responses a middleware dropped without closing them are closed when it returns,
    // so their connections are not held by nobody; a retry of the same request sends the body again
    @Test
    void droppedResponsesAreClosedWhenTheMiddlewareReturns() throws Exception {
        AtomicInteger requestCount = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            bodies.add(requestBody(ex));
            int n = requestCount.incrementAndGet();
            reply(ex, n == 1 ? 503 : 200, n == 1 ? "a body nobody reads" : "OK");
        })) {
            List<ClientResponse> dropped = new ArrayList<>();
            ClientMiddleware sloppyRetry = (request, handler) -> {
                ClientResponse first = handler.send(request);
                dropped.add(first);
                return handler.send(request); // first is neither read nor closed
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(sloppyRetry).build()) {
                    try (ClientResponse r = s.put(srv.url("/"), RequestOption.body("payload"))) {
                        assertEquals(200, r.status());
                        assertTrue(dropped.get(0).isClosed(), dropped.get(0).toString());
                        assertEquals(1, s.poolStats().open(), "the dropped response's connection was closed: " + s.poolStats());
                        assertEquals("OK", r.text());
                    }
                }
                return null;
            });
            assertEquals(List.of("payload", "payload"), bodies);
        }
    }

    // aio4j-only: the request's settings stay (method, URL read-only; headers are a copy per hop)
    @Test
    void headersAreACopyPerHop() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex ->
                reply(ex, 200, String.valueOf(ex.getRequestHeaders().getFirst("X-Default"))))) {
            Headers seen = new Headers();
            ClientMiddleware remover = (request, handler) -> {
                seen.addAll(request.headers());
                request.headers().remove("X-Default");
                assertEquals("ClientRequest[GET " + srv.url("/") + ", body=None]", request.toString());
                return handler.send(request);
            };
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().header("X-Default", "d").build()) {
                    try (ClientResponse r = s.get(srv.url("/"), RequestOption.middlewares(remover))) {
                        assertEquals("null", r.text(), "the middleware removed the default header");
                    }
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals("d", r.text(), "the session's defaults were not changed");
                    }
                }
                return null;
            });
            assertEquals("d", seen.get("X-Default"));
            assertNull(seen.get("Host"), "what the session adds is not in the middleware's headers");
        }
    }

    // aio4j-only: bad arguments
    @Test
    void nullMiddlewaresAreRefused() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ClientSession.builder().middlewares((request, handler) -> handler.send(request), null));
        assertEquals("middlewares[1] must not be null", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> RequestOption.middlewares((ClientMiddleware) null));
        assertEquals("middlewares[0] must not be null", e.getMessage());
    }

    // aiohttp's ClientRequest: self.original_url = url; self.url = url.with_fragment(None) (the
    // fragment is never sent): a middleware's request.url has no fragment, original_url keeps it,
    // on every hop (aio4j-only test)
    @Test
    void requestUrlDropsTheFragmentOriginalUrlKeepsIt() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/a", ex -> {
                    ex.getResponseHeaders().set("Location", "/b#there");
                    reply(ex, 302, "");
                })
                .handle("/b", ex -> reply(ex, 200, "b"))) {
            List<String> seen = new ArrayList<>();
            ClientMiddleware mw = (request, handler) -> {
                seen.add(request.url() + " " + request.originalUrl() + " " + request);
                return handler.send(request);
            };
            String base = srv.url("");
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().middlewares(mw).build();
                     ClientResponse r = s.get(base + "/a?q=1#frag")) {
                    assertEquals("b", r.text());
                }
                try (ClientSession s = ClientSession.builder().middlewares(mw).build();
                     ClientResponse r = s.get(base + "/b")) {
                    assertEquals("b", r.text());
                }
                return null;
            });
            assertEquals(List.of(
                    base + "/a?q=1 " + base + "/a?q=1#frag ClientRequest[GET " + base + "/a?q=1, body=None]",
                    base + "/b " + base + "/b#there ClientRequest[GET " + base + "/b, body=None]",
                    base + "/b " + base + "/b ClientRequest[GET " + base + "/b, body=None]"), seen);
        }
    }
}
