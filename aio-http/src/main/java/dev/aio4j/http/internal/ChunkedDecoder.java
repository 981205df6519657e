package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

import java.util.HexFormat;

/**
 * Decodes the chunked transfer coding (RFC 9112 section 7.1) from chunks of input of any size.
 *
 * <p>Chunk sizes are hexadecimal without sign, prefix or whitespace, and must fit in a
 * {@code long}; chunk extensions after {@code ;} must be {@code token [ "=" ( token /
 * quoted-string ) ]} with no whitespace around {@code ;} or {@code =}, and are then dropped (see
 * {@code parseSize}); a chunk-size line, extensions included, is at most
 * {@link ParserLimits#maxChunkLineSize()} bytes; every line ends with CRLF (a bare LF or CR is
 * refused); the data of each chunk must be followed by exactly CRLF; the trailer section after
 * the last chunk is parsed like the header section, with the same limits and rules (no obsolete
 * line folding). Every refusal is a {@link BadHttpMessage} naming the rule. Data goes to the sink
 * as it arrives, never buffered: the decoder itself holds at most one chunk-size or trailer line.
 */
public final class ChunkedDecoder {
    /** Receives the decoded body. */
    public interface Sink {
        /** Body bytes; the array is only valid during the call. */
        void data(byte[] data, int offset, int length);

        /** The trailer fields, called once before the end if there are any. */
        default void trailers(Headers trailers) {}
    }

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER_LINE, DONE }

    /** What the refusals of whitespace say: RFC 9112 allows it as BWS, aio4j refuses it. */
    private static final String WHITESPACE_RULE = "(RFC 9112 section 7.1; refused as aiohttp's and llhttp's strict parsers do)";

    private final ParserLimits limits;
    private final LineReader line = new LineReader();
    private State state = State.SIZE_LINE;
    private long remaining;
    private long chunkSize;
    private final FieldSection trailers;

    public ChunkedDecoder(ParserLimits limits) {
        this.limits = Checks.notNull(limits, "limits");
        this.trailers = new FieldSection(limits, "trailer");
    }

    /**
     * Returns {@code true} once the last chunk and the trailer section have been read.
     *
     * @return {@code true} once the last chunk and the trailer section have been read
     */
    public boolean done() {
        return state == State.DONE;
    }

    /**
     * Decodes bytes from {@code data[offset..offset+length)}.
     *
     * @return how many bytes were consumed; fewer than {@code length} only once {@link #done()}
     * @throws BadHttpMessage if the framing is broken or a limit is exceeded
     */
    public int feed(byte[] data, int offset, int length, Sink sink) {
        int pos = offset;
        int end = offset + length;
        while (pos < end && state != State.DONE) {
            switch (state) {
                case SIZE_LINE -> {
                    pos = line.feed(data, pos, end, limits.maxChunkLineSize(), "chunk-size line");
                    if (line.complete()) {
                        chunkSize = parseSize(line.buffer(), line.length());
                        remaining = chunkSize;
                        if (chunkSize == 0) {
                            trailers.reset();
                            state = State.TRAILER_LINE;
                        } else {
                            state = State.DATA;
                        }
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - pos);
                    sink.data(data, pos, n);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR, DATA_LF -> {
                    byte expected = state == State.DATA_CR ? (byte) '\r' : (byte) '\n';
                    if (data[pos] != expected) {
                        // the offending byte alone, so that the message does not depend on how the input was split
                        throw new BadHttpMessage(Kind.BAD_CHUNK, "chunk data (" + chunkSize
                                + " bytes) is not followed by CRLF (chunk size mismatch)", -1, Escaping.quote(data, pos, 1));
                    }
                    pos++;
                    state = state == State.DATA_CR ? State.DATA_LF : State.SIZE_LINE;
                }
                case TRAILER_LINE -> {
                    pos = line.feed(data, pos, end, limits.maxLineSize(), "trailer field line");
                    if (line.complete()) {
                        if (line.length() == 0) {
                            state = State.DONE;
                            if (!trailers.fields().isEmpty()) {
                                sink.trailers(trailers.fields().readOnlyCopy());
                            }
                        } else {
                            trailers.addLine(line.buffer(), line.length());
                        }
                    }
                }
                case DONE -> throw new AssertionError();
            }
        }
        return pos - offset;
    }

    int retainedBytes() {
        return line.capacity();
    }

    /**
     * Returns where the body was cut, for the error raised when the connection closes early.
     *
     * @return where the body was cut, for the error raised when the connection closes early
     */
    String whereIncomplete() {
        return switch (state) {
            case SIZE_LINE -> "in a chunk-size line";
            case DATA -> "inside a chunk: " + (chunkSize - remaining) + " of " + chunkSize + " bytes received";
            case DATA_CR, DATA_LF -> "before the CRLF that ends a chunk";
            case TRAILER_LINE -> "in the trailer section";
            case DONE -> "after the end";
        };
    }

    /**
     * Parses a chunk-size line (without its CRLF): the size, then any extensions, which are
     * checked and dropped.
     *
     * <p>The grammar accepted is RFC 9112 section 7.1's without bad whitespace:
     * {@code 1*HEXDIG *( ";" token [ "=" ( token / quoted-string ) ] )}. RFC 9112 lets a sender's
     * chunk extensions carry BWS around {@code ;} and {@code =} (which a sender must not generate,
     * RFC 9110 section 5.6.3), and no whitespace at all after a size without an extension. aiohttp's
     * strict parser and llhttp (which aiohttp uses in C) refuse both, and so does aio4j: any SP or
     * HTAB in the line is refused. A refusal can never make two parsers disagree about where a
     * body ends; a tolerance can. The line's length, extensions included, is bounded by
     * {@link ParserLimits#maxChunkLineSize()} before this runs.
     *
     * @param line the bytes of the line
     * @param len how many of them belong to it
     * @return the chunk size
     * @throws BadHttpMessage of kind {@link Kind#BAD_CHUNK} naming what was wrong
     */
    static long parseSize(byte[] line, int len) {
        long size = 0;
        int i = 0;
        while (i < len) {
            if (!HexFormat.isHexDigit(line[i])) { // a negative (non-ASCII) byte is not one either
                break;
            }
            int d = HexFormat.fromHexDigit(line[i]);
            if (size > (Long.MAX_VALUE >> 4)) {
                throw new BadHttpMessage(Kind.BAD_CHUNK, "chunk size does not fit in 63 bits", Long.MAX_VALUE,
                        Escaping.quote(line, 0, len));
            }
            size = (size << 4) | d;
            i++;
        }
        if (i == 0) {
            throw refusal(i < len && isWhitespace(line[i]) ? "whitespace before chunk size is not allowed " + WHITESPACE_RULE
                    : "chunk size is not a hexadecimal number", line, len);
        }
        if (i < len) {
            byte b = line[i];
            if (isWhitespace(b)) {
                throw refusal("whitespace after chunk size is not allowed " + WHITESPACE_RULE, line, len);
            }
            if (b != ';') {
                throw refusal(i == 1 && line[0] == '0' && (b == 'x' || b == 'X')
                        ? "chunk size has a 0x prefix; it is bare hexadecimal digits"
                        : "chunk size is followed by something other than an extension", line, len);
            }
            checkExtensions(line, i, len);
        }
        return size;
    }

    /**
     * Checks {@code line[pos..len)}, which starts with {@code ;}, against
     * {@code *( ";" token [ "=" ( token / quoted-string ) ] )} (RFC 9112 section 7.1.1, RFC 9110
     * section 5.6.4 for quoted-string).
     */
    private static void checkExtensions(byte[] line, int pos, int len) {
        while (pos < len) {
            pos++; // the ';'
            int name = pos;
            pos = skipToken(line, pos, len);
            if (pos == name) {
                throw badExtensionByte("chunk extension name", line, pos, len);
            }
            if (pos < len && line[pos] == '=') {
                pos++;
                if (pos < len && line[pos] == '"') {
                    pos = skipQuoted(line, pos + 1, len);
                } else {
                    int value = pos;
                    pos = skipToken(line, pos, len);
                    if (pos == value) {
                        throw badExtensionByte("chunk extension value", line, pos, len);
                    }
                }
            }
            if (pos < len && line[pos] != ';') {
                throw isWhitespace(line[pos]) || isControl(line[pos] & 0xFF) ? badExtensionByte("chunk extension", line, pos, len)
                        : refusal("chunk extension is followed by something other than ';' at offset " + pos, line, len);
            }
        }
    }

    private static int skipToken(byte[] line, int pos, int len) {
        while (pos < len && Checks.isTokenChar(line[pos] & 0xFF)) {
            pos++;
        }
        return pos;
    }

    /** Returns the position after the closing quote of a quoted-string whose content starts at {@code pos}. */
    private static int skipQuoted(byte[] line, int pos, int len) {
        while (pos < len) {
            int b = line[pos] & 0xFF;
            if (b == '"') {
                return pos + 1;
            }
            if (b == '\\') {
                pos++;
                if (pos == len) {
                    break;
                }
                b = line[pos] & 0xFF;
            }
            if (isControl(b)) {
                throw refusal("chunk extension has a control character at offset " + pos, line, len);
            }
            pos++;
        }
        throw refusal("chunk extension quoted value is not closed", line, len);
    }

    /** The refusal for the byte at {@code pos} where {@code what}, a token, was expected. */
    private static BadHttpMessage badExtensionByte(String what, byte[] line, int pos, int len) {
        if (pos == len) {
            return refusal(what + " is empty", line, len);
        }
        int b = line[pos] & 0xFF;
        if (isWhitespace(line[pos])) {
            return refusal("whitespace in a chunk extension is not allowed " + WHITESPACE_RULE, line, len);
        }
        if (isControl(b)) {
            return refusal("chunk extension has a control character at offset " + pos, line, len);
        }
        if (b == ';' || b == '=') {
            return refusal(what + " is empty", line, len);
        }
        return refusal(what + " has a character that is not allowed in a token at offset " + pos, line, len);
    }

    private static BadHttpMessage refusal(String what, byte[] line, int len) {
        return new BadHttpMessage(Kind.BAD_CHUNK, what, -1, Escaping.quote(line, 0, len));
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** A control character other than HTAB, or DEL: never allowed in a quoted-string (RFC 9110 section 5.6.4). */
    private static boolean isControl(int b) {
        return b < 0x20 && b != '\t' || b == 0x7F;
    }

}
