package dev.aio4j.streams.internal;

import java.util.Arrays;

/**
 * A growable FIFO of bytes (the {@code bytearray} buffer of asyncio's StreamReader): append at
 * the tail, take from the head, search. Compacts instead of growing when the head has room, and
 * shrinks back when it empties, so a drained queue holds little memory.
 */
public final class ByteQueue {
    private static final int INITIAL = 256;
    private byte[] buf = new byte[INITIAL];
    private int head;
    private int tail;

    public int size() {
        return tail - head;
    }

    public boolean isEmpty() {
        return tail == head;
    }

    public void append(byte[] data, int off, int len) {
        if (tail + len > buf.length) {
            int size = size();
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

    /** Removes and returns the first {@code n} bytes ({@code n <= size()}). */
    public byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, head, head + n);
        skip(n);
        return out;
    }

    public void skip(int n) {
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
            if (buf.length > 64 * 1024) {
                buf = new byte[INITIAL];
            }
        }
    }

    public void clear() {
        skip(size());
    }

    /** Index (relative to the head) of {@code sep} at or after {@code from}, or -1. */
    public int indexOf(byte[] sep, int from) {
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
        for (int j = 0; j < sep.length; j++) {
            if (buf[head + at + j] != sep[j]) {
                return false;
            }
        }
        return true;
    }
}
