package dev.aio4j.streams;

import java.net.SocketAddress;

/**
 * The callbacks a {@link DatagramTransport} makes on the loop: endpoint ready, datagram received,
 * error received, endpoint closed, and send-buffer flow control.
 *
 * <p><b>asyncio:</b> {@code asyncio.DatagramProtocol} (with {@code asyncio.BaseProtocol}).
 * <b>Differences:</b> an interface whose methods all do nothing by default; each datagram arrives
 * as a fresh {@code byte[]} that the protocol owns (Python's immutable {@code bytes}); errors are
 * {@link java.io.IOException}s (Python's {@code OSError}), for instance a
 * {@link java.net.PortUnreachableException} on a connected endpoint whose peer does not listen
 * (Python's {@code ConnectionRefusedError}).
 *
 * <p>The order is asyncio's: {@code connectionMade} once, then any number of
 * {@code datagramReceived} and {@code errorReceived}, then {@code connectionLost} once.
 * {@code pauseWriting}/{@code resumeWriting} come in pairs when the transport's send buffer (the
 * datagrams the socket could not take at once) passes its high watermark and falls back to its low
 * one.
 *
 * <p><b>How to get one:</b> implement it and pass a factory to
 * {@link Streams#createDatagramEndpoint}.
 *
 * <p><b>Threading:</b> every callback runs on the loop's thread. Callbacks must not suspend;
 * start a task to do so. An exception thrown by {@code datagramReceived} or
 * {@code connectionMade} is a fatal error of the endpoint: it is reported to the loop's exception
 * handler and the transport is aborted.
 *
 * @since 0.1
 */
public interface DatagramProtocol {
    /**
     * The endpoint is ready. Called once, first.
     *
     * @param transport the endpoint's transport; keep it to send
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived.
     *
     * @param data the payload, possibly empty; the protocol owns the array
     * @param addr the sender's address (an {@link java.net.InetSocketAddress})
     */
    default void datagramReceived(byte[] data, SocketAddress addr) {
    }

    /**
     * A send or receive failed with an I/O error; the endpoint stays open.
     *
     * @param exc the error ({@link java.net.PortUnreachableException} when a connected endpoint's
     *     peer does not listen)
     */
    default void errorReceived(Exception exc) {
    }

    /**
     * The endpoint is closed. Called once, last.
     *
     * @param exc null after {@link DatagramTransport#close()} or {@link DatagramTransport#abort()};
     *     otherwise what ended it (what a callback threw)
     */
    default void connectionLost(Exception exc) {
    }

    /** The transport's send buffer went above its high watermark: stop sending for now. */
    default void pauseWriting() {
    }

    /** The transport's send buffer drained to its low watermark: sending may go on. */
    default void resumeWriting() {
    }
}
