package dev.aio4j.http;

import dev.aio4j.http.internal.OffLoopFileHook;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client body's files on disk ({@code RequestOption.file}, {@link FormData#addFile}, {@link
 * MultipartWriter#append(Path)}) are opened, read and closed in the loop's default executor, as
 * aiohttp's payloads {@code run_in_executor} their file work, and a request cancelled while a file
 * is opened closes it (aio4j-only: aiohttp leaves that descriptor to the garbage collector).
 * Stop 34; each test records the threads through {@code OffLoopFile.eventsForTests} (set by {@link OffLoopFileHook}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientFileBodyTest {
    @TempDir
    Path dir;

    /** Events of the test's files: "open" or "close", and the thread that did it. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void unhook() {
        OffLoopFileHook.set(null);
    }

    private void record() {
        OffLoopFileHook.set((event, path) -> {
            if (path.startsWith(dir)) {
                events.add(event);
                threads.add(Thread.currentThread());
            }
        });
    }

    private Path file(int size) throws Exception {
        Path f = dir.resolve("data.bin");
        byte[] data = new byte[size];
        new java.util.Random(7).nextBytes(data);
        Files.write(f, data);
        return f;
    }

    /** The three ways a client sends a file, each as the request option that sends {@code file}. */
    private static List<Function<Path, RequestOption>> senders() {
        return List.of(
                RequestOption::file,
                f -> RequestOption.data(new FormData().addFile("f", "data.bin", f, "application/octet-stream")),
                f -> {
                    MultipartWriter w = new MultipartWriter();
                    w.append(f);
                    return RequestOption.data(w);
                });
    }

    @Test
    void aFilePartIsOpenedReadAndClosedOffTheLoop() throws Exception {
        Path f = file(200_000);
        byte[] data = Files.readAllBytes(f);
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("X-Length", String.valueOf(ex.getRequestHeaders().getFirst("Content-Length")));
            TestServers.send(ex, 200, body);
        })) {
            record();
            for (int i = 0; i < senders().size(); i++) {
                events.clear();
                threads.clear();
                Function<Path, RequestOption> sender = senders().get(i);
                boolean plain = i == 0;
                Thread loop = Aio.run(() -> {
                    try (ClientSession s = ClientSession.create();
                         ClientResponse r = s.post(srv.url("/"), sender.apply(f))) {
                        byte[] body = r.bytes();
                        if (plain) {
                            assertArrayEquals(data, body);
                            assertEquals(String.valueOf(data.length), r.headers().get("X-Length"), "Content-Length as before");
                        } else {
                            assertTrue(body.length > data.length, "a multipart body holds the file");
                        }
                    }
                    return Thread.currentThread();
                });
                // RequestOption.file takes the size for its Content-Length first
                assertEquals(plain ? List.of("size", "open", "close") : List.of("open", "close"), events, "sender " + i);
                for (Thread t : threads) {
                    assertNotSame(loop, t, "sender " + i + ": the file was touched on the loop's thread");
                }
            }
        }
    }

    @Test
    void aRequestCancelledWhileItsFileIsOpenedClosesIt() throws Exception {
        Path f = file(1000);
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            ex.getRequestBody().readAllBytes();
            TestServers.send(ex, 200, new byte[0]);
        })) {
            for (int i = 0; i < senders().size(); i++) {
                events.clear();
                threads.clear();
                CompletableFuture<Void> opening = new CompletableFuture<>();
                CompletableFuture<Void> cancelled = new CompletableFuture<>();
                CompletableFuture<Thread> closed = new CompletableFuture<>();
                OffLoopFileHook.set((event, path) -> {
                    if (!path.startsWith(dir)) {
                        return;
                    }
                    if (event.equals("size")) {
                        return;
                    }
                    events.add(event);
                    if (event.equals("open")) {
                        opening.complete(null);
                        cancelled.join(); // held until the request's task has been cancelled and has ended
                    } else {
                        closed.complete(Thread.currentThread());
                    }
                });
                Function<Path, RequestOption> sender = senders().get(i);
                Thread loop = Aio.run(() -> {
                    try (ClientSession s = ClientSession.create()) {
                        Task<Integer> request = Aio.createTask((Coroutine<Integer>) () -> {
                            try (ClientResponse r = s.post(srv.url("/"), sender.apply(f))) {
                                return r.status();
                            }
                        });
                        // a request that ends without opening its file through OffLoopFile fails the test, not hangs it
                        request.addDoneCallback(t -> opening.completeExceptionally(
                                new AssertionError("the request ended before its file was opened in the executor")));
                        Aio.wrapFuture(opening).await();
                        request.cancel();
                        assertThrows(CancelledError.class, request::await);
                        cancelled.complete(null);
                        return Thread.currentThread();
                    } finally {
                        cancelled.complete(null);
                    }
                });
                Thread closer = closed.get(30, TimeUnit.SECONDS); // a bound for the failure only
                assertNotSame(loop, closer, "sender " + i + ": closed on the loop's thread");
                assertEquals(List.of("open", "close"), events, "sender " + i + ": opened once, closed once");
            }
        }
    }

    @Test
    void aMissingFileStillFailsTheRequest() throws Exception { // as before: the open's own exception
        Path missing = dir.resolve("missing.bin");
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            ex.getRequestBody().readAllBytes();
            TestServers.send(ex, 200, new byte[0]);
        })) {
            for (int i = 0; i < senders().size(); i++) {
                Function<Path, RequestOption> sender = senders().get(i);
                Throwable e = assertThrows(Throwable.class, () -> Aio.run(() -> {
                    try (ClientSession s = ClientSession.create();
                         ClientResponse r = s.post(srv.url("/"), sender.apply(missing))) {
                        return r.status();
                    }
                }), "sender " + i);
                Throwable c = e;
                while (c != null && !(c instanceof NoSuchFileException)) {
                    c = c.getCause();
                }
                assertInstanceOf(NoSuchFileException.class, c, "sender " + i + ": " + e);
            }
        }
    }

    /**
     * aio4j-only: the file's length is checked against the Content-Length the head announced, not
     * against a size taken again when the file is opened: a file that grew or shrank in between
     * fails the request ("grew"/"shrank") instead of sending more bytes than announced (the next
     * request on the connection would read them) or fewer (the server would wait for the rest).
     * The test hook changes the file right after the size for the head was taken.
     */
    @Test
    void aFileThatChangesSizeAfterItsContentLengthWasTakenFailsTheRequest() throws Exception {
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> {
            ex.getRequestBody().readAllBytes();
            TestServers.send(ex, 200, new byte[0]);
        })) {
            for (int newSize : new int[] {1500, 500}) {
                Path f = file(1000);
                OffLoopFileHook.set((event, path) -> {
                    if (event.equals("size") && path.startsWith(dir)) {
                        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path,
                                java.nio.file.StandardOpenOption.WRITE)) {
                            if (newSize < ch.size()) {
                                ch.truncate(newSize);
                            } else {
                                ch.write(java.nio.ByteBuffer.allocate(newSize - (int) ch.size()), ch.size());
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                });
                Throwable e = assertThrows(Throwable.class, () -> Aio.run(() -> {
                    try (ClientSession s = ClientSession.create();
                         ClientResponse r = s.post(srv.url("/"), RequestOption.file(f))) {
                        return r.status();
                    }
                }), "file changed to " + newSize + " bytes");
                Throwable c = e;
                while (c != null && !(c.getMessage() != null && c.getMessage().startsWith("file " + f))) {
                    c = c.getCause();
                }
                String expected = newSize > 1000 ? "file " + f + " grew while it was sent (Content-Length was 1000)"
                        : "file " + f + " shrank while it was sent: 500 of 1000 bytes";
                assertEquals(expected, c == null ? String.valueOf(e) : c.getMessage());
            }
        }
    }
}
