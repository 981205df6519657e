package dev.aio4j.examples.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BenchServer} as benchmark drivers use it: a child JVM, the ready line, every route over
 * {@link HttpClient}, then SIGTERM ({@link ProcessHandle#destroy()} on Unix) and exit status 0.
 * aio4j-only.
 */
class BenchServerTest {
    private static final Pattern READY = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempt
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneLoopServesEveryRouteAndExitsZeroOnSigterm() throws Exception {
        serveExerciseAndTerminate(1);
    }

    @Test
    @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoWorkersServeEveryRouteAndExitZeroOnSigterm() throws Exception {
        serveExerciseAndTerminate(2);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badArgumentsPrintUsageAndExitTwo() throws Exception {
        Process p = start(List.of("--host", "127.0.0.1", "--port", "99999"));
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        String err = stderr(p);
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.contains("BenchServer: --port must be from 0 to 65535, got 99999"), err);
        assertTrue(err.contains("usage: BenchServer --host HOST --port PORT [--workers N] [--static DIR]"), err);
        assertEquals("", stdout());
    }

    @Test
    void parseNamesWhatIsWrong() { // in-process: the rules behind exit status 2
        assertEquals(new BenchServer.Options("127.0.0.1", 0, 1, null), BenchServer.parse(new String[] {"--host", "127.0.0.1", "--port", "0"}));
        assertEquals(new BenchServer.Options("::1", 8080, 4, dir),
                BenchServer.parse(new String[] {"--port", "8080", "--workers", "4", "--host", "::1", "--static", dir.toString()}));
        assertMessage("--host and --port are required", "--host", "127.0.0.1");
        assertMessage("unknown argument: --verbose", "--verbose");
        assertMessage("--port needs a value", "--host", "h", "--port");
        assertMessage("--workers must be from 1 to 256, got 0", "--host", "h", "--port", "1", "--workers", "0");
        assertMessage("--workers must be an integer from 1 to 256, got two", "--host", "h", "--port", "1", "--workers", "two");
        assertMessage("--static must name a directory, got " + dir.resolve("nope"), "--host", "h", "--port", "1", "--static",
                dir.resolve("nope").toString());
    }

    private static void assertMessage(String message, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchServer.parse(args));
        assertEquals(message, e.getMessage());
    }

    private void serveExerciseAndTerminate(int workers) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "0123456789");
        Process p = start(List.of("--host", "127.0.0.1", "--port", "0", "--workers", Integer.toString(workers),
                "--static", dir.toString()));
        try {
            String line = readyLine(p);
            Matcher m = READY.matcher(line);
            assertTrue(m.matches(), line);
            String base = "http://127.0.0.1:" + m.group(1);

            exercise(base);

            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server ended after SIGTERM");
            assertEquals(0, p.exitValue(), () -> "exit status after SIGTERM; stderr:\n" + stderr(p));
            assertEquals(line + "\n", stdout(), "only the ready line on stdout");
        } finally {
            p.destroyForcibly();
        }
    }

    private void exercise(String base) throws Exception {
        HttpResponse<String> r = get(base + "/plaintext");
        assertEquals(200, r.statusCode());
        assertEquals("Hello, World!", r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());

        r = get(base + "/json");
        assertEquals(200, r.statusCode());
        assertEquals("{\"message\":\"Hello, World!\"}", r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());

        r = http.send(HttpRequest.newBuilder(URI.create(base + "/echo")).header("Content-Type", "text/csv; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("a,b\n1,2\n", r.body());
        assertEquals("text/csv; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());

        byte[] mib = new byte[1024 * 1024];
        HttpResponse<byte[]> b = http.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(mib)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, b.statusCode(), "exactly 1 MiB is allowed");
        assertEquals(mib.length, b.body().length);
        // One byte more is refused from the Content-Length, before the body is read: with
        // Expect: 100-continue the client waits for that answer instead of sending the body.
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[mib.length + 1])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());

        HttpResponse<byte[]> s = http.send(HttpRequest.newBuilder(URI.create(base + "/stream?chunks=5&size=1000")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, s.statusCode());
        assertEquals("chunked", s.headers().firstValue("Transfer-Encoding").orElseThrow());
        assertEquals("x".repeat(5000), new String(s.body(), StandardCharsets.US_ASCII));
        assertEquals(10 * 1024, get(base + "/stream").body().length(), "defaults: 10 chunks of 1024 bytes");
        for (String bad : List.of("chunks=-1", "chunks=abc", "size=0", "size=" + (BenchServer.MAX_CHUNK_SIZE + 1),
                "chunks=" + (BenchServer.MAX_CHUNKS + 1))) {
            assertEquals(400, get(base + "/stream?" + bad).statusCode(), bad);
        }

        long t0 = System.nanoTime();
        r = get(base + "/sleep?ms=200");
        assertEquals(200, r.statusCode());
        assertEquals("slept", r.body());
        assertTrue(System.nanoTime() - t0 >= 200_000_000L, "slept 200 ms");
        assertEquals(400, get(base + "/sleep?ms=-5").statusCode());
        assertEquals(400, get(base + "/sleep?ms=" + (BenchServer.MAX_SLEEP_MS + 1)).statusCode());

        r = get(base + "/static/hello.txt");
        assertEquals(200, r.statusCode());
        assertEquals("0123456789", r.body());
        String etag = r.headers().firstValue("ETag").orElseThrow();
        String lastModified = r.headers().firstValue("Last-Modified").orElseThrow();
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/static/hello.txt")).header("Range", "bytes=2-5").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(206, r.statusCode());
        assertEquals("2345", r.body());
        assertEquals("bytes 2-5/10", r.headers().firstValue("Content-Range").orElseThrow());
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/static/hello.txt")).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(304, r.statusCode());
        assertEquals("", r.body());
        r = http.send(HttpRequest.newBuilder(URI.create(base + "/static/hello.txt")).header("If-Modified-Since", lastModified).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(304, r.statusCode());
        assertEquals(404, get(base + "/static/missing.txt").statusCode());
        int escape = get(base + "/static/%2e%2e/%2e%2e/etc/passwd").statusCode();
        assertTrue(escape == 403 || escape == 404, "no escape from --static: " + escape);

        assertWebSocketEcho(base);
        assertEquals(404, get(base + "/nothing-here").statusCode());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/plaintext")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** /ws with the JDK's WebSocket client: text and binary echoed, a close answered with a close. */
    private void assertWebSocketEcho(String base) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Object> got = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http://", "ws://") + "/ws"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        got.add(data.toString());
                        w.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket w, java.nio.ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        got.add(b);
                        w.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int status, String reason) {
                        got.add("close " + status);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText("hello", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("hello", got.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) got.poll(10, java.util.concurrent.TimeUnit.SECONDS));
        ws.sendClose(1000, "bye").get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("close 1000", got.poll(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts BenchServer in a child JVM with this test's class path and scheduler; stderr to a file. */
    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String scheduler = System.getProperty("aio4j.scheduler");
        if (scheduler != null) {
            cmd.add("-Daio4j.scheduler=" + scheduler);
        }
        if (!"portable".equals(scheduler)) {
            cmd.add("--add-opens");
            cmd.add("java.base/java.lang=ALL-UNNAMED");
        }
        cmd.add("-XX:TieredStopAtLevel=1"); // a short-lived child: start fast
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchServer.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    /** Waits for the first line on the child's stdout (a file, so that destroy() cannot close it). */
    private String readyLine(Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = stdout();
            int nl = out.indexOf('\n');
            if (nl >= 0) {
                return out.substring(0, nl);
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no ready line; stdout: " + stdout() + "\nstderr:\n" + stderr(p));
    }

    private String stdout() throws IOException {
        Path f = dir.resolve("stdout.txt");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private String stderr(Process p) {
        try {
            Path f = dir.resolve("stderr.txt");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
