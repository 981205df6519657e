package dev.aio4j.http;

/**
 * A snapshot of a session's connection pool counters ({@link ClientSession#poolStats()}).
 *
 * <p>aio4j-only: aiohttp's {@code TCPConnector} keeps these in private fields; here they are
 * for metrics and for tests that a connection was reused.
 *
 * @param open connections open now, in use and idle
 * @param idle idle keep-alive connections now
 * @param created connections made since the session was built
 * @param reused times an idle connection was reused
 * @param queued times a request waited at a limit
 * @param waiting requests waiting at a limit now
 * @since 0.2
 */
public record PoolStats(int open, int idle, long created, long reused, long queued, int waiting) {}
