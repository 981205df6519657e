package dev.aio4j.loop;

/**
 * A body whose checked exception type is part of its type, so that the methods that run it
 * where the caller waits ({@link Aio#run}, {@link Aio#waitFor(ThrowingCoroutine, double)},
 * {@link Aio#timeout(double, ThrowingCoroutine)}, {@link Aio#toThread(ThrowingCoroutine)},
 * {@link EventLoop#runUntilComplete(ThrowingCoroutine)}) can declare {@code throws E}. Java
 * infers {@code E} from the lambda: a body that throws {@code IOException} makes the call throw
 * {@code IOException}, which an ordinary {@code catch (IOException e)} catches, the original
 * object, unwrapped. A body that throws no checked exception makes the call throw none.
 *
 * <pre>{@code
 * try {
 *     StreamPair conn = Aio.waitFor(() -> Streams.openConnection(host, port), 5.0);
 * } catch (IOException e) {          // except OSError:
 *     ...
 * }
 * }</pre>
 *
 * <p><b>asyncio:</b> an {@code async def} coroutine function called with no arguments, awaited
 * where it is called. <b>Differences:</b> aio4j-only as a type; Python has no checked
 * exceptions. A {@link Coroutine} is a {@code ThrowingCoroutine<T, Exception>}, so a stored
 * coroutine can be passed too (the call then throws {@code Exception}).
 *
 * @param <T> the result type
 * @param <E> the checked exception the body may throw ({@code RuntimeException} when none)
 * @since 0.2
 */
@FunctionalInterface
public interface ThrowingCoroutine<T, E extends Exception> {
    /**
     * Runs the body.
     *
     * @return its result
     * @throws E its failure, passed to the caller unchanged
     */
    T call() throws E;
}
