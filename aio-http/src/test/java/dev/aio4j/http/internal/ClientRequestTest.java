package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;
import dev.aio4j.http.InvalidURL;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * URL handling and request serialization. Mirrors parts of aiohttp's
 * {@code tests/test_client_request.py} and {@code test_client_session.py} (base URL joining).
 */
class ClientRequestTest {
    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void invalidUrl() {
        InvalidURL e = assertThrows(InvalidURL.class, () -> Urls.parse("http://bad host/"));
        assertEquals("invalid URL http://bad host/: Illegal character in authority at index 10", e.getMessage());
        assertEquals("http://bad host/", e.invalidUrl());
        e = assertThrows(InvalidURL.class, () -> Urls.parse("not a url"));
        assertEquals("invalid URL not a url: not absolute (no scheme); give a full URL or a base URL to the session", e.getMessage(),
                "the space is percent-encoded (yarl does so), so what is wrong is the missing scheme");
        e = assertThrows(InvalidURL.class, () -> Urls.parse("/relative/path"));
        assertEquals("invalid URL /relative/path: not absolute (no scheme); give a full URL or a base URL to the session",
                e.getMessage());
        e = assertThrows(InvalidURL.class, () -> Urls.parse("ftp://example.com/"));
        assertEquals("invalid URL ftp://example.com/: scheme must be http or https (a request or wsConnect also takes ws and wss), got ftp", e.getMessage());
        e = assertThrows(InvalidURL.class, () -> Urls.parse("http:///path"));
        assertEquals("invalid URL http:///path: no host", e.getMessage());
        e = assertThrows(InvalidURL.class, () -> Urls.parse("http://user:pw@example.com/"));
        assertTrue(e.getMessage().contains("user info"), e.getMessage());
    }

    @Test
    void baseUrlJoin() {
        URI base = URI.create("http://example.com/api/v1/");
        assertEquals("http://example.com/api/v1/users", Urls.join(base, "users").toString());
        assertEquals("http://example.com/users", Urls.join(base, "/users").toString());
        assertEquals("http://example.com/api/other", Urls.join(base, "../other").toString());
        assertEquals("http://example.com/api/v1/?q=1", Urls.join(base, "?q=1").toString());
        assertEquals("https://other.org/x", Urls.join(base, "https://other.org/x").toString());
        assertEquals("http://example.com/x", Urls.join(URI.create("http://example.com"), "x").toString(),
                "a base without a path acts as '/'");
        assertEquals("http://example.com/api/users", Urls.join(URI.create("http://example.com/api/v1"), "users").toString(),
                "without a trailing slash the last segment is replaced (RFC 3986)");
        assertEquals("http://a.b/x", Urls.join(null, "http://a.b/x").toString());
    }

    @Test
    void relativeReferencesFollowRfc3986_issue14() {
        URI users = URI.create("http://h/api/users");
        assertEquals("http://h/api/users?page=2", Urls.join(users, "?page=2").toString(),
                "a query-only reference keeps the whole path (java.net.URI gave /api/?page=2)");
        assertEquals("http://h/redir/query?via=query", Urls.join(URI.create("http://h/redir/query"), "?via=query").toString());
        assertEquals("http://h/x", Urls.join(URI.create("http://h/a/b"), "../../../x").toString(), "no .. above the root");
        assertEquals("http://h/a/b", Urls.parse("http://h/./a/./b").toString(), "dot segments of an absolute URL go");
        assertEquals("http://h/a/../b", Urls.parse("http://h/a/../b", true).toString(), "encoded=true sends the path as given");
        assertEquals("http://h/api/users#top", Urls.join(users, "#top").toString());
    }

    @Test
    void nonAsciiUrlsArePercentEncoded_issue14() {
        URI u = Urls.parse("http://h/caf\u00e9/\u65e5\u672c?q=\u00e9#fr\u00e4g");
        assertEquals("/caf%C3%A9/%E6%97%A5%E6%9C%AC?q=%C3%A9", Urls.requestTarget(u));
        assertEquals("http://h/caf%C3%A9/%E6%97%A5%E6%9C%AC?q=%C3%A9#fr%C3%A4g", u.toString());
        assertEquals("/a%2Fb%25zz%25?x=%2f&y=a%20b", Urls.requestTarget(Urls.parse("http://h/a%2Fb%zz%?x=%2f&y=a b")),
                "%2F stays, a lone % becomes %25, a space becomes %20");
        assertEquals("/%5B%5D%7B%7D%22%3C%3E%5E%60%7C?%5B%5D", Urls.requestTarget(Urls.parse("http://h/[]{}\"<>^`|?[]")));
        URI idn = Urls.parse("http://b\u00fccher.example:8080/\u00fc");
        assertEquals("xn--bcher-kva.example:8080", Urls.hostHeader(idn));
        assertEquals("xn--bcher-kva.example", Urls.asciiHost(idn));
        assertEquals("/%C3%BC", Urls.requestTarget(idn));
        assertEquals("http://h/sp%C3%A4t?q=%C3%A9", Urls.join(URI.create("http://h/x"), "sp\u00e4t?q=\u00e9").toString());
    }

    @Test
    void encodedUrlsAreSentAsGiven_issue14() {
        assertEquals("/a/./b", Urls.requestTarget(Urls.parse("http://h/a/./b", true)));
        InvalidURL malformed = assertThrows(InvalidURL.class, () -> Urls.parse("http://h/%zz", true));
        assertTrue(malformed.getMessage().startsWith("invalid URL http://h/%zz: Malformed escape pair"), malformed.getMessage());
        for (String bad : List.of("http://h/a b", "http://h/a\r\nX: y", "http://h/caf\u00e9", "http://h/\u0001")) {
            InvalidURL e = assertThrows(InvalidURL.class, () -> Urls.parse(bad, true));
            assertTrue(e.getMessage().contains("cannot be sent as it is; percent-encode it, or leave encoded off"), e.getMessage());
        }
        assertEquals("/a%2Fb?x=%C3%A9", Urls.requestTarget(Urls.parse("http://h/a%2Fb?x=%C3%A9", true)));
    }

    @Test
    void paramsExtendTheQuery() {
        URI u = Urls.withParams(URI.create("http://h/p?a=1#frag"),
                List.of(Map.entry("q", "a b&c"), Map.entry("é", "€"), Map.entry("a", "2")));
        assertEquals("http://h/p?a=1&q=a%20b%26c&%C3%A9=%E2%82%AC&a=2#frag", u.toString());
        assertEquals("http://h?x=1", Urls.withParams(URI.create("http://h"), List.of(Map.entry("x", "1"))).toString());
        URI same = URI.create("http://h/");
        assertTrue(same == Urls.withParams(same, List.of()));
    }

    @Test
    void requestTargetHostAndPort() {
        URI u = URI.create("http://Example.COM:8080/a%20b?x=%2F#frag");
        assertEquals("/a%20b?x=%2F", Urls.requestTarget(u));
        assertEquals("example.com:8080", Urls.hostHeader(u));
        assertEquals(8080, Urls.port(u));
        assertEquals("/", Urls.requestTarget(URI.create("http://h")));
        assertEquals("h", Urls.hostHeader(URI.create("https://h:443/")));
        assertEquals(443, Urls.port(URI.create("https://h/")));
        assertEquals("[::1]:8443", Urls.hostHeader(URI.create("https://[::1]:8443/")));
        assertEquals("xn--bcher-kva.example", Urls.hostHeader(Urls.parse("http://b\u00fccher.example/")));
        assertEquals("http://h:80", Urls.origin(URI.create("HTTP://H/x")));
        assertEquals("http://h/x", Urls.withoutFragment(URI.create("http://h/x#y")).toString());
    }

    @Test
    void serializeHeadWithoutBody() {
        byte[] head = RequestSerializer.head("GET", URI.create("http://h:81/p?q=1"), Headers.of("Accept", "*/*"),
                new BodyFraming.None());
        assertEquals("GET /p?q=1 HTTP/1.1\r\nHost: h:81\r\nAccept: */*\r\n\r\n", s(head));
    }

    @Test
    void serializeHeadPostEmptyGetsContentLengthZero() {
        byte[] head = RequestSerializer.head("POST", URI.create("http://h/"), new Headers(), new BodyFraming.None());
        assertEquals("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", s(head));
    }

    @Test
    void serializeHeadContentLengthAndChunked() {
        assertEquals("PUT /x HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n",
                s(RequestSerializer.head("PUT", URI.create("http://h/x"), Headers.of("Content-Type", "text/plain"),
                        new BodyFraming.Length(5))));
        assertEquals("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
                s(RequestSerializer.head("POST", URI.create("http://h/up"), new Headers(), new BodyFraming.Chunked())));
    }

    @Test
    void explicitHostIsKept() {
        assertEquals("GET / HTTP/1.1\r\nhost: virtual\r\n\r\n",
                s(RequestSerializer.head("GET", URI.create("http://h/"), Headers.of("host", "virtual"), new BodyFraming.None())));
    }

    @Test
    void framingHeadersBelongToTheSerializer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RequestSerializer.head("POST",
                URI.create("http://h/"), Headers.of("Content-Length", "3"), new BodyFraming.Chunked()));
        assertTrue(e.getMessage().startsWith("headers must not contain Content-Length: the body decides the framing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RequestSerializer.head("GE T", URI.create("http://h/"),
                new Headers(), new BodyFraming.None()));
        assertEquals("method must be a token (RFC 9110 section 5.6.2), got \"GE T\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BodyFraming.Length(-1));
    }

    @Test
    void formUrlencoded() {
        assertEquals("a=1&b=x+y%26z&%C3%A9=%E2%82%AC&empty=",
                s(RequestSerializer.formUrlencoded(List.of(Map.entry("a", "1"), Map.entry("b", "x y&z"),
                        Map.entry("é", "€"), Map.entry("empty", "")))));
        assertEquals("", s(RequestSerializer.formUrlencoded(List.of())));
    }
}
