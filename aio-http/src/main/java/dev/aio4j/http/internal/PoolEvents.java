package dev.aio4j.http.internal;

/**
 * What the pool and the exchange tell one request: waited at a limit, connection created or
 * reused, names resolved, body pieces written.
 * The session's trace configs listen ({@code TraceConfig}); {@link #NONE} when none does.
 */
public interface PoolEvents {
    /** Nobody listens. */
    PoolEvents NONE = new PoolEvents() {};

    /** The request waits for a free slot at the pool's limit. */
    default void queuedStart() {}

    /** It stopped waiting. */
    default void queuedEnd() {}

    /** A new connection is being made. */
    default void createStart() {}

    /** The new connection is ready (TLS included). */
    default void createEnd() {}

    /** An idle connection is reused. */
    default void reused() {}

    /** The host's name is being resolved (not in the DNS cache). */
    default void dnsResolveStart(String host) {}

    /** It was resolved. */
    default void dnsResolveEnd(String host) {}

    /** The DNS cache answered for the host. */
    default void dnsCacheHit(String host) {}

    /** The DNS cache did not know the host (or its entry expired). */
    default void dnsCacheMiss(String host) {}

    /** A piece of the request body was written (once per piece, before chunked framing). */
    default void requestChunkSent(byte[] chunk) {}
}
