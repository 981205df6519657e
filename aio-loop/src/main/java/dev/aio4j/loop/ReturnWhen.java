package dev.aio4j.loop;

/**
 * When {@link Aio#wait(java.util.Collection, double, ReturnWhen)} returns.
 *
 * <p><b>asyncio:</b> the constants {@code asyncio.FIRST_COMPLETED},
 * {@code asyncio.FIRST_EXCEPTION} and {@code asyncio.ALL_COMPLETED}.
 *
 * @since 0.1
 */
public enum ReturnWhen {
    /** As soon as any future is done or cancelled. */
    FIRST_COMPLETED,
    /** As soon as any future fails with an exception, or when all are done. */
    FIRST_EXCEPTION,
    /** When every future is done or cancelled. */
    ALL_COMPLETED
}
