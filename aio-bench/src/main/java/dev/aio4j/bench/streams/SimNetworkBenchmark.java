package dev.aio4j.bench.streams;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.net.SimNetwork;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * aio-test's simulated network at scale, on a virtual-clock loop (issue 17). One operation is one
 * whole run, on a fresh {@link SimNetwork}; the score is real time per run in milliseconds.
 *
 * <ul>
 *   <li>{@link #thousandConnections()}: 1,000 connections from 10 hosts to one echo server, each
 *       doing 50 round trips: 100,000 messages, every hop 5 to 50 ms of seeded latency. Goal:
 *       under 2 s of real time.</li>
 *   <li>{@link #hourOfServiceTraffic()}: a simulated hour of a service: 100 clients on 10 hosts,
 *       each sending one request a second (for {@link #simulatedSeconds} seconds) over a kept-alive
 *       connection to a server that takes 2 ms per request; 5 to 50 ms per hop. 360,000 requests
 *       and as many replies. Goal: seconds.</li>
 * </ul>
 *
 * <p>No CPython twin: asyncio has no simulated network.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SimNetworkBenchmark extends AbstractLoopBenchmark {
    /** Connections of {@link #thousandConnections()} (tests shrink it). */
    public int connections = 1000;
    /** Round trips per connection of {@link #thousandConnections()}. */
    public int roundTrips = 50;
    /** Clients of {@link #hourOfServiceTraffic()} (tests shrink it). */
    public int clients = 100;
    /** Simulated seconds of {@link #hourOfServiceTraffic()} (tests shrink it). */
    public int simulatedSeconds = 3600;

    private long seed;

    @Override
    protected EventLoop newLoop() {
        return EventLoop.create(VirtualClock.autoJump());
    }

    static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            for (byte[] line = reader.readline(); line.length > 0; line = reader.readline()) {
                writer.write(line);
                writer.drain();
            }
        } finally {
            writer.close();
        }
    }

    private SimNetwork network() {
        SimNetwork net = new SimNetwork(++seed);
        net.addHost("server");
        for (int h = 0; h < 10; h++) {
            net.addHost("h" + h);
        }
        net.setLatency(0.005, 0.045);
        net.install(Aio.getRunningLoop());
        return net;
    }

    /**
     * 1,000 connections, 100,000 messages.
     *
     * @return messages delivered (requests plus replies)
     */
    @Benchmark
    public long thousandConnections() throws Exception {
        final int n = connections;
        final int trips = roundTrips;
        return loop.runUntilComplete(() -> {
            SimNetwork net = network();
            Server server = Streams.startServer(SimNetworkBenchmark::echo, "server", 7);
            long[] messages = {0};
            List<Task<Object>> all = new ArrayList<>(n);
            byte[] line = "ping\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < n; i++) {
                all.add(net.spawn("h" + (i % 10), () -> {
                    StreamPair p = Streams.openConnection("server", 7);
                    for (int m = 0; m < trips; m++) {
                        p.writer().write(line);
                        p.reader().readline();
                        messages[0] += 2;
                    }
                    p.writer().close();
                    return null;
                }));
            }
            for (Task<Object> t : all) {
                t.await();
            }
            server.close();
            server.waitClosed();
            net.uninstall();
            return messages[0];
        });
    }

    /**
     * An hour of a service's traffic.
     *
     * @return replies received
     */
    @Benchmark
    public long hourOfServiceTraffic() throws Exception {
        final int n = clients;
        final double until = simulatedSeconds;
        return loop.runUntilComplete(() -> {
            SimNetwork net = network();
            double start = Aio.getRunningLoop().time();
            Server server = Streams.startServer((r, w) -> {
                try {
                    for (byte[] req = r.readline(); req.length > 0; req = r.readline()) {
                        Aio.sleep(0.002);
                        w.write(req);
                        w.drain();
                    }
                } finally {
                    w.close();
                }
            }, "server", 80);
            long[] replies = {0};
            List<Task<Object>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double offset = i * (1.0 / n);
                all.add(net.spawn("h" + (i % 10), () -> {
                    StreamPair p = Streams.openConnection("server", 80);
                    Aio.sleep(offset);
                    byte[] req = "GET /status\n".getBytes(StandardCharsets.UTF_8);
                    double next = Aio.getRunningLoop().time();
                    while (next < start + until) {
                        p.writer().write(req);
                        p.reader().readline();
                        replies[0]++;
                        next += 1.0;
                        Aio.sleep(Math.max(0, next - Aio.getRunningLoop().time()));
                    }
                    p.writer().close();
                    return null;
                }));
            }
            for (Task<Object> t : all) {
                t.await();
            }
            server.close();
            server.waitClosed();
            net.uninstall();
            return replies[0];
        });
    }
}
