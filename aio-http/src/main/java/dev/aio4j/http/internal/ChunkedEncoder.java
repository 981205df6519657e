package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Frames a request body that arrives as a stream of chunks in the chunked transfer coding
 * (RFC 9112 section 7.1): each non-empty chunk becomes {@code hex-size CRLF data CRLF}, and
 * {@link #last(Headers)} writes the terminating zero-size chunk with optional trailer fields.
 * Empty chunks are skipped, because a zero-size chunk would end the body.
 */
public final class ChunkedEncoder {
    private static final byte[] CRLF = {'\r', '\n'};

    private ChunkedEncoder() {}

    /**
     * Returns the framed chunk, or an empty array for an empty chunk.
     *
     * @return the framed chunk, or an empty array for an empty chunk
     */
    public static byte[] chunk(byte[] data) {
        return chunk(data, 0, data.length);
    }

    /**
     * Returns the framed chunk for {@code data[offset..offset+length)}, or an empty array if empty.
     *
     * @return the framed chunk for {@code data[offset..offset+length)}, or an empty array if empty
     */
    public static byte[] chunk(byte[] data, int offset, int length) {
        if (length == 0) {
            return new byte[0];
        }
        byte[] size = Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size.length + 2 + length + 2];
        System.arraycopy(size, 0, out, 0, size.length);
        out[size.length] = '\r';
        out[size.length + 1] = '\n';
        System.arraycopy(data, offset, out, size.length + 2, length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * The end of a chunked body.
     *
     * @param trailers trailer fields to send, or {@code null} for none
     * @return {@code 0 CRLF [trailer fields] CRLF}
     */
    public static byte[] last(Headers trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'0', '\r', '\n'});
        if (trailers != null) {
            StringBuilder sb = new StringBuilder();
            trailers.forEach((n, v) -> HeadSerializer.appendField(sb, n, v, "trailer"));
            out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /** Frames a whole body given as a sequence of chunks (for tests and small bodies). */
    public static byte[] encode(Iterable<byte[]> chunks, Headers trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            out.writeBytes(chunk(c));
        }
        out.writeBytes(last(trailers));
        return out.toByteArray();
    }
}
