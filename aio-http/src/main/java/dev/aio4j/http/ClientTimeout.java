package dev.aio4j.http;

import dev.aio4j.loop.internal.Checks;

import java.time.Duration;

/**
 * The time limits of a request, in seconds; {@code Double.POSITIVE_INFINITY} means no limit.
 *
 * <ul>
 *   <li>{@code total}: the whole request, from the call to the end of the body, redirects
 *       included; when it expires, {@link ServerTimeoutError} ("total timeout").
 *   <li>{@code connect}: getting a connection, waiting for a free one from the pool and the TLS
 *       handshake included; {@link ConnectionTimeoutError}.
 *   <li>{@code sockRead}: the longest wait for the next bytes from the server, for the head and
 *       for every piece of the body; {@link SocketTimeoutError}.
 * </ul>
 *
 * <p>Every timeout error names the URL of the request. A step runs under the earlier of its own
 * limit and what is left of {@code total}; the error names the limit that was reached.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientTimeout(total, connect, sock_read, sock_connect)}.
 * <b>Differences:</b> no {@code sock_connect} (the {@code connect} limit covers the socket
 * connection too) and no {@code ceil_threshold}; "no limit" is {@code Double.POSITIVE_INFINITY}
 * (aiohttp's {@code None}); aiohttp raises a bare {@code asyncio.TimeoutError} for the total
 * timeout, aio4j a {@link ServerTimeoutError}, so one {@code catch (ClientError e)} covers
 * everything.
 *
 * @param total seconds for the whole request, &gt; 0 or infinite
 * @param connect seconds to get a connection, &gt; 0 or infinite
 * @param sockRead seconds to wait for the next bytes from the server, &gt; 0 or infinite
 * @since 0.1
 */
public record ClientTimeout(double total, double connect, double sockRead) {
    /** aiohttp's default: 300 s in total, no other limit. */
    public static final ClientTimeout DEFAULT = new ClientTimeout(300, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    /** No limit at all. */
    public static final ClientTimeout NONE = new ClientTimeout(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is zero, negative or NaN
     */
    public ClientTimeout {
        check(total, "total");
        check(connect, "connect");
        check(sockRead, "sockRead");
    }

    /**
     * Only a total limit.
     *
     * @param total seconds for the whole request
     * @return the timeouts
     */
    public static ClientTimeout ofTotal(double total) {
        return new ClientTimeout(total, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #ofTotal(double)} with a {@link Duration}.
     *
     * @param total the time for the whole request, &gt; 0
     * @return the timeouts
     * @throws IllegalArgumentException if {@code total} is zero or negative
     * @since 0.2
     */
    public static ClientTimeout ofTotal(Duration total) {
        return ofTotal(Checks.seconds(total, "total"));
    }

    private static void check(double seconds, String name) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException(name + " must be > 0 seconds or Double.POSITIVE_INFINITY for none, got " + seconds);
        }
    }
}
