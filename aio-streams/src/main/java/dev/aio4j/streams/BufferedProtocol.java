package dev.aio4j.streams;

import java.nio.ByteBuffer;

/**
 * A protocol that receives bytes into buffers it provides, instead of a new array per read: the
 * transport asks for a buffer with {@link #getBuffer(int)}, reads into it, and reports how much
 * with {@link #bufferUpdated(int)}. For protocols that parse in place or keep a ring buffer, it
 * saves an allocation and a copy per read.
 *
 * <p><b>asyncio:</b> {@code asyncio.BufferedProtocol} ({@code get_buffer(sizehint)},
 * {@code buffer_updated(nbytes)}). <b>Differences:</b> the buffer is a {@link ByteBuffer} written
 * from its position on, which moves past the bytes written (NIO's rule) before
 * {@code bufferUpdated} is called. A socket transport reads straight into it; the others (TLS,
 * pipes, a simulated network) hand their bytes to {@link #dataReceived(byte[])}, which this
 * interface implements by copying them into buffers from {@code getBuffer}, asyncio's
 * {@code _feed_data_to_buffered_proto}.
 *
 * <p>Errors: a buffer with no room (or read-only) is an error of the connection, as in asyncio
 * ("get_buffer() returned an empty buffer"), reported to the loop's exception handler, and the
 * transport is aborted; so is an exception from either method.
 *
 * @since 0.2
 */
public interface BufferedProtocol extends Protocol {
    /**
     * Returns the buffer the next bytes go to, from its position to its limit.
     *
     * @param sizehint how many bytes are waiting, or -1 when the transport does not know (a
     *     socket read); a hint only, the buffer may be smaller or larger
     * @return a writable buffer with at least one byte of room
     */
    ByteBuffer getBuffer(int sizehint);

    /**
     * {@code nbytes} bytes were written into the buffer last returned by {@link #getBuffer(int)},
     * ending at its (moved) position.
     *
     * @param nbytes how many, &gt; 0
     */
    void bufferUpdated(int nbytes);

    /**
     * Copies {@code data} into buffers from {@link #getBuffer(int)}, calling
     * {@link #bufferUpdated(int)} after each (asyncio's {@code _feed_data_to_buffered_proto}); how a
     * transport that has the bytes in an array already delivers them.
     *
     * @param data the bytes
     * @throws IllegalStateException if {@code getBuffer} returns a buffer without room
     */
    @Override
    default void dataReceived(byte[] data) {
        int off = 0;
        while (off < data.length) {
            int left = data.length - off;
            ByteBuffer buf = getBuffer(left);
            int room = buf == null || buf.isReadOnly() ? 0 : buf.remaining();
            if (room == 0) {
                throw new IllegalStateException("getBuffer() returned " + (buf == null ? "null"
                        : buf.isReadOnly() ? "a read-only buffer" : "an empty buffer") + ": " + buf);
            }
            int n = Math.min(room, left);
            buf.put(data, off, n);
            off += n;
            bufferUpdated(n);
        }
    }
}
