package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;

import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streaming decompression of a response body's {@code Content-Encoding}: gzip (RFC 1952, also
 * {@code x-gzip}, several members in a row allowed) and deflate, which browsers accept both
 * zlib-wrapped (RFC 1950, what the standard says) and raw (RFC 1951, what some servers send).
 *
 * <p>Bounded by design: the caller pulls output into its own array of the size it chooses, so one
 * small input chunk that expands enormously (a zip bomb) never makes the decoder allocate more
 * than its fixed state; and {@code maxDecodedBytes} bounds the total output, beyond which decoding
 * fails. Use:
 * <pre>{@code
 * decoder.setInput(chunk, 0, n);            // keeps a reference until read() returns 0
 * int k;
 * while ((k = decoder.read(out, 0, out.length)) > 0) {
 *     deliver(out, 0, k);                    // may suspend for back-pressure
 * }
 * // at end of body: decoder.finish() checks the stream was complete
 * }</pre>
 */
public final class ContentDecoder implements AutoCloseable {
    /*
     * Maintainer notes. gzip: the header (10 bytes, then optional FEXTRA, FNAME, FCOMMENT,
     * FHCRC) and the 8-byte trailer (CRC-32 and size mod 2^32) are parsed here byte by byte, so
     * nothing is buffered across input chunks; only the deflate data goes to the Inflater (nowrap).
     * deflate: the first two bytes decide: a valid zlib header (CM=8, CINFO<=7, check bits) means
     * zlib, anything else raw deflate.
     */
    private enum Format { GZIP, DEFLATE }

    private enum Phase { GZIP_HEADER, DEFLATE_SNIFF, INFLATE, GZIP_TRAILER, END }

    private static final int MAX_GZIP_HEADER = 64 * 1024;

    private final Format format;
    private final long maxDecodedBytes;
    private Inflater inflater;
    private Phase phase;
    private byte[] in = new byte[0];
    private int inPos;
    private int inEnd;
    private long decoded;
    private final CRC32 crc = new CRC32();
    private long memberSize;
    // gzip header parsing state
    private int headerPos;
    private int flags;
    private int extraLeft;
    private int headerBytes;
    private final byte[] small = new byte[8];
    private int smallLen;
    private int sniff0 = -1;
    private boolean anyInput;

    private ContentDecoder(Format format, long maxDecodedBytes) {
        this.format = format;
        this.maxDecodedBytes = Checks.positive(maxDecodedBytes, "maxDecodedBytes");
        this.phase = format == Format.GZIP ? Phase.GZIP_HEADER : Phase.DEFLATE_SNIFF;
    }

    /**
     * A decoder for a Content-Encoding value, or {@code null} when aio-http does not decode it
     * ({@code identity}, absent, {@code br}, several codings...): the body is then passed on as is.
     */
    public static ContentDecoder forEncoding(String contentEncoding, long maxDecodedBytes) {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new ContentDecoder(Format.GZIP, maxDecodedBytes);
            case "deflate" -> new ContentDecoder(Format.DEFLATE, maxDecodedBytes);
            default -> null;
        };
    }

    public static ContentDecoder gzip(long maxDecodedBytes) {
        return new ContentDecoder(Format.GZIP, maxDecodedBytes);
    }

    public static ContentDecoder deflate(long maxDecodedBytes) {
        return new ContentDecoder(Format.DEFLATE, maxDecodedBytes);
    }

    /**
     * Gives the decoder the next compressed bytes. The decoder keeps a reference to the array until
     * {@link #read} returns 0.
     *
     * @throws IllegalStateException if the previous input is not used up
     */
    public void setInput(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (!needsInput()) {
            throw new IllegalStateException("ContentDecoder.setInput() called before the previous input was used up; read() until needsInput()");
        }
        in = data;
        inPos = offset;
        inEnd = offset + length;
        anyInput |= length > 0;
        if (inflater != null && phase == Phase.INFLATE) {
            inflater.setInput(in, inPos, length);
            inPos = inEnd;
        }
    }

    /**
     * @return {@code true} when every byte of the last input has been handed on, so that
     *         {@link #setInput} may be called; call {@link #read} until it returns 0 first, since
     *         the inflater may still hold output
     */
    public boolean needsInput() {
        return inPos == inEnd && (phase != Phase.INFLATE || inflater.needsInput());
    }

    /**
     * Returns total decompressed bytes so far.
     *
     * @return total decompressed bytes so far
     */
    public long decodedBytes() {
        return decoded;
    }

    /**
     * Decompresses into {@code out[offset..offset+length)}.
     *
     * @return the number of bytes written, 0 when more input is needed (or the stream ended)
     * @throws IllegalArgumentException if {@code length} is 0
     * @throws BadHttpMessage of kind {@link Kind#BAD_CONTENT_ENCODING} for corrupt data, a gzip
     *         checksum mismatch, data after the end of a deflate stream, or more than
     *         {@code maxDecodedBytes} of output
     */
    public int read(byte[] out, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, out.length);
        Checks.positive(length, "length");
        while (true) {
            switch (phase) {
                case GZIP_HEADER -> {
                    if (!gzipHeader()) {
                        return 0;
                    }
                }
                case DEFLATE_SNIFF -> {
                    if (!sniff()) {
                        return 0;
                    }
                }
                case INFLATE -> {
                    int n;
                    try {
                        n = inflater.inflate(out, offset, length);
                    } catch (DataFormatException e) {
                        throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "corrupt " + name() + " data after "
                                + decoded + " decoded bytes: " + e.getMessage(), e);
                    }
                    if (n > 0) {
                        decoded += n;
                        if (decoded > maxDecodedBytes) {
                            throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "decoded " + name() + " body is larger than "
                                    + maxDecodedBytes + " bytes", maxDecodedBytes, null);
                        }
                        if (format == Format.GZIP) {
                            crc.update(out, offset, n);
                            memberSize += n;
                        }
                        return n;
                    }
                    if (inflater.finished()) {
                        int rest = inflater.getRemaining();
                        inPos = inEnd - rest;
                        phase = format == Format.GZIP ? Phase.GZIP_TRAILER : Phase.END;
                        smallLen = 0;
                        continue;
                    }
                    if (inflater.needsDictionary()) {
                        throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "deflate data needs a preset dictionary", -1, null);
                    }
                    return 0; // needs input
                }
                case GZIP_TRAILER -> {
                    while (smallLen < 8 && inPos < inEnd) {
                        small[smallLen++] = in[inPos++];
                    }
                    if (smallLen < 8) {
                        return 0;
                    }
                    long wantCrc = le32(small, 0);
                    long wantSize = le32(small, 4);
                    if (wantCrc != crc.getValue() || wantSize != (memberSize & 0xFFFFFFFFL)) {
                        throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "gzip trailer does not match the data (CRC-32 or size)",
                                -1, Escaping.quote(small, 0, 8));
                    }
                    phase = Phase.END;
                }
                case END -> {
                    if (inPos < inEnd) {
                        if (format == Format.GZIP && in[inPos] == (byte) 0x1f) {
                            startMember();
                            continue;
                        }
                        throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "data after the end of the " + name() + " stream",
                                -1, Escaping.quote(in, inPos, Math.min(inEnd - inPos, 16)));
                    }
                    return 0;
                }
            }
        }
    }

    /**
     * Checks that the compressed stream ended properly; call at the end of the body.
     *
     * @throws BadHttpMessage if the stream was cut short
     */
    public void finish() {
        if (phase != Phase.END && anyInput) {
            throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "body ended inside the " + name() + " stream (after "
                    + decoded + " decoded bytes)", -1, null);
        }
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
        }
    }

    /** Decodes a whole body at once, in bounded pieces (for tests and small bodies). */
    public byte[] decodeAll(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        setInput(data, 0, data.length);
        int n;
        while ((n = read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        finish();
        return out.toByteArray();
    }

    private String name() {
        return format == Format.GZIP ? "gzip" : "deflate";
    }

    private void startMember() {
        phase = Phase.GZIP_HEADER;
        headerPos = 0;
        flags = 0;
        headerBytes = 0;
        smallLen = 0;
        extraLeft = -1;
        crc.reset();
        memberSize = 0;
    }

    private void startInflate(boolean nowrap) {
        if (inflater == null) {
            inflater = new Inflater(nowrap);
        } else {
            inflater.reset();
        }
        phase = Phase.INFLATE;
        inflater.setInput(in, inPos, inEnd - inPos);
        inPos = inEnd;
    }

    /**
     * Returns true when the header is complete and inflation started.
     *
     * @return true when the header is complete and inflation started
     */
    private boolean gzipHeader() {
        while (inPos < inEnd) {
            int b = in[inPos] & 0xFF;
            if (++headerBytes > MAX_GZIP_HEADER) {
                throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "gzip header is larger than " + MAX_GZIP_HEADER + " bytes",
                        MAX_GZIP_HEADER, null);
            }
            switch (headerPos) {
                case 0 -> expect(b, 0x1f, "gzip magic number");
                case 1 -> expect(b, 0x8b, "gzip magic number");
                case 2 -> expect(b, 8, "gzip compression method (8, deflate)");
                case 3 -> {
                    if ((b & 0xE0) != 0) {
                        throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "gzip header has reserved flag bits set", -1,
                                Escaping.quote(new byte[] {(byte) b}));
                    }
                    flags = b;
                }
                case 4, 5, 6, 7, 8 -> { } // MTIME, XFL
                case 9 -> { // OS; the fixed part ends here
                }
                default -> {
                    if (!optionalHeaderByte(b)) {
                        return true;
                    }
                    continue;
                }
            }
            inPos++;
            headerPos++;
            if (headerPos == 10 && (flags & 0x1E) == 0) {
                startInflate(true);
                return true;
            }
            if (headerPos == 10) {
                extraLeft = -1;
            }
        }
        return false;
    }

    // FEXTRA=4 (2-byte length then data), FNAME=8 and FCOMMENT=16 (zero-terminated), FHCRC=2 (2 bytes)
    private boolean optionalHeaderByte(int b) {
        if ((flags & 4) != 0) {
            if (extraLeft == -1) {
                small[smallLen++] = (byte) b;
                inPos++;
                if (smallLen == 2) {
                    extraLeft = (small[0] & 0xFF) | (small[1] & 0xFF) << 8;
                    smallLen = 0;
                    if (extraLeft == 0) {
                        flags &= ~4;
                        extraLeft = -1;
                    }
                }
                return true;
            }
            inPos++;
            if (--extraLeft == 0) {
                flags &= ~4;
                extraLeft = -1;
            }
            return true;
        }
        if ((flags & 8) != 0) {
            inPos++;
            if (b == 0) {
                flags &= ~8;
            }
            return true;
        }
        if ((flags & 16) != 0) {
            inPos++;
            if (b == 0) {
                flags &= ~16;
            }
            return true;
        }
        if ((flags & 2) != 0) {
            inPos++;
            if (++smallLen == 2) {
                smallLen = 0;
                flags &= ~2;
            }
            if ((flags & 0x1E) != 0) {
                return true;
            }
        }
        startInflate(true);
        return false;
    }

    private void expect(int b, int want, String what) {
        if (b != want) {
            throw new BadHttpMessage(Kind.BAD_CONTENT_ENCODING, "bad " + what + " at byte " + headerPos + " of the gzip header",
                    -1, Escaping.quote(in, inPos, Math.min(inEnd - inPos, 16)));
        }
    }

    private boolean sniff() {
        if (sniff0 < 0) {
            if (inPos == inEnd) {
                return false;
            }
            sniff0 = in[inPos++] & 0xFF;
        }
        if (inPos == inEnd) {
            return false;
        }
        int b1 = in[inPos] & 0xFF;
        boolean zlib = (sniff0 & 0x0F) == 8 && (sniff0 >> 4) <= 7 && ((sniff0 << 8) | b1) % 31 == 0;
        if (inflater == null) {
            inflater = new Inflater(!zlib);
        }
        phase = Phase.INFLATE;
        // The first byte was consumed on its own; give it to the inflater first, then the rest.
        byte[] first = new byte[1 + (inEnd - inPos)];
        first[0] = (byte) sniff0;
        System.arraycopy(in, inPos, first, 1, inEnd - inPos);
        inflater.setInput(first, 0, first.length);
        in = first;
        inPos = first.length;
        inEnd = first.length;
        return true;
    }

    private static long le32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
