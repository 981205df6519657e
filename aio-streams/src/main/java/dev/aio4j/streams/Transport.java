package dev.aio4j.streams;

import java.util.List;

/**
 * One connection's I/O, as a {@link Protocol} sees it: writes are buffered and sent when the
 * socket can take them; reads arrive through the protocol's callbacks.
 *
 * <p><b>asyncio:</b> {@code asyncio.Transport} (read and write side together). <b>Differences:</b>
 * {@code get_write_buffer_limits()} returns a {@link WriteBufferLimits} record;
 * {@code get_extra_info(name, default)} is {@link #getExtraInfo(String, Object)}; a write on a
 * closing or closed transport drops the data and logs a warning from the fifth such write on
 * (asyncio logs the same for a lost connection, but appends to the buffer while a
 * {@code close()} is still flushing).
 *
 * <h2>Writing and flow control</h2>
 * A write goes straight to the socket while nothing is buffered; what the socket does not take
 * is copied into the write buffer and sent as the socket becomes writable. When the buffer grows
 * past the high watermark (64 KiB by default) the protocol's {@link Protocol#pauseWriting()} is
 * called; when it drains to the low watermark (a quarter of the high one by default),
 * {@link Protocol#resumeWriting()}. The buffer is bounded only by the protocol's cooperation: a
 * protocol that keeps writing while paused grows it (a {@link StreamWriter} whose
 * {@link StreamWriter#drain()} is called after each write never does).
 *
 * <h2>Closing</h2>
 * {@link #close()} stops reading, sends everything already written, then closes the socket and
 * calls {@link Protocol#connectionLost(Exception)} with null. {@link #abort()} drops what is
 * buffered and closes at once. A reset by the peer or a failed write ends in
 * {@code connectionLost} with the {@link java.io.IOException}.
 *
 * <h2>Extra info</h2>
 * {@code "peername"}, {@code "sockname"} ({@link java.net.SocketAddress}es), {@code "socket"}
 * (the {@link java.nio.channels.SocketChannel}); over TLS also {@code "sslcontext"},
 * {@code "ssl_object"} (the {@link javax.net.ssl.SSLEngine}), {@code "peercert"} (the peer's
 * certificate chain, {@code java.security.cert.Certificate[]}, or null) and {@code "cipher"}
 * (the cipher suite name).
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.1
 */
public interface Transport {
    /**
     * The default high watermark of the write buffer: 64 KiB, as asyncio.
     */
    int DEFAULT_HIGH_WATER = 64 * 1024;

    /**
     * The two watermarks of the write buffer.
     *
     * <p><b>asyncio:</b> the {@code (low, high)} tuple of {@code get_write_buffer_limits()}.
     *
     * @param low the size at or below which writing resumes
     * @param high the size above which writing pauses
     * @since 0.1
     */
    record WriteBufferLimits(int low, int high) {
    }

    /**
     * Writes {@code data}: sends it now if nothing is buffered, else buffers a copy.
     *
     * @param data the bytes; the caller may reuse the array afterwards
     * @throws IllegalStateException if {@link #writeEof()} was called
     */
    void write(byte[] data);

    /**
     * Writes each array in order, as {@link #write(byte[])} each.
     *
     * @param data the arrays
     * @throws IllegalStateException if {@link #writeEof()} was called
     */
    default void writelines(List<byte[]> data) {
        for (byte[] d : data) {
            write(d);
        }
    }

    /**
     * Closes the write side once the buffer is sent (the peer reads end of stream); reading goes
     * on.
     *
     * @throws UnsupportedOperationException if {@link #canWriteEof()} is false (TLS)
     */
    void writeEof();

    /**
     * Whether {@link #writeEof()} is supported.
     *
     * @return true for plain sockets, false over TLS
     */
    boolean canWriteEof();

    /** Stops reading, sends what is buffered, then closes. Idempotent. */
    void close();

    /** Drops what is buffered and closes at once. */
    void abort();

    /**
     * Whether {@link #close()} or {@link #abort()} was called or the connection is lost.
     *
     * @return true once closing
     */
    boolean isClosing();

    /** Stops calling {@link Protocol#dataReceived} until {@link #resumeReading()}. */
    void pauseReading();

    /** Undoes {@link #pauseReading()}. */
    void resumeReading();

    /**
     * Whether the transport is receiving data.
     *
     * @return false while paused or closing
     */
    boolean isReading();

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
    WriteBufferLimits getWriteBufferLimits();

    /**
     * How many bytes are buffered, written but not yet handed to the socket.
     *
     * @return the size
     */
    long getWriteBufferSize();

    /**
     * Information about the connection (see the class Javadoc for the names).
     *
     * @param name the name
     * @return the value, or null if unknown
     */
    default Object getExtraInfo(String name) {
        return getExtraInfo(name, null);
    }

    /**
     * Information about the connection, with a default.
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
    Protocol getProtocol();

    /**
     * Makes the transport call another protocol from now on.
     *
     * @param protocol the new protocol
     */
    void setProtocol(Protocol protocol);
}
