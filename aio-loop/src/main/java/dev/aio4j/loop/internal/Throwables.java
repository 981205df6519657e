package dev.aio4j.loop.internal;

/**
 * Rethrowing a {@code Throwable} caught on one thread on another. aio4j-only (the idiom of
 * Guava's {@code Throwables.throwIfUnchecked}).
 */
public final class Throwables {
    private Throwables() {}

    /**
     * Throws {@code e} itself if it is unchecked (a {@link RuntimeException} or an {@link Error});
     * returns for a checked one, which the caller wraps as it sees fit.
     *
     * @param e what was caught
     */
    public static void throwIfUnchecked(Throwable e) {
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }
}
