package dev.aio4j.http.internal;

import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.CookieJar;
import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge stage without a server: default fields, Expect, cookies both ways, and the choice of
 * the content decoder. Mirrors parts of aiohttp's {@code tests/test_client_request.py}
 * (test_default_headers_useragent, test_headers_default, test_content_type_auto_header_bytes,
 * test_cookies, test_cookies_is_quoted_with_special_characters...) and
 * {@code test_client_response.py} (the auto_decompress cases).
 */
class RequestBridgeTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final RequestSpec.Defaults DEFAULTS = new RequestSpec.Defaults(null, new Headers().readOnlyCopy(),
            ClientTimeout.DEFAULT, true, 10, false);
    private final CookieJar jar = new CookieJar();
    private final RequestBridge bridge = new RequestBridge(jar, true);

    private static RequestSpec.Builder req(String method, String url) {
        return RequestSpec.builder(DEFAULTS, method, url);
    }

    private static ResponseHead head(Headers h) {
        return new ResponseHead(1, 200, "OK", h.readOnlyCopy(), ResponseHead.Framing.NONE, -1, true);
    }

    @Test
    void defaultHeaders() {
        Headers h = bridge.wireHeaders(req("GET", "http://h.example/").build(), NOW);
        assertEquals("*/*", h.get("Accept"));
        assertEquals("gzip, deflate", h.get("Accept-Encoding"));
        assertEquals(RequestBridge.USER_AGENT, h.get("User-Agent"));
        assertFalse(h.contains("Content-Type"));
        assertFalse(h.contains("Expect"));
        assertFalse(h.contains("Cookie"));
    }

    @Test
    void callersHeadersWin() {
        Headers h = bridge.wireHeaders(req("POST", "http://h.example/").headers(Headers.of("Accept", "a/b",
                "Accept-Encoding", "br", "User-Agent", "me", "Content-Type", "x/y"))
                .body(new RequestBody.Bytes(new byte[1], "application/octet-stream"), "byte[]").build(), NOW);
        assertEquals("a/b", h.get("Accept"));
        assertEquals("br", h.get("Accept-Encoding"));
        assertEquals("me", h.get("User-Agent"));
        assertEquals("x/y", h.get("Content-Type"));
    }

    @Test
    void contentTypeAutoHeaderBytes() {
        Headers h = bridge.wireHeaders(req("POST", "http://h.example/")
                .body(new RequestBody.Bytes(new byte[1], "application/octet-stream"), "byte[]").build(), NOW);
        assertEquals("application/octet-stream", h.get("Content-Type"));
    }

    @Test
    void noAcceptEncodingWithoutAutoDecompress() {
        RequestBridge plain = new RequestBridge(null, false);
        RequestSpec s = req("GET", "http://h.example/").build();
        assertFalse(plain.wireHeaders(s, NOW).contains("Accept-Encoding"));
        assertNull(plain.decoderFor("GET", head(Headers.of("Content-Encoding", "gzip"))));
    }

    @Test
    void expectContinueOnlyWithABody() { // aio4j-only: RFC 9110 section 10.1.1
        RequestSpec withBody = req("POST", "http://h.example/").expectContinue(0.5)
                .body(new RequestBody.Bytes(new byte[1], null), "byte[]").build();
        RequestBridge.Outgoing out = bridge.outgoing(withBody, NOW);
        assertTrue(out.expectContinue());
        assertEquals(0.5, out.continueWait());
        String head = new String(out.head(), StandardCharsets.ISO_8859_1);
        assertTrue(head.contains("\r\nExpect: 100-continue\r\n"), head);
        assertTrue(head.contains("\r\nContent-Length: 1\r\n"), head);

        RequestSpec noBody = req("POST", "http://h.example/").headers(Headers.of("Expect", "100-continue")).build();
        RequestBridge.Outgoing none = bridge.outgoing(noBody, NOW);
        assertFalse(none.expectContinue());
        assertFalse(bridge.wireHeaders(noBody, NOW).contains("Expect"), "never without a body to hold back");
    }

    @Test
    void otherExpectationsAreSentAsGiven() { // aio4j-only
        Headers h = bridge.wireHeaders(req("GET", "http://h.example/").headers(Headers.of("Expect", "x-other")).build(), NOW);
        assertEquals("x-other", h.get("Expect"));
    }

    @Test
    void cookiesFromTheJarGoOutAndSetCookieComesIn() {
        URI url = URI.create("http://h.example/a");
        bridge.received(url, head(Headers.of("Set-Cookie", "s=1; Path=/", "Set-Cookie", "t=2; Path=/")), NOW);
        assertEquals(2, jar.size());
        assertEquals("s=1; t=2", bridge.wireHeaders(req("GET", "http://h.example/b").build(), NOW).get("Cookie"));
        assertNull(bridge.wireHeaders(req("GET", "http://other.example/").build(), NOW).get("Cookie"));
        Headers own = bridge.wireHeaders(req("GET", "http://h.example/b").headers(Headers.of("Cookie", "mine=1")).build(), NOW);
        assertEquals("mine=1", own.get("Cookie"), "a caller's Cookie header wins over the jar");
    }

    @Test
    void noJarNoCookies() { // aio4j-only: cookieJar(false) is aiohttp's DummyCookieJar
        RequestBridge off = new RequestBridge(null, true);
        off.received(URI.create("http://h.example/"), head(Headers.of("Set-Cookie", "s=1")), NOW);
        assertFalse(off.wireHeaders(req("GET", "http://h.example/").build(), NOW).contains("Cookie"));
    }

    @Test
    void decoderChoice() {
        assertNotNull(bridge.decoderFor("GET", head(Headers.of("Content-Encoding", "gzip"))));
        assertNotNull(bridge.decoderFor("GET", head(Headers.of("Content-Encoding", "deflate"))));
        assertNull(bridge.decoderFor("HEAD", head(Headers.of("Content-Encoding", "gzip"))), "a HEAD response has no body");
        assertNull(bridge.decoderFor("GET", head(new Headers())));
        assertNull(bridge.decoderFor("GET", head(Headers.of("Content-Encoding", "br"))), "unknown codings pass through");
    }
}
