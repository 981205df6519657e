package dev.aio4j.loop;

/**
 * {@link ThrowingCoroutine} for a body without a result: the void forms of {@link Aio#run},
 * {@link Aio#waitFor(ThrowingVoidCoroutine, double)}, {@link Aio#timeout(double,
 * ThrowingVoidCoroutine)} and the others declare {@code throws E}, inferred from the lambda.
 *
 * <p><b>asyncio:</b> an {@code async def} coroutine function that returns {@code None}, awaited
 * where it is called. <b>Differences:</b> aio4j-only as a type. A {@link VoidCoroutine} is a
 * {@code ThrowingVoidCoroutine<Exception>}.
 *
 * @param <E> the checked exception the body may throw ({@code RuntimeException} when none)
 * @since 0.2
 */
@FunctionalInterface
public interface ThrowingVoidCoroutine<E extends Exception> {
    /**
     * Runs the body.
     *
     * @throws E its failure, passed to the caller unchanged
     */
    void call() throws E;
}
