package dev.aio4j.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The web server the HTTP examples talk to, embedded so that they run offline: the JDK's
 * {@code com.sun.net.httpserver.HttpServer} on {@code 127.0.0.1}, port chosen by the system. It is
 * not written with aio4j on purpose: the client is tested against a peer it did not write.
 *
 * <ul>
 *   <li>{@code GET /weather/<city>}: after the configured delay, a small JSON object in the shape of
 *       the prevision-meteo.ch service the tutorials use, e.g.
 *       {@code {"city_info":{"name":"Paris"},"current_condition":{"tmp":18,"condition":"Ensoleillé"}}};
 *       404 for a city it does not know.</li>
 *   <li>{@code GET /download?bytes=<n>}: {@code n} bytes of deterministic pseudo-random data, sent
 *       with {@code Transfer-Encoding: chunked} in 64 KiB pieces; the CRC-32 of what was sent is
 *       then available from {@link #lastDownloadCrc()}.</li>
 *   <li>{@code GET /ping}: {@code pong}, at once.</li>
 * </ul>
 *
 * <p>Each request runs on a thread of the server's own pool, so delayed answers overlap. The
 * server counts requests, the distinct client connections it saw (by client port), and the most
 * weather requests it had in hand at once.
 *
 * <p><b>asyncio:</b> none; it stands in for the public web services of the aiohttp tutorials.
 * aio4j-only.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final int PIECE = 64 * 1024;
    private static final Map<String, String[]> CITIES = Map.of(
            "paris", new String[] {"Paris", "18", "Ensoleillé"},
            "toulouse", new String[] {"Toulouse", "24", "Ciel voilé"},
            "marseille", new String[] {"Marseille", "25", "Ensoleillé"},
            "lyon", new String[] {"Lyon", "21", "Nuageux"},
            "lille", new String[] {"Lille", "14", "Averses"});

    private final HttpServer server;
    private final ExecutorService pool;
    private final Duration delay;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger weatherInFlight = new AtomicInteger();
    private final AtomicInteger maxWeatherInFlight = new AtomicInteger();
    private volatile long lastDownloadCrc = -1;

    private LocalHttpServer(HttpServer server, ExecutorService pool, Duration delay) {
        this.server = server;
        this.pool = pool;
        this.delay = delay;
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @param weatherDelaySeconds how long {@code /weather/...} takes to answer
     * @return the running server; close it
     * @throws IOException if the port cannot be bound
     */
    public static LocalHttpServer start(double weatherDelaySeconds) throws IOException {
        if (!(weatherDelaySeconds >= 0) || Double.isInfinite(weatherDelaySeconds)) {
            throw new IllegalArgumentException("weatherDelaySeconds must be a finite number >= 0, got " + weatherDelaySeconds);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-http-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        LocalHttpServer s = new LocalHttpServer(server, pool, Duration.ofNanos(Math.round(weatherDelaySeconds * 1e9)));
        server.createContext("/weather/", s.counted(s::weather));
        server.createContext("/download", s.counted(s::download));
        server.createContext("/ping", s.counted(ex -> send(ex, 200, "text/plain", "pong")));
        server.start();
        return s;
    }

    /**
     * The URL of a path on this server.
     *
     * @param path starting with {@code /}
     * @return e.g. {@code http://127.0.0.1:41234/ping}
     */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /**
     * Returns the loopback port the system chose for the server.
     *
     * @return the port the server listens on
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Counts the requests the server has received on all its paths since it started.
     *
     * @return how many requests the server received so far
     */
    public int requests() {
        return requests.get();
    }

    /**
     * Counts the client connections that sent requests, telling them apart by client port; a
     * client that reuses keep-alive connections shows fewer connections than requests.
     *
     * @return how many distinct client connections sent requests so far
     */
    public int connections() {
        return clientPorts.size();
    }

    /**
     * Returns the peak number of weather requests in hand at once, which shows whether the client
     * sent them concurrently or one after another.
     *
     * @return the most {@code /weather/...} requests the server was answering at the same time
     */
    public int maxWeatherInFlight() {
        return maxWeatherInFlight.get();
    }

    /**
     * Returns the checksum of what the server sent for the last download, for comparing with the
     * checksum of what the client read.
     *
     * @return the CRC-32 of the last complete {@code /download} body, or -1 if none was sent
     */
    public long lastDownloadCrc() {
        return lastDownloadCrc;
    }

    /** Stops the server at once, dropping open connections. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private HttpHandler counted(HttpHandler h) {
        return ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            requests.incrementAndGet();
            try {
                h.handle(ex);
            } finally {
                ex.close();
            }
        };
    }

    private void weather(HttpExchange ex) throws IOException {
        String city = ex.getRequestURI().getPath().substring("/weather/".length()).toLowerCase(Locale.ROOT);
        maxWeatherInFlight.accumulateAndGet(weatherInFlight.incrementAndGet(), Math::max);
        try {
            Thread.sleep(delay); // the slow remote service
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            weatherInFlight.decrementAndGet();
        }
        String[] c = CITIES.get(city);
        if (c == null) {
            send(ex, 404, "application/json", "{\"errors\":[{\"code\":\"11\",\"text\":\"unknown city\"}]}");
            return;
        }
        send(ex, 200, "application/json; charset=utf-8", "{\"city_info\":{\"name\":\"" + c[0] + "\"},\"current_condition\":{\"tmp\":"
                + c[1] + ",\"condition\":\"" + c[2] + "\"}}");
    }

    private void download(HttpExchange ex) throws IOException {
        long n = 0;
        String q = ex.getRequestURI().getQuery();
        if (q != null && q.startsWith("bytes=")) {
            try {
                n = Long.parseLong(q.substring("bytes=".length()));
            } catch (NumberFormatException e) {
                n = -1;
            }
        }
        if (n < 0) {
            send(ex, 400, "text/plain", "bytes must be a number >= 0: " + q);
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, 0); // 0: chunked
        CRC32 crc = new CRC32();
        byte[] piece = new byte[PIECE];
        long state = 0x9E3779B97F4A7C15L;
        try (OutputStream out = ex.getResponseBody()) {
            for (long sent = 0; sent < n; ) {
                int len = (int) Math.min(PIECE, n - sent);
                for (int i = 0; i < len; i += 8) {
                    state ^= state << 13; // xorshift64: cheap, deterministic, not compressible
                    state ^= state >>> 7;
                    state ^= state << 17;
                    for (int k = 0; k < 8 && i + k < len; k++) {
                        piece[i + k] = (byte) (state >>> (8 * k));
                    }
                }
                out.write(piece, 0, len);
                crc.update(piece, 0, len);
                sent += len;
            }
            lastDownloadCrc = crc.getValue(); // before close() sends the last chunk that ends the body
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public String toString() {
        return "LocalHttpServer[" + url("/") + ", requests=" + requests() + ", connections=" + connections() + "]";
    }
}
