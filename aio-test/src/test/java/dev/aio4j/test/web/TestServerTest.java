package dev.aio4j.test.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.ClientWebSocketResponse;
import dev.aio4j.http.CookieJar;
import dev.aio4j.http.Headers;
import dev.aio4j.http.RequestOption;
import dev.aio4j.http.ServerDisconnectedError;
import dev.aio4j.http.WSConnectOption;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.web.AppKey;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.WebSocketResponse;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.ClockMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TestServer} and {@link TestClient} on real loopback sockets, on a real clock and on
 * {@code @AioTest}'s virtual clock. Mirrors the parts of aiohttp's
 * {@code tests/test_test_utils.py} that apply (make_url, requests by path, server and client
 * lifecycle).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestServerTest {
    private static final AppKey<List<String>> EVENTS = AppKey.of("events", (Class<List<String>>) (Class<?>) List.class);

    /** hello, echo, a handler that sleeps 30 s, and startup/cleanup callbacks that record. */
    private static Application app() {
        Application app = new Application();
        List<String> events = new ArrayList<>();
        app.set(EVENTS, events);
        app.router().addGet("/hello", r -> new Response().text("Hello, World!"));
        app.router().addGet("/query", r -> new Response().text(r.query().get("q")));
        app.router().addPost("/echo", r -> new Response().body(r.read()).contentType(r.contentType()));
        app.router().addGet("/slow", r -> {
            Aio.sleep(30);
            return new Response().text("slept 30 s");
        });
        app.onStartup().add(a -> events.add("startup"));
        app.onCleanup().add(a -> events.add("cleanup"));
        return app;
    }

    @Test
    void serverAndClientOnARealClock() throws Exception {
        Aio.run(() -> {
            Application app = app();
            TestServer server = new TestServer(app);
            assertEquals("TestServer[127.0.0.1, not started]", server.toString());
            IllegalStateException early = assertThrows(IllegalStateException.class, server::port);
            assertEquals("TestServer.port() called before start(): TestServer[127.0.0.1, not started]", early.getMessage());
            try (TestClient client = new TestClient(server)) {
                IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> client.get("/hello"));
                assertTrue(notStarted.getMessage().startsWith("TestClient.request() called before start(): call client.start() first"),
                        notStarted.getMessage());
                client.start();
                assertTrue(server.started());
                assertEquals(List.of("startup"), app.get(EVENTS));
                assertEquals("127.0.0.1", server.host());
                assertTrue(server.port() > 0);
                assertEquals("TestServer[http://127.0.0.1:" + server.port() + ", serving]", server.toString());
                assertEquals("http://127.0.0.1:" + server.port() + "/a/b?c=d", client.url("/a/b?c=d"));
                assertEquals("http://127.0.0.1:" + server.port() + "/rel", server.url("rel"));
                IllegalArgumentException absolute = assertThrows(IllegalArgumentException.class,
                        () -> client.get("http://example.com/hello"));
                assertEquals("path must be relative to the test server, got http://example.com/hello", absolute.getMessage());
                assertEquals(app, client.app());
                assertEquals(server, client.server());

                try (ClientResponse r = client.get("/hello")) {
                    assertEquals(200, r.status());
                    assertEquals("Hello, World!", r.text());
                }
                try (ClientResponse r = client.get("/query", RequestOption.params("q", "a b"))) {
                    assertEquals("a b", r.text());
                }
                try (ClientResponse r = client.post("/echo", RequestOption.body("ping"))) {
                    assertEquals("ping", r.text());
                }
                try (ClientResponse r = client.request("PUT", "/echo")) {
                    assertEquals(405, r.status());
                }
                try (ClientResponse r = client.delete("/nowhere")) {
                    assertEquals(404, r.status());
                }
                try (ClientResponse r = client.head("/hello")) {
                    assertEquals(200, r.status());
                }
            }
            assertFalse(server.started());
            assertEquals(List.of("startup", "cleanup"), app.get(EVENTS), "the client's close() closed the server");
            assertEquals("TestServer[http://127.0.0.1:" + server.port() + ", closed]", server.toString());
            IllegalStateException again = assertThrows(IllegalStateException.class, server::start);
            assertEquals("TestServer.start() called after close(): make a new TestServer", again.getMessage());
            server.close(); // a second close does nothing
            return null;
        });
    }

    /**
     * test_server_make_url_yarl_compatibility, and what its assert {@code not URL(path).absolute}
     * lets through: a {@code ://} inside the path or the query is a path's ({@code /r?next=http://x}
     * is relative for yarl); {@code //a} is not (yarl reads a host there, {@code URL("//a").absolute}
     * is true), so aiohttp's {@code client.get("//a")} fails its assertion, and so does this one.
     * The path {@code //a} can still be requested with the whole URL.
     */
    @Test
    void urlKeepsSchemesInsideThePathAndRefusesANetworkPath() throws Exception {
        Application app = new Application();
        app.router().addGet("/r", r -> new Response().text("next=" + r.query().get("next")));
        app.router().addGet("/proxy/{rest:.*}", r -> new Response().text("rest=" + r.matchInfo().get("rest")));
        app.router().addGet("//a", r -> new Response().text("the path //a"));
        Aio.run(() -> {
            try (TestClient client = new TestClient(new TestServer(app))) {
                client.start();
                String root = "http://127.0.0.1:" + client.server().port();
                assertEquals(root + "/r?next=http://x/y", client.url("/r?next=http://x/y"));
                try (ClientResponse r = client.get("/r?next=http://x/y")) {
                    assertEquals("next=http://x/y", r.text());
                }
                try (ClientResponse r = client.get("/proxy/http://x/y")) {
                    assertEquals("rest=http://x/y", r.text());
                }
                assertEquals(root + "/a/b://c", client.url("a/b://c"));

                IllegalArgumentException network = assertThrows(IllegalArgumentException.class, () -> client.get("//a"));
                assertEquals("path //a starts with //, which names a host (a network-path reference, as aiohttp's make_url "
                        + "reads it too), not a path on the test server; give one leading slash, or request the path //a with "
                        + "session() and the whole URL, http://127.0.0.1:PORT//a", network.getMessage());
                assertThrows(IllegalArgumentException.class, () -> client.url("//a/b"));
                assertThrows(IllegalArgumentException.class, () -> client.url("HTTPS://a/b"));
                assertThrows(IllegalArgumentException.class, () -> client.url("ws+unix://a/b"));
                try (ClientResponse r = client.session().get(root + "//a")) {
                    assertEquals("the path //a", r.text());
                }
            }
            return null;
        });
    }

    @AioTest
    void aHandlerSleeping30sCompletesInstantlyInVirtualTime() throws Exception { // aio4j-only
        long real0 = System.nanoTime();
        double t0 = Aio.getRunningLoop().time();
        try (TestClient client = new TestClient(new TestServer(app()))) {
            client.start();
            try (ClientResponse r = client.get("/slow")) {
                assertEquals(200, r.status());
                assertEquals("slept 30 s", r.text());
            }
        }
        double virtual = Aio.getRunningLoop().time() - t0;
        assertTrue(virtual >= 30 && virtual < 31, "virtual seconds: " + virtual);
        assertTrue(System.nanoTime() - real0 < TimeUnit.SECONDS.toNanos(5), "real time stays short");
    }

    @AioTest
    void concurrentSlowRequestsOverlapInVirtualTime() throws Exception { // aio4j-only
        double t0 = Aio.getRunningLoop().time();
        try (TestServer server = new TestServer(app());
             TestClient client = new TestClient(server, ClientSession.builder().limit(5))) {
            server.start();
            List<Task<String>> gets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                gets.add(Aio.createTask(() -> {
                    try (ClientResponse r = client.get("/slow")) {
                        return r.text();
                    }
                }));
            }
            assertEquals(List.of("slept 30 s", "slept 30 s", "slept 30 s", "slept 30 s", "slept 30 s"), Aio.gather(gets).await());
        }
        double virtual = Aio.getRunningLoop().time() - t0;
        assertTrue(virtual >= 30 && virtual < 31, "five 30 s handlers overlapped: " + virtual);
    }

    @AioTest(clock = ClockMode.REAL)
    void closingTheServerTwiceAndTheClientAfterIt() throws Exception { // aio4j-only
        TestServer server = new TestServer(app());
        TestClient client = new TestClient(server);
        client.start();
        server.close();
        server.close();
        client.close();
        client.close();
        assertEquals("TestClient[" + server + ", closed]", client.toString());
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> client.get("/hello"));
        assertEquals("TestClient.request() called after close()", closed.getMessage());
    }

    /**
     * aiohttp tests/test_test_utils.py test_disable_retry_persistent_connection: aiohttp's
     * TestClient sets {@code session._retry_connection = False}, so a request whose connection the
     * server drops before answering fails at the first try, where a plain session sends it once
     * more (test_retry_persistent_connection_lowercase_method, which turns the retry back on).
     */
    @AioTest
    void disableRetryPersistentConnection() throws Exception {
        int[] requests = {0};
        boolean[] dropEvery = {true};
        Application app = new Application();
        app.router().addGet("/", r -> {
            requests[0]++;
            if (dropEvery[0] || requests[0] == 1) {
                r.transport().close(); // aiohttp: request.protocol.force_close()
            }
            return new Response().text("ok");
        });
        try (TestServer server = new TestServer(app); TestClient client = new TestClient(server)) {
            client.start();
            assertThrows(ServerDisconnectedError.class, () -> client.get("/").close());
            assertEquals(1, requests[0], "the TestClient's session does not retry");

            // aio4j-only: the same server through a plain ClientSession, dropping only the first try
            requests[0] = 0;
            dropEvery[0] = false;
            try (ClientSession plain = ClientSession.create(); ClientResponse r = plain.get(server.url("/"))) {
                assertEquals(200, r.status());
                assertEquals("ok", r.text());
            }
            assertEquals(2, requests[0], "a plain session sends the GET once more");
        }
    }

    /** GET /set sets the cookie k=v; GET /get answers the k the client sent ("null" if none). */
    private static Application cookieApp() {
        Application app = new Application();
        app.router().addGet("/set", r -> {
            Response resp = new Response().text("set");
            resp.setCookie("k", "v");
            return resp;
        });
        app.router().addGet("/get", r -> new Response().text(String.valueOf(r.cookies().get("k"))));
        return app;
    }

    /**
     * aiohttp's TestClient builds its session with {@code CookieJar(unsafe=True)} (the server is on
     * 127.0.0.1, whose cookies a default jar ignores), unless {@code cookie_jar=} is given.
     */
    @AioTest
    void cookiesOfTheLoopbackServerAreKept() throws Exception {
        Application app = cookieApp();
        for (ClientSession.Builder b : List.of(ClientSession.builder().headers(Headers.of("X-A", "1")), ClientSession.builder())) {
            try (TestServer server = new TestServer(app); TestClient client = new TestClient(server, b)) {
                client.start();
                client.get("/set").close();
                try (ClientResponse r = client.get("/get")) {
                    assertEquals("v", r.text());
                }
            }
        }
        try (TestServer server = new TestServer(app); TestClient client = new TestClient(server)) {
            client.start();
            client.get("/set").close();
            try (ClientResponse r = client.get("/get")) {
                assertEquals("v", r.text());
            }
        }
        // a jar the test gives is kept: the default one ignores an IP address's cookies
        try (TestServer server = new TestServer(app);
             TestClient client = new TestClient(server, ClientSession.builder().cookieJar(new CookieJar()))) {
            client.start();
            client.get("/set").close();
            try (ClientResponse r = client.get("/get")) {
                assertEquals("null", r.text());
            }
        }
    }

    /**
     * aiohttp's TestClient makes a new {@code CookieJar(unsafe=True)} for each client: one builder
     * given to two clients gives them a jar each (cookies are per host, not per port, so one
     * shared jar would carry the first server's cookie to the second), and the builder is left as
     * it was given.
     */
    @AioTest
    void aBuilderGivenToTwoClientsGivesEachItsOwnJar() throws Exception {
        Application app = cookieApp();
        ClientSession.Builder b = ClientSession.builder();
        try (TestServer first = new TestServer(app); TestClient client = new TestClient(first, b)) {
            client.start();
            client.get("/set").close();
            try (TestServer second = new TestServer(app); TestClient other = new TestClient(second, b)) {
                other.start();
                try (ClientResponse r = other.get("/get")) {
                    assertEquals("null", r.text());
                }
            }
            try (ClientSession plain = b.build()) {
                assertFalse(plain.cookieJar() == client.session().cookieJar(), "the builder was given the client's jar");
            }
        }
    }

    /**
     * aiohttp's {@code client.ws_connect(path)}: a WebSocket by path; {@code client.close()} closes
     * the ones the test left open (the server's loop sees their close handshake).
     */
    @AioTest
    void wsConnectByPathAndCloseClosesWhatIsOpen() throws Exception {
        List<OptionalInt> closeCodes = new ArrayList<>();
        Application app = new Application();
        app.router().addGet("/ws", r -> {
            WebSocketResponse ws = new WebSocketResponse();
            ws.prepare(r);
            for (WSMessage m : ws) {
                ws.sendStr("echo:" + m.str());
            }
            closeCodes.add(ws.closeCode());
            return ws;
        });
        TestServer server = new TestServer(app);
        TestClient client = new TestClient(server);
        client.start();
        ClientWebSocketResponse first = client.wsConnect("/ws?x=1");
        first.sendStr("hi");
        assertEquals("echo:hi", first.receiveStr());
        first.close();
        ClientWebSocketResponse left = client.wsConnect("/ws", WSConnectOption.protocols());
        left.sendStr("still open");
        assertEquals("echo:still open", left.receiveStr());
        assertFalse(left.closed());
        client.close();
        assertTrue(left.closed());
        assertEquals(OptionalInt.of(1000), left.closeCode());
        assertThrows(IllegalStateException.class, () -> client.wsConnect("/ws"));
        for (int i = 0; i < 100 && closeCodes.size() < 2; i++) {
            Aio.sleep(0);
        }
        assertEquals(List.of(OptionalInt.of(1000), OptionalInt.of(1000)), closeCodes);
    }
}
