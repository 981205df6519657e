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
        return dev.aio4j.loop.test.IoTestSupport.payload(n, seed);
    }

    static long countFds() throws IOException {
        return dev.aio4j.loop.test.IoTestSupport.countFds();
    }

    static boolean canCountFds() {
        return dev.aio4j.loop.test.IoTestSupport.canCountFds();
    }

    /** Waits (real time, from a test thread) until {@code cond} holds. */
    static void eventually(Supplier<Boolean> cond, String what) throws InterruptedException {
        dev.aio4j.loop.test.IoTestSupport.eventually(cond, what);
    }

    /** Asserts that {@code round} opens no file descriptor that it does not close. */
    static void assertNoFdLeak(ThrowingRunnable round) throws Exception {
        dev.aio4j.loop.test.IoTestSupport.assertNoFdLeak(round);
    }

    interface ThrowingRunnable extends dev.aio4j.loop.test.IoTestSupport.ThrowingRunnable {
    }
}
