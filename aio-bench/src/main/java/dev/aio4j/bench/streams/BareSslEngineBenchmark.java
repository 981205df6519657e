package dev.aio4j.bench.streams;

import dev.aio4j.bench.PeakRss;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * JSSE's own ceiling: two {@link SSLEngine}s, a client and a server, handshaking and exchanging
 * data in memory on one thread (no sockets, no loop, buffers allocated once), with the same
 * certificates and settings as {@link TlsBenchmark}. What aio-streams' TLS can at best reach on
 * this JDK.
 *
 * <ul>
 *   <li>{@code handshake}: {@code --size} full handshakes (new engines each; no session tickets
 *       unless {@code --resume}), the client verifying the certificate and the host name, each
 *       followed by one byte each way; one operation is one handshake.</li>
 *   <li>{@code bulk}: {@code --size} MiB wrapped by the client in 64 KiB calls and unwrapped by the
 *       server; one operation is one MiB.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.aio4j.bench.streams.BareSslEngineBenchmark
 * handshake|bulk [--size N] [--repeat R] [--warmup W] [--key ec|rsa] [--resume]}; one JSON line
 * like {@link TlsBenchmark}'s, impl {@code jsse-bare}.
 */
public final class BareSslEngineBenchmark {
    private static final int CHUNK = 64 * 1024;
    private static final int MIB = 1 << 20;

    private final TlsCerts certs;
    private SSLEngine client;
    private SSLEngine server;
    private final ByteBuffer c2s = ByteBuffer.allocate(1 << 20);
    private final ByteBuffer s2c = ByteBuffer.allocate(1 << 20);
    private final ByteBuffer clientApp = ByteBuffer.allocate(1 << 20);
    private final ByteBuffer serverApp = ByteBuffer.allocate(1 << 20);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    BareSslEngineBenchmark(TlsCerts certs) {
        this.certs = certs;
    }

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
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--key" -> key = args[++i];
                case "--resume" -> resume = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (size < 0) {
            size = mode.equals("handshake") ? 1000 : 100;
        }
        if (!resume) {
            System.setProperty("jdk.tls.server.newSessionTicketCount", "0");
        }
        BareSslEngineBenchmark b = new BareSslEngineBenchmark(TlsCerts.make(key));
        double first = 0;
        double sum = 0;
        double min = Double.MAX_VALUE;
        for (int r = 0; r < warmup + repeat; r++) {
            long t0 = System.nanoTime();
            long ops = switch (mode) {
                case "handshake" -> b.handshakes(size);
                case "bulk" -> b.bulk(size);
                default -> throw new IllegalArgumentException("mode must be handshake or bulk, got " + mode);
            };
            double perOp = (double) (System.nanoTime() - t0) / ops;
            if (r == 0) {
                first = perOp;
            }
            if (r >= warmup) {
                sum += perOp;
                min = Math.min(min, perOp);
            }
        }
        System.out.printf(Locale.ROOT,
                "{\"workload\":\"tls_%s\",\"impl\":\"jsse-bare\",\"size\":%d,\"runs\":%d,\"ns_per_op\":%.1f,\"min_ns_per_op\":%.1f,"
                        + "\"first_run_ns_per_op\":%.1f,\"peak_rss_kb\":%d,\"key\":\"%s\",\"resume\":%b,\"protocol\":\"%s\","
                        + "\"cipher\":\"%s\",\"jdk\":\"%s\"}%n",
                mode, size, repeat, sum / repeat, min, first, PeakRss.kilobytes(), key, resume,
                b.client.getSession().getProtocol(), b.client.getSession().getCipherSuite(), System.getProperty("java.version"));
    }

    private void newPair() {
        server = certs.server.createSSLEngine();
        server.setUseClientMode(false);
        client = certs.client.createSSLEngine("127.0.0.1", 4433);
        client.setUseClientMode(true);
        SSLParameters p = client.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(p);
        c2s.clear();
        s2c.clear();
    }

    long handshakes(int n) throws SSLException {
        for (int i = 0; i < n; i++) {
            newPair();
            client.beginHandshake();
            server.beginHandshake();
            while (busy(client) || busy(server)) {
                step(client, s2c, c2s, clientApp);
                step(server, c2s, s2c, serverApp);
            }
            // one byte each way, as TlsBenchmark's echo
            exchange(client, server, serverApp, 1);
            exchange(server, client, clientApp, 1);
        }
        return n;
    }

    private static boolean busy(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    /** Runs one engine as far as it goes: tasks, wraps into {@code out}, unwraps from {@code in}. */
    private static void step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        while (true) {
            HandshakeStatus hs = e.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                Runnable t;
                while ((t = e.getDelegatedTask()) != null) {
                    t.run();
                }
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                e.wrap(EMPTY, out);
            } else if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                in.flip();
                SSLEngineResult r = e.unwrap(in, app);
                in.compact();
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                        || (r.bytesConsumed() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP)) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);

    /** {@code from} wraps {@code len} bytes, {@code to} unwraps them into {@code app}. */
    private void exchange(SSLEngine from, SSLEngine to, ByteBuffer app, int len) throws SSLException {
        ByteBuffer net = from == client ? c2s : s2c;
        chunk.clear().limit(len);
        // net is in write mode and may hold a session ticket the handshake loop left: append after it
        while (chunk.hasRemaining()) {
            from.wrap(chunk, net);
        }
        net.flip();
        app.clear();
        while (net.hasRemaining()) {
            SSLEngineResult r = to.unwrap(net, app);
            if (r.bytesConsumed() == 0) {
                break;
            }
        }
        if (app.position() < len) {
            throw new IllegalStateException("unwrapped " + app.position() + " bytes, expected " + len);
        }
        net.clear();
    }

    private long bulk(int mib) throws SSLException {
        if (client == null) {
            handshakes(1);
        }
        long total = (long) mib * MIB;
        for (long sent = 0; sent < total; sent += CHUNK) {
            exchange(client, server, serverApp, CHUNK);
        }
        return mib;
    }
}
