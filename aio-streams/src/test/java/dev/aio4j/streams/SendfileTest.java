package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLServerSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link StreamWriter#sendfile}: asyncio's {@code loop.sendfile}. Mirrors
 * {@code Lib/test/test_asyncio/test_sendfile.py} (names in camelCase): the native path on a
 * plain TCP connection, the fallback over TLS, data written before and after, a partial range,
 * a file shorter than the count, and writes refused while it runs; the file's position after it
 * (CPython's {@code file.tell()} checks). The fallback is forced with a pipe to a {@code cat}
 * child (a transport that is no socket), as CPython forces it by patching
 * {@code _sendfile_native}; its block reads are watched with {@link WatchedFileChannel}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendfileTest {
    private static final byte[] HEAD = "HEAD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "TAIL".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Path file(int size) throws IOException {
        Path f = dir.resolve("data-" + size + ".bin");
        Files.write(f, Net.payload(size, 5));
        return f;
    }

    /** A peer that reads everything until EOF, after {@code start} opens (so writes can back up). */
    private static CompletableFuture<byte[]> reader(ServerSocket ss, CountDownLatch start) {
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                start.await();
                got.complete(in.readAllBytes());
            } catch (Throwable e) {
                got.completeExceptionally(e);
            }
        });
        return got;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void sendfilePreAndPostData() throws Exception {
        Path f = file(3 << 20); // larger than the socket buffers: the native path must wait
        byte[] content = Files.readAllBytes(f);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<byte[]> got = reader(ss, start);
            long sent = Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                rw.writer().write(HEAD);
                start.countDown();
                long n;
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    n = rw.writer().sendfile(ch, 100, content.length - 200);
                    assertEquals(content.length - 100, ch.position(), "the file is left after the last byte sent");
                }
                rw.writer().write(TAIL);
                rw.writer().close();
                rw.writer().waitClosed();
                return n;
            });
            assertEquals(content.length - 200, sent);
            assertArrayEquals(concat(HEAD, Arrays.copyOfRange(content, 100, content.length - 100), TAIL),
                    got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendfilePartialFileShorterThanCount() throws Exception {
        Path f = file(10_000);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            start.countDown();
            CompletableFuture<byte[]> got = reader(ss, start);
            long sent = Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                long n;
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    n = rw.writer().sendfile(ch, 9_000, 5_000);
                    assertEquals(10_000, ch.position());
                }
                rw.writer().close();
                rw.writer().waitClosed();
                return n;
            });
            assertEquals(1_000, sent, "the file ends first");
            assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(f), 9_000, 10_000), got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendfileWholePath() throws Exception {
        Path f = file(200_000);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            start.countDown();
            CompletableFuture<byte[]> got = reader(ss, start);
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                assertEquals(200_000, rw.writer().sendfile(f));
                rw.writer().close();
                rw.writer().waitClosed();
                return null;
            });
            assertArrayEquals(Files.readAllBytes(f), got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendfileWriteDuringTransmissionIsRefused() throws Exception { // CPython: test_sendfile_..._in_progress
        Path f = file(32 << 20); // more than the kernel's socket buffers hold
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<byte[]> got = reader(ss, start);
            String refused = Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                // an open file, as CPython's: sendfile(Path) opens it in the executor first, and writes pass until then
                FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
                Task<Long> send = Aio.createTask(() -> rw.writer().sendfile(ch, 0, ch.size()));
                Aio.sleep(0);
                Aio.sleep(0); // the peer reads nothing yet: the sendfile waits for a full socket
                assertTrue(!send.done(), "32 MiB cannot all fit in the socket buffers");
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> rw.writer().write(TAIL));
                start.countDown();
                assertEquals(32L << 20, send.await());
                ch.close();
                rw.writer().write(TAIL); // allowed again afterwards
                rw.writer().close();
                rw.writer().waitClosed();
                return e.getMessage();
            });
            assertTrue(refused.startsWith("unable to write: sendfile() is in progress on "), refused);
            byte[] all = got.get(30, TimeUnit.SECONDS);
            assertEquals((32 << 20) + TAIL.length, all.length);
        }
    }

    /**
     * A peer that reads {@code first} bytes and then goes away: with a reset ({@code SO_LINGER}
     * 0) if {@code reset}, else with a plain close (which the kernel turns into a reset too, as
     * unread data is left in the peer's buffer).
     */
    private static CompletableFuture<Integer> readsALittleThenCloses(ServerSocket ss, int first, boolean reset) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                int n = in.readNBytes(new byte[first], 0, first);
                if (reset) {
                    s.setSoLinger(true, 0);
                }
                done.complete(n);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void sendfileEndsWhenThePeerGoes(boolean reset) throws Exception {
        Path f = file(32 << 20); // more than the kernel's socket buffers hold: the sendfile must wait
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CompletableFuture<Integer> peer = readsALittleThenCloses(ss, 4096, reset);
            String outcome = Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    Task<Long> send = Aio.createTask(() -> rw.writer().sendfile(ch, 0, ch.size()));
                    // a guard against the hang this test is about, not a measurement
                    return Aio.waitFor(Aio.createTask(() -> {
                        try {
                            return "returned " + send.await();
                        } catch (Exception e) {
                            return "raised " + (e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e);
                        }
                    }), 30);
                } finally {
                    rw.writer().close();
                }
            });
            assertEquals(4096, peer.get(30, TimeUnit.SECONDS));
            assertTrue(outcome.startsWith("raised java.net.SocketException") || outcome.startsWith("raised java.io.IOException"),
                    outcome);
        }
    }

    @Test
    void sendfileEndsWhenThePeerResets() throws Exception { // aio4j-only: asyncio's sendfile raises ConnectionResetError
        sendfileEndsWhenThePeerGoes(true);
    }

    @Test
    void sendfileEndsWhenThePeerClosesEarly() throws Exception { // aio4j-only
        sendfileEndsWhenThePeerGoes(false);
    }

    private void sendfileEndsWhenClosedHere(boolean abort) throws Exception {
        Path f = file(32 << 20);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<byte[]> got = reader(ss, start); // reads nothing until the end
            String outcome = Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    Task<String> send = Aio.createTask(() -> {
                        try {
                            return "returned " + rw.writer().sendfile(ch, 0, ch.size());
                        } catch (IOException e) {
                            return "raised " + e;
                        }
                    });
                    Aio.sleep(0);
                    Aio.sleep(0);
                    assertTrue(!send.done(), "32 MiB cannot all fit in the socket buffers");
                    if (abort) {
                        rw.writer().transport().abort();
                    } else {
                        rw.writer().close();
                    }
                    return Aio.waitFor(send, 30); // a guard against the hang this test is about, not a measurement
                } finally {
                    start.countDown();
                }
            });
            assertTrue(outcome.startsWith("raised java.net.SocketException: Connection lost during sendfile()"), outcome);
            got.handle((b, e) -> null).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendfileEndsWhenTheTransportIsAborted() throws Exception { // aio4j-only
        sendfileEndsWhenClosedHere(true);
    }

    @Test
    void sendfileEndsWhenTheWriterIsClosed() throws Exception { // aio4j-only
        sendfileEndsWhenClosedHere(false);
    }

    @Test
    void sendfileForClosingTransp() throws Exception { // CPython: test_sendfile_for_closing_transp (native)
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            start.countDown();
            CompletableFuture<byte[]> got = reader(ss, start);
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                rw.writer().close();
                try (FileChannel ch = FileChannel.open(file(DATA), StandardOpenOption.READ)) {
                    SocketException e = assertThrows(SocketException.class, () -> rw.writer().sendfile(ch, 0, DATA));
                    assertTrue(e.getMessage().startsWith("Connection lost (or closing) before sendfile()"), e.getMessage());
                    assertEquals(0, ch.position());
                }
                return null;
            });
            assertEquals(0, got.get(30, TimeUnit.SECONDS).length);
        }
    }

    // ---------------------------------------------------- the fallback (asyncio's _sendfile_fallback)

    /** CPython's SendfileBase.DATA: 128 KiB and a little, so the last block is short. */
    private static final int DATA = 16 * (1024 * 8 + 1);
    private static final int BLOCK = 16 * 1024;

    /** A {@code cat} child: its stdin is a pipe transport, which cannot sendfile natively; its stdout echoes. */
    private static Subprocess cat() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX system");
        return Streams.createSubprocessExec(List.of("cat"), Subprocess.PIPE, Subprocess.PIPE, Subprocess.INHERIT);
    }

    private static WatchedFileChannel watched(Path f) throws IOException {
        return new WatchedFileChannel(FileChannel.open(f, StandardOpenOption.READ));
    }

    @Test
    void sendfileForceFallbackPreAndPostData() throws Exception { // CPython: test_sendfile_force_fallback, test_sendfile_pre_and_post_data
        Path f = file(DATA);
        byte[] content = Files.readAllBytes(f);
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                p.stdin().write(HEAD);
                assertEquals(DATA, p.stdin().sendfile(ch, 0, DATA));
                assertEquals(DATA, ch.position(), "the file is left after the last byte sent");
                p.stdin().write(TAIL);
                p.stdin().close();
                Thread task = Thread.currentThread();
                assertFalse(ch.readers.isEmpty());
                assertFalse(ch.readers.contains(task), "a block was read on the task's own thread (the loop): " + ch.readers);
                assertEquals(BLOCK, ch.asked.get(0), "asyncio's 16 KiB blocks: " + ch.asked);
                assertTrue(ch.asked.stream().allMatch(n -> n <= BLOCK), "asked: " + ch.asked);
                byte[] got = out.await();
                assertEquals(0, p.await());
                return got;
            }
        });
        assertArrayEquals(concat(HEAD, content, TAIL), echoed);
    }

    @Test
    void sendfileForceFallbackPartial() throws Exception { // CPython: test_sendfile_partial, test_sendfile_ssl_partial
        Path f = file(DATA);
        byte[] content = Files.readAllBytes(f);
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                assertEquals(100, p.stdin().sendfile(ch, 1000, 100));
                assertEquals(1100, ch.position());
                assertEquals(List.of(100), ch.asked, "min(count, 16 KiB)");
                p.stdin().close();
                return out.await();
            }
        });
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 1100), echoed);
    }

    @Test
    void sendfileFallbackForClosingTransp() throws Exception { // CPython: test_sendfile_for_closing_transp (the fallback)
        Path f = file(DATA);
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                p.stdin().close();
                SocketException e = assertThrows(SocketException.class, () -> p.stdin().sendfile(ch, 0, DATA));
                assertTrue(e.getMessage().startsWith("Connection lost (or closing) before sendfile()"), e.getMessage());
                assertEquals(0, ch.position());
                assertEquals(List.of(), ch.asked, "nothing is read for a closing transport");
                return out.await();
            }
        });
        assertEquals(0, echoed.length);
    }

    @Test
    void sendfileFallbackClosePeerInTheMiddleOfReceiving() throws Exception { // CPython: the test of that name
        Path f = file(4 << 20); // far beyond a pipe's buffer and the transport's high-water mark
        String outcome = Aio.run(() -> {
            assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX system");
            try (Subprocess p = Streams.createSubprocessExec(List.of("/bin/sh", "-c", "head -c 1024 >/dev/null"),
                    Subprocess.PIPE, Subprocess.DEVNULL, Subprocess.INHERIT);
                 FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                Task<String> send = Aio.createTask(() -> {
                    try {
                        return "returned " + p.stdin().sendfile(ch, 0, ch.size());
                    } catch (IOException e) {
                        return "raised " + e.getClass().getName();
                    }
                });
                String r = Aio.waitFor(send, 30); // a guard against a hang, not a measurement
                long at = ch.position();
                assertTrue(at >= 1024 && at < ch.size(), "position " + at);
                p.await();
                return r;
            }
        });
        assertTrue(outcome.startsWith("raised "), outcome);
    }

    @Test
    void sendfileFallbackCloseWhileABlockIsRead() throws Exception { // aio4j-only: a write now would be dropped
        Path f = file(DATA);
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                CompletableFuture<Void> release = new CompletableFuture<>();
                ch.holdRead = n -> n == 2 ? release : null;
                Task<Long> send = Aio.createTask(() -> p.stdin().sendfile(ch, 0, DATA));
                assertEquals(2, Aio.toThread(() -> ch.holding.get(30, TimeUnit.SECONDS)));
                p.stdin().close();
                release.complete(null);
                CompletionException c = assertThrows(CompletionException.class, send::await);
                assertTrue(c.getCause() instanceof SocketException, String.valueOf(c.getCause()));
                assertTrue(c.getCause().getMessage().startsWith("Connection lost during sendfile() after 16384 bytes"),
                        c.getCause().getMessage());
                assertEquals(BLOCK, ch.position(), "after the one block handed to the transport");
                return out.await();
            }
        });
        assertEquals(BLOCK, echoed.length);
    }

    @Test
    void sendfileFallbackCancelledWhileABlockIsRead() throws Exception { // aio4j-only
        Path f = file(DATA);
        byte[] content = Files.readAllBytes(f);
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                CompletableFuture<Void> release = new CompletableFuture<>();
                ch.holdRead = n -> n == 3 ? release : null;
                Task<Long> send = Aio.createTask(() -> p.stdin().sendfile(ch, 0, DATA));
                assertEquals(3, Aio.toThread(() -> ch.holding.get(30, TimeUnit.SECONDS)));
                send.cancel();
                assertThrows(CancellationException.class, send::await);
                assertEquals(2L * BLOCK, ch.position(), "after the two blocks handed to the transport");
                release.complete(null); // the read runs to its end in the executor; its bytes are dropped
                p.stdin().close();
                return out.await();
            }
        });
        assertArrayEquals(Arrays.copyOf(content, 2 * BLOCK), echoed);
    }

    @Test
    void sendfileFallbackReadErrorPropagates() throws Exception { // aio4j-only: run_in_executor's exception
        Path f = file(DATA);
        IOException disk = new IOException("disk gone");
        Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                ch.failRead = n -> n == 2 ? disk : null;
                IOException e = assertThrows(IOException.class, () -> p.stdin().sendfile(ch, 0, DATA));
                assertSame(disk, e, "the read's own exception");
                assertEquals(BLOCK, ch.position());
                p.stdin().close();
                assertEquals(BLOCK, out.await().length);
            }
            return null;
        });
    }

    @Test
    void sendfileFallbackAfterDefaultExecutorShutdown() throws Exception { // aio4j-only: asyncio's 'Executor shutdown has been called'
        Path f = file(DATA);
        Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                Aio.getRunningLoop().shutdownDefaultExecutor();
                assertThrows(IllegalStateException.class, () -> p.stdin().sendfile(ch, 0, DATA));
                assertEquals(0, ch.position(), "nothing was sent");
                assertEquals(List.of(), ch.asked);
                p.stdin().close();
                assertEquals(0, out.await().length);
            }
            return null;
        });
    }

    @Test
    void sendfileFallbackTwiceAtOnceIsRefused() throws Exception { // aio4j-only: as the native path refuses it
        Path f = file(DATA);
        byte[] content = Files.readAllBytes(f);
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat(); WatchedFileChannel ch = watched(f); FileChannel other = FileChannel.open(f)) {
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                CompletableFuture<Void> release = new CompletableFuture<>();
                ch.holdRead = n -> n == 1 ? release : null;
                Task<Long> send = Aio.createTask(() -> p.stdin().sendfile(ch, 0, DATA));
                Aio.toThread(() -> ch.holding.get(30, TimeUnit.SECONDS));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.stdin().sendfile(other, 0, DATA));
                assertTrue(e.getMessage().startsWith("sendfile() is already in progress on "), e.getMessage());
                release.complete(null);
                assertEquals(DATA, send.await());
                p.stdin().close();
                return out.await();
            }
        });
        assertArrayEquals(content, echoed);
    }

    @Test
    void sendfileWholePathIsOpenedInTheExecutor() throws Exception { // aio4j-only: opening can wait for the disk too
        Path f = file(DATA);
        OpenRecordingPath.Opens opens = OpenRecordingPath.of(f);
        Thread[] task = new Thread[1];
        byte[] echoed = Aio.run(() -> {
            try (Subprocess p = cat()) {
                task[0] = Thread.currentThread();
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                assertEquals(DATA, p.stdin().sendfile(opens.path));
                p.stdin().close();
                return out.await();
            }
        });
        assertArrayEquals(Files.readAllBytes(f), echoed);
        assertEquals(1, opens.openers.size());
        assertTrue(opens.openers.get(0) != task[0], "opened on the task's own thread (the loop)");
    }

    @Test
    void sendfileWholePathCancelledWhileTheFileIsOpenedClosesIt() throws Exception { // aio4j-only: no descriptor leak
        Path f = file(DATA);
        OpenRecordingPath.Opens opens = OpenRecordingPath.of(f);
        CompletableFuture<Void> release = new CompletableFuture<>();
        opens.holdOpen = release;
        Aio.run(() -> {
            try (Subprocess p = cat()) {
                Task<Long> send = Aio.createTask(() -> p.stdin().sendfile(opens.path));
                Aio.toThread(() -> opens.holding.get(30, TimeUnit.SECONDS)); // the job has the file open
                send.cancel();
                assertThrows(CancellationException.class, send::await);
                assertTrue(opens.channels.get(0).isOpen(), "still the job's");
                release.complete(null); // the job ends: it finds its task gone and closes the file
                WatchedFileChannel ch = opens.channels.get(0);
                Aio.toThread(() -> {
                    for (int i = 0; i < 30_000 && ch.isOpen(); i++) {
                        Thread.sleep(1); // a bound against a hang, not a measurement
                    }
                    return null;
                });
                assertFalse(ch.isOpen(), "the file opened for a cancelled task was left open");
                assertEquals(List.of(), ch.asked, "nothing was read");
                p.stdin().close();
                assertEquals(0, p.await());
            }
            return null;
        });
    }

    @Test
    void sendfileWholePathTakesTheSizeInTheExecutor() throws Exception { // aio4j-only: as the Javadoc says (fstat can wait for a network disk)
        Path f = file(DATA);
        OpenRecordingPath.Opens opens = OpenRecordingPath.of(f);
        Thread[] task = new Thread[1];
        Aio.run(() -> {
            try (Subprocess p = cat()) {
                task[0] = Thread.currentThread();
                Task<byte[]> out = Aio.createTask(() -> p.stdout().read());
                assertEquals(DATA, p.stdin().sendfile(opens.path));
                p.stdin().close();
                return out.await();
            }
        });
        assertEquals(1, opens.channels.size());
        List<Thread> sizers = opens.channels.get(0).sizers;
        assertFalse(sizers.isEmpty());
        assertFalse(sizers.contains(task[0]), "the size was taken on the task's own thread (the loop): " + sizers);
        assertFalse(opens.channels.get(0).isOpen(), "closed when the sending ended");
    }

    @Test
    void sendfileForceFallbackOverTls() throws Exception { // CPython: test_sendfile_force_fallback (TLS)
        Path f = file(1 << 20);
        byte[] content = Files.readAllBytes(f);
        try (SSLServerSocket ss = (SSLServerSocket) TestCertificates.server().getServerSocketFactory()
                .createServerSocket(0, 5, Net.LOOPBACK)) {
            CompletableFuture<byte[]> got = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buf = new byte[65536];
                    while (out.size() < HEAD.length + content.length) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        out.write(buf, 0, n);
                    }
                    got.complete(out.toByteArray());
                } catch (Throwable e) {
                    got.completeExceptionally(e);
                }
            });
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection("localhost", ss.getLocalPort(), TestCertificates.client());
                rw.writer().write(HEAD);
                assertEquals(content.length, rw.writer().sendfile(f));
                rw.writer().close();
                rw.writer().waitClosed();
                return null;
            });
            assertArrayEquals(concat(HEAD, content), got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void sendfileArgumentsAreChecked() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            start.countDown();
            reader(ss, start);
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                try (FileChannel ch = FileChannel.open(file(10), StandardOpenOption.READ)) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> rw.writer().sendfile(ch, -1, 5));
                    assertEquals("offset and count must be >= 0, got offset=-1, count=5", e.getMessage());
                }
                rw.writer().close();
                return null;
            });
        }
    }

    @Test
    void loopSendfileOnTransportNative() throws Exception { // asyncio: loop.sendfile(transport, ...), fallback=False
        Path f = file(300_000);
        byte[] content = Files.readAllBytes(f);
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            CountDownLatch start = new CountDownLatch(1);
            start.countDown();
            CompletableFuture<byte[]> got = reader(ss, start);
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                rw.writer().write(HEAD);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    assertEquals(1000, Streams.sendfile(rw.writer().transport(), ch, 10, 1000));
                    assertEquals(1010, ch.position(), "CPython: test_sendfile_partial's file.tell()");
                }
                rw.writer().write(TAIL);
                rw.writer().close();
                rw.writer().waitClosed();
                return null;
            });
            assertArrayEquals(concat(HEAD, Arrays.copyOfRange(content, 10, 1010), TAIL), got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void loopSendfileOnTlsTransportIsNotAvailable() throws Exception { // asyncio: SendfileNotAvailableError
        try (SSLServerSocket ss = (SSLServerSocket) TestCertificates.server().getServerSocketFactory()
                .createServerSocket(0, 5, Net.LOOPBACK)) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                    in.readAllBytes();
                } catch (IOException e) {
                    // the client closes
                }
            });
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection("localhost", ss.getLocalPort(), TestCertificates.client());
                try (FileChannel ch = FileChannel.open(file(10), StandardOpenOption.READ)) {
                    SendfileNotAvailableError e = assertThrows(SendfileNotAvailableError.class,
                            () -> Streams.sendfile(rw.writer().transport(), ch, 0, 10));
                    assertTrue(e.getMessage().contains("read the file and write it instead"), e.getMessage());
                    assertThrows(IllegalArgumentException.class, () -> Streams.sendfile(rw.writer().transport(), ch, 0, -1));
                }
                rw.writer().close();
                return null;
            });
        }
    }
}
