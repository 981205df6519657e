package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The body of one response between the parser and the reader: raw slices (already de-chunked) are
 * queued as the parser produces them, and come out one piece at a time, through the
 * {@link ContentDecoder} when the body is compressed. Bounded by what one socket read produces
 * (the parser is fed one read at a time and the queue is emptied before the next read), plus one
 * decoded piece of {@value #DECODE_PIECE} bytes.
 *
 * <p>No sockets: tests queue bytes and pull pieces.
 */
final class BodyDecoding {
    /*
     * Maintainer notes. `draining` is true while the decoder still holds input from the last slice
     * given to it: the next piece comes from the decoder before another slice is taken.
     */
    static final int DECODE_PIECE = 16 * 1024;

    private final ArrayDeque<byte[]> raw = new ArrayDeque<>();
    private ContentDecoder decoder;
    private byte[] decodeBuffer;
    private boolean draining;

    /** Decodes with {@code d} from now on (before any piece was taken). */
    void decodeWith(ContentDecoder d) {
        this.decoder = Checks.notNull(d, "decoder");
        this.decodeBuffer = new byte[DECODE_PIECE];
    }

    /** Queues a copy of body bytes as the parser produced them. */
    void add(byte[] data, int offset, int length) {
        if (length > 0) {
            raw.add(Arrays.copyOfRange(data, offset, offset + length));
        }
    }

    /**
     * Returns the next piece, or {@code null} when nothing queued is left to give (more bytes must
     * be read, or the body is at its end).
     *
     * @return the next piece, or {@code null} when nothing queued is left to give
     * @throws dev.aio4j.http.BadHttpMessage if the compressed data is malformed
     */
    byte[] next() {
        while (true) {
            if (draining) {
                int k = decoder.read(decodeBuffer, 0, decodeBuffer.length);
                if (k > 0) {
                    return Arrays.copyOf(decodeBuffer, k);
                }
                draining = false;
            }
            byte[] slice = raw.poll();
            if (slice == null) {
                return null;
            }
            if (decoder == null) {
                return slice;
            }
            decoder.setInput(slice, 0, slice.length);
            draining = true;
        }
    }

    /**
     * The body ended on the wire and every piece was taken: checks that the compressed stream
     * ended too.
     *
     * @throws dev.aio4j.http.BadHttpMessage if the compressed stream was cut short
     */
    void finish() {
        if (decoder != null) {
            decoder.finish();
        }
    }

    /** Frees the decoder and drops what is queued. */
    void close() {
        if (decoder != null) {
            decoder.close();
        }
        raw.clear();
        draining = false;
    }

    @Override
    public String toString() {
        return "BodyDecoding[" + raw.size() + " slices queued" + (decoder == null ? "" : ", decoding") + "]";
    }
}
