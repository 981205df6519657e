package dev.aio4j.http.internal;

import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request spec: options applied in order, frozen into an immutable value, without a server.
 * Mirrors the option handling of aiohttp's {@code tests/test_client_session.py}
 * (test_merge_headers, test_merge_headers_with_multi_dict, test_reraise_os_error...) where it has one;
 * the rest is aio4j-only.
 */
class RequestSpecTest {
    private static final RequestSpec.Defaults DEFAULTS = new RequestSpec.Defaults(URI.create("http://h.example/api/"),
            Headers.of("X-Default", "d", "Accept", "text/plain").readOnlyCopy(), ClientTimeout.DEFAULT, true, 10, false);

    @Test
    void mergeHeaders() {
        RequestSpec s = RequestSpec.builder(DEFAULTS, "get", "users")
                .headers(Headers.of("Accept", "application/json", "X-A", "1"))
                .headers(Headers.of("X-A", "2", "X-A", "3"))
                .build();
        assertEquals("GET", s.method());
        assertEquals(URI.create("http://h.example/api/users"), s.url());
        assertEquals("d", s.headers().get("X-Default"));
        assertEquals(List.of("application/json"), s.headers().getAll("Accept"), "a request's header replaces the default");
        assertEquals(List.of("2", "3"), s.headers().getAll("X-A"), "a name given again replaces the earlier values");
        assertTrue(s.headers().isReadOnly());
    }

    @Test
    void defaultsApplyAndLaterSettingsWin() { // aio4j-only
        RequestSpec plain = RequestSpec.builder(DEFAULTS, "GET", "x").build();
        assertTrue(plain.allowRedirects());
        assertEquals(10, plain.maxRedirects());
        assertFalse(plain.raiseForStatus());
        assertSame(ClientTimeout.DEFAULT, plain.timeout());
        assertInstanceOf(RequestBody.None.class, plain.body());
        assertEquals(OptionalDouble.empty(), plain.continueWait());

        ClientTimeout t1 = new ClientTimeout(1, 1, 1);
        ClientTimeout t2 = new ClientTimeout(2, 2, 2);
        RequestSpec s = RequestSpec.builder(DEFAULTS, "GET", "x").timeout(t1).timeout(t2).allowRedirects(false)
                .maxRedirects(3).raiseForStatus(true).build();
        assertSame(t2, s.timeout());
        assertFalse(s.allowRedirects());
        assertEquals(3, s.maxRedirects());
        assertTrue(s.raiseForStatus());
    }

    @Test
    void paramsAreAddedInOrder() { // aio4j-only
        RequestSpec s = RequestSpec.builder(DEFAULTS, "GET", "http://o.example/p?a=1")
                .params(List.of(Map.entry("b", "2"))).params(List.of(Map.entry("c", "x y"))).build();
        assertEquals("a=1&b=2&c=x%20y", s.url().getRawQuery());
    }

    @Test
    void methodMustBeAToken() { // aio4j-only: the one token rule (RFC 9110 tchar) of Checks
        var e = assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "GE T", "x"));
        assertEquals("method must be a token such as GET, got GE T", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "GET/1", "x"));
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "", "x"));
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, null, "x"));
        assertEquals("M-SEARCH", RequestSpec.builder(DEFAULTS, "m-search", "x").build().method());
    }

    @Test
    void oneBodyOnly() { // aio4j-only
        var b = RequestSpec.builder(DEFAULTS, "POST", "x").body(new RequestBody.Bytes(new byte[1], null), "byte[]");
        var e = assertThrows(IllegalArgumentException.class, () -> b.body(new RequestBody.None(), "Form"));
        assertEquals("a request takes one body option, got two: byte[] and Form", e.getMessage());
    }

    @Test
    void expectHeaderAloneAsksForTheDefaultWait() { // aiohttp: test_expect100 with the header only
        RequestSpec s = RequestSpec.builder(DEFAULTS, "POST", "x").headers(Headers.of("Expect", " 100-Continue ")).build();
        assertEquals(OptionalDouble.of(RequestSpec.DEFAULT_CONTINUE_WAIT), s.continueWait());
        RequestSpec explicit = RequestSpec.builder(DEFAULTS, "POST", "x").headers(Headers.of("Expect", "100-continue"))
                .expectContinue(0.25).build();
        assertEquals(OptionalDouble.of(0.25), explicit.continueWait());
        assertThrows(IllegalArgumentException.class, () -> RequestSpec.builder(DEFAULTS, "POST", "x").expectContinue(-1));
    }

    @Test
    void badUrlIsInvalidUrlAtBuild() { // aio4j-only
        assertThrows(InvalidURL.class, () -> RequestSpec.builder(DEFAULTS, "GET", "ftp://h.example/").build());
    }

    @Test
    void followUpKeepsTheSettings() { // aio4j-only
        RequestSpec s = RequestSpec.builder(DEFAULTS, "POST", "x").maxRedirects(4).expectContinue(0.5)
                .body(new RequestBody.Bytes(new byte[] {1}, null), "byte[]").build();
        RequestSpec next = s.followUp("get", URI.create("http://o.example/"), Headers.of("A", "1"), new RequestBody.None());
        assertEquals("GET", next.method());
        assertEquals(URI.create("http://o.example/"), next.url());
        assertEquals("1", next.headers().get("A"));
        assertTrue(next.headers().isReadOnly());
        assertInstanceOf(RequestBody.None.class, next.body());
        assertEquals(4, next.maxRedirects());
        assertEquals(OptionalDouble.of(0.5), next.continueWait());
    }
}
