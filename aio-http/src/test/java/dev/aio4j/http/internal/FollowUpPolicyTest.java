package dev.aio4j.http.internal;

import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import dev.aio4j.http.TooManyRedirects;
import org.junit.jupiter.api.Test;

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

    @Test
    void staleConnectionRetryRule() { // aio4j-only: the one retry
        RequestBody none = new RequestBody.None();
        assertTrue(FollowUpPolicy.mayRetry("GET", none, true, true, false));
        for (String m : List.of("HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")) {
            assertTrue(FollowUpPolicy.mayRetry(m, none, true, true, false), m);
        }
        assertFalse(FollowUpPolicy.mayRetry("POST", none, true, true, false), "not idempotent");
        assertFalse(FollowUpPolicy.mayRetry("PATCH", none, true, true, false), "not idempotent");
        assertFalse(FollowUpPolicy.mayRetry("GET", none, false, true, false), "a new connection failing is a real failure");
        assertFalse(FollowUpPolicy.mayRetry("GET", none, true, false, false), "part of the response arrived");
        assertFalse(FollowUpPolicy.mayRetry("GET", none, true, true, true), "only once");
        RequestBody.Chunks oneShot = new RequestBody.Chunks(List.of(new byte[] {1}), null);
        assertFalse(FollowUpPolicy.mayRetry("PUT", oneShot, true, true, false), "a one-shot body cannot be sent again");
    }
}
