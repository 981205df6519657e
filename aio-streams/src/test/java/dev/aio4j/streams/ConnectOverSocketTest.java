package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transports over sockets connected, accepted or bound by other code: {@code create_connection(sock=)},
 * {@code open_connection(sock=)}, {@code connect_accepted_socket} and {@code start_server(sock=)}.
 * Mirrors test_events.py's {@code test_create_connection_sock}, {@code test_create_ssl_connection}
 * over a socket, {@code test_connect_accepted_socket} and {@code test_ssl_connect_accepted_socket},
 * test_streams.py's {@code open_connection} and {@code start_server} with {@code sock=}, and
 * base_events' argument checks ({@code test_create_connection_ssl_server_hostname_errors}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectOverSocketTest {
    static SSLContext serverCtx;
    static SSLContext clientCtx;

    @BeforeAll
    static void makeKeystores() throws Exception {
        serverCtx = TestCertificates.server();
        clientCtx = TestCertificates.client();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A server echoing one line per connection, then closing it; serves any number of connections. */
    private static Server lineEcho(SSLContext ssl) throws Exception {
        return Streams.startServer((r, w) -> {
            w.write(r.readline());
            w.close();
        }, Net.HOST, 0, ssl);
    }

    private static SocketChannel connected(EventLoop loop, int port) throws Exception {
        SocketChannel s = SocketChannel.open();
        s.configureBlocking(false);
        loop.sockConnect(s, new InetSocketAddress(Net.LOOPBACK, port));
        return s;
    }

    @Test
    void createConnectionSock() throws Exception { // test_create_connection_sock
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Server srv = lineEcho(null);
            SocketChannel sock = connected(loop, srv.port());
            RecordingProtocol p = new RecordingProtocol();
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(() -> p, sock, null, null);
            assertSame(p, tp.protocol());
            assertSame(sock, tp.transport().getExtraInfo("socket"), "the transport runs on the very socket");
            assertEquals(sock.getRemoteAddress(), tp.transport().getExtraInfo("peername"));
            tp.transport().write(b("over a socket\n"));
            p.lost.await();
            assertEquals("over a socket\n", p.received.toString(StandardCharsets.US_ASCII));
            assertEquals(java.util.List.of("made", "data", "eof", "lost"), p.events);
            assertFalse(sock.isOpen(), "the transport owns the socket and closed it");
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void openConnectionSockManyTimes() throws Exception { // test_streams.py open_connection(sock=)
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Server srv = lineEcho(null);
            for (int i = 0; i < 3; i++) {
                SocketChannel sock = connected(loop, srv.port());
                StreamPair rw = Streams.openConnection(sock, null, null, 1 << 16);
                rw.writer().write(b("line " + i + "\n"));
                assertEquals("line " + i + "\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
                assertEquals(0, rw.reader().read(-1).length, "the server closed after the line");
                rw.writer().close();
                rw.writer().waitClosed();
                assertFalse(sock.isOpen(), "closing the writer closed the socket");
            }
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void tlsOverASocketVerifiesTheGivenName() throws Exception { // test_create_ssl_connection (sock=)
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Server srv = lineEcho(serverCtx);
            StreamPair rw = Streams.openConnection(connected(loop, srv.port()), clientCtx, "localhost", 1 << 16);
            rw.writer().write(b("secret\n"));
            assertEquals("secret\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
            rw.writer().close();
            rw.writer().waitClosed();

            SocketChannel wrongName = connected(loop, srv.port());
            assertThrows(SSLException.class, () -> Streams.openConnection(wrongName, clientCtx, "wrong.example", 1 << 16));
            for (int i = 0; i < 10 && wrongName.isOpen(); i++) {
                Aio.sleep(0); // the aborted transport closes its socket on a later loop iteration, as asyncio's
            }
            assertFalse(wrongName.isOpen(), "a failed handshake closes the socket it was given");
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void unixDomainSocket(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("s.sock");
        Aio.run(() -> {
            Server srv = Streams.startUnixServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, path);
            SocketChannel sock = SocketChannel.open(StandardProtocolFamily.UNIX);
            sock.configureBlocking(false);
            Aio.getRunningLoop().sockConnect(sock, UnixDomainSocketAddress.of(path));
            StreamPair rw = Streams.openConnection(sock, null, null, 1 << 16);
            rw.writer().write(b("unix\n"));
            assertEquals("unix\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
            rw.writer().close();
            rw.writer().waitClosed();
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void argumentErrors() throws Exception { // test_create_connection_ssl_server_hostname_errors, no host/sock
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Server srv = lineEcho(null);
            try (SocketChannel unconnected = SocketChannel.open()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Streams.openConnection(unconnected, null, null, 1 << 16));
                assertTrue(e.getMessage().contains("connected"), e.getMessage());
                assertTrue(unconnected.isOpen(), "a refused argument stays the caller's");
            }
            SocketChannel closed = SocketChannel.open();
            closed.close();
            IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                    () -> Streams.openConnection(closed, null, null, 1 << 16));
            assertTrue(c.getMessage().contains("a closed one"), c.getMessage());
            try (SocketChannel sock = connected(loop, srv.port())) {
                // a factory that fails: its exception, and the socket (now the call's) is closed
                IllegalStateException f = assertThrows(IllegalStateException.class, () -> Streams.createConnection(() -> {
                    throw new IllegalStateException("no protocol");
                }, sock, null, null));
                assertEquals("no protocol", f.getMessage());
                assertFalse(sock.isOpen());
            }
            assertThrows(NullPointerException.class, () -> Streams.openConnection((SocketChannel) null, null, null, 1 << 16));
            try (SocketChannel sock = connected(loop, srv.port())) {
                IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
                        () -> Streams.openConnection(sock, clientCtx, null, 1 << 16));
                assertTrue(noName.getMessage().contains("serverHostname"), noName.getMessage());
                assertThrows(IllegalArgumentException.class, () -> Streams.openConnection(sock, null, "localhost", 1 << 16));
                assertTrue(sock.isOpen());
            }
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    /** A JDK client thread: connects, sends {@code line}, reads until the server closes. */
    private static Thread jdkClient(java.net.Socket socket, int port, String line,
                                    java.util.concurrent.atomic.AtomicReference<String> got) {
        Thread t = new Thread(() -> {
            try (java.net.Socket s = socket) {
                s.connect(new InetSocketAddress(Net.LOOPBACK, port), 10_000);
                s.getOutputStream().write(b(line));
                s.getOutputStream().flush();
                got.set(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            } catch (java.io.IOException e) {
                got.set("error: " + e);
            }
        });
        t.start();
        return t;
    }

    /** A protocol answering the first line it gets with "echo: " + that line, then closing. */
    private static final class LineAnswer implements Protocol {
        final StringBuilder seen = new StringBuilder();
        final dev.aio4j.loop.Future<Exception> lost = Aio.getRunningLoop().createFuture();
        Transport transport;

        @Override
        public void connectionLost(Exception exc) {
            lost.setResult(exc);
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(byte[] data) {
            seen.append(new String(data, StandardCharsets.US_ASCII));
            if (seen.indexOf("\n") >= 0) {
                transport.write(b("echo: " + seen));
                transport.close();
            }
        }
    }

    private static void acceptedSocketRound(SSLContext serverSsl, java.net.Socket clientSocket) throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> got = new java.util.concurrent.atomic.AtomicReference<>();
        Aio.run(() -> {
            try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(Net.LOOPBACK, 0));
                listener.configureBlocking(false);
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                Thread client = jdkClient(clientSocket, port, "accepted\n", got);
                SocketChannel conn = Aio.getRunningLoop().sockAccept(listener);
                LineAnswer p = new LineAnswer();
                TransportAndProtocol<LineAnswer> tp = Streams.connectAcceptedSocket(() -> p, conn, serverSsl);
                assertSame(p, tp.protocol());
                assertEquals(serverSsl != null, tp.transport().getExtraInfo("ssl_object") != null);
                Aio.toThread(() -> {
                    client.join(30_000);
                    return null;
                });
                // Over TLS the socket closes once the client's close_notify (sent as its socket
                // closes) answers ours, as asyncio's SSLProtocol waits for it.
                Aio.waitFor(p.lost, 10.0);
                assertFalse(conn.isOpen(), "the transport closed the accepted socket");
            }
            return null;
        });
        assertEquals("echo: accepted\n", got.get());
    }

    @Test
    void connectAcceptedSocket() throws Exception { // test_connect_accepted_socket
        acceptedSocketRound(null, new java.net.Socket());
    }

    @Test
    void sslConnectAcceptedSocket() throws Exception { // test_ssl_connect_accepted_socket
        acceptedSocketRound(serverCtx, clientCtx.getSocketFactory().createSocket());
    }

    @Test
    void connectAcceptedSocketRefusesAnUnconnectedOne() throws Exception {
        Aio.run(() -> {
            try (SocketChannel unconnected = SocketChannel.open()) {
                assertThrows(IllegalArgumentException.class,
                        () -> Streams.connectAcceptedSocket(RecordingProtocol::new, unconnected, (SSLContext) null));
                assertTrue(unconnected.isOpen());
            }
            return null;
        });
    }

    @Test
    void startServerOnAGivenSocket() throws Exception { // test_streams.py test_start_server (sock=)
        Aio.run(() -> {
            java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()
                    .bind(new InetSocketAddress(Net.LOOPBACK, 0));
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, listener, null, 1 << 16);
            assertEquals(((InetSocketAddress) listener.getLocalAddress()).getPort(), srv.port());
            for (int i = 0; i < 2; i++) {
                StreamPair rw = Streams.openConnection(Net.HOST, srv.port());
                rw.writer().write(b("via sock " + i + "\n"));
                assertEquals("via sock " + i + "\n", new String(rw.reader().readline(), StandardCharsets.US_ASCII));
                rw.writer().close();
            }
            srv.close();
            srv.waitClosed();
            assertFalse(listener.isOpen(), "the server owns the socket it was given");
            return null;
        });
    }
}
