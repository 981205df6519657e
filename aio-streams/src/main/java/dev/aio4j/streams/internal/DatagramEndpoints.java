package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.DatagramProtocol;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The body of {@code loop.create_datagram_endpoint}: resolve, pair by family, bind, connect. */
public final class DatagramEndpoints {
    private DatagramEndpoints() {}

    /** The transport and the protocol of a new endpoint. */
    public record Made<P extends DatagramProtocol>(SelectorDatagramTransport transport, P protocol) {
    }

    /**
     * Makes an endpoint on the running loop; suspends while names resolve and until the
     * protocol's connectionMade ran. Either address may be null, not both.
     */
    public static <P extends DatagramProtocol> Made<P> create(EventLoop loop, Supplier<P> protocolFactory, InetSocketAddress localAddr,
                                                              InetSocketAddress remoteAddr, boolean reusePort,
                                                              boolean allowBroadcast) throws IOException {
        Checks.notNull(protocolFactory, "protocolFactory");
        if (localAddr == null && remoteAddr == null) {
            throw new IllegalArgumentException("createDatagramEndpoint needs a local address, a remote address or both, got neither");
        }
        List<InetSocketAddress> locals = resolve(loop, localAddr);
        List<InetSocketAddress> remotes = resolve(loop, remoteAddr);
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
        IOException firstError = null;
        for (InetSocketAddress[] pair : pairs) {
            InetSocketAddress local = pair[0];
            InetSocketAddress remote = pair[1];
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
            } catch (IOException e) {
                closeQuietly(ch);
                if (firstError == null) {
                    firstError = e;
                }
                continue;
            } catch (RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
            return start(loop, protocolFactory, ch, remote);
        }
        throw firstError;
    }

    private static <P extends DatagramProtocol> Made<P> start(EventLoop loop, Supplier<P> protocolFactory, DatagramChannel ch,
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
        return new Made<>(t, protocol);
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
}
