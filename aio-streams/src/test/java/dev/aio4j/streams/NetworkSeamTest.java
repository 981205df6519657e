package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.spi.Network;
import dev.aio4j.streams.test.RecordingDatagramProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Network} seam: with a network installed on the loop, {@link Streams}' name
 * resolution, TCP connects and TCP listens go through it, and the {@link Server} it makes keeps
 * its bookkeeping; removed, real sockets are back. aio4j-only (issue 17); aio-test's SimNetwork
 * tests cover a full network behind the seam.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetworkSeamTest {

    /** A network that records what Streams asks of it, refuses every connect, and listens on port 4242. */
    static class RecordingNetwork implements Network {
        final List<String> calls = new ArrayList<>();
        final List<Acceptor> acceptors = new ArrayList<>();

        @Override
        public List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws IOException {
            calls.add("getaddrinfo " + host + ":" + port);
            return List.of(new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {10, 9, 9, 9}), port));
        }

        @Override
        public Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException {
            calls.add("connect " + address);
            throw new ConnectException("fake refused");
        }

        @Override
        public Listener listen(EventLoop loop, InetSocketAddress address, int backlog, Acceptor acceptor) {
            calls.add("listen " + address + " backlog=" + backlog);
            acceptors.add(acceptor);
            InetSocketAddress bound = new InetSocketAddress(address.getAddress(), 4242);
            return new Listener() {
                @Override
                public InetSocketAddress address() {
                    return bound;
                }

                @Override
                public void close() {
                    calls.add("close " + bound);
                }
            };
        }

        @Override
        public DatagramTransport datagramEndpoint(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, boolean reusePort,
                                                  boolean allowBroadcast, DatagramProtocol protocol) throws IOException {
            calls.add("datagramEndpoint " + local + " " + remote + " reusePort=" + reusePort + " allowBroadcast=" + allowBroadcast
                    + " made=" + ((RecordingDatagramProtocol) protocol).made.done());
            return Network.super.datagramEndpoint(loop, local, remote, reusePort, allowBroadcast, protocol); // real UDP
        }
    }

    /** A transport that does nothing: what a network hands to an acceptor. */
    static final class InertTransport implements Transport {
        private Protocol protocol;

        @Override public void write(byte[] data) { }
        @Override public void writeEof() { }
        @Override public boolean canWriteEof() { return true; }
        @Override public void close() { }
        @Override public void abort() { }
        @Override public boolean isClosing() { return false; }
        @Override public void pauseReading() { }
        @Override public void resumeReading() { }
        @Override public boolean isReading() { return true; }
        @Override public void setWriteBufferLimits(int high, int low) { }
        @Override public WriteBufferLimits getWriteBufferLimits() { return new WriteBufferLimits(0, 0); }
        @Override public long getWriteBufferSize() { return 0; }
        @Override public Object getExtraInfo(String name, Object defaultValue) { return defaultValue; }
        @Override public Protocol getProtocol() { return protocol; }
        @Override public void setProtocol(Protocol protocol) { this.protocol = protocol; }
    }

    @Test
    void connectsListensAndResolvesThroughTheInstalledNetwork() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            RecordingNetwork net = new RecordingNetwork();
            assertNull(Streams.useNetwork(loop, net));
            assertSame(net, Streams.network(loop));

            ConnectException refused = assertThrows(ConnectException.class, () -> Streams.openConnection("db.internal", 5432));
            assertEquals("Connect call failed to db.internal/10.9.9.9:5432: fake refused", refused.getMessage());
            assertEquals(List.of("getaddrinfo db.internal:5432", "connect db.internal/10.9.9.9:5432"), net.calls);

            net.calls.clear();
            Server server = Streams.startServer((r, w) -> w.close(), "db.internal", 0);
            assertEquals(List.of("getaddrinfo db.internal:0", "listen db.internal/10.9.9.9:0 backlog=100"), net.calls);
            assertEquals(4242, server.port());
            assertTrue(server.sockets().isEmpty(), "no real socket");
            assertEquals("Server[serving, addresses=[db.internal/10.9.9.9:4242], connections=0]", server.toString());

            Transport accepted = new InertTransport();
            Protocol p = net.acceptors.get(0).accepted(accepted);
            assertNotNull(p, "the server's protocol factory made the protocol");
            assertEquals("Server[serving, addresses=[db.internal/10.9.9.9:4242], connections=1]", server.toString());
            server.close();
            assertTrue(net.calls.contains("close db.internal/10.9.9.9:4242"), net.calls.toString());
            net.acceptors.get(0).finished(accepted);
            server.waitClosed(); // returns: the one connection finished
            assertEquals("Server[closed, addresses=[db.internal/10.9.9.9:4242], connections=0]", server.toString());

            assertSame(net, Streams.useNetwork(loop, null));
            assertNull(Streams.network(loop));
            assertNull(Streams.useNetwork(loop, null), "removing twice is harmless");
            return null;
        });
    }

    /** A network whose name resolves to two IPv6 addresses, then one IPv4 one, and that refuses every connect. */
    static final class DualStackNetwork extends RecordingNetwork {
        @Override
        public List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws IOException {
            return List.of(new InetSocketAddress(InetAddress.getByName("fd00::1"), port),
                    new InetSocketAddress(InetAddress.getByName("fd00::2"), port),
                    new InetSocketAddress(InetAddress.getByName("10.9.9.9"), port));
        }
    }

    @Test
    void interleaveAndHappyEyeballsOrderTheNetworksAddressesAsOnRealSockets() throws Exception {
        // aio4j-only: asyncio's _interleave_addrinfos order (test_base_events.py
        // test_create_connection_interleave covers it on real sockets) applies to an installed
        // network's addresses too; they are tried one after another, not raced (Network's Javadoc).
        Aio.run(() -> {
            DualStackNetwork net = new DualStackNetwork();
            Streams.useNetwork(Aio.getRunningLoop(), net);
            List<String> resolverOrder = List.of("connect /[fd00:0:0:0:0:0:0:1]:80", "connect /[fd00:0:0:0:0:0:0:2]:80",
                    "connect /10.9.9.9:80");
            List<String> interleaved = List.of("connect /[fd00:0:0:0:0:0:0:1]:80", "connect /10.9.9.9:80",
                    "connect /[fd00:0:0:0:0:0:0:2]:80");
            ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("h", 80));
            assertTrue(e.getMessage().startsWith("Multiple exceptions: "), e.getMessage());
            assertEquals(resolverOrder, net.calls);
            net.calls.clear();
            assertThrows(ConnectException.class, () -> Streams.openConnection("h", 80, ConnectOptions.defaults().interleave(1)));
            assertEquals(interleaved, net.calls);
            net.calls.clear();
            assertThrows(ConnectException.class, () -> Streams.openConnection("h", 80,
                    ConnectOptions.defaults().happyEyeballsDelay(0.25)));
            assertEquals(interleaved, net.calls, "a finite happyEyeballsDelay interleaves by default, as asyncio");
            net.calls.clear();
            // asyncio's create_connection: interleave=None with a delay means 1, but interleave=0
            // means no interleaving, with or without a delay.
            assertThrows(ConnectException.class, () -> Streams.openConnection("h", 80,
                    ConnectOptions.defaults().happyEyeballsDelay(0.25).interleave(0)));
            assertEquals(resolverOrder, net.calls, "interleave=0 is not unset: the resolver's order");
            net.calls.clear();
            assertThrows(ConnectException.class, () -> Streams.openConnection("h", 80, null, null, StreamReader.DEFAULT_LIMIT,
                    0.25, 0));
            assertEquals(resolverOrder, net.calls, "the positional interleave=0 too");
            net.calls.clear();
            assertThrows(ConnectException.class, () -> Streams.openConnection("h", 80, ConnectOptions.defaults().interleave(2)));
            assertEquals(resolverOrder, net.calls, "two of the first family first");
            Streams.useNetwork(Aio.getRunningLoop(), null);
            return null;
        });
    }

    @Test
    void datagramEndpointsGoThroughTheInstalledNetworkWhoseDefaultIsRealUdp() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            RecordingNetwork net = new RecordingNetwork();
            Streams.useNetwork(loop, net);
            try {
                var server = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(Net.LOOPBACK, 0), null,
                        false, true);
                assertEquals(List.of("datagramEndpoint " + new InetSocketAddress(Net.LOOPBACK, 0) + " null reusePort=false "
                        + "allowBroadcast=true made=false"), net.calls);
                assertTrue(server.protocol().made.done(), "returns after connectionMade");
                assertTrue(server.transport().getExtraInfo("socket") instanceof java.nio.channels.DatagramChannel, "the default is real");
                net.calls.clear();
                // Names resolve through the network too.
                var client = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null,
                        InetSocketAddress.createUnresolved("db.internal", 53));
                assertEquals(List.of("getaddrinfo db.internal:53", "datagramEndpoint null db.internal/10.9.9.9:53 reusePort=false "
                        + "allowBroadcast=false made=false"), net.calls);
                assertEquals(new InetSocketAddress(InetAddress.getByAddress("db.internal", new byte[] {10, 9, 9, 9}), 53),
                        client.transport().getExtraInfo("peername"));
                client.transport().close();
                server.transport().close();
                assertNull(server.protocol().lost.await());
                assertNull(client.protocol().lost.await());
            } finally {
                Streams.useNetwork(loop, null);
            }
            return null;
        });
    }

    /** A network of its own names and TCP that leaves UDP real: it does not override datagramEndpoint. */
    static final class StreamsOnlyNetwork implements Network {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws IOException {
            calls.add("getaddrinfo " + host + ":" + port);
            return List.of(new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {10, 9, 9, 9}), port));
        }

        @Override
        public Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException {
            throw new ConnectException("fake refused");
        }

        @Override
        public Listener listen(EventLoop loop, InetSocketAddress address, int backlog, Acceptor acceptor) throws IOException {
            throw new java.net.BindException("fake");
        }
    }

    @Test
    void aNetworkThatKeepsRealUdpDoesNotResolveItsNames() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            StreamsOnlyNetwork net = new StreamsOnlyNetwork();
            Streams.useNetwork(loop, net);
            try {
                // Through the network, "localhost" would be 10.9.9.9, which no real socket here can bind.
                var server = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new,
                        InetSocketAddress.createUnresolved("localhost", 0), null);
                assertEquals(List.of(), net.calls, "UDP left wholly to the real path");
                InetSocketAddress bound = (InetSocketAddress) server.transport().getExtraInfo("sockname");
                assertTrue(bound.getAddress().isLoopbackAddress(), bound.toString());
                server.transport().close();
                assertNull(server.protocol().lost.await());
            } finally {
                Streams.useNetwork(loop, null);
            }
            return null;
        });
    }

    @Test
    void withoutANetworkRealSocketsServe() throws Exception {
        Aio.run(() -> {
            assertNull(Streams.network(Aio.getRunningLoop()));
            Server server = Streams.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            assertEquals(1, server.sockets().size(), "a real listening socket");
            server.close();
            server.waitClosed();
            return null;
        });
    }
}
