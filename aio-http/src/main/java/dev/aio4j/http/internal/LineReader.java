package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;

/**
 * Collects one CRLF-terminated line from chunks of input, never holding more than the line's limit
 * plus the CR. A line ending in a bare LF, or holding a CR anywhere but before the final LF, is
 * refused: the parser accepts CRLF only (see {@code docs/http-client.md}).
 */
final class LineReader {
    private byte[] buf = new byte[128];
    private int len;
    private boolean complete;
    private int cap = 128;

    /** Forgets any partial line. */
    void reset() {
        len = 0;
        complete = false;
    }

    /**
     * Returns bytes held for the current, unfinished line.
     *
     * @return bytes held for the current, unfinished line
     */
    int pending() {
        return complete ? 0 : len;
    }

    /**
     * Consumes bytes of the current line from {@code data[off..end)}.
     *
     * @param what the line's name for messages, e.g. "status line"
     * @param limit the longest content allowed, without the CRLF
     * @return the offset after the consumed bytes; {@link #complete()} says if the line ended
     */
    int feed(byte[] data, int off, int end, int limit, String what) {
        if (complete) {
            reset();
        }
        cap = limit + 2;
        int lf = -1;
        for (int i = off; i < end; i++) {
            if (data[i] == '\n') {
                lf = i;
                break;
            }
        }
        int stop = lf < 0 ? end : lf;
        int newLen = len + (stop - off);
        // Content beyond the limit, or one byte beyond it that is not the CR of a CRLF.
        boolean tooLong = newLen > limit + 1;
        if (!tooLong && newLen == limit + 1) {
            byte last = stop > off ? data[stop - 1] : buf[len - 1];
            tooLong = last != '\r';
        }
        if (tooLong) {
            append(data, off, Math.min(stop - off, limit + 1 - len));
            throw new BadHttpMessage(Kind.LINE_TOO_LONG, what + " is longer than " + limit + " bytes", limit,
                    Escaping.quote(buf, 0, len));
        }
        append(data, off, stop - off);
        if (lf < 0) {
            return end;
        }
        if (len == 0 || buf[len - 1] != '\r') {
            throw new BadHttpMessage(Kind.BAD_LINE_ENDING, what + " ends with a bare LF; only CRLF ends a line", -1,
                    Escaping.quote(concatLf(), 0, len + 1));
        }
        len--; // drop the CR
        for (int i = 0; i < len; i++) {
            if (buf[i] == '\r') {
                throw new BadHttpMessage(Kind.BAD_LINE_ENDING, what + " contains a bare CR at offset " + i, -1,
                        Escaping.quote(buf, 0, len));
            }
        }
        if (len > limit) {
            throw new BadHttpMessage(Kind.LINE_TOO_LONG, what + " is longer than " + limit + " bytes", limit,
                    Escaping.quote(buf, 0, len));
        }
        complete = true;
        return lf + 1;
    }

    boolean complete() {
        return complete;
    }

    /**
     * Returns the bytes this reader holds on to: at most max(128, the largest limit used + 2).
     *
     * @return the bytes this reader holds on to: at most max(128, the largest limit used + 2)
     */
    int capacity() {
        return buf.length;
    }

    byte[] buffer() {
        return buf;
    }

    /**
     * Returns the length of the completed line, without CRLF.
     *
     * @return the length of the completed line, without CRLF
     */
    int length() {
        return len;
    }

    private byte[] concatLf() {
        ensure(len + 1);
        buf[len] = '\n';
        return buf;
    }

    private void append(byte[] data, int off, int n) {
        if (n <= 0) {
            return;
        }
        ensure(len + n);
        System.arraycopy(data, off, buf, len, n);
        len += n;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            byte[] bigger = new byte[Math.max(capacity, Math.min(buf.length * 2, cap))];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
    }
}
