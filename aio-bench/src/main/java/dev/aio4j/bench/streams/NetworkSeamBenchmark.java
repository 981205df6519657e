package dev.aio4j.bench.streams;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.Networks;
import dev.aio4j.streams.spi.Network;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the {@link Network} seam costs on the real path (issue 17). The seam is consulted once per
 * connect and once per listen ({@code Networks.of(loop)}), never per byte: a connection's
 * transport is the same NIO {@code SocketTransport} whether or not the seam exists, so echo and
 * bulk-transfer figures ({@code EchoBenchmark}, {@code BulkTransferBenchmark}) carry no seam cost
 * by construction. This measures what remains:
 *
 * <ul>
 *   <li>{@link #lookup()}: the lookup itself, per call;</li>
 *   <li>{@link #connectAndClose()}: a real loopback connect, the server's accept, and a close,
 *       per connection (100 per invocation).</li>
 * </ul>
 *
 * {@link #elsewhere}: {@code none}, no loop of the JVM has a network (the lookup is a volatile
 * read and a null check); {@code other-loop}, another loop has one installed (the lookup becomes
 * a synchronized map lookup that finds nothing for this loop).
 *
 * <p>No CPython twin: asyncio has no such seam.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NetworkSeamBenchmark extends AbstractLoopBenchmark {
    public static final int CONNECTIONS = 100;

    /** Whether another loop has a network installed. */
    @Param({"none", "other-loop"})
    public String elsewhere = "none";

    /** Connections per invocation of {@link #connectAndClose()} (tests shrink it). */
    public int connections = CONNECTIONS;

    private EventLoop other;
    private Server server;

    @Override
    protected void prepare() {
        if (elsewhere.equals("other-loop")) {
            other = EventLoop.create();
            Streams.useNetwork(other, new Unreachable());
        }
    }

    @Override
    protected void prepareOnLoop() throws Exception {
        loop.runUntilComplete(() -> {
            server = Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            return null;
        });
    }

    @Override
    protected void cleanUp() {
        if (server != null) {
            loop.runUntilComplete(() -> {
                server.close();
                server.waitClosed();
                return null;
            });
        }
        if (other != null) {
            Streams.useNetwork(other, null);
            other.close();
        }
    }

    /**
     * The seam's lookup for this trial's loop.
     *
     * @return null (real sockets)
     */
    @Benchmark
    public Network lookup() {
        return Networks.of(loop);
    }

    /**
     * Real loopback connections, each connected, read to EOF (the server closes at once) and
     * closed.
     *
     * @return how many connections saw EOF
     */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public int connectAndClose() throws Exception {
        ensurePrepared();
        final int n = connections;
        return loop.runUntilComplete(() -> {
            int ok = 0;
            for (int i = 0; i < n; i++) {
                StreamPair c = Streams.openConnection("127.0.0.1", server.port());
                if (c.reader().read().length == 0) {
                    ok++;
                }
                c.writer().close();
                c.writer().waitClosed();
            }
            return ok;
        });
    }

    /** A network installed on the other loop only; never used. */
    static final class Unreachable implements Network {
        @Override
        public List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public Listener listen(EventLoop loop, InetSocketAddress address, int backlog, Acceptor acceptor) throws IOException {
            throw new IOException("not used");
        }
    }
}
