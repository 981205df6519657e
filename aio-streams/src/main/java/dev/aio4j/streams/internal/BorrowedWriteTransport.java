package dev.aio4j.streams.internal;

import dev.aio4j.streams.Transport;

/**
 * A transport whose writes may come in a reused array: it copies whatever it keeps before the
 * call returns, so the caller may build each write in the same scratch array (the loop's, from
 * {@link LoopBuffers}). {@link SocketTransport} (what the socket does not take at once is copied
 * into its buffer) and {@link SslProtocol}'s app transport (wrapped at once; what the engine does
 * not take is copied into the backlog) are. {@link SslProtocol} lends its records to the socket
 * transport this way, and aio-http's WebSocket connection its frames. Not asyncio: its
 * {@code write(data)} keeps a {@code bytes} it is given (immutable), and copies a
 * {@code bytearray} or a {@code memoryview}.
 */
public interface BorrowedWriteTransport extends Transport {
    /**
     * Writes {@code data[offset, offset + length)}; the array is lent for this call only: the
     * caller reuses it as soon as the call returns. Otherwise as {@link Transport#write(byte[])}.
     *
     * @param data the array, read during this call only
     * @param offset where the bytes start
     * @param length how many
     */
    void writeBorrowed(byte[] data, int offset, int length);
}
