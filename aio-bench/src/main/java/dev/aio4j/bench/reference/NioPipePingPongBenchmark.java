package dev.aio4j.bench.reference;

import dev.aio4j.bench.AbstractBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;

/**
 * Reference point, not aio4j: a raw single-threaded NIO {@link Selector} loop passing one byte
 * back and forth between two {@link Pipe}s. One operation is one hop: {@code select()} reports
 * one pipe readable, the loop reads the byte and writes it into the other pipe. That is one
 * I/O readiness round trip through the kernel (epoll_wait + read + write on Linux), the floor
 * for any hand-off an event loop makes through I/O (for example {@code callSoonThreadsafe}
 * waking a loop blocked in select, or a socket echo).
 *
 * <p>No CPython twin.
 */
public class NioPipePingPongBenchmark extends AbstractBenchmark {
    public static final int HOPS = 20_000;

    /** Hops per invocation (tests shrink it). */
    public int hops = HOPS;

    private Selector selector;
    private Pipe aToB;
    private Pipe bToA;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(16);

    @Setup(Level.Trial)
    public void open() throws IOException {
        selector = Selector.open();
        aToB = Pipe.open();
        bToA = Pipe.open();
        for (Pipe p : new Pipe[] {aToB, bToA}) {
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
        }
        // The attachment is the sink the received byte must be forwarded to.
        aToB.source().register(selector, SelectionKey.OP_READ, bToA.sink());
        bToA.source().register(selector, SelectionKey.OP_READ, aToB.sink());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        selector.close();
        for (Pipe p : new Pipe[] {aToB, bToA}) {
            p.source().close();
            p.sink().close();
        }
    }

    /**
     * Runs {@code hops} hops.
     *
     * @return the number of bytes received, {@code hops}
     * @throws IOException if a pipe fails
     */
    @Benchmark
    @OperationsPerInvocation(HOPS)
    public int pingPong() throws IOException {
        int n = hops;
        int received = 0;
        send(aToB.sink(), (byte) 1);
        while (received < n) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                buf.clear();
                int r = ((Pipe.SourceChannel) k.channel()).read(buf);
                if (r <= 0) {
                    continue;
                }
                received += r;
                if (received < n) {
                    send((Pipe.SinkChannel) k.attachment(), (byte) received);
                }
            }
        }
        return received;
    }

    private void send(Pipe.SinkChannel sink, byte b) throws IOException {
        buf.clear();
        buf.put(b).flip();
        while (buf.hasRemaining()) {
            sink.write(buf);
        }
    }
}
