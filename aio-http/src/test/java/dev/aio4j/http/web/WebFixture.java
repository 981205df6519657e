package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.RequestOption;
import dev.aio4j.loop.Aio;
import dev.aio4j.streams.test.TestCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A served application for functional tests, in the spirit of pytest-aiohttp's
 * {@code aiohttp_client} fixture: {@link #start} sets up an {@link AppRunner} with a
 * {@link TCPSite} on 127.0.0.1 and a free port in the current loop, and gives a
 * {@link ClientSession} and the base URL; {@link #close()} closes the session and cleans the
 * runner up. Call everything from a task of the loop that started it.
 *
 * <pre>{@code
 * Aio.run(() -> {
 *     try (WebFixture f = WebFixture.start(app)) {
 *         try (ClientResponse r = f.get("/")) { ... }
 *     }
 * });
 * }</pre>
 *
 * <p>Also reaches the server as other clients do, from a platform thread (through
 * {@link Aio#toThread}) while the loop serves: raw bytes over a socket ({@link #raw}), the
 * JDK's {@link HttpClient} ({@link #jdk}) and {@code curl} ({@link #curl}).
 */
final class WebFixture implements AutoCloseable {
    final Application app;
    final AppRunner runner;
    final TCPSite site;
    final ClientSession session;
    final String base;
    private boolean closed;

    private WebFixture(Application app, AppRunner runner, TCPSite site, ClientSession session, String base) {
        this.app = app;
        this.runner = runner;
        this.site = site;
        this.session = session;
        this.base = base;
    }

    /** Serves {@code app} with the default configuration. */
    static WebFixture start(Application app) throws Exception {
        return start(app, ServerConfig.defaults(), ClientSession.create());
    }

    /** Serves {@code app} with {@code config} (its host and port are ignored: 127.0.0.1, a free port). */
    static WebFixture start(Application app, ServerConfig config) throws Exception {
        return start(app, config, ClientSession.create());
    }

    /** Serves {@code app} and talks to it with {@code session} (closed by {@link #close()}). */
    static WebFixture start(Application app, ServerConfig config, ClientSession session) throws Exception {
        AppRunner runner = new AppRunner(app, config);
        runner.setup();
        TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
        site.start();
        return new WebFixture(app, runner, site, session, "http://127.0.0.1:" + site.port());
    }

    /**
     * Serves {@code app} over TLS with {@link TestCertificates}; the session trusts it and the
     * base URL is {@code https://localhost:port}.
     */
    static WebFixture startTls(Application app) throws Exception {
        AppRunner runner = new AppRunner(app);
        runner.setup();
        TCPSite site = new TCPSite(runner, "127.0.0.1", 0, TestCertificates.server(), 128, false);
        site.start();
        ClientSession session = ClientSession.builder().sslContext(TestCertificates.client()).build();
        return new WebFixture(app, runner, site, session, "https://localhost:" + site.port());
    }

    int port() {
        return site.port();
    }

    String url(String pathAndQuery) {
        return base + pathAndQuery;
    }

    ClientResponse get(String path, RequestOption... options) {
        return session.get(url(path), options);
    }

    ClientResponse post(String path, RequestOption... options) {
        return session.post(url(path), options);
    }

    ClientResponse head(String path, RequestOption... options) {
        return session.head(url(path), options);
    }

    ClientResponse request(String method, String path, RequestOption... options) {
        return session.request(method, url(path), options);
    }

    /**
     * Sends {@code request} verbatim on a new socket from a platform thread, half-closes
     * nothing, and returns every byte the server sends until it closes the connection.
     */
    String raw(String request) throws Exception {
        return raw(port(), request);
    }

    static String raw(int port, String request) throws Exception {
        return Aio.toThread(() -> {
            try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), port)) {
                sock.setSoTimeout(30_000);
                OutputStream out = sock.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = sock.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        });
    }

    /** One request with the JDK's HttpClient (HTTP/1.1), run on a platform thread. */
    HttpResponse<byte[]> jdk(HttpRequest.Builder request) throws Exception {
        return jdk(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build(),
                request);
    }

    static HttpResponse<byte[]> jdk(HttpClient client, HttpRequest.Builder request) throws Exception {
        return Aio.toThread(() -> client.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    }

    HttpRequest.Builder jdkRequest(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)));
    }

    /** Whether {@code curl} is on the PATH (tests that use it are skipped without it). */
    static boolean hasCurl() {
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code curl -sS -i args...} on a platform thread; returns its exit code and output. */
    static Curl curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "30"));
        cmd.addAll(List.of(args));
        return Aio.toThread(() -> {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("curl did not finish: " + cmd);
            }
            return new Curl(p.exitValue(), out);
        });
    }

    record Curl(int exit, String output) {
        /** The body after the last head (curl -i prints a 100 Continue head too). */
        String body() {
            int at = output.lastIndexOf("\r\n\r\n");
            return at < 0 ? output : output.substring(at + 4);
        }
    }

    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } finally {
            runner.cleanup();
        }
    }
}
