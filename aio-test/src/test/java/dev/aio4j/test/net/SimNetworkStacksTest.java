package dev.aio4j.test.net;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.FileResponse;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.test.TestCertificates;
import dev.aio4j.test.AioTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What runs over {@link SimNetwork} unchanged because it is built on {@link Streams}: aio-http's
 * {@link ClientSession} against an aiohttp.web {@link Application} served by {@link AppRunner}
 * and {@link TCPSite}, and TLS (aio-streams's TLS layer wraps the simulated transport).
 * aio4j-only (issue 17).
 */
class SimNetworkStacksTest {

    @AioTest
    void clientSessionTalksToAWebApplicationOnTheSimulatedNetwork() throws Exception {
        SimNetwork net = new SimNetwork(3);
        net.addHost("api");
        net.setLatency(0.020, 0);
        EventLoop loop = Aio.getRunningLoop();
        net.install(loop);
        Application app = new Application();
        app.router().addGet("/hello", r -> new Response().text("Hello from " + r.host()));
        AppRunner runner = new AppRunner(app);
        runner.setup();
        new TCPSite(runner, "api", 8080).start();
        double t0 = loop.time();
        try (ClientSession session = ClientSession.builder().build();
             ClientResponse r = session.get("http://api:8080/hello")) {
            assertEquals(200, r.status());
            assertEquals("Hello from api:8080", r.text());
        }
        assertTrue(loop.time() - t0 >= 0.080, "a connect and a request: two round trips of 40 ms; took " + (loop.time() - t0));
        runner.cleanup();
        assertTrue(net.trace().stream().anyMatch(l -> l.contains("listen api:8080")), net.trace().toString());
        assertTrue(net.trace().stream().anyMatch(l -> l.contains("connect local:49152->api:8080")), net.trace().toString());
    }

    /**
     * A FileResponse over the simulated network: the simulated transport is no socket, so the
     * file goes in pieces, each read by a job of the loop's default executor (real threads); the
     * virtual clock does not move while such a job runs (the loop waits for it really), and the
     * link's bandwidth paces the body. The trace is not pinned: a job's result joins the loop's
     * ready queue when its thread is done, so it may come before or after other events of the
     * same virtual instant; {@link #aFileResponseIsSeedExactWithADirectDefaultExecutor} pins it.
     * aio4j-only (stop 33).
     */
    @AioTest(timeout = 60)
    void aFileResponseGoesInPiecesReadOffTheLoop() throws Exception {
        Path file = Files.createTempFile("aio4j-sim-file", ".bin");
        try {
            byte[] content = fileContent(file);
            SimNetwork net = new SimNetwork(7);
            double took = serveFileOnce(Aio.getRunningLoop(), net, file, content);
            assertTrue(took >= content.length / 1_000_000.0, "the link's bandwidth paces the body: " + took);
            assertTrue(took < 1, "the clock does not jump past an executor job's result to a later timer: " + took);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The loop's default executor set to one that runs each job at once on the calling thread
     * (the loop's): an executor job's result is queued where the job was asked for, so runs with
     * one seed give one trace (docs/testing.md). Fresh loops, same seed, same trace; and the
     * transfer takes what the default executor's run takes (0.39 virtual s: before stop 33's
     * review a job ending at the wrong moment let the clock jump 60 s). aio4j-only (stop 33).
     */
    @Test
    void aFileResponseIsSeedExactWithADirectDefaultExecutor() throws Exception {
        Path file = Files.createTempFile("aio4j-sim-file", ".bin");
        try {
            byte[] content = fileContent(file);
            Set<String> hashes = new HashSet<>();
            Set<Double> tooks = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                EventLoop loop = EventLoop.create(VirtualClock.autoJump());
                SimNetwork net = new SimNetwork(7);
                DirectExecutor direct = new DirectExecutor();
                try {
                    tooks.add(loop.runUntilComplete(() -> {
                        loop.setDefaultExecutor(direct);
                        return serveFileOnce(loop, net, file, content);
                    }));
                } finally {
                    loop.close();
                }
                assertTrue(direct.jobs > 5, "the pieces were read by the executor's jobs: " + direct.jobs);
                hashes.add(net.traceHash());
            }
            assertEquals(1, hashes.size(), hashes.toString());
            assertEquals(1, tooks.size(), tooks.toString());
            double took = tooks.iterator().next();
            assertTrue(took >= content.length / 1_000_000.0 && took < 1, "took " + took);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static byte[] fileContent(Path file) throws java.io.IOException {
        byte[] content = new byte[5 * 64 * 1024 - 100];
        new java.util.Random(1).nextBytes(content);
        Files.write(file, content);
        return content;
    }

    /** Serves {@code file} in pieces of 64 KiB over a 1 MB/s link and GETs it once; the virtual seconds the GET took. */
    private static double serveFileOnce(EventLoop loop, SimNetwork net, Path file, byte[] content) throws Exception {
        net.addHost("files");
        net.install(loop);
        net.setLatency(0.010, 0);
        net.setBandwidth(SimNetwork.LOCAL, "files", 1_000_000);
        Application app = new Application();
        app.router().addGet("/f", r -> new FileResponse(file, 64 * 1024));
        AppRunner runner = new AppRunner(app);
        runner.setup();
        new TCPSite(runner, "files", 8080).start();
        double t0 = loop.time();
        try (ClientSession session = ClientSession.builder().build();
             ClientResponse r = session.get("http://files:8080/f")) {
            assertEquals(200, r.status());
            assertArrayEquals(content, r.bytes());
        }
        double took = loop.time() - t0;
        runner.cleanup();
        return took;
    }

    /** Runs each job at once on the thread that submits it, as docs/testing.md shows; loop thread only. */
    private static final class DirectExecutor extends AbstractExecutorService {
        private boolean shutdown;
        int jobs;

        @Override
        public void execute(Runnable command) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            jobs++;
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }

    @AioTest(timeout = 60)
    void tlsRunsOverASimulatedConnection() throws Exception {
        SimNetwork net = new SimNetwork(4);
        net.addHost("server");
        net.install(Aio.getRunningLoop());
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 443, tls().server());
        StreamPair c = Streams.openConnection("server", 443, tls().client()); // verifies the name "server"
        c.writer().write("secret\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
        assertTrue(c.writer().getExtraInfo("ssl_object") != null, "a TLS transport");
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("send") && l.endsWith(" 7B")),
                "the plain text never crosses the network: " + net.trace());
        c.writer().close();
        c.writer().waitClosed(); // a TLS close waits for the server's close_notify, a round trip (asyncio's SHUTDOWN)
        server.close();
        server.waitClosed();
    }

    /** STARTTLS: a plain connection upgraded in place, as SMTP and IMAP do, on a simulated connection. */
    @AioTest(timeout = 60, network = "server")
    void startTlsUpgradesASimulatedConnection(SimNetwork net) throws Exception {
        Server server = Streams.startServer((r, w) -> {
            try {
                assertEquals("STARTTLS\n", new String(r.readline(), StandardCharsets.UTF_8));
                w.write("GO\n".getBytes(StandardCharsets.UTF_8));
                w.drain();
                w.startTls(tls().server());
                SimNetworkTest.echo(r, w);
            } catch (Exception e) {
                w.close();
                throw new IllegalStateException(e);
            }
        }, "server", 25);
        StreamPair c = Streams.openConnection("server", 25);
        c.writer().write("STARTTLS\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("GO\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
        c.writer().startTls(tls().client(), "server");
        assertTrue(c.writer().getExtraInfo("ssl_object") != null, "a TLS transport now");
        c.writer().write("secret\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("send") && l.endsWith(" 7B")),
                "the secret never crosses the network in the clear: " + net.trace());
        c.writer().close();
        c.writer().waitClosed(); // a TLS close waits for the server's close_notify, a round trip (asyncio's SHUTDOWN)
        server.close();
        server.waitClosed();
    }

    /**
     * A TLS connection left open on the simulated network is named once per end, by its TLS
     * transport, as on real sockets (docs/testing.md: "for TLS the application's transport, not
     * the socket under it"); the simulated socket under each was named too.
     */
    @org.junit.jupiter.api.Test
    void aTlsConnectionLeftOpenIsNamedOncePerEnd() throws Exception {
        TestCertificates.Pair tls = tls();
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> dev.aio4j.test.Schedules.run(dev.aio4j.loop.Schedule.fifo(), () -> {
                    SimNetwork net = new SimNetwork(1);
                    net.addHost("server");
                    net.install(Aio.getRunningLoop());
                    Server server = Streams.createServer(() -> new dev.aio4j.streams.Protocol() {}, "server", 443, tls.server());
                    Streams.createConnection(() -> new dev.aio4j.streams.Protocol() {}, "server", 443, tls.client());
                    Aio.sleep(1);
                    server.close();
                    return null;
                }));
        assertTrue(e.getMessage().contains("2 transport(s) or server(s) still open"), e.getMessage());
        assertTrue(e.getMessage().contains("returned: [SslTransport["), e.getMessage());
    }

    /** A self-signed certificate for the simulated host "server", made once per JVM by keytool. */
    private static TestCertificates.Pair tls() throws Exception {
        return TestCertificates.forHost("server");
    }
}
