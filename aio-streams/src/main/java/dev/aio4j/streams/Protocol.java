package dev.aio4j.streams;

/**
 * The callbacks a {@link Transport} makes on the loop: connection made, data received, end of
 * stream, connection lost, and write flow control.
 *
 * <p><b>asyncio:</b> {@code asyncio.Protocol} (with {@code asyncio.BaseProtocol}).
 * <b>Differences:</b> an interface whose methods all do nothing by default; data arrives as a
 * fresh {@code byte[]} that the protocol owns (Python's immutable {@code bytes}: keep it, change
 * it, the transport never touches it again); {@code connectionLost} receives an
 * {@link Exception} or null; an exception thrown by a callback is a fatal error of the
 * connection: it is reported to the loop's exception handler and the transport is aborted.
 *
 * <p>The order is asyncio's: {@code connectionMade} once, then {@code dataReceived} any number of
 * times, then at most one {@code eofReceived}, then {@code connectionLost} once.
 * {@code pauseWriting}/{@code resumeWriting} come in pairs while connected, when the
 * transport's write buffer passes its high watermark and falls back to its low one.
 *
 * <p><b>How to get one:</b> implement it and pass a factory to
 * {@link Streams#createConnection} or {@link Streams#createServer}.
 *
 * <p><b>Threading:</b> every callback runs on the loop's thread, never inline in a
 * {@link Transport} call made by the protocol itself (except {@code pauseWriting} from inside
 * {@code write}, as in asyncio). Callbacks must not suspend; start a task to do so.
 *
 * @since 0.1
 */
public interface Protocol {
    /**
     * The connection is up. Called once, first.
     *
     * @param transport the transport of this connection; keep it to write
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Some bytes arrived.
     *
     * @param data the bytes, never empty; the protocol owns the array
     */
    default void dataReceived(byte[] data) {
    }

    /**
     * The peer sent end of stream (it will write nothing more).
     *
     * @return true to keep the connection open for writing (a half-close); false (the default)
     *     to let the transport close itself
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed. Called once, last.
     *
     * @param exc null after a regular end ({@link Transport#close()}, an end of stream, an
     *     {@link Transport#abort()}), or the error that ended it ({@link java.io.IOException} for
     *     a reset or a failed write, or what a callback threw)
     */
    default void connectionLost(Exception exc) {
    }

    /** The transport's write buffer went above its high watermark: stop writing for now. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low watermark: writing may go on. */
    default void resumeWriting() {
    }
}
