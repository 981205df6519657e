package dev.aio4j.streams;

/**
 * The reader's buffer limit was reached while looking for a separator.
 *
 * <p><b>asyncio:</b> {@code asyncio.LimitOverrunError}. <b>Differences:</b> unchecked;
 * {@link StreamReader#readline()} throws this type too, where asyncio turns it into a
 * {@code ValueError} with the same message.
 *
 * <p>{@link #consumed()} is the number of bytes to consume to get past the overrun: after
 * {@link StreamReader#readuntil} throws it, the data stays in the reader's buffer, so the caller
 * may {@code read(consumed)} and carry on.
 *
 * @since 0.1
 */
public final class LimitOverrunError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How many bytes must be consumed to get past the overrun. */
    private final int consumed;

    /**
     * Creates the error.
     *
     * @param message what was wrong
     * @param consumed how many bytes must be consumed to get past the overrun
     */
    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * How many bytes must be consumed.
     *
     * @return the count, as asyncio's {@code consumed} attribute
     */
    public int consumed() {
        return consumed;
    }
}
