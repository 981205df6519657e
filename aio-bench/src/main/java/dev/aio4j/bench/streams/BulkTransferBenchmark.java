package dev.aio4j.bench.streams;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.streams.IncompleteReadError;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Bulk transfer through one loopback TCP connection with aio-streams, both ends on the trial's
 * one loop: the client writes 1 GiB in 64 KiB {@code write} + {@code drain} steps; the server's
 * handler reads with {@code read(65536)} until it has the whole GiB, then answers one byte, which
 * the client awaits. One operation is one MiB (1,024 per invocation), so the score is ns per
 * MiB and MiB/s = 10^9 / score.
 *
 * <p>Issue 5's goal: at least 1 GiB/s (score at most 976,563 ns/MiB).
 *
 * <p>CPython twin: {@code aio-bench/python/bulk.py} (same chunk sizes, same loop for both ends).
 */
public class BulkTransferBenchmark extends AbstractLoopBenchmark {
    public static final int MIB = 1 << 20;
    public static final int CHUNK = 64 * 1024;
    public static final int TOTAL_MIB = 1024;

    /** MiB per invocation (tests shrink it; read in {@link #prepareOnLoop()} by the server too). */
    public int mib = TOTAL_MIB;

    private Server server;
    private StreamPair conn;
    private final byte[] chunk = new byte[CHUNK];

    @Override
    protected void prepareOnLoop() throws Exception {
        for (int i = 0; i < CHUNK; i++) {
            chunk[i] = (byte) (i * 31);
        }
        final long perRun = (long) mib * MIB;
        loop.runUntilComplete(() -> {
            server = Streams.startServer((r, w) -> sink(r, w, perRun), "127.0.0.1", 0);
            conn = Streams.openConnection("127.0.0.1", server.port());
            return null;
        });
    }

    private static void sink(StreamReader r, StreamWriter w, long perRun) throws Exception {
        long got = 0;
        while (true) {
            byte[] b = r.read(CHUNK);
            if (b.length == 0) {
                break;
            }
            got += b.length;
            if (got >= perRun) {
                if (got != perRun) {
                    throw new IllegalStateException("received " + got + " bytes, expected " + perRun);
                }
                got = 0;
                w.write(new byte[] {1});
                w.drain();
            }
        }
        w.close();
    }

    /**
     * Sends {@code mib} MiB and waits for the server's acknowledgement.
     *
     * @return bytes sent
     */
    @Benchmark
    @OperationsPerInvocation(TOTAL_MIB)
    public long transfer() throws Exception {
        ensurePrepared();
        final long total = (long) mib * MIB;
        return loop.runUntilComplete(() -> {
            StreamWriter w = conn.writer();
            long sent = 0;
            while (sent < total) {
                w.write(chunk);
                w.drain();
                sent += CHUNK;
            }
            byte[] ack;
            try {
                ack = conn.reader().readexactly(1);
            } catch (IncompleteReadError e) {
                throw new IllegalStateException("server closed before acknowledging", e);
            }
            if (ack[0] != 1) {
                throw new IllegalStateException("bad acknowledgement " + ack[0]);
            }
            return sent;
        });
    }

    @Override
    protected void cleanUp() throws Exception {
        if (server == null) {
            return;
        }
        loop.runUntilComplete(() -> {
            conn.writer().close();
            conn.writer().waitClosed();
            server.close();
            server.waitClosed();
            return null;
        });
        server = null;
    }
}
