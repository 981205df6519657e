package dev.aio4j.test.net;

import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The UDP side of a {@link SimNetwork}: binding datagram endpoints (ports, the wildcard and
 * loopback addresses, reusePort), routing each datagram over its link (dropped at a partition or
 * by loss, kept by a hold up to the hold queue), handing it to the socket it is for, the ICMP
 * port-unreachable reply a connected sender hears, and the buffer sizes of every socket. The
 * socket itself is {@link SimDatagramEndpoint}.
 */
final class SimUdp {
    /*
     * Maintainer notes. A datagram is routed when it arrives, not when it is sent: a partition
     * or hold that starts while it travels still drops or keeps it. What a hold keeps waits here
     * (heldDatagrams, heldIcmp), in the order it reached the held link, and the link counts it
     * against the hold queue (SimLinks.keepDatagram). The network is kept for its loop and its
     * name in messages, and handed to the sockets made here.
     */
    private final SimNetwork net;
    private final SimTrace trace;
    private final SimLinks links;
    private final SimHosts hosts;
    /** Datagrams that reached the far end of a held link, in the order they did (after their latency). */
    private final List<SimDatagramEndpoint.Datagram> heldDatagrams = new ArrayList<>();
    /** ICMP port-unreachable replies that reached a held link. */
    private final List<HeldIcmp> heldIcmp = new ArrayList<>();
    private int udpReceiveBuffer = SimNetwork.DEFAULT_UDP_RECEIVE_BUFFER;
    private int udpSendBuffer = SimNetwork.DEFAULT_UDP_SEND_BUFFER;
    private int udpHoldQueue = SimNetwork.DEFAULT_UDP_HOLD_QUEUE;

    SimUdp(SimNetwork net, SimTrace trace, SimLinks links, SimHosts hosts) {
        this.net = net;
        this.trace = trace;
        this.links = links;
        this.hosts = hosts;
    }

    void setReceiveBuffer(int bytes) {
        udpReceiveBuffer = bytes;
    }

    void setSendBuffer(int bytes) {
        udpSendBuffer = bytes;
    }

    void setHoldQueue(int datagrams) {
        udpHoldQueue = datagrams;
    }

    int udpReceiveBuffer() {
        return udpReceiveBuffer;
    }

    int udpSendBuffer() {
        return udpSendBuffer;
    }

    /** {@link SimNetwork#datagramEndpoint}, after the loop check ({@code allowBroadcast} has no effect). */
    DatagramTransport datagramEndpoint(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, boolean reusePort,
                                       DatagramProtocol protocol) throws IOException {
        if (protocol == null) {
            throw new IllegalArgumentException("protocol must not be null, got null");
        }
        if (local == null && remote == null) {
            throw new IllegalArgumentException("datagramEndpoint needs a local address, a remote address or both, got neither");
        }
        InetAddress a = local == null ? null : local.getAddress();
        SimHost h = a == null || a.isAnyLocalAddress() || a.isLoopbackAddress() ? hosts.current() : hosts.at(a);
        if (h == null || !h.isUp()) {
            throw new BindException("Cannot assign requested address: " + local + (h == null ? " (no such host in " + net + ")"
                    : " (host " + h.name + " is down)"));
        }
        if (remote != null && remote.isUnresolved()) {
            throw new IllegalArgumentException("datagramEndpoint needs a resolved remote address, got " + remote);
        }
        int port = local == null || local.getPort() == 0 ? h.freeUdpPort() : local.getPort();
        List<SimDatagramEndpoint> bound = h.udpSockets(port);
        if (!bound.isEmpty() && !(reusePort && bound.stream().allMatch(e -> e.reusePort))) {
            throw new BindException("Address already in use: " + h.name + ":" + port + " (UDP"
                    + (reusePort ? "; a socket bound there did not ask for reusePort)" : "; pass reusePort to share it)"));
        }
        InetSocketAddress sockname;
        if (remote != null && (a == null || a.isAnyLocalAddress())) {
            // connect() picks the source address: the loopback one for a peer on the host's loopback.
            InetAddress r = remote.getAddress();
            sockname = new InetSocketAddress(r.isLoopbackAddress() || r.isAnyLocalAddress() ? loopbackLike(r) : h.address, port);
        } else if (a != null && (a.isAnyLocalAddress() || a.isLoopbackAddress())) {
            sockname = new InetSocketAddress(a, port); // as bound
        } else {
            sockname = new InetSocketAddress(h.address, port);
        }
        InetSocketAddress peer = remote == null ? null : remote.getAddress().isLoopbackAddress() || remote.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(h.address, remote.getPort()) : remote;
        SimDatagramEndpoint e = new SimDatagramEndpoint(net, h, port, sockname, remote, peer, reusePort, protocol);
        h.bindUdp(port, e);
        trace.record("udp-bind", e.label + (peer == null ? "" : " connected to " + udpLabel(peer)));
        Future<Void> made = loop.createFuture();
        h.call(() -> {
            if (made.done()) {
                return; // cancelled before it started
            }
            if (!e.isOpen()) {
                // Its host crashed or vanished between the bind and connectionMade: the caller hears why.
                made.setException(new SocketException(e.endedBy() != null ? e.endedBy().getMessage()
                        : "UDP socket " + e.label + " closed before it started"));
                return;
            }
            RuntimeException failed = e.start();
            if (failed == null) {
                made.setResult(null);
            } else {
                made.setException(failed);
            }
        });
        try {
            made.await();
        } catch (CancelledError c) {
            e.abort();
            throw c;
        } catch (CompletionException c) {
            if (c.getCause() instanceof IOException io) {
                throw io;
            }
            throw c;
        }
        return e;
    }

    /** Hands on the ICMP replies that waited at holds that are gone now, in the order they waited. */
    void releaseHeldIcmp() {
        if (!heldIcmp.isEmpty()) {
            List<HeldIcmp> still = new ArrayList<>();
            for (HeldIcmp i : heldIcmp) {
                if (links.holding(i.d().dst(), i.d().src())) {
                    still.add(i);
                } else {
                    i.d().src().call(() -> icmpArrived(i.d(), i.sender()));
                }
            }
            heldIcmp.clear();
            heldIcmp.addAll(still);
        }
    }

    /** Hands on the datagrams that waited at holds that are gone now, in the order they waited. */
    void releaseHeldDatagrams() {
        if (!heldDatagrams.isEmpty()) {
            List<SimDatagramEndpoint.Datagram> still = new ArrayList<>();
            for (SimDatagramEndpoint.Datagram d : heldDatagrams) {
                if (links.holding(d.src(), d.dst())) {
                    still.add(d);
                } else {
                    links.datagramReleased(d.src(), d.dst());
                    d.dst().call(() -> datagramArrived(d));
                }
            }
            heldDatagrams.clear();
            heldDatagrams.addAll(still);
        }
    }

    /**
     * The network stopped: what waited at holds goes nowhere, and is forgotten. On
     * {@code uninstall()} ({@code settle}; not when the loop closes) each socket's send buffer is
     * freed, as the timers that would free it are cancelled, so that its queue flushes (nowhere)
     * and a close ends (SimDatagramEndpoint.networkStopped).
     */
    void stopped(boolean settle) {
        heldIcmp.clear();
        heldDatagrams.clear();
        if (!settle) {
            return;
        }
        for (String name : hosts.names()) {
            for (SimDatagramEndpoint e : hosts.named(name).udpEndpoints()) {
                e.networkStopped();
            }
        }
    }

    /** The loopback address of {@code a}'s family: 127.0.0.1 or ::1. */
    static InetAddress loopbackLike(InetAddress a) {
        try {
            return a instanceof java.net.Inet6Address ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // literals never look anything up
        }
    }

    private String udpLabel(InetSocketAddress a) {
        SimHost h = a.getAddress() == null ? null : hosts.at(a.getAddress());
        return h != null ? h.name + ":" + a.getPort() : SimNetwork.label(a);
    }

    /**
     * A datagram too long to send: traced as sent and dropped, labelled as any other datagram
     * (the sender's errorReceived hears of it), so sent = delivered + dropped still holds.
     */
    void messageTooLong(SimDatagramEndpoint from, byte[] data, InetSocketAddress to) {
        InetAddress ta = to.getAddress();
        SimHost dst = ta.isLoopbackAddress() || ta.isAnyLocalAddress() ? from.host : hosts.at(ta);
        String d = from.label + "->" + udpLabel(dst == null ? to : new InetSocketAddress(dst.address, to.getPort())) + " "
                + data.length + "B";
        trace.record("udp-send", d);
        trace.record("udp-drop", d + " (message too long)");
    }

    /**
     * Sends one datagram (already copied) from {@code from}: dropped at once if the destination
     * is no host, the link is cut or loses it; else due after the link's bandwidth and a latency
     * drawn for it alone, so datagrams may overtake each other. Returns when it has left the
     * link's bandwidth queue (now if it never joined it): until then it takes room in the
     * sender's send buffer.
     */
    double sendDatagram(SimDatagramEndpoint from, byte[] data, InetSocketAddress to) {
        SimHost src = from.host;
        InetAddress ta = to.getAddress();
        SimHost dst = ta.isLoopbackAddress() || ta.isAnyLocalAddress() ? src : hosts.at(ta); // 0.0.0.0: this host, as Linux takes it
        InetSocketAddress target = dst == null ? to : new InetSocketAddress(dst.address, to.getPort());
        SimDatagramEndpoint.Datagram d = new SimDatagramEndpoint.Datagram(src, from, from.source(ta), dst, target, data,
                from.label + "->" + udpLabel(target));
        trace.record("udp-send", d.describe());
        double now = net.loop().time();
        if (dst == null) {
            trace.record("udp-drop", d.describe() + " (no route: not a host of the network)");
            return now;
        }
        if (links.cut(src, dst)) {
            trace.record("udp-drop", d.describe() + " (partition)");
            return now;
        }
        if (links.loses(src, dst)) {
            trace.record("udp-drop", d.describe() + " (lost)");
            return now;
        }
        double leaves = links.serialised(src, dst, data.length, now);
        dst.callAt(leaves + links.latency(src, dst), "datagram due", d.label(), () -> datagramArrived(d));
        return leaves;
    }

    /** A datagram reached its destination host (in its context), or a released hold. */
    private void datagramArrived(SimDatagramEndpoint.Datagram d) {
        if (links.cut(d.src(), d.dst())) {
            trace.record("udp-drop", d.describe() + " (partition)");
            return;
        }
        if (links.holding(d.src(), d.dst())) {
            if (!links.keepDatagram(d.src(), d.dst(), udpHoldQueue)) {
                trace.record("udp-drop", d.describe() + " (held queue full)");
                return;
            }
            trace.record("udp-held", d.describe());
            heldDatagrams.add(d);
            return;
        }
        if (!d.dst().isUp()) {
            trace.record("udp-drop", d.describe() + " (host " + d.dst().name + (d.dst().vanished() ? " vanished)" : " is down)"));
            return;
        }
        // Matched on the sending host's address, as connected sockets' peers are kept.
        SimDatagramEndpoint e = udpSocketFor(d.dst(), d.to().getPort(), new InetSocketAddress(d.src().address, d.from().getPort()));
        if (e != null) {
            e.arrived(d);
            return;
        }
        trace.record("udp-drop", d.describe() + " (port unreachable)");
        SimDatagramEndpoint sender = d.sender();
        if (sender.peer != null && sender.peer.equals(d.to()) && sender.isOpen()) {
            // ICMP port unreachable, which Linux reports to a connected socket only. It crosses the
            // link back as a datagram does: a partition drops it, the link's loss may, a hold keeps it.
            if (links.cut(d.dst(), d.src())) {
                trace.record("udp-unreachable-drop", d.describe() + " (partition)");
                return;
            }
            if (links.loses(d.dst(), d.src())) {
                trace.record("udp-unreachable-drop", d.describe() + " (lost)");
                return;
            }
            d.src().callAt(net.loop().time() + links.latency(d.dst(), d.src()), "icmp due", d.label(), () -> icmpArrived(d, sender));
        }
    }

    /** An ICMP port unreachable for {@code d} reached its sender's host (in its context), or a released hold. */
    private void icmpArrived(SimDatagramEndpoint.Datagram d, SimDatagramEndpoint sender) {
        if (links.cut(d.dst(), d.src())) {
            trace.record("udp-unreachable-drop", d.describe() + " (partition)");
            return;
        }
        if (links.holding(d.dst(), d.src())) {
            heldIcmp.add(new HeldIcmp(d, sender));
            return;
        }
        if (sender.isOpen() && d.src().isUp()) {
            trace.record("udp-unreachable", d.describe());
            sender.errorReceived(new PortUnreachableException("Connection refused: nothing is bound to UDP port "
                    + udpLabel(d.to()) + " (ICMP port unreachable)"));
        }
    }

    /** An ICMP port unreachable a hold keeps on its way back to {@code sender}. */
    private record HeldIcmp(SimDatagramEndpoint.Datagram d, SimDatagramEndpoint sender) {
    }

    /**
     * The socket of {@code h} that takes a datagram from {@code from} to {@code port}: one
     * connected to {@code from}, else an unconnected one; among several (reusePort), the same one
     * for a given sender.
     */
    private static SimDatagramEndpoint udpSocketFor(SimHost h, int port, InetSocketAddress from) {
        List<SimDatagramEndpoint> bound = h.udpSockets(port);
        if (bound.isEmpty()) {
            return null;
        }
        List<SimDatagramEndpoint> connected = new ArrayList<>();
        List<SimDatagramEndpoint> open = new ArrayList<>();
        for (SimDatagramEndpoint e : bound) {
            if (e.peer == null) {
                open.add(e);
            } else if (e.peer.equals(from)) {
                connected.add(e);
            }
        }
        List<SimDatagramEndpoint> pick = connected.isEmpty() ? open : connected;
        return pick.isEmpty() ? null : pick.get(Math.floorMod(from.hashCode(), pick.size()));
    }
}
