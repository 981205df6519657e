package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

/**
 * Decodes the chunked transfer coding (RFC 9112 section 7.1) from chunks of input of any size.
 *
 * <p>Chunk sizes are hexadecimal without sign or prefix, and must fit in a {@code long}; chunk
 * extensions after {@code ;} are ignored; the data of each chunk must be followed by exactly
 * CRLF; the trailer section after the last chunk is parsed like the header section, with the same
 * limits. Data goes to the sink as it arrives, never buffered: the decoder itself holds at most one
 * chunk-size or trailer line.
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
                        throw new BadHttpMessage(Kind.BAD_CHUNK, "chunk data (" + chunkSize
                                + " bytes) is not followed by CRLF", -1, Escaping.quote(data, pos, Math.min(end - pos, 16)));
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

    static long parseSize(byte[] line, int len) {
        long size = 0;
        int i = 0;
        while (i < len) {
            int d = Character.digit(line[i], 16);
            if (d < 0 || line[i] > 'f') {
                break;
            }
            if (size > (Long.MAX_VALUE >> 4)) {
                throw new BadHttpMessage(Kind.BAD_CHUNK, "chunk size does not fit in 63 bits", Long.MAX_VALUE,
                        Escaping.quote(line, 0, len));
            }
            size = (size << 4) | d;
            i++;
        }
        if (i == 0) {
            throw new BadHttpMessage(Kind.BAD_CHUNK, "chunk size is not a hexadecimal number", -1, Escaping.quote(line, 0, len));
        }
        while (i < len && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < len && line[i] != ';') {
            throw new BadHttpMessage(Kind.BAD_CHUNK, "chunk size is followed by something other than an extension", -1,
                    Escaping.quote(line, 0, len));
        }
        return size;
    }
}
