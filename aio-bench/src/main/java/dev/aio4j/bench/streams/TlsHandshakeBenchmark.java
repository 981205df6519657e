package dev.aio4j.bench.streams;

import dev.aio4j.bench.AbstractLoopBenchmark;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Full TLS handshakes, aio4j against JSSE's own ceiling in the same JMH run (issue 18, stop 29),
 * so that the ratio of the two is not disturbed by whatever else the machine does. One operation
 * is one connection: a full handshake (TLS 1.3, ECDSA P-256 certificate verified with the host
 * name, X25519; no session tickets, so no resumption), one byte each way.
 *
 * <ul>
 *   <li>{@link #aio4j()}: what {@code TlsBenchmark handshake} does, client and server on the
 *       trial's loop over loopback: open a TLS connection, write one byte, the server echoes it
 *       and closes, the client reads it, closes and waits for the close.</li>
 *   <li>{@link #bareEngines()}: what {@code BareSslEngineBenchmark handshake} does: two
 *       {@code SSLEngine}s in memory on one thread, no sockets, no loop.</li>
 *   <li>{@link #plainTcp()}: the same connections as {@link #aio4j()} without TLS: what TCP
 *       connect, accept, the tasks, the streams and the close cost on their own.</li>
 *   <li>{@link #bareEnginesAndPlainTcp()}: one of each per operation, interleaved: the control
 *       that {@link #aio4j()} is compared with.</li>
 * </ul>
 *
 * <p>{@code -prof gc} gives the bytes allocated per handshake of each. CPython twin:
 * {@code aio-bench/python/tls.py --mode handshake} (not JMH; {@code compare.sh tls_handshake}).
 */
public class TlsHandshakeBenchmark extends AbstractLoopBenchmark {
    /** Connections per invocation. */
    public static final int CONNECTIONS = 50;

    static {
        // Full handshakes: the server issues no TLS 1.3 tickets (read when JSSE loads).
        System.setProperty("jdk.tls.server.newSessionTicketCount", "0");
    }

    /** Connections per invocation (tests shrink it). */
    public int connections = CONNECTIONS;

    private TlsCerts certs;
    private BareSslEngineBenchmark bare;
    private Server tlsServer;
    private Server plainServer;

    @Override
    protected void prepare() throws Exception {
        certs = TlsCerts.make("ec");
        bare = new BareSslEngineBenchmark(certs);
    }

    @Override
    protected void prepareOnLoop() throws Exception {
        loop.runUntilComplete(() -> {
            tlsServer = Streams.startServer(TlsBenchmark::echoOne, "127.0.0.1", 0, certs.server);
            plainServer = Streams.startServer(TlsBenchmark::echoOne, "127.0.0.1", 0);
            return null;
        });
    }

    @Override
    protected void cleanUp() throws Exception {
        if (preparedOnLoop()) {
            loop.runUntilComplete(() -> {
                tlsServer.close();
                plainServer.close();
                tlsServer.waitClosed();
                plainServer.waitClosed();
                return null;
            });
        }
    }

    /**
     * {@link #connections} aio4j TLS connections, one after the other.
     *
     * @return the number of connections
     * @throws Exception if one fails
     */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long aio4j() throws Exception {
        ensurePrepared();
        return connect(tlsServer.port(), true);
    }

    /**
     * {@link #connections} plain TCP connections of the same shape.
     *
     * @return the number of connections
     * @throws Exception if one fails
     */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long plainTcp() throws Exception {
        ensurePrepared();
        return connect(plainServer.port(), false);
    }

    /**
     * The control: each operation is one {@link #bareEngines()} handshake and then one
     * {@link #plainTcp()} connection, interleaved, so that the crypto and the socket work evict
     * each other's caches as in {@link #aio4j()}. What {@link #aio4j()} takes beyond this is what
     * aio4j's TLS layer adds (the engines' calls through it, its buffers, the extra writes and
     * loop steps of the handshake).
     *
     * @return the number of handshakes
     * @throws Exception if one fails
     */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long bareEnginesAndPlainTcp() throws Exception {
        ensurePrepared();
        int n = connections;
        int port = plainServer.port();
        return loop.runUntilComplete(() -> {
            for (int i = 0; i < n; i++) {
                bare.handshakes(1); // on the loop's thread, in the task, as the engines of aio4j() run
                oneConnection(port, false);
            }
            return (long) n;
        });
    }

    private long connect(int port, boolean tls) throws Exception {
        int n = connections;
        return loop.runUntilComplete(() -> {
            for (int i = 0; i < n; i++) {
                oneConnection(port, tls);
            }
            return (long) n;
        });
    }

    /** One connection, run inside a task of the loop: one byte each way, closed. */
    private void oneConnection(int port, boolean tls) throws Exception {
        StreamPair c = tls ? Streams.openConnection("127.0.0.1", port, certs.client) : Streams.openConnection("127.0.0.1", port);
        TlsBenchmark.oneByteAndClose(c);
    }

    /**
     * {@link #connections} handshakes of two bare engines in memory.
     *
     * @return the number of handshakes
     * @throws Exception if one fails
     */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long bareEngines() throws Exception {
        return bare.handshakes(connections);
    }
}
