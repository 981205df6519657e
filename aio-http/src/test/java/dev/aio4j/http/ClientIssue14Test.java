package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.aio4j.http.RequestOption.encoded;
import static dev.aio4j.http.RequestOption.maxBodySize;
import static dev.aio4j.http.RequestOption.maxDecompressedSize;
import static dev.aio4j.http.TestServers.readHead;
import static dev.aio4j.http.TestServers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regressions of issue 14 against raw loopback servers scripted byte by byte: URLs resolved by
 * RFC 3986 and percent-encoded as yarl does. Mirrors the URL cases of aiohttp's
 * tests/test_client_functional.py.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientIssue14Test {
    /** Bounds every request, so that a failing test ends within the JUnit timeout. */
    private static final ClientTimeout SHORT = new ClientTimeout(20, 20, 20);

    /**
     * Serves requests on one keep-alive connection until the client closes it: records each
     * request line, answers {@code /redir/query} with a redirect to {@code ?via=query} and
     * everything else with {@code 200 ok}.
     */
    private static TestServers.Scripted.Script recordingServer(List<String> lines) {
        return (s, in, out) -> serve(in, out, lines);
    }

    private static void serve(InputStream in, OutputStream out, List<String> lines) throws Exception {
        while (true) {
            String head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String line = head.substring(0, head.indexOf("\r\n"));
            lines.add(line);
            if (line.startsWith("GET /redir/query ")) {
                write(out, "HTTP/1.1 302 Found\r\nLocation: ?via=query\r\nContent-Length: 0\r\n\r\n");
            } else {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        }
    }

    @Test
    void relativeReferencesAreResolvedByRfc3986_issue14() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (TestServers.Scripted srv = new TestServers.Scripted(recordingServer(lines))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).baseUrl(srv.url("/api/users")).build()) {
                    try (ClientResponse r = s.get(srv.url("/redir/query"))) {
                        assertEquals(200, r.status());
                        assertEquals(srv.url("/redir/query?via=query"), r.url().toString());
                    }
                    s.get("?page=2").close();
                    s.get("../../../x").close();
                    s.get(srv.url("/./a/./b")).close();
                }
                return null;
            });
        }
        assertEquals(List.of("GET /redir/query HTTP/1.1", "GET /redir/query?via=query HTTP/1.1", "GET /api/users?page=2 HTTP/1.1",
                "GET /x HTTP/1.1", "GET /a/b HTTP/1.1"), lines);
    }

    @Test
    void nonAsciiUrlsArePercentEncoded_issue14() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (TestServers.Scripted srv = new TestServers.Scripted(recordingServer(lines), recordingServer(lines))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    s.get(srv.url("/caf\u00e9/\u65e5\u672c?q=\u00e9#fr\u00e4g")).close();
                    s.get(srv.url("/a%2Fb/100%/x y?k=%zz")).close();
                    s.get(srv.url("/a/./b%2F?x=%C3%A9"), encoded(true)).close();
                }
                try (ClientSession s = ClientSession.builder().timeout(SHORT).encoded(true).build()) {
                    s.get(srv.url("/raw/../x")).close();
                    InvalidURL e = assertThrows(InvalidURL.class, () -> s.get(srv.url("/caf\u00e9")));
                    assertEquals("invalid URL " + srv.url("/caf\u00e9") + ": character \"\\xe9\" at index "
                            + srv.url("/caf").length() + " cannot be sent as it is; "
                            + "percent-encode it, or leave encoded off to have it encoded", e.getMessage());
                }
                return null;
            });
        }
        assertEquals(List.of("GET /caf%C3%A9/%E6%97%A5%E6%9C%AC?q=%C3%A9 HTTP/1.1", "GET /a%2Fb/100%25/x%20y?k=%25zz HTTP/1.1",
                "GET /a/./b%2F?x=%C3%A9 HTTP/1.1", "GET /raw/../x HTTP/1.1"), lines);
    }

    // ------------------------------------------------------------------ limits (issue 14, bug 4)

    /** Writes the head, then chunks of 64 KiB until the client goes away. */
    private static TestServers.Scripted.Script endlessChunked() {
        return (s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ChunkedBytes.chunk(65536);
            try {
                while (true) {
                    out.write(chunk);
                }
            } catch (java.io.IOException clientWentAway) {
                // expected
            }
        };
    }

    /** Helpers for scripted bodies. */
    private static final class ChunkedBytes {
        static byte[] chunk(int n) {
            byte[] head = (Integer.toHexString(n) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] c = new byte[head.length + n + 2];
            System.arraycopy(head, 0, c, 0, head.length);
            java.util.Arrays.fill(c, head.length, head.length + n, (byte) 'x');
            c[c.length - 2] = '\r';
            c[c.length - 1] = '\n';
            return c;
        }
    }

    @Test
    void endlessChunkedBodyStopsAtMaxBodySize_issue14() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted(endlessChunked())) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build();
                     ClientResponse r = s.get(srv.url("/endless"), maxBodySize(1 << 20))) {
                    ClientPayloadError e = assertThrows(ClientPayloadError.class, r::bytes);
                    assertEquals("response body is larger than maxBodySize (1048576 bytes: more arrived); raise it with "
                            + "RequestOption.maxBodySize(...) or ClientSession.Builder.maxBodySize(...), or stream the body with "
                            + "content(), url=" + srv.url("/endless"), e.getMessage());
                    assertEquals(0, s.openConnections(), "the connection is closed, not pooled");
                }
                return null;
            });
        }
    }

    @Test
    void announcedLengthOverMaxBodySizeFailsBeforeReading_issue14() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\nxx");
            done.await(30, TimeUnit.SECONDS);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).maxBodySize(1000).build();
                     ClientResponse r = s.get(srv.url("/big"))) {
                    ClientPayloadError e = assertThrows(ClientPayloadError.class, r::bytes);
                    assertTrue(e.getMessage().startsWith("response body is larger than maxBodySize (1000 bytes: Content-Length is "
                            + "10000000000 bytes)"), e.getMessage());
                }
                return null;
            });
        } finally {
            done.countDown();
        }
    }

    /** A gzip body of {@code zeros} zero bytes, compressed as it is sent (never held in memory); then the connection closes. */
    private static TestServers.Scripted.Script gzipBomb(long zeros) {
        return (s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n");
            byte[] block = new byte[1 << 20];
            try {
                java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out, 1 << 16) {
                    {
                        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
                    }
                };
                for (long sent = 0; sent < zeros; sent += block.length) {
                    gz.write(block);
                }
                gz.finish();
            } catch (java.io.IOException clientWentAway) {
                // expected: the client stops at its limit
            }
        };
    }

    @Test
    void gzipBombStopsAtTheDefaultDecompressedSizeWhileStreaming_issue14() throws Exception {
        long overDefault = (1L << 30) + (64L << 20);
        try (TestServers.Scripted srv = new TestServers.Scripted(gzipBomb(overDefault))) {
            long read = Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(new ClientTimeout(50, 20, 20)).build();
                     ClientResponse r = s.get(srv.url("/bomb"))) {
                    dev.aio4j.streams.StreamReader in = r.content();
                    long n = 0;
                    try {
                        byte[] piece;
                        while ((piece = in.read(65536)).length > 0) {
                            n += piece.length; // not kept: memory stays bounded by the reader's flow control
                        }
                    } catch (ClientPayloadError e) {
                        assertEquals("decompressed response body is larger than maxDecompressedSize (1073741824 bytes); raise it "
                                + "with RequestOption.maxDecompressedSize(...) or ClientSession.Builder.maxDecompressedSize(...) "
                                + "if the body is expected, url=" + srv.url("/bomb"), e.getMessage());
                        return n;
                    }
                    throw new AssertionError("the bomb was read to its end: " + n + " bytes");
                }
            });
            assertTrue(read <= 1L << 30, "read " + read);
        }
    }

    @Test
    void gzipBombStopsAtMaxDecompressedSizeInBytes_issue14() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted(gzipBomb(1L << 30))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build();
                     ClientResponse r = s.get(srv.url("/bomb"), maxDecompressedSize(4 << 20))) {
                    ClientPayloadError e = assertThrows(ClientPayloadError.class, r::bytes);
                    assertTrue(e.getMessage().startsWith("decompressed response body is larger than maxDecompressedSize (4194304 bytes)"),
                            e.getMessage());
                    assertInstanceOf(BadHttpMessage.class, e.getCause());
                }
                return null;
            });
        }
    }

    private static String interims(int n) {
        return "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n".repeat(n);
    }

    @Test
    void moreThanEightInterimResponsesAreRefused_issue14() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted(
                (s, in, out) -> {
                    readHead(in);
                    write(out, interims(8) + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                },
                (s, in, out) -> {
                    readHead(in);
                    write(out, interims(9) + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    try (ClientResponse r = s.get(srv.url("/eight"))) {
                        assertEquals("ok", r.text());
                    }
                    ClientResponseError e = assertThrows(ClientResponseError.class, () -> s.get(srv.url("/nine")));
                    assertEquals(400, e.status());
                    assertEquals("400, message='more than 8 interim (1xx) responses before the final response; the last was 103 "
                            + "(limit 8)', url=" + srv.url("/nine"), e.getMessage());
                    assertEquals(BadHttpMessage.Kind.TOO_MANY_INTERIM_RESPONSES, ((BadHttpMessage) e.getCause()).kind());
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        }
    }

    @Test
    void totalTimeoutNamesTheTotalTimeout_issue14() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf.");
            done.await(30, TimeUnit.SECONDS);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(new ClientTimeout(0.5, 20, 20)).build();
                     ClientResponse r = s.get(srv.url("/slow"))) {
                    ServerTimeoutError e = assertThrows(ServerTimeoutError.class, r::bytes);
                    assertEquals("total timeout of 0.5 s expired, url=" + srv.url("/slow"), e.getMessage());
                    assertEquals(0.5, e.timeoutSeconds());
                    assertTrue(String.valueOf(e.getCause()).contains("total timeout of 0.5 s"), String.valueOf(e.getCause()));
                }
                return null;
            });
        } finally {
            done.countDown();
        }
    }

    // ------------------------------------------------------------------ read while writing (issue 14, bug 3)

    /** A streaming body of {@code count} chunks of 64 KiB, made as they are asked for; counts them. */
    private static Iterable<byte[]> counted(int count, java.util.concurrent.atomic.AtomicInteger made, int failAt) {
        byte[] chunk = new byte[65536];
        return () -> new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return made.get() < count;
            }

            @Override
            public byte[] next() {
                if (made.incrementAndGet() == failAt) {
                    throw new IllegalStateException("the body's source failed");
                }
                return chunk;
            }
        };
    }

    private static final int CHUNKS_32_MIB = 512;

    @Test
    void answerDuringUploadStopsTheUploadAndIsReturned_issue14() throws Exception {
        java.util.concurrent.CountDownLatch testOver = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 9\r\n\r\ntoo large");
            testOver.await(30, TimeUnit.SECONDS); // never reads the body
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    try (ClientResponse r = s.post(srv.url("/upload"), RequestOption.chunks(counted(CHUNKS_32_MIB, made, -1)))) {
                        assertEquals(413, r.status());
                        assertEquals("too large", r.text());
                    }
                    assertEquals(0, s.openConnections(), "the connection is closed, not pooled");
                }
                return null;
            });
            assertTrue(made.get() < CHUNKS_32_MIB, "the upload stopped early: " + made.get() + " chunks were made");
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void answerThenResetStillReturnsTheAnswer_issue14() throws Exception {
        java.util.concurrent.CountDownLatch clientHasHead = new java.util.concurrent.CountDownLatch(1);
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 9\r\n\r\ntoo ");
            clientHasHead.await(30, TimeUnit.SECONDS);
            write(out, "large");
            s.setSoLinger(true, 0);
            s.close(); // unread request bytes and linger 0: the client gets a reset
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    try (ClientResponse r = s.post(srv.url("/upload"),
                            RequestOption.chunks(counted(CHUNKS_32_MIB, new java.util.concurrent.atomic.AtomicInteger(), -1)))) {
                        assertEquals(413, r.status());
                        clientHasHead.countDown();
                        assertEquals("too large", r.text(), "the answer, not the broken pipe");
                    }
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        } finally {
            clientHasHead.countDown();
        }
    }

    @Test
    void uploadFailureIsTheRequestsError_issue14() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            in.transferTo(java.io.OutputStream.nullOutputStream()); // reads until the client gives up
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.post(srv.url("/upload"),
                            RequestOption.chunks(counted(CHUNKS_32_MIB, new java.util.concurrent.atomic.AtomicInteger(), 20))));
                    assertEquals("the body's source failed", e.getMessage());
                    assertEquals(0, s.openConnections());
                }
                return null;
            });
        }
    }

    @Test
    void sockReadDoesNotCountWhileTheBodyIsStillBeingSent_issue14() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/slow-source", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            TestServers.send(ex, 200, Integer.toString(body.length));
        })) {
            Aio.run(() -> {
                // The body's source pauses longer than sockRead: the wait for the answer must not time out meanwhile.
                Iterable<byte[]> slowSource = () -> new java.util.Iterator<>() {
                    private int made;

                    @Override
                    public boolean hasNext() {
                        return made < 2;
                    }

                    @Override
                    public byte[] next() {
                        if (made++ == 1) {
                            Aio.sleep(0.6);
                        }
                        return new byte[1000];
                    }
                };
                try (ClientSession s = ClientSession.builder().timeout(new ClientTimeout(20, 20, 0.3)).build();
                     ClientResponse r = s.post(srv.url("/slow-source"), RequestOption.chunks(slowSource))) {
                    assertEquals("2000", r.text());
                }
                return null;
            });
        }
    }

    @Test
    void completedUploadKeepsTheConnection_issue14() throws Exception { // aio4j-only: no regression in the common case
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            TestServers.send(ex, 200, Integer.toString(body.length));
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    for (int i = 0; i < 3; i++) {
                        try (ClientResponse r = s.post(srv.url("/echo"), RequestOption.body(new byte[3 << 20]))) {
                            assertEquals("3145728", r.text());
                        }
                    }
                    assertEquals(1, s.openConnections());
                }
                return null;
            });
        }
    }

    // ------------------------------------------------------------------ features of issue 14

    private static final String ADA = "Basic " + java.util.Base64.getEncoder().encodeToString("ada:s3cret".getBytes());
    private static final String BOB = "Basic " + java.util.Base64.getEncoder().encodeToString("bob:pw".getBytes());

    /** A JDK server whose /who answers with the Authorization header it got ("none" without), and /same and /away redirect. */
    private static TestServers.Jdk whoServer(String awayUrl) throws java.io.IOException {
        return new TestServers.Jdk().handle("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/same") || path.equals("/away")) {
                ex.getResponseHeaders().add("Location", path.equals("/same") ? "/who" : awayUrl);
                TestServers.send(ex, 302, "");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            TestServers.send(ex, 200, auth == null ? "none" : auth);
        });
    }

    @Test
    void basicAuthOfSessionAndRequest() throws Exception {
        try (TestServers.Jdk other = whoServer("/who"); TestServers.Jdk srv = whoServer(other.url("/who"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).auth(new BasicAuth("ada", "s3cret")).build()) {
                    try (ClientResponse r = s.get(srv.url("/who"))) {
                        assertEquals(ADA, r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/who"), RequestOption.auth(new BasicAuth("bob", "pw")))) {
                        assertEquals(BOB, r.text(), "the request's auth wins");
                    }
                    try (ClientResponse r = s.get(srv.url("/same"))) {
                        assertEquals(ADA, r.text(), "kept on a redirect within the origin");
                    }
                    try (ClientResponse r = s.get(srv.url("/away"))) {
                        assertEquals(other.url("/who"), r.url().toString());
                        // aiohttp test_auth_persist_on_redirect_to_other_host_with_global_auth: a session
                        // without a base URL means its auth for every URL, so it is chosen again there
                        assertEquals(ADA, r.text(), "the session's auth, chosen again at another origin");
                    }
                    try (ClientResponse r = s.get(srv.url("/away"), RequestOption.auth(new BasicAuth("bob", "pw")))) {
                        assertEquals(ADA, r.text(), "the request's own auth is dropped there; the session's applies");
                    }
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> s.get(srv.url("/who"), RequestOption.header("Authorization", "Bearer t")));
                    assertEquals("cannot combine an Authorization header with auth (BasicAuth[login=ada, password=***, "
                            + "encoding=ISO-8859-1]); give one or the other", e.getMessage());
                }
                return null;
            });
        }
    }

    /** What a raise_for_status callable throws in the tests. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    @Test
    void raiseForStatusCallable() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            int status = Integer.parseInt(ex.getRequestURI().getPath().substring(1));
            TestServers.send(ex, status, "body of " + status);
        })) {
            java.util.List<Integer> seen = new CopyOnWriteArrayList<>();
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).raiseForStatus(r -> {
                    seen.add(r.status());
                    if (r.status() == 429) {
                        throw new Refused("rate limited: " + r.text());
                    }
                }).build()) {
                    try (ClientResponse r = s.get(srv.url("/200"))) {
                        assertEquals("body of 200", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/404"))) {
                        assertEquals(404, r.status(), "the callable decides, not the status");
                    }
                    Refused e = assertThrows(Refused.class, () -> s.get(srv.url("/429")));
                    assertEquals("rate limited: body of 429", e.getMessage());
                    try (ClientResponse r = s.get(srv.url("/429"), RequestOption.raiseForStatus(false))) {
                        assertEquals(429, r.status(), "a request's raiseForStatus(false) wins over the session's callable");
                    }
                    assertThrows(ClientResponseError.class, () -> s.get(srv.url("/500"), RequestOption.raiseForStatus(true)));
                    Refused own = assertThrows(Refused.class, () -> s.get(srv.url("/200"), RequestOption.raiseForStatus(r -> {
                        throw new Refused("request's own check");
                    })));
                    assertEquals("request's own check", own.getMessage());
                    assertEquals(1, s.openConnections(), "refused responses were read or closed; nothing leaked");
                }
                return null;
            });
            assertEquals(List.of(200, 404, 429), seen);
        }
    }

    @Test
    void iterChunkedAndIterAny() throws Exception { // aiohttp: tests/test_streams.py iter_chunked / iter_any
        byte[] payload = TestServers.payload(300_000, 14);
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.sendChunked(ex, 200, payload, 7000))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    try (ClientResponse r = s.get(srv.url("/chunked"))) {
                        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                        int pieces = 0;
                        for (byte[] chunk : r.iterChunked(1000)) {
                            assertTrue(chunk.length > 0 && chunk.length <= 1000, "piece of " + chunk.length);
                            all.write(chunk);
                            pieces++;
                        }
                        assertTrue(pieces >= 300, "pieces: " + pieces);
                        org.junit.jupiter.api.Assertions.assertArrayEquals(payload, all.toByteArray());
                        assertEquals(false, r.iterChunked(10).iterator().hasNext(), "a body is read once");
                    }
                    try (ClientResponse r = s.get(srv.url("/any"))) {
                        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                        for (byte[] chunk : r.iterAny()) {
                            assertTrue(chunk.length > 0);
                            all.write(chunk);
                        }
                        org.junit.jupiter.api.Assertions.assertArrayEquals(payload, all.toByteArray());
                        java.util.Iterator<byte[]> it = r.iterAny().iterator();
                        assertThrows(java.util.NoSuchElementException.class, it::next);
                    }
                    try (ClientResponse r = s.get(srv.url("/after-bytes"))) {
                        r.bytes();
                        int total = 0;
                        for (byte[] chunk : r.iterChunked(100_000)) {
                            total += chunk.length;
                        }
                        assertEquals(payload.length, total, "after bytes(), the pieces come from the read body");
                    }
                    assertThrows(IllegalArgumentException.class, () -> s.get(srv.url("/x")).iterChunked(0));
                }
                return null;
            });
        }
    }

    @Test
    void iterChunkedReportsACutShortBody() throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build();
                     ClientResponse r = s.get(srv.url("/short"))) {
                    java.util.Iterator<byte[]> it = r.iterChunked(4).iterator();
                    StringBuilder got = new StringBuilder();
                    ClientPayloadError e = assertThrows(ClientPayloadError.class, () -> {
                        while (it.hasNext()) {
                            got.append(new String(it.next(), java.nio.charset.StandardCharsets.US_ASCII));
                        }
                    });
                    // What had arrived may or may not be handed out first: the reader's error wins over
                    // buffered bytes (asyncio's StreamReader behaves the same), depending on who ran first.
                    assertTrue("only this".startsWith(got.toString()), got.toString());
                    assertTrue(e.getMessage().contains("connection closed after 9 of 100 body bytes"), e.getMessage());
                }
                return null;
            });
        }
    }

    /** A value the canned codec knows. */
    record Point(int x, int y) {}

    private static final CannedJsonCodec CODEC = new CannedJsonCodec(java.util.Map.of(
            java.util.Map.of("a", 1), "{\"a\":1}",
            new Point(1, 2), "{\"x\":1,\"y\":2}"));

    @Test
    void jsonBodiesAndResponsesThroughTheSessionsCodec() throws Exception {
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            String path = ex.getRequestURI().getPath();
            contentTypes.add(String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", switch (path) {
                case "/problem" -> "application/problem+json";
                case "/html" -> "text/html; charset=utf-8";
                default -> "application/json; charset=utf-8";
            });
            TestServers.send(ex, 200, path.equals("/echo") ? body : "{\"x\":1,\"y\":2}".getBytes());
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).jsonCodec(CODEC).build()) {
                    try (ClientResponse r = s.post(srv.url("/echo"), RequestOption.json(java.util.Map.of("a", 1)))) {
                        assertEquals(java.util.Map.of("a", 1), r.json());
                    }
                    try (ClientResponse r = s.get(srv.url("/point"))) {
                        assertEquals(new Point(1, 2), r.json(Point.class));
                    }
                    try (ClientResponse r = s.get(srv.url("/problem"))) {
                        assertEquals(new Point(1, 2), r.json(Point.class), "a +json type is JSON");
                    }
                    try (ClientResponse r = s.get(srv.url("/html"))) {
                        ContentTypeError e = assertThrows(ContentTypeError.class, r::json);
                        assertEquals("200, message='attempt to decode JSON with unexpected mimetype: text/html', url="
                                + srv.url("/html"), e.getMessage());
                    }
                    try (ClientResponse r = s.get(srv.url("/html"))) {
                        assertEquals(new Point(1, 2), r.json(Point.class, null), "contentType null skips the check");
                    }
                    try (ClientResponse r = s.post(srv.url("/echo"), RequestOption.body("{\"b\":2}", "application/json"))) {
                        ClientPayloadError e = assertThrows(ClientPayloadError.class, r::json);
                        assertEquals("response body is not valid JSON for java.lang.Object (java.io.IOException: not canned JSON "
                                + "for java.lang.Object: {\"b\":2}), url=" + srv.url("/echo"), e.getMessage());
                    }
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> s.post(srv.url("/echo"), RequestOption.json("unknown")));
                    assertEquals("the JsonCodec cannot encode the json= body (java.io.IOException: no canned JSON for unknown)",
                            e.getMessage());
                    assertThrows(IllegalArgumentException.class,
                            () -> s.post(srv.url("/echo"), RequestOption.json(java.util.Map.of("a", 1)), RequestOption.body("x")));
                }
                return null;
            });
            assertEquals("application/json", contentTypes.get(0));
        }
    }

    @Test
    void jsonWithoutACodecSaysHowToConfigureOne() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "{}"))) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(SHORT).build()) {
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> s.post(srv.url("/"), RequestOption.json(java.util.Map.of())));
                    assertEquals("RequestOption.json(...) needs a JsonCodec, and this session has none: aio-http has no JSON "
                            + "library of its own; configure one with ClientSession.Builder.jsonCodec(...), e.g. backed by Jackson "
                            + "or Gson (see JsonCodec)", e.getMessage());
                    try (ClientResponse r = s.get(srv.url("/"))) {
                        IllegalStateException e2 = assertThrows(IllegalStateException.class, r::json);
                        assertTrue(e2.getMessage().startsWith("ClientResponse.json() needs a JsonCodec, and this session has none: "
                                + "aio-http has no JSON library of its own; configure one with ClientSession.Builder.jsonCodec(...)"),
                                e2.getMessage());
                    }
                }
                return null;
            });
        }
    }
}
