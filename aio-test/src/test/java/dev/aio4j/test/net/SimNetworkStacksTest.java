package dev.aio4j.test.net;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

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

    @AioTest(timeout = 60)
    void tlsRunsOverASimulatedConnection() throws Exception {
        SimNetwork net = new SimNetwork(4);
        net.addHost("server");
        net.install(Aio.getRunningLoop());
        Server server = Streams.startServer(SimNetworkTest::echo, "server", 443, Tls.server());
        StreamPair c = Streams.openConnection("server", 443, Tls.client()); // verifies the name "server"
        c.writer().write("secret\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
        assertTrue(c.writer().getExtraInfo("ssl_object") != null, "a TLS transport");
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("send") && l.endsWith(" 7B")),
                "the plain text never crosses the network: " + net.trace());
        c.writer().close();
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
                w.startTls(Tls.server());
                SimNetworkTest.echo(r, w);
            } catch (Exception e) {
                w.close();
                throw new IllegalStateException(e);
            }
        }, "server", 25);
        StreamPair c = Streams.openConnection("server", 25);
        c.writer().write("STARTTLS\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("GO\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
        c.writer().startTls(Tls.client(), "server");
        assertTrue(c.writer().getExtraInfo("ssl_object") != null, "a TLS transport now");
        c.writer().write("secret\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
        assertTrue(net.trace().stream().noneMatch(l -> l.contains("send") && l.endsWith(" 7B")),
                "the secret never crosses the network in the clear: " + net.trace());
        c.writer().close();
        server.close();
        server.waitClosed();
    }

    /** A self-signed certificate for the simulated host "server", made once per JVM by keytool. */
    static final class Tls {
        private static SSLContext server;
        private static SSLContext client;

        static synchronized SSLContext server() throws Exception {
            make();
            return server;
        }

        static synchronized SSLContext client() throws Exception {
            make();
            return client;
        }

        private static void make() throws Exception {
            if (server != null) {
                return;
            }
            Path dir = Files.createTempDirectory("aio4j-simtls");
            Path file = dir.resolve("server.p12");
            Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(tool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=server", "-ext", "SAN=dns:server", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            file.toFile().deleteOnExit();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            SSLContext s = SSLContext.getInstance("TLS");
            s.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            server = s;
            client = c;
        }
    }
}
