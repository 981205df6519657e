package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.StreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aio4j.http.RequestOption.header;
import static dev.aio4j.http.RequestOption.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session against the JDK's HttpServer: mirrors aiohttp's tests/test_client_session.py
 * (requests, defaults, the pool, closing).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientSessionTest {

    @Test
    void sequentialGetsReuseOneConnection() throws Exception { // aio4j-only: keep-alive reuse
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "hello " + ex.getRequestURI()))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    for (int i = 0; i < 5; i++) {
                        try (ClientResponse r = s.get(srv.url("/n" + i))) {
                            assertEquals(200, r.status());
                            assertEquals("OK", r.reason());
                            assertEquals("HTTP/1.1", r.version());
                            assertEquals("hello /n" + i, r.text());
                        }
                        assertEquals(1, s.idleConnections());
                        assertEquals(1, s.openConnections());
                    }
                }
                return null;
            });
            assertEquals(1, srv.clientPorts.size(), "connections the server saw: " + srv.clientPorts);
        }
    }

    @Test
    void aSessionIsBoundToTheLoopOfItsFirstRequest_issue11() throws Exception { // aio4j-only: LoopBinding
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "ok"));
             EventLoop first = EventLoop.create();
             EventLoop second = EventLoop.create()) {
            ClientSession s = ClientSession.create();
            assertEquals("ok", first.runUntilComplete(() -> {
                try (ClientResponse r = s.get(srv.url("/"))) {
                    return r.text();
                }
            }));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> second.runUntilComplete(() -> s.get(srv.url("/"))));
            assertTrue(e.getMessage().startsWith("ClientSession is bound to a different event loop: it was first used on "
                    + first), e.getMessage());
            assertTrue(e.getMessage().endsWith("; create one ClientSession per loop"), e.getMessage());
            first.runUntilComplete(() -> {
                s.close();
                return null;
            });
        }
    }

    @Test
    void postBytesAndString() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("X-Len", ex.getRequestHeaders().getFirst("Content-Length"));
            ex.getResponseHeaders().add("X-Type", ex.getRequestHeaders().getFirst("Content-Type"));
            TestServers.send(ex, 201, body);
        })) {
            byte[] big = TestServers.payload(300_000, 3);
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.post(srv.url("/echo"), RequestOption.body(big))) {
                        assertEquals(201, r.status());
                        assertEquals("300000", r.headers().get("X-Len"));
                        assertEquals("application/octet-stream", r.headers().get("X-Type"));
                        assertArrayEquals(big, r.bytes());
                        assertArrayEquals(big, r.bytes(), "cached");
                    }
                    try (ClientResponse r = s.put(srv.url("/echo"), RequestOption.body("héllo"))) {
                        assertEquals("text/plain; charset=utf-8", r.headers().get("X-Type"));
                        assertEquals("héllo", new String(r.bytes(), StandardCharsets.UTF_8));
                    }
                    try (ClientResponse r = s.patch(srv.url("/echo"), RequestOption.body("{}", "application/json"))) {
                        assertEquals("application/json", r.headers().get("X-Type"));
                    }
                }
                return null;
            });
            assertEquals(1, srv.clientPorts.size());
        }
    }

    @Test
    void chunkedResponseBody() throws Exception {
        byte[] body = TestServers.payload(1 << 20, 5);
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/c", ex -> TestServers.sendChunked(ex, 200, body, 7000))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    for (int i = 0; i < 3; i++) {
                        try (ClientResponse r = s.get(srv.url("/c"))) {
                            assertEquals("chunked", r.headers().get("Transfer-Encoding"));
                            assertArrayEquals(body, r.bytes());
                        }
                    }
                    assertEquals(1, s.openConnections());
                }
                return null;
            });
            assertEquals(1, srv.clientPorts.size());
        }
    }

    @Test
    void contentStreamsALargeBodyInBoundedMemory() throws Exception {
        int size = 16 << 20;
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/big", ex -> {
            ex.sendResponseHeaders(200, size);
            byte[] piece = TestServers.payload(1 << 16, 1);
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < size; i += piece.length) {
                    out.write(piece);
                }
            }
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/big"))) {
                        StreamReader in = r.content();
                        long total = 0;
                        int maxBuffered = 0;
                        while (true) {
                            maxBuffered = Math.max(maxBuffered, in.bufferSize());
                            byte[] b = in.read(8192);
                            if (b.length == 0) {
                                break;
                            }
                            total += b.length;
                            if (total % (1 << 20) == 0) {
                                Aio.sleep(0.001); // a slow reader: the pump must wait for it
                            }
                        }
                        assertEquals(size, total);
                        assertTrue(maxBuffered <= 4 * StreamReader.DEFAULT_LIMIT, "buffered at most " + maxBuffered);
                    }
                    assertEquals(1, s.idleConnections(), "fully read: the connection went back to the pool");
                }
                return null;
            });
        }
    }

    @Test
    void baseUrlParamsAndHeaders() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/api", ex -> {
            seen.set(ex.getRequestURI() + " | " + ex.getRequestHeaders().getFirst("X-Default") + " | "
                    + ex.getRequestHeaders().getFirst("X-Req") + " | " + ex.getRequestHeaders().getFirst("Accept-Encoding"));
            TestServers.send(ex, 200, "ok");
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().baseUrl(srv.url("/api/")).header("X-Default", "d")
                        .header("X-Req", "default").build()) {
                    try (ClientResponse r = s.get("users?a=1", params("q", "a b", "lang", "é"), header("X-Req", "mine"))) {
                        assertEquals("ok", r.text());
                        assertEquals(srv.url("/api/users?a=1&q=a%20b&lang=%C3%A9"), r.url().toString());
                    }
                }
                return null;
            });
            assertEquals("/api/users?a=1&q=a%20b&lang=%C3%A9 | d | mine | gzip, deflate", seen.get());
        }
    }

    @Test
    void raiseForStatusNamesStatusAndUrl() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 404, "nope"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/missing"))) {
                        assertFalse(r.ok());
                        ClientResponseError e = assertThrows(ClientResponseError.class, r::raiseForStatus);
                        assertEquals(404, e.status());
                        assertEquals("404, message='Not Found', url=" + srv.url("/missing"), e.getMessage());
                    }
                    ClientResponseError e = assertThrows(ClientResponseError.class,
                            () -> s.get(srv.url("/x"), RequestOption.raiseForStatus(true)));
                    assertEquals(404, e.status());
                    assertEquals("nope".length() + "", e.headers().get("Content-Length"));
                }
                try (ClientSession s = ClientSession.builder().raiseForStatus(true).build()) {
                    assertThrows(ClientResponseError.class, () -> s.get(srv.url("/y")));
                    assertEquals(0, s.openConnections() - s.idleConnections(), "nothing in use after the error");
                }
                return null;
            });
        }
    }

    @Test
    void responsesWithoutBodyReleaseAtOnce() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk()
                .handle("/204", ex -> ex.sendResponseHeaders(204, -1))
                .handle("/head", ex -> {
                    ex.getResponseHeaders().add("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, -1);
                })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    ClientResponse r1 = s.get(srv.url("/204"));
                    assertEquals(204, r1.status());
                    assertEquals(1, s.idleConnections(), "released without close()");
                    assertEquals(0, r1.bytes().length);
                    ClientResponse r2 = s.head(srv.url("/head"));
                    assertEquals(200, r2.status());
                    assertEquals(1, s.idleConnections());
                    assertEquals("", r2.text());
                    r1.close();
                    r2.close();
                }
                return null;
            });
            assertEquals(1, srv.clientPorts.size());
        }
    }

    @Test
    void concurrentRequestsRespectTheLimit() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestServers.send(ex, 200, ex.getRequestURI().getPath());
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().limit(2).build()) {
                    List<Task<String>> tasks = new java.util.ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        int n = i;
                        tasks.add(Aio.createTask(() -> {
                            try (ClientResponse r = s.get(srv.url("/" + n))) {
                                return r.text();
                            }
                        }));
                    }
                    List<String> out = Aio.gather(tasks).await();
                    for (int i = 0; i < 8; i++) {
                        assertEquals("/" + i, out.get(i));
                    }
                    assertTrue(s.openConnections() <= 2);
                }
                return null;
            });
            assertTrue(srv.clientPorts.size() <= 2, "connections: " + srv.clientPorts);
        }
    }

    @Test
    void closeWithoutReadingClosesTheConnection() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, TestServers.payload(200_000, 1)))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200, r.status());
                    }
                    assertEquals(0, s.openConnections(), "an unread body is never returned to the pool");
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        assertEquals(200_000, r.bytes().length);
                    }
                    assertEquals(1, s.idleConnections());
                }
                return null;
            });
            assertEquals(2, srv.clientPorts.size());
        }
    }

    @Test
    void closedSessionRefusesRequests() throws Exception {
        Aio.run(() -> {
            ClientSession s = ClientSession.create();
            s.close();
            s.close();
            assertTrue(s.isClosed());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get("http://127.0.0.1:1/"));
            assertTrue(e.getMessage().startsWith("ClientSession is closed"), e.getMessage());
            return null;
        });
    }

    @Test
    void invalidUrlsAreRefused() throws Exception {
        Aio.run(() -> {
            try (ClientSession s = ClientSession.create()) {
                assertThrows(InvalidURL.class, () -> s.get("/relative"));
                assertThrows(InvalidURL.class, () -> s.get("ftp://h/"));
                assertThrows(IllegalArgumentException.class, () -> s.request("GE T", "http://127.0.0.1:1/"));
                assertThrows(IllegalArgumentException.class, () -> s.post("http://127.0.0.1:1/",
                        RequestOption.body("a"), RequestOption.body("b")));
            }
            return null;
        });
    }

    @Test
    void connectionRefusedIsAConnectorError() throws Exception {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, TestServers.LOOPBACK)) {
            port = ss.getLocalPort();
        }
        Aio.run(() -> {
            try (ClientSession s = ClientSession.create()) {
                ClientConnectorError e = assertThrows(ClientConnectorError.class, () -> s.get("http://127.0.0.1:" + port + "/x"));
                assertEquals(port, e.port());
                assertTrue(e.getMessage().startsWith("cannot connect to host 127.0.0.1:" + port), e.getMessage());
                assertTrue(e.getMessage().endsWith("url=http://127.0.0.1:" + port + "/x"), e.getMessage());
                assertEquals(0, s.openConnections());
            }
            return null;
        });
    }

    @Test
    void noFileDescriptorLeaks() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "x".repeat(1000)))) {
            TestServers.assertNoFdLeak(() -> Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().limit(3).build()) {
                    List<Task<Integer>> tasks = new java.util.ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        tasks.add(Aio.createTask(() -> {
                            try (ClientResponse r = s.get(srv.url("/"))) {
                                return r.bytes().length;
                            }
                        }));
                    }
                    Aio.gather(tasks).await();
                    ClientResponse unread = s.get(srv.url("/"));
                    assertEquals(200, unread.status());
                }
                Aio.sleep(0.05); // let the transports finish closing
                return null;
            }));
        }
    }

    @Test
    void toStringShowsState() throws Exception {
        Aio.run(() -> {
            try (ClientSession s = ClientSession.builder().baseUrl("http://h.example/").build()) {
                assertEquals("ClientSession[base=http://h.example/, open=0, idle=0, limit=100, limitPerHost=0, keepAliveTimeout=15.0]",
                        s.toString());
            }
            return null;
        });
    }

    static String readAll(StreamReader in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b;
        while ((b = in.read(65536)).length > 0) {
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void closingAfterTheLoopClosedDoesNotThrow() throws Exception { // asyncio: a session left open past asyncio.run()
        try (TestServers.Jdk srv = new TestServers.Jdk()) {
            srv.handle("/", ex -> TestServers.send(ex, 200, "ok"));
            ClientSession s = Aio.run(() -> {
                ClientSession session = ClientSession.create();
                try (ClientResponse r = session.get(srv.url("/"))) {
                    r.bytes();
                }
                return session;
            });
            s.close(); // the loop is closed: the idle connection is closed without it
            s.close();
            assertTrue(s.isClosed());
            assertEquals(0, s.openConnections());
        }
    }

    /** A jar that throws from updateCookies or filterCookies while {@code armed}. */
    private static final class FailingJar implements AbstractCookieJar {
        final CookieJar inner = new CookieJar();
        final String failIn;
        volatile boolean armed;

        FailingJar(String failIn) {
            this.failIn = failIn;
        }

        @Override
        public void updateCookies(java.net.URI url, Headers headers, java.time.Instant now) {
            if (armed && failIn.equals("update")) {
                throw new IllegalStateException("jar refused update");
            }
            inner.updateCookies(url, headers, now);
        }

        @Override
        public java.util.Map<String, String> filterCookies(java.net.URI url, java.time.Instant now) {
            if (armed && failIn.equals("filter")) {
                throw new IllegalStateException("jar refused filter");
            }
            return inner.filterCookies(url, now);
        }

        @Override
        public void clear() {
            inner.clear();
        }

        @Override
        public int size() {
            return inner.size();
        }
    }

    /**
     * aio4j-only (aiohttp's update_cookies and filter_cookies run inline and their errors reach
     * the caller): a cookie jar that throws fails the request with its exception, and the
     * connection the response would have held is closed, its pool slot given back; also on a
     * redirect's hop.
     */
    @Test
    void aThrowingCookieJarStrandsNoConnection() throws Exception {
        byte[] big = TestServers.payload(1 << 20, 3);
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/big", ex -> TestServers.send(ex, 200, big))
                .handle("/redirect", ex -> {
                    ex.getResponseHeaders().add("Location", "/big");
                    ex.sendResponseHeaders(302, -1);
                })) {
            for (String failIn : List.of("update", "filter")) {
                for (String path : List.of("/big", "/redirect")) {
                    FailingJar jar = new FailingJar(failIn);
                    Aio.run(() -> {
                        try (ClientSession s = ClientSession.builder().limit(1).cookieJar(jar)
                                .timeout(new ClientTimeout(20, 3, 10)).build()) {
                            jar.armed = true;
                            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(srv.url(path)));
                            assertEquals("jar refused " + failIn, e.getMessage());
                            jar.armed = false;
                            PoolStats st = s.poolStats();
                            assertEquals(st.idle(), st.open(), failIn + " " + path + ": no connection in use: " + st);
                            try (ClientResponse r = s.get(srv.url("/big"))) { // limit(1): the slot is free
                                assertEquals(big.length, r.bytes().length);
                            }
                        }
                        return null;
                    });
                }
            }
        }
    }
}
