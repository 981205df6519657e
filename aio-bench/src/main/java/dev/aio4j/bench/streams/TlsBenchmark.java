package dev.aio4j.bench.streams;

import dev.aio4j.bench.PeakRss;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;

import javax.net.ssl.SSLEngine;
import java.util.Locale;

/**
 * TLS over loopback with aio-streams, client and server on one loop (a {@code main}, not JMH: it
 * reports the first, cold run and the process's peak RSS too). Twin: {@code aio-bench/python/tls.py}.
 *
 * <ul>
 *   <li>{@code handshake}: {@code --size} connections one after the other; each opens a TLS
 *       connection (the client verifies the certificate and the host name 127.0.0.1), writes one
 *       byte, the server's handler echoes it and closes, the client reads it, closes and waits
 *       for the close. One operation is one connection. Full handshakes: unless {@code --resume}
 *       is given, {@code jdk.tls.server.newSessionTicketCount=0} is set before JSSE loads, so the
 *       server issues no TLS 1.3 session tickets and the client cannot resume (CPython's asyncio
 *       never offers a session to resume unless the application passes one, so its handshakes
 *       are full ones too).</li>
 *   <li>{@code bulk}: {@code --size} MiB (default 100) in 64 KiB {@code write} + {@code drain}
 *       steps over one TLS connection, the server reading with {@code read(65536)} and answering
 *       one byte at the end; one operation is one MiB.</li>
 * </ul>
 *
 * <p>Usage: {@code java [-Daio4j.scheduler=carrier|portable] -cp benchmarks.jar
 * dev.aio4j.bench.streams.TlsBenchmark handshake|bulk [--size N] [--repeat R] [--warmup W]
 * [--key ec|rsa] [--resume] [--plain] [--label L]}; {@code --plain} runs the same workload
 * without TLS (plain TCP), for what TLS adds. Prints one JSON line, as the Python twin does:
 * {@code ns_per_op} is the mean over the measured runs, {@code first_run_ns_per_op} the first
 * (cold, unmeasured) run.
 */
public final class TlsBenchmark {
    private static final int CHUNK = 64 * 1024;
    private static final int MIB = 1 << 20;

    private TlsBenchmark() {}

    /**
     * Runs the workload and prints its JSON line.
     *
     * @param args see the class comment
     * @throws Exception if the workload fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "handshake";
        int size = -1;
        int repeat = 5;
        int warmup = 1;
        String key = "ec";
        boolean resume = false;
        boolean plain = false;
        String label = "";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--key" -> key = args[++i];
                case "--resume" -> resume = true;
                case "--plain" -> plain = true;
                case "--label" -> label = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!mode.equals("handshake") && !mode.equals("bulk")) {
            throw new IllegalArgumentException("mode must be handshake or bulk, got " + mode);
        }
        if (size < 0) {
            size = mode.equals("handshake") ? 1000 : 100;
        }
        if (!resume) {
            System.setProperty("jdk.tls.server.newSessionTicketCount", "0"); // before JSSE reads it
        }
        TlsCerts certs = plain ? TlsCerts.none() : TlsCerts.make(key);
        EventLoop loop = EventLoop.create();
        String impl = "aio4j-" + loop.schedulerName() + (plain ? "-plain" : "") + (label.isBlank() ? "" : "-" + label);
        double first = 0;
        double sum = 0;
        double min = Double.MAX_VALUE;
        String[] session = new String[2];
        try {
            Runner run = mode.equals("handshake") ? handshakes(loop, certs, session) : bulk(loop, certs, session);
            for (int r = 0; r < warmup + repeat; r++) {
                long t0 = System.nanoTime();
                long ops = run.run(size);
                double perOp = (double) (System.nanoTime() - t0) / ops;
                if (r == 0) {
                    first = perOp;
                }
                if (r >= warmup) {
                    sum += perOp;
                    min = Math.min(min, perOp);
                }
            }
            run.close();
        } finally {
            loop.close();
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"tls_%s\",\"impl\":\"%s\",\"size\":%d,\"runs\":%d,\"ns_per_op\":%.1f,\"min_ns_per_op\":%.1f,"
                        + "\"first_run_ns_per_op\":%.1f,\"peak_rss_kb\":%d,\"max_heap_mb\":%d,\"key\":\"%s\",\"resume\":%b,"
                        + "\"protocol\":\"%s\",\"cipher\":\"%s\",\"jdk\":\"%s\"}%n",
                mode, impl, size, repeat, sum / repeat, min, first, PeakRss.kilobytes(), rt.maxMemory() >> 20, key, resume,
                session[0], session[1], System.getProperty("java.version"));
    }

    /** One run of a workload; returns its operation count. */
    private interface Runner {
        long run(int size) throws Exception;

        default void close() throws Exception {
        }
    }

    private static void remember(StreamWriter w, String[] session) {
        if (session[0] == null && w.getExtraInfo("ssl_object") instanceof SSLEngine e) {
            session[0] = e.getSession().getProtocol();
            session[1] = e.getSession().getCipherSuite();
        }
    }

    private static Runner handshakes(EventLoop loop, TlsCerts certs, String[] session) throws Exception {
        Server server = loop.runUntilComplete(() -> Streams.startServer(TlsBenchmark::echoOne, "127.0.0.1", 0, certs.server));
        int port = server.port();
        return new Runner() {
            @Override
            public long run(int n) throws Exception {
                return loop.runUntilComplete(() -> {
                    for (int i = 0; i < n; i++) {
                        StreamPair c = Streams.openConnection("127.0.0.1", port, certs.client);
                        remember(c.writer(), session);
                        oneByteAndClose(c);
                    }
                    return (long) n;
                });
            }

            @Override
            public void close() {
                loop.runUntilComplete(() -> {
                    server.close();
                    server.waitClosed();
                    return null;
                });
            }
        };
    }

    /** The client side of one connection of a handshake run (TlsHandshakeBenchmark's too): one byte each way, closed. */
    static void oneByteAndClose(StreamPair c) throws Exception {
        c.writer().write(new byte[] {7});
        byte[] b = c.reader().readexactly(1);
        if (b[0] != 7) {
            throw new IllegalStateException("bad echo " + b[0]);
        }
        c.writer().close();
        c.writer().waitClosed();
    }

    /** The server side of one connection of a handshake run: one byte back, then close (TlsHandshakeBenchmark's too). */
    static void echoOne(StreamReader r, StreamWriter w) throws Exception {
        byte[] b = r.readexactly(1);
        w.write(b);
        w.drain();
        w.close();
    }

    private static Runner bulk(EventLoop loop, TlsCerts certs, String[] session) throws Exception {
        long[] perRun = {0};
        Server server = loop.runUntilComplete(() -> Streams.startServer((r, w) -> {
            long got = 0;
            while (true) {
                byte[] b = r.read(CHUNK);
                if (b.length == 0) {
                    break;
                }
                got += b.length;
                if (got >= perRun[0]) {
                    if (got != perRun[0]) {
                        throw new IllegalStateException("received " + got + " bytes, expected " + perRun[0]);
                    }
                    got = 0;
                    w.write(new byte[] {1});
                    w.drain();
                }
            }
            w.close();
        }, "127.0.0.1", 0, certs.server));
        StreamPair conn = loop.runUntilComplete(() -> Streams.openConnection("127.0.0.1", server.port(), certs.client));
        remember(conn.writer(), session);
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            chunk[i] = (byte) (i * 31);
        }
        return new Runner() {
            @Override
            public long run(int mib) throws Exception {
                perRun[0] = (long) mib * MIB;
                return loop.runUntilComplete(() -> {
                    StreamWriter w = conn.writer();
                    long sent = 0;
                    while (sent < perRun[0]) {
                        w.write(chunk);
                        w.drain();
                        sent += CHUNK;
                    }
                    byte[] ack = conn.reader().readexactly(1);
                    if (ack[0] != 1) {
                        throw new IllegalStateException("bad acknowledgement " + ack[0]);
                    }
                    return (long) mib;
                });
            }

            @Override
            public void close() throws Exception {
                loop.runUntilComplete(() -> {
                    conn.writer().close();
                    conn.writer().waitClosed();
                    server.close();
                    server.waitClosed();
                    return null;
                });
            }
        };
    }
}
