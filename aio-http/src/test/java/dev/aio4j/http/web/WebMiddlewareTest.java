package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's tests/test_web_middleware.py, the parts that apply: new-style middlewares
 * (a {@link Middleware} lambda, class or method reference) modifying the response, handling the
 * handler's exception, chaining in list order, and nesting with sub-applications.
 * {@link NormalizePathMiddleware} mirrors {@code TestNormalizePathMiddleware}. Old-style
 * middleware factories do not exist in aio4j, so their tests are not ported.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebMiddlewareTest {

    @Test
    void middlewareModifiesResponse() throws Exception {
        Application app = new Application();
        List<Integer> seenStatus = new CopyOnWriteArrayList<>();
        app.middlewares().add((request, handler) -> {
            Response resp = (Response) handler.handle(request);
            seenStatus.add(resp.status());
            resp.setStatus(201);
            resp.text(resp.text() + "[MIDDLEWARE]");
            return resp;
        });
        app.router().addRoute("GET", "/", r -> new Response().body("OK".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                for (int i = 0; i < 2; i++) { // twice: nothing cached between requests
                    try (ClientResponse r = f.get("/")) {
                        assertEquals(201, r.status());
                        assertEquals("OK[MIDDLEWARE]", r.text());
                    }
                }
            }
        });
        assertEquals(List.of(200, 200), seenStatus);
    }

    @Test
    void middlewareHandlesException() throws Exception {
        Application app = new Application();
        app.middlewares().add((request, handler) -> {
            try {
                handler.handle(request);
                return new Response(500).text("the handler did not throw");
            } catch (RuntimeException e) {
                return new Response(501).text(e.getMessage() + "[MIDDLEWARE]");
            }
        });
        app.router().addRoute("GET", "/", r -> {
            throw new RuntimeException("Error text");
        });
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                for (int i = 0; i < 2; i++) {
                    try (ClientResponse r = f.get("/")) {
                        assertEquals(501, r.status());
                        assertEquals("Error text[MIDDLEWARE]", r.text());
                    }
                }
            }
        });
    }

    @Test
    void middlewareChain() throws Exception {
        List<Handler> seenHandlers = new CopyOnWriteArrayList<>();
        Handler handler = r -> new Response().text("OK");
        Handler handler2 = r -> new Response().text("OK");
        Application app = new Application();
        app.middlewares().add(makeMiddleware(1, seenHandlers));
        app.middlewares().add(makeMiddleware(2, seenHandlers));
        app.router().addRoute("GET", "/", handler);
        app.router().addRoute("GET", "/r2", handler2);
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.get("/")) {
                    assertEquals(200, r.status());
                    assertEquals("OK[2][1]", r.text()); // the first middleware is the outermost
                }
                try (ClientResponse r = f.get("/r2")) {
                    assertEquals("OK[2][1]", r.text());
                }
            }
        });
        // the innermost middleware is handed the route's own handler, the outer one a wrapper
        assertEquals(4, seenHandlers.size());
        assertSame(handler, seenHandlers.get(1));
        assertSame(handler2, seenHandlers.get(3));
    }

    private static Middleware makeMiddleware(int num, List<Handler> seen) {
        return (request, handler) -> {
            seen.add(handler);
            Response resp = (Response) handler.handle(request);
            resp.text(resp.text() + "[" + num + "]");
            return resp;
        };
    }

    @Test
    void middlewareSubapp() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.middlewares().add(recording(1, seen));
        app.router().addRoute("GET", "/r2", r -> new Response().text("OK"));
        Application sub = new Application();
        sub.middlewares().add(recording(2, seen));
        sub.router().addRoute("GET", "/", r -> {
            seen.add("sub handler");
            return new Response().text("OK");
        });
        app.addSubapp("/sub", sub);
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.get("/sub/")) {
                    assertEquals(200, r.status());
                    assertEquals("OK", r.text());
                }
                assertEquals(List.of("mw1", "mw2", "sub handler"), seen);
                seen.clear();
                // the sub-application's middleware does not run for the parent's routes
                try (ClientResponse r = f.get("/r2")) {
                    assertEquals(200, r.status());
                }
                assertEquals(List.of("mw1"), seen);
            }
        });
    }

    private static Middleware recording(int num, List<String> seen) {
        return (request, handler) -> {
            seen.add("mw" + num);
            return handler.handle(request);
        };
    }

    /** A middleware as a class: aiohttp's test_new_style_middleware_class. */
    private static final class AppendingMiddleware implements Middleware {
        @Override
        public StreamResponse handle(Request request, Handler handler) throws Exception {
            Response resp = (Response) handler.handle(request);
            resp.setStatus(201);
            resp.text(resp.text() + "[new style middleware]");
            return resp;
        }
    }

    @Test
    void newStyleMiddlewareClass() throws Exception {
        Application app = new Application();
        app.middlewares().add(new AppendingMiddleware());
        app.router().addRoute("GET", "/", r -> new Response().text("OK"));
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app); ClientResponse r = f.get("/")) {
                assertEquals(201, r.status());
                assertEquals("OK[new style middleware]", r.text());
            }
        });
    }

    private StreamResponse appendingMethod(Request request, Handler handler) throws Exception {
        Response resp = (Response) handler.handle(request);
        resp.setStatus(201);
        resp.text(resp.text() + "[new style middleware]");
        return resp;
    }

    @Test
    void newStyleMiddlewareMethod() throws Exception {
        Application app = new Application();
        app.middlewares().add(this::appendingMethod);
        app.router().addRoute("GET", "/", r -> new Response().text("OK"));
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app); ClientResponse r = f.get("/")) {
                assertEquals(201, r.status());
                assertEquals("OK[new style middleware]", r.text());
            }
        });
    }

    @Test
    void middlewareSeesNotFoundAndMethodNotAllowed() throws Exception { // aio4j-only: routing errors go through the chain
        Application app = new Application();
        app.middlewares().add((request, handler) -> {
            try {
                return handler.handle(request);
            } catch (HTTPNotFound e) {
                return new Response(404).text("custom 404 for " + request.path());
            } catch (HTTPMethodNotAllowed e) {
                return new Response(405).text("custom 405");
            }
        });
        app.router().addGet("/only-get", r -> new Response());
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.get("/missing")) {
                    assertEquals(404, r.status());
                    assertEquals("custom 404 for /missing", r.text());
                }
                try (ClientResponse r = f.post("/only-get")) {
                    assertEquals(405, r.status());
                    assertEquals("custom 405", r.text());
                }
            }
        });
    }

    @Test
    void middlewareShortCircuitsAndRaises() throws Exception { // aio4j-only: no call to the handler; an HTTPException from a middleware
        List<String> reached = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.middlewares().add((request, handler) -> {
            if (request.headers().get("X-Deny") != null) {
                throw new HTTPForbidden();
            }
            if (request.query().containsKey("cached")) {
                return new Response().text("from cache");
            }
            return handler.handle(request);
        });
        app.router().addGet("/", r -> {
            reached.add("handler");
            return new Response().text("fresh");
        });
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.get("/?cached")) {
                    assertEquals("from cache", r.text());
                }
                try (ClientResponse r = f.get("/", dev.aio4j.http.RequestOption.header("X-Deny", "1"))) {
                    assertEquals(403, r.status());
                }
                try (ClientResponse r = f.get("/")) {
                    assertEquals("fresh", r.text());
                }
            }
        });
        assertEquals(List.of("handler"), reached);
    }

    /** aiohttp's TestNormalizePathMiddleware. */
    @Nested
    class NormalizePathMiddleware {
        /** aiohttp's cli fixture: five resources, the middleware under test, paths sent verbatim. */
        private void check(Middleware mw, String path, int status) throws Exception {
            List<String> reached = new CopyOnWriteArrayList<>();
            Application app = new Application();
            Handler handler = r -> {
                reached.add(r.path());
                return new Response().text("OK");
            };
            app.router().addRoute("GET", "/resource1", handler);
            app.router().addRoute("GET", "/resource2/", handler);
            app.router().addRoute("GET", "/resource1/a/b", handler);
            app.router().addRoute("GET", "/resource2/a/b/", handler);
            app.middlewares().add(mw);
            Aio.run(() -> {
                try (WebFixture f = WebFixture.start(app);
                     ClientResponse r = f.get(path, dev.aio4j.http.RequestOption.encoded(true))) {
                    assertEquals(status, r.status(), path);
                    int q = path.indexOf('?');
                    assertEquals(q < 0 ? null : path.substring(q + 1), r.url().getRawQuery(), path);
                }
            });
            assertEquals(status == 200 ? 1 : 0, reached.size());
        }

        @ParameterizedTest
        @CsvSource({
                "/resource1, 200", "/resource1/, 404", "/resource2, 200", "/resource2/, 200",
                "/resource1?p1=1&p2=2, 200", "/resource1/?p1=1&p2=2, 404",
                "/resource2?p1=1&p2=2, 200", "/resource2/?p1=1&p2=2, 200"})
        void addTrailingWhenNecessary(String path, int status) throws Exception {
            check(Web.normalizePathMiddleware(true, false, false), path, status);
        }

        @ParameterizedTest
        @CsvSource({
                "/resource1, 200", "/resource1/, 200", "/resource2, 404", "/resource2/, 200",
                "/resource1?p1=1&p2=2, 200", "/resource1/?p1=1&p2=2, 200",
                "/resource2?p1=1&p2=2, 404", "/resource2/?p1=1&p2=2, 200",
                "/resource12, 404", "/resource12345, 404"})
        void removeTrailingWhenNecessary(String path, int status) throws Exception {
            check(Web.normalizePathMiddleware(false, true, false), path, status);
        }

        @ParameterizedTest
        @CsvSource({
                "/resource1, 200", "/resource1/, 404", "/resource2, 404", "/resource2/, 200",
                "/resource1?p1=1&p2=2, 200", "/resource1/?p1=1&p2=2, 404",
                "/resource2?p1=1&p2=2, 404", "/resource2/?p1=1&p2=2, 200"})
        void noTrailingSlashWhenDisabled(String path, int status) throws Exception {
            check(Web.normalizePathMiddleware(false, false, false), path, status);
        }

        @ParameterizedTest
        @CsvSource({
                "/resource1/a/b, 200", "//resource1//a//b, 200", "//resource1//a//b/, 404",
                "///resource1//a//b, 200", "/////resource1/a///b, 200", "/////resource1/a//b/, 404",
                "/resource1/a/b?p=1, 200", "//resource1//a//b?p=1, 200", "//resource1//a//b/?p=1, 404",
                "///resource1//a//b?p=1, 200", "/////resource1/a///b?p=1, 200", "/////resource1/a//b/?p=1, 404"})
        void mergeSlash(String path, int status) throws Exception {
            check(Web.normalizePathMiddleware(false, false, true), path, status);
        }

        @ParameterizedTest
        @CsvSource({
                "/resource1/a/b, 200", "/resource1/a/b/, 404", "//resource2//a//b, 200", "//resource2//a//b/, 200",
                "///resource1//a//b, 200", "///resource1//a//b/, 404", "/////resource1/a///b, 200",
                "/////resource1/a///b/, 404", "/resource2/a/b, 200", "//resource2//a//b, 200",
                "//resource2//a//b/, 200", "///resource2//a//b, 200", "///resource2//a//b/, 200",
                "/////resource2/a///b, 200", "/////resource2/a///b/, 200",
                "/resource1/a/b?p=1, 200", "/resource1/a/b/?p=1, 404", "//resource2//a//b?p=1, 200",
                "//resource2//a//b/?p=1, 200", "///resource1//a//b?p=1, 200", "///resource1//a//b/?p=1, 404",
                "/////resource1/a///b?p=1, 200", "/////resource1/a///b/?p=1, 404", "/resource2/a/b?p=1, 200",
                "//resource2//a//b?p=1, 200", "//resource2//a//b/?p=1, 200", "///resource2//a//b?p=1, 200",
                "///resource2//a//b/?p=1, 200", "/////resource2/a///b?p=1, 200", "/////resource2/a///b/?p=1, 200"})
        void appendAndMergeSlash(String path, int status) throws Exception {
            check(Web.normalizePathMiddleware(), path, status);
        }

        @ParameterizedTest
        @CsvSource({
                "/resource1/a/b, 200", "/resource1/a/b/, 200", "//resource2//a//b, 404", "//resource2//a//b/, 200",
                "///resource1//a//b, 200", "///resource1//a//b/, 200", "/////resource1/a///b, 200",
                "/////resource1/a///b/, 200", "/////resource1/a///b///, 200", "/resource2/a/b, 404",
                "//resource2//a//b, 404", "//resource2//a//b/, 200", "///resource2//a//b, 404",
                "///resource2//a//b/, 200", "/////resource2/a///b, 404", "/////resource2/a///b/, 200",
                "/resource1/a/b?p=1, 200", "/resource1/a/b/?p=1, 200", "//resource2//a//b?p=1, 404",
                "//resource2//a//b/?p=1, 200", "///resource1//a//b?p=1, 200", "///resource1//a//b/?p=1, 200",
                "/////resource1/a///b?p=1, 200", "/////resource1/a///b/?p=1, 200", "/resource2/a/b?p=1, 404",
                "//resource2//a//b?p=1, 404", "//resource2//a//b/?p=1, 200", "///resource2//a//b?p=1, 404",
                "///resource2//a//b/?p=1, 200", "/////resource2/a///b?p=1, 404", "/////resource2/a///b/?p=1, 200"})
        void removeAndMergeSlash(String path, int status) throws Exception {
            check(Web.normalizePathMiddleware(false, true, true), path, status);
        }

        @Test
        void cannotRemoveAndAddSlash() {
            assertThrows(IllegalArgumentException.class, () -> Web.normalizePathMiddleware(true, true, false));
        }

        @ParameterizedTest
        @CsvSource({"true, false", "false, true", "false, false"})
        void openRedirects(boolean appendSlash, boolean removeSlash) throws Exception {
            List<String> reached = new CopyOnWriteArrayList<>();
            Application app = new Application();
            app.middlewares().add(Web.normalizePathMiddleware(appendSlash, removeSlash, true));
            Handler handle = r -> {
                reached.add(r.path());
                return new Response();
            };
            app.router().addGet("/", handle);
            app.router().addGet("/google.com", handle);
            Aio.run(() -> {
                try (WebFixture f = WebFixture.start(app);
                     ClientResponse r = f.get("//google.com", dev.aio4j.http.RequestOption.encoded(true),
                             dev.aio4j.http.RequestOption.allowRedirects(false))) {
                    assertEquals(308, r.status());
                    assertEquals("/google.com", r.headers().get("Location"));
                }
            });
            assertEquals(List.of(), reached);
        }

        @Test
        void openRedirectAbsoluteFormTarget() throws Exception {
            List<String> reached = new CopyOnWriteArrayList<>();
            Application app = new Application();
            app.middlewares().add(Web.normalizePathMiddleware());
            app.router().addGet("/google.com/", r -> {
                reached.add(r.path());
                return new Response();
            });
            String head = Aio.run(() -> {
                try (WebFixture f = WebFixture.start(app)) {
                    return f.raw("GET http://google.com/google.com HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                }
            });
            assertTrue(head.startsWith("HTTP/1.1 308 "), head);
            assertTrue(head.contains("\r\nLocation: /google.com/\r\n"), head);
            assertEquals(List.of(), reached);
        }

        @Test
        void normalizePathSkipsParserError() throws Exception {
            List<String> reached = new CopyOnWriteArrayList<>();
            Application app = new Application();
            app.middlewares().add(Web.normalizePathMiddleware());
            app.router().addGet("/", r -> {
                reached.add("root");
                return new Response();
            });
            String out = Aio.run(() -> {
                try (WebFixture f = WebFixture.start(app)) {
                    return f.raw("garbage\r\n\r\n");
                }
            });
            assertTrue(out.startsWith("HTTP/1.1 400 "), out);
            assertEquals(List.of(), reached);
        }

        @Test
        void normalizePathRedirectsMethodNotAllowed() throws Exception {
            // a POST to /resource that only exists as POST /resource/: 405 on the path as given,
            // 308 to the path that takes the method
            Application app = new Application();
            app.middlewares().add(Web.normalizePathMiddleware());
            app.router().addGet("/resource", r -> new Response());
            app.router().addPost("/resource/", r -> new Response().text("posted"));
            String out = Aio.run(() -> {
                try (WebFixture f = WebFixture.start(app)) {
                    return f.raw("POST /resource?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            });
            assertTrue(out.startsWith("HTTP/1.1 308 "), out);
            assertTrue(out.contains("\r\nLocation: /resource/?x=1\r\n"), out);
        }
    }

    /**
     * aio4j's own: a middleware that applies a trusted proxy's {@code Forwarded} element through
     * {@code request.clone()} (aiohttp's use of clone in aiohttp-remotes style middlewares). The
     * copy's response answers the exchange (a streamed one, prepared with the copy) and the
     * connection carries the next request; a copy that leaves the body unread lets the server
     * drain it as it would the original's.
     */
    @Test
    void cloneInMiddlewareAnswersTheExchange() throws Exception {
        Application app = new Application();
        app.middlewares().add((request, handler) -> {
            List<java.util.Map<String, String>> fwd = request.forwarded();
            if (fwd.isEmpty()) {
                return handler.handle(request);
            }
            java.util.Map<String, String> last = fwd.get(fwd.size() - 1);
            return handler.handle(request.clone(CloneOption.remote(last.get("for")), CloneOption.scheme(last.get("proto"))));
        });
        app.router().addRoute("POST", "/stream", r -> {
            byte[] body = r.read();
            StreamResponse out = new StreamResponse();
            out.prepare(r);
            out.write((r.remote() + " " + r.scheme() + " " + r.secure() + " ").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(body);
            out.writeEof();
            return out;
        });
        app.router().addRoute("POST", "/unread", r -> new Response().text(r.remote()));
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                for (int i = 0; i < 2; i++) { // the same connection twice
                    try (ClientResponse r = f.post("/stream", dev.aio4j.http.RequestOption.header("Forwarded", "for=10.0.0.1, for=9.9.9.9;proto=https"),
                            dev.aio4j.http.RequestOption.body("abc" + i))) {
                        assertEquals(200, r.status());
                        assertEquals("9.9.9.9 https true abc" + i, r.text());
                    }
                    try (ClientResponse r = f.post("/unread", dev.aio4j.http.RequestOption.header("Forwarded", "for=8.8.8.8;proto=http"),
                            dev.aio4j.http.RequestOption.body("x".repeat(100_000)))) {
                        assertEquals(200, r.status());
                        assertEquals("8.8.8.8", r.text());
                    }
                }
                try (ClientResponse r = f.post("/stream", dev.aio4j.http.RequestOption.body("plain"))) {
                    assertEquals("127.0.0.1 http false plain", r.text());
                }
            }
        });
    }

    /**
     * aio4j's own: a copy with another method still answers the request the client sent. A HEAD
     * gets no body (the client would read the body as the next response), a GET gets its body
     * (the client would wait for it), whatever method the copy the response was prepared with says.
     */
    @Test
    void aCloneWithAnotherMethodGetsTheResponseFramedForTheMethodSent() throws Exception {
        Application app = new Application();
        app.middlewares().add((request, handler) ->
                handler.handle(request.clone(CloneOption.method(request.method().equals("HEAD") ? "GET" : "HEAD"))));
        app.router().addGet("/x", r -> {
            StreamResponse out = new StreamResponse();
            out.contentType("text/plain");
            out.prepare(r); // with the copy
            out.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeEof();
            return out;
        });
        java.nio.file.Path file = java.nio.file.Files.createTempFile("aio4j-clone", ".txt");
        java.nio.file.Files.writeString(file, "hello");
        app.router().addGet("/f", r -> {
            FileResponse out = new FileResponse(file);
            out.prepare(r); // with the copy
            return out;
        });
        List<String> outs;
        try {
            outs = Aio.run(() -> {
                try (WebFixture f = WebFixture.start(app)) {
                    return List.of(f.raw("HEAD /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                            f.raw("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                            f.raw("HEAD /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                            f.raw("GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
                }
            });
        } finally {
            java.nio.file.Files.delete(file);
        }
        String head = outs.get(0);
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertEquals(head.length() - 4, head.indexOf("\r\n\r\n"), "no body after the head of a HEAD: " + head);
        String get = outs.get(1);
        assertTrue(get.startsWith("HTTP/1.1 200 "), get);
        assertTrue(get.endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), "the GET's chunked body: " + get);
        String fileHead = outs.get(2);
        assertTrue(fileHead.startsWith("HTTP/1.1 200 ") && fileHead.contains("\r\nContent-Length: 5\r\n"), fileHead);
        assertEquals(fileHead.length() - 4, fileHead.indexOf("\r\n\r\n"), "no file after the head of a HEAD: " + fileHead);
        String fileGet = outs.get(3);
        assertTrue(fileGet.startsWith("HTTP/1.1 200 ") && fileGet.endsWith("\r\n\r\nhello"), "the GET's file: " + fileGet);
    }
}
