package dev.aio4j.bench.reference;

import dev.aio4j.bench.AbstractBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * Reference point, not aio4j: a raw single-threaded NIO {@link Selector} echo loop over one
 * loopback TCP connection. The client and the server side of the connection are both
 * non-blocking and registered with the same selector; the client writes a 64-byte message, the
 * server reads it and writes it back, the client reads all 64 bytes, and so on. One operation is
 * one round trip (two readiness events, two reads, two writes). This is the limit the future
 * TCP echo benchmark of aio-streams (1 client) is measured against ("at least 0.9x the raw NIO
 * loop").
 *
 * <p>No CPython twin yet (the streams echo twin comes with aio-streams).
 */
public class NioEchoLoopBenchmark extends AbstractBenchmark {
    public static final int ROUND_TRIPS = 20_000;
    public static final int MESSAGE = 64;

    /** Round trips per invocation (tests shrink it). */
    public int roundTrips = ROUND_TRIPS;

    private Selector selector;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private SelectionKey clientKey;
    private SelectionKey serverKey;
    private final ByteBuffer clientOut = ByteBuffer.allocateDirect(MESSAGE);
    private final ByteBuffer clientIn = ByteBuffer.allocateDirect(MESSAGE);
    private final ByteBuffer serverBuf = ByteBuffer.allocateDirect(4 * MESSAGE);

    @Setup(Level.Trial)
    public void open() throws IOException {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        for (SocketChannel c : new SocketChannel[] {client, server}) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
        }
        selector = Selector.open();
        clientKey = client.register(selector, SelectionKey.OP_READ);
        serverKey = server.register(selector, SelectionKey.OP_READ);
        for (int i = 0; i < MESSAGE; i++) {
            clientOut.put((byte) i);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        selector.close();
        client.close();
        server.close();
        listener.close();
    }

    /**
     * Runs {@code roundTrips} echo round trips.
     *
     * @return the number of complete round trips
     * @throws IOException if the connection fails
     */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int echo() throws IOException {
        int n = roundTrips;
        int done = 0;
        clientSend();
        while (done < n) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                if (k == serverKey) {
                    serverBuf.clear();
                    int r = server.read(serverBuf);
                    if (r < 0) {
                        throw new IOException("client closed the connection");
                    }
                    serverBuf.flip();
                    while (serverBuf.hasRemaining()) {
                        server.write(serverBuf); // 64 bytes always fit in the socket buffer
                    }
                } else if (k == clientKey) {
                    if (client.read(clientIn) < 0) {
                        throw new IOException("server closed the connection");
                    }
                    if (!clientIn.hasRemaining()) {
                        clientIn.clear();
                        done++;
                        if (done < n) {
                            clientSend();
                        }
                    }
                }
            }
        }
        return done;
    }

    private void clientSend() throws IOException {
        clientOut.rewind();
        while (clientOut.hasRemaining()) {
            client.write(clientOut);
        }
    }
}
