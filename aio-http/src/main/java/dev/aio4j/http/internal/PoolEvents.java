package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

/**
 * What the pool and the exchange tell one request: waited at a limit, connection created or
 * reused, names resolved, head and body pieces written.
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

    /**
     * A request's head is about to be written on the connection, before its body: once per
     * request sent (each redirect's follow-up and a retry too), not for a proxy's CONNECT.
     *
     * @param method the method of this request
     * @param headers the fields its head carries (read-only; the framing field aside)
     */
    default void requestHeadersSent(String method, Headers headers) {}

    /** A piece of the request body was written (once per piece, before chunked framing). */
    default void requestChunkSent(byte[] chunk) {}
}
