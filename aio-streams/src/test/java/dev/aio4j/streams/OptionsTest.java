package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectOptions} and {@link ServerOptions}: the values themselves (defaults, validation,
 * copy-on-write, equality, {@code toString}), asyncio's checks of which keyword arguments go
 * together (the {@code *_ssl_timeout_for_plain_socket} tests of
 * Lib/test/test_asyncio/test_base_events.py, test_events.py and test_unix_events.py), and that the
 * positional overloads of {@link Streams} take the options path (aio4j-only).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OptionsTest {
    static SSLContext clientCtx;
    static SSLContext serverCtx;

    @TempDir
    Path dir;

    @BeforeAll
    static void contexts() throws Exception {
        clientCtx = TestCertificates.client();
        serverCtx = TestCertificates.server();
    }

    private static IllegalArgumentException refused(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call);
    }

    // ------------------------------------------------------------------------ the values

    @Test
    void connectOptionsDefaultsAreAsyncios() {
        ConnectOptions d = ConnectOptions.defaults();
        assertNull(d.ssl());
        assertNull(d.serverHostname());
        assertEquals(OptionalDouble.empty(), d.sslHandshakeTimeout());
        assertEquals(OptionalDouble.empty(), d.sslShutdownTimeout());
        assertEquals(Double.POSITIVE_INFINITY, d.happyEyeballsDelay());
        assertEquals(OptionalInt.empty(), d.interleave(), "unset: asyncio's None (1 with a Happy Eyeballs delay)");
        assertEquals(OptionalInt.of(0), d.interleave(0).interleave(), "0 is a value: no interleaving");
        assertNotEquals(d, d.interleave(0));
        assertEquals("ConnectOptions[interleave=0]", d.interleave(0).toString());
        assertNull(d.localAddr());
        assertEquals(StreamReader.DEFAULT_LIMIT, d.limit());
        assertEquals("ConnectOptions[defaults]", d.toString());
    }

    @Test
    void serverOptionsDefaultsAreAsyncios() {
        ServerOptions d = ServerOptions.defaults();
        assertNull(d.ssl());
        assertEquals(OptionalDouble.empty(), d.sslHandshakeTimeout());
        assertEquals(OptionalDouble.empty(), d.sslShutdownTimeout());
        assertEquals(100, d.backlog());
        assertFalse(d.reusePort());
        assertEquals(StreamReader.DEFAULT_LIMIT, d.limit());
        assertEquals("ServerOptions[defaults]", d.toString());
    }

    @Test
    void settersReturnChangedCopiesAndLeaveTheOriginal() {
        ConnectOptions d = ConnectOptions.defaults();
        ConnectOptions tls = d.ssl(clientCtx);
        ConnectOptions timed = tls.sslHandshakeTimeout(10);
        assertNotSame(d, tls);
        assertNull(d.ssl(), "defaults() is unchanged");
        assertSame(clientCtx, tls.ssl());
        assertEquals(OptionalDouble.empty(), tls.sslHandshakeTimeout(), "the copy before is unchanged");
        assertEquals(OptionalDouble.of(10), timed.sslHandshakeTimeout());
        assertSame(clientCtx, timed.ssl(), "the rest is copied");
        assertEquals(ConnectOptions.defaults(), ConnectOptions.defaults().limit(5).limit(StreamReader.DEFAULT_LIMIT));

        ServerOptions s = ServerOptions.defaults();
        ServerOptions b = s.backlog(7);
        assertEquals(100, s.backlog());
        assertEquals(7, b.backlog());
        assertEquals(7, b.reusePort(true).backlog());
        assertFalse(b.reusePort());
        assertSame(serverCtx, s.ssl(serverCtx).ssl());
        assertNull(s.ssl(serverCtx).ssl(null).ssl(), "ssl(null) is plain bytes again");
        assertSame(serverCtx, s.ssl(serverCtx).backlog(9).ssl(), "the rest is copied");

        InetSocketAddress local = new InetSocketAddress(Net.LOOPBACK, 0);
        ConnectOptions bound = d.localAddr(local);
        assertSame(local, bound.localAddr());
        assertSame(local, bound.limit(9).localAddr(), "the rest is copied");
        assertNull(d.localAddr(), "defaults() is unchanged");
    }

    @Test
    void connectOptionsSettersCheckTheirArgument() {
        ConnectOptions d = ConnectOptions.defaults();
        assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", refused(() -> d.sslHandshakeTimeout(0)).getMessage());
        assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got -1.0", refused(() -> d.sslHandshakeTimeout(-1)).getMessage());
        refused(() -> d.sslHandshakeTimeout(Double.NaN));
        assertEquals(Double.POSITIVE_INFINITY, d.sslHandshakeTimeout(Double.POSITIVE_INFINITY).sslHandshakeTimeout().getAsDouble(),
                "no limit, as asyncio's float('inf')");
        refused(() -> d.sslHandshakeTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> d.sslHandshakeTimeout((Duration) null));
        assertEquals("sslShutdownTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", refused(() -> d.sslShutdownTimeout(0)).getMessage());
        refused(() -> d.sslShutdownTimeout(Duration.ofSeconds(-1)));
        assertTrue(refused(() -> d.happyEyeballsDelay(-1)).getMessage().startsWith("happyEyeballsDelay must be >= 0 seconds"));
        refused(() -> d.happyEyeballsDelay(Double.NaN));
        assertEquals("interleave must be >= 0 (0: the resolver's order), got -1", refused(() -> d.interleave(-1)).getMessage());
        assertTrue(refused(() -> d.localAddr(InetSocketAddress.createUnresolved("example.com", 0))).getMessage()
                .startsWith("localAddr must be a resolved address"));
        assertEquals("limit must be > 0, got 0", refused(() -> d.limit(0)).getMessage());
        assertEquals(d, d.ssl(null).serverHostname(null).localAddr(null), "null means not given");
    }

    @Test
    void serverOptionsSettersCheckTheirArgument() {
        ServerOptions d = ServerOptions.defaults();
        assertEquals("sslHandshakeTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got 0.0", refused(() -> d.sslHandshakeTimeout(0)).getMessage());
        assertEquals("sslShutdownTimeout must be > 0 seconds or Double.POSITIVE_INFINITY for none, got -3.0", refused(() -> d.sslShutdownTimeout(-3)).getMessage());
        refused(() -> d.sslHandshakeTimeout(Duration.ofMillis(-1)));
        assertEquals("backlog must be > 0, got 0", refused(() -> d.backlog(0)).getMessage());
        assertEquals("limit must be > 0, got -1", refused(() -> d.limit(-1)).getMessage());
    }

    @Test
    void durationAndSecondsSettersAreTheSame() {
        ConnectOptions c = ConnectOptions.defaults();
        assertEquals(c.sslHandshakeTimeout(2.5), c.sslHandshakeTimeout(Duration.ofMillis(2500)));
        assertEquals(c.sslShutdownTimeout(0.5), c.sslShutdownTimeout(Duration.ofMillis(500)));
        assertEquals(c.happyEyeballsDelay(0.25), c.happyEyeballsDelay(Duration.ofMillis(250)));
        ServerOptions s = ServerOptions.defaults();
        assertEquals(s.sslHandshakeTimeout(3), s.sslHandshakeTimeout(Duration.ofSeconds(3)));
        assertEquals(s.sslShutdownTimeout(4), s.sslShutdownTimeout(Duration.ofSeconds(4)));
    }

    @Test
    void equalityIsByValueAndTheContextByIdentity() throws Exception {
        InetSocketAddress local = new InetSocketAddress(Net.LOOPBACK, 0);
        ConnectOptions a = ConnectOptions.defaults().ssl(clientCtx).serverHostname("h").sslHandshakeTimeout(1).localAddr(local);
        ConnectOptions b = ConnectOptions.defaults().localAddr(local).sslHandshakeTimeout(1).serverHostname("h").ssl(clientCtx);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.serverHostname("other"));
        assertNotEquals(a, b.sslShutdownTimeout(30), "an explicit default is still 'given'");
        assertNotEquals(a, b.ssl(TestCertificates.other()));
        assertNotEquals(a, b.interleave(1));
        assertNotEquals(a, b.happyEyeballsDelay(0.25));
        assertNotEquals(a, b.limit(1));
        ServerOptions s = ServerOptions.defaults().ssl(serverCtx).backlog(5);
        assertEquals(s, ServerOptions.defaults().backlog(5).ssl(serverCtx));
        assertEquals(s.hashCode(), ServerOptions.defaults().backlog(5).ssl(serverCtx).hashCode());
        assertNotEquals(s, s.reusePort(true));
        assertNotEquals(s, s.sslHandshakeTimeout(60));
        assertNotEquals(s, s.limit(10));
        assertNotEquals((Object) s, ConnectOptions.defaults());
    }

    @Test
    void distinctOptionsSpreadOverHashCodes() {
        // Options are values (a cache of connections or servers may key on them): unequal options
        // need not have unequal hash codes, but a hash that ignores the fields puts every key in one
        // bucket. Ten options differing in one field each must not all collide.
        java.util.Set<Integer> connect = new java.util.HashSet<>();
        java.util.Set<Integer> server = new java.util.HashSet<>();
        for (int i = 1; i <= 10; i++) {
            connect.add(ConnectOptions.defaults().interleave(i).hashCode());
            server.add(ServerOptions.defaults().backlog(i).hashCode());
        }
        assertTrue(connect.size() > 1, "ConnectOptions hash codes: " + connect);
        assertTrue(server.size() > 1, "ServerOptions hash codes: " + server);
    }

    @Test
    void toStringShowsWhatDiffersFromTheDefaults() throws Exception {
        assertEquals("ConnectOptions[ssl=TLS, serverHostname=\"\", sslHandshakeTimeout=10.0, sslShutdownTimeout=2.0, "
                        + "happyEyeballsDelay=0.25, interleave=2, localAddr=/127.0.0.1:0, limit=10]",
                ConnectOptions.defaults().ssl(clientCtx).serverHostname("").sslHandshakeTimeout(10).sslShutdownTimeout(2)
                        .happyEyeballsDelay(0.25).interleave(2).localAddr(new InetSocketAddress("127.0.0.1", 0)).limit(10)
                        .toString());
        assertEquals("ConnectOptions[serverHostname=example.com]", ConnectOptions.defaults().serverHostname("example.com").toString());
        assertEquals("ServerOptions[ssl=TLS, sslHandshakeTimeout=5.0, sslShutdownTimeout=1.5, backlog=8, reusePort=true, limit=99]",
                ServerOptions.defaults().ssl(serverCtx).sslHandshakeTimeout(5).sslShutdownTimeout(1.5).backlog(8).reusePort(true)
                        .limit(99).toString());
    }

    // ------------------------------------------------- asyncio's checks of what goes together

    @Test
    void createConnectionSslTimeoutForPlainSocket() throws Exception {
        // test_base_events.py test_create_connection_ssl_timeout_for_plain_socket: nothing is resolved
        // or connected (example.com is never looked up).
        Loops.inLoop(() -> {
            IllegalArgumentException e = refused(() -> Streams.createConnection(RecordingProtocol::new, "example.com", 80,
                    ConnectOptions.defaults().sslHandshakeTimeout(1)));
            assertEquals("sslHandshakeTimeout is only meaningful with ssl, got ssl=null and sslHandshakeTimeout=1.0", e.getMessage());
            e = refused(() -> Streams.openConnection("example.com", 80, ConnectOptions.defaults().sslShutdownTimeout(1)));
            assertEquals("sslShutdownTimeout is only meaningful with ssl, got ssl=null and sslShutdownTimeout=1.0", e.getMessage());
            e = refused(() -> Streams.openConnection("example.com", 80, ConnectOptions.defaults().serverHostname("example.com")));
            assertEquals("serverHostname is only meaningful with ssl, got ssl=null", e.getMessage());
        });
    }

    @Test
    void createServerSslTimeoutForPlainSocket() throws Exception {
        // test_base_events.py test_create_server_ssl_timeout_for_plain_socket
        Loops.inLoop(() -> {
            IllegalArgumentException e = refused(() -> Streams.createServer(RecordingProtocol::new, "example.com", 80,
                    ServerOptions.defaults().sslHandshakeTimeout(1)));
            assertEquals("sslHandshakeTimeout is only meaningful with ssl, got ssl=null and sslHandshakeTimeout=1.0", e.getMessage());
            e = refused(() -> Streams.startServer((r, w) -> w.close(), "example.com", 80,
                    ServerOptions.defaults().sslShutdownTimeout(1)));
            assertEquals("sslShutdownTimeout is only meaningful with ssl, got ssl=null and sslShutdownTimeout=1.0", e.getMessage());
        });
    }

    @Test
    void connectAcceptedSocketSslTimeoutForPlainSocket() throws Exception {
        // test_events.py test_connect_accepted_socket_ssl_timeout_for_plain_socket
        Loops.inLoop(() -> {
            try (SocketChannel sock = SocketChannel.open()) {
                IllegalArgumentException e = refused(() -> Streams.connectAcceptedSocket(RecordingProtocol::new, sock,
                        ServerOptions.defaults().sslHandshakeTimeout(1)));
                assertEquals("sslHandshakeTimeout is only meaningful with ssl, got ssl=null and sslHandshakeTimeout=1.0",
                        e.getMessage());
                assertTrue(sock.isOpen(), "it stays the caller's");
            }
        });
    }

    @Test
    void createUnixServerSslTimeoutWithPlainSock() throws Exception {
        // test_unix_events.py test_create_unix_server_ssl_timeout_with_plain_sock, and the
        // connection's twin; nothing is bound or connected.
        Loops.inLoop(() -> {
            Path path = dir.resolve("plain.sock");
            refused(() -> Streams.createUnixServer(RecordingProtocol::new, path, ServerOptions.defaults().sslHandshakeTimeout(1)));
            refused(() -> Streams.startUnixServer((r, w) -> w.close(), path, ServerOptions.defaults().sslShutdownTimeout(1)));
            refused(() -> Streams.createUnixConnection(RecordingProtocol::new, path,
                    ConnectOptions.defaults().sslHandshakeTimeout(1)));
            assertFalse(path.toFile().exists());
        });
    }

    @Test
    void createUnixConnectionSslNoserverhost() throws Exception {
        // test_unix_events.py test_create_unix_connection_ssl_noserverhost
        Loops.inLoop(() -> {
            IllegalArgumentException e = refused(() -> Streams.openUnixConnection(dir.resolve("none.sock"),
                    ConnectOptions.defaults().ssl(clientCtx)));
            assertEquals("serverHostname must be given for TLS over a Unix socket, got null", e.getMessage());
        });
    }

    @Test
    void optionsThatDoNotApplyToTheCallAreRefused() throws Exception {
        // aio4j-only: asyncio ignores some of these (local_addr with sock=) or has no such
        // keyword (limit of create_connection); here they are a mistake, said so.
        Loops.inLoop(() -> {
            try (SocketChannel sock = SocketChannel.open(); ServerSocketChannel ss = ServerSocketChannel.open()) {
                assertEquals("happyEyeballsDelay is only meaningful when connecting to a host, not over a socket passed as sock; "
                        + "got happyEyeballsDelay=0.25", refused(() -> Streams.openConnection(sock,
                        ConnectOptions.defaults().happyEyeballsDelay(0.25))).getMessage());
                refused(() -> Streams.createConnection(RecordingProtocol::new, sock, ConnectOptions.defaults().interleave(1)));
                assertEquals("interleave is only meaningful when connecting to a host, not over a socket passed as sock; "
                        + "got interleave=0", refused(() -> Streams.createConnection(RecordingProtocol::new, sock,
                        ConnectOptions.defaults().interleave(0))).getMessage(), "0 is given, not unset");
                assertEquals("localAddr is only meaningful when connecting to a host, not over a Unix socket; got localAddr="
                        + new InetSocketAddress(Net.LOOPBACK, 0), refused(() -> Streams.openUnixConnection(dir.resolve("x.sock"),
                        ConnectOptions.defaults().localAddr(new InetSocketAddress(Net.LOOPBACK, 0)))).getMessage());
                assertEquals("limit is only meaningful for the reader of openConnection/openUnixConnection; createConnection "
                        + "makes no reader; got limit=10", refused(() -> Streams.createConnection(RecordingProtocol::new,
                        "example.com", 80, ConnectOptions.defaults().limit(10))).getMessage());
                refused(() -> Streams.createUnixConnection(RecordingProtocol::new, dir.resolve("x.sock"),
                        ConnectOptions.defaults().limit(10)));
                assertEquals("limit is only meaningful for the readers of startServer/startUnixServer; createServer makes no "
                        + "reader; got limit=10", refused(() -> Streams.createServer(RecordingProtocol::new, "example.com", 80,
                        ServerOptions.defaults().limit(10))).getMessage());
                // ServerTest.createServerSockBacklogAndReusePort has the messages for a bound sock. An
                // unbound ss takes a backlog (it is listened with it, as asyncio's sock.listen(backlog):
                // ServerTest.createServerOnAnUnboundSocket...); reusePort is refused for it too.
                assertTrue(refused(() -> Streams.startServer((r, w) -> w.close(), ss, ServerOptions.defaults().reusePort(true)))
                        .getMessage().startsWith("reusePort cannot be applied to a socket passed as sock"));
                assertEquals("reusePort is only meaningful for a TCP socket the server binds, not for an accepted socket",
                        refused(() -> Streams.connectAcceptedSocket(RecordingProtocol::new, sock,
                                ServerOptions.defaults().reusePort(true))).getMessage());
                assertEquals("reusePort is only meaningful for a TCP socket the server binds, not for a Unix socket",
                        refused(() -> Streams.createUnixServer(RecordingProtocol::new, dir.resolve("y.sock"),
                                ServerOptions.defaults().reusePort(true))).getMessage());
                refused(() -> Streams.connectAcceptedSocket(RecordingProtocol::new, sock, ServerOptions.defaults().backlog(5)));
                refused(() -> Streams.connectAcceptedSocket(RecordingProtocol::new, sock, ServerOptions.defaults().limit(5)));
                assertThrows(NullPointerException.class, () -> Streams.openConnection("example.com", 80, (ConnectOptions) null));
                assertThrows(NullPointerException.class, () -> Streams.createServer(RecordingProtocol::new, "example.com", 80,
                        (ServerOptions) null));
                assertTrue(sock.isOpen() && ss.isOpen(), "refused sockets stay the caller's");
            }
        });
    }

    // ---------------------------------------------- the positional overloads are the options path

    @Test
    void positionalOverloadsCheckAsTheOptionsDo() throws Exception {
        Loops.inLoop(() -> {
            Supplier<RecordingProtocol> f = RecordingProtocol::new;
            assertEquals(refused(() -> Streams.openConnection("example.com", 80, ConnectOptions.defaults().serverHostname("x")))
                    .getMessage(), refused(() -> Streams.createConnection(f, "example.com", 80, null, "x")).getMessage());
            assertEquals(refused(() -> ConnectOptions.defaults().happyEyeballsDelay(-1)).getMessage(),
                    refused(() -> Streams.openConnection("example.com", 80, null, null, 10, -1, 0)).getMessage());
            assertEquals(refused(() -> ConnectOptions.defaults().interleave(-1)).getMessage(),
                    refused(() -> Streams.createConnection(f, "example.com", 80, null, null, 0.25, -1)).getMessage());
            assertEquals(refused(() -> ConnectOptions.defaults().limit(0)).getMessage(),
                    refused(() -> Streams.openConnection("example.com", 80, 0)).getMessage());
            assertEquals(refused(() -> ServerOptions.defaults().backlog(0)).getMessage(),
                    refused(() -> Streams.createServer(f, "example.com", 80, null, 0, false)).getMessage());
            assertEquals(refused(() -> ServerOptions.defaults().limit(0)).getMessage(),
                    refused(() -> Streams.startServer((r, w) -> w.close(), "example.com", 80, 0)).getMessage());
            assertEquals(refused(() -> ServerOptions.defaults().limit(0)).getMessage(),
                    refused(() -> Streams.startUnixServer((r, w) -> w.close(), dir.resolve("z.sock"), 0)).getMessage());
        });
    }

    @Test
    void positionalAndOptionsOverloadsMakeTheSameReaders() throws Exception {
        Loops.inLoop(() -> {
            AtomicReference<String> serverReader = new AtomicReference<>();
            Server positional = Streams.startServer((r, w) -> {
                serverReader.set(r.toString());
                w.close();
            }, Net.HOST, 0, null, 1234);
            StreamPair a = Streams.openConnection(Net.HOST, positional.port(), 4321);
            StreamPair b = Streams.openConnection(Net.HOST, positional.port(), ConnectOptions.defaults().limit(4321));
            assertTrue(a.reader().toString().contains(", limit=4321"), a.reader().toString());
            assertTrue(b.reader().toString().contains(", limit=4321"), b.reader().toString());
            a.reader().read(-1); // the server's handler ran and closed
            assertTrue(serverReader.get().contains("limit=1234"), serverReader.get());
            Server options = Streams.startServer((r, w) -> {
                serverReader.set(r.toString());
                w.close();
            }, Net.HOST, 0, ServerOptions.defaults().limit(1234));
            StreamPair c = Streams.openConnection(Net.HOST, options.port());
            c.reader().read(-1);
            assertTrue(serverReader.get().contains("limit=1234"), serverReader.get());
            for (StreamPair p : new StreamPair[] {a, b, c}) {
                p.writer().close();
            }
            positional.close();
            options.close();
            positional.waitClosed();
            options.waitClosed();
        });
    }

    @Test
    void plainOptionsServeAndConnectAsTheShortOverloads() throws Exception {
        // ServerOptions.defaults() and ConnectOptions.defaults() are the plain, default calls.
        Loops.inLoop(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, Net.HOST, 0, ServerOptions.defaults().backlog(16));
            StreamPair rw = Streams.openConnection(Net.HOST, srv.port(), ConnectOptions.defaults().happyEyeballsDelay(0.25));
            rw.writer().write("hi\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("hi\n", new String(rw.reader().readline(), java.nio.charset.StandardCharsets.US_ASCII));
            rw.writer().close();
            srv.close();
            srv.waitClosed();
            Aio.sleep(0);
        });
    }
}
