package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.spi.Network;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The body of {@code loop.create_datagram_endpoint}: resolve, pair by family, bind, connect; on
 * real sockets, or through the loop's installed {@link Network}.
 */
public final class DatagramEndpoints {
    private DatagramEndpoints() {}

    /**
     * Whether a network class overrides {@link Network#datagramEndpoint}: only such a network
     * resolves UDP endpoints' names; one that keeps real UDP leaves the names to the real path
     * too (its addresses may be its own, which no real socket can bind).
     */
    private static final ClassValue<Boolean> OVERRIDES_DATAGRAM_ENDPOINT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("datagramEndpoint", EventLoop.class, InetSocketAddress.class, InetSocketAddress.class,
                        boolean.class, boolean.class, DatagramProtocol.class).getDeclaringClass() != Network.class;
            } catch (NoSuchMethodException e) {
                throw new AssertionError("Network.datagramEndpoint is public", e);
            }
        }
    };

    /**
     * Makes an endpoint on the running loop; suspends while names resolve and until the
     * protocol's connectionMade ran. Either address may be null, not both.
     */
    public static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> create(EventLoop loop, Supplier<P> protocolFactory, InetSocketAddress localAddr,
                                                              InetSocketAddress remoteAddr, boolean reusePort,
                                                              boolean allowBroadcast) throws IOException {
        Checks.notNull(protocolFactory, "protocolFactory");
        if (localAddr == null && remoteAddr == null) {
            throw new IllegalArgumentException("createDatagramEndpoint needs a local address, a remote address or both, got neither");
        }
        Network net = Networks.of(loop);
        if (net != null && OVERRIDES_DATAGRAM_ENDPOINT.get(net.getClass())) {
            return viaNetwork(net, loop, protocolFactory, localAddr, remoteAddr, reusePort, allowBroadcast);
        }
        List<InetSocketAddress[]> pairs = pairs(localAddr, remoteAddr, resolve(loop, localAddr), resolve(loop, remoteAddr));
        IOException firstError = null;
        for (InetSocketAddress[] pair : pairs) {
            InetSocketAddress local = pair[0];
            InetSocketAddress remote = pair[1];
            DatagramChannel ch;
            try {
                ch = open(local, remote, reusePort, allowBroadcast);
            } catch (IOException e) {
                if (firstError == null) {
                    firstError = e;
                }
                continue;
            }
            return start(loop, protocolFactory, ch, remote);
        }
        throw firstError;
    }

    /**
     * {@link #create} on an installed {@link Network}: names resolve through it, the same pairing
     * by family, and each pair is handed to it until one binds. The protocol is made once, before
     * the first pair (a network attaches it as it makes the endpoint).
     */
    private static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> viaNetwork(Network net, EventLoop loop, Supplier<P> protocolFactory,
                                                                   InetSocketAddress localAddr, InetSocketAddress remoteAddr,
                                                                   boolean reusePort, boolean allowBroadcast) throws IOException {
        List<InetSocketAddress[]> pairs = pairs(localAddr, remoteAddr, resolve(net, loop, localAddr), resolve(net, loop, remoteAddr));
        P protocol = Checks.notNull(protocolFactory.get(), "the protocol made by protocolFactory");
        IOException firstError = null;
        for (InetSocketAddress[] pair : pairs) {
            try {
                DatagramTransport t = Checks.notNull(net.datagramEndpoint(loop, pair[0], pair[1], reusePort, allowBroadcast, protocol),
                        "the transport made by Network.datagramEndpoint");
                return new DatagramTransportAndProtocol<>(t, protocol);
            } catch (IOException e) {
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        throw firstError;
    }

    /** The local/remote pairs to try, one per address family both sides have, the first resolved family first. */
    private static List<InetSocketAddress[]> pairs(InetSocketAddress localAddr, InetSocketAddress remoteAddr, List<InetSocketAddress> locals,
                                                   List<InetSocketAddress> remotes) {
        List<InetSocketAddress[]> pairs = new ArrayList<>();
        for (ProtocolFamily family : List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
            InetSocketAddress l = first(locals, family);
            InetSocketAddress r = first(remotes, family);
            if ((localAddr == null || l != null) && (remoteAddr == null || r != null)) {
                pairs.add(new InetSocketAddress[] {l, r});
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("createDatagramEndpoint: the local and the remote address have no address family in "
                    + "common, got local " + locals + " and remote " + remotes);
        }
        // Prefer the family of the first resolved address, as the resolver ordered them.
        InetSocketAddress firstResolved = (locals != null ? locals : remotes).get(0);
        pairs.sort((a, b) -> Boolean.compare(!sameFamily(a, firstResolved), !sameFamily(b, firstResolved)));
        return pairs;
    }

    /** A non-blocking channel with the options, bound to {@code local} and connected to {@code remote} (either may be null). */
    private static DatagramChannel open(InetSocketAddress local, InetSocketAddress remote, boolean reusePort, boolean allowBroadcast)
            throws IOException {
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(familyOf(local != null ? local : remote));
            ch.configureBlocking(false);
            if (reusePort) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IllegalArgumentException("reusePort is not supported on this platform (no SO_REUSEPORT)");
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (allowBroadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (local != null) {
                ch.bind(local);
            }
            if (remote != null) {
                ch.connect(remote);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * The default of {@link Network#datagramEndpoint}: a real UDP socket for one resolved pair,
     * with {@code protocol} attached; returns once its connectionMade ran.
     */
    public static DatagramTransport realEndpoint(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, boolean reusePort,
                                                 boolean allowBroadcast, DatagramProtocol protocol) throws IOException {
        Checks.notNull(protocol, "protocol");
        if (local == null && remote == null) {
            throw new IllegalArgumentException("datagramEndpoint needs a local address, a remote address or both, got neither");
        }
        return start(loop, () -> protocol, open(local, remote, reusePort, allowBroadcast), remote).transport();
    }

    private static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> start(EventLoop loop, Supplier<P> protocolFactory, DatagramChannel ch,
                                                              InetSocketAddress remote) throws IOException {
        P protocol;
        try {
            protocol = Checks.notNull(protocolFactory.get(), "the protocol made by protocolFactory");
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        Future<Void> waiter = loop.createFuture();
        SelectorDatagramTransport t = new SelectorDatagramTransport(loop, ch, protocol, remote, waiter, null);
        try {
            waiter.await();
        } catch (Throwable e) {
            t.abort();
            throw e;
        }
        return new DatagramTransportAndProtocol<>(t, protocol);
    }

    private static List<InetSocketAddress> resolve(Network net, EventLoop loop, InetSocketAddress a) throws IOException {
        if (a == null) {
            return null;
        }
        if (!a.isUnresolved()) {
            return List.of(a);
        }
        return net.getaddrinfo(loop, a.getHostString(), a.getPort());
    }

    private static List<InetSocketAddress> resolve(EventLoop loop, InetSocketAddress a) throws IOException {
        if (a == null) {
            return null;
        }
        if (!a.isUnresolved()) {
            return List.of(a);
        }
        return loop.getaddrinfo(a.getHostString(), a.getPort());
    }

    private static InetSocketAddress first(List<InetSocketAddress> addrs, ProtocolFamily family) {
        if (addrs == null) {
            return null;
        }
        for (InetSocketAddress a : addrs) {
            if (familyOf(a) == family) {
                return a;
            }
        }
        return null;
    }

    private static boolean sameFamily(InetSocketAddress[] pair, InetSocketAddress a) {
        InetSocketAddress x = pair[0] != null ? pair[0] : pair[1];
        return familyOf(x) == familyOf(a);
    }

    private static ProtocolFamily familyOf(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /**
     * {@code DatagramTransport.sendto}'s address rule, shared by every datagram transport (the
     * real one and aio-test's simulated one), so that both refuse the same calls the same way:
     * a connected endpoint sends only to its peer ({@code addr} null or equal to it) and not an
     * empty datagram (the JDK's connected DatagramChannel sends nothing for it); an endpoint that
     * is not connected needs an address.
     *
     * @param data the datagram
     * @param addr the address given to sendto, or null
     * @param peer the connected endpoint's peer, or null
     * @param endpoint the transport, for messages
     * @return where the datagram goes
     */
    public static SocketAddress sendTarget(byte[] data, SocketAddress addr, SocketAddress peer, Object endpoint) {
        Checks.notNull(data, "data");
        if (peer != null) {
            if (addr != null && !addr.equals(peer)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + peer + ", got " + addr);
            }
            if (data.length == 0) {
                throw new UnsupportedOperationException("sendto() of an empty datagram on a connected endpoint: the JDK's "
                        + "DatagramChannel sends nothing for an empty buffer once connected; use an endpoint without a remote "
                        + "address and give the address to sendto(): " + endpoint);
            }
            return peer;
        }
        if (addr == null) {
            throw new IllegalStateException("sendto() without an address on an endpoint that is not connected; give the "
                    + "destination address: " + endpoint);
        }
        return addr;
    }
}
