package dev.aio4j.http.web;

import dev.aio4j.http.internal.ChunkedEncoder;

import java.io.IOException;
import java.net.SocketException;

/**
 * Writes one response's bytes to the connection: the head (held back to go out with the first
 * body bytes), the body through the optional compressor and the chunked framing, and the end.
 * Counts what the handler wrote against a declared Content-Length. aiohttp's
 * {@code http_writer.StreamWriter}. A write, and the end of a response, waits (drains) while the
 * transport's buffer is over its high-water mark.
 */
final class PayloadWriter {
    /*
     * Maintainer notes. `head` is non-null until the first send. `suppress`: HEAD, 204 and 304
     * have no body; writes are counted and dropped. `declared` is the Content-Length or -1.
     * `complete` turns false when the body ended short of `declared` (the connection must close).
     */
    private final RequestHandler connection;
    private final boolean chunked;
    private final boolean suppress;
    private final long declared;
    private final boolean keepAlive;
    private final Compression compressor;
    private byte[] head;
    private long written;
    private boolean eof;
    private boolean complete = true;

    PayloadWriter(RequestHandler connection, byte[] head, boolean chunked, boolean suppress, long declared, boolean keepAlive,
                  String coding) {
        this.connection = connection;
        this.head = head;
        this.chunked = chunked;
        this.suppress = suppress;
        this.declared = declared;
        this.keepAlive = keepAlive;
        this.compressor = coding == null || suppress ? null : new Compression(coding);
    }

    boolean keepAlive() {
        return keepAlive && complete;
    }

    long written() {
        return written;
    }

    /** Counts bytes the caller sent around the writer (sendfile). */
    void countSent(long n) {
        written += n;
    }

    void write(byte[] data, int offset, int length) throws IOException {
        if (eof) {
            throw new IllegalStateException("write() after writeEof(): the body is finished");
        }
        if (connection.lost()) {
            throw new SocketException("Connection lost: the client went away before the response was written");
        }
        if (connection.transport().isClosing()) {
            // aiohttp's "Cannot write to closing transport": the bytes would be dropped, and a
            // writer that is never paused again would not give the loop a turn to tell it
            throw new SocketException("Cannot write to closing transport: the connection is closing (the client went"
                    + " away or the server is closing it) before the response was written");
        }
        if (declared >= 0 && compressor == null && written + length > declared) {
            throw new IllegalStateException("the body is longer than its Content-Length: " + declared
                    + " declared, " + (written + length) + " written; declare the right length or leave it out (chunked)");
        }
        written += length;
        if (suppress || length == 0) {
            return;
        }
        byte[] out;
        int off = offset;
        int len = length;
        if (compressor != null) {
            out = compressor.compress(data, offset, length);
            off = 0;
            len = out.length;
            if (len == 0) {
                return;
            }
        } else {
            out = data;
        }
        send(chunked ? ChunkedEncoder.chunk(out, off, len) : slice(out, off, len));
        // back-pressure, as aiohttp's StreamWriter.write: past the transport's high-water mark the
        // handler waits for the client to read, so a client that reads nothing cannot make the
        // server buffer a whole body
        connection.drain();
    }

    private static byte[] slice(byte[] data, int off, int len) {
        if (off == 0 && len == data.length) {
            return data;
        }
        byte[] b = new byte[len];
        System.arraycopy(data, off, b, 0, len);
        return b;
    }

    private void send(byte[] bytes) {
        if (head != null) {
            byte[] both = new byte[head.length + bytes.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(bytes, 0, both, head.length, bytes.length);
            head = null;
            connection.transport().write(both);
        } else {
            connection.transport().write(bytes);
        }
    }

    void drain() throws IOException {
        flushHead();
        connection.drain();
    }

    /** Writes the head now if it is still held back. */
    void flushHead() {
        if (head != null && !connection.lost()) {
            byte[] h = head;
            head = null;
            connection.transport().write(h);
        }
    }

    void writeEof() throws IOException {
        if (eof) {
            return;
        }
        eof = true;
        if (connection.lost()) {
            head = null;
            return;
        }
        byte[] tail = new byte[0];
        if (!suppress) {
            if (compressor != null) {
                byte[] last = compressor.finish();
                tail = chunked ? ChunkedEncoder.chunk(last) : last;
            }
            if (chunked) {
                byte[] end = ChunkedEncoder.last(null);
                byte[] both = new byte[tail.length + end.length];
                System.arraycopy(tail, 0, both, 0, tail.length);
                System.arraycopy(end, 0, both, tail.length, end.length);
                tail = both;
            } else if (declared >= 0 && compressor == null && written < declared) {
                complete = false; // the client waits for bytes that never come: close after this
            }
        }
        if (tail.length > 0 || head != null) {
            send(tail);
        }
        if (!connection.transport().isClosing()) {
            // as aiohttp's StreamWriter.write_eof: an answer with no body to write (HEAD, 204,
            // 304, an empty body; its head went out here or at prepare) waits for the client too,
            // or pipelined requests of a client that reads nothing would pile every answer up in
            // the transport's buffer (a closing transport, after a WebSocket, has nobody to wait for)
            connection.drain();
        }
    }

    /**
     * Drops this response if none of its bytes went out (the head is still held back): returns
     * whether it did, so that another response can take its place.
     */
    boolean discardIfUnsent() {
        if (head == null) {
            return false;
        }
        head = null;
        eof = true;
        return true;
    }

    /** Whether bytes of this response went out (its head is no longer held back). */
    boolean headSent() {
        return head == null;
    }

    boolean eofWritten() {
        return eof;
    }
}
