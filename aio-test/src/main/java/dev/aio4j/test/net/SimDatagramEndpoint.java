package dev.aio4j.test.net;

import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.DatagramEndpoints;
import dev.aio4j.streams.internal.ProtocolCalls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;

/** A simulated UDP socket of a host: the {@link DatagramTransport} a datagram protocol sees. */
final class SimDatagramEndpoint implements DatagramTransport {
    /*
     * Maintainer notes.
     *
     * Sending mirrors SelectorDatagramTransport over a kernel with a send buffer: `onLink` is
     * what the socket's datagrams still occupy on the link (bytes waiting for its bandwidth,
     * each datagram charged its payload plus OVERHEAD) and the kernel takes a datagram while
     * onLink < the send buffer (sock_alloc_send_skb's test); past it, sendto() queues in
     * `queue`, whose size (payload + HEADER_SIZE each, as the real transport counts) is the
     * write buffer size that drives pauseWriting/resumeWriting at the watermarks. A datagram
     * leaving the link frees its bytes and pumps the queue. Without a bandwidth limit nothing
     * stays on the link, the queue stays empty and pauseWriting is never called.
     *
     * Datagrams that arrive wait in `received` (the socket's receive buffer, capped at
     * `receiveBuffer` bytes counting OVERHEAD per datagram besides its payload) and are handed to
     * the protocol one per loop iteration, as the selector transport reads one per readiness
     * callback: a burst that arrives within one iteration fills the buffer, and what does not
     * fit is dropped, as the kernel does.
     *
     * States: open -> closing (close(): no more sends or deliveries; still bound while the
     * queue flushes, arrivals dropped as "socket closed") -> ended (unbound, udp-close traced,
     * connectionLost scheduled; abort(), a crash or a fatal error go straight here, dropping the
     * queue, whose datagrams were never sent) -> lost (connectionLost ran).
     */
    /** The real transport's count of dropped sends from which each one is logged (asyncio's threshold). */
    static final int LOG_THRESHOLD_FOR_DROPPED_WRITES = 5;
    private static final System.Logger LOG = System.getLogger("dev.aio4j.test");
    /** What each datagram queued in the transport adds to its write buffer size (the real transport's HEADER_SIZE). */
    static final int HEADER_SIZE = 8;
    /**
     * What each datagram costs a socket buffer (receive or send) besides its payload: Linux
     * charges a buffer each datagram's skb truesize, its sk_buff and shared info besides the
     * data, about 768 bytes for a small datagram on x86-64 (more for large ones, whose data the
     * allocator rounds up: not modelled). So a 212,992-byte buffer holds about 277 small
     * datagrams, as a real one does, not 26,000.
     */
    static final int OVERHEAD = SimNetwork.UDP_DATAGRAM_OVERHEAD;

    /** A datagram in flight or waiting in a receive buffer. */
    record Datagram(SimHost src, SimDatagramEndpoint sender, InetSocketAddress from, SimHost dst,
                    InetSocketAddress to, byte[] data, String label) {
        String describe() {
            return label + " " + data.length + "B";
        }
    }

    final SimNetwork net;
    final SimHost host;
    final int port;
    /**
     * The address bound, as {@code sockname} reports it: the wildcard or a loopback address as
     * bound, and for a socket connected from the wildcard, the source address its datagrams to
     * the peer carry (a loopback address for a loopback peer, else the host's), as Linux reports
     * after {@code connect}.
     */
    final InetSocketAddress sockname;
    /** The peer as the caller gave it ({@code peername}), or null when not connected. */
    final InetSocketAddress peername;
    /** The peer with a loopback address replaced by the host's own: what arriving datagrams are compared with. */
    final InetSocketAddress peer;
    final boolean reusePort;
    final String label;
    private DatagramProtocol protocol;
    private final ArrayDeque<Datagram> received = new ArrayDeque<>();
    /** A datagram the kernel had no send-buffer room for yet: it waits in the transport. */
    private record Queued(byte[] data, InetSocketAddress to) {
    }
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** The write buffer size: the queue's payloads plus HEADER_SIZE each. */
    private long queuedBytes;
    /** What this socket's datagrams occupy on the link, waiting for its bandwidth (the kernel's send buffer in use). */
    private long onLink;
    private boolean paused;
    private long receivedBytes;
    private boolean draining;
    boolean started;
    private boolean closing;
    /** Unbound and connectionLost scheduled. */
    private boolean ended;
    private boolean lost;
    /** Why it ended (a crash, a vanish, a protocol that threw); null while open or after close(). */
    private Exception endedBy;
    private int droppedSends;
    private int high = Transport.DEFAULT_HIGH_WATER;
    private int low = Transport.DEFAULT_HIGH_WATER / 4;

    SimDatagramEndpoint(SimNetwork net, SimHost host, int port, InetSocketAddress sockname, InetSocketAddress peername,
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

    /**
     * The source address of a datagram it sends to {@code dest}, as the kernel stamps it: its
     * loopback address if bound (or connected) to one; a loopback address for what goes to a
     * loopback or wildcard destination (the host itself, over its loopback interface); else its
     * host's address. Its port either way.
     */
    InetSocketAddress source(InetAddress dest) {
        InetAddress bound = sockname.getAddress();
        if (bound.isLoopbackAddress()) {
            return sockname;
        }
        if (dest.isLoopbackAddress() || dest.isAnyLocalAddress()) {
            return new InetSocketAddress(SimUdp.loopbackLike(dest), port);
        }
        return new InetSocketAddress(host.address, port);
    }

    /** Calls connectionMade; returns what it threw (the endpoint then closed, the error reported), else null. */
    RuntimeException start() {
        started = true;
        OpenResources.opened(net.loop(), this, this::isClosing);
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
        addr = DatagramEndpoints.sendTarget(data, addr, peername, this);
        if (!(addr instanceof InetSocketAddress to) || to.isUnresolved()) {
            throw new IllegalArgumentException("sendto() needs a resolved InetSocketAddress (resolve a name with getaddrinfo), got "
                    + addr);
        }
        if (closing) {
            droppedSends++;
            if (droppedSends >= LOG_THRESHOLD_FOR_DROPPED_WRITES) {
                LOG.log(System.Logger.Level.WARNING, "sendto() on a closing or closed datagram transport: " + data.length
                        + " bytes dropped (" + droppedSends + " sends so far): " + this);
            }
            return;
        }
        if (queue.isEmpty() && onLink < net.udpSendBuffer()) {
            transmit(data.clone(), to);
            return;
        }
        queue.add(new Queued(data.clone(), to));
        queuedBytes += data.length + HEADER_SIZE;
        if (queuedBytes > high && !paused) {
            paused = true;
            flowCall(true);
        }
    }

    /** Hands one datagram to the simulated kernel: too long, or onto the link, where it holds send-buffer room until it leaves. */
    private void transmit(byte[] data, InetSocketAddress to) {
        if (data.length > SimNetwork.MAX_UDP_PAYLOAD) {
            net.messageTooLong(this, data, to);
            errorReceived(new SocketException("Message too long: a UDP datagram over IPv4 carries at most "
                    + SimNetwork.MAX_UDP_PAYLOAD + " bytes, got " + data.length + " (nothing was sent; split it)"));
            return;
        }
        double leaves = net.sendDatagram(this, data, to);
        if (leaves > net.loop().time() && !net.isStopped()) { // stopped: nothing will free the room, the datagram went nowhere
            long cost = data.length + OVERHEAD;
            onLink += cost;
            host.callAt(leaves, "udp send buffer", label, () -> {
                onLink -= cost;
                pump();
            });
        }
    }

    /**
     * Its network was uninstalled (SimUdp.stopped): the timers that would free its send buffer
     * are cancelled, so the buffer is empty from now on and what waits in the transport is sent
     * (nowhere) on the next iteration, resuming a paused writer and ending a close.
     */
    void networkStopped() {
        onLink = 0;
        host.call(this::pump);
    }

    /** Sends what waited in the transport while the send buffer has room; resumes the writer at the low mark; ends a flushed close. */
    private void pump() {
        if (ended) {
            return;
        }
        while (!queue.isEmpty() && onLink < net.udpSendBuffer() && !ended) {
            Queued q = queue.poll();
            queuedBytes -= q.data().length + HEADER_SIZE;
            transmit(q.data(), q.to());
        }
        if (paused && queuedBytes <= low && !ended) {
            paused = false;
            flowCall(false);
        }
        if (closing && queue.isEmpty() && !ended) {
            end(null);
        }
    }

    /** pauseWriting or resumeWriting; a failure goes to the loop's exception handler, as the real transport's does. */
    private void flowCall(boolean pause) {
        if (pause) {
            ProtocolCalls.call(net.loop(), "pauseWriting", this, protocol::pauseWriting);
        } else {
            ProtocolCalls.call(net.loop(), "resumeWriting", this, protocol::resumeWriting);
        }
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
        return queuedBytes;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (high < 0 || low < 0 || low > high) {
            throw new IllegalArgumentException("write buffer limits must satisfy high >= low >= 0, got high=" + high + ", low=" + low);
        }
        this.high = high;
        this.low = low;
        if (queuedBytes > high && !paused) {
            paused = true;
            flowCall(true);
        }
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
        if (closing) {
            return;
        }
        closing = true;
        dropReceived();
        if (queue.isEmpty()) {
            end(null);
        } // else the queue flushes first, as the real transport's does; pump() ends it
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

    /** What waited in the receive buffer dies with the socket, as the kernel frees it: each is traced. */
    private void dropReceived() {
        for (Datagram d : received) {
            net.record("udp-drop", d.describe() + " (socket closed)");
        }
        received.clear();
        receivedBytes = 0;
    }

    private void end(Exception exc) {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        endedBy = exc;
        dropReceived();
        // Never handed to the kernel, so never in the trace: dropped with the socket, as the real transport does.
        queue.clear();
        queuedBytes = 0;
        host.unbindUdp(port, this);
        net.record("udp-close", label + (exc == null ? "" : " (" + exc.getMessage() + ")"));
        host.call(() -> {
            if (lost) {
                return;
            }
            lost = true;
            if (started) {
                ProtocolCalls.call(net.loop(), "connectionLost", this, () -> protocol.connectionLost(exc));
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

    /** Whether it is still bound (not ended): a closing socket flushing its queue still is. */
    boolean isBound() {
        return !ended;
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
                + (lost ? "closed" : closing ? "closing" : "open") + ", receive buffer=" + received.size() + " datagrams, send buffer="
                + queue.size() + " datagrams, " + queuedBytes + " bytes]";
    }
}
