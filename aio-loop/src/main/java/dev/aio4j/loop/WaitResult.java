package dev.aio4j.loop;

import java.util.Set;

/**
 * The two sets {@link Aio#wait(java.util.Collection, double, ReturnWhen)} returns.
 *
 * <p><b>asyncio:</b> the {@code (done, pending)} tuple of {@code asyncio.wait}.
 * <b>Differences:</b> a record; both sets iterate in the order the futures were given.
 *
 * @param done the futures that are done
 * @param pending the futures still pending (not cancelled by wait)
 * @param <T> the result type
 * @since 0.1
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {
}
