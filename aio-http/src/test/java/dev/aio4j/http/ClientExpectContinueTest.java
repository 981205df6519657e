package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aio4j.http.RequestOption.body;
import static dev.aio4j.http.RequestOption.chunks;
import static dev.aio4j.http.RequestOption.expect100;
import static dev.aio4j.http.RequestOption.header;
import static dev.aio4j.http.TestServers.eventually;
import static dev.aio4j.http.TestServers.readHead;
import static dev.aio4j.http.TestServers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Expect: 100-continue} against raw loopback sockets scripted byte by byte: mirrors the
 * {@code expect100} tests of aiohttp's tests/test_client_functional.py (the silent server is
 * aio4j-only: aiohttp has no wait limit).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientExpectContinueTest {
    private static final String OK_HELLO = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    /** Long enough that a client ignoring the server's answer would be caught by the server's checks. */
    private static final double LONG_WAIT = 30;

    @Test
    void expectContinue() throws Exception {
        byte[] payload = TestServers.payload(100_000, 1);
        AtomicReference<String> seenHead = new AtomicReference<>();
        AtomicInteger earlyBytes = new AtomicInteger(-1);
        AtomicInteger bodyBytes = new AtomicInteger(-1);
        Handshake hs = new Handshake();
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            seenHead.set(readHead(in));
            hs.serverReadHead(); // returns once the client is past its head, waiting for our answer
            earlyBytes.set(in.available());
            write(out, "HTTP/1.1 100 Continue\r\n\r\n");
            byte[] got = in.readNBytes(payload.length);
            bodyBytes.set(got.length);
            write(out, response(200, "OK", "got " + got.length + " bytes"));
            readHead(in); // the next request reuses the connection
            write(out, OK_HELLO);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    Task<Void> upload = Aio.createTask(() -> {
                        try (ClientResponse r = s.post(srv.url("/upload"), body(payload), expect100(LONG_WAIT))) {
                            assertEquals(200, r.status());
                            assertEquals("got 100000 bytes", r.text());
                        }
                        return null;
                    });
                    hs.letServerAnswerOnceItReadTheHead();
                    upload.await();
                    assertEquals(1, s.idleConnections(), "after 100 Continue and the body, the connection is reusable");
                    try (ClientResponse r = s.get(srv.url("/next"))) {
                        assertEquals("hello", r.text());
                    }
                }
                return null;
            });
            eventually(() -> bodyBytes.get() >= 0, "the server read the body");
            assertEquals(0, earlyBytes.get(), "no body byte before 100 Continue");
            assertEquals(payload.length, bodyBytes.get());
            assertTrue(seenHead.get().startsWith("POST /upload HTTP/1.1\r\n"), seenHead.get());
            assertTrue(seenHead.get().contains("\r\nExpect: 100-continue\r\n"), seenHead.get());
            assertTrue(seenHead.get().contains("\r\nContent-Length: 100000\r\n"), seenHead.get());
            assertEquals(1, srv.accepted, "one connection for both requests");
            assertEquals(List.of(), srv.errors);
        }
    }

    @Test
    void expectContinueFailed_417_bodyNotSent() throws Exception { // aio4j-only: the connection is not reused
        finalAnswerFirst("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n", 417, "");
    }

    @Test
    void expectContinueUnauthorized_401_bodyNotSent() throws Exception { // aio4j-only
        finalAnswerFirst("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"files\"\r\nContent-Length: 11\r\n\r\nlogin first",
                401, "login first");
    }

    /** The server answers the head at once with a final response; the client must never send the body. */
    private static void finalAnswerFirst(String answer, int status, String text) throws Exception {
        byte[] payload = TestServers.payload(200_000, 2);
        AtomicInteger bytesAfterHead = new AtomicInteger(-1);
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, answer);
            bytesAfterHead.set(in.readAllBytes().length); // until the client closes the connection
        }, (s, in, out) -> {
            readHead(in);
            write(out, OK_HELLO);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.put(srv.url("/files/a"), body(payload), expect100(LONG_WAIT))) {
                        assertEquals(status, r.status());
                        assertEquals(text, r.text());
                    }
                    assertEquals(0, s.openConnections(),
                            "the server may still expect the announced body: the connection is closed, not pooled");
                    try (ClientResponse r = s.get(srv.url("/next"))) {
                        assertEquals("hello", r.text());
                    }
                }
                return null;
            });
            eventually(() -> bytesAfterHead.get() >= 0, "the client closed the first connection");
            assertEquals(0, bytesAfterHead.get(), "body bytes sent after a final response");
            assertEquals(2, srv.accepted, "the second request needed a new connection");
            assertEquals(List.of(), srv.errors);
        }
    }

    @Test
    void expectContinueSilentServer_bodySentAfterTheWait() throws Exception { // aio4j-only
        byte[] payload = TestServers.payload(50_000, 3);
        AtomicReference<String> seenHead = new AtomicReference<>();
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            seenHead.set(readHead(in));
            byte[] got = in.readNBytes(payload.length); // never says 100 Continue
            write(out, response(201, "Created", "got " + got.length + " bytes"));
        })) {
            double[] elapsed = new double[1];
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    double t0 = Aio.getRunningLoop().time();
                    try (ClientResponse r = s.post(srv.url("/upload"), body(payload), expect100(Duration.ofMillis(200)))) {
                        elapsed[0] = Aio.getRunningLoop().time() - t0;
                        assertEquals(201, r.status());
                        assertEquals("got 50000 bytes", r.text());
                    }
                    assertEquals(1, s.idleConnections(), "the body was sent: the connection is reusable");
                }
                return null;
            });
            assertTrue(seenHead.get().contains("\r\nExpect: 100-continue\r\n"), seenHead.get());
            // A lower bound only: the body cannot leave before the wait is over.
            assertTrue(elapsed[0] >= 0.19, "the request took " + elapsed[0] + " s, less than the 0.2 s wait");
            assertEquals(List.of(), srv.errors);
        }
    }

    @Test
    void expectHeaderFromTheCaller_chunkedBody() throws Exception { // aiohttp: headers={"Expect": "100-continue"}
        AtomicReference<String> seenHead = new AtomicReference<>();
        AtomicInteger earlyBytes = new AtomicInteger(-1);
        AtomicReference<String> seenBody = new AtomicReference<>();
        Handshake hs = new Handshake();
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            seenHead.set(readHead(in));
            hs.serverReadHead();
            earlyBytes.set(in.available());
            write(out, "HTTP/1.1 100 Continue\r\n\r\n");
            seenBody.set(readHead(in)); // a chunked body ends with CRLF CRLF as a head does
            write(out, OK_HELLO);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    List<byte[]> parts = List.of("hello".getBytes(StandardCharsets.US_ASCII), "world".getBytes(StandardCharsets.US_ASCII));
                    Task<Void> upload = Aio.createTask(() -> {
                        try (ClientResponse r = s.post(srv.url("/stream"), header("expect", "100-Continue"), chunks(parts))) {
                            assertEquals("hello", r.text());
                        }
                        return null;
                    });
                    hs.letServerAnswerOnceItReadTheHead();
                    upload.await();
                }
                return null;
            });
            assertEquals(0, earlyBytes.get(), "no body byte before 100 Continue");
            assertTrue(seenHead.get().contains("\r\nTransfer-Encoding: chunked\r\n"), seenHead.get());
            assertEquals(1, count(seenHead.get().toLowerCase(java.util.Locale.ROOT), "\r\nexpect: 100-continue\r\n"), seenHead.get());
            assertEquals("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", seenBody.get());
            assertEquals(List.of(), srv.errors);
        }
    }

    @Test
    void expectContinueWithoutBodySendsNoExpect() throws Exception { // aio4j-only: RFC 9110 section 10.1.1
        List<String> heads = new CopyOnWriteArrayList<>();
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            heads.add(readHead(in));
            write(out, OK_HELLO);
            heads.add(readHead(in));
            write(out, OK_HELLO);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(srv.url("/a"), expect100(LONG_WAIT))) {
                        assertEquals("hello", r.text());
                    }
                    try (ClientResponse r = s.get(srv.url("/b"), header("Expect", "100-continue"))) {
                        assertEquals("hello", r.text());
                    }
                }
                return null;
            });
            assertEquals(2, heads.size());
            for (String h : heads) {
                assertFalse(h.toLowerCase(java.util.Locale.ROOT).contains("expect:"), h);
            }
        }
    }

    @Test
    void expect100RejectsABadWait() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> expect100(-1));
        assertEquals("expect100 wait must be a finite number of seconds >= 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> expect100(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> expect100(Double.POSITIVE_INFINITY));
        e = assertThrows(IllegalArgumentException.class, () -> expect100(Duration.ofSeconds(-2)));
        assertEquals("expect100 wait must be >= 0, got PT-2S", e.getMessage());
    }

    /**
     * Replaces a sleep in the server with a handshake the test controls: the server reads the
     * request head and then waits; the client's main task waits (off the loop) until the server
     * has the head, so the upload task has written its head and is suspended; only then may the
     * server look for early body bytes and answer. Nothing depends on how fast the machine is.
     */
    private static final class Handshake {
        private final CountDownLatch headRead = new CountDownLatch(1);
        private final CountDownLatch mayAnswer = new CountDownLatch(1);

        /** Server thread: the head is in; wait for the test's go. */
        void serverReadHead() throws InterruptedException {
            headRead.countDown();
            if (!mayAnswer.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the server answer");
            }
        }

        /** Client's main task: suspends until the server read the head, then lets it answer. */
        void letServerAnswerOnceItReadTheHead() throws Exception {
            try {
                boolean in = Aio.getRunningLoop().runInExecutor(null, () -> headRead.await(60, TimeUnit.SECONDS)).await();
                assertTrue(in, "the server never received the request head");
            } finally {
                mayAnswer.countDown();
            }
        }
    }

    private static String response(int status, String reason, String text) {
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Length: " + text.length() + "\r\n\r\n" + text;
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * aio4j-only (aiohttp checks Payload.consumed the same way): a 307 that comes before
     * 100 Continue leaves a one-shot body unsent, so the redirect is followed with it.
     */
    @Test
    void aOneShotBodyNotYetSentFollowsA307() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (TestServers.Scripted srv = new TestServers.Scripted((s, in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 307 Temporary Redirect\r\nLocation: /there\r\nContent-Length: 0\r\n\r\n");
            while (in.read() >= 0) {
                // the client closes this connection: the announced body was never sent on it
            }
        }, (s, in, out) -> {
            String head = readHead(in);
            assertTrue(head.startsWith("POST /there HTTP/1.1\r\n"), head);
            write(out, "HTTP/1.1 100 Continue\r\n\r\n");
            StringBuilder chunked = new StringBuilder();
            while (!chunked.toString().endsWith("0\r\n\r\n")) {
                chunked.append((char) in.read());
            }
            received.set(chunked.toString());
            write(out, OK_HELLO);
        })) {
            Aio.run(() -> {
                try (ClientSession s = ClientSession.builder().timeout(new ClientTimeout(20, 5, 20)).build();
                     ClientResponse r = s.post(srv.url("/here"), chunks(List.of("one".getBytes(), "shot".getBytes())),
                             expect100(LONG_WAIT))) {
                    assertEquals("hello", r.text());
                    assertEquals(307, r.history().get(0).status());
                }
                return null;
            });
            assertEquals("3\r\none\r\n4\r\nshot\r\n0\r\n\r\n", received.get());
            assertEquals(List.of(), srv.errors);
        }
    }
}
