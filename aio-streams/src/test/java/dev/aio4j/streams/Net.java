package dev.aio4j.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: JDK peers on loopback, file-descriptor counting. */
final class Net {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String HOST = LOOPBACK.getHostAddress();

    private Net() {}

    /** A JDK blocking echo server that serves one connection, on a platform thread. */
    static final class JdkEchoServer implements AutoCloseable {
        final ServerSocket server;
        final Thread thread;

        JdkEchoServer() throws IOException {
            server = new ServerSocket(0, 50, LOOPBACK);
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                    s.shutdownOutput();
                } catch (IOException ignored) {
                    // the test fails on its own side
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >>> 11));
        }
        return b;
    }

    static long countFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static boolean canCountFds() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Waits (real time, from a test thread) until {@code cond} holds. */
    static void eventually(Supplier<Boolean> cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Asserts that {@code round} opens no file descriptor that it does not close. */
    static void assertNoFdLeak(ThrowingRunnable round) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(canCountFds(), "needs /proc/self/fd (Linux)");
        round.run(); // warm up: class loading may open jars
        long before = stableFdCount();
        round.run();
        round.run();
        long after = countFds();
        for (int i = 0; i < 100 && after > before; i++) { // peers on other threads close late
            Thread.sleep(10);
            after = countFds();
        }
        // Fewer is fine: a peer thread of an earlier round may close its socket late.
        assertTrue(after <= before, "open file descriptors before and after two rounds: " + before + " -> " + after);
    }

    /** The descriptor count once peers on other threads have finished closing (it stays put for 20 ms). */
    private static long stableFdCount() throws Exception {
        long last = countFds();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(20);
            long now = countFds();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
