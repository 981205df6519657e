package dev.aio4j.streams;

import java.net.SocketAddress;

/**
 * A UDP endpoint, as a {@link DatagramProtocol} sees it: {@link #sendto} sends a datagram now if
 * the socket takes it, else queues it; datagrams arrive through the protocol's callbacks.
 *
 * <p><b>asyncio:</b> {@code asyncio.DatagramTransport} (its selector implementation,
 * {@code _SelectorDatagramTransport}). <b>Differences:</b> {@code sendto(data, addr=None)} is two
 * overloads; {@code get_write_buffer_limits()} returns a {@link Transport.WriteBufferLimits}
 * record; {@link #close()} with nothing queued closes the socket at once (asyncio closes it on
 * the next loop iteration, with {@code connection_lost}); errors are
 * {@link java.io.IOException}s.
 *
 * <h2>How to get one</h2>
 * {@link Streams#createDatagramEndpoint} makes the transport and calls the protocol's
 * {@link DatagramProtocol#connectionMade(DatagramTransport)} with it; with a network installed on
 * the loop, the network makes it ({@link dev.aio4j.streams.spi.Network#datagramEndpoint}).
 *
 * <h2>Sending and flow control</h2>
 * {@link #sendto(byte[], SocketAddress)} sends at once while nothing is queued. A datagram the
 * socket cannot take now (its send buffer is full) is copied into the transport's queue and sent
 * in order when the socket becomes writable. Each queued datagram counts its length plus 8 bytes
 * (the UDP header, as Python 3.13 counts it) towards {@link #getWriteBufferSize()}; above the
 * high watermark (64 KiB by default) the protocol's {@link DatagramProtocol#pauseWriting()} is
 * called, at or below the low one (a quarter of the high one), {@link DatagramProtocol#resumeWriting()}.
 * An empty datagram is sent as such. A send that fails with an I/O error (for instance an
 * unreachable port reported on a connected endpoint) is dropped and reported to
 * {@link DatagramProtocol#errorReceived(Exception)}; the endpoint stays open.
 *
 * <h2>Connected endpoints</h2>
 * An endpoint made with a remote address is connected: it sends only to that peer (an address
 * other than the peer's is refused), receives only from it, and reports errors the kernel
 * attributes to the peer (ICMP port unreachable) to {@code errorReceived}. It cannot send an
 * empty datagram: once connected, the JDK's {@link java.nio.channels.DatagramChannel} sends nothing
 * for an empty buffer, so {@code sendto} refuses one with {@link UnsupportedOperationException}
 * rather than drop it silently (asyncio 3.13 sends it); an endpoint without a remote address can.
 *
 * <p>A {@code sendto} after {@link #close()} is dropped; from the fifth one on, a warning is
 * logged (asyncio counts them the same way).
 *
 * <h2>Closing</h2>
 * {@link #close()} stops receiving at once, sends what is queued, closes the socket and calls
 * {@link DatagramProtocol#connectionLost(Exception)} with null on the next loop iteration.
 * {@link #abort()} drops the queue and closes at once.
 *
 * <h2>Extra info</h2>
 * {@code "sockname"} and {@code "peername"} ({@link java.net.InetSocketAddress}es;
 * {@code "peername"} is null unless connected), {@code "socket"} (the
 * {@link java.nio.channels.DatagramChannel}; null for an endpoint that an installed
 * {@link dev.aio4j.streams.spi.Network} simulates).
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.1
 */
public interface DatagramTransport {
    /**
     * Sends {@code data} to the connected peer.
     *
     * @param data the payload, possibly empty; the caller may reuse the array afterwards
     * @throws IllegalStateException if the endpoint is not connected (no remote address): give an
     *     address
     * @throws UnsupportedOperationException if {@code data} is empty (see the class Javadoc)
     */
    void sendto(byte[] data);

    /**
     * Sends {@code data} to {@code addr} (or to the peer if {@code addr} is null).
     *
     * @param data the payload, possibly empty; the caller may reuse the array afterwards
     * @param addr the destination; on a connected endpoint null or the peer's address
     * @throws IllegalArgumentException on a connected endpoint, if {@code addr} is not the peer's
     *     address
     * @throws IllegalStateException if {@code addr} is null and the endpoint is not connected
     * @throws UnsupportedOperationException for an empty datagram on a connected endpoint (see the
     *     class Javadoc)
     */
    void sendto(byte[] data, SocketAddress addr);

    /** Stops receiving, sends what is queued, then closes. Idempotent. */
    void close();

    /** Drops what is queued and closes at once. */
    void abort();

    /**
     * Whether {@link #close()} or {@link #abort()} was called or the endpoint failed.
     *
     * @return true once closing
     */
    boolean isClosing();

    /**
     * Bytes queued, not yet handed to the socket: each datagram's length plus 8.
     *
     * @return the size
     */
    long getWriteBufferSize();

    /**
     * Sets the watermarks: {@code low} defaults to {@code high / 4}.
     *
     * @param high the size above which the protocol is paused
     * @throws IllegalArgumentException if {@code high < 0}
     */
    default void setWriteBufferLimits(int high) {
        setWriteBufferLimits(high, high / 4);
    }

    /**
     * Sets the watermarks.
     *
     * @param high the size above which the protocol is paused
     * @param low the size at or below which it is resumed
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * The current watermarks.
     *
     * @return low and high
     */
    Transport.WriteBufferLimits getWriteBufferLimits();

    /**
     * Information about the endpoint ({@code "sockname"}, {@code "peername"}, {@code "socket"}).
     *
     * @param name the name
     * @return the value, or null if unknown
     */
    default Object getExtraInfo(String name) {
        return getExtraInfo(name, null);
    }

    /**
     * Information about the endpoint, with a default.
     *
     * @param name the name
     * @param defaultValue what to return if unknown
     * @return the value
     */
    Object getExtraInfo(String name, Object defaultValue);

    /**
     * The protocol this transport calls.
     *
     * @return the protocol
     */
    DatagramProtocol getProtocol();

    /**
     * Makes the transport call another protocol from now on.
     *
     * @param protocol the new protocol
     */
    void setProtocol(DatagramProtocol protocol);
}
