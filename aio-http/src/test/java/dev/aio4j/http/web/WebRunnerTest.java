package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's tests/test_web_runner.py: {@link AppRunner} and its sites, with real
 * serving through each kind of site (TCP, TLS over TCP with a self-signed certificate, Unix
 * socket, a socket bound by the caller).
 *
 * <p>Not ported: the signal tests ({@code runner_setup_handle_signals}: aio4j's runner installs
 * no signal handlers, {@code runApp} does), {@code handler_args} and {@code access_log_class}
 * (no such options; {@link ServerConfig} holds the settings), named pipes (Windows).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebRunnerTest {

    private static Application hello() {
        Application app = new Application();
        app.router().addGet("/", r -> new Response().text("hello from " + r.scheme()));
        return app;
    }

    @Test
    void siteForNonfrozenApp() {
        Aio.run(() -> {
            AppRunner runner = new AppRunner(new Application());
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            // aiohttp refuses at construction; aio4j when the site starts
            IllegalStateException e = assertThrows(IllegalStateException.class, site::start);
            assertTrue(e.getMessage().contains("runner.setup()"), e.getMessage());
            assertEquals(0, runner.sites().size());
        });
    }

    @Test
    void siteDoubleAdded() throws Exception {
        Aio.run(() -> {
            ServerSocketChannel sock = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AppRunner runner = new AppRunner(new Application());
            runner.setup();
            try {
                SockSite site = new SockSite(runner, sock);
                site.start();
                assertThrows(IllegalStateException.class, site::start);
                assertEquals(1, runner.sites().size());
            } finally {
                runner.cleanup();
            }
        });
    }

    @Test
    void siteStopNotStarted() throws Exception {
        // aiohttp raises RuntimeError; aio4j's stop() of a site that never started does nothing
        Aio.run(() -> {
            AppRunner runner = new AppRunner(new Application());
            runner.setup();
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            site.stop();
            assertEquals(0, runner.sites().size());
            runner.cleanup();
        });
    }

    @Test
    void customLogFormat() {
        AppRunner runner = new AppRunner(new Application(), ServerConfig.defaults().accessLogFormat("abc"));
        assertEquals("abc", runner.config().accessLogFormat());
    }

    @Test
    void appProperty() {
        Application app = new Application();
        assertSame(app, new AppRunner(app).app());
    }

    @Test
    void nonApp() {
        assertThrows(NullPointerException.class, () -> new AppRunner(null));
    }

    @Test
    void addresses(@TempDir Path dir) throws Exception {
        Path unixPath = dir.resolve("web.sock");
        Aio.run(() -> {
            AppRunner runner = new AppRunner(hello());
            runner.setup();
            try {
                TCPSite tcp = new TCPSite(runner, "127.0.0.1", 0);
                tcp.start();
                ServerSocketChannel sock = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketAddress sockAddress = sock.getLocalAddress();
                SockSite sockSite = new SockSite(runner, sock);
                sockSite.start();
                UnixSite unix = new UnixSite(runner, unixPath);
                unix.start();
                List<SocketAddress> addrs = runner.addresses();
                assertEquals(3, addrs.size(), addrs.toString());
                assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.port()), addrs.get(0));
                assertEquals(sockAddress, addrs.get(1));
                assertEquals(unixPath, ((UnixDomainSocketAddress) addrs.get(2)).getPath());
                assertEquals(List.of(tcp, sockSite, unix), runner.sites());
            } finally {
                runner.cleanup();
            }
        });
    }

    @Test
    void tcpsiteDefaultHost() throws Exception {
        Aio.run(() -> {
            AppRunner runner = new AppRunner(new Application());
            runner.setup();
            TCPSite site = new TCPSite(runner, null, 8080);
            assertEquals("http://0.0.0.0:8080", site.name());
            runner.cleanup();
        });
    }

    @Test
    void tcpsiteEmptyStrHost() throws Exception {
        Aio.run(() -> {
            AppRunner runner = new AppRunner(new Application());
            runner.setup();
            TCPSite site = new TCPSite(runner, "", 8080);
            assertEquals(8080, site.port());
            assertEquals("http://0.0.0.0:8080", site.name());
            runner.cleanup();
        });
    }

    @Test
    void tcpsiteEphemeralPort() throws Exception {
        Aio.run(() -> {
            AppRunner runner = new AppRunner(hello());
            runner.setup();
            try {
                TCPSite site = new TCPSite(runner, null, 0);
                assertEquals(0, site.port());
                site.start();
                assertNotEquals(0, site.port());
                assertTrue(site.name().startsWith("http://0.0.0.0:"), site.name());
                try (ClientSession s = ClientSession.create(); ClientResponse r = s.get("http://127.0.0.1:" + site.port() + "/")) {
                    assertEquals("hello from http", r.text());
                }
                site.stop();
            } finally {
                runner.cleanup();
            }
        });
    }

    @Test
    void runAfterAsyncioRun() throws Exception {
        // aiohttp stops run_app with GracefulExit raised in a task; aio4j has no GracefulExit, so
        // the task cancels runApp's main task, the one signal-free way to stop it (see
        // GracefulShutdownTest)
        List<String> called = new CopyOnWriteArrayList<>();
        Aio.run(() -> {});
        Application app = new Application();
        app.onStartup().add(a -> {
            Task<?> main = Aio.currentTask();
            Aio.createTask(() -> {
                called.add("shutdown");
                main.cancel("stop runApp");
            });
        });
        app.onCleanup().add(a -> called.add("cleanup"));
        ServerConfig config = ServerConfig.defaults().host("127.0.0.1").port(0).handleSignals(false).print(s -> {});
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                Web.runApp(app, config);
                ended.complete(null);
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        Throwable outcome = ended.get(30, TimeUnit.SECONDS);
        t.join();
        assertTrue(outcome == null || outcome instanceof java.util.concurrent.CancellationException, String.valueOf(outcome));
        assertEquals(List.of("shutdown", "cleanup"), called);
    }

    @Test
    void setupTwiceAndSiteAfterCleanup() throws Exception { // aio4j-only: misuse says what to do
        Aio.run(() -> {
            AppRunner runner = new AppRunner(new Application());
            runner.setup();
            assertThrows(IllegalStateException.class, runner::setup);
            runner.cleanup();
            runner.cleanup(); // a second cleanup does nothing
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TCPSite(runner, "127.0.0.1", 0).start());
            assertTrue(e.getMessage().contains("cleaned up"), e.getMessage());
        });
    }

    // ------------------------------------------------------------------ serving on each site

    @Test
    void tlsTcpSiteServesHttps() throws Exception { // aio4j-only: TCPSite with an SSLContext, three clients
        Aio.run(() -> {
            try (WebFixture f = WebFixture.startTls(hello())) {
                assertTrue(f.site.name().startsWith("https://127.0.0.1:"), f.site.name());
                try (ClientResponse r = f.get("/")) {
                    assertEquals(200, r.status());
                    assertEquals("hello from https", r.text());
                }
                HttpClient jdk = HttpClient.newBuilder().sslContext(TestCertificates.client()).version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<byte[]> jr = WebFixture.jdk(jdk, HttpRequest.newBuilder(URI.create(f.url("/"))));
                assertEquals(200, jr.statusCode());
                assertEquals("hello from https", new String(jr.body(), StandardCharsets.UTF_8));
                if (WebFixture.hasCurl()) { // curl is optional: skipped silently without it
                    WebFixture.Curl c = WebFixture.curl("--cacert", TestCertificates.pem().toString(), "--http1.1",
                            "--resolve", "localhost:" + f.port() + ":127.0.0.1", f.url("/"));
                    assertEquals(0, c.exit(), c.output());
                    assertEquals("hello from https", c.body());
                }
            }
        });
    }

    @Test
    void tlsSiteRefusesPlainHttpClient() throws Exception { // aio4j-only: no answer in clear text
        Aio.run(() -> {
            try (WebFixture f = WebFixture.startTls(hello())) {
                String out = f.raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertFalse(out.contains("hello from"), out);
                // and the server goes on serving TLS
                try (ClientResponse r = f.get("/")) {
                    assertEquals("hello from https", r.text());
                }
            }
        });
    }

    @Test
    void unixSiteServes(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("web.sock");
        Aio.run(() -> {
            AppRunner runner = new AppRunner(hello());
            runner.setup();
            try {
                UnixSite site = new UnixSite(runner, path);
                site.start();
                assertEquals("http://unix:" + path + ":", site.name());
                String out = Aio.toThread(() -> {
                    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        ch.connect(UnixDomainSocketAddress.of(path));
                        ch.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                        ByteBuffer buf = ByteBuffer.allocate(4096);
                        StringBuilder sb = new StringBuilder();
                        while (ch.read(buf) >= 0) {
                            buf.flip();
                            sb.append(StandardCharsets.ISO_8859_1.decode(buf));
                            buf.clear();
                        }
                        return sb.toString();
                    }
                });
                assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
                assertTrue(out.endsWith("hello from http"), out);
                if (WebFixture.hasCurl()) {
                    WebFixture.Curl c = WebFixture.curl("--unix-socket", path.toString(), "http://localhost/");
                    assertEquals("hello from http", c.body());
                }
                site.stop();
            } finally {
                runner.cleanup();
            }
            assertFalse(Files.exists(path), "the socket file is removed at stop");
        });
    }

    @Test
    void sockSiteServes() throws Exception {
        Aio.run(() -> {
            ServerSocketChannel sock = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) sock.getLocalAddress()).getPort();
            AppRunner runner = new AppRunner(hello());
            runner.setup();
            try {
                SockSite site = new SockSite(runner, sock);
                site.start();
                assertTrue(site.name().startsWith("http://"), site.name());
                try (ClientSession s = ClientSession.create(); ClientResponse r = s.get("http://127.0.0.1:" + port + "/")) {
                    assertEquals("hello from http", r.text());
                }
            } finally {
                runner.cleanup();
            }
        });
    }

    @Test
    void siteStopClosesListenerButKeepsConnections() throws Exception { // aio4j-only: BaseSite.stop() contract
        Aio.run(() -> {
            AppRunner runner = new AppRunner(hello());
            runner.setup();
            try {
                TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
                site.start();
                String url = "http://127.0.0.1:" + site.port() + "/";
                try (ClientSession s = ClientSession.create()) {
                    try (ClientResponse r = s.get(url)) {
                        assertEquals("hello from http", r.text());
                    }
                    site.stop();
                    // the pooled keep-alive connection still works
                    try (ClientResponse r = s.get(url)) {
                        assertEquals("hello from http", r.text());
                    }
                    assertEquals(1, s.openConnections());
                }
                int port = site.port();
                AtomicReference<Throwable> refused = new AtomicReference<>();
                Aio.toThread(() -> {
                    try (java.net.Socket ignored = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                        refused.set(null);
                    } catch (java.io.IOException e) {
                        refused.set(e);
                    }
                });
                assertTrue(refused.get() instanceof java.net.ConnectException, String.valueOf(refused.get()));
            } finally {
                runner.cleanup();
            }
        });
    }

    @Test
    void cleanupWithoutLoopReuseOfAppFails() throws Exception { // aio4j-only: an application serves one runner setup
        Application app = hello();
        Aio.run(() -> {
            AppRunner runner = new AppRunner(app);
            runner.setup();
            runner.cleanup();
        });
        assertTrue(app.frozen());
        assertThrows(IllegalStateException.class, () -> app.router().addGet("/x", r -> new Response()));
    }
}
