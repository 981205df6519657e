package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.web.WebExceptionFamily.Member;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link HTTPException} family. Mirrors aiohttp's {@code tests/test_web_exceptions.py}, test
 * for test and class for class, written fresh. Left out: the pickling tests (Java serialization
 * of exceptions is not an API here), {@code bool(exc)} (no Java counterpart), and the
 * {@code test_app} tests, which need the server (they belong with {@code web.Application}). The
 * tests marked aio4j-only cover what the Java form adds: fluent setters, no stack trace,
 * {@code body()}, custom subclasses.
 */
class WebExceptionsTest {
    private static final String PKG = "dev.aio4j.http.web";

    /** {@code aiohttp.web_exceptions.__all__}, in its order. */
    private static final List<String> AIOHTTP_ALL = List.of("HTTPException", "HTTPError", "HTTPRedirection", "HTTPSuccessful",
            "HTTPOk", "HTTPCreated", "HTTPAccepted", "HTTPNonAuthoritativeInformation", "HTTPNoContent", "HTTPResetContent",
            "HTTPPartialContent", "HTTPMove", "HTTPMultipleChoices", "HTTPMovedPermanently", "HTTPFound", "HTTPSeeOther",
            "HTTPNotModified", "HTTPUseProxy", "HTTPTemporaryRedirect", "HTTPPermanentRedirect", "HTTPClientError",
            "HTTPBadRequest", "HTTPUnauthorized", "HTTPPaymentRequired", "HTTPForbidden", "HTTPNotFound",
            "HTTPMethodNotAllowed", "HTTPNotAcceptable", "HTTPProxyAuthenticationRequired", "HTTPRequestTimeout",
            "HTTPConflict", "HTTPGone", "HTTPLengthRequired", "HTTPPreconditionFailed", "HTTPRequestEntityTooLarge",
            "HTTPRequestURITooLong", "HTTPUnsupportedMediaType", "HTTPRequestRangeNotSatisfiable", "HTTPExpectationFailed",
            "HTTPMisdirectedRequest", "HTTPUnprocessableEntity", "HTTPFailedDependency", "HTTPUpgradeRequired",
            "HTTPPreconditionRequired", "HTTPTooManyRequests", "HTTPRequestHeaderFieldsTooLarge",
            "HTTPUnavailableForLegalReasons", "HTTPServerError", "HTTPInternalServerError", "HTTPNotImplemented",
            "HTTPBadGateway", "HTTPServiceUnavailable", "HTTPGatewayTimeout", "HTTPVersionNotSupported",
            "HTTPVariantAlsoNegotiates", "HTTPInsufficientStorage", "HTTPNotExtended", "HTTPNetworkAuthenticationRequired");

    /**
     * aiohttp checks that every HTTPException subclass in {@code aiohttp.web} is in
     * {@code __all__}. Here: the package is exported, each of aiohttp's names is a public class in
     * it, and it holds no other HTTPException class, nor one the test fixture does not list.
     */
    @Test
    void allHttpExceptionsExported() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target/classes")).findAll().iterator().next().descriptor();
        assertTrue(d.exports().stream().anyMatch(e -> e.source().equals(PKG) && !e.isQualified()), "exports " + PKG);
        Set<String> compiled = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("target/classes/dev/aio4j/http/web"))) {
            for (Path p : s.collect(Collectors.toList())) {
                String f = p.getFileName().toString();
                if (f.endsWith(".class") && !f.contains("$") && !f.equals("package-info.class")) {
                    Class<?> c = Class.forName(PKG + "." + f.substring(0, f.length() - 6));
                    if (HTTPException.class.isAssignableFrom(c)) {
                        assertTrue(Modifier.isPublic(c.getModifiers()), c + " is public");
                        compiled.add(c.getSimpleName());
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(AIOHTTP_ALL), compiled);
        Set<String> listed = new TreeSet<>();
        WebExceptionFamily.MEMBERS.forEach(m -> listed.add(m.type().getSimpleName()));
        WebExceptionFamily.GROUPS.forEach(g -> listed.add(g.getSimpleName()));
        assertEquals(compiled, listed, "the fixture lists every class");
    }

    @Test
    void ctor() {
        HTTPException resp = new HTTPOk();
        assertEquals("200: OK", resp.text());
        assertEquals(Headers.of("Content-Type", "text/plain"), resp.headers());
        assertEquals("OK", resp.reason());
        assertEquals(200, resp.status());
    }

    @Test
    void ctorWithHeaders() {
        HTTPException resp = new HTTPOk(Headers.of("X-Custom", "value"), null, null, null);
        assertEquals("200: OK", resp.text());
        assertEquals(Headers.of("X-Custom", "value", "Content-Type", "text/plain"), resp.headers());
        assertEquals("OK", resp.reason());
        assertEquals(200, resp.status());
    }

    @Test
    void ctorContentType() {
        HTTPException resp = new HTTPOk(null, null, "text", "custom");
        assertEquals("text", resp.text());
        assertEquals(Headers.of("Content-Type", "custom"), resp.headers());
        assertEquals("OK", resp.reason());
        assertEquals(200, resp.status());
    }

    /** aiohttp 4 deprecates a content type without a body for 205; aio4j refuses it. */
    @Test
    void ctorContentTypeWithoutText() {
        var e = assertThrows(IllegalArgumentException.class, () -> new HTTPResetContent(null, null, null, "custom"));
        assertEquals("HTTPResetContent (status 205) has no body, so contentType must not be given, got \"custom\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HTTPResetContent().contentType("custom"));
    }

    /** aiohttp 4 deprecates a text for 205; aio4j refuses it. */
    @Test
    void ctorTextForEmptyBody() {
        var e = assertThrows(IllegalArgumentException.class, () -> new HTTPResetContent(null, null, "text", null));
        assertEquals("HTTPResetContent (status 205) has no body, so text must not be given, got \"text\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HTTPResetContent().text("text"));
    }

    /** The classes no other class extends have a status each, and no two share one. */
    @Test
    void terminalClassesHasStatusCode() {
        Set<Class<?>> terminals = new HashSet<>(WebExceptionFamily.GROUPS);
        WebExceptionFamily.MEMBERS.forEach(m -> terminals.add(m.type()));
        for (Class<?> c : Set.copyOf(terminals)) {
            terminals.remove(c.getSuperclass());
        }
        assertEquals(WebExceptionFamily.MEMBERS.size(), terminals.size(), "the groups are exactly the non-terminals");
        Map<Integer, String> byStatus = new HashMap<>();
        for (Member m : WebExceptionFamily.MEMBERS) {
            assertTrue(terminals.contains(m.type()), m + " is terminal");
            int status = m.create().status();
            String before = byStatus.put(status, m.toString());
            assertNull(before, "status " + status + " of " + m + " is also " + before + "'s");
        }
    }

    @Test
    void withText() {
        HTTPException resp = new HTTPNotFound(null, null, "Page not found", null);
        assertEquals(404, resp.status());
        assertEquals("Page not found", resp.text());
        assertEquals("text/plain", resp.headers().get("Content-Type"));
    }

    @Test
    void defaultText() {
        assertEquals("200: OK", new HTTPOk().text());
    }

    @Test
    void emptyText204() {
        assertNull(new HTTPNoContent().text());
    }

    @Test
    void emptyText205() {
        assertNull(new HTTPResetContent().text());
    }

    /** aiohttp's test builds an HTTPNoContent here (and asserts nothing); this one checks 304. */
    @Test
    void emptyText304() {
        HTTPException resp = new HTTPNotModified();
        assertNull(resp.text());
        assertNull(resp.body());
        assertNull(resp.contentType());
        assertTrue(resp.headers().isEmpty());
    }

    /** aiohttp's TypeError for a missing argument is a compile error here: no such constructor. */
    @Test
    void noLink451() {
        assertThrows(NoSuchMethodException.class, () -> HTTPUnavailableForLegalReasons.class.getConstructor());
    }

    @Test
    void linkNone451() {
        var resp = new HTTPUnavailableForLegalReasons(null);
        assertNull(resp.link());
        assertFalse(resp.headers().contains("Link"));
    }

    @Test
    void linkEmpty451() {
        var resp = new HTTPUnavailableForLegalReasons("");
        assertNull(resp.link());
        assertFalse(resp.headers().contains("Link"));
    }

    @Test
    void linkStr451() {
        var resp = new HTTPUnavailableForLegalReasons("http://warning.or.kr/");
        assertEquals(URI.create("http://warning.or.kr/"), resp.link());
        assertEquals("<http://warning.or.kr/>; rel=\"blocked-by\"", resp.headers().get("Link"));
    }

    /** aiohttp takes a yarl URL too; here a URI's string. */
    @Test
    void linkUrl451() {
        var resp = new HTTPUnavailableForLegalReasons(URI.create("http://warning.or.kr/").toString());
        assertEquals(URI.create("http://warning.or.kr/"), resp.link());
        assertEquals("<http://warning.or.kr/>; rel=\"blocked-by\"", resp.headers().get("Link"));
    }

    @Test
    void linkCRLF451() {
        var resp = new HTTPUnavailableForLegalReasons("http://warning.or.kr/\r\n");
        assertFalse(resp.headers().get("Link").contains("\r\n"));
        assertEquals("<http://warning.or.kr/%0D%0A>; rel=\"blocked-by\"", resp.headers().get("Link"));
    }

    /** {@code raise web.HTTPException() from exc}: the cause is kept and printed. */
    @Test
    void httpExceptionRetainsCause() {
        Exception custom = new Exception("CustomException");
        HTTPException e = assertThrows(HTTPException.class, () -> {
            try {
                throw custom;
            } catch (Exception exc) {
                throw new HTTPInternalServerError().initCause(exc);
            }
        });
        assertSame(custom, e.getCause());
        StringWriter tb = new StringWriter();
        e.printStackTrace(new PrintWriter(tb));
        assertTrue(tb.toString().contains("CustomException"), tb.toString());
        assertTrue(tb.toString().contains("Caused by: "), tb.toString());
    }

    @Nested
    class TestHTTPOk {
        @Test
        void ctorAll() {
            HTTPException resp = new HTTPOk(Headers.of("X-Custom", "value"), "Done", "text", "custom");
            assertEquals("text", resp.text());
            assertEquals(Headers.of("X-Custom", "value", "Content-Type", "custom"), resp.headers());
            assertEquals("Done", resp.reason());
            assertEquals(200, resp.status());
        }

        @Test
        void multilineReason() {
            var e = assertThrows(IllegalArgumentException.class, () -> new HTTPOk(null, "Bad\r\nInjected-header: foo", null, null));
            assertEquals("reason must hold no control character (HTAB allowed, never CR or LF) and only ISO-8859-1, "
                    + "got \"Bad\\r\\nInjected-header: foo\"", e.getMessage());
        }

        @Test
        void reasonWithCr() {
            assertThrows(IllegalArgumentException.class, () -> new HTTPOk(null, "OK\rSet-Cookie: evil=1", null, null));
        }

        @Test
        void reasonWithLf() {
            assertThrows(IllegalArgumentException.class, () -> new HTTPOk(null, "OK\nSet-Cookie: evil=1", null, null));
            assertThrows(IllegalArgumentException.class, () -> new HTTPOk().reason("OK\nSet-Cookie: evil=1"));
        }
    }

    @Nested
    class TestHTTPFound {
        @Test
        void locationStr() {
            var exc = new HTTPFound("/redirect");
            assertEquals(URI.create("/redirect"), exc.location());
            assertEquals("/redirect", exc.headers().get("Location"));
        }

        /** aiohttp takes a yarl URL too; here a URI's string. */
        @Test
        void locationUrl() {
            var exc = new HTTPFound(URI.create("/redirect").toString());
            assertEquals(URI.create("/redirect"), exc.location());
            assertEquals("/redirect", exc.headers().get("Location"));
        }

        @Test
        void emptyLocation() {
            var e = assertThrows(IllegalArgumentException.class, () -> new HTTPFound(""));
            assertEquals("location must be a non-empty URI reference (HTTP redirects need a location to redirect to), got \"\"",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new HTTPFound(null));
        }

        @Test
        void locationCRLF() {
            var exc = new HTTPFound("/redirect\r\n");
            assertFalse(exc.headers().get("Location").contains("\r\n"));
            assertEquals("/redirect%0D%0A", exc.headers().get("Location"));
        }
    }

    @Nested
    class TestHTTPMethodNotAllowed {
        @Test
        void ctor() {
            var resp = new HTTPMethodNotAllowed("GET", List.of("POST", "PUT"), Headers.of("X-Custom", "value"), "Unsupported",
                    "text", "custom");
            assertEquals("GET", resp.method());
            assertEquals(Set.of("POST", "PUT"), resp.allowedMethods());
            assertEquals("text", resp.text());
            assertEquals(Headers.of("X-Custom", "value", "Content-Type", "custom", "Allow", "POST,PUT"), resp.headers());
            assertEquals("Unsupported", resp.reason());
            assertEquals(405, resp.status());
        }
    }

    /** aiohttp 3.13's text, which names both sizes (3.14 and later drop the actual size). */
    @Nested
    class TestHTTPRequestEntityTooLarge {
        @Test
        void ctor() {
            var resp = new HTTPRequestEntityTooLarge(100, 200, Headers.of("X-Custom", "value"), "Too large", null, null);
            assertEquals("Maximum request body size 100 exceeded, actual body size 200", resp.text());
            assertEquals(Headers.of("X-Custom", "value", "Content-Type", "text/plain"), resp.headers());
            assertEquals("Too large", resp.reason());
            assertEquals(413, resp.status());
            assertEquals(100, resp.maxSize());
            assertEquals(200, resp.actualSize());
        }
    }

    @Nested
    class TestHTTPUnavailableForLegalReasons {
        @Test
        void ctor() {
            var exc = new HTTPUnavailableForLegalReasons("http://warning.or.kr/", Headers.of("X-Custom", "value"), "Zaprescheno",
                    "text", "custom");
            assertEquals(URI.create("http://warning.or.kr/"), exc.link());
            assertEquals("text", exc.text());
            assertEquals(Headers.of("X-Custom", "value", "Content-Type", "custom", "Link", "<http://warning.or.kr/>; rel=\"blocked-by\""),
                    exc.headers());
            assertEquals("Zaprescheno", exc.reason());
            assertEquals(451, exc.status());
        }

        @Test
        void noLink() {
            assertThrows(NoSuchMethodException.class, () -> HTTPUnavailableForLegalReasons.class.getConstructor());
        }

        @Test
        void noneLink() {
            var exc = new HTTPUnavailableForLegalReasons(null);
            assertNull(exc.link());
            assertFalse(exc.headers().contains("Link"));
        }

        @Test
        void emptyLink() {
            var exc = new HTTPUnavailableForLegalReasons("");
            assertNull(exc.link());
            assertFalse(exc.headers().contains("Link"));
        }

        @Test
        void linkStr() {
            var exc = new HTTPUnavailableForLegalReasons("http://warning.or.kr/");
            assertEquals(URI.create("http://warning.or.kr/"), exc.link());
            assertEquals("<http://warning.or.kr/>; rel=\"blocked-by\"", exc.headers().get("Link"));
        }

        @Test
        void linkUrl() {
            var exc = new HTTPUnavailableForLegalReasons(URI.create("http://warning.or.kr/").toString());
            assertEquals(URI.create("http://warning.or.kr/"), exc.link());
        }

        @Test
        void linkCRLF() {
            var exc = new HTTPUnavailableForLegalReasons("http://warning.or.kr/\r\n");
            assertFalse(exc.headers().get("Link").contains("\r\n"));
        }
    }

    // ------------------------------------------------------------------ aio4j-only

    /**
     * aio4j-only: the fluent setters build the same exception as aiohttp's keyword arguments (the
     * header order may differ, as aiohttp's dict comparison ignores).
     */
    @Test
    void fluentSettersMatchTheLongConstructor() {
        HTTPException fluent = new HTTPOk().header("X-Custom", "value").reason("Done").text("text").contentType("custom");
        HTTPException kwargs = new HTTPOk(Headers.of("X-Custom", "value"), "Done", "text", "custom");
        assertEquals(WebExceptionFamily.fieldSet(kwargs.headers()), WebExceptionFamily.fieldSet(fluent.headers()));
        assertEquals(kwargs.reason(), fluent.reason());
        assertEquals(kwargs.text(), fluent.text());
        assertEquals(kwargs.contentType(), fluent.contentType());
    }

    /** aio4j-only: a later reason changes a default text, as reason= does in aiohttp; not a set one. */
    @Test
    void reasonUpdatesTheDefaultTextOnly() {
        assertEquals("404: Nope", new HTTPNotFound().reason("Nope").text());
        assertEquals("404: Nope", new HTTPNotFound(null, "Nope", null, null).text());
        assertEquals("gone", new HTTPNotFound().text("gone").reason("Nope").text());
    }

    /** aio4j-only: one-line porting forms compile and throw what they say. */
    @Test
    void oneLineForms() {
        HTTPException e = assertThrows(HTTPException.class, () -> {
            throw new HTTPBadRequest().text("missing id");
        });
        assertEquals(400, e.status());
        assertEquals("missing id", e.text());
        HTTPException u = assertThrows(HTTPUnauthorized.class, () -> {
            throw new HTTPUnauthorized().header("WWW-Authenticate", "Basic realm=\"x\"");
        });
        assertEquals("Basic realm=\"x\"", u.headers().get("WWW-Authenticate"));
    }

    /** aio4j-only: control flow, so no stack trace is recorded; the message is the reason. */
    @Test
    void noStackTraceAndTheReasonAsMessage() {
        HTTPException e = new HTTPNotFound();
        assertEquals(0, e.getStackTrace().length);
        assertEquals("Not Found", e.getMessage());
        assertEquals("dev.aio4j.http.web.HTTPNotFound: Not Found", e.toString());
    }

    /** aio4j-only: body() is the text in the charset, UTF-8 unless set. */
    @Test
    void bodyIsTheTextInTheCharset() {
        HTTPException e = new HTTPBadRequest().text("é");
        assertEquals(StandardCharsets.UTF_8, e.charset());
        assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9}, e.body());
        assertArrayEquals(new byte[] {(byte) 0xE9}, e.charset(StandardCharsets.ISO_8859_1).body());
        assertNull(new HTTPNoContent().body());
    }

    /** aio4j-only: an empty text gets no Content-Type (aiohttp's rule), a later text does. */
    @Test
    void emptyTextHasNoContentType() {
        HTTPException e = new HTTPOk(null, null, "", null);
        assertNull(e.contentType());
        assertEquals("text/plain", e.text("x").contentType());
        assertEquals("text/html", new HTTPOk(Headers.of("Content-Type", "text/html"), null, "<p>", null).contentType());
    }

    /** aio4j-only: the given headers are copied, not shared. */
    @Test
    void headersAreCopied() {
        Headers given = Headers.of("X-Custom", "value");
        HTTPException e = new HTTPOk(given, null, null, null);
        given.set("X-Custom", "changed");
        assertEquals("value", e.headers().get("X-Custom"));
        e.headers().add("X-More", "1");
        assertFalse(given.contains("X-More"));
    }

    /** aio4j-only: a status aiohttp has no class for, by extending a group. */
    @Test
    void customSubclass() {
        final class HTTPTeapot extends HTTPClientError {
            HTTPTeapot() {
                super(418);
            }
        }
        final class HTTPUnregistered extends HTTPClientError {
            HTTPUnregistered() {
                super(499);
            }
        }
        final class HTTPNoStatus extends HTTPServerError {
            HTTPNoStatus() {
                super(99);
            }
        }
        assertEquals("418: I'm a Teapot", new HTTPTeapot().text());
        assertEquals("", new HTTPUnregistered().reason());
        assertEquals("499: ", new HTTPUnregistered().text());
        var e = assertThrows(IllegalArgumentException.class, HTTPNoStatus::new);
        assertEquals("status must be a three-digit code from 100, got 99", e.getMessage());
    }

    /** aio4j-only: what a URI may not hold is percent-encoded as yarl does; what cannot be, is refused. */
    @Test
    void locationIsPercentEncoded() {
        assertEquals("/a%20b/%C3%BC?q=%20#f%20", new HTTPSeeOther("/a b/ü?q= #f ").headers().get("Location"));
        assertEquals("/already%2Fencoded", new HTTPSeeOther("/already%2Fencoded").headers().get("Location"));
        assertEquals("http://example.com/x", new HTTPMovedPermanently("http://example.com/x").location().toString());
        var e = assertThrows(IllegalArgumentException.class, () -> new HTTPFound("http://bad host/"));
        assertTrue(e.getMessage().startsWith("location must be a URI reference, got \"http://bad host/\""), e.getMessage());
    }

    /** aio4j-only: allowedMethods() is sorted and read-only; the Allow header follows it. */
    @Test
    void allowedMethodsSortedAndReadOnly() {
        var e = new HTTPMethodNotAllowed("DELETE", List.of("PUT", "GET", "POST", "GET"));
        assertEquals(List.of("GET", "POST", "PUT"), new ArrayList<>(e.allowedMethods()));
        assertEquals("GET,POST,PUT", e.headers().get("Allow"));
        assertThrows(UnsupportedOperationException.class, () -> e.allowedMethods().add("PATCH"));
        assertEquals("", new HTTPMethodNotAllowed("GET", List.of()).headers().get("Allow"));
    }
}
