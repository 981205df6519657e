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
 * direct buffers). Each transport looks its loop's {@link Scratch} up once, when it is made (a
 * synchronized map lookup), and then uses its fields directly: no lookup per read, wrap or unwrap.
 */
public final class LoopBuffers {
    private static final Map<EventLoop, Scratch> SCRATCH = new WeakHashMap<>();

    private LoopBuffers() {}

    /**
     * The scratch buffers of one loop. Use them only from the loop's code, and only within one
     * call: none of them may hold anything when the loop's code returns to the loop.
     */
    public static final class Scratch {
        private ByteBuffer directRead;
        private ByteBuffer directWrite;
        private ByteBuffer heapRead;
        private byte[] heapWrite = new byte[0];
        private ByteBuffer datagram;
        private ByteBuffer tlsPlaintext;
        private ByteBuffer tlsRecords;

        private Scratch() {}

        /**
         * The direct read buffer (sockets read into it without the JDK's own temporary copy).
         *
         * @param size its capacity; the first caller decides it
         * @return the buffer
         */
        public ByteBuffer directRead(int size) {
            ByteBuffer b = directRead;
            if (b == null) {
                b = directRead = ByteBuffer.allocateDirect(size);
            }
            return b;
        }

        /**
         * The direct buffer a socket write is staged in: the JDK copies a heap buffer into a
         * temporary direct one for the kernel anyway, so staging costs no extra copy, and it
         * saves the {@code ByteBuffer.wrap} per write. Empty between writes.
         *
         * @param size its capacity; the first caller decides it
         * @return the buffer
         */
        public ByteBuffer directWrite(int size) {
            ByteBuffer b = directWrite;
            if (b == null) {
                b = directWrite = ByteBuffer.allocateDirect(size);
            }
            return b;
        }

        /**
         * A heap array of at least {@code minSize} bytes that a read is copied into for a
         * protocol that consumes it within the call (TLS: the engine decrypts heap buffers
         * several times faster than direct ones).
         *
         * @param minSize the capacity the caller needs; a smaller buffer is replaced
         * @return the buffer
         */
        public ByteBuffer heapRead(int minSize) {
            return heapRead = atLeast(heapRead, minSize);
        }

        /**
         * A heap array of at least {@code minSize} bytes that a write is built in and lent to a
         * {@link BorrowedWriteTransport} (a WebSocket frame), which copies what it keeps: empty
         * whenever the loop's code is not inside such a write.
         *
         * @param minSize the capacity the caller needs; a smaller array is replaced
         * @return the array
         */
        public byte[] heapWrite(int minSize) {
            byte[] b = heapWrite;
            if (b.length < minSize) {
                b = heapWrite = new byte[Math.max(minSize, 2 * b.length)];
            }
            return b;
        }

        /**
         * The heap buffer for receiving one datagram.
         *
         * @param size its capacity; the first caller decides it
         * @return the buffer
         */
        public ByteBuffer datagram(int size) {
            ByteBuffer b = datagram;
            if (b == null) {
                b = datagram = ByteBuffer.allocate(size);
            }
            return b;
        }

        /**
         * The heap buffer TLS connections unwrap records into before handing the plaintext to
         * their app protocol (which gets a copy): empty whenever the loop's code is not inside an
         * unwrap, so every connection of the loop can use it, instead of each keeping several
         * records' worth of buffer for its whole life.
         *
         * @param minSize the capacity the caller needs; a smaller buffer is replaced
         * @return the buffer
         */
        public ByteBuffer tlsPlaintext(int minSize) {
            return tlsPlaintext = atLeast(tlsPlaintext, minSize);
        }

        /**
         * The heap buffer TLS connections wrap a write's records into before handing them to the
         * socket transport (which copies what it keeps): flushed before the wrap returns, so every
         * connection of the loop can use it.
         *
         * @param minSize the capacity the caller needs; a smaller buffer is replaced
         * @return the buffer
         */
        public ByteBuffer tlsRecords(int minSize) {
            return tlsRecords = atLeast(tlsRecords, minSize);
        }

        private static ByteBuffer atLeast(ByteBuffer b, int minSize) {
            return b != null && b.capacity() >= minSize ? b : ByteBuffer.allocate(minSize);
        }
    }

    /**
     * The scratch buffers of {@code loop}, made on first use; look them up once per transport.
     *
     * @param loop the loop
     * @return its scratch buffers
     */
    public static Scratch of(EventLoop loop) {
        synchronized (SCRATCH) {
            return SCRATCH.computeIfAbsent(loop, l -> new Scratch());
        }
    }
}
