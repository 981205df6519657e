package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The response object: mirrors aiohttp's tests/test_client_response.py. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientResponseTest {

    @Test
    void textUsesTheCharsetOfContentType() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/latin1", ex -> {
                    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=\"ISO-8859-1\"");
                    TestServers.send(ex, 200, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
                })
                .handle("/none", ex -> TestServers.send(ex, 200, "caf\u00e9".getBytes(StandardCharsets.UTF_8)))
                .handle("/bogus", ex -> {
                    ex.getResponseHeaders().add("Content-Type", "text/html; charset=no-such-charset");
                    TestServers.send(ex, 200, "caf\u00e9".getBytes(StandardCharsets.UTF_8));
                })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/latin1"))) {
                        assertEquals("text/plain", r.contentType());
                        assertEquals("ISO-8859-1", r.charset());
                        assertEquals("caf\u00e9", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/none"))) {
                        assertNull(r.charset());
                        assertEquals("caf\u00e9", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/bogus"))) {
                        assertEquals("text/html", r.contentType());
                        assertEquals("caf\u00e9", r.text());
                    }
                }
                return null;
            });
        }
    }

    @Test
    void contentAfterBytesAndBytesAfterContent() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "body"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertArrayEquals("body".getBytes(), r.bytes());
                        assertArrayEquals("body".getBytes(), r.content().read(-1));
                    }
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertArrayEquals("body".getBytes(), r.content().read(-1));
                        assertThrows(IllegalStateException.class, r::bytes);
                    }
                    assertEquals(1, s.idleConnections());
                }
                return null;
            });
        }
    }

    @Test
    void toStringShowsStatusUrlAndState() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "body"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientResponse r = s.get(srv.url("/t"));
                    assertEquals("ClientResponse[200 OK, GET " + srv.url("/t") + ", body pending]", r.toString());
                    r.text();
                    assertEquals("ClientResponse[200 OK, GET " + srv.url("/t") + ", released]", r.toString());
                    r.close();
                    assertTrue(r.isClosed());
                    assertTrue(r.toString().endsWith(", released, closed]"), r.toString());
                }
                return null;
            });
        }
    }

    @Test
    void bytesAfterCloseOfAnUnreadBodyIsRefused() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, TestServers.payload(300_000, 1)))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientResponse r = s.get(srv.url("/"));
                    r.close();
                    IllegalStateException e = assertThrows(IllegalStateException.class, r::bytes);
                    assertTrue(e.getMessage().startsWith("ClientResponse.bytes() called on a closed response"), e.getMessage());
                }
                return null;
            });
        }
    }

    /** Runs {@code check} on the response to a GET of {@code path} from a server that adds {@code fields} (name, value, ...). */
    private static void withResponse(String path, Consumer<ClientResponse> check, String... fields) throws Exception {
        withResponse(path, 200, check, fields);
    }

    private static void withResponse(String path, int status, Consumer<ClientResponse> check, String... fields) throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            for (int i = 0; i < fields.length; i += 2) {
                ex.getResponseHeaders().add(fields[i], fields[i + 1]);
            }
            TestServers.send(ex, status, "body");
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create(); ClientResponse r = s.get(srv.url(path))) {
                    check.accept(r);
                }
                return null;
            });
        }
    }

    @Test
    void responseCookies() throws Exception { // aiohttp: test_response_cookies
        withResponse("/", r -> {
            Map<String, SetCookie> cookies = r.cookies();
            assertSame(cookies, r.cookies(), "the same cookies object is returned each time");
            assertEquals(List.of("sid", "theme"), List.copyOf(cookies.keySet()));
            assertEquals(new SetCookie("sid", "abc", "example.com", "/", Instant.parse("2027-01-21T07:28:00Z"), Duration.ofSeconds(3600),
                    true, true, "Strict"), cookies.get("sid"));
            assertEquals(new SetCookie("theme", "\"dark\"", null, null, null, null, false, false, null), cookies.get("theme"));
            assertThrows(UnsupportedOperationException.class, () -> cookies.put("x", cookies.get("sid")));
        }, "Set-Cookie", "sid=abc; Domain=.example.com; Path=/; Expires=Thu, 21 Jan 2027 07:28:00 GMT; Max-Age=3600; Secure; "
                + "HttpOnly; SameSite=Strict", "Set-Cookie", "theme=\"dark\"");
        withResponse("/", r -> assertTrue(r.cookies().isEmpty())); // aiohttp: test_response_cookies, no Set-Cookie
    }

    @Test
    void responseDuplicateCookieNames() throws Exception { // aiohttp: test_response_duplicate_cookie_names
        withResponse("/", r -> {
            assertEquals(2, r.cookies().size(), "one per name, as SimpleCookie");
            assertEquals("098-7654321", r.cookies().get("session-id").value(), "last one wins");
            assertEquals("light", r.cookies().get("user-pref").value());
            assertEquals(List.of("session-id", "user-pref"), List.copyOf(r.cookies().keySet()), "in the place of the first");
        }, "Set-Cookie", "session-id=123-4567890; Domain=.example.com; Path=/; Secure",
                "Set-Cookie", "session-id=098-7654321; Domain=.www.example.com; Path=/",
                "Set-Cookie", "user-pref=dark; Domain=.example.com; Path=/",
                "Set-Cookie", "user-pref=light; Domain=api.example.com; Path=/");
    }

    @Test
    void responseCookiesSkipMalformedOnes() throws Exception { // aio4j-only: aiohttp logs "Can not load cookies" and skips
        withResponse("/", r -> {
            try (dev.aio4j.loop.test.LogCapture log = new dev.aio4j.loop.test.LogCapture("dev.aio4j.http.client")) {
                assertEquals(List.of("good", "also"), List.copyOf(r.cookies().keySet()));
                r.cookies();
                List<String> warnings = log.messages().stream().filter(m -> m.startsWith("ignored a malformed Set-Cookie")).toList();
                assertEquals(3, warnings.size(), "once per malformed field, not per call: " + warnings);
                assertTrue(warnings.get(0).endsWith("): \"novalue\""), warnings.get(0));
                assertTrue(warnings.get(2).contains("more chars)"), "a long field is cut short in the log: " + warnings.get(2));
            }
        },
                "Set-Cookie", "novalue", "Set-Cookie", "good=1", "Set-Cookie", "=nameless", "Set-Cookie", "big=" + "x".repeat(5000),
                "Set-Cookie", "also=2; Path");
    }

    @Test
    void responseRealUrl() throws Exception { // aiohttp: test_response_real_url
        withResponse("/path?q=1#urlfragment", r -> {
            assertEquals("/path?q=1", r.url().getRawPath() + "?" + r.url().getRawQuery());
            assertNull(r.url().getRawFragment());
            assertEquals("urlfragment", r.realUrl().getRawFragment());
            assertEquals(r.url().toString() + "#urlfragment", r.realUrl().toString());
            assertEquals(r.realUrl(), r.requestInfo().realUrl());
            assertEquals(r.url(), r.requestInfo().url());
        });
        withResponse("/plain", r -> assertSame(r.url(), r.realUrl()));
    }

    @Test
    void responseLinksCommaSeparated() throws Exception { // aiohttp: test_response_links_comma_separated
        withResponse("/", r -> {
            assertEquals(List.of("next", "home"), r.links().keys());
            assertEquals("http://example.com/page/1.html", r.links().get("next").get("url"));
            assertEquals("next", r.links().get("next").get("rel"));
            assertEquals("http://example.com/", r.links().get("home").get("url"));
            assertSame(r.links(), r.links());
        }, "Link", "<http://example.com/page/1.html>; rel=next, <http://example.com/>; rel=home");
    }

    @Test
    void responseLinksMultipleHeaders() throws Exception { // aiohttp: test_response_links_multiple_headers
        withResponse("/", r -> {
            assertEquals(List.of("next", "home"), r.links().keys());
            assertEquals("http://example.com/page/1.html", r.links().get("next").get("url"));
        }, "Link", "<http://example.com/page/1.html>; rel=next", "Link", "<http://example.com/>; rel=home");
    }

    @Test
    void responseLinksRelative() throws Exception { // aiohttp: test_response_links_relative (and _no_rel, _quoted, _empty)
        withResponse("/dir/page#frag", r -> {
            MultiDict<MultiDict<String>> links = r.links();
            assertEquals("http://127.0.0.1:" + r.url().getPort() + "/relative/path", links.get("rel").get("url"));
            assertEquals("http://127.0.0.1:" + r.url().getPort() + "/dir/sibling", links.get("sibling").get("url"));
            assertEquals("home-page", links.get("home-page").get("rel"));
            assertEquals(List.of("url"), links.get("http://example.com/").keys());
        }, "Link", "</relative/path>; rel=rel", "Link", "<sibling>", "Link", "<http://example.com/>; rel=\"home-page\"",
                "Link", "<http://example.com/>");
        withResponse("/", r -> assertTrue(r.links().isEmpty()));
    }

    @Test
    void responseLinksIgnoreHostileFields() throws Exception { // aio4j-only: unterminated quotes, a 6 KB field of garbage
        withResponse("/", r -> assertEquals(List.of("next"), r.links().keys()),
                "Link", "<http://h/1>; rel=next; title=\"never closed, <http://h/2>; rel=last",
                "Link", "\"" + "<;\\\",".repeat(1000), "Link", "<" + "x".repeat(6000));
    }

    @Test
    void contentDispositionFull() throws Exception { // aiohttp: test_content_disposition_full
        withResponse("/", r -> {
            ContentDisposition cd = r.contentDisposition();
            assertNotNull(cd);
            assertEquals("attachment", cd.type());
            assertEquals("bar", cd.parameters().get("foo"));
            assertEquals("archive.tar.gz", cd.filename());
            assertThrows(UnsupportedOperationException.class, () -> cd.parameters().put("foo", "baz"));
        }, "Content-Disposition", "attachment; filename=\"archive.tar.gz\"; foo=bar");
    }

    @Test
    void contentDispositionIsParsedOnce() throws Exception { // aiohttp: content_disposition is a reify (parsed once, then kept)
        withResponse("/", r -> assertSame(r.contentDisposition(), r.contentDisposition()),
                "Content-Disposition", "attachment; filename=\"archive.tar.gz\"; foo=bar");
        withResponse("/", r -> assertSame(r.contentDisposition(), r.contentDisposition()), "Content-Disposition", "attachment; =;");
    }

    @Test
    void contentDispositionNoParameters() throws Exception { // aiohttp: test_content_disposition_no_parameters
        withResponse("/", r -> {
            assertEquals("attachment", r.contentDisposition().type());
            assertNull(r.contentDisposition().filename());
            assertEquals(Map.of(), r.contentDisposition().parameters());
        }, "Content-Disposition", "attachment");
    }

    @Test
    void contentDispositionEmptyParts() throws Exception { // aiohttp: test_content_disposition_empty_parts
        for (String value : List.of("attachment; filename=\"archive.tar.gz\";", "attachment;; filename=\"archive.tar.gz\"")) {
            withResponse("/", r -> {
                assertEquals("attachment", r.contentDisposition().type(), value);
                assertEquals("archive.tar.gz", r.contentDisposition().filename(), value);
            }, "Content-Disposition", value);
        }
    }

    @Test
    void contentDispositionNoHeader() throws Exception { // aiohttp: test_content_disposition_no_header
        withResponse("/", r -> assertNull(r.contentDisposition()));
    }

    @Test
    void contentDispositionExtendedFilename() throws Exception { // aio4j-only: RFC 6266 filename* wins
        withResponse("/", r -> assertEquals("na\u00efve.txt", r.contentDisposition().filename()),
                "Content-Disposition", "attachment; filename=\"naive.txt\"; filename*=UTF-8''na%C3%AFve.txt");
    }

    @Test
    void contentLength() throws Exception { // aiohttp: HeadersMixin.content_length
        withResponse("/", r -> assertEquals(OptionalLong.of(4), r.contentLength()));
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/chunked", ex -> TestServers.sendChunked(ex, 200, "body".getBytes(StandardCharsets.UTF_8), 2))
                .handle("/head", ex -> {
                    ex.getResponseHeaders().add("Content-Length", "1234");
                    ex.sendResponseHeaders(200, -1);
                })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/chunked"))) {
                        assertEquals(OptionalLong.empty(), r.contentLength());
                    }
                    try (ClientResponse r = s.request("HEAD", srv.url("/head"))) {
                        assertEquals(OptionalLong.of(1234), r.contentLength(), "what a HEAD response declares");
                    }
                }
                return null;
            });
        }
    }

    @Test
    void responseRequestInfo() throws Exception { // aiohttp: test_response_request_info
        withResponse("/info", r -> {
            RequestInfo info = r.requestInfo();
            assertEquals(r.url(), info.url());
            assertEquals("GET", info.method());
            assertEquals("127.0.0.1:" + r.url().getPort(), info.headers().get("Host"));
            assertEquals("*/*", info.headers().get("Accept"));
            assertTrue(info.headers().isReadOnly());
            assertSame(info, r.requestInfo());
        });
    }

    @Test
    void requestInfoInException() throws Exception { // aiohttp: test_request_info_in_exception, test_no_redirect_history_in_exception
        withResponse("/conflict", 409, r -> {
            ClientResponseError e = assertThrows(ClientResponseError.class, r::raiseForStatus);
            assertEquals(r.requestInfo(), e.requestInfo());
            assertEquals(r.url(), e.url());
            assertEquals(List.of(), e.history());
            assertEquals(409, e.status());
        });
        withResponse("/conflict#frag", 409, r -> { // aiohttp: str(err) names request_info.real_url
            ClientResponseError e = assertThrows(ClientResponseError.class, r::raiseForStatus);
            assertEquals(r.realUrl(), e.url());
            assertTrue(e.getMessage().endsWith("/conflict#frag"), e.getMessage());
        });
    }

    /**
     * aiohttp's {@code ClientResponse.start} turns the parser's {@code HttpProcessingError} into
     * {@code ClientResponseError(request_info, history, status=exc.code, message=exc.message,
     * headers=exc.headers)}; aio4j keeps the {@link BadHttpMessage} as the cause.
     */
    @Test
    void httpProcessingError() throws Exception { // aiohttp: test_http_processing_error
        TestServers.Scripted.Script script = (sock, in, out) -> {
            while (true) {
                String head = TestServers.readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                if (head.startsWith("GET /start ")) {
                    TestServers.write(out, "HTTP/1.1 302 Found\r\nLocation: /bad\r\nContent-Length: 0\r\n\r\n");
                } else {
                    TestServers.write(out, "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n");
                    in.readAllBytes();
                    return;
                }
            }
        };
        try (TestServers.Scripted srv = new TestServers.Scripted(script, script, script)) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientResponseError e = assertThrows(ClientResponseError.class,
                            () -> s.post(srv.url("/bad#frag"), RequestOption.header("X-Trace", "t1"), RequestOption.body("x")));
                    assertEquals(400, e.status());
                    assertInstanceOf(BadHttpMessage.class, e.getCause());
                    assertEquals(e.getCause().getMessage(), e.message());
                    assertNull(e.headers(), "aiohttp: exc.headers, None for a head the parser refused");
                    RequestInfo info = e.requestInfo();
                    assertNotNull(info, "the error carries the request it answers");
                    assertEquals(URI.create(srv.url("/bad")), info.url());
                    assertEquals(URI.create(srv.url("/bad#frag")), info.realUrl());
                    assertEquals(URI.create(srv.url("/bad#frag")), e.url());
                    assertEquals("POST", info.method());
                    assertEquals("t1", info.headers().get("X-Trace"));
                    assertEquals("127.0.0.1:" + srv.port(), info.headers().get("Host"));
                    assertEquals(List.of(), e.history());

                    ClientResponseError after = assertThrows(ClientResponseError.class, () -> s.get(srv.url("/start")));
                    assertEquals(400, after.status());
                    assertNotNull(after.requestInfo());
                    assertEquals(URI.create(srv.url("/bad")), after.requestInfo().url(), "the request the bad answer answers");
                    assertEquals("GET", after.requestInfo().method());
                    assertEquals(List.of(URI.create(srv.url("/start"))), after.history(), "the redirect before it");
                }
                return null;
            });
            assertEquals(List.of(), srv.errors);
        }
    }

    @Test
    void requestInfoCarriesTheCallersHeaders() throws Exception { // aio4j-only
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create();
                     ClientResponse r = s.post(srv.url("/"), RequestOption.header("X-Trace", "t1"), RequestOption.body("x"))) {
                    assertEquals("t1", r.requestInfo().headers().get("X-Trace"));
                    assertEquals("POST", r.requestInfo().method());
                }
                return null;
            });
        }
    }
}
