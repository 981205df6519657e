package dev.aio4j.http.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile requests over raw loopback sockets: RFC 9112's request-smuggling shapes, limits,
 * slow clients, {@code Expect: 100-continue} and {@code clientMaxSize}. Each refused request gets
 * exactly one error response, the connection closes, and the request smuggled behind it is never
 * answered. aio4j-only (aiohttp tests these shapes at the parser level in
 * {@code tests/test_http_parser.py}; here they go through the whole server).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileRequestTest {
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
    private static final AtomicInteger smuggledHits = new AtomicInteger();
    private static LoopbackServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackServer(ServerConfig.defaults().limits(8190, 8190, 128), HostileRequestTest::routes);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    static void routes(Application app) {
        app.router().addGet("/", r -> new Response().text("ok"));
        app.router().addPost("/echo", r -> new Response().body(r.read()));
        app.router().addPost("/ignore", r -> new Response().text("ignored"));
        app.router().addRoute("*", "/smuggled", r -> {
            smuggledHits.incrementAndGet();
            return new Response().text("smuggled");
        });
    }

    static Stream<Object[]> smugglingShapes() {
        String big = "a".repeat(9000);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        return Stream.of(
                new Object[] {"contentLengthAndTransferEncoding", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
                new Object[] {"transferEncodingAndContentLength", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"},
                new Object[] {"twoDifferingContentLengths", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello"},
                new Object[] {"contentLengthList", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 5\r\n\r\nhello"},
                new Object[] {"signedContentLength", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"},
                new Object[] {"transferEncodingNotEndingInChunked", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"},
                new Object[] {"transferEncodingWithoutChunked", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n"},
                new Object[] {"transferEncodingChunkedTwice", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
                new Object[] {"badChunkSize", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkSizeWithLeadingPlus", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkWithoutCrlfAfterData", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"},
                // chunk-size lines and chunk extensions (RFC 9112 section 7.1; aiohttp's strict parser, llhttp)
                new Object[] {"chunkSizeTrailingSpace", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkSizeTrailingTab", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\t\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkSizeSpaceBeforeExtension", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 ;a=b\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkSizeWithoutSemicolonBeforeJunk", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2 erfrferferf\r\naa\r\n0 rrrr\r\n\r\n"},
                new Object[] {"chunkSizeHexPrefix", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkSizeNegative", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkSizeOverflow", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkExtensionEmpty", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkExtensionControlChar", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\u0001\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkExtensionNul", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u0000\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkExtensionUnbalancedQuote", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b;c\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkExtensionBareLf", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;\nxx\r\n4c\r\n0\r\n\r\n"},
                new Object[] {"chunkExtensionTooLong", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=" + "b".repeat(5000) + "\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"chunkHeaderBareCr", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n"},
                new Object[] {"chunkDataFollowedByBareLf", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n"},
                new Object[] {"chunkSizeLongerThanData", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\r\n0\r\n\r\n"},
                new Object[] {"trailerObsFold", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-A: a\r\n b\r\n\r\n"},
                new Object[] {"transferEncodingChunkedChunkedList", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"},
                new Object[] {"transferEncodingChunkedThenIdentity", 400,
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n"},
                new Object[] {"obsFold", 400,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"},
                new Object[] {"bareCrInHeader", 400,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"},
                new Object[] {"bareLfLineEnd", 400,
                        "GET / HTTP/1.1\r\nHost: x\nX-A: a\r\n\r\n"},
                new Object[] {"nulInHeader", 400,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"},
                new Object[] {"spaceBeforeColon", 400,
                        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"},
                new Object[] {"requestLineTooLong", 414,
                        "GET /" + big + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                new Object[] {"headerTooBig", 431,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n"},
                new Object[] {"tooManyHeaders", 431,
                        "GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n"},
                new Object[] {"http20", 505,
                        "GET / HTTP/2.0\r\nHost: x\r\n\r\n"},
                new Object[] {"missingHostIn11", 400,
                        "GET / HTTP/1.1\r\nX-A: a\r\n\r\n"},
                new Object[] {"twoHosts", 400,
                        "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smugglingShapes")
    void smugglingShapeGetsOneErrorAndClose(String shape, int status, String hostile) throws IOException {
        int before = smuggledHits.get();
        String got = server.exchange(hostile + SMUGGLED);
        List<Integer> statuses = statuses(got);
        assertEquals(List.of(status), statuses, shape + ": " + got);
        assertFalse(got.contains("smuggled"), got);
        assertEquals(before, smuggledHits.get(), "the smuggled request reached its handler");
        assertServerStillServes();
    }

    @Test
    void pipelinedValidRequestsAreAllAnswered() throws IOException { // the control for the shapes above
        String got = server.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(200, 200, 200), statuses(got), got);
        assertTrue(got.contains("hello"), got);
    }

    @Test
    void brokenChunkedBodyThatTheHandlerIgnoresStillClosesTheConnection() throws IOException { // aio4j-only
        // The handler answers before (or without) reading the body, as aiohttp's may: its answer stands,
        // but the connection closes after it, so the request behind the broken chunk is never read.
        int before = smuggledHits.get();
        String got = server.exchange("POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"
                + SMUGGLED);
        assertEquals(List.of(200), statuses(got), got);
        assertFalse(got.contains("smuggled"), got);
        assertEquals(before, smuggledHits.get(), "the smuggled request reached its handler");
    }

    @Test
    void validChunkExtensionsAreAccepted() throws IOException { // the control for the chunk shapes above
        String got = server.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ilovew3=\"I love; extensions\";blah;foo=bar\r\nhello\r\n6;a=b\r\n world\r\n0;last\r\nX-T: 1\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(200, 200), statuses(got), got);
        assertTrue(got.contains("hello world"), got);
    }

    @Test
    void smuggledRequestInsideAContentLengthBodyIsBody() throws IOException {
        int before = smuggledHits.get();
        String got = server.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED);
        assertEquals(List.of(200), statuses(got), got);
        assertTrue(got.endsWith(SMUGGLED), got);
        assertEquals(before, smuggledHits.get());
    }

    @Test
    void slowlorisHeadGets408AndClose() throws Exception {
        try (LoopbackServer slow = new LoopbackServer(ServerConfig.defaults().readHeadTimeout(0.5), HostileRequestTest::routes);
             Socket s = slow.connect()) {
            String got = dripUntilAnswered(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(200) + "\r\n\r\n");
            assertEquals(List.of(408), statuses(got), got);
        }
    }

    @Test
    void slowlorisOnAKeptAliveConnectionGets408AndClose() throws Exception { // aio4j-only
        ServerConfig config = ServerConfig.defaults().readHeadTimeout(0.5).keepaliveTimeout(300);
        try (LoopbackServer slow = new LoopbackServer(config, HostileRequestTest::routes); Socket s = slow.connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String first = readOneResponse(s.getInputStream());
            assertEquals(List.of(200), statuses(first), first);
            Thread.sleep(1000); // past the first request's head deadline, well inside keep-alive
            String got = dripUntilAnswered(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(200) + "\r\n\r\n");
            assertEquals(List.of(408), statuses(got), got);
        }
    }

    @Test
    void keepaliveTimeoutClosesAnIdleConnection() throws Exception {
        try (LoopbackServer idle = new LoopbackServer(ServerConfig.defaults().keepaliveTimeout(0.3), HostileRequestTest::routes);
             Socket s = idle.connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String got = LoopbackServer.readUntilClosed(s);
            assertEquals(List.of(200), statuses(got), got);
        }
    }

    @Test
    void expectContinueGets100ThenTheResponse() throws IOException {
        try (Socket s = server.connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String interim = readOneResponse(in);
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", interim);
            out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
            String got = LoopbackServer.readUntilClosed(s);
            assertEquals(List.of(200), statuses(got), got);
            assertTrue(got.endsWith("\r\n\r\nhello"), got);
        }
    }

    @Test
    void expectContinueOverClientMaxSizeGets413Without100() throws IOException {
        String got = server.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\nExpect: 100-continue\r\n\r\n");
        assertEquals(List.of(413), statuses(got), got);
        assertFalse(got.contains("100 Continue"), got);
    }

    @Test
    void bodyOverClientMaxSizeGets413AndTheRestIsDrained() throws Exception {
        // the handler's read() stopped at clientMaxSize: the rest of the body is read and
        // discarded after the 413 (lingering close, as aiohttp's web_protocol does), so the
        // connection carries the next request; it used to close (see the lingeringTime(0) case)
        String got = sendLargeBody(server, "Content-Length: " + (2 << 20) + "\r\n", false, true);
        assertEquals(List.of(413, 200), statuses(got), got);
        assertServerStillServes();
    }

    @Test
    void chunkedBodyOverClientMaxSizeGets413AndTheRestIsDrained() throws Exception {
        String got = sendLargeBody(server, "Transfer-Encoding: chunked\r\n", true, true);
        assertEquals(List.of(413, 200), statuses(got), got);
        assertServerStillServes();
    }

    @Test
    void bodyOverClientMaxSizeGets413AndTheConnectionClosesWithoutLingering() throws Exception {
        try (LoopbackServer noLinger = new LoopbackServer(ServerConfig.defaults().lingeringTime(0), HostileRequestTest::routes)) {
            for (boolean chunked : new boolean[] {false, true}) {
                String got = sendLargeBody(noLinger, chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + (2 << 20) + "\r\n",
                        chunked, false);
                assertEquals(List.of(413), statuses(got), got);
                assertTrue(got.contains("\r\nConnection: close\r\n"), got);
            }
        }
        assertServerStillServes();
    }

    /**
     * Sends 2 MiB on a writer thread while reading; the server must answer, and then close or,
     * with {@code thenNext}, take a next request (sent once the whole body is out) on the same
     * connection.
     */
    private static String sendLargeBody(LoopbackServer to, String framing, boolean chunked, boolean thenNext) throws Exception {
        try (Socket s = to.connect()) {
            OutputStream out = s.getOutputStream();
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread writer = new Thread(() -> {
                try {
                    out.write(("POST /echo HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    byte[] block = new byte[64 * 1024];
                    for (int i = 0; i < 32; i++) {
                        if (chunked) {
                            out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(block);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    sent.complete(null);
                } catch (IOException closedByServer) {
                    sent.completeExceptionally(closedByServer); // expected without lingering: the server closes
                }
            }, "large-body-writer");
            writer.setDaemon(true);
            writer.start();
            String got;
            if (thenNext) {
                got = readOneResponse(s.getInputStream());
                sent.get(30, TimeUnit.SECONDS); // the server read the whole body
                out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                got += LoopbackServer.readUntilClosed(s);
            } else {
                got = LoopbackServer.readUntilClosed(s);
            }
            s.close();
            writer.join(10_000);
            return got;
        }
    }

    /** Writes {@code text} a byte at a time, 50 ms apart, until the server answers; returns all it sent. */
    private static String dripUntilAnswered(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int i = 0; i < text.length() && in.available() == 0; i++) {
            try {
                out.write(text.charAt(i));
                out.flush();
            } catch (IOException closed) {
                break;
            }
            Thread.sleep(50);
        }
        return LoopbackServer.readUntilClosed(s);
    }

    /** Reads one response head, and its body if it has a Content-Length. */
    private static String readOneResponse(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("closed in the middle of a response head: " + sb);
            }
            sb.append((char) c);
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(sb);
        if (m.find()) {
            sb.append(new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static List<Integer> statuses(String responses) {
        List<Integer> out = new ArrayList<>();
        Matcher m = STATUS_LINE.matcher(responses);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1))); // responses follow each other with no separator
        }
        return out;
    }

    private static void assertServerStillServes() throws IOException {
        String got = server.exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(List.of(200), statuses(got), got);
    }
}
