package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TraceConfig}: mirrors the request-tracing tests of aiohttp's
 * tests/test_client_functional.py ({@code test_request_tracing}, {@code
 * test_request_tracing_exception}, {@code test_request_tracing_url_params}) and
 * tests/test_tracing.py (frozen configs, one context per request), against the JDK's server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TraceConfigTest {
    private static TraceConfig recording(List<String> events) {
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> {
            ctx.put("started", p.url().getPath());
            events.add("start " + p.method() + " " + p.url().getPath());
        });
        tc.onConnectionCreateStart().add((s, ctx, p) -> events.add("create-start " + p.url().getPath()));
        tc.onConnectionCreateEnd().add((s, ctx, p) -> events.add("create-end " + p.url().getPath()));
        tc.onConnectionReuseconn().add((s, ctx, p) -> events.add("reuse " + p.url().getPath()));
        tc.onRequestRedirect().add((s, ctx, p) -> events.add("redirect " + p.url().getPath() + " " + p.response().status()));
        tc.onResponseChunkReceived().add((s, ctx, p) -> events.add("chunk " + new String(p.chunk())));
        tc.onRequestEnd().add((s, ctx, p) -> events.add("end " + p.url().getPath() + " " + p.response().status()
                + " ctx=" + ctx.get("started")));
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.exception().getClass().getSimpleName()));
        return tc;
    }

    @Test
    void requestTracingThroughARedirect() throws Exception { // aiohttp: test_request_tracing
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/redirect", ex -> {
                ex.getResponseHeaders().add("Location", "/ok");
                ex.sendResponseHeaders(302, -1);
            }).handle("/ok", ex -> TestServers.send(ex, 200, "fine"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(recording(events)).build()) {
                    try (ClientResponse r = s.get(srv.url("/redirect"))) {
                        assertEquals("fine", r.text());
                    }
                    PoolStats stats = s.poolStats();
                    assertEquals(1, stats.created(), stats.toString());
                    assertEquals(1, stats.reused(), "the redirect reused the connection: " + stats);
                    assertEquals(1, stats.idle(), stats.toString());
                }
                return null;
            });
        }
        assertEquals(List.of("start GET /redirect", "create-start /redirect", "create-end /redirect", "redirect /redirect 302",
                "reuse /ok", "end /ok 200 ctx=/redirect", "chunk fine"), events);
    }

    // aiohttp: test_request_tracing_url_params. _request's `url` is the redirect's target once it is
    // followed, so on_request_end names the URL the request ended at (on_request_start and
    // on_request_redirect the one they were sent to), and on_request_exception the URL of the hop
    // that failed; the query given as params is part of the URL
    @Test
    void requestTracingUrlParams() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> events.add("start " + p.url()));
        tc.onRequestRedirect().add((s, ctx, p) -> events.add("redirect " + p.url()));
        tc.onRequestEnd().add((s, ctx, p) -> events.add("end " + p.url()));
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.url()));
        tc.onRequestHeadersSent().add((s, ctx, p) -> events.add("headers " + p.url()));
        int dead;
        try (ServerSocket ss = new ServerSocket(0)) {
            dead = ss.getLocalPort();
        }
        String gone = "http://127.0.0.1:" + dead + "/";
        List<String> expected = new java.util.ArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/redirect", ex -> {
                ex.getResponseHeaders().add("Location", "/");
                ex.sendResponseHeaders(302, -1);
            }).handle("/gone", ex -> {
                ex.getResponseHeaders().add("Location", gone);
                ex.sendResponseHeaders(302, -1);
            }).handle("/", ex -> TestServers.send(ex, 200, ""));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    for (RequestOption[] given : List.of(new RequestOption[0], new RequestOption[] {RequestOption.params("x", "0")})) {
                        String q = given.length == 0 ? "?x=0" : "";
                        try (ClientResponse r = s.get(srv.url("/" + q), given)) {
                            r.text();
                        }
                        expected.addAll(List.of("start " + srv.url("/?x=0"), "headers " + srv.url("/?x=0"), "end " + srv.url("/?x=0")));
                        try (ClientResponse r = s.get(srv.url("/redirect" + q), given)) {
                            r.text();
                        }
                        expected.addAll(List.of("start " + srv.url("/redirect?x=0"), "headers " + srv.url("/redirect?x=0"),
                                "redirect " + srv.url("/redirect?x=0"), "headers " + srv.url("/"), "end " + srv.url("/")));
                    }
                    assertThrows(ClientConnectorError.class, () -> s.get(srv.url("/gone")));
                    // the hop that could not connect sent no head
                    expected.addAll(List.of("start " + srv.url("/gone"), "headers " + srv.url("/gone"), "redirect " + srv.url("/gone"),
                            "exception " + gone));
                }
                return null;
            });
        }
        assertEquals(expected, events);
    }

    @Test
    void redirectTraceNamesTheUrlAsRequestedFragmentKept() throws Exception { // aiohttp: send_request_redirect(method, url, ...)
        // aiohttp passes the URL the loop requested (the caller's, fragment kept), as on_request_start does;
        // response.url() has no fragment since stop 30, so the trace must not take it from there
        List<String> urls = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> urls.add("start " + p.url().getRawFragment()));
        tc.onRequestRedirect().add((s, ctx, p) -> urls.add("redirect " + p.url().getRawFragment()));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/redirect", ex -> {
                ex.getResponseHeaders().add("Location", "/ok");
                ex.sendResponseHeaders(302, -1);
            }).handle("/ok", ex -> TestServers.send(ex, 200, "fine"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build();
                     ClientResponse r = s.get(srv.url("/redirect#frag"))) {
                    assertEquals("fine", r.text());
                }
                return null;
            });
        }
        assertEquals(List.of("start frag", "redirect frag"), urls);
    }

    @Test
    void requestTracingException() throws Exception { // aiohttp: test_request_tracing_exception
        List<String> events = new CopyOnWriteArrayList<>();
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().traceConfig(recording(events)).build()) {
                assertThrows(ClientConnectorError.class, () -> s.get("http://127.0.0.1:" + port + "/x"));
            }
            return null;
        });
        assertEquals(List.of("start GET /x", "create-start /x", "exception ClientConnectorError"), events);
    }

    // aiohttp's _ws_connect sends the handshake through _request, whose except BaseException sends
    // send_request_exception: a wsConnect cancelled while it waits for the 101 fires it once, with
    // the cancellation, no on_request_end, and its connection is closed
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCancelledWsConnectIsTracedOnceAsAnException() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CountDownLatch received = new CountDownLatch(1);
            Thread server = Thread.ofVirtual().start(() -> {
                try (java.net.Socket c = ss.accept()) {
                    c.getInputStream().read(new byte[4096]); // the handshake arrived; it is never answered
                    received.countDown();
                    c.getInputStream().read(new byte[4096]); // until the client closes
                } catch (java.io.IOException ignored) {
                    // the test ends the socket
                }
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(recording(events)).build()) {
                    var t = Aio.createTask(() -> s.wsConnect("ws://127.0.0.1:" + ss.getLocalPort() + "/x"));
                    while (received.getCount() > 0) {
                        Aio.sleep(0.01);
                    }
                    t.cancel();
                    assertThrows(dev.aio4j.loop.CancelledError.class, t::await);
                    assertEquals(0, s.openConnections(), "the cancelled handshake's connection is closed");
                }
                return null;
            });
            server.join(10_000);
        }
        assertEquals(List.of("start GET /x", "create-start /x", "create-end /x", "exception CancelledError"), events);
    }

    // aiohttp _request: raise_for_status runs before send_request_end, inside the try whose except
    // sends send_request_exception, so a refused status is traced as an exception, never as an end
    @Test
    void raiseForStatusIsTracedAsAnException() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/missing", ex -> TestServers.send(ex, 404, "no"))
                    .handle("/ok", ex -> TestServers.send(ex, 200, "fine"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().raiseForStatus(true).traceConfig(recording(events)).build()) {
                    assertEquals(404, assertThrows(ClientResponseError.class, () -> s.get(srv.url("/missing"))).status());
                    try (ClientResponse r = s.get(srv.url("/ok"))) {
                        assertEquals("fine", r.text());
                    }
                    assertEquals(s.idleConnections(), s.openConnections(), "the refused response's connection is not in use");
                }
                return null;
            });
        }
        assertEquals(List.of("start GET /missing", "create-start /missing", "create-end /missing", "exception ClientResponseError",
                "start GET /ok", "reuse /ok", "end /ok 200 ctx=/ok", "chunk fine"), events);
    }

    /**
     * aiohttp's _request sends send_request_end inside the try whose except sends
     * send_request_exception: an on_request_end callback that raises is followed by
     * on_request_exception with that error, and the request fails with it.
     */
    @Test
    void aRequestEndCallbackThatThrowsIsTracedAsAnException() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        RuntimeException boom = new IllegalStateException("boom in on_request_end");
        TraceConfig tc = new TraceConfig();
        tc.onRequestEnd().add((s, ctx, p) -> {
            events.add("end " + p.url().getPath());
            throw boom;
        });
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.exception().getMessage()));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/ok", ex -> TestServers.send(ex, 200, "fine"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    assertSame(boom, assertThrows(IllegalStateException.class, () -> s.get(srv.url("/ok"))));
                    assertEquals(s.idleConnections(), s.openConnections(), "the response's connection is not in use");
                }
                return null;
            });
        }
        assertEquals(List.of("end /ok", "exception boom in on_request_end"), events);
    }

    @Test
    void queuedAtTheLimit() throws Exception { // aiohttp: on_connection_queued_start/end
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(1);
        TraceConfig tc = new TraceConfig();
        tc.onConnectionQueuedStart().add((s, ctx, p) -> events.add("queued"));
        tc.onConnectionQueuedEnd().add((s, ctx, p) -> events.add("dequeued"));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/slow", ex -> {
                try {
                    both.await(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                TestServers.send(ex, 200, "ok");
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().limit(1).traceConfig(tc).build()) {
                    var a = Aio.createTask(() -> {
                        try (ClientResponse r = s.get(srv.url("/slow"))) {
                            return r.text();
                        }
                    });
                    var b = Aio.createTask(() -> {
                        try (ClientResponse r = s.get(srv.url("/slow"))) {
                            return r.text();
                        }
                    });
                    assertEquals(List.of("ok", "ok"), Aio.gather(a, b).await());
                    assertEquals(1, s.poolStats().queued());
                    assertEquals(0, s.poolStats().waiting());
                }
                return null;
            });
        }
        assertEquals(List.of("queued", "dequeued"), events);
    }

    @Test
    void aConfigIsFrozenOnceASessionUsesIt() { // aiohttp: test_tracing.py test_freeze
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> { });
        Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> tc.onRequestEnd().add((x, ctx, p) -> { }));
                assertTrue(e.getMessage().contains("frozen"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> tc.onRequestHeadersSent().add((x, ctx, p) -> { }));
            }
            return null;
        });
        assertEquals(1, tc.onRequestStart().size());
    }

    @Test
    void aCallbackExceptionPropagatesToTheRequest() throws Exception { // aiohttp: signals are awaited inline
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> {
            throw new IllegalArgumentException("refused by the tracer");
        });
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, "ok"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    assertInstanceOf(IllegalArgumentException.class, assertThrows(RuntimeException.class, () -> s.get(srv.url("/"))));
                    assertEquals(0, s.poolStats().created(), "nothing was sent");
                }
                return null;
            });
        }
    }

    @Test
    void dnsResolutionAndItsCache() throws Exception { // aiohttp: on_dns_resolvehost_start/end, on_dns_cache_hit/miss
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onDnsCacheMiss().add((s, ctx, p) -> events.add("miss " + p.host()));
        tc.onDnsResolveHostStart().add((s, ctx, p) -> events.add("resolve-start " + p.host()));
        tc.onDnsResolveHostEnd().add((s, ctx, p) -> events.add("resolve-end " + p.host()));
        tc.onDnsCacheHit().add((s, ctx, p) -> events.add("hit " + p.host()));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, "ok"));
            String byName = "http://localhost:" + srv.port() + "/";
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    for (int i = 0; i < 2; i++) { // Connection: close, so each request makes a new connection
                        try (ClientResponse r = s.get(byName, RequestOption.header("Connection", "close"))) {
                            assertEquals("ok", r.text());
                        }
                    }
                    try (ClientResponse r = s.get(srv.url("/"))) { // an IP literal is not looked up
                        assertEquals("ok", r.text());
                    }
                }
                return null;
            });
        }
        assertEquals(List.of("miss localhost", "resolve-start localhost", "resolve-end localhost", "hit localhost"), events);
    }

    @Test
    void requestChunksSent() throws Exception { // aiohttp: on_request_chunk_sent
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestChunkSent().add((s, ctx, p) -> events.add(p.method() + " " + new String(p.chunk())));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, new String(ex.getRequestBody().readAllBytes())));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    try (ClientResponse r = s.post(srv.url("/"), RequestOption.body("small"))) {
                        assertEquals("small", r.text());
                    }
                    try (ClientResponse r = s.put(srv.url("/"), RequestOption.chunks(List.of("a".getBytes(), "bc".getBytes())))) {
                        assertEquals("abc", r.text());
                    }
                }
                return null;
            });
        }
        assertEquals(List.of("POST small", "PUT a", "PUT bc"), events);
    }

    // aiohttp's ClientRequest hands its writer on_chunk_sent=partial(_on_chunk_request_sent, method,
    // self.url), and ClientResponse.read sends send_response_chunk_received(method, self.url, ...):
    // both the request's and the response's url, which have no fragment (with_fragment(None)),
    // as on_request_headers_sent's has none; on_request_start keeps the caller's fragment
    @Test
    void chunkTracesNameTheUrlWithoutItsFragment() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> events.add("start fragment=" + p.url().getRawFragment()));
        tc.onRequestChunkSent().add((s, ctx, p) -> events.add("sent " + new String(p.chunk()) + " " + p.url()));
        tc.onResponseChunkReceived().add((s, ctx, p) -> events.add("received " + new String(p.chunk()) + " " + p.url()));
        String[] url = new String[1];
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, new String(ex.getRequestBody().readAllBytes())));
            url[0] = srv.url("/?q=1");
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build();
                     ClientResponse r = s.post(url[0] + "#frag", RequestOption.body("small"))) {
                    assertEquals("small", r.text());
                }
                return null;
            });
        }
        assertEquals(List.of("start fragment=frag", "sent small " + url[0], "received small " + url[0]), events);
    }

    /** A body too large to arrive with the head: a response that is not closed keeps its connection. */
    private static final byte[] BIG = TestServers.payload(1 << 20, 7);

    /** A server with /big (1 MiB), /redirect (302 to /big) and /echo (the request body back). */
    private static TestServers.Jdk bigServer() throws java.io.IOException {
        return new TestServers.Jdk().handle("/big", ex -> TestServers.send(ex, 200, BIG))
                .handle("/redirect", ex -> {
                    ex.getResponseHeaders().add("Location", "/big");
                    ex.sendResponseHeaders(302, -1);
                })
                .handle("/echo", ex -> TestServers.send(ex, 200, ex.getRequestBody().readAllBytes()));
    }

    /** Asserts nothing is in use or waiting, and that the one slot of limit(1) is free for another request. */
    static void assertNothingStranded(ClientSession s, String big) {
        PoolStats st = s.poolStats();
        assertEquals(st.idle(), st.open(), "no connection in use after the failure: " + st);
        assertEquals(0, st.waiting(), st.toString());
        try (ClientResponse r = s.get(big)) { // limit(1): a stranded slot would time out here
            assertEquals(BIG.length, r.bytes().length);
        }
    }

    /**
     * aio4j-only (aiohttp's connector releases the slot in connect()'s except clause): a trace
     * callback that throws fails the request with its exception, and neither the connection nor
     * the pool slot stays taken.
     */
    @ParameterizedTest
    @ValueSource(strings = {"connectionCreateStart", "connectionCreateEnd", "connectionReuseconn", "requestRedirect",
            "requestHeadersSent", "requestChunkSent", "responseChunkReceived", "requestEnd"})
    void aCallbackExceptionStrandsNoConnection(String hook) throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        RuntimeException boom = new IllegalStateException("boom in " + hook);
        TraceConfig tc = new TraceConfig();
        TraceConfig.Callback<Object> thrower = (s, ctx, p) -> {
            if (armed.get()) {
                throw boom;
            }
        };
        switch (hook) {
            case "connectionCreateStart" -> tc.onConnectionCreateStart().add(thrower::call);
            case "connectionCreateEnd" -> tc.onConnectionCreateEnd().add(thrower::call);
            case "connectionReuseconn" -> tc.onConnectionReuseconn().add(thrower::call);
            case "requestRedirect" -> tc.onRequestRedirect().add(thrower::call);
            case "requestChunkSent" -> tc.onRequestChunkSent().add(thrower::call);
            case "requestHeadersSent" -> tc.onRequestHeadersSent().add(thrower::call);
            case "responseChunkReceived" -> tc.onResponseChunkReceived().add(thrower::call);
            case "requestEnd" -> tc.onRequestEnd().add(thrower::call);
            default -> throw new AssertionError(hook);
        }
        try (TestServers.Jdk srv = bigServer()) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().limit(1).timeout(new ClientTimeout(20, 3, 10))
                        .traceConfig(tc).build()) {
                    if (hook.equals("connectionReuseconn")) {
                        try (ClientResponse r = s.get(srv.url("/big"))) {
                            r.bytes(); // an idle connection to reuse
                        }
                    }
                    armed.set(true);
                    RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
                        ClientResponse r = switch (hook) {
                            case "requestRedirect" -> s.get(srv.url("/redirect"));
                            case "requestChunkSent", "requestHeadersSent" -> s.post(srv.url("/echo"), RequestOption.body("x"));
                            default -> s.get(srv.url("/big"));
                        };
                        try (r) {
                            r.bytes();
                        }
                    });
                    assertEquals(boom, thrown);
                    armed.set(false);
                    assertNothingStranded(s, srv.url("/big"));
                }
                return null;
            });
        }
    }

    /** aio4j-only: a throwing on_connection_queued_start leaves no request counted as waiting. */
    @Test
    void aQueuedStartExceptionLeavesNoWaiter() throws Exception {
        TraceConfig tc = new TraceConfig();
        tc.onConnectionQueuedStart().add((s, ctx, p) -> {
            throw new IllegalStateException("boom in queuedStart");
        });
        try (TestServers.Jdk srv = bigServer()) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().limit(1).timeout(new ClientTimeout(20, 3, 10))
                        .traceConfig(tc).build()) {
                    ClientResponse holder = s.get(srv.url("/big")); // holds the one slot, body unread
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(srv.url("/big")));
                    assertEquals("boom in queuedStart", e.getMessage());
                    assertEquals(0, s.poolStats().waiting(), s.poolStats().toString());
                    holder.close();
                    assertNothingStranded(s, srv.url("/big"));
                }
                return null;
            });
        }
    }

    /** aiohttp raises the callback's error; the request's own error is kept as suppressed (aio4j-only). */
    @Test
    void aRequestExceptionCallbackThatThrowsKeepsTheCause() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        TraceConfig tc = new TraceConfig();
        tc.onRequestException().add((s, ctx, p) -> {
            throw new IllegalStateException("boom in requestException");
        });
        Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get("http://127.0.0.1:" + port + "/"));
                assertInstanceOf(ClientConnectorError.class, e.getSuppressed()[0]);
            }
            return null;
        });
    }

    // aiohttp: tests/test_client_session.py test_request_tracing: on_request_headers_sent sees the
    // session's default headers among the request's, and the body's chunks follow it
    @Test
    void requestHeadersSentCarriesTheSessionHeaders() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Headers[] gathered = new Headers[1];
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> events.add("start " + p.method()));
        tc.onRequestHeadersSent().add((s, ctx, p) -> {
            gathered[0] = p.headers();
            events.add("headers " + p.method() + " " + p.url().getPath() + " ctx=" + ctx.get("mark"));
        });
        tc.onRequestStart().add((s, ctx, p) -> ctx.put("mark", "same request"));
        tc.onRequestChunkSent().add((s, ctx, p) -> events.add("chunk " + new String(p.chunk())));
        tc.onRequestEnd().add((s, ctx, p) -> events.add("end " + p.response().status()));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, new String(ex.getRequestBody().readAllBytes())));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().headers(Headers.of("Custom-Header", "Custom value"))
                        .traceConfig(tc).build();
                     ClientResponse r = s.post(srv.url("/"), RequestOption.body("This is request body"))) {
                    assertEquals("This is request body", r.text());
                    assertEquals(r.requestInfo().headers(), gathered[0], "the fields the head carried, as request_info has them");
                }
                return null;
            });
        }
        assertEquals("Custom value", gathered[0].get("Custom-Header"));
        assertEquals("127.0.0.1", gathered[0].get("Host").replaceAll(":.*", ""));
        assertTrue(gathered[0].isReadOnly());
        assertEquals(List.of("start POST", "headers POST / ctx=same request", "chunk This is request body", "end 200"), events);
    }

    // aiohttp: the writer of each ClientRequest sends it, with that request's method and URL (no
    // fragment): a 303's follow-up is a GET, and a body sent in pieces comes after the head
    @Test
    void requestHeadersSentForEachHopWithItsMethod() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestHeadersSent().add((s, ctx, p) -> events.add("headers " + p.method() + " " + p.url().getPath()
                + " fragment=" + p.url().getRawFragment()));
        tc.onRequestChunkSent().add((s, ctx, p) -> events.add("chunk " + new String(p.chunk())));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/see-other", ex -> {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().add("Location", "/ok");
                ex.sendResponseHeaders(303, -1);
            }).handle("/ok", ex -> TestServers.send(ex, 200, "fine"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build();
                     ClientResponse r = s.post(srv.url("/see-other#frag"),
                             RequestOption.chunks(List.of("a".getBytes(), "bc".getBytes())))) {
                    assertEquals("fine", r.text());
                }
                return null;
            });
        }
        assertEquals(List.of("headers POST /see-other fragment=null", "chunk a", "chunk bc", "headers GET /ok fragment=null"),
                events);
    }

    // aiohttp: the head of a request that waits for 100 Continue is announced once, before it is
    // written, and the body's chunks after the interim answer
    @Test
    void requestHeadersSentBeforeAHeldBackBody() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestHeadersSent().add((s, ctx, p) -> events.add("headers " + p.headers().get("Expect")));
        tc.onRequestChunkSent().add((s, ctx, p) -> events.add("chunk " + new String(p.chunk())));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, new String(ex.getRequestBody().readAllBytes())));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build();
                     ClientResponse r = s.post(srv.url("/"), RequestOption.body("held"), RequestOption.expect100())) {
                    assertEquals("held", r.text());
                }
                return null;
            });
        }
        assertEquals(List.of("headers 100-continue", "chunk held"), events);
    }

    // aiohttp's ws_connect sends its handshake through self.request(...), whose ClientRequest
    // announces its head: under the ws:// URL it requests
    @Test
    void aWsConnectHandshakeAnnouncesItsHead() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestHeadersSent().add((s, ctx, p) -> events.add(p.method() + " " + p.url().getScheme() + " "
                + p.url().getPath() + " " + p.headers().get("Upgrade")));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/ws", ex -> TestServers.send(ex, 404, "no"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    assertThrows(WSServerHandshakeError.class, () -> s.wsConnect("ws://127.0.0.1:" + srv.port() + "/ws"));
                }
                return null;
            });
        }
        assertEquals(List.of("GET ws /ws websocket"), events);
    }

    /**
     * aiohttp's write_headers awaits on_headers_sent before it writes the head: a callback that
     * throws fails the request (followed by on_request_exception) with nothing sent, and the
     * connection is closed, not pooled.
     */
    @Test
    void aRequestHeadersSentCallbackThatThrowsSendsNothing() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        RuntimeException boom = new IllegalStateException("boom in on_request_headers_sent");
        TraceConfig tc = new TraceConfig();
        tc.onRequestHeadersSent().add((s, ctx, p) -> {
            throw boom;
        });
        tc.onRequestException().add((s, ctx, p) -> events.add("exception " + p.exception().getMessage()));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, "ok"));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build()) {
                    assertSame(boom, assertThrows(IllegalStateException.class, () -> s.get(srv.url("/"))));
                    assertEquals(0, s.openConnections(), "the connection that sent nothing is closed");
                }
                return null;
            });
            assertEquals(List.of(), srv.requests, "nothing reached the server");
        }
        assertEquals(List.of("exception boom in on_request_headers_sent"), events);
    }

    // aiohttp's _request passes send_request_start the headers it then makes the ClientRequest with
    // (the session's defaults merged in), the same CIMultiDict on every redirect hop: a field an
    // on_request_start callback adds, sets or removes is what the server gets, and the later
    // events' params.headers show it
    @Test
    void requestStartCallbackChangesTheHeadersSent() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> {
            p.headers().set("X-Request-Id", "r-1");
            p.headers().remove("X-Default");
            p.headers().set("X-Given", "changed");
        });
        tc.onRequestEnd().add((s, ctx, p) -> seen.add("end " + p.headers().get("X-Request-Id")));
        tc.onRequestRedirect().add((s, ctx, p) -> seen.add("redirect " + p.headers().get("X-Request-Id")));
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/redirect", ex -> {
                seen.add("server /redirect " + ex.getRequestHeaders().getFirst("X-Request-Id") + " "
                        + ex.getRequestHeaders().getFirst("X-Default") + " " + ex.getRequestHeaders().getFirst("X-Given"));
                ex.getResponseHeaders().add("Location", "/ok");
                ex.sendResponseHeaders(302, -1);
            }).handle("/ok", ex -> {
                seen.add("server /ok " + ex.getRequestHeaders().getFirst("X-Request-Id") + " "
                        + ex.getRequestHeaders().getFirst("X-Default") + " " + ex.getRequestHeaders().getFirst("X-Given"));
                TestServers.send(ex, 200, "fine");
            }).handle("/ws", ex -> {
                seen.add("server /ws " + ex.getRequestHeaders().getFirst("X-Request-Id") + " "
                        + ex.getRequestHeaders().getFirst("Upgrade"));
                TestServers.send(ex, 404, "no");
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).headers(Headers.of("X-Default", "d")).build()) {
                    try (ClientResponse r = s.get(srv.url("/redirect"), RequestOption.headers(Headers.of("X-Given", "g")))) {
                        assertEquals("fine", r.text());
                        assertEquals("r-1", r.requestInfo().headers().get("X-Request-Id"));
                    }
                    // aiohttp's ws_connect sends its handshake with self.request(...): the same
                    assertThrows(WSServerHandshakeError.class, () -> s.wsConnect("ws://127.0.0.1:" + srv.port() + "/ws"));
                }
                return null;
            });
        }
        assertEquals(List.of("server /redirect r-1 null changed", "redirect r-1", "server /ok r-1 null changed", "end r-1",
                "server /ws r-1 websocket", "end r-1"), seen);
    }
    // aiohttp's _request pops AUTHORIZATION from the very headers object on_request_start was given
    // when a redirect changes the origin: an Authorization a callback set goes to the first origin
    // and not to the next one (aio4j-only test: aiohttp tests neither)
    @Test
    void anAuthorizationARequestStartCallbackSetIsDroppedOnACrossOriginRedirect() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> p.headers().set("Authorization", "Bearer cb"));
        try (TestServers.Jdk other = new TestServers.Jdk(); TestServers.Jdk srv = new TestServers.Jdk()) {
            other.handle("/ok", ex -> {
                seen.add("other " + ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 200, "fine");
            });
            srv.handle("/same", ex -> {
                seen.add("same " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", "/cross");
                ex.sendResponseHeaders(302, -1);
            }).handle("/cross", ex -> {
                seen.add("cross " + ex.getRequestHeaders().getFirst("Authorization"));
                ex.getResponseHeaders().add("Location", other.url("/ok"));
                ex.sendResponseHeaders(302, -1);
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).build();
                     ClientResponse r = s.get(srv.url("/same"))) {
                    assertEquals("fine", r.text());
                }
                return null;
            });
        }
        assertEquals(List.of("same Bearer cb", "cross Bearer cb", "other null"), seen);
    }

    // the framing fields are the body's (RequestSerializer): a Content-Length or Transfer-Encoding
    // an on_request_start callback adds is refused before anything is sent, as a caller's is, and
    // the session's one connection stays usable (aio4j-only: aiohttp would send both fields)
    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "Transfer-Encoding"})
    void aFramingFieldARequestStartCallbackAddsIsRefused(String field) throws Exception {
        TraceConfig tc = new TraceConfig();
        AtomicBoolean add = new AtomicBoolean(true);
        tc.onRequestStart().add((s, ctx, p) -> {
            if (add.get()) {
                p.headers().set(field, field.equals("Content-Length") ? "1" : "chunked");
            }
        });
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/echo", ex -> TestServers.send(ex, 200, new String(ex.getRequestBody().readAllBytes())));
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).limit(1).build()) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> s.post(srv.url("/echo"), RequestOption.body("abc")));
                    assertTrue(e.getMessage().contains(field), e.getMessage());
                    add.set(false);
                    try (ClientResponse r = s.post(srv.url("/echo"), RequestOption.body("abc"))) {
                        assertEquals("abc", r.text());
                    }
                }
                return null;
            });
        }
    }
    // aiohttp's _request sends send_request_start(method, url, headers) before it picks the auth
    // (the request's, the URL's or the session's), which ClientRequest.update_auth adds to its own
    // headers: the credentials are not in the callbacks' headers (a callback logging them does not
    // log the password, nor can removing them drop the auth), and an Authorization a callback adds
    // next to auth is the ValueError "Cannot combine AUTHORIZATION header with AUTH argument",
    // reported to on_request_exception (aio4j-only test: aiohttp tests neither)
    @Test
    void theAuthsCredentialsAreNotInTheRequestStartHeaders() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean addOwn = new AtomicBoolean(false);
        TraceConfig tc = new TraceConfig();
        tc.onRequestStart().add((s, ctx, p) -> {
            seen.add("start " + p.headers().get("Authorization"));
            p.headers().remove("Authorization");
            if (addOwn.get()) {
                p.headers().set("Authorization", "Bearer cb");
            }
        });
        tc.onRequestEnd().add((s, ctx, p) -> seen.add("end " + p.headers().get("Authorization")));
        tc.onRequestException().add((s, ctx, p) -> seen.add("exception " + p.exception().getClass().getSimpleName()));
        BasicAuth auth = new BasicAuth("ada", "pw");
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/ok", ex -> {
                seen.add("server " + ex.getRequestHeaders().getFirst("Authorization"));
                TestServers.send(ex, 200, "fine");
            });
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().traceConfig(tc).auth(auth).build()) {
                    try (ClientResponse r = s.get(srv.url("/ok"))) {
                        assertEquals("fine", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/ok"), RequestOption.auth(new BasicAuth("bob", "pw2")))) {
                        assertEquals("fine", r.text());
                    }
                    addOwn.set(true);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.get(srv.url("/ok")));
                    assertTrue(e.getMessage().contains("Authorization"), e.getMessage());
                }
                return null;
            });
        }
        assertEquals(List.of("start null", "server " + auth.encode(), "end null",
                "start null", "server " + new BasicAuth("bob", "pw2").encode(), "end null",
                "start null", "exception IllegalArgumentException"), seen);
    }
}
