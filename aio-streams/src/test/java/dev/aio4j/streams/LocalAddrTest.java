package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code create_connection(local_addr=)} / {@code open_connection(local_addr=)}: test_events.py's
 * {@code test_create_connection_local_addr}, {@code test_create_connection_local_addr_in_use} and
 * test_base_events.py's {@code test_create_connection_no_local_addr} (no local address of the
 * host's family), on loopback (127.0.0.2 is a second local address of Linux's loopback).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalAddrTest {
    private static InetAddress loopback2() throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    }

    /** A server that answers each connection with the peer address it saw. */
    private static Server peerEcho() throws Exception {
        return Streams.startServer((r, w) -> {
            w.write((w.getExtraInfo("peername") + "\n").getBytes(StandardCharsets.US_ASCII));
            w.close();
        }, Net.HOST, 0);
    }

    @Test
    void createConnectionLocalAddr() throws Exception { // test_create_connection_local_addr
        InetAddress local = loopback2();
        try (ServerSocket probe = new ServerSocket(0, 1, local)) {
            assumeTrue(probe.isBound());
        } catch (SocketException e) {
            assumeTrue(false, "127.0.0.2 cannot be bound here: " + e.getMessage());
        }
        Aio.run(() -> {
            Server srv = peerEcho();
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, local)) {
                port = free.getLocalPort();
            }
            StreamPair rw = Streams.openConnection(Net.HOST, srv.port(), null, null, 1 << 16, 0.25, 0,
                    new InetSocketAddress(local, port));
            String seen = new String(rw.reader().readline(), StandardCharsets.US_ASCII).trim();
            assertEquals("/127.0.0.2:" + port, seen, "the server saw the bound local address");
            assertEquals(new InetSocketAddress(local, port), rw.writer().getExtraInfo("sockname"));
            rw.writer().close();
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void createConnectionLocalAddrInUse() throws Exception { // test_create_connection_local_addr_in_use
        try (ServerSocket busy = new ServerSocket(0, 1, Net.LOOPBACK)) {
            InetSocketAddress inUse = new InetSocketAddress(Net.LOOPBACK, busy.getLocalPort());
            Net.assertNoFdLeak(() -> Aio.run(() -> {
                Server srv = peerEcho();
                BindException e = assertThrows(BindException.class, () -> Streams.openConnection(Net.HOST, srv.port(), null,
                        null, 1 << 16, Double.POSITIVE_INFINITY, 0, inUse));
                assertTrue(e.getMessage().startsWith("error while attempting to bind on address " + inUse), e.getMessage());
                srv.close();
                srv.waitClosed();
                return null;
            }));
        }
    }

    @Test
    void noLocalAddrOfTheHostsFamily() throws Exception { // test_create_connection_no_local_addr
        Aio.run(() -> {
            Server srv = peerEcho();
            SocketException e = assertThrows(SocketException.class, () -> Streams.openConnection(Net.HOST, srv.port(), null,
                    null, 1 << 16, 0.25, 0, new InetSocketAddress(InetAddress.getByName("::1"), 0)));
            assertTrue(e.getMessage().startsWith("no matching local address"), e.getMessage());
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void localAddrOverloadsTakeADuration() throws Exception { // aio4j-only: happy_eyeballs_delay as a Duration
        Aio.run(() -> {
            Server srv = peerEcho();
            InetSocketAddress any = new InetSocketAddress(Net.LOOPBACK, 0);
            StreamPair rw = Streams.openConnection(Net.HOST, srv.port(), null, null, 1 << 16, Duration.ofMillis(250), 0, any);
            InetSocketAddress bound = (InetSocketAddress) rw.writer().getExtraInfo("sockname");
            assertEquals(Net.LOOPBACK, bound.getAddress());
            String seen = new String(rw.reader().readline(), StandardCharsets.US_ASCII).trim();
            assertEquals("/" + Net.HOST + ":" + bound.getPort(), seen, "the server saw the bound local address");
            rw.writer().close();
            TransportAndProtocol<RecordingProtocol> tp = Streams.createConnection(RecordingProtocol::new, Net.HOST, srv.port(),
                    null, null, Duration.ofMillis(250), 0, any);
            assertEquals(Net.LOOPBACK, ((InetSocketAddress) tp.transport().getExtraInfo("sockname")).getAddress());
            tp.transport().close();

            // refused as the double form refuses -1 and as every Duration overload refuses null
            IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Streams.openConnection(
                    Net.HOST, srv.port(), null, null, 1 << 16, Duration.ofSeconds(-1), 0, any));
            IllegalArgumentException negativeSeconds = assertThrows(IllegalArgumentException.class, () -> Streams.openConnection(
                    Net.HOST, srv.port(), null, null, 1 << 16, -1.0, 0, any));
            assertEquals(negativeSeconds.getMessage(), negative.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Streams.createConnection(RecordingProtocol::new, Net.HOST,
                    srv.port(), null, null, Duration.ofSeconds(-1), 0, any));
            NullPointerException npe = assertThrows(NullPointerException.class, () -> Streams.openConnection(Net.HOST,
                    srv.port(), null, null, 1 << 16, (Duration) null, 0, any));
            assertEquals("happyEyeballsDelay must not be null", npe.getMessage());
            npe = assertThrows(NullPointerException.class, () -> Streams.createConnection(RecordingProtocol::new, Net.HOST,
                    srv.port(), null, null, (Duration) null, 0, any));
            assertEquals("happyEyeballsDelay must not be null", npe.getMessage());
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void anUnresolvedLocalAddrIsRefused() throws Exception {
        Aio.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Streams.openConnection(Net.HOST, 1,
                    null, null, 1 << 16, 0.25, 0, InetSocketAddress.createUnresolved("localhost", 0)));
            assertTrue(e.getMessage().contains("resolved"), e.getMessage());
            return null;
        });
    }
}
