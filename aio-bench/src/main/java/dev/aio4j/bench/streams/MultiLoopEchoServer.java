package dev.aio4j.bench.streams;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP echo server on {@code N} event loops in one JVM, one thread each, every loop serving the
 * same port through {@code SO_REUSEPORT} (the kernel spreads new connections over them): the
 * "every core" arrangement. Each connection echoes whatever it reads ({@code read(65536)} then
 * {@code write} + {@code drain}). Prints {@code port <n>} once all loops serve, then runs until
 * standard input closes. Load: {@link EchoLoadClient}.
 *
 * <p>Usage: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar
 * dev.aio4j.bench.streams.MultiLoopEchoServer LOOPS [PORT]}.
 */
public final class MultiLoopEchoServer {
    private MultiLoopEchoServer() {}

    /**
     * Starts the loops.
     *
     * @param args loops (default 1), port (default: a free one)
     * @throws Exception if a server cannot start
     */
    public static void main(String[] args) throws Exception {
        int loops = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : freePort();
        CountDownLatch serving = new CountDownLatch(loops);
        List<EventLoop> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Thread t = new Thread(() -> {
                EventLoop l = EventLoop.create();
                synchronized (all) {
                    all.add(l);
                }
                Server s;
                try {
                    s = l.runUntilComplete(() -> Streams.startServer(MultiLoopEchoServer::echo, "127.0.0.1", port,
                            null, 1 << 16, true));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                serving.countDown();
                l.runForever();
                l.runUntilComplete(() -> {
                    s.close();
                    s.waitClosed();
                    return null;
                });
                l.close();
            }, "echo-loop-" + i);
            t.start();
            threads.add(t);
        }
        serving.await();
        System.out.println("port " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // until standard input closes
        }
        synchronized (all) {
            for (EventLoop l : all) {
                l.callSoonThreadsafe(l::stop);
            }
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
    }

    static void echo(StreamReader r, StreamWriter w) throws Exception {
        try {
            while (true) {
                byte[] b = r.read(1 << 16);
                if (b.length == 0) {
                    break;
                }
                w.write(b);
                w.drain();
            }
        } catch (java.net.SocketException reset) {
            // the load client leaves with messages in flight: its sockets reset, which ends the run
        }
        w.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
    }
}
