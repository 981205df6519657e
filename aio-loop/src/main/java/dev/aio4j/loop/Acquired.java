package dev.aio4j.loop;

/**
 * What {@code hold()} returns: closing it releases what was acquired, so
 * {@code async with lock:} ports to try-with-resources.
 *
 * <p><b>asyncio:</b> the {@code async with} protocol ({@code __aenter__}/{@code __aexit__}) of
 * {@code asyncio.Lock}, {@code Semaphore} and {@code Condition}. <b>Differences:</b> leaving the
 * block only releases; it never replaces the body's exception (which is why timeouts and task
 * groups use block forms instead, see {@link Aio#timeout} and {@link Aio#taskGroup}).
 *
 * <pre>{@code
 * try (Acquired held = lock.hold()) {   // async with lock:
 *     counter++;
 * }
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Acquired extends AutoCloseable {
    /** Releases what was acquired. */
    @Override
    void close();
}
