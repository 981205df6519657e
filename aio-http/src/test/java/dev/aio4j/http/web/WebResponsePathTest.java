package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response path of the server over raw loopback sockets: back-pressure, framing a handler got
 * wrong, and what a failing handler leaves on the wire. aio4j-only review tests (aiohttp's
 * {@code tests/test_web_functional.py} and {@code test_web_protocol.py} cover the same ground with
 * mocks).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebResponsePathTest {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 48;
    private static final AtomicLong maxBuffered = new AtomicLong();
    private static final AtomicInteger written = new AtomicInteger();
    private static volatile CompletableFuture<Integer> firstYield = new CompletableFuture<>();
    private static LoopbackServer server;
    /** The same routes with {@code lingeringTime(0)}: an unread body closes the connection at once. */
    private static LoopbackServer noLinger;
    /** /big-head: the size of its X-Big header, how many ran, how far past its high mark the transport got. */
    private static final int BIG_HEAD = 32 * 1024;
    private static final AtomicInteger bigHeads = new AtomicInteger();
    private static final AtomicLong bigHeadsMaxOver = new AtomicLong(Long.MIN_VALUE);
    private static final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> bigHeadsStalledOrDone =
            new java.util.concurrent.atomic.AtomicReference<>(new CompletableFuture<>());
    private static final int BIG_HEAD_REQUESTS = 600;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackServer(ServerConfig.defaults(), WebResponsePathTest::routes);
        noLinger = new LoopbackServer(ServerConfig.defaults().lingeringTime(0), WebResponsePathTest::routes);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (noLinger != null) {
            noLinger.close();
        }
    }

    static void routes(Application app) {
        app.router().addGet("/flood", r -> {
            StreamResponse resp = new StreamResponse();
            resp.prepare(r);
            byte[] chunk = new byte[CHUNK];
            // runs at the handler's first suspension: how far it got without waiting for the client
            Aio.getRunningLoop().callSoon(() -> firstYield.complete(written.get()));
            for (int i = 0; i < CHUNKS; i++) {
                resp.write(chunk);
                written.incrementAndGet();
                maxBuffered.accumulateAndGet(r.transport().getWriteBufferSize(), Math::max);
            }
            resp.writeEof();
            return resp;
        });
        app.router().addGet("/partial-then-fail", r -> {
            StreamResponse resp = new StreamResponse();
            resp.prepare(r);
            resp.write("partial".getBytes(StandardCharsets.US_ASCII));
            throw new IllegalStateException("boom after part of the body");
        });
        app.router().addGet("/prepared-then-fail", r -> {
            Response resp = new Response().text("never sent");
            resp.prepare(r); // a Response's head waits for its body: nothing is on the wire yet
            throw new IllegalStateException("boom after prepare");
        });
        app.router().addGet("/short", r -> {
            StreamResponse resp = new StreamResponse();
            resp.contentLength(10);
            resp.prepare(r);
            resp.write("12345".getBytes(StandardCharsets.US_ASCII));
            resp.writeEof();
            return resp;
        });
        app.router().addGet("/long", r -> {
            StreamResponse resp = new StreamResponse();
            resp.contentLength(3);
            resp.prepare(r);
            resp.write("12345".getBytes(StandardCharsets.US_ASCII));
            resp.writeEof();
            return resp;
        });
        app.router().addGet("/big-head", r -> {
            bigHeadTurn(r);
            Response resp = new Response().text("x");
            resp.headers().set("X-Big", "a".repeat(BIG_HEAD));
            return resp;
        });
        app.router().addGet("/big-head-stream", r -> {
            bigHeadTurn(r);
            StreamResponse resp = new StreamResponse(); // its head leaves at prepare(), not at the end
            resp.headers().set("X-Big", "a".repeat(BIG_HEAD));
            resp.contentLength(1);
            resp.prepare(r);
            resp.write("x".getBytes(StandardCharsets.US_ASCII));
            resp.writeEof();
            return resp;
        });
        app.router().addGet("/text", r -> new Response().text("ok"));
        app.router().addGet("/stream", r -> {
            StreamResponse resp = new StreamResponse();
            resp.prepare(r);
            resp.write("abc".getBytes(StandardCharsets.US_ASCII));
            resp.writeEof();
            return resp;
        });
        app.router().addGet("/status/{code}", r -> new Response(Integer.parseInt(r.matchInfo().get("code"))).text("body"));
        app.router().addGet("/bytes-status/{code}", r -> new Response(Integer.parseInt(r.matchInfo().get("code")))
                .body("should not get to client".getBytes(StandardCharsets.US_ASCII)));
        app.router().addGet("/close-header", r -> {
            Response resp = new Response().text("bye");
            resp.headers().set("Connection", "close");
            return resp;
        });
        app.router().addGet("/gzip-stream", r -> {
            StreamResponse resp = new StreamResponse();
            resp.enableCompression();
            resp.prepare(r);
            resp.write("abc".repeat(100).getBytes(StandardCharsets.US_ASCII));
            resp.writeEof();
            return resp;
        });
        app.router().addGet("/n/{n}", r -> new Response().text(r.matchInfo().get("n")));
        app.router().addGet("/close", r -> {
            Response resp = new Response().text("bye");
            resp.forceClose();
            return resp;
        });
        app.router().addPost("/ignore", r -> new Response().text("ignored"));
        // its prepare() throws HTTPNotFound: the server answers the exception's 404 instead
        app.router().addPost("/missing-file", r -> new FileResponse(java.nio.file.Path.of("/nonexistent-aio4j-test-dir/missing.txt")));
    }

    private static void send(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Counts a /big-head request and, when the connection's task next suspends, how far past its high mark it wrote. */
    private static void bigHeadTurn(Request r) {
        int handled = bigHeads.incrementAndGet();
        dev.aio4j.streams.Transport t = r.transport();
        CompletableFuture<Void> round = bigHeadsStalledOrDone.get();
        Aio.getRunningLoop().callSoon(() -> {
            long over = t.getWriteBufferSize() - t.getWriteBufferLimits().high();
            bigHeadsMaxOver.accumulateAndGet(over, Math::max);
            if (over > 0 || handled == BIG_HEAD_REQUESTS) {
                round.complete(null);
            }
        });
    }

    @Test
    void pipelinedAnswersWithoutABodyWaitForTheClientToo() throws Exception {
        // aiohttp's StreamWriter.write_eof drains as write does: a client that pipelines HEAD
        // requests and reads nothing must not make the server buffer every answer (here a head
        // of 32 KiB each, 600 of them), only about its high-water mark and one answer; for a
        // Response (head sent at the end) and a StreamResponse (head sent at prepare)
        for (String path : new String[] {"/big-head", "/big-head-stream"}) {
            pipelineHeads(path);
        }
    }

    private static void pipelineHeads(String path) throws Exception {
        bigHeads.set(0);
        bigHeadsMaxOver.set(Long.MIN_VALUE);
        bigHeadsStalledOrDone.set(new CompletableFuture<>());
        try (Socket s = server.connect()) {
            send(s, ("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").repeat(BIG_HEAD_REQUESTS));
            bigHeadsStalledOrDone.get().get(30, TimeUnit.SECONDS); // the server waits for us (or wrote all): read now
            java.io.InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            int heads = 0;
            int matched = 0; // of CRLF CRLF, which ends each head (HEAD: no body)
            while (heads < BIG_HEAD_REQUESTS) {
                int k = in.read(buf);
                if (k < 0) {
                    break;
                }
                for (int i = 0; i < k; i++) {
                    byte b = buf[i];
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                    if (matched == 4) {
                        heads++;
                        matched = 0;
                    }
                }
            }
            assertEquals(BIG_HEAD_REQUESTS, heads, "every request answered");
        }
        assertTrue(bigHeadsMaxOver.get() <= BIG_HEAD + 1024, path + ": the server buffered " + bigHeadsMaxOver.get()
                + " bytes past its high-water mark for a client that read nothing");
    }

    @Test
    void streamWritesWaitForTheClientToRead() throws Exception {
        // aiohttp's StreamWriter.write drains past its buffer limit: a handler that writes faster
        // than the client reads is suspended, its bytes do not pile up in the transport
        maxBuffered.set(0);
        written.set(0);
        firstYield = new CompletableFuture<>();
        try (Socket s = server.connect()) {
            send(s, "GET /flood HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            int before = firstYield.get(30, TimeUnit.SECONDS); // the client reads nothing until then
            assertTrue(before < CHUNKS, "the handler wrote all " + CHUNKS + " MiB to a client that reads nothing"
                    + " without being suspended once");
            long total = 0;
            byte[] buf = new byte[65536];
            for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                total += n;
            }
            assertTrue(total > (long) CHUNK * CHUNKS, "the whole body arrived: " + total);
        }
        assertTrue(maxBuffered.get() <= 4L * CHUNK, "the transport buffered " + maxBuffered.get()
                + " bytes of a " + CHUNK * CHUNKS + "-byte body: write() did not wait for the client");
    }

    private static int statusLines(String wire) {
        return wire.split("HTTP/1\\.1 \\d{3} ", -1).length - 1;
    }

    @Test
    void handlerFailingAfterPartOfTheBodyClosesWithoutASecondResponse() throws IOException {
        // aiohttp (web_protocol.handle_error): the head is out, so no 500 can follow; the
        // connection closes and the pipelined request behind it is not answered
        try (Socket s = server.connect()) {
            send(s, "GET /partial-then-fail HTTP/1.1\r\nHost: x\r\n\r\nGET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            assertEquals(1, statusLines(wire), wire);
            assertTrue(wire.startsWith("HTTP/1.1 200 OK\r\n"), wire);
            assertTrue(wire.endsWith("7\r\npartial\r\n"), "nothing after the partial body, no last chunk: " + wire);
        }
    }

    @Test
    void handlerFailingAfterPrepareWithNothingSentGets500() throws IOException {
        // aiohttp's handle_error answers 500 while the writer's output_size is 0 (the head is
        // buffered until the body): the client gets an answer, not an empty reply
        String wire = server.exchange("GET /prepared-then-fail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(1, statusLines(wire), "[" + wire + "]");
        assertTrue(wire.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), "[" + wire + "]");
        assertFalse(wire.contains("never sent"), wire);
    }

    @Test
    void bodyShorterThanItsContentLengthClosesTheConnection() throws IOException {
        try (Socket s = server.connect()) {
            send(s, "GET /short HTTP/1.1\r\nHost: x\r\n\r\nGET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            assertEquals(1, statusLines(wire), wire);
            assertTrue(wire.contains("\r\nContent-Length: 10\r\n") && wire.endsWith("\r\n\r\n12345"), wire);
        }
    }

    @Test
    void bodyLongerThanItsContentLengthSendsNoMoreThanDeclaredAndCloses() throws IOException {
        try (Socket s = server.connect()) {
            send(s, "GET /long HTTP/1.1\r\nHost: x\r\n\r\nGET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            assertEquals(1, statusLines(wire), wire);
            String body = wire.substring(wire.indexOf("\r\n\r\n") + 4);
            assertTrue(body.length() <= 3, "more body than the declared 3 bytes: " + wire);
        }
    }

    @Test
    void headAnswerHasTheLengthAndNoBody() throws IOException { // test_web_functional: test_head_returns_empty_body
        try (Socket s = server.connect()) {
            send(s, "HEAD /text HTTP/1.1\r\nHost: x\r\n\r\nHEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            String[] parts = wire.split("(?=HTTP/1\\.1 )");
            assertEquals(3, parts.length, wire);
            assertTrue(parts[0].contains("\r\nContent-Length: 2\r\n") && parts[0].endsWith("\r\n\r\n"), parts[0]);
            assertTrue(parts[1].endsWith("\r\n\r\n"), "no body and no last chunk after HEAD: " + parts[1]);
            assertTrue(parts[2].endsWith("\r\n\r\nok"), parts[2]);
        }
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyAndNoFraming() throws IOException { // RFC 9110 6.4.1, 8.6
        for (int code : new int[] {204, 304}) {
            try (Socket s = server.connect()) {
                send(s, "GET /status/" + code + " HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                String wire = LoopbackServer.readUntilClosed(s);
                String[] parts = wire.split("(?=HTTP/1\\.1 )");
                assertEquals(2, parts.length, wire);
                assertTrue(parts[0].startsWith("HTTP/1.1 " + code + " ") && parts[0].endsWith("\r\n\r\n"), parts[0]);
                String h = parts[0].toLowerCase(java.util.Locale.ROOT);
                assertFalse(h.contains("transfer-encoding") || h.contains("content-length") && code == 204, parts[0]);
                assertTrue(parts[1].endsWith("\r\n\r\nok"), parts[1]);
            }
        }
    }

    @Test
    void noBodyForNoContentAndNotModifiedResponses() throws IOException {
        // test_web_functional: test_no_body_for_1xx_204_304_responses (204 and 304, HTTP/1.1 and
        // 1.0) and test_response_101_204_no_content_length_http11 (204)
        for (String version : new String[] {"1.1", "1.0"}) {
            for (int code : new int[] {204, 304}) {
                try (Socket s = server.connect()) {
                    send(s, "GET /bytes-status/" + code + " HTTP/" + version + "\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"
                            + "GET /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    String wire = LoopbackServer.readUntilClosed(s);
                    String[] parts = wire.split("(?=HTTP/1\\.1 )");
                    assertEquals(2, parts.length, wire);
                    String h = parts[0].toLowerCase(java.util.Locale.ROOT);
                    assertFalse(h.contains("content-type") || h.contains("transfer-encoding"), parts[0]);
                    assertFalse(code == 204 && h.contains("content-length"), parts[0]);
                    assertTrue(parts[0].endsWith("\r\n\r\n"), "no body: " + parts[0]);
                }
            }
        }
    }

    @Test
    void http10ClientGetsACloseDelimitedStreamAndKeepAliveOnlyIfAsked() throws IOException {
        String wire = server.exchange("GET /stream HTTP/1.0\r\n\r\n");
        assertTrue(wire.startsWith("HTTP/1.1 200 OK\r\n"), wire);
        assertFalse(wire.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding"), wire);
        assertTrue(wire.endsWith("\r\n\r\nabc"), wire);
        try (Socket s = server.connect()) {
            send(s, "GET /text HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /text HTTP/1.0\r\n\r\n");
            String both = LoopbackServer.readUntilClosed(s);
            String[] parts = both.split("(?=HTTP/1\\.1 )");
            assertEquals(2, parts.length, both);
            assertTrue(parts[0].contains("\r\nConnection: keep-alive\r\n"), parts[0]);
            assertFalse(parts[1].contains("keep-alive"), parts[1]);
        }
    }

    @Test
    void handlerForceCloseSaysConnectionClose() throws IOException {
        try (Socket s = server.connect()) {
            send(s, "GET /close HTTP/1.1\r\nHost: x\r\n\r\nGET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            assertEquals(1, statusLines(wire), wire);
            assertTrue(wire.contains("\r\nConnection: close\r\n") && wire.endsWith("bye"), wire);
        }
    }

    @Test
    void connectionCloseHeaderFromTheHandlerClosesTheConnection() throws IOException {
        // RFC 9112 9.6: a server that sends the close option must close after that response
        // and process no further request on the connection
        try (Socket s = server.connect()) {
            send(s, "GET /close-header HTTP/1.1\r\nHost: x\r\n\r\nGET /text HTTP/1.1\r\nHost: x\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            assertEquals(1, statusLines(wire), wire);
            assertTrue(wire.contains("\r\nConnection: close\r\n") && wire.endsWith("bye"), wire);
        }
    }

    @Test
    void headOfACompressedStreamHasTheHeadersOfItsGet() throws IOException {
        // RFC 9110 9.3.2: HEAD gets the header fields GET would (aiohttp starts the compression
        // whatever the method); no body either way
        try (Socket s = server.connect()) {
            send(s, "HEAD /gzip-stream HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                    + "GET /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String wire = LoopbackServer.readUntilClosed(s);
            String[] parts = wire.split("(?=HTTP/1\\.1 )");
            assertEquals(2, parts.length, wire);
            assertTrue(parts[0].contains("\r\nContent-Encoding: gzip\r\n") && parts[0].contains("\r\nVary: Accept-Encoding\r\n"),
                    parts[0]);
            assertTrue(parts[0].endsWith("\r\n\r\n"), parts[0]);
            assertTrue(parts[1].endsWith("\r\n\r\nok"), parts[1]);
        }
    }

    @Test
    void manySmallPipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        // one read holds thousands of requests: each is parsed from where the last ended (the
        // bytes after a request are held by offset, not copied again per request)
        int count = 5000;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            all.append("GET /n/").append(i).append(" HTTP/1.1\r\nHost: x\r\n").append(i == count - 1 ? "Connection: close\r\n" : "")
                    .append("\r\n");
        }
        try (Socket s = server.connect()) {
            Thread writer = new Thread(() -> {
                try {
                    send(s, all.toString());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            String wire = LoopbackServer.readUntilClosed(s);
            writer.join(30_000);
            String[] parts = wire.split("(?=HTTP/1\\.1 )");
            assertEquals(count, parts.length);
            for (int i = 0; i < count; i++) {
                assertTrue(parts[i].endsWith("\r\n\r\n" + i), parts[i]);
            }
        }
    }

    @Test
    void expectContinueForNotFoundAndNotAllowedGetsContinueThenTheError() throws IOException {
        // test_web_functional: test_100_continue_for_not_found, test_100_continue_for_not_allowed.
        // aiohttp's MatchInfoError has a SystemRoute, whose expect handler is the default one: the
        // client waiting for 100 gets it, then the 404 or 405; its body is read and dropped after
        String[][] cases = {{"POST /not_found", "404"}, {"PUT /ignore", "405"}};
        for (String[] c : cases) {
            try (Socket s = server.connect()) {
                send(s, c[0] + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
                assertEquals("HTTP/1.1 100 Continue\r\n\r\n", readResponse(s, "\r\n\r\n"));
                send(s, "data");
                String wire = LoopbackServer.readUntilClosed(s);
                assertTrue(wire.startsWith("HTTP/1.1 " + c[1] + " "), wire);
            }
        }
    }

    @Test
    void unknownExpectationForNotFoundIs417() throws IOException {
        // aiohttp: the SystemRoute's default expect handler raises HTTPExpectationFailed before
        // the 404 is raised (test_expect_default_handler_unknown, on a path with no route)
        String wire = server.exchange("POST /not_found HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: SPAM\r\n\r\n");
        assertTrue(wire.startsWith("HTTP/1.1 417 "), wire);
        assertTrue(wire.contains("Unknown Expect: SPAM"), wire);
    }

    @Test
    void expectContinueForNotFoundWithABodyOverTheLimitGetsTheErrorWithoutContinue() throws IOException {
        // aio4j-only: the default handler's 413 would hide the 404; no 100, so the client never
        // sends the body, and the connection closes after the answer (RFC 9112 9.6)
        String wire = server.exchange("POST /not_found HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
                + "Expect: 100-continue\r\n\r\n");
        assertTrue(wire.startsWith("HTTP/1.1 404 "), wire);
        assertFalse(wire.contains("100 Continue"), wire);
        assertTrue(wire.contains("\r\nConnection: close\r\n"), wire);
    }

    @Test
    void expectOfAnHttp10RequestForNotFoundIsNotLookedAt() throws IOException {
        // aiohttp's _default_expect_handler looks at HTTP/1.1 requests only
        String wire = server.exchange("POST /not_found HTTP/1.0\r\nHost: x\r\nContent-Length: 4\r\nExpect: SPAM\r\n\r\ndata");
        assertTrue(wire.startsWith("HTTP/1.0 404 ") || wire.startsWith("HTTP/1.1 404 "), wire);
    }

    @Test
    void answerToARequestWhoseBodyHasNotArrivedSaysCloseWithoutLingering() throws IOException {
        // lingeringTime(0): the handler answered before the body arrived and the server will close
        // rather than read the rest: RFC 9112 9.6, the answer says so (Connection: close), so a
        // client does not send its next request on a connection being closed
        try (Socket s = noLinger.connect()) {
            send(s, "POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
            String wire = LoopbackServer.readUntilClosed(s);
            assertTrue(wire.startsWith("HTTP/1.1 200 OK\r\n") && wire.endsWith("ignored"), wire);
            assertTrue(wire.contains("\r\nConnection: close\r\n"), wire);
        }
    }

    @Test
    void answerToARequestWhoseBodyArrivesLaterKeepsTheConnection() throws IOException {
        // lingering close (the default, aiohttp's lingering_time): the answer promises keep-alive,
        // the rest of the body is read and discarded when it comes, and the next request on the
        // same connection is answered
        try (Socket s = server.connect()) {
            send(s, "POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
            String first = readResponse(s, "ignored");
            assertTrue(first.startsWith("HTTP/1.1 200 OK\r\n"), first);
            assertFalse(first.contains("Connection: close"), first);
            send(s, "67890GET /text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String second = LoopbackServer.readUntilClosed(s);
            assertTrue(second.startsWith("HTTP/1.1 200 OK\r\n") && second.endsWith("ok"), second);
        }
    }

    @Test
    void answerThatReplacesAFailedPrepareSaysCloseWhenTheBodyHasNotArrived() throws IOException {
        // as answerToARequestWhoseBodyHasNotArrivedSaysCloseWithoutLingering, when the handler's
        // response fails in prepare() with an HTTPException (a FileResponse whose file is missing:
        // 404) and the exception's answer goes out in its place: the server closes after it all
        // the same
        try (Socket s = noLinger.connect()) {
            send(s, "POST /missing-file HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
            String wire = LoopbackServer.readUntilClosed(s);
            assertTrue(wire.startsWith("HTTP/1.1 404 "), wire);
            assertTrue(wire.contains("\r\nConnection: close\r\n"), wire);
        }
    }

    /** Reads from {@code s} until what was read ends with {@code end} (one response of known body). */
    private static String readResponse(Socket s, String end) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.io.InputStream in = s.getInputStream();
        while (!sb.toString().endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("closed before the response ended: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void unknownExpectationGets417() throws IOException { // test_web_functional: test_expect_default_handler_unknown
        String wire = server.exchange("POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(wire.startsWith("HTTP/1.1 417 "), wire);
    }

    @Test
    void unreadLargeBodyStillLetsTheClientReadTheAnswer() throws Exception {
        // the handler answers without reading a body bigger than the socket buffers: the answer
        // must reach the client, not be lost to a reset (RFC 9112 9.6: close gradually). With
        // lingering the server reads the body to its end, then closes as the client asked; without,
        // it closes at once
        int size = 8 << 20;
        for (LoopbackServer srv : new LoopbackServer[] {server, noLinger}) {
            try (Socket s = srv.connect()) {
                send(s, "POST /ignore HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + size + "\r\n\r\n");
                Thread writer = new Thread(() -> {
                    try {
                        byte[] chunk = new byte[65536];
                        for (int i = 0; i < size / chunk.length; i++) {
                            s.getOutputStream().write(chunk);
                        }
                    } catch (IOException expected) {
                        // the server may close before the whole body is sent
                    }
                });
                writer.start();
                String wire = LoopbackServer.readUntilClosed(s);
                writer.join(30_000);
                assertTrue(wire.startsWith("HTTP/1.1 200 OK\r\n") && wire.endsWith("ignored"), "the answer was lost: [" + wire + "]");
            }
        }
    }
}
