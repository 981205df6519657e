package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS over SSLEngine: mirrors Lib/test/test_asyncio/test_ssl.py and test_sslproto.py, with the
 * JDK's SSLSocket and SSLServerSocket as peers. The keystore (a self-signed certificate for
 * localhost and 127.0.0.1) is made by the JDK's keytool when the class starts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    static SSLContext serverCtx;
    static SSLContext clientCtx;      // trusts the test certificate
    static SSLContext otherCtx;       // trusts a different certificate
    static final char[] PASS = "changeit".toCharArray();

    @BeforeAll
    static void makeKeystores() throws Exception {
        Path dir = Files.createTempDirectory("aio4j-tls");
        Path ks = keytool(dir, "test.p12", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        Path other = keytool(dir, "other.p12", "CN=other.example", "SAN=dns:other.example");
        serverCtx = context(ks, true);
        clientCtx = context(ks, false);
        otherCtx = context(other, false);
    }

    private static Path keytool(Path dir, String name, String dn, String san) throws Exception {
        Path file = dir.resolve(name);
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(tool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dn, "-ext", san, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        file.toFile().deleteOnExit();
        return file;
    }

    private static SSLContext context(Path keystore, boolean withKey) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASS);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (withKey) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASS);
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        } else {
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A JDK SSLServerSocket echo server for one connection. */
    private static Thread jdkTlsEcho(SSLServerSocket ss, AtomicReference<Throwable> error) {
        return Thread.ofPlatform().daemon(true).start(() -> {
            try (Socket s = ss.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                error.set(e);
            }
        });
    }

    @Test
    void clientToJdkTlsServerVerifiesTheHostname() throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5, Net.LOOPBACK)) {
            AtomicReference<Throwable> err = new AtomicReference<>();
            Thread t = jdkTlsEcho(ss, err);
            byte[] big = Net.payload(1 << 20, 9);
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection("localhost", ss.getLocalPort(), clientCtx);
                assertNotNull(rw.writer().getExtraInfo("sslcontext"));
                assertNotNull(rw.writer().getExtraInfo("cipher"));
                assertTrue(((Certificate[]) rw.writer().getExtraInfo("peercert")).length > 0);
                assertFalse(rw.writer().canWriteEof());
                assertThrows(UnsupportedOperationException.class, rw.writer()::writeEof);
                rw.writer().write(b("hello tls\n"));
                assertEquals("hello tls\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
                rw.writer().write(big);
                rw.writer().drain();
                assertArrayEquals(big, rw.reader().readexactly(big.length));
                rw.writer().close();
                rw.writer().waitClosed();
                return null;
            });
            t.join(10000);
        }
    }

    @Test
    void hostnameMismatchFailsTheHandshake() throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5, Net.LOOPBACK)) {
            AtomicReference<Throwable> err = new AtomicReference<>();
            Thread t = jdkTlsEcho(ss, err);
            String msg = Aio.run(() -> assertThrows(SSLException.class,
                    () -> Streams.openConnection("127.0.0.1", ss.getLocalPort(), clientCtx, "wrong.example", 65536)).getMessage());
            assertTrue(msg.contains("wrong.example") || msg.toLowerCase().contains("name"), msg);
            t.join(10000);
        }
    }

    @Test
    void untrustedCertificateFailsTheHandshake() throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5, Net.LOOPBACK)) {
            Thread t = jdkTlsEcho(ss, new AtomicReference<>());
            Aio.run(() -> {
                assertThrows(SSLException.class, () -> Streams.openConnection("localhost", ss.getLocalPort(), otherCtx));
                return null;
            });
            t.join(10000);
        }
    }

    @Test
    void serverWithJdkTlsClient() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                byte[] line;
                while ((line = r.readline()).length > 0) {
                    w.write(line);
                    w.drain();
                }
                w.close();
            }, Net.HOST, 0, serverCtx);
            String reply = Aio.toThread(() -> {
                try (SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost", srv.port())) {
                    var p = s.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    s.setSSLParameters(p);
                    s.getOutputStream().write(b("one\ntwo\n"));
                    s.getOutputStream().flush();
                    byte[] buf = new byte[8];
                    int got = 0;
                    while (got < 8) {
                        got += s.getInputStream().read(buf, got, 8 - got);
                    }
                    return new String(buf, StandardCharsets.US_ASCII);
                }
            });
            assertEquals("one\ntwo\n", reply);
            srv.close();
            srv.waitClosed(); // the JDK client's close_notify ended the connection
            return null;
        });
    }

    @Test
    void aio4jClientAndServer() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readexactly(5));
                w.close();
            }, Net.HOST, 0, serverCtx);
            StreamPair c = Streams.openConnection("localhost", srv.port(), clientCtx);
            c.writer().write(b("12345"));
            assertEquals("12345", new String(c.reader().read(-1), StandardCharsets.US_ASCII), "close_notify reads as EOF");
            c.writer().close();
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void startTlsUpgradesAPlainConnection() throws Exception {
        // A JDK server speaks plain text first, then layers TLS over the same socket.
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            AtomicReference<String> serverSaw = new AtomicReference<>();
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket plain = ss.accept()) {
                    InputStream in = plain.getInputStream();
                    byte[] hello = in.readNBytes(9); // "STARTTLS\n"
                    plain.getOutputStream().write(b("OK\n"));
                    SSLSocket tls = (SSLSocket) serverCtx.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
                    tls.setUseClientMode(false);
                    byte[] secret = tls.getInputStream().readNBytes(7);
                    serverSaw.set(new String(hello, StandardCharsets.US_ASCII) + new String(secret, StandardCharsets.US_ASCII));
                    tls.getOutputStream().write(b("secret back\n"));
                    tls.getOutputStream().flush();
                    tls.getInputStream().read(); // until our close_notify
                    tls.close();
                } catch (IOException e) {
                    serverSaw.set("error: " + e);
                }
            });
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection(Net.HOST, ss.getLocalPort());
                rw.writer().write(b("STARTTLS\n"));
                assertEquals("OK\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
                rw.writer().startTls(clientCtx, "localhost");
                assertNotNull(rw.writer().getExtraInfo("ssl_object"));
                rw.writer().write(b("secret\n"));
                assertEquals("secret back\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
                rw.writer().close();
                rw.writer().waitClosed();
                return null;
            });
            peer.join(10000);
            assertEquals("STARTTLS\nsecret\n", serverSaw.get());
        }
    }

    @Test
    void plainClientToTlsServerEndsCleanly() throws Exception {
        // A peer that does not speak TLS: the server's handshake fails; nothing hangs or leaks.
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> w.close(), Net.HOST, 0, serverCtx);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            c.writer().write(b("GET / HTTP/1.0\r\n\r\n"));
            try {
                c.reader().read(-1); // an alert, then EOF, or a reset
            } catch (IOException expected) {
                // fine
            }
            c.writer().close();
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void noFileDescriptorLeaks() throws Exception {
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, Net.HOST, 0, serverCtx);
            for (int i = 0; i < 5; i++) {
                StreamPair c = Streams.openConnection("localhost", srv.port(), clientCtx);
                c.writer().write(b("x\n"));
                assertEquals(2, c.reader().readline().length);
                c.writer().close();
                c.writer().waitClosed();
                assertThrows(SSLException.class, () -> Streams.openConnection("localhost", srv.port(), otherCtx));
            }
            srv.close();
            srv.waitClosed();
            return null;
        }));
    }
}
