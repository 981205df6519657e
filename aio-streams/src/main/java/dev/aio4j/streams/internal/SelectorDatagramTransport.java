package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A UDP socket driven by the loop's readiness callbacks: asyncio's
 * {@code _SelectorDatagramTransport}.
 */
public final class SelectorDatagramTransport implements DatagramTransport {
    /*
     * Maintainer notes.
     *
     * State: open -> closing (close(): reader removed; queue flushing) -> lost (connLost > 0:
     * channel closed, connectionLost scheduled) -> finished (lostCalled). abort() and fatal
     * errors go straight to lost, dropping the queue. A sendto() once closing is dropped and
     * counted in droppedSends.
     *
     * Invariants: a writer is registered iff the queue is non-empty and connLost == 0; a reader
     * iff started && !closing. bufferSize is the sum over the queue of (length + HEADER_SIZE).
     *
     * All socket calls go through `io`, the channel itself except in tests, which substitute
     * one that says "would block" or fails on demand (what CPython's tests do with mocks).
     */
    /** What each queued datagram adds to the buffer size besides its payload (Python 3.13's _header_size). */
    public static final int HEADER_SIZE = 8;
    /** The largest datagram we can receive: a UDP payload is at most 65,507 bytes over IPv4, 65,527 over IPv6. */
    static final int MAX_DATAGRAM = 65_536;
    /** The loop's shared datagram buffer (LoopBuffers): receives are confined to the loop. */
    private final ByteBuffer readBuffer;

    /** The socket calls the transport makes; a seam for tests. */
    public interface Io {
        /**
         * Sends one datagram. Returns true if sent, false if the socket's buffer has no room now
         * (an empty datagram always counts as sent: the JDK cannot tell the two apart).
         */
        boolean send(ByteBuffer src, SocketAddress target) throws IOException;

        /** Receives one datagram into {@code dst}; null when none is waiting. */
        SocketAddress receive(ByteBuffer dst) throws IOException;
    }

    /** The real socket calls on {@code channel}. */
    public static Io channelIo(DatagramChannel channel) {
        return new Io() {
            @Override
            public boolean send(ByteBuffer src, SocketAddress target) throws IOException {
                int len = src.remaining();
                int n = channel.send(src, target);
                return n > 0 || len == 0;
            }

            @Override
            public SocketAddress receive(ByteBuffer dst) throws IOException {
                return channel.receive(dst);
            }
        };
    }

    private record Queued(byte[] data, SocketAddress addr) {
    }

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final Io io;
    private final SocketAddress address;
    private final SocketAddress sockname;
    private DatagramProtocol protocol;
    /** The watermarks; reads {@code protocol} at each call, since setProtocol may replace it. */
    private final WriteFlowControl flow;
    private final ArrayDeque<Queued> buffer = new ArrayDeque<>();
    private long bufferSize;
    private boolean started;
    private boolean closing;
    private int connLost;
    private boolean lostCalled;
    private int droppedSends;

    /**
     * Wraps a non-blocking channel; {@code address} is the peer of a connected channel, else null.
     * The protocol's connectionMade runs on the next iteration, then receiving starts, then
     * {@code waiter} (if any) completes.
     */
    public SelectorDatagramTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol, SocketAddress address,
                                     Future<Void> waiter, Io io) {
        this.loop = loop;
        this.readBuffer = LoopBuffers.of(loop).datagram(MAX_DATAGRAM);
        this.channel = channel;
        this.protocol = protocol;
        this.flow = new WriteFlowControl(loop, () -> this.protocol.pauseWriting(), () -> this.protocol.resumeWriting());
        this.address = address;
        this.io = io != null ? io : channelIo(channel);
        SocketAddress local;
        try {
            local = channel.getLocalAddress();
        } catch (IOException e) {
            local = null;
        }
        this.sockname = local;
        loop.callSoon(() -> start(waiter));
    }

    private void start(Future<Void> waiter) {
        if (connLost > 0) {
            if (waiter != null) {
                waiter.cancel(); // aborted before it started: whoever waited has gone
            }
            return;
        }
        started = true;
        OpenResources.opened(loop, this, this::isClosing);
        try {
            protocol.connectionMade(this);
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.connectionMade() call failed.");
            if (waiter != null && !waiter.done()) {
                waiter.setException(e);
            }
            return;
        }
        if (!closing) {
            loop.addReader(channel, this::readReady);
        }
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
    }

    // ------------------------------------------------------------------------------- receiving

    private void readReady() {
        if (connLost > 0) {
            return;
        }
        ByteBuffer b = readBuffer;
        b.clear();
        SocketAddress from;
        try {
            from = io.receive(b);
        } catch (IOException e) {
            try {
                protocol.errorReceived(e);
            } catch (RuntimeException r) {
                fatalError(r, "Fatal error: protocol.errorReceived() call failed.");
            }
            return;
        } catch (RuntimeException e) {
            fatalError(e, "Fatal read error on datagram transport");
            return;
        }
        if (from == null) {
            return; // nothing after all (asyncio: BlockingIOError)
        }
        byte[] data = Arrays.copyOf(b.array(), b.position());
        try {
            protocol.datagramReceived(data, from);
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.datagramReceived() call failed.");
        }
    }

    // --------------------------------------------------------------------------------- sending

    @Override
    public void sendto(byte[] data) {
        sendto(data, null);
    }

    @Override
    public void sendto(byte[] data, SocketAddress addr) {
        addr = DatagramEndpoints.sendTarget(data, addr, address, this);
        if (closing || connLost > 0) {
            droppedSends = DroppedWrites.drop(droppedSends, data.length, "sendto() on a closing or closed datagram transport",
                    "sends", this);
            return;
        }
        if (buffer.isEmpty()) {
            int sent = send(data, addr);
            if (sent != 0) {
                return; // sent, or failed and reported
            }
            loop.addWriter(channel, this::sendtoReady);
        }
        buffer.add(new Queued(data.clone(), addr));
        bufferSize += data.length + HEADER_SIZE;
        flow.afterGrow(bufferSize, this);
    }

    private void sendtoReady() {
        while (!buffer.isEmpty()) {
            Queued q = buffer.pollFirst();
            bufferSize -= q.data().length + HEADER_SIZE;
            int sent = send(q.data(), q.addr());
            if (sent < 0) {
                return;
            }
            if (sent == 0) {
                buffer.addFirst(q); // try again later
                bufferSize += q.data().length + HEADER_SIZE;
                break;
            }
        }
        flow.afterShrink(bufferSize, this);
        if (buffer.isEmpty() && connLost == 0) {
            loop.removeWriter(channel);
            if (closing) {
                connLost++;
                closeChannel();
                loop.callSoon(() -> callConnectionLost(null));
            }
        }
    }

    /**
     * One datagram to the socket: 1 if it was sent, 0 if the socket has no room now, -1 if the send
     * failed (an IOException goes to the protocol's errorReceived, anything else is fatal).
     */
    private int send(byte[] data, SocketAddress addr) {
        try {
            return io.send(ByteBuffer.wrap(data), addr) ? 1 : 0;
        } catch (IOException e) {
            errorReceived(e);
            return -1;
        } catch (RuntimeException e) {
            fatalError(e, "Fatal write error on datagram transport");
            return -1;
        }
    }

    private void errorReceived(IOException e) {
        try {
            protocol.errorReceived(e);
        } catch (RuntimeException r) {
            fatalError(r, "Fatal error: protocol.errorReceived() call failed.");
        }
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        flow.setLimits(high, low, bufferSize, this);
    }

    @Override
    public Transport.WriteBufferLimits getWriteBufferLimits() {
        return flow.limits();
    }

    @Override
    public long getWriteBufferSize() {
        return bufferSize;
    }

    // --------------------------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.removeReader(channel);
        if (buffer.isEmpty()) {
            connLost++;
            loop.removeWriter(channel);
            closeChannel();
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** Ends the endpoint with {@code exc} (asyncio's _fatal_error): reported, then forced closed. */
    public void fatalError(Exception exc, String message) {
        IoErrors.reportFatal(loop, exc, message, this);
        forceClose(exc);
    }

    private void forceClose(Exception exc) {
        if (connLost > 0) {
            return;
        }
        if (!buffer.isEmpty()) {
            buffer.clear();
            bufferSize = 0;
        }
        loop.removeWriter(channel);
        if (!closing) {
            closing = true;
            loop.removeReader(channel);
        }
        connLost++;
        closeChannel();
        loop.callSoon(() -> callConnectionLost(exc));
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private void callConnectionLost(Exception exc) {
        if (lostCalled) {
            return;
        }
        lostCalled = true;
        try {
            if (started) {
                protocol.connectionLost(exc);
            }
        } finally {
            closeChannel();
        }
    }

    // ------------------------------------------------------------------------------------ misc

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return SocketTransport.socketInfo(name, defaultValue, address, sockname, channel);
    }

    @Override
    public DatagramProtocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(DatagramProtocol protocol) {
        this.protocol = Checks.notNull(protocol, "protocol");
    }

    /** Sends dropped because the endpoint was closing (asyncio counts them in _conn_lost). */
    public int droppedSends() {
        return droppedSends;
    }

    @Override
    public String toString() {
        return "DatagramTransport[local=" + sockname + (address != null ? ", peer=" + address : "") + ", "
                + SocketTransport.stateName(closing, connLost, lostCalled)
                + ", send buffer=" + buffer.size() + " datagrams, " + bufferSize + " bytes]";
    }
}
