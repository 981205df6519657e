package dev.aio4j.streams.internal;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A FIFO of bytes (the {@code bytearray} buffer of asyncio's StreamReader): append at the tail,
 * take from the head, search.
 *
 * <p>Two parts, in this order: a growable array ({@code buf[head, tail)}), which compacts instead
 * of growing when the head has room and shrinks back when the queue empties, so a drained queue
 * holds little memory; then whole arrays adopted without a copy ({@link #appendOwned}: arrays the
 * caller hands over and never touches again, such as a transport's read). A large read goes
 * through the queue without being copied in, and {@link #take} returns an adopted array itself
 * when it asks for exactly that array. Bytes appended while adopted arrays are queued join them
 * (copied, unless owned), so the order is kept; a search ({@link #indexOf}, {@link #startsWith})
 * first moves the adopted arrays into the growable array (one copy, as if they had been appended),
 * and so does a queue of more than {@value #MAX_CHUNKS} arrays, which bounds the per-array
 * overhead.
 */
public final class ByteQueue {
    private static final int INITIAL = 256;
    /** An owned array at least this long is adopted; a shorter one is copied (into the array part, if it is the tail). */
    static final int ADOPT_MIN = 4096;
    /** More adopted arrays than this are moved into the growable array. */
    static final int MAX_CHUNKS = 64;
    private byte[] buf = new byte[INITIAL];
    private int head;
    private int tail;
    /** Adopted arrays after buf's bytes; null until the first. */
    private ArrayDeque<byte[]> chunks;
    /** Bytes of the first adopted array already taken. */
    private int chunkHead;
    /** Bytes in the adopted arrays not yet taken. */
    private int chunkBytes;

    public int size() {
        return tail - head + chunkBytes;
    }

    public boolean isEmpty() {
        return tail == head && chunkBytes == 0;
    }

    /** Appends a copy of {@code data[off, off + len)}. */
    public void append(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        if (chunkBytes > 0) {
            addChunk(Arrays.copyOfRange(data, off, off + len));
            return;
        }
        appendToArray(data, off, len);
    }

    /**
     * Appends {@code data}, which the queue may keep: the caller hands it over and never reads or
     * writes it again (it may come back, unchanged, from {@link #take}).
     */
    public void appendOwned(byte[] data) {
        if (data.length == 0) {
            return;
        }
        if (chunkBytes > 0 || data.length >= ADOPT_MIN) {
            addChunk(data);
        } else {
            appendToArray(data, 0, data.length);
        }
    }

    private void addChunk(byte[] data) {
        if (chunks == null) {
            chunks = new ArrayDeque<>();
        }
        chunks.addLast(data);
        chunkBytes += data.length;
        if (chunks.size() > MAX_CHUNKS) {
            flatten();
        }
    }

    private void appendToArray(byte[] data, int off, int len) {
        if (tail + len > buf.length) {
            int size = tail - head;
            if (size + len <= buf.length && head > 0 && size < buf.length / 2) {
                System.arraycopy(buf, head, buf, 0, size);
            } else {
                int cap = buf.length;
                while (cap < size + len) {
                    cap = cap * 2 < 0 ? Integer.MAX_VALUE - 8 : cap * 2;
                }
                byte[] nb = new byte[cap];
                System.arraycopy(buf, head, nb, 0, size);
                buf = nb;
            }
            head = 0;
            tail = size;
        }
        System.arraycopy(data, off, buf, tail, len);
        tail += len;
    }

    /** Moves the adopted arrays into the growable array, after its bytes. */
    private void flatten() {
        if (chunkBytes == 0) {
            return;
        }
        ArrayDeque<byte[]> cs = chunks;
        int skip = chunkHead;
        chunkBytes = 0;
        chunkHead = 0;
        byte[] c;
        while ((c = cs.pollFirst()) != null) {
            appendToArray(c, skip, c.length - skip);
            skip = 0;
        }
    }

    /** Removes and returns the first {@code n} bytes ({@code n <= size()}). */
    public byte[] take(int n) {
        if (head == tail && chunkBytes > 0) {
            byte[] c = chunks.peekFirst();
            if (chunkHead == 0 && n == c.length) { // exactly one adopted array: no copy
                chunks.pollFirst();
                chunkBytes -= n;
                if (chunkBytes == 0) {
                    emptied();
                }
                return c;
            }
            if (n <= c.length - chunkHead) {
                byte[] out = Arrays.copyOfRange(c, chunkHead, chunkHead + n);
                skip(n);
                return out;
            }
        }
        byte[] out = new byte[n];
        int fromArray = Math.min(n, tail - head);
        System.arraycopy(buf, head, out, 0, fromArray);
        int at = fromArray;
        if (at < n) {
            int skip = chunkHead;
            for (byte[] c : chunks) {
                int k = Math.min(c.length - skip, n - at);
                System.arraycopy(c, skip, out, at, k);
                at += k;
                skip = 0;
                if (at == n) {
                    break;
                }
            }
        }
        skip(n);
        return out;
    }

    /** Removes the first {@code n} bytes ({@code n <= size()}). */
    public void skip(int n) {
        int fromArray = Math.min(n, tail - head);
        head += fromArray;
        n -= fromArray;
        while (n > 0) {
            byte[] c = chunks.peekFirst();
            int k = Math.min(c.length - chunkHead, n);
            chunkHead += k;
            chunkBytes -= k;
            n -= k;
            if (chunkHead == c.length) {
                chunks.pollFirst();
                chunkHead = 0;
            }
        }
        if (head == tail) {
            head = 0;
            tail = 0;
            if (chunkBytes == 0) {
                emptied();
            }
        }
    }

    private void emptied() {
        if (buf.length > 64 * 1024) {
            buf = new byte[INITIAL];
        }
    }

    public void clear() {
        skip(size());
    }

    /** Index (relative to the head) of {@code sep} at or after {@code from}, or -1. */
    public int indexOf(byte[] sep, int from) {
        flatten();
        int last = tail - sep.length;
        outer:
        for (int i = head + Math.max(from, 0); i <= last; i++) {
            for (int j = 0; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - head;
        }
        return -1;
    }

    /** Whether {@code sep} occurs at {@code at} (relative to the head). */
    public boolean startsWith(byte[] sep, int at) {
        if (at < 0 || at + sep.length > size()) {
            return false;
        }
        flatten();
        for (int j = 0; j < sep.length; j++) {
            if (buf[head + at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }
}
