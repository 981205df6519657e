package dev.aio4j.streams;

import java.util.Arrays;

/**
 * The stream ended before the requested bytes arrived.
 *
 * <p><b>asyncio:</b> {@code asyncio.IncompleteReadError}. <b>Differences:</b> unchecked (a
 * {@link RuntimeException}; asyncio's is an {@code EOFError}); an unknown expected size
 * (asyncio's {@code None}) is {@code -1} here.
 *
 * <p>Thrown by {@link StreamReader#readexactly} (expected is the requested size) and
 * {@link StreamReader#readuntil} (expected is unknown, -1). {@link #partial()} holds what was
 * read before the end; those bytes have left the reader's buffer.
 *
 * @since 0.1
 */
public final class IncompleteReadError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The bytes read before the end of the stream. */
    private final byte[] partial;
    /** The size that was asked for, or -1 if unknown. */
    private final long expected;

    /**
     * Creates the error.
     *
     * @param partial the bytes read before the end of the stream
     * @param expected the size that was asked for, or -1 if unknown
     */
    public IncompleteReadError(byte[] partial, long expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : Long.toString(expected))
                + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * The bytes read before the end of the stream.
     *
     * @return a copy of them
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes were expected.
     *
     * @return the requested size, or -1 if it was not known (asyncio: {@code None})
     */
    public long expected() {
        return expected;
    }

    @Override
    public String toString() {
        return "IncompleteReadError[partial=" + Arrays.toString(Arrays.copyOf(partial, Math.min(partial.length, 16)))
                + (partial.length > 16 ? "..." : "") + ", expected=" + expected + "]: " + getMessage();
    }
}
