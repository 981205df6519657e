package dev.aio4j.bench.streams;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TCP echo over loopback with aio-streams, server and clients on the trial's one loop: each
 * client writes a 64-byte message, drains, and reads 64 bytes back with {@code readexactly}; the
 * server's handler reads exactly 64 bytes, writes them back and drains. One operation is one
 * round trip.
 *
 * <ul>
 *   <li>{@link #oneClient()}: one connection, 20,000 sequential round trips per invocation.
 *   <li>{@link #fiftyClients()}: 50 connections, each its own task doing 400 round trips
 *       (20,000 in all), gathered.
 * </ul>
 *
 * <p>The server and the 51 connections are opened once per trial ({@link #prepareOnLoop()}, in the first warm-up invocation), as the
 * reference {@code NioEchoLoopBenchmark} opens its connection once; the server's handler tasks
 * stay parked on the loop between invocations.
 *
 * <p>CPython twin: {@code aio-bench/python/echo.py --clients 1} / {@code --clients 50}
 * ({@code asyncio.start_server} / {@code open_connection}, same shape).
 */
public class EchoBenchmark extends AbstractLoopBenchmark {
    public static final int MESSAGE = 64;
    public static final int ROUND_TRIPS = 20_000;
    public static final int CLIENTS = 50;

    /** Round trips per invocation of {@link #oneClient()} (tests shrink it). */
    public int roundTrips = ROUND_TRIPS;
    /** Round trips per client per invocation of {@link #fiftyClients()} (tests shrink it). */
    public int perClient = ROUND_TRIPS / CLIENTS;

    private Server server;
    private StreamPair single;
    private List<StreamPair> many;
    private final byte[] message = new byte[MESSAGE];

    @Override
    protected void prepareOnLoop() throws Exception {
        for (int i = 0; i < MESSAGE; i++) {
            message[i] = (byte) i;
        }
        loop.runUntilComplete(() -> {
            server = Streams.startServer(EchoBenchmark::echo, "127.0.0.1", 0);
            single = Streams.openConnection("127.0.0.1", server.port());
            many = new ArrayList<>(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                many.add(Streams.openConnection("127.0.0.1", server.port()));
            }
            return null;
        });
    }

    static void echo(StreamReader r, StreamWriter w) throws Exception {
        while (true) {
            byte[] m;
            try {
                m = r.readexactly(MESSAGE);
            } catch (dev.aio4j.streams.IncompleteReadError eof) {
                break;
            }
            w.write(m);
            w.drain();
        }
        w.close();
    }

    private int roundTrips(StreamPair conn, int n) throws Exception {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            conn.writer().write(message);
            conn.writer().drain();
            byte[] back = conn.reader().readexactly(MESSAGE);
            if (back[MESSAGE - 1] == message[MESSAGE - 1]) {
                ok++;
            }
        }
        return ok;
    }

    /**
     * One client, sequential round trips.
     *
     * @return the number of round trips whose reply matched
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int oneClient() throws Exception {
        ensurePrepared();
        final int n = roundTrips;
        return loop.runUntilComplete(() -> roundTrips(single, n));
    }

    /**
     * Fifty clients at once, each doing its round trips sequentially.
     *
     * @return the number of round trips whose reply matched, over all clients
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int fiftyClients() throws Exception {
        ensurePrepared();
        final int n = perClient;
        return loop.runUntilComplete(() -> {
            List<Task<Integer>> all = new ArrayList<>(CLIENTS);
            for (StreamPair conn : many) {
                all.add(Aio.createTask(() -> roundTrips(conn, n)));
            }
            int sum = 0;
            for (int ok : Aio.gather(all).await()) {
                sum += ok;
            }
            return sum;
        });
    }

    @Override
    protected void cleanUp() throws Exception {
        if (server == null) {
            return;
        }
        loop.runUntilComplete(() -> {
            List<StreamPair> conns = new ArrayList<>(many);
            conns.add(single);
            for (StreamPair c : conns) {
                c.writer().close();
            }
            for (StreamPair c : conns) {
                c.writer().waitClosed();
            }
            server.close();
            server.waitClosed();
            return null;
        });
        server = null;
        Arrays.fill(message, (byte) 0);
    }
}
