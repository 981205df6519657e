package dev.aio4j.examples.healthcheck;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The servers {@link HealthCheck}'s demo probes, all on loopback: a healthy one answering
 * {@code PONG}, one answering garbage, one that reads but never answers, and a port where
 * nothing listens.
 */
final class DemoServers implements AutoCloseable {
    private final Server healthy;
    private final Server garbage;
    private final Server silent;
    private final int closedPort;

    private DemoServers(Server healthy, Server garbage, Server silent, int closedPort) {
        this.healthy = healthy;
        this.garbage = garbage;
        this.silent = silent;
        this.closedPort = closedPort;
    }

    static DemoServers start() throws IOException {
        Server healthy = Streams.startServer((r, w) -> answer(r, w, "PONG\n"), "127.0.0.1", 0);
        Server garbage = Streams.startServer((r, w) -> answer(r, w, "HTTP/1.1 400 Bad Request\r\n"), "127.0.0.1", 0);
        Server silent = Streams.startServer((r, w) -> {
            r.readline();
            Aio.sleep(3600); // never answers; the prober's timeout cancels the wait
        }, "127.0.0.1", 0);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        return new DemoServers(healthy, garbage, silent, closed);
    }

    private static void answer(StreamReader r, StreamWriter w, String reply) throws IOException {
        r.readline();
        w.write(reply.getBytes(StandardCharsets.US_ASCII));
        w.drain();
        w.close();
        w.waitClosed();
    }

    List<HealthCheck.Target> targets() {
        return List.of(new HealthCheck.Target("127.0.0.1", healthy.port()),
                new HealthCheck.Target("127.0.0.1", garbage.port()),
                new HealthCheck.Target("127.0.0.1", silent.port()),
                new HealthCheck.Target("127.0.0.1", closedPort),
                new HealthCheck.Target("127.0.0.1", healthy.port()));
    }

    @Override
    public void close() {
        healthy.close();
        garbage.close();
        silent.close();
        silent.closeClients();
    }
}
