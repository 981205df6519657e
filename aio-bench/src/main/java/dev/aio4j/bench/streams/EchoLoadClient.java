package dev.aio4j.bench.streams;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Locale;

/**
 * A lean load client for {@link MultiLoopEchoServer}: one thread, one selector, {@code C}
 * connections, each keeping {@code DEPTH} 64-byte messages in flight (whatever comes back is sent
 * again at once, so the bytes in flight stay constant). No event loop, no tasks, no allocation
 * per message: the client's own CPU per message is kept below the server's, which matters on a
 * 2-core machine. Counts echoed messages over {@code SECONDS} after {@code WARMUP} seconds and
 * prints one JSON line (messages/s and the client's CPU seconds).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.aio4j.bench.streams.EchoLoadClient PORT
 * [CONNECTIONS=50] [DEPTH=16] [SECONDS=10] [WARMUP=5] [LABEL]}.
 */
public final class EchoLoadClient {
    private static final int MESSAGE = 64;

    private EchoLoadClient() {}

    /**
     * Runs the load and prints the result.
     *
     * @param args see the class comment
     * @throws IOException if a connection fails
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int conns = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int depth = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 5;
        String label = args.length > 5 ? args[5] : "";
        ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE * depth);
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        Selector sel = Selector.open();
        for (int i = 0; i < conns; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
            out.clear();
            while (out.hasRemaining()) {
                c.write(out);
            }
            c.register(sel, SelectionKey.OP_READ);
        }
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long bytes = 0;
        long cpu0 = 0;
        boolean measuring = false;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                measuring = true;
                bytes = 0;
                cpu0 = cpuNanos();
            }
            if (now >= end) {
                break;
            }
            sel.select(100);
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                SocketChannel c = (SocketChannel) k.channel();
                in.clear();
                int n = c.read(in);
                if (n < 0) {
                    throw new IOException("the server closed a connection");
                }
                bytes += n;
                out.clear().limit(n);
                while (out.hasRemaining()) {
                    c.write(out); // at most DEPTH messages in flight: fits the socket buffer
                }
            }
        }
        double cpu = (cpuNanos() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"echo_server\",\"impl\":\"%s\",\"connections\":%d,\"depth\":%d,\"seconds\":%.1f,"
                        + "\"messages_per_s\":%.0f,\"client_cpu_s\":%.2f}%n",
                label, conns, depth, seconds, bytes / (double) MESSAGE / seconds, cpu);
        sel.close();
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
