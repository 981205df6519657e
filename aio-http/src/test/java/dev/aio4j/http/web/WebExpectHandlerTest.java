package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.FormData;
import dev.aio4j.http.MultiDict;
import dev.aio4j.http.RequestOption;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route's {@link ExpectHandler}: mirrors the {@code expect_handler} tests of aiohttp's
 * {@code tests/test_urldispatch.py} ({@code test_default_expect_handler},
 * {@code test_custom_expect_handler_plain}, {@code test_custom_expect_handler_dynamic}) and
 * {@code tests/test_web_functional.py} ({@code test_100_continue_custom},
 * {@code test_100_continue_custom_response}, {@code test_expect_handler_custom_response}); the
 * default handler's own tests ({@code test_expect_default_handler_unknown},
 * {@code test_100_continue*}) are in {@link WebFunctionalTest}. aiohttp's
 * {@code test_expect_handler_non_coroutine} has no counterpart (the type says it). Names are
 * aiohttp's in camelCase; aio4j-only tests pin the bytes on the wire.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebExpectHandlerTest {
    private static final String EXPECTING = "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n"
            + "Connection: close\r\n\r\ndata";

    private static Handler makeHandler() {
        return request -> new Response().text("handler");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ test_urldispatch.py

    @Test
    void defaultExpectHandler() { // test_default_expect_handler
        Route route = new Application().router().addRoute("GET", "/", makeHandler());
        assertSame(ExpectHandler.defaultHandler(), route.expectHandler());
    }

    @Test
    void customExpectHandlerPlain() { // test_custom_expect_handler_plain
        ExpectHandler handler = request -> {
            throw new AssertionError("not called");
        };
        Route route = new Application().router().addRoute("GET", "/", makeHandler(), null, handler);
        assertSame(handler, route.expectHandler());
        assertEquals(Resource.Kind.PLAIN, route.resource().kind());
    }

    @Test
    void customExpectHandlerDynamic() { // test_custom_expect_handler_dynamic
        ExpectHandler handler = request -> {
            throw new AssertionError("not called");
        };
        Route route = new Application().router().addRoute("GET", "/get/{name}", makeHandler(), null, handler);
        assertSame(handler, route.expectHandler());
        assertEquals(Resource.Kind.DYNAMIC, route.resource().kind());
    }

    @Test
    void routeDefCarriesTheExpectHandler(@TempDir Path dir) { // aio4j-only: web.post(..., expect_handler=...)
        ExpectHandler handler = request -> null;
        Application app = new Application();
        List<Route> routes = app.addRoutes(List.of(Web.post("/p", makeHandler()).expectHandler(handler), Web.get("/g", makeHandler())
                .expectHandler(handler), Web.get("/d", makeHandler())));
        assertSame(handler, routes.get(0).expectHandler());
        assertSame(handler, routes.get(1).expectHandler());
        assertSame(ExpectHandler.defaultHandler(), routes.get(2).expectHandler());
        int heads = 0;
        for (Route r : app.router().routes()) {
            if (r.method().equals("HEAD") && r.resource().canonical().equals("/g")) {
                assertSame(handler, r.expectHandler()); // the GET's HEAD gets it too
                heads++;
            }
        }
        assertEquals(1, heads); // and there is one to check
        assertSame(handler, new Application().router().addResource("/r").addRoute("PUT", makeHandler(), handler).expectHandler());
    }

    @Test
    void staticRoutesTakeAnExpectHandler(@TempDir Path dir) { // aio4j-only: add_static(..., expect_handler=...)
        // aiohttp's StaticResource gives its expect_handler to both its GET and HEAD routes
        ExpectHandler handler = request -> null;
        Resource r = new Application().router().addStatic("/s", dir, StaticOptions.defaults().expectHandler(handler));
        assertEquals(2, r.routes().size());
        for (Route route : r.routes()) {
            assertSame(handler, route.expectHandler());
        }
        for (Route route : new Application().router().addStatic("/s", dir).routes()) {
            assertSame(ExpectHandler.defaultHandler(), route.expectHandler());
        }
        // web.static(prefix, path, expect_handler=...) and routes.static(...)
        Application app = new Application();
        List<Route> routes = app.addRoutes(List.of(Web.staticFiles("/a", dir).expectHandler(handler),
                Web.staticFiles("/b", dir, StaticOptions.defaults().name("b").expectHandler(handler))));
        assertEquals(4, routes.size());
        for (Route route : routes) {
            assertSame(handler, route.expectHandler());
        }
        assertSame(handler, app.router().named("b").staticOptions().expectHandler());
        assertEquals(StaticOptions.defaults().expectHandler(handler), StaticOptions.defaults().expectHandler(handler));
        assertTrue(!StaticOptions.defaults().equals(StaticOptions.defaults().expectHandler(handler)));
        assertTrue(StaticOptions.defaults().expectHandler(handler).toString().startsWith("StaticOptions[expectHandler="));
    }

    @Test
    void routeTableDefTakesAnExpectHandler() { // aio4j-only: @routes.route(method, path, expect_handler=...)
        // aiohttp's RouteDef passes its keywords on to router.add_route
        ExpectHandler handler = request -> null;
        Application app = new Application();
        List<Route> routes = app.addRoutes(new RouteTableDef().route("POST", "/p", makeHandler(), "p", handler)
                .route("GET", "/g", makeHandler(), null, handler).post("/d", makeHandler()));
        assertEquals("p", routes.get(0).name());
        assertSame(handler, routes.get(0).expectHandler());
        assertSame(handler, routes.get(1).expectHandler());
        assertSame(ExpectHandler.defaultHandler(), routes.get(2).expectHandler());
        for (Route r : app.router().named("p").routes()) {
            assertEquals("POST", r.method());
        }
        long heads = app.router().routes().stream()
                .filter(r -> r.method().equals("HEAD") && r.resource().canonical().equals("/g") && r.expectHandler() == handler).count();
        assertEquals(1, heads); // a GET's HEAD gets it too
    }

    @Test
    void staticExpectHandlerRunsBeforeTheFileIsLookedUp(@TempDir Path dir) throws Exception { // aio4j-only
        java.nio.file.Files.writeString(dir.resolve("f.txt"), "file");
        List<String> seen = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.router().addStatic("/s", dir, StaticOptions.defaults().expectHandler(request -> {
            seen.add(request.path());
            if (!request.headers().contains("Authorization")) {
                throw new HTTPUnauthorized();
            }
            return null;
        }));
        String refused = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw("GET /s/f.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
            }
        });
        assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
        String allowed = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw("GET /s/f.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nAuthorization: x\r\n"
                        + "Connection: close\r\n\r\n");
            }
        });
        assertTrue(allowed.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n") && allowed.endsWith("file"), allowed);
        assertEquals(List.of("/s/f.txt", "/s/f.txt"), seen);
    }

    // ---------------------------------------------------------------- test_web_functional.py

    @Test
    void test100ContinueCustom() throws Exception { // test_100_continue_custom
        List<String> versions = new CopyOnWriteArrayList<>();
        List<MultiDict<Object>> seen = new CopyOnWriteArrayList<>();
        ExpectHandler expectHandler = request -> {
            versions.add(request.version());
            return ExpectHandler.defaultHandler().handle(request); // aiohttp writes HTTP/1.1 100 Continue itself
        };
        Application app = new Application();
        app.router().addRoute("POST", "/", r -> {
            seen.add(r.post());
            return new Response();
        }, null, expectHandler);
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app);
                 ClientResponse r = f.post("/", RequestOption.data(new FormData().addField("name", "123")), RequestOption.expect100())) {
                assertEquals(200, r.status());
            }
        });
        assertEquals(List.of("HTTP/1.1"), versions);
        assertEquals("123", seen.get(0).get("name"));
    }

    @Test
    void test100ContinueCustomResponse() throws Exception { // test_100_continue_custom_response
        boolean[] authErr = {false};
        Application app = new Application();
        app.router().addRoute("POST", "/", r -> {
            r.post();
            return new Response();
        }, null, request -> {
            assertEquals("HTTP/1.1", request.version());
            if (authErr[0]) {
                throw new HTTPForbidden();
            }
            return ExpectHandler.defaultHandler().handle(request);
        });
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.post("/", RequestOption.form("name", "123"), RequestOption.expect100())) {
                    assertEquals(200, r.status());
                }
                authErr[0] = true;
                try (ClientResponse r = f.post("/", RequestOption.form("name", "123"), RequestOption.expect100())) {
                    assertEquals(403, r.status());
                }
            }
        });
    }

    @Test
    void expectHandlerCustomResponse() throws Exception { // test_expect_handler_custom_response
        // with a body: aio4j's client sends no Expect for a request without one
        Map<String, String> cache = Map.of("foo", "bar");
        Application app = new Application();
        app.router().addRoute("POST", "/", r -> new Response().text("handler"), null, request -> {
            String cached = cache.get(request.headers().get("X-Key"));
            return cached != null ? new Response().text(cached) : null;
        });
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                try (ClientResponse r = f.post("/", RequestOption.body("data"), RequestOption.expect100(),
                        RequestOption.header("X-Key", "foo"))) {
                    assertEquals(200, r.status());
                    assertEquals("bar", r.text());
                }
                try (ClientResponse r = f.post("/", RequestOption.body("data"), RequestOption.expect100(),
                        RequestOption.header("X-Key", "spam"))) {
                    assertEquals(200, r.status());
                    assertEquals("handler", r.text());
                }
            }
        });
    }

    // -------------------------------------------------------------------------- aio4j-only

    @Test
    void customResponseSkipsMiddlewaresAndHandlerAndContinue() throws Exception { // as aiohttp's Application._handle
        List<String> reached = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.middlewares().add((request, handler) -> {
            reached.add("middleware");
            return handler.handle(request);
        });
        app.router().addRoute("POST", "/", r -> {
            reached.add("handler");
            return new Response();
        }, null, request -> new Response(202).text("early"));
        String out = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw(EXPECTING);
            }
        });
        assertTrue(out.startsWith("HTTP/1.1 202 Accepted\r\n"), out); // no 100 Continue: the body is not wanted
        assertTrue(out.endsWith("early"), out);
        assertEquals(List.of(), reached);
    }

    @Test
    void continueIsSentOnceWhenTheExpectHandlerReturnsNull() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.router().addRoute("POST", "/quiet", r -> new Response().body(r.read()), null, request -> {
            calls.add("quiet");
            return null; // the server sends 100 Continue before the handler
        });
        app.router().addRoute("POST", "/twice", r -> new Response().body(r.read()), null, request -> {
            calls.add("twice");
            ExpectHandler.defaultHandler().handle(request);
            return ExpectHandler.defaultHandler().handle(request);
        });
        String quiet = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw(EXPECTING.replace("POST / ", "POST /quiet "));
            }
        });
        String twice = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw(EXPECTING.replace("POST / ", "POST /twice "));
            }
        });
        for (String out : List.of(quiet, twice)) {
            assertTrue(out.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), out);
            assertEquals(1, count(out, "100 Continue"), out);
            assertTrue(out.endsWith("\r\n\r\ndata"), out);
        }
        assertEquals(List.of("quiet", "twice"), calls);
    }

    @Test
    void customExpectHandlerTakesOverUnknownExpectations() throws Exception {
        // the default refuses Expect: SPAM with 417; a custom one decides, and no 100 is sent
        List<String> seen = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.router().addRoute("POST", "/", r -> new Response().body(r.read()), null, request -> {
            seen.add(request.headers().get("Expect"));
            return null;
        });
        String out = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw("POST / HTTP/1.1\r\nHost: x\r\nExpect: SPAM\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndata");
            }
        });
        assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
        assertTrue(out.endsWith("data"), out);
        assertEquals(List.of("SPAM"), seen);
    }

    @Test
    void expectHandlerRunsForHttp10WithoutContinue() throws Exception { // aiohttp calls it for any Expect; the default ignores 1.0
        List<String> seen = new CopyOnWriteArrayList<>();
        Application app = new Application();
        app.router().addRoute("POST", "/custom", r -> new Response().body(r.read()), null, request -> {
            seen.add(request.version());
            return null;
        });
        app.router().addPost("/default", r -> new Response().body(r.read()));
        String out = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw("POST /custom HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata")
                        + f.raw("POST /default HTTP/1.0\r\nExpect: SPAM\r\nContent-Length: 4\r\n\r\ndata");
            }
        });
        assertEquals(0, count(out, "100 Continue"), out);
        assertEquals(2, count(out, " 200 OK\r\n"), out);
        assertEquals(List.of("HTTP/1.0"), seen);
    }

    @Test
    void defaultHandlerRefusesTooLargeBodyBeforeContinue() throws Exception { // aio4j's addition to the default
        Application app = new Application().clientMaxSize(3);
        app.router().addPost("/", r -> new Response().body(r.read()));
        String out = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw(EXPECTING);
            }
        });
        assertTrue(out.startsWith("HTTP/1.1 413 "), out);
        assertEquals(0, count(out, "100 Continue"), out);
    }

    @Test
    void noContinueAfterAResponseTheExpectHandlerStarted() throws Exception { // aio4j-only: the server's own 100
        // an expect handler that answers by itself but returns null: the server must not put a
        // 100 Continue on the wire after that response's head (nor after its end)
        Application app = new Application();
        app.router().addRoute("POST", "/", r -> new Response().text("handler"), null, request -> {
            StreamResponse early = new StreamResponse();
            early.prepare(request);
            early.writeEof("early".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return null;
        });
        String out = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app)) {
                return f.raw(EXPECTING);
            }
        });
        assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
        assertEquals(0, count(out, "100 Continue"), out);
    }
}
