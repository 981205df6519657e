package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Scratch buffers shared by the transports of one loop. A transport reads only from its loop's
 * code, and a loop runs one piece of code at a time, so one buffer per loop serves every
 * connection on it. Not a {@code ThreadLocal}: with the portable scheduler passing the baton, the
 * loop's code runs on whichever task thread holds it, and a per-thread buffer would give every
 * long-lived task thread its own copy (10,000 keep-alive handlers would hold 2.5 GiB of 256 KiB
 * direct buffers). Each transport looks its buffer up once, when it is made.
 */
public final class LoopBuffers {
    private static final Map<EventLoop, ByteBuffer> DIRECT_READ = new WeakHashMap<>();
    private static final Map<EventLoop, ByteBuffer> HEAP_DATAGRAM = new WeakHashMap<>();
    private static final Map<EventLoop, ByteBuffer> TLS_PLAINTEXT = new WeakHashMap<>();
    private static final Map<EventLoop, ByteBuffer> TLS_RECORDS = new WeakHashMap<>();

    private LoopBuffers() {}

    /**
     * The loop's direct read buffer of {@code size} bytes (sockets read into it without the
     * JDK's own temporary copy).
     *
     * @param loop the loop
     * @param size its capacity; the first caller for a loop decides it
     * @return the buffer; use it only from the loop's code
     */
    public static ByteBuffer directRead(EventLoop loop, int size) {
        synchronized (DIRECT_READ) {
            return DIRECT_READ.computeIfAbsent(loop, l -> ByteBuffer.allocateDirect(size));
        }
    }

    /**
     * The loop's heap buffer for receiving one datagram of up to {@code size} bytes.
     *
     * @param loop the loop
     * @param size its capacity; the first caller for a loop decides it
     * @return the buffer; use it only from the loop's code
     */
    public static ByteBuffer datagram(EventLoop loop, int size) {
        synchronized (HEAP_DATAGRAM) {
            return HEAP_DATAGRAM.computeIfAbsent(loop, l -> ByteBuffer.allocate(size));
        }
    }

    /**
     * The loop's heap buffer that TLS connections unwrap records into before handing the
     * plaintext to their app protocol (which gets a copy): empty whenever the loop's code is not
     * inside an unwrap, so every connection of the loop can use it, instead of each keeping
     * several records' worth of buffer for its whole life.
     *
     * @param loop the loop
     * @param minSize the capacity the caller needs; a smaller buffer is replaced
     * @return the buffer, of at least {@code minSize} bytes; use it only from the loop's code
     */
    public static ByteBuffer tlsPlaintext(EventLoop loop, int minSize) {
        synchronized (TLS_PLAINTEXT) {
            ByteBuffer b = TLS_PLAINTEXT.get(loop);
            if (b == null || b.capacity() < minSize) {
                b = ByteBuffer.allocate(minSize);
                TLS_PLAINTEXT.put(loop, b);
            }
            return b;
        }
    }

    /**
     * The loop's heap buffer that TLS connections wrap a write's records into before handing them
     * to the socket transport (which copies what it keeps): flushed before the wrap returns, so
     * every connection of the loop can use it.
     *
     * @param loop the loop
     * @param minSize the capacity the caller needs; a smaller buffer is replaced
     * @return the buffer, of at least {@code minSize} bytes; use it only from the loop's code
     */
    public static ByteBuffer tlsRecords(EventLoop loop, int minSize) {
        synchronized (TLS_RECORDS) {
            ByteBuffer b = TLS_RECORDS.get(loop);
            if (b == null || b.capacity() < minSize) {
                b = ByteBuffer.allocate(minSize);
                TLS_RECORDS.put(loop, b);
            }
            return b;
        }
    }
}
