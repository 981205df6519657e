package dev.aio4j.loop.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers for tests that use real sockets: payloads, waiting, and file-descriptor leak checks. */
public final class IoTestSupport {
    private IoTestSupport() {}

    /** Code that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** {@code n} bytes of a recognisable, seed-dependent pattern. */
    public static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >>> 11));
        }
        return b;
    }

    /** Open file descriptors of this process (Linux). */
    public static long countFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Whether {@link #countFds()} works here. */
    public static boolean canCountFds() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Waits (real time, from a test thread, at most 10 s) until {@code cond} holds. */
    public static void eventually(Supplier<Boolean> cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Asserts that {@code round} opens no file descriptor that it does not close. */
    public static void assertNoFdLeak(ThrowingRunnable round) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(canCountFds(), "needs /proc/self/fd (Linux)");
        round.run(); // warm up: class loading may open jars
        long before = stableFdCount();
        round.run();
        round.run();
        long after = countFds();
        for (int i = 0; i < 500 && after > before; i++) { // peers on other threads close late (up to 5 s on a loaded machine)
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
}
