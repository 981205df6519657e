package dev.aio4j.http.internal;

import dev.aio4j.http.ClientConnectorError;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.Headers;
import dev.aio4j.http.RequestInfo;
import dev.aio4j.http.InvalidURL;
import dev.aio4j.http.ServerDisconnectedError;
import dev.aio4j.http.SocketTimeoutError;
import dev.aio4j.http.TooManyRedirects;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The follow-up stage with scripted responses instead of a server. Mirrors the redirect cases of
 * aiohttp's {@code tests/test_client_functional.py} (test_HTTP_302_REDIRECT_GET,
 * test_HTTP_302_REDIRECT_POST, test_HTTP_302_max_redirects, test_drop_auth_on_redirect_to_other_host,
 * test_keepalive_after_head_requests_success...) and the retry rule of
 * {@code test_client_session.py}'s test_reraise_os_error / the connector's stale-connection retry.
 */
class FollowUpPolicyTest {
    private static final RequestSpec.Defaults DEFAULTS = new RequestSpec.Defaults(null, new Headers().readOnlyCopy(),
            ClientTimeout.DEFAULT, true, 10, false);

    /** A response the script hands out; records what the policy did to it. */
    static final class FakeResponse {
        final String name;
        final int status;
        final Headers headers;
        boolean drained;
        boolean closed;

        FakeResponse(String name, int status, String... headers) {
            this.name = name;
            this.status = status;
            this.headers = Headers.of(headers).readOnlyCopy();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Hands out scripted responses in order and records each request and history it got. */
    static class ScriptedResponses implements FollowUpPolicy.Responses<FakeResponse> {
        final Deque<FakeResponse> script = new ArrayDeque<>();
        final List<RequestSpec> sent = new ArrayList<>();
        final List<List<FakeResponse>> histories = new ArrayList<>();
        final List<String> steps = new ArrayList<>();

        ScriptedResponses(FakeResponse... responses) {
            script.addAll(List.of(responses));
        }

        @Override
        public FakeResponse send(RequestSpec spec, List<FakeResponse> history) {
            sent.add(spec);
            histories.add(history);
            steps.add("send " + spec.method() + " " + spec.url());
            return script.removeFirst();
        }

        @Override
        public RequestInfo requestInfo(FakeResponse first) {
            RequestSpec spec = sent.get(0); // the first response answers the first request
            return new RequestInfo(spec.url(), spec.method(), spec.headers(), spec.url());
        }

        @Override
        public int status(FakeResponse r) {
            return r.status;
        }

        @Override
        public Headers headers(FakeResponse r) {
            return r.headers;
        }

        @Override
        public void drain(FakeResponse r) {
            assertFalse(r.closed, "drained after close");
            r.drained = true;
            steps.add("drain " + r);
        }

        @Override
        public void close(FakeResponse r) {
            r.closed = true;
            steps.add("close " + r);
        }
    }

    private static RequestSpec.Builder req(String method, String url) {
        return RequestSpec.builder(DEFAULTS, method, url);
    }

    @Test
    void finalResponseIsReturnedUntouched() {
        FakeResponse ok = new FakeResponse("ok", 200, "Content-Length", "2");
        ScriptedResponses io = new ScriptedResponses(ok);
        assertSame(ok, FollowUpPolicy.follow(req("GET", "http://a.example/").build(), io));
        assertFalse(ok.closed);
        assertFalse(ok.drained);
        assertEquals(List.of(List.of()), io.histories);
    }

    @Test
    void http302RedirectPost() {
        FakeResponse moved = new FakeResponse("302", 302, "Location", "/next", "Content-Length", "5");
        FakeResponse ok = new FakeResponse("ok", 200);
        ScriptedResponses io = new ScriptedResponses(moved, ok);
        RequestSpec post = req("POST", "http://a.example/form").headers(Headers.of("Content-Type", "text/plain"))
                .body(new RequestBody.Bytes(new byte[] {1, 2}, null), "byte[]").build();
        assertSame(ok, FollowUpPolicy.follow(post, io));
        assertEquals(List.of("send POST http://a.example/form", "drain 302", "close 302", "send GET http://a.example/next"), io.steps);
        RequestSpec second = io.sent.get(1);
        assertInstanceOf(RequestBody.None.class, second.body());
        assertFalse(second.headers().contains("Content-Type"), "the body's headers go with the body");
        assertEquals(List.of(moved), io.histories.get(1));
    }

    @Test
    void http307RedirectPostKeepsTheBody() {
        RequestBody body = new RequestBody.Bytes(new byte[] {1}, null);
        ScriptedResponses io = new ScriptedResponses(new FakeResponse("307", 307, "Location", "/n"), new FakeResponse("ok", 200));
        FollowUpPolicy.follow(req("POST", "http://a.example/").body(body, "byte[]").build(), io);
        assertEquals("POST", io.sent.get(1).method());
        assertSame(body, io.sent.get(1).body());
    }

    @Test
    void largeOrUnsizedRedirectBodiesAreDroppedWithTheirConnection() { // aio4j-only
        FakeResponse big = new FakeResponse("big", 302, "Location", "/a", "Content-Length", "100000");
        FakeResponse unsized = new FakeResponse("unsized", 302, "Location", "/b");
        FakeResponse small = new FakeResponse("small", 302, "Location", "/c", "Content-Length", " 99999 ");
        ScriptedResponses io = new ScriptedResponses(big, unsized, small, new FakeResponse("ok", 200));
        FollowUpPolicy.follow(req("GET", "http://a.example/").build(), io);
        assertFalse(big.drained);
        assertTrue(big.closed);
        assertFalse(unsized.drained);
        assertTrue(unsized.closed);
        assertTrue(small.drained);
        assertTrue(small.closed);
        assertEquals(List.of(big, unsized, small), io.histories.get(3));
    }

    @Test
    void redirectsNotAllowedReturnsThe3xx() {
        FakeResponse moved = new FakeResponse("302", 302, "Location", "/next");
        ScriptedResponses io = new ScriptedResponses(moved);
        assertSame(moved, FollowUpPolicy.follow(req("GET", "http://a.example/").allowRedirects(false).build(), io));
        assertFalse(moved.closed);
    }

    @Test
    void http302MaxRedirects() {
        ScriptedResponses io = new ScriptedResponses(new FakeResponse("r1", 302, "Location", "/1"),
                new FakeResponse("r2", 302, "Location", "/2"));
        TooManyRedirects e = assertThrows(TooManyRedirects.class,
                () -> FollowUpPolicy.follow(req("GET", "http://a.example/").maxRedirects(2).build(), io));
        assertTrue(e.getMessage().contains("redirect 2 reached maxRedirects=2"), e.getMessage());
        assertTrue(io.script.isEmpty(), "the second redirect is the last response asked for, as aiohttp");
        assertEquals("close r2", io.steps.get(io.steps.size() - 1), "the response that is not returned is closed");
    }

    @Test
    void atTheLimitA3xxWithoutLocationIsTooManyRedirects() {
        // aiohttp checks max_redirects right after counting the 3xx, before reading Location
        FakeResponse r1 = new FakeResponse("r1", 302, "Location", "/1");
        FakeResponse r2 = new FakeResponse("r2", 302);
        ScriptedResponses io = new ScriptedResponses(r1, r2);
        TooManyRedirects e = assertThrows(TooManyRedirects.class,
                () -> FollowUpPolicy.follow(req("GET", "http://a.example/").maxRedirects(2).build(), io));
        assertTrue(e.getMessage().contains("redirect 2 reached maxRedirects=2 (no Location)"), e.getMessage());
        assertTrue(r2.closed, "the response that is not returned is closed");
        // below the limit it is returned (aiohttp: `if r_url is None: break`)
        FakeResponse bare = new FakeResponse("bare", 302);
        assertSame(bare, FollowUpPolicy.follow(req("GET", "http://a.example/").maxRedirects(2).build(),
                new ScriptedResponses(bare)));
        assertFalse(bare.closed);
    }

    /** ScriptedResponses that also records the redirect trace and a history set on a returned 3xx. */
    static final class TracingResponses extends ScriptedResponses {
        final List<List<FakeResponse>> returnedHistories = new ArrayList<>();

        TracingResponses(FakeResponse... responses) {
            super(responses);
        }

        @Override
        public void redirected(FakeResponse r) {
            assertFalse(r.closed, "traced after close");
            steps.add("redirected " + r);
        }

        @Override
        public void returnedWithoutTarget(FakeResponse r, List<FakeResponse> history) {
            steps.add("history of " + r + " " + history);
            returnedHistories.add(history);
        }
    }

    /**
     * aiohttp test_redirect_without_location_header, with client.py {@code _request}'s order for
     * it: the on_request_redirect trace fires, the 3xx is counted and appended to the history, and
     * only then is the missing target noticed ({@code if r_url is None: break}); the 3xx is
     * returned, unread and open, with a history that ends with itself.
     */
    @Test
    void redirectWithoutLocationHeader() {
        FakeResponse r1 = new FakeResponse("r1", 302, "Location", "/1");
        FakeResponse bare = new FakeResponse("bare", 301, "Content-Length", "8");
        TracingResponses io = new TracingResponses(r1, bare);
        assertSame(bare, FollowUpPolicy.follow(req("GET", "http://a.example/").build(), io));
        assertEquals(List.of("send GET http://a.example/", "redirected r1", "close r1",
                "send GET http://a.example/1", "redirected bare", "history of bare [r1, bare]"), io.steps);
        assertEquals(List.of(List.of(r1, bare)), io.returnedHistories);
        assertFalse(bare.closed);
        assertFalse(bare.drained);
    }

    /**
     * aiohttp client.py: the trace fires before {@code max_redirects} is checked, so the 3xx that
     * reaches the limit is traced, with or without a Location (test_HTTP_302_max_redirects).
     */
    @Test
    void theRedirectThatReachesTheLimitIsTracedBeforeTooManyRedirects() {
        for (FakeResponse last : List.of(new FakeResponse("r2", 302, "Location", "/2"), new FakeResponse("r2", 302))) {
            TracingResponses io = new TracingResponses(new FakeResponse("r1", 302, "Location", "/1"), last);
            assertThrows(TooManyRedirects.class,
                    () -> FollowUpPolicy.follow(req("GET", "http://a.example/").maxRedirects(2).build(), io));
            assertEquals(List.of("send GET http://a.example/", "redirected r1", "close r1", "send GET http://a.example/1",
                    "redirected r2", "close r2"), io.steps);
            assertTrue(io.returnedHistories.isEmpty());
        }
    }

    @Test
    void noRedirectTraceWithoutAllowRedirectsNorForOtherStatuses() { // aiohttp: `if resp.status in (...) and allow_redirects`
        TracingResponses io = new TracingResponses(new FakeResponse("bare", 302));
        FollowUpPolicy.follow(req("GET", "http://a.example/").allowRedirects(false).build(), io);
        TracingResponses ok = new TracingResponses(new FakeResponse("ok", 200), new FakeResponse("nm", 304));
        FollowUpPolicy.follow(req("GET", "http://a.example/").build(), ok);
        FollowUpPolicy.follow(req("GET", "http://a.example/").build(), ok);
        assertEquals(List.of("send GET http://a.example/"), io.steps);
        assertEquals(List.of("send GET http://a.example/", "send GET http://a.example/"), ok.steps);
        assertTrue(io.returnedHistories.isEmpty());
    }

    /**
     * aiohttp client.py {@code _request}: {@code r_url = resp.headers.get(hdrs.LOCATION) or
     * resp.headers.get(hdrs.URI)}: a 3xx whose {@code Location} is missing or empty is followed to
     * its {@code URI} header; with neither it is the response, untouched (test_redirect_without_location_header).
     */
    @Test
    void theUriHeaderStandsInForAMissingOrEmptyLocation() {
        for (String[] h : List.of(new String[] {"URI", "/old"}, new String[] {"Location", "", "URI", "/old"})) {
            FakeResponse moved = new FakeResponse("301", 301, h);
            FakeResponse ok = new FakeResponse("ok", 200);
            ScriptedResponses io = new ScriptedResponses(moved, ok);
            assertSame(ok, FollowUpPolicy.follow(req("GET", "http://a.example/x").build(), io));
            assertEquals(List.of("send GET http://a.example/x", "close 301", "send GET http://a.example/old"), io.steps);
        }
        FakeResponse empty = new FakeResponse("empty", 302, "Location", "", "Content-Length", "3");
        ScriptedResponses io = new ScriptedResponses(empty);
        assertSame(empty, FollowUpPolicy.follow(req("GET", "http://a.example/x").build(), io),
                "an empty Location and no URI: the 302 is the response (aio4j followed it to the same URL before)");
        assertFalse(empty.closed);
        assertFalse(empty.drained);
    }

    /**
     * aiohttp test_async_iterable_payload_redirect, and client.py's order: the consumed body is
     * checked before Location is read, so a 307 without Location of a spent one-shot body is a
     * ClientPayloadError (the 307 is closed), not the response.
     */
    @Test
    void aSpentOneShotBodyFailsA307WithoutLocation() {
        RequestBody.Chunks oneShot = new RequestBody.Chunks(List.of(new byte[] {1}), null);
        FakeResponse bare = new FakeResponse("307", 307);
        ScriptedResponses io = new ScriptedResponses(bare) {
            @Override
            public FakeResponse send(RequestSpec spec, List<FakeResponse> history) {
                try {
                    spec.body().write(new byte[0], null, c -> { });
                } catch (Exception expected) {
                    // no writer: only the first write's mark matters here
                }
                return super.send(spec, history);
            }
        };
        RequestSpec post = req("POST", "http://a.example/up").body(oneShot, "chunks").build();
        dev.aio4j.http.ClientPayloadError e = assertThrows(dev.aio4j.http.ClientPayloadError.class,
                () -> FollowUpPolicy.follow(post, io));
        assertTrue(e.getMessage().contains("redirect of POST from http://a.example/up (no Location)"), e.getMessage());
        assertTrue(bare.closed);
    }

    @Test
    void atTheLimitABadLocationIsTooManyRedirects() {
        FakeResponse moved = new FakeResponse("302", 302, "Location", "ftp://a.example/");
        assertThrows(TooManyRedirects.class, () -> FollowUpPolicy.follow(
                req("GET", "http://a.example/").maxRedirects(1).build(), new ScriptedResponses(moved)));
        assertTrue(moved.closed);
    }

    @Test
    void badLocationClosesTheResponse() { // aio4j-only
        FakeResponse moved = new FakeResponse("302", 302, "Location", "ftp://a.example/");
        assertThrows(InvalidURL.class, () -> FollowUpPolicy.follow(req("GET", "http://a.example/").build(),
                new ScriptedResponses(moved)));
        assertTrue(moved.closed);
    }

    @Test
    void drainFailureClosesTheResponse() { // aio4j-only
        FakeResponse moved = new FakeResponse("302", 302, "Location", "/n", "Content-Length", "3");
        ScriptedResponses io = new ScriptedResponses(moved) {
            @Override
            public void drain(FakeResponse r) {
                throw new IllegalStateException("cut short");
            }
        };
        assertThrows(IllegalStateException.class, () -> FollowUpPolicy.follow(req("GET", "http://a.example/").build(), io));
        assertTrue(moved.closed);
    }

    @Test
    void dropAuthOnRedirectToOtherHost() {
        ScriptedResponses io = new ScriptedResponses(new FakeResponse("302", 302, "Location", "http://b.example/"),
                new FakeResponse("ok", 200));
        FollowUpPolicy.follow(req("GET", "http://a.example/").headers(Headers.of("Authorization", "Bearer t", "X-Keep", "1")).build(), io);
        RequestSpec second = io.sent.get(1);
        assertFalse(second.headers().contains("Authorization"));
        assertEquals("1", second.headers().get("X-Keep"));
        assertEquals(URI.create("http://b.example/"), second.url());
    }

    @Test
    void drainBeforeClose() { // aio4j-only: the size rule on its own
        assertTrue(FollowUpPolicy.drainBeforeClose(Headers.of("Content-Length", "0")));
        assertTrue(FollowUpPolicy.drainBeforeClose(Headers.of("Content-Length", "99999")));
        assertFalse(FollowUpPolicy.drainBeforeClose(Headers.of("Content-Length", "100000")));
        assertFalse(FollowUpPolicy.drainBeforeClose(new Headers()));
    }

    /**
     * aiohttp client.py {@code _request}: {@code retry_persistent_connection = self._retry_connection
     * and method in IDEMPOTENT_METHODS}, then {@code except (ClientOSError, ServerDisconnectedError)}
     * after the connector errors were re-raised, and {@code if req._body.consumed: raise};
     * tests/test_test_utils.py test_retry_persistent_connection_lowercase_method and
     * test_retry_persistent_connection_query_method.
     */
    @Test
    void staleConnectionRetryRule() {
        URI u = URI.create("http://a.example/");
        RequestBody none = new RequestBody.None();
        ServerDisconnectedError gone = new ServerDisconnectedError("server disconnected", u);
        for (String m : List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "QUERY", "get", "query")) {
            assertTrue(FollowUpPolicy.retriesConnection(m), m);
            assertTrue(FollowUpPolicy.mayRetry(gone, m, none), m);
        }
        for (String m : List.of("POST", "PATCH", "CONNECT", "post")) {
            assertFalse(FollowUpPolicy.retriesConnection(m), m);
            assertFalse(FollowUpPolicy.mayRetry(gone, m, none), "not idempotent: " + m);
        }
        assertTrue(FollowUpPolicy.mayRetry(new ClientOSError("cannot send the request", u, new IOException("reset")), "GET", none));
        assertFalse(FollowUpPolicy.mayRetry(new ClientConnectorError("a.example", 80, false, u, new IOException("refused")),
                "GET", none), "no connection was made: a connector error is not retried");
        assertFalse(FollowUpPolicy.mayRetry(new SocketTimeoutError(1.0, u, null), "GET", none),
                "a timeout is not retried");
        RequestBody.Chunks oneShot = new RequestBody.Chunks(List.of(new byte[] {1}), null);
        assertTrue(FollowUpPolicy.mayRetry(gone, "PUT", oneShot), "a one-shot body not yet sent can be (aiohttp: not consumed)");
        try {
            oneShot.write(new byte[0], null, c -> { });
        } catch (Exception expected) {
            // no writer: only the first write's mark matters here
        }
        assertFalse(FollowUpPolicy.mayRetry(gone, "PUT", oneShot), "a one-shot body begun cannot be sent again");
    }

    /**
     * aio4j-only: an {@code Attempt} grants its one retry only for the failure the runner marked
     * (the per-request count is ClientFunctionalTest.oneRetryPerRequestAcrossRedirects), and
     * a POST's has none (aiohttp: {@code method in IDEMPOTENT_METHODS}).
     */
    @Test
    void attemptRetriesOnlyWhatTheRunnerMarked() {
        URI u = URI.create("http://a.example/");
        ServerDisconnectedError first = new ServerDisconnectedError("server disconnected", u);
        ExchangeRunner.Attempt attempt = new ExchangeRunner.Attempt("GET");
        assertFalse(attempt.retry(first), "a failure the runner did not mark is not retried");
        assertFalse(new ExchangeRunner.Attempt("POST").retry(null));
        assertEquals("Attempt[retry left]", attempt.toString());
        assertEquals("Attempt[no retry]", new ExchangeRunner.Attempt("POST").toString());
    }
}
