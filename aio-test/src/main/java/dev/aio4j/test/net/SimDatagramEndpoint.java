package dev.aio4j.test.net;

import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;

/** A simulated UDP socket of a host: the {@link DatagramTransport} a datagram protocol sees. */
final class SimDatagramEndpoint implements DatagramTransport {
    /*
     * Maintainer notes. There is no send queue: the simulated kernel always takes a datagram, so
     * the write buffer size stays 0 and pauseWriting is never called. Datagrams that arrive wait
     * in `received` (the socket's receive buffer, capped at `receiveBuffer` bytes counting 8 per
     * datagram besides its payload) and are handed to the protocol one per loop iteration, as the
     * selector transport reads one per readiness callback: a burst that arrives within one
     * iteration fills the buffer, and what does not fit is dropped, as the kernel does. States:
     * open -> closing (close(), abort(), a crash: unbound at once, nothing delivered after) ->
     * lost (connectionLost ran).
     */
    /** What each waiting datagram costs the receive buffer besides its payload. */
    static final int OVERHEAD = 8;

    /** A datagram in flight or waiting in a receive buffer. */
    record Datagram(SimNetwork.Host src, SimDatagramEndpoint sender, InetSocketAddress from, SimNetwork.Host dst,
                    InetSocketAddress to, byte[] data, String label) {
        String describe() {
            return label + " " + data.length + "B";
        }
    }

    final SimNetwork net;
    final SimNetwork.Host host;
    final int port;
    /** The address bound, as {@code sockname} reports it (the wildcard stays the wildcard). */
    final InetSocketAddress sockname;
    /** The peer as the caller gave it ({@code peername}), or null when not connected. */
    final InetSocketAddress peername;
    /** The peer with a loopback address replaced by the host's own: what arriving datagrams are compared with. */
    final InetSocketAddress peer;
    final boolean reusePort;
    final String label;
    private DatagramProtocol protocol;
    private final ArrayDeque<Datagram> received = new ArrayDeque<>();
    private long receivedBytes;
    private boolean draining;
    boolean started;
    private boolean closing;
    private boolean lost;
    /** Why it ended (a crash, a vanish, a protocol that threw); null while open or after close(). */
    private Exception endedBy;
    private int droppedSends;
    private int high = Transport.DEFAULT_HIGH_WATER;
    private int low = Transport.DEFAULT_HIGH_WATER / 4;

    SimDatagramEndpoint(SimNetwork net, SimNetwork.Host host, int port, InetSocketAddress sockname, InetSocketAddress peername,
                        InetSocketAddress peer, boolean reusePort, DatagramProtocol protocol) {
        this.net = net;
        this.host = host;
        this.port = port;
        this.sockname = sockname;
        this.peername = peername;
        this.peer = peer;
        this.reusePort = reusePort;
        this.protocol = protocol;
        this.label = host.name + ":" + port;
    }

    /** The source address of what it sends: its host's address and its port. */
    InetSocketAddress source() {
        return new InetSocketAddress(host.address, port);
    }

    /** Calls connectionMade; returns what it threw (the endpoint then closed, the error reported), else null. */
    RuntimeException start() {
        started = true;
        try {
            protocol.connectionMade(this);
            return null;
        } catch (RuntimeException e) {
            fatal(e, "Fatal error: protocol.connectionMade() call failed.");
            return e;
        }
    }

    // ------------------------------------------------------------------------------- sending

    @Override
    public void sendto(byte[] data) {
        sendto(data, null);
    }

    @Override
    public void sendto(byte[] data, SocketAddress addr) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null, got null");
        }
        if (peername != null) {
            if (addr != null && !addr.equals(peername)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + peername + ", got " + addr);
            }
            addr = peername;
            if (data.length == 0) {
                throw new UnsupportedOperationException("sendto() of an empty datagram on a connected endpoint: the JDK's "
                        + "DatagramChannel sends nothing for an empty buffer once connected; use an endpoint without a remote "
                        + "address and give the address to sendto(): " + this);
            }
        } else if (addr == null) {
            throw new IllegalStateException("sendto() without an address on an endpoint that is not connected; give the "
                    + "destination address: " + this);
        }
        if (!(addr instanceof InetSocketAddress to) || to.isUnresolved()) {
            throw new IllegalArgumentException("sendto() needs a resolved InetSocketAddress (resolve a name with getaddrinfo), got "
                    + addr);
        }
        if (closing) {
            droppedSends++;
            return;
        }
        if (data.length > SimNetwork.MAX_UDP_PAYLOAD) {
            net.record("udp-drop", label + "->" + SimNetwork.label(to) + " " + data.length + "B (message too long)");
            errorReceived(new SocketException("Message too long: a UDP datagram over IPv4 carries at most "
                    + SimNetwork.MAX_UDP_PAYLOAD + " bytes, got " + data.length + " (nothing was sent; split it)"));
            return;
        }
        net.sendDatagram(this, data.clone(), to);
    }

    /** Reports {@code e} to the protocol; a protocol that throws ends the endpoint. */
    void errorReceived(Exception e) {
        if (lost) {
            return;
        }
        try {
            protocol.errorReceived(e);
        } catch (RuntimeException r) {
            fatal(r, "Fatal error: protocol.errorReceived() call failed.");
        }
    }

    @Override
    public long getWriteBufferSize() {
        return 0;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (high < 0 || low < 0 || low > high) {
            throw new IllegalArgumentException("write buffer limits must satisfy high >= low >= 0, got high=" + high + ", low=" + low);
        }
        this.high = high;
        this.low = low;
    }

    @Override
    public Transport.WriteBufferLimits getWriteBufferLimits() {
        return new Transport.WriteBufferLimits(low, high);
    }

    // ------------------------------------------------------------------------------ receiving

    /** A datagram reached this socket (in its host's context): into the receive buffer, or dropped if full. */
    void arrived(Datagram d) {
        if (closing) {
            net.record("udp-drop", d.describe() + " (socket closed)");
            return;
        }
        long cost = d.data().length + OVERHEAD;
        int cap = net.udpReceiveBuffer();
        if (receivedBytes + cost > cap) {
            net.record("udp-drop", d.describe() + " (receive buffer of " + cap + " bytes full)");
            return;
        }
        received.add(d);
        receivedBytes += cost;
        if (!draining) {
            draining = true;
            host.call(this::deliverOne);
        }
    }

    /** Hands the oldest waiting datagram to the protocol: one per loop iteration. */
    private void deliverOne() {
        draining = false;
        if (closing || received.isEmpty()) {
            return;
        }
        Datagram d = received.poll();
        receivedBytes -= d.data().length + OVERHEAD;
        net.record("udp-deliver", d.describe());
        try {
            protocol.datagramReceived(d.data(), d.from());
        } catch (RuntimeException e) {
            fatal(e, "Fatal error: protocol.datagramReceived() call failed.");
            return;
        }
        if (!received.isEmpty() && !closing) {
            draining = true;
            host.call(this::deliverOne);
        }
    }

    // -------------------------------------------------------------------------------- closing

    @Override
    public void close() {
        end(null);
    }

    @Override
    public void abort() {
        end(null);
    }

    /** Its host crashed or vanished: the socket is gone; the protocol hears {@code why}. */
    void closeBy(Exception why) {
        end(why);
    }

    private void fatal(RuntimeException e, String message) {
        net.loop().callExceptionHandler(ExceptionContext.of(message + " " + this, e));
        end(e);
    }

    private void end(Exception exc) {
        if (closing) {
            return;
        }
        closing = true;
        endedBy = exc;
        // What waited in the receive buffer dies with the socket, as the kernel frees it: each is traced.
        for (Datagram d : received) {
            net.record("udp-drop", d.describe() + " (socket closed)");
        }
        received.clear();
        receivedBytes = 0;
        net.unbind(this);
        net.record("udp-close", label + (exc == null ? "" : " (" + exc.getMessage() + ")"));
        host.call(() -> {
            if (lost) {
                return;
            }
            lost = true;
            if (started) {
                protocol.connectionLost(exc);
            }
        });
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** Why it ended, or null (open, or closed by close() or abort()). */
    Exception endedBy() {
        return endedBy;
    }

    boolean isOpen() {
        return !closing;
    }

    // ----------------------------------------------------------------------------------- misc

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        Object v = switch (name) {
            case "sockname" -> sockname;
            case "peername" -> peername;
            default -> null;
        };
        return v != null ? v : defaultValue;
    }

    @Override
    public DatagramProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(DatagramProtocol protocol) {
        if (protocol == null) {
            throw new IllegalArgumentException("protocol must not be null, got null");
        }
        this.protocol = protocol;
    }

    /** Sends dropped because the endpoint was closed. */
    int droppedSends() {
        return droppedSends;
    }

    @Override
    public String toString() {
        return "SimDatagramTransport[" + label + (peername != null ? ", peer=" + SimNetwork.label(peername) : "") + ", "
                + (lost ? "closed" : closing ? "closing" : "open") + ", receive buffer=" + received.size() + " datagrams]";
    }
}
