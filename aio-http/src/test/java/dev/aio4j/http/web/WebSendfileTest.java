package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's tests/test_web_sendfile.py: {@link FileResponse} on a mocked request (no
 * socket; the file is read and written, as aiohttp's sendfile fallback), choosing between a file
 * and its pre-compressed sibling ({@code name.br}, {@code name.gz}). aiohttp mocks {@code Path}
 * and asserts which file was opened; here the files are real and differ in their bytes, so the
 * body says which one was sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSendfileTest {
    private static final String PLAIN = "the uncompressed logo";
    private static final String GZ = "\u001f\u008b pretend gzip of the logo";
    private static final String BR = "pretend brotli of the logo";

    @TempDir
    Path dir;

    /** What went out: the head (through its blank line) and the body, as ISO-8859-1 text. */
    record Wire(String head, String body) {
        boolean has(String headerLine) {
            return head.contains("\r\n" + headerLine + "\r\n");
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static Wire send(FileResponse resp, String method, String... headerPairs) throws Exception {
        return Aio.run(() -> {
            MockedRequest m = MockedRequest.of(method, "/logo.png");
            for (int i = 0; i < headerPairs.length; i += 2) {
                m.header(headerPairs[i], headerPairs[i + 1]);
            }
            Request req = m.build();
            resp.prepare(req);
            resp.writeEof();
            String wire = m.transport.writtenText();
            int end = wire.indexOf("\r\n\r\n");
            assertTrue(end > 0, wire);
            return new Wire(wire.substring(0, end + 2), wire.substring(end + 4));
        });
    }

    private static Wire send(Path file, String... headerPairs) throws Exception {
        return send(new FileResponse(file), "GET", headerPairs);
    }

    private Path logo() throws Exception {
        return Files.writeString(dir.resolve("logo.png"), PLAIN, StandardCharsets.ISO_8859_1);
    }

    private Path sibling(String ext, String content) throws Exception {
        return Files.writeString(dir.resolve("logo.png" + ext), content, StandardCharsets.ISO_8859_1);
    }

    // test_using_gzip_if_header_present_and_file_available
    @Test
    void usingGzipIfHeaderPresentAndFileAvailable() throws Exception {
        Path logo = logo();
        sibling(".gz", GZ);
        Wire w = send(logo, "Accept-Encoding", "GZip"); // upper case: codings are case-insensitive
        assertEquals(200, w.status());
        assertEquals(GZ, w.body());
        assertEquals("gzip", w.header("Content-Encoding"));
        assertEquals("image/png", w.header("Content-Type")); // the original's type, not application/gzip
        assertEquals("Accept-Encoding", w.header("Vary"));
        assertEquals(Integer.toString(GZ.length()), w.header("Content-Length"));
    }

    // test_gzip_if_header_not_present_and_file_available
    @Test
    void gzipIfHeaderNotPresentAndFileAvailable() throws Exception {
        Path logo = logo();
        sibling(".gz", GZ);
        Wire w = send(logo);
        assertEquals(PLAIN, w.body());
        assertEquals(null, w.header("Content-Encoding"));
        assertEquals(null, w.header("Vary"));
    }

    // test_gzip_if_header_not_present_and_file_not_available
    @Test
    void gzipIfHeaderNotPresentAndFileNotAvailable() throws Exception {
        Wire w = send(logo());
        assertEquals(PLAIN, w.body());
        assertEquals(null, w.header("Content-Encoding"));
    }

    // test_gzip_if_header_present_and_file_not_available
    @Test
    void gzipIfHeaderPresentAndFileNotAvailable() throws Exception {
        Wire w = send(logo(), "Accept-Encoding", "gzip");
        assertEquals(PLAIN, w.body());
        assertEquals(null, w.header("Content-Encoding"));
        assertEquals(null, w.header("Vary"));
    }

    // test_status_controlled_by_user
    @Test
    void statusControlledByUser() throws Exception {
        FileResponse resp = new FileResponse(logo(), 256 * 1024, 203, null, null);
        assertEquals(203, resp.status());
        Wire w = send(resp, "GET");
        assertEquals(203, w.status());
        assertEquals(PLAIN, w.body());
    }

    @Test
    void statusReasonAndHeadersControlledByUser() throws Exception { // aio4j-only: the rest of aiohttp's keywords
        FileResponse resp = new FileResponse(logo(), 4, 203, "Copied", Headers.of("Content-Type", "application/x-logo", "X-Kind", "logo"));
        Wire w = send(resp, "GET");
        assertTrue(w.head().startsWith("HTTP/1.1 203 Copied\r\n"), w.head());
        assertEquals("application/x-logo", w.header("Content-Type"));
        assertEquals("logo", w.header("X-Kind"));
        assertEquals(PLAIN, w.body()); // in pieces of 4
    }

    @Test
    void userStatusWithARangeIs206() throws Exception { // aio4j-only: aiohttp sets 206 over the status given
        Wire w = send(new FileResponse(logo(), 256 * 1024, 203, null, null), "GET", "Range", "bytes=0-2");
        assertEquals(206, w.status());
        assertEquals(PLAIN.substring(0, 3), w.body());
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void userStatusWithoutContentSendsNoBody(int status) throws Exception { // aio4j-only: aiohttp's must_be_empty_body
        Wire w = send(new FileResponse(logo(), 256 * 1024, status, null, null), "GET");
        assertEquals(status, w.status());
        assertEquals("", w.body());
    }

    @Test
    void badStatusIsRefused() throws Exception { // aio4j-only: StreamResponse's check and message
        Path logo = logo();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FileResponse(logo, 1024, 99, null, null));
        assertEquals("status must be a three-digit code from 100 to 999, got 99", e.getMessage());
    }

    // test_sendfile_fallback_respects_count_boundary: a range read in pieces smaller than it
    @Test
    void sendfileFallbackRespectsCountBoundary() throws Exception {
        Path file = Files.writeString(dir.resolve("ab.bin"), "A".repeat(100) + "B".repeat(50), StandardCharsets.ISO_8859_1);
        Wire w = send(new FileResponse(file, 64), "GET", "Range", "bytes=0-99");
        assertEquals(206, w.status());
        assertEquals("A".repeat(100), w.body());
    }

    // ------------------------------------------------------------------ aio4j-only: which sibling

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip, deflate, br | br",
        "br;q=0.1, gzip | br",          // aiohttp's fixed order, br first, whatever the weights
        "gzip, br;q=0 | gzip",          // q=0 is 'not acceptable' (RFC 9110 12.5.3); aiohttp only looks for the name
        "br;q=0, gzip;q=0 | identity",
        "BR | br",
        "x-gzip | identity",           // another coding; aiohttp finds 'gzip' inside it
        "* | identity",                // aiohttp does not read the wildcard either
        "deflate | identity",
    })
    void siblingChosenByAcceptEncoding(String accept, String expected) throws Exception {
        Path logo = logo();
        sibling(".gz", GZ);
        sibling(".br", BR);
        Wire w = send(logo, "Accept-Encoding", accept);
        assertEquals(200, w.status());
        switch (expected) {
            case "br" -> assertEquals(BR, w.body());
            case "gzip" -> assertEquals(GZ, w.body());
            default -> assertEquals(PLAIN, w.body());
        }
        assertEquals(expected.equals("identity") ? null : expected, w.header("Content-Encoding"));
    }

    @Test
    void acceptEncodingOverSeveralFieldsIsOneList() throws Exception { // aio4j-only
        Path logo = logo();
        sibling(".br", BR);
        Wire w = send(logo, "Accept-Encoding", "gzip", "Accept-Encoding", "br");
        assertEquals(BR, w.body());
    }

    @Test
    void directoryNamedLikeASiblingIsIgnored() throws Exception { // aio4j-only: aiohttp's S_ISREG on lstat
        Path logo = logo();
        Files.createDirectory(dir.resolve("logo.png.gz"));
        Wire w = send(logo, "Accept-Encoding", "gzip");
        assertEquals(200, w.status());
        assertEquals(PLAIN, w.body());
        assertEquals(null, w.header("Content-Encoding"));
    }

    @Test
    void siblingThatIsASymlinkIsIgnored() throws Exception { // aio4j-only: aiohttp lstat()s the sibling and wants a regular file
        Path logo = logo();
        Path secret = Files.writeString(dir.resolve("secret"), "private", StandardCharsets.ISO_8859_1);
        UrlDispatchTest.createSymlink(dir.resolve("logo.png.gz"), secret);
        Wire w = send(logo, "Accept-Encoding", "gzip");
        assertEquals(PLAIN, w.body());
        assertEquals(null, w.header("Content-Encoding"));
    }

    @Test
    void missingOriginalWithASiblingServesTheSibling() throws Exception { // aio4j-only: aiohttp never stats the original then
        Path logo = dir.resolve("logo.png");
        sibling(".gz", GZ);
        Wire w = send(logo, "Accept-Encoding", "gzip");
        assertEquals(200, w.status());
        assertEquals(GZ, w.body());
        assertEquals("image/png", w.header("Content-Type"));
        assertThrows(HTTPNotFound.class, () -> send(logo)); // not accepted: the missing original is a 404
    }

    @Test
    void siblingHasItsOwnValidatorsAndRangesApplyToItsBytes() throws Exception { // aio4j-only
        Path logo = logo();
        Path gz = sibling(".gz", GZ);
        Files.setLastModifiedTime(logo, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        Files.setLastModifiedTime(gz, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        Wire whole = send(logo, "Accept-Encoding", "gzip");
        Wire plain = send(logo);
        assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", whole.header("Last-Modified"));
        assertEquals("Sun, 13 Sep 2020 12:26:40 GMT", plain.header("Last-Modified"));
        String etag = whole.header("ETag");
        assertTrue(etag.endsWith("-" + Integer.toHexString(GZ.length()) + "\""), etag);
        assertFalse(etag.equals(plain.header("ETag")));

        Wire part = send(logo, "Accept-Encoding", "gzip", "Range", "bytes=2-5");
        assertEquals(206, part.status());
        assertEquals(GZ.substring(2, 6), part.body());
        assertEquals("bytes 2-5/" + GZ.length(), part.header("Content-Range"));
        assertEquals("gzip", part.header("Content-Encoding"));

        Wire beyond = send(logo, "Accept-Encoding", "gzip", "Range", "bytes=" + GZ.length() + "-");
        assertEquals(416, beyond.status());
        assertEquals("bytes */" + GZ.length(), beyond.header("Content-Range"));

        Wire notModified = send(logo, "Accept-Encoding", "gzip", "If-None-Match", etag);
        assertEquals(304, notModified.status());
        assertEquals(etag, notModified.header("ETag"));
        assertEquals("Accept-Encoding", notModified.header("Vary")); // RFC 9110 15.4.5; aiohttp sends none on a 304
        assertEquals(200, send(logo, "If-None-Match", etag).status()); // the plain file's tag is another
    }

    @Test
    void failedConditionOrRangeOfASiblingVariesOnAcceptEncoding() throws Exception { // aio4j-only: aiohttp sends no Vary
        // RFC 9110 12.5.5: the 412 was decided on the sibling's ETag and the 416 names the
        // sibling's length, both chosen by Accept-Encoding; the plain file's have no Vary
        Path logo = logo();
        sibling(".gz", GZ);
        Wire ifMatch = send(logo, "Accept-Encoding", "gzip", "If-Match", "\"other\"");
        assertEquals(412, ifMatch.status());
        assertEquals("Accept-Encoding", ifMatch.header("Vary"));
        assertEquals(null, ifMatch.header("Content-Encoding"), "no body: nothing is encoded");
        Wire ifNoneMatch = send(new FileResponse(logo), "POST", "Accept-Encoding", "gzip", "If-None-Match", "*");
        assertEquals(412, ifNoneMatch.status());
        assertEquals("Accept-Encoding", ifNoneMatch.header("Vary"));
        Wire beyond = send(logo, "Accept-Encoding", "gzip", "Range", "bytes=" + GZ.length() + "-");
        assertEquals(416, beyond.status());
        assertEquals("Accept-Encoding", beyond.header("Vary"));
        assertEquals(null, beyond.header("Content-Encoding"), "no body: nothing is encoded");

        assertEquals(null, send(logo, "If-Match", "\"other\"").header("Vary"));
        assertEquals(null, send(logo, "Range", "bytes=" + PLAIN.length() + "-").header("Vary"));
    }

    @Test
    void headOfASiblingHasItsHeadAndNoBody() throws Exception { // aio4j-only
        Path logo = logo();
        sibling(".br", BR);
        Wire w = send(new FileResponse(logo), "HEAD", "Accept-Encoding", "br");
        assertEquals("br", w.header("Content-Encoding"));
        assertEquals(Integer.toString(BR.length()), w.header("Content-Length"));
        assertEquals("", w.body());
    }

    @Test
    void varyOfTheHandlerIsKept() throws Exception { // aio4j-only: aiohttp replaces the Vary field
        Path logo = logo();
        sibling(".gz", GZ);
        FileResponse resp = new FileResponse(logo);
        resp.headers().set("Vary", "Origin");
        Wire w = send(resp, "GET", "Accept-Encoding", "gzip");
        assertTrue(w.has("Vary: Origin"), w.head());
        assertTrue(w.has("Vary: Accept-Encoding"), w.head());
    }

    @Test
    void compressedFileAskedForByNameHasItsOwnType() throws Exception { // test_static_file_with_content_encoding, on a mock
        Path gz = sibling(".gz", GZ);
        Wire w = send(gz, "Accept-Encoding", "gzip");
        assertEquals("application/gzip", w.header("Content-Type"));
        assertEquals(null, w.header("Content-Encoding"));
        assertEquals(GZ, w.body());
    }

    // ---------------------------------------------------------------- off the loop (aio4j-only)
    // aiohttp's prepare() runs _make_response (the siblings' lstat, the stat, the open and fstat)
    // in the loop's default executor; these pin that FileResponse does the same, and that a file
    // opened for a task that was cancelled meanwhile is closed (aiohttp leaves it to the GC).

    @Test
    void fileIsLookedUpAndOpenedInTheDefaultExecutor() throws Exception {
        Path logo = logo();
        sibling(".gz", GZ);
        List<Thread> openers = new CopyOnWriteArrayList<>();
        FileResponse.afterOpenForTests = (file, ch) -> openers.add(Thread.currentThread());
        try {
            Thread task = Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/logo.png", "Accept-Encoding", "gzip");
                FileResponse resp = new FileResponse(logo);
                resp.prepare(req);
                resp.writeEof();
                assertTrue(((RecordingTransport) req.transport()).writtenText().endsWith(GZ));
                return Thread.currentThread();
            });
            assertEquals(1, openers.size());
            assertNotSame(task, openers.get(0), "the file was opened by the handler's task, on the loop");
            assertTrue(openers.get(0).getName().startsWith("aio4j-executor-"), openers.get(0).getName());
        } finally {
            FileResponse.afterOpenForTests = null;
        }
    }

    @Test
    void fileOpenedForACancelledTaskIsClosed() throws Exception {
        Path logo = logo();
        AtomicReference<FileChannel> opened = new AtomicReference<>();
        CompletableFuture<Void> taskDone = new CompletableFuture<>();
        CompletableFuture<Void> jobOpened = new CompletableFuture<>();
        // the job opens the file, then waits until the task that wanted it has been cancelled
        FileResponse.afterOpenForTests = (file, ch) -> {
            opened.set(ch);
            jobOpened.complete(null);
            try {
                taskDone.get(30, TimeUnit.SECONDS); // a bound for the failure only: then the loop is blocked
            } catch (Exception e) {
                // fall through: the assertions below fail
            }
        };
        try {
            Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/logo.png");
                FileResponse resp = new FileResponse(logo);
                Task<Void> t = Aio.createTask(() -> {
                    resp.prepare(req);
                    return null;
                });
                Aio.wrapFuture(jobOpened).await();
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                taskDone.complete(null);
                Aio.getRunningLoop().shutdownDefaultExecutor(); // waits for the job's end
                assertFalse(resp.prepared());
                assertEquals("", ((RecordingTransport) req.transport()).writtenText());
                return null;
            });
            assertFalse(opened.get().isOpen(), "the channel the job opened for the cancelled task leaked");
        } finally {
            taskDone.complete(null);
            FileResponse.afterOpenForTests = null;
        }
    }

    /**
     * The loop is closed (not run by a Runner, so its tasks are not cancelled first) while the job
     * holds the file it opened: close() unwinds the pending task, which gives the file up, and the
     * job, ending after it, closes it. The default executor is the user's (setDefaultExecutor), so
     * the test can wait for the job's end after the loop is gone.
     */
    @Test
    void fileOpenedWhileTheLoopClosesIsClosed() throws Exception {
        Path logo = logo();
        AtomicReference<FileChannel> opened = new AtomicReference<>();
        List<Thread> openers = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> jobOpened = new CompletableFuture<>();
        CountDownLatch loopClosed = new CountDownLatch(1);
        FileResponse.afterOpenForTests = (file, ch) -> {
            opened.set(ch);
            openers.add(Thread.currentThread());
            jobOpened.complete(null);
            try {
                loopClosed.await(30, TimeUnit.SECONDS); // a bound for the failure only
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService users = Executors.newSingleThreadExecutor(r -> new Thread(r, "users-executor"));
        EventLoop loop = EventLoop.create();
        try {
            AtomicReference<Task<Void>> task = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                loop.setDefaultExecutor(users);
                Request req = MockedRequest.make("GET", "/logo.png");
                task.set(loop.createTask(() -> {
                    new FileResponse(logo).prepare(req);
                    return null;
                }));
                Aio.wrapFuture(jobOpened).await();
                return null;
            });
            assertFalse(task.get().done());
            loop.close(); // unwinds the task pending in prepare(); shuts the executor down, without waiting
            assertTrue(task.get().cancelled());
            loopClosed.countDown();
            assertTrue(users.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals("users-executor", openers.get(0).getName());
            assertFalse(opened.get().isOpen(), "the channel the job opened while the loop closed leaked");
        } finally {
            loopClosed.countDown();
            users.shutdownNow();
            loop.close();
            FileResponse.afterOpenForTests = null;
        }
    }

    /**
     * asyncio's run_in_executor refuses work once shutdown_default_executor was called (a
     * RuntimeError), and aiohttp's prepare() fails with it; here the executor's refusal comes out
     * of prepare(), before anything is opened or sent.
     */
    @Test
    void prepareAfterTheDefaultExecutorIsShutDownFailsBeforeOpening() throws Exception {
        Path logo = logo();
        List<Path> openedFiles = new CopyOnWriteArrayList<>();
        FileResponse.afterOpenForTests = (file, ch) -> openedFiles.add(file);
        try {
            Aio.run(() -> {
                Aio.toThread(() -> null); // the default executor exists
                Aio.getRunningLoop().shutdownDefaultExecutor();
                Request req = MockedRequest.make("GET", "/logo.png");
                FileResponse resp = new FileResponse(logo);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> resp.prepare(req));
                assertTrue(e.getMessage().startsWith("Executor shutdown has been called"), e.getMessage());
                assertFalse(resp.prepared());
                assertEquals("", ((RecordingTransport) req.transport()).writtenText());
                return null;
            });
            assertEquals(List.of(), openedFiles);
        } finally {
            FileResponse.afterOpenForTests = null;
        }
    }

    @Test
    void handoffClosesTheFileWhicheverSideComesSecond() throws Exception {
        Path logo = logo();
        BasicFileAttributes attrs = Files.readAttributes(logo, BasicFileAttributes.class);
        // the job hands the file over first; the task, cancelled before it resumed, abandons it
        FileChannel first = FileChannel.open(logo);
        FileResponse.Handoff h1 = new FileResponse.Handoff();
        h1.offer(new FileResponse.Opened(first, attrs, PLAIN.length(), null));
        assertTrue(first.isOpen());
        h1.abandon();
        assertFalse(first.isOpen());
        // the task abandons first; the job's file is closed as it is offered
        FileChannel second = FileChannel.open(logo);
        FileResponse.Handoff h2 = new FileResponse.Handoff();
        h2.abandon();
        h2.offer(new FileResponse.Opened(second, attrs, PLAIN.length(), null));
        assertFalse(second.isOpen());
    }

    // ------------------------------------------------- the fallback's reads and the close (aio4j-only)
    // aiohttp's _sendfile_fallback reads each chunk with loop.run_in_executor (and asyncio's
    // loop.sendfile fallback, which a TLS transport takes, each block), awaits writer.write (which
    // drains past the high-water mark) before it reads the next one, and prepare() closes the file
    // with loop.run_in_executor(None, fobj.close). The mocked transport is no socket, so these
    // responses take the fallback, as TLS does.

    /** Wraps the channel the response opens; the wrapper is kept in {@code into}. */
    private static void watch(AtomicReference<WatchedFileChannel> into, java.util.function.IntFunction<CompletableFuture<Void>> hold) {
        FileResponse.wrapForTests = ch -> {
            WatchedFileChannel w = new WatchedFileChannel(ch);
            w.holdRead = hold;
            into.set(w);
            return w;
        };
    }

    /** Waits (yielding to the loop) until {@code done} holds; the bound is for the failure only. */
    private static void waitUntil(java.util.function.BooleanSupplier done, String what) {
        for (int i = 0; i < 30_000 && !done.getAsBoolean(); i++) {
            Aio.sleep(0.001);
        }
        assertTrue(done.getAsBoolean(), what);
    }

    private Path bytesFile(String name, int size) throws Exception {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return Files.write(dir.resolve(name), b);
    }

    /** A ThreadPoolExecutor that counts the jobs it is given. */
    private static final class CountingExecutor extends java.util.concurrent.ThreadPoolExecutor {
        final java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();

        CountingExecutor(String name) {
            super(2, 2, 60, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> new Thread(r, name));
        }

        @Override
        public void execute(Runnable command) {
            jobs.incrementAndGet();
            super.execute(command);
        }
    }

    @Test
    void fallbackReadsEachPieceInTheDefaultExecutorAndClosesTheFileThere() throws Exception {
        Path file = bytesFile("five.bin", 4 * 64 + 44);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        watch(watched, n -> null);
        try {
            Thread task = Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/five.bin");
                FileResponse resp = new FileResponse(file, 64);
                resp.prepare(req);
                String wire = ((RecordingTransport) req.transport()).writtenText();
                assertTrue(wire.endsWith(Files.readString(file, StandardCharsets.ISO_8859_1)), wire);
                return Thread.currentThread();
            }); // Aio.run waits for the default executor's jobs: the close too
            WatchedFileChannel w = watched.get();
            assertEquals(List.of(64, 64, 64, 64, 44), w.asked); // aiohttp's min(chunk_size, count) per read
            for (Thread reader : w.readers) {
                assertNotSame(task, reader, "a piece was read by the handler's task, on the loop");
                assertTrue(reader.getName().startsWith("aio4j-executor-"), reader.getName());
            }
            assertEquals(1, w.closes.get());
            assertTrue(w.closers.get(0).getName().startsWith("aio4j-executor-"), "closed on " + w.closers.get(0));
            assertFalse(w.innerOpen());
        } finally {
            FileResponse.wrapForTests = null;
        }
    }

    @Test
    void slowClientHoldsTheFallbackToOnePieceAtATime() throws Exception {
        // each write fills the client's window (the transport pauses the connection) until the
        // test plays the client reading: no piece is read while the last one waits to go out
        Path file = bytesFile("slow.bin", 4 * 64 + 44);
        CountingExecutor counted = new CountingExecutor("counted-executor");
        Aio.run(() -> {
            Aio.getRunningLoop().setDefaultExecutor(counted);
            MockedRequest m = MockedRequest.of("GET", "/slow.bin");
            Request req = m.build();
            RequestHandler conn = req.connection();
            m.transport.afterWrite = conn::pauseWriting;
            FileResponse resp = new FileResponse(file, 64);
            Task<Void> t = Aio.createTask(() -> {
                resp.prepare(req);
                return null;
            });
            // the head goes out alone (sendfile was tried), then one write per piece
            for (int pieces = 0; pieces <= 5; pieces++) {
                int p = pieces;
                waitUntil(() -> m.transport.writes.size() == 1 + p, "write " + (1 + p));
                assertEquals(1 + p, counted.jobs.get(), "executor jobs (the open, then one read per piece) while piece " + p
                        + " waits for the client: fewer, a piece was read on the loop; more, a read ran ahead");
                assertFalse(t.done());
                conn.resumeWriting(); // the client reads
            }
            t.await();
            assertTrue(m.transport.writtenText().endsWith(Files.readString(file, StandardCharsets.ISO_8859_1)));
            assertEquals(1 + 5 + 1, counted.jobs.get()); // the open, five pieces, the close
            return null;
        });
        assertTrue(counted.isTerminated()); // Aio.run shut the default executor down and waited
    }

    @Test
    void taskCancelledWhileAPieceIsReadClosesTheFileOnceAsTheReadEnds() throws Exception {
        Path file = bytesFile("held.bin", 4 * 64 + 44);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> held = new CompletableFuture<>();
        watch(watched, n -> {
            if (n != 2) {
                return null;
            }
            held.complete(null);
            return release;
        });
        try {
            Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/held.bin");
                Task<Void> t = Aio.createTask(() -> {
                    new FileResponse(file, 64).prepare(req);
                    return null;
                });
                Aio.wrapFuture(held).await(); // the second piece is being read in the executor
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                WatchedFileChannel w = watched.get();
                assertEquals(0, w.closes.get(), "the file was closed under its read");
                assertTrue(w.innerOpen());
                release.complete(null);
                Aio.getRunningLoop().shutdownDefaultExecutor(); // waits for the read's job
                assertEquals(1, w.closes.get());
                assertFalse(w.closedUnderARead.get());
                assertEquals(w.readers.get(1), w.closers.get(0), "the read's job closes the file as it ends");
                assertEquals(2, w.readers.size()); // nothing read after the cancel
                return null;
            });
            assertFalse(watched.get().innerOpen());
        } finally {
            release.complete(null);
            FileResponse.wrapForTests = null;
        }
    }

    /**
     * The file shrinks while it is sent in pieces: the body ends where the file now ends, short
     * of the Content-Length already sent, and the connection closes after it (the client sees a
     * short body at once); the file is closed once. aiohttp's fallback ends the body short too but
     * keeps the connection, so its client waits for the missing bytes. aio4j-only (stop 33 review).
     */
    @Test
    void fileShrinkingWhileSentInPiecesEndsTheBodyShortAndClosesTheConnection() throws Exception {
        Path file = bytesFile("shrinks.bin", 4 * 64 + 44);
        byte[] before = Files.readAllBytes(file);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        watch(watched, n -> {
            if (n == 2) {
                resize(file, 100); // while the second piece is read
            }
            return null;
        });
        try {
            Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/shrinks.bin");
                FileResponse resp = new FileResponse(file, 64);
                resp.prepare(req);
                String wire = ((RecordingTransport) req.transport()).writtenText();
                assertTrue(wire.toLowerCase(java.util.Locale.ROOT).contains("content-length: 300\r\n"), wire);
                assertEquals(new String(before, 0, 100, StandardCharsets.ISO_8859_1), wire.substring(wire.indexOf("\r\n\r\n") + 4));
                assertFalse(resp.keepAlive(), "a body short of its Content-Length closes the connection");
                return null;
            });
            assertEquals(1, watched.get().closes.get());
            assertFalse(watched.get().innerOpen());
        } finally {
            FileResponse.wrapForTests = null;
        }
    }

    /**
     * The file grows while it is sent in pieces: the response sends the bytes its Content-Length
     * (the size when it was opened) names, no more, as aiohttp's fallback reads at most
     * {@code min(chunk_size, count)}; the connection stays open. aio4j-only (stop 33 review).
     */
    @Test
    void fileGrowingWhileSentInPiecesSendsItsContentLength() throws Exception {
        Path file = bytesFile("grows.bin", 4 * 64 + 44);
        byte[] before = Files.readAllBytes(file);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        watch(watched, n -> {
            if (n == 2) {
                resize(file, 1000);
            }
            return null;
        });
        try {
            Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/grows.bin");
                FileResponse resp = new FileResponse(file, 64);
                resp.prepare(req);
                String wire = ((RecordingTransport) req.transport()).writtenText();
                assertTrue(wire.toLowerCase(java.util.Locale.ROOT).contains("content-length: 300\r\n"), wire);
                assertEquals(new String(before, StandardCharsets.ISO_8859_1), wire.substring(wire.indexOf("\r\n\r\n") + 4));
                assertTrue(resp.keepAlive());
                return null;
            });
            assertEquals(List.of(64, 64, 64, 64, 44), watched.get().asked);
            assertEquals(1, watched.get().closes.get());
        } finally {
            FileResponse.wrapForTests = null;
        }
    }

    /** A piece's read fails (a disk error): prepare throws it, and the file is closed once, in the executor. */
    @Test
    void pieceReadFailingClosesTheFileOnce() throws Exception {
        Path file = bytesFile("fails.bin", 4 * 64 + 44);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        java.io.IOException disk = new java.io.IOException("Input/output error");
        FileResponse.wrapForTests = ch -> {
            WatchedFileChannel w = new WatchedFileChannel(ch);
            w.failRead = n -> n == 3 ? disk : null;
            watched.set(w);
            return w;
        };
        try {
            Aio.run(() -> {
                Request req = MockedRequest.make("GET", "/fails.bin");
                java.io.IOException thrown = assertThrows(java.io.IOException.class, () -> new FileResponse(file, 64).prepare(req));
                assertSame(disk, thrown);
                return null;
            });
            WatchedFileChannel w = watched.get();
            assertEquals(3, w.readers.size());
            assertEquals(1, w.closes.get());
            assertTrue(w.closers.get(0).getName().startsWith("aio4j-executor-"), "closed on " + w.closers.get(0));
            assertFalse(w.innerOpen());
        } finally {
            FileResponse.wrapForTests = null;
        }
    }

    /**
     * The loop's default executor is shut down between two pieces (while the first waits for a
     * slow client): the next read cannot be asked for, prepare fails with the executor's
     * IllegalStateException, and the file is closed once, on the loop (no executor takes the close).
     */
    @Test
    void defaultExecutorShutDownBetweenPiecesClosesTheFileOnTheLoop() throws Exception {
        Path file = bytesFile("shut.bin", 4 * 64 + 44);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        watch(watched, n -> null);
        try {
            Aio.run(() -> {
                MockedRequest m = MockedRequest.of("GET", "/shut.bin");
                Request req = m.build();
                RequestHandler conn = req.connection();
                m.transport.afterWrite = conn::pauseWriting;
                Task<Void> t = Aio.createTask(() -> {
                    new FileResponse(file, 64).prepare(req);
                    return null;
                });
                waitUntil(() -> m.transport.writes.size() == 1, "the head");
                conn.resumeWriting();
                waitUntil(() -> m.transport.writes.size() == 2, "the first piece"); // it waits for the client
                Aio.getRunningLoop().shutdownDefaultExecutor();
                conn.resumeWriting();
                assertThrows(IllegalStateException.class, t::await);
                WatchedFileChannel w = watched.get();
                assertEquals(1, w.readers.size());
                assertEquals(1, w.closes.get());
                assertFalse(w.closers.get(0).getName().startsWith("aio4j-executor-"), "closed on the loop, not " + w.closers.get(0));
                assertFalse(w.innerOpen());
                return null;
            });
        } finally {
            FileResponse.wrapForTests = null;
        }
    }

    private static void resize(Path file, long size) {
        try (FileChannel w = FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            if (size < w.size()) {
                w.truncate(size);
            } else {
                w.write(java.nio.ByteBuffer.allocate((int) (size - w.size())), w.size());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The loop is closed (no Runner: its tasks are unwound by close()) while a piece is read in
     * the executor: the file is closed once, by that read's job as it ends, after the loop is gone.
     */
    @Test
    void loopClosedWhileAPieceIsReadLeavesNothingOpen() throws Exception {
        Path file = bytesFile("held.bin", 4 * 64 + 44);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> held = new CompletableFuture<>();
        watch(watched, n -> {
            if (n != 2) {
                return null;
            }
            held.complete(null);
            return release;
        });
        ExecutorService users = Executors.newSingleThreadExecutor(r -> new Thread(r, "users-executor"));
        EventLoop loop = EventLoop.create();
        try {
            AtomicReference<Task<Void>> task = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                loop.setDefaultExecutor(users);
                Request req = MockedRequest.make("GET", "/held.bin");
                task.set(loop.createTask(() -> {
                    new FileResponse(file, 64).prepare(req);
                    return null;
                }));
                Aio.wrapFuture(held).await();
                return null;
            });
            loop.close(); // unwinds the task awaiting its read; shuts the executor down without waiting
            assertTrue(task.get().cancelled());
            WatchedFileChannel w = watched.get();
            assertEquals(0, w.closes.get(), "the file was closed under its read");
            release.complete(null);
            assertTrue(users.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(1, w.closes.get());
            assertFalse(w.closedUnderARead.get());
            assertEquals("users-executor", w.closers.get(0).getName());
            assertFalse(w.innerOpen());
        } finally {
            release.complete(null);
            users.shutdownNow();
            loop.close();
            FileResponse.wrapForTests = null;
        }
    }

    /**
     * The loop is closed while the response waits for a slow client: no read runs, the executor
     * cannot take a job from a closing loop, so the file is closed as the task unwinds, once.
     */
    @Test
    void loopClosedWhileTheClientIsSlowLeavesNothingOpen() throws Exception {
        Path file = bytesFile("slow.bin", 4 * 64 + 44);
        AtomicReference<WatchedFileChannel> watched = new AtomicReference<>();
        watch(watched, n -> null);
        EventLoop loop = EventLoop.create();
        try {
            AtomicReference<Task<Void>> task = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                MockedRequest m = MockedRequest.of("GET", "/slow.bin");
                Request req = m.build();
                RequestHandler conn = req.connection();
                m.transport.afterWrite = conn::pauseWriting;
                task.set(loop.createTask(() -> {
                    new FileResponse(file, 64).prepare(req);
                    return null;
                }));
                for (int writes = 1; writes <= 3; writes++) { // the head, then two pieces, each then waiting
                    int n = writes;
                    waitUntil(() -> m.transport.writes.size() == n, "write " + n);
                    if (n < 3) {
                        conn.resumeWriting(); // the client reads
                    }
                }
                return null;
            });
            loop.close();
            assertTrue(task.get().cancelled());
            WatchedFileChannel w = watched.get();
            assertEquals(2, w.readers.size());
            assertEquals(1, w.closes.get());
            assertFalse(w.innerOpen());
        } finally {
            loop.close();
            FileResponse.wrapForTests = null;
        }
    }

    @Test
    void sharedFileClosedTwiceIsClosedOnceAndReadsNoMore() throws Exception {
        // a second close does nothing; a read job that begins after the close reads nothing
        Path file = bytesFile("f.bin", 10);
        try (EventLoop loop = EventLoop.create()) {
            WatchedFileChannel a = new WatchedFileChannel(FileChannel.open(file));
            FileResponse.SharedFile fa = new FileResponse.SharedFile(a);
            loop.runUntilComplete(() -> {
                fa.readInExecutor(0, 4); // a piece: the close goes to the executor
                fa.release(Aio.getRunningLoop());
                fa.release(Aio.getRunningLoop());
                assertThrows(java.nio.channels.ClosedChannelException.class, () -> fa.read(0, 10)); // a job after the close
                Aio.getRunningLoop().shutdownDefaultExecutor();
                return null;
            });
            assertEquals(1, a.closes.get());
            assertTrue(a.closers.get(0).getName().startsWith("aio4j-executor-"), a.closers.get(0).getName());
            assertEquals(1, a.readers.size());
        }
    }

    @Test
    void sharedFileNotReadInPiecesIsClosedOnTheLoop() throws Exception {
        // after sendfile (or no body at all) the file is closed at once, on the loop: no executor job
        Path file = bytesFile("f.bin", 10);
        try (EventLoop loop = EventLoop.create()) {
            WatchedFileChannel a = new WatchedFileChannel(FileChannel.open(file));
            FileResponse.SharedFile fa = new FileResponse.SharedFile(a);
            Thread task = loop.runUntilComplete(() -> {
                fa.release(Aio.getRunningLoop());
                assertEquals(1, a.closes.get());
                fa.release(Aio.getRunningLoop());
                return Thread.currentThread();
            });
            assertEquals(1, a.closes.get());
            assertEquals(task, a.closers.get(0));
        }
    }
}
