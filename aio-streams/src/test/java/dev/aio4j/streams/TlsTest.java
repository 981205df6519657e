package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
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
import java.time.Duration;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS over SSLEngine: mirrors Lib/test/test_asyncio/test_ssl.py and test_sslproto.py, with the
 * JDK's SSLSocket and SSLServerSocket as peers. The keystore (a self-signed certificate for
 * localhost and 127.0.0.1) is made by the JDK's keytool when the class starts ({@link TestCertificates}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    static SSLContext serverCtx;
    static SSLContext clientCtx;      // trusts the test certificate
    static SSLContext otherCtx;       // trusts a different certificate

    @BeforeAll
    static void makeKeystores() throws Exception {
        serverCtx = TestCertificates.server();
        clientCtx = TestCertificates.client();
        otherCtx = TestCertificates.other();
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

    /** Closes {@code srv} and waits, for at most 5 s of loop time, until its connections end. */
    private static void closeAndWait(Server srv) {
        srv.close();
        Aio.waitFor(() -> {
            srv.waitClosed();
            return null;
        }, 5.0);
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
            String msg = Aio.run(() -> {
                Aio.getRunningLoop().setDebug(true); // the failure is logged at DEBUG too
                return assertThrows(SSLException.class,
                        () -> Streams.openConnection("127.0.0.1", ss.getLocalPort(), clientCtx, "wrong.example", 65536)).getMessage();
            });
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
    void aCloseStillWaitingForThePeerWhenTheLoopClosesClosesItsSocket() throws Exception {
        // The close waits in SHUTDOWN for a close_notify this peer never sends (it never reads);
        // Aio.run ends meanwhile and no callback can run any more. The socket is closed as the
        // loop closes, not left open for good (asyncio's transport closes it when collected, with
        // a ResourceWarning). aio4j-only.
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5, Net.LOOPBACK)) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    done.await(); // never reads, never answers
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            java.nio.channels.SocketChannel[] channel = new java.nio.channels.SocketChannel[1];
            String state = Aio.run(() -> {
                dev.aio4j.loop.internal.OpenResources.track(Aio.getRunningLoop());
                try {
                    StreamPair c = Streams.openConnection("localhost", ss.getLocalPort(), clientCtx);
                    channel[0] = (java.nio.channels.SocketChannel) c.writer().transport().getExtraInfo("socket", null);
                    c.writer().close();
                    // The leak check counts a closing transport as closed (asyncio's
                    // _SSLProtocolTransport warns only if close() was never called): the socket
                    // still open under it is the loop close hook's, below.
                    assertEquals(List.of(), dev.aio4j.loop.internal.OpenResources.stillOpen(Aio.getRunningLoop()));
                    return c.writer().transport().toString();
                } finally {
                    dev.aio4j.loop.internal.OpenResources.untrack(Aio.getRunningLoop());
                }
            });
            done.countDown();
            peer.join();
            assertTrue(state.startsWith("SslTransport[SHUTDOWN"), state);
            assertFalse(channel[0].isOpen(), "closed as the loop closed");
        }
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

    // ------------------------------------------------------------------ handshake failures

    /** A plain loopback server whose accepted sockets say nothing and stay open until closed. */
    private static final class SilentPeer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 5, Net.LOOPBACK);
        final java.util.List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Thread thread = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });

        SilentPeer() throws IOException {
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
            thread.join(5000);
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void clientHandshakeTimesOut() throws Exception {
        // test_ssl.py test_handshake_timeout, on the virtual clock: a server that never answers.
        try (SilentPeer peer = new SilentPeer()) {
            Loops.runVirtual(() -> {
                double t0 = Loops.now();
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                        () -> Streams.openConnection(Net.HOST, peer.server.getLocalPort(), clientCtx, "localhost", 65536));
                assertEquals("TLS handshake timed out after 60.0 s", e.getMessage());
                assertEquals(60.0, Loops.now() - t0, 1.0);
                return null;
            });
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void sslHandshakeTimeout() throws Exception {
        // test_ssl.py test_ssl_handshake_timeout (bpo-29970) and test_sslproto.py
        // test_handshake_timeout: create_connection(..., ssl_handshake_timeout=) against a server
        // that never answers gives up after that many seconds, not the default 60.
        try (SilentPeer peer = new SilentPeer()) {
            Loops.runVirtual(() -> {
                double t0 = Loops.now();
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                        () -> Streams.createConnection(RecordingProtocol::new, Net.HOST, peer.server.getLocalPort(),
                                ConnectOptions.defaults().ssl(clientCtx).serverHostname("").sslHandshakeTimeout(10.0)));
                assertEquals("TLS handshake timed out after 10.0 s", e.getMessage());
                assertEquals(10.0, Loops.now() - t0, 0.5);
                t0 = Loops.now();
                e = assertThrows(SSLHandshakeException.class, () -> Streams.openConnection(Net.HOST, peer.server.getLocalPort(),
                        ConnectOptions.defaults().ssl(clientCtx).serverHostname("localhost")
                                .sslHandshakeTimeout(java.time.Duration.ofMillis(2500))));
                assertEquals("TLS handshake timed out after 2.5 s", e.getMessage());
                assertEquals(2.5, Loops.now() - t0, 0.5);
                return null;
            });
            Net.eventually(() -> peer.accepted.size() == 2, "both connections reached the peer");
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void anInfiniteHandshakeTimeoutIsNoLimit() throws Exception {
        // asyncio takes ssl_handshake_timeout=float('inf') (its timer never fires): a handshake
        // with a silent server is still waiting after an hour of virtual time
        try (SilentPeer peer = new SilentPeer()) {
            Loops.runVirtual(() -> {
                dev.aio4j.loop.Task<StreamPair> connecting = Aio.createTask(() -> Streams.openConnection(Net.HOST,
                        peer.server.getLocalPort(), ConnectOptions.defaults().ssl(clientCtx).serverHostname("localhost")
                                .sslHandshakeTimeout(Double.POSITIVE_INFINITY).sslShutdownTimeout(Double.POSITIVE_INFINITY)));
                Aio.sleep(3600);
                assertFalse(connecting.done(), "no limit: still waiting for the peer: " + connecting);
                connecting.cancel();
                assertThrows(dev.aio4j.loop.CancelledError.class, connecting::await);
                return null;
            });
        }
    }

    @Test
    void serverSslHandshakeTimeoutComesFromServerOptions() throws Exception {
        // start_server(..., ssl_handshake_timeout=5): a plain client that says nothing is dropped
        // after 5 s, not the default 60.
        List<String> handled = new java.util.ArrayList<>();
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Loops.runVirtual(handler, () -> {
            Server srv = Streams.startServer((r, w) -> handled.add("handler"), Net.HOST, 0,
                    ServerOptions.defaults().ssl(serverCtx).sslHandshakeTimeout(5));
            double t0 = Loops.now();
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            try {
                c.reader().read(-1); // at most an alert, then end of stream
            } catch (IOException reset) {
                // also an end
            }
            assertEquals(5.0, Loops.now() - t0, 0.5);
            c.writer().close();
            closeAndWait(srv);
            return null;
        });
        assertEquals(List.of(), handled, "the handler runs only after a handshake");
        handler.assertNothingReported();
    }

    @Test
    void startTlsHandshakeTimeout() throws Exception {
        // loop.start_tls(..., ssl_handshake_timeout=) and StreamWriter.start_tls(...,
        // ssl_handshake_timeout=) (3.11): the upgrade gives up after that many seconds when the
        // peer never answers the client hello; the connection is aborted.
        Loops.runVirtual(() -> {
            Server srv = Streams.startServer((r, w) -> { // plain: reads to the end, never answers
                try {
                    r.read(-1);
                } catch (IOException reset) {
                    // the client aborted
                } finally {
                    w.close();
                }
            }, Net.HOST, 0);
            StreamPair rw = Streams.openConnection(Net.HOST, srv.port());
            double t0 = Loops.now();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> rw.writer().startTls(clientCtx, "localhost", 3, 30));
            assertEquals("TLS handshake timed out after 3.0 s", e.getMessage());
            assertEquals(3.0, Loops.now() - t0, 0.5);
            assertTrue(rw.writer().isClosing(), "aborted");
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, srv.port());
            t0 = Loops.now();
            e = assertThrows(SSLHandshakeException.class,
                    () -> Streams.startTls(tp.transport(), tp.protocol(), clientCtx, false, "localhost", 1.5,
                            Streams.SSL_SHUTDOWN_TIMEOUT));
            assertEquals("TLS handshake timed out after 1.5 s", e.getMessage());
            assertEquals(1.5, Loops.now() - t0, 0.5);
            assertTrue(tp.transport().isClosing(), "aborted");
            closeAndWait(srv);
            return null;
        });
    }

    @Test
    void startTlsTimeoutsTakeDurations() throws Exception {
        // aio4j-only: startTls(..., ssl_handshake_timeout=, ssl_shutdown_timeout=) with Durations
        // times out as startTlsHandshakeTimeout does with seconds, and refuses what that refuses.
        Loops.runVirtual(() -> {
            Server srv = Streams.startServer((r, w) -> { // plain: reads to the end, never answers
                try {
                    r.read(-1);
                } catch (IOException reset) {
                    // the client aborted
                } finally {
                    w.close();
                }
            }, Net.HOST, 0);
            StreamPair rw = Streams.openConnection(Net.HOST, srv.port());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> rw.writer().startTls(clientCtx, "localhost", Duration.ofSeconds(-3), Duration.ofSeconds(30)));
            assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got -3.0", bad.getMessage());
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> rw.writer().startTls(clientCtx, "localhost", Duration.ofSeconds(3), null));
            assertEquals("sslShutdownTimeout must not be null", npe.getMessage());
            assertFalse(rw.writer().isClosing(), "a refused timeout changes nothing");
            double t0 = Loops.now();
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> rw.writer().startTls(clientCtx, "localhost", Duration.ofSeconds(3), Duration.ofSeconds(30)));
            assertEquals("TLS handshake timed out after 3.0 s", e.getMessage());
            assertEquals(3.0, Loops.now() - t0, 0.5);
            assertTrue(rw.writer().isClosing(), "aborted");

            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, srv.port());
            bad = assertThrows(IllegalArgumentException.class, () -> Streams.startTls(tp.transport(), tp.protocol(), clientCtx,
                    false, "localhost", Duration.ofSeconds(60), Duration.ZERO));
            assertEquals("sslShutdownTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", bad.getMessage());
            npe = assertThrows(NullPointerException.class, () -> Streams.startTls(tp.transport(), tp.protocol(), clientCtx,
                    false, "localhost", null, Duration.ofSeconds(30)));
            assertEquals("sslHandshakeTimeout must not be null", npe.getMessage());
            assertFalse(tp.transport().isClosing(), "a refused timeout changes nothing");
            t0 = Loops.now();
            e = assertThrows(SSLHandshakeException.class, () -> Streams.startTls(tp.transport(), tp.protocol(), clientCtx,
                    false, "localhost", Duration.ofMillis(1500), Duration.ofSeconds(30)));
            assertEquals("TLS handshake timed out after 1.5 s", e.getMessage());
            assertEquals(1.5, Loops.now() - t0, 0.5);
            assertTrue(tp.transport().isClosing(), "aborted");
            closeAndWait(srv);
            return null;
        });
    }

    @Test
    void connectAcceptedSocketSslHandshakeTimeout() throws Exception {
        // loop.connect_accepted_socket(..., ssl=, ssl_handshake_timeout=): the server-side
        // handshake of a socket accepted elsewhere gives up after that many seconds.
        try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()) {
            listener.bind(new java.net.InetSocketAddress(Net.LOOPBACK, 0));
            try (java.nio.channels.SocketChannel silentClient = java.nio.channels.SocketChannel.open(listener.getLocalAddress())) {
                java.nio.channels.SocketChannel accepted = listener.accept();
                Loops.runVirtual(() -> {
                    double t0 = Loops.now();
                    SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                            () -> Streams.connectAcceptedSocket(RecordingProtocol::new, accepted,
                                    ServerOptions.defaults().ssl(serverCtx).sslHandshakeTimeout(7)));
                    assertEquals("TLS handshake timed out after 7.0 s", e.getMessage());
                    assertEquals(7.0, Loops.now() - t0, 0.5);
                    return null;
                });
                assertFalse(accepted.isOpen(), "a failed handshake closes the socket");
            }
        }
    }

    @Test
    void tlsOverUnixSocketsWithOptions() throws Exception {
        // create_unix_server(..., ssl=, ssl_handshake_timeout=) and open_unix_connection(path,
        // ssl=, server_hostname=, ssl_handshake_timeout=, ssl_shutdown_timeout=): TLS over a Unix
        // domain socket, through the options.
        Path dir = Files.createTempDirectory("aio4j-tls-unix");
        Path path = dir.resolve("tls.sock");
        try {
            Aio.run(() -> {
                Server srv = Streams.startUnixServer((r, w) -> {
                    w.write(r.readline());
                    w.close();
                }, path, ServerOptions.defaults().ssl(serverCtx).sslHandshakeTimeout(5).limit(1024));
                StreamPair rw = Streams.openUnixConnection(path, ConnectOptions.defaults().ssl(clientCtx)
                        .serverHostname("localhost").sslHandshakeTimeout(5).sslShutdownTimeout(5));
                assertNotNull(rw.writer().getExtraInfo("cipher"));
                rw.writer().write(b("over tls\n"));
                assertEquals("over tls\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
                rw.writer().close();
                closeAndWait(srv);
                return null;
            });
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void serverHandshakeTimesOutAndClosesOnlyThatConnection() throws Exception {
        // A plain client that connects to a TLS server and says nothing is dropped after 60 s.
        List<String> handled = new java.util.ArrayList<>();
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Loops.runVirtual(handler, () -> {
            Server srv = Streams.startServer((r, w) -> handled.add("handler"), Net.HOST, 0, serverCtx);
            double t0 = Loops.now();
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            try {
                c.reader().read(-1); // at most an alert, then end of stream
            } catch (IOException reset) {
                // also an end
            }
            assertEquals(60.0, Loops.now() - t0, 1.0);
            c.writer().close();
            closeAndWait(srv);
            return null;
        });
        assertEquals(List.of(), handled, "the handler runs only after a handshake");
        handler.assertNothingReported();
    }

    @Test
    void cancellingTheConnectDuringTheHandshakeAbortsTheConnection() throws Exception {
        try (SilentPeer peer = new SilentPeer()) {
            Aio.run(() -> {
                Task<StreamPair> connect = Aio.createTask(
                        () -> Streams.openConnection(Net.HOST, peer.server.getLocalPort(), clientCtx, "localhost", 65536));
                while (peer.accepted.isEmpty()) {
                    Aio.sleep(0.005);
                }
                Aio.sleep(0.02);
                assertFalse(connect.done(), "the silent peer holds the handshake");
                connect.cancel();
                assertThrows(CancelledError.class, connect::await);
                Socket s = peer.accepted.get(0);
                int end = Aio.toThread(() -> {
                    s.setSoTimeout(5000);
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = s.getInputStream().read(buf)) > 0) {
                        // our ClientHello
                    }
                    return n;
                });
                assertEquals(-1, end, "the cancelled connect closed its socket");
                return null;
            });
        }
    }

    @Test
    void peerClosesDuringTheHandshake() throws Exception {
        // test_sslproto.py test_eof_received_waiter: the peer reads our ClientHello and closes.
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = ss.accept()) {
                    s.getInputStream().read(new byte[16384]);
                    s.shutdownOutput(); // FIN, no alert
                    s.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // the test checks the client's side
                }
            });
            Aio.run(() -> {
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                        () -> Streams.openConnection("localhost", ss.getLocalPort(), clientCtx));
                assertEquals("the peer closed the connection during the TLS handshake", e.getMessage());
                return null;
            });
            peer.join(10000);
        }
    }

    @Test
    void peerResettingDuringTheHandshakeFailsTheConnectWithTheReset() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket s = ss.accept()) {
                    s.getInputStream().read(new byte[16384]);
                    s.setSoLinger(true, 0); // RST
                } catch (IOException ignored) {
                    // the test checks the client's side
                }
            });
            Aio.run(() -> {
                IOException e = assertThrows(IOException.class,
                        () -> Streams.openConnection(Net.HOST, ss.getLocalPort(), clientCtx, "localhost", 65536));
                assertTrue(e instanceof java.net.SocketException && e.getMessage().toLowerCase().contains("reset"), e.toString());
                return null;
            });
            peer.join(10000);
        }
    }

    @Test
    void plainClientClosingAtOnceEndsTheServerConnection() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        List<String> handled = new java.util.ArrayList<>();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            Server srv = Streams.startServer((r, w) -> handled.add("handler"), Net.HOST, 0, serverCtx);
            int port = srv.port();
            Aio.toThread(() -> {
                new Socket(Net.LOOPBACK, port).close();
                return null;
            });
            closeAndWait(srv); // the connection ended although its handshake never did
            return null;
        });
        assertEquals(List.of(), handled);
        handler.assertNothingReported();
    }

    // ------------------------------------------------------------------ closing

    @Test
    void peerClosingWithoutCloseNotifyReadsAsEndOfStream() throws Exception {
        // sslproto treats a missing close_notify as end of stream, as aio4j does.
        try (ServerSocket ss = new ServerSocket(0, 5, Net.LOOPBACK)) {
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (Socket plain = ss.accept()) {
                    SSLSocket tls = (SSLSocket) serverCtx.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    tls.getOutputStream().write(b("last words"));
                    tls.getOutputStream().flush();
                    plain.shutdownOutput(); // a FIN without close_notify
                    plain.getInputStream().readAllBytes(); // until our side closes
                } catch (IOException ignored) {
                    // the test checks the client's side
                }
            });
            Aio.run(() -> {
                StreamPair rw = Streams.openConnection("localhost", ss.getLocalPort(), clientCtx);
                assertEquals("last words", new String(rw.reader().read(-1), StandardCharsets.US_ASCII));
                assertTrue(rw.reader().atEof());
                assertTrue(rw.writer().isClosing(), "the TLS transport closes itself after the end of stream");
                Aio.waitFor(() -> {
                    rw.writer().waitClosed();
                    return null;
                }, 5.0);
                return null;
            });
            peer.join(10000);
        }
    }

    @Test
    void writesAfterCloseAreDroppedAndTheTransportShowsItsState() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readexactly(3));
                r.read(-1);
                w.close();
            }, Net.HOST, 0, serverCtx);
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, "localhost", srv.port(),
                    clientCtx);
            Transport t = tp.transport();
            assertTrue(t.toString().startsWith("SslTransport[WRAPPED, TLSv1."), t.toString());
            assertTrue(t.isReading());
            assertSame(tp.protocol(), t.getProtocol());
            assertTrue(t.getExtraInfo("ssl_object") instanceof javax.net.ssl.SSLEngine);
            assertEquals(t.getExtraInfo("peername"), new java.net.InetSocketAddress(Net.LOOPBACK, srv.port()));
            assertEquals("dflt", t.getExtraInfo("nonsense", "dflt"));
            t.write(new byte[0]);
            t.write(b("abc"));
            tp.protocol().awaitBytes(3);
            assertEquals("abc", tp.protocol().received.toString(StandardCharsets.US_ASCII));
            t.close();
            assertTrue(t.isClosing());
            assertTrue(t.toString().startsWith("SslTransport[SHUTDOWN, TLSv1."), t.toString());
            for (int i = 0; i < 6; i++) {
                t.write(b("dropped")); // dropped (a WARNING from the fifth on), never thrown
            }
            t.close(); // idempotent
            assertNull(tp.protocol().lost.await());
            assertEquals(List.of("made", "data", "eof", "lost"), tp.protocol().events,
                    "the server's close_notify, answering ours, completed the shutdown (asyncio calls eof_received then)");
            assertTrue(t.toString().startsWith("SslTransport[CLOSED, TLSv1."), t.toString());
            closeAndWait(srv);
            return null;
        });
    }

    @Test
    void abortEndsATlsConnectionAtOnce() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                r.read(-1);
                w.close();
            }, Net.HOST, 0, serverCtx);
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, "localhost", srv.port(),
                    clientCtx);
            tp.transport().abort();
            assertTrue(tp.transport().isClosing());
            tp.transport().write(b("dropped"));
            assertNull(Aio.waitFor(tp.protocol().lost, 5.0));
            assertEquals(List.of("made", "lost"), tp.protocol().events);
            closeAndWait(srv); // the server saw the end without close_notify and closed too
            return null;
        });
    }

    // ------------------------------------------------------------------ flow control

    @Test
    void pauseAndResumeWritingUnderTls() throws Exception {
        // test_sslproto.py's flow-control tests: the socket transport's watermarks pause the app.
        byte[] big = Net.payload(4 << 20, 3);
        try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5, Net.LOOPBACK)) {
            java.util.concurrent.CountDownLatch startReading = new java.util.concurrent.CountDownLatch(1);
            AtomicReference<byte[]> got = new AtomicReference<>();
            Thread peer = Thread.ofPlatform().daemon(true).start(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    startReading.await(10, TimeUnit.SECONDS);
                    got.set(s.getInputStream().readNBytes(big.length));
                } catch (IOException | InterruptedException ignored) {
                    // checked below
                }
            });
            Aio.run(() -> {
                TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, "localhost",
                        ss.getLocalPort(), clientCtx);
                Transport t = tp.transport();
                t.setWriteBufferLimits(64 * 1024, 16 * 1024);
                assertEquals(new Transport.WriteBufferLimits(16 * 1024, 64 * 1024), t.getWriteBufferLimits());
                t.write(big);
                assertTrue(t.getWriteBufferSize() > 64 * 1024, "4 MiB of records cannot all fit in the socket buffers");
                assertEquals(List.of("made", "pause"), tp.protocol().events);
                startReading.countDown();
                while (tp.protocol().resumes == 0) {
                    Aio.sleep(0.01);
                }
                assertEquals(List.of("made", "pause", "resume"), tp.protocol().events);
                assertTrue(t.getWriteBufferSize() <= 16 * 1024);
                t.pauseReading();
                assertFalse(t.isReading());
                t.resumeReading();
                assertTrue(t.isReading());
                t.close();
                assertNull(Aio.waitFor(tp.protocol().lost, 10.0));
                return null;
            });
            peer.join(20000);
            assertArrayEquals(big, got.get(), "everything written under pause arrived");
        }
    }

    // ------------------------------------------------------------------ protocol failures

    @Test
    void appProtocolFailingInDataReceivedAbortsTheTlsConnection() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        IllegalStateException boom = new IllegalStateException("boom");
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            Server srv = Streams.startServer((r, w) -> {
                w.write(b("hello"));
                r.read(-1);
                w.close();
            }, Net.HOST, 0, serverCtx);
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(() -> new RecordingProtocol() {
                @Override
                public void dataReceived(byte[] data) {
                    super.dataReceived(data);
                    throw boom;
                }
            }, "localhost", srv.port(), clientCtx);
            assertSame(boom, Aio.waitFor(tp.protocol().lost, 5.0), "connectionLost gets the callback's error");
            closeAndWait(srv);
            return null;
        });
        assertEquals(1, handler.contexts().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Fatal error in the TLS layer or its protocol: SocketTransport["),
                handler.messages().get(0));
        assertSame(boom, handler.contexts().get(0).exception());
    }

    @Test
    void appProtocolFailingInConnectionMadeFailsCreateConnection() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        IllegalStateException boom = new IllegalStateException("connectionMade failed");
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            Server srv = Streams.startServer((r, w) -> {
                r.read(-1);
                w.close();
            }, Net.HOST, 0, serverCtx);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Streams.createConnection(() -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    throw boom;
                }
            }, "localhost", srv.port(), clientCtx));
            assertSame(boom, e);
            closeAndWait(srv);
            return null;
        });
        assertEquals(1, handler.contexts().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Fatal error: protocol.connectionMade() call failed."),
                handler.messages().get(0));
    }

    // ------------------------------------------------------------------ startTls

    @Test
    void serverSideStartTlsWithAJdkClient() throws Exception {
        // test_ssl.py test_start_tls_server_1: a plain server handler upgrades its connection.
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                assertEquals("STARTTLS\n", new String(r.readline(), StandardCharsets.US_ASCII));
                w.write(b("GO\n"));
                w.startTls(serverCtx); // the name is ignored on a server connection
                assertNotNull(w.getExtraInfo("cipher"));
                assertNull(w.getExtraInfo("peercert"), "the client sent no certificate");
                assertEquals("absent", w.getExtraInfo("peercert", "absent"));
                w.write(r.readline());
                w.close();
            }, Net.HOST, 0);
            int port = srv.port();
            String echoed = Aio.toThread(() -> {
                try (Socket plain = new Socket(Net.LOOPBACK, port)) {
                    plain.getOutputStream().write(b("STARTTLS\n"));
                    byte[] go = plain.getInputStream().readNBytes(3);
                    assertEquals("GO\n", new String(go, StandardCharsets.US_ASCII));
                    SSLSocket tls = (SSLSocket) clientCtx.getSocketFactory().createSocket(plain, "localhost", port, true);
                    tls.getOutputStream().write(b("secret\n"));
                    tls.getOutputStream().flush();
                    return new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            assertEquals("secret\n", echoed);
            closeAndWait(srv);
            return null;
        });
    }

    @Test
    void startTlsVerifiesTheConnectedAddressByDefault() throws Exception {
        // serverHostname null: the peer's address string (127.0.0.1, in the certificate's SAN).
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.startTls(serverCtx);
                w.write(r.readline());
                w.close();
            }, Net.HOST, 0);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            c.writer().startTls(clientCtx);
            assertTrue(c.writer().toString().startsWith("StreamWriter[transport=SslTransport[WRAPPED, TLSv1."), c.writer().toString());
            c.writer().write(b("over tls\n"));
            assertEquals("over tls\n", new String(c.reader().readline(), StandardCharsets.US_ASCII));
            c.writer().close();
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void startTlsHandshakeFailureAbortsTheConnection() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                try {
                    w.startTls(serverCtx);
                } catch (SSLException expected) {
                    // the client refused our certificate
                }
            }, Net.HOST, 0);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            assertThrows(SSLException.class, () -> c.writer().startTls(otherCtx, "localhost"));
            assertTrue(c.writer().isClosing(), "a failed upgrade aborts the connection");
            closeAndWait(srv);
            return null;
        });
    }

    @Test
    void startTlsRefusesWhatItCannotUpgrade() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                r.read(-1);
                w.close();
            }, Net.HOST, 0, serverCtx);
            TransportAndProtocol<RecordingProtocol> tls = Streams.createConnection(RecordingProtocol::new, "localhost", srv.port(),
                    clientCtx);
            IllegalArgumentException notPlain = assertThrows(IllegalArgumentException.class,
                    () -> Streams.startTls(tls.transport(), tls.protocol(), clientCtx, false, "localhost"));
            assertTrue(notPlain.getMessage().startsWith("startTls() needs a plain socket transport made by aio-streams, got SslTransport["),
                    notPlain.getMessage());
            tls.transport().close();
            Server plain = Streams.createServer(RecordingProtocol::new, Net.HOST, 0);
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, plain.port());
            tp.transport().close();
            IllegalStateException closing = assertThrows(IllegalStateException.class,
                    () -> Streams.startTls(tp.transport(), tp.protocol(), clientCtx, false, "localhost"));
            assertTrue(closing.getMessage().startsWith("startTls() on a closing transport: SocketTransport["), closing.getMessage());
            assertThrows(NullPointerException.class, () -> Streams.startTls(tp.transport(), tp.protocol(), null, false, null));
            plain.close();
            srv.close();
            return null;
        });
    }

    @Test
    void tlsOverAUnixSocketNeedsAServerHostname() throws Exception {
        Aio.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Streams.createUnixConnection(
                    RecordingProtocol::new, Path.of("/nonexistent.sock"), ConnectOptions.defaults().ssl(clientCtx)));
            assertEquals("serverHostname must be given for TLS over a Unix socket, got null", e.getMessage());
            IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                    () -> Streams.createConnection(RecordingProtocol::new, Net.HOST, 1, null, "localhost"));
            assertEquals("serverHostname is only meaningful with ssl, got ssl=null", plain.getMessage());
            return null;
        });
    }
}
