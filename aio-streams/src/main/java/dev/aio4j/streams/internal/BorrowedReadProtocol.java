package dev.aio4j.streams.internal;

import dev.aio4j.streams.Protocol;

/**
 * A protocol that consumes each read within the call, so the transport may lend it a reused array
 * instead of a new one per read: {@link SocketTransport} copies each read from the loop's direct
 * read buffer into the loop's heap read array ({@link LoopBuffers.Scratch#heapRead}) and lends
 * that; {@link SslProtocol} lends its app protocol the loop's plaintext buffer
 * ({@link LoopBuffers.Scratch#tlsPlaintext}) the same way. Implemented by {@link SslProtocol},
 * aio-http's WebSocket connection, and the server's request handler (which passes the loan on to
 * the WebSocket after an upgrade and copies a read otherwise). Not asyncio: its
 * {@code BufferedProtocol} lends the protocol's own buffer; this lends the loop's, which no
 * connection keeps while idle.
 *
 * <p>Transports that have no reused array (pipes, the simulated network, test doubles) call
 * {@link #dataReceived(byte[])} as for any protocol, with an array the protocol owns.
 */
public interface BorrowedReadProtocol extends Protocol {
    /**
     * {@code data[offset, offset + length)} arrived. The array is lent for this call only: the
     * caller reuses it as soon as the call returns, so the protocol copies whatever it keeps. The
     * bytes are not to be read after the call, and while the call runs, the protocol must not make
     * a read happen on another connection of the loop (it would reuse the same array): a
     * transport never reads from inside a write, a close or a pause, so protocols that only write,
     * close and pause keep this rule without trying.
     *
     * @param data the array, valid during this call only
     * @param offset where the bytes start
     * @param length how many, &gt; 0
     */
    void dataBorrowed(byte[] data, int offset, int length);
}
