package dev.aio4j.http;

import dev.aio4j.loop.internal.Checks;

import java.time.Duration;

/**
 * The time limits of a request, in seconds; {@code Double.POSITIVE_INFINITY} means no limit.
 *
 * <ul>
 *   <li>{@code total}: the whole request, from the call to the end of the body, redirects
 *       included; when it expires, {@link ServerTimeoutError} ("total timeout").
 *   <li>{@code connect}: getting a connection, waiting for a free one from the pool, the name
 *       lookup and the TLS handshake included; {@link ConnectionTimeoutError} ("connect timeout").
 *   <li>{@code sockRead}: the longest wait for the next bytes from the server, for the head and
 *       for every piece of the body; {@link SocketTimeoutError}.
 *   <li>{@code sockConnect}: each attempt to open a new connection: the socket connection (all
 *       of a host's addresses, Happy Eyeballs included) and the TLS handshake, the proxy's
 *       {@code CONNECT} tunnel's handshake with the origin too; not the wait for the pool nor
 *       the name lookup; {@link ConnectionTimeoutError} ("sock_connect timeout").
 * </ul>
 *
 * <p>Every timeout error names the URL of the request. A step runs under the earlier of its own
 * limit and what is left of {@code total} (a new connection also under what is left of
 * {@code connect}); the error names the limit that was reached.
 *
 * <p>{@code ceilThreshold} (default 5 seconds) rounds long deadlines up to a whole second of the
 * loop's clock, as aiohttp does so that timers of many requests fall on the same instants: the
 * deadline of {@code total} is rounded up when {@code total >= ceilThreshold}, those of
 * {@code connect} and {@code sockConnect} when the limit is {@code > ceilThreshold}; a
 * {@code sockRead} deadline is never rounded (aiohttp arms it with a plain
 * {@code loop.call_later}). So with the default, a 5.5 s limit started at loop time 100.2 expires
 * at 106, a 2.5 s one at 102.7. {@code Double.POSITIVE_INFINITY} never rounds; 0 rounds every
 * deadline of those limits.
 *
 * <pre>{@code
 * ClientTimeout t = ClientTimeout.NONE.withTotal(30).withSockRead(5);   // ClientTimeout(total=30, sock_read=5)
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientTimeout(total, connect, sock_read, sock_connect,
 * ceil_threshold)}, whose default is {@code ClientTimeout(total=300, sock_connect=30)}
 * ({@link #DEFAULT}). <b>Differences:</b> "no limit"
 * is {@code Double.POSITIVE_INFINITY} (aiohttp's {@code None}), and the keyword arguments are
 * the {@code with...} methods; aiohttp raises a bare {@code asyncio.TimeoutError} for the total
 * timeout, aio4j a {@link ServerTimeoutError}, so one {@code catch (ClientError e)} covers
 * everything.
 *
 * @param total seconds for the whole request, &gt; 0 or infinite
 * @param connect seconds to get a connection, &gt; 0 or infinite
 * @param sockRead seconds to wait for the next bytes from the server, &gt; 0 or infinite
 * @param sockConnect seconds for each attempt to open a new connection, &gt; 0 or infinite
 * @param ceilThreshold seconds from which a deadline is rounded up to a whole second of loop time,
 *     &gt;= 0 or infinite (never); aiohttp's {@code ceil_threshold}, default 5 (since 0.2)
 * @since 0.1
 */
public record ClientTimeout(double total, double connect, double sockRead, double sockConnect, double ceilThreshold) {
    /** aiohttp's {@code ceil_threshold} default, in seconds. */
    private static final double DEFAULT_CEIL_THRESHOLD = 5;

    /** aiohttp's default: 300 s in total, 30 s to open each new connection, no other limit; ceilThreshold 5 s. */
    public static final ClientTimeout DEFAULT = new ClientTimeout(300, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 30);

    /** No limit at all. */
    public static final ClientTimeout NONE = new ClientTimeout(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is zero, negative or NaN, or
     *     {@code ceilThreshold} is negative or NaN
     * @since 0.2
     */
    public ClientTimeout {
        check(total, "total");
        check(connect, "connect");
        check(sockRead, "sockRead");
        check(sockConnect, "sockConnect");
        checkCeilThreshold(ceilThreshold);
    }

    /**
     * The four limits with aiohttp's default {@code ceilThreshold} of 5 seconds.
     *
     * @param total seconds for the whole request, &gt; 0 or infinite
     * @param connect seconds to get a connection, &gt; 0 or infinite
     * @param sockRead seconds to wait for the next bytes from the server, &gt; 0 or infinite
     * @param sockConnect seconds for each attempt to open a new connection, &gt; 0 or infinite
     * @throws IllegalArgumentException if a limit is zero, negative or NaN
     */
    public ClientTimeout(double total, double connect, double sockRead, double sockConnect) {
        this(total, connect, sockRead, sockConnect, DEFAULT_CEIL_THRESHOLD);
    }

    /**
     * The limits without a {@code sockConnect} one (aio4j 0.1's three limits).
     *
     * @param total seconds for the whole request, &gt; 0 or infinite
     * @param connect seconds to get a connection, &gt; 0 or infinite
     * @param sockRead seconds to wait for the next bytes from the server, &gt; 0 or infinite
     * @throws IllegalArgumentException if a limit is zero, negative or NaN
     */
    public ClientTimeout(double total, double connect, double sockRead) {
        this(total, connect, sockRead, Double.POSITIVE_INFINITY);
    }

    /**
     * Only a total limit ({@code ClientTimeout(total=...)}: the other limits are none).
     *
     * @param total seconds for the whole request
     * @return the timeouts
     */
    public static ClientTimeout ofTotal(double total) {
        return NONE.withTotal(total);
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

    /**
     * These limits with another {@code total}.
     *
     * @param seconds the new limit, &gt; 0 or {@code Double.POSITIVE_INFINITY} for none
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withTotal(double seconds) {
        return new ClientTimeout(seconds, connect, sockRead, sockConnect, ceilThreshold);
    }

    /**
     * {@link #withTotal(double)} with a {@link Duration}.
     *
     * @param limit the new limit, &gt; 0
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withTotal(Duration limit) {
        return withTotal(Checks.seconds(limit, "total"));
    }

    /**
     * These limits with another {@code connect}.
     *
     * @param seconds the new limit, &gt; 0 or {@code Double.POSITIVE_INFINITY} for none
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withConnect(double seconds) {
        return new ClientTimeout(total, seconds, sockRead, sockConnect, ceilThreshold);
    }

    /**
     * {@link #withConnect(double)} with a {@link Duration}.
     *
     * @param limit the new limit, &gt; 0
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withConnect(Duration limit) {
        return withConnect(Checks.seconds(limit, "connect"));
    }

    /**
     * These limits with another {@code sockRead}.
     *
     * @param seconds the new limit, &gt; 0 or {@code Double.POSITIVE_INFINITY} for none
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withSockRead(double seconds) {
        return new ClientTimeout(total, connect, seconds, sockConnect, ceilThreshold);
    }

    /**
     * {@link #withSockRead(double)} with a {@link Duration}.
     *
     * @param limit the new limit, &gt; 0
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withSockRead(Duration limit) {
        return withSockRead(Checks.seconds(limit, "sockRead"));
    }

    /**
     * These limits with another {@code sockConnect}.
     *
     * @param seconds the new limit, &gt; 0 or {@code Double.POSITIVE_INFINITY} for none
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withSockConnect(double seconds) {
        return new ClientTimeout(total, connect, sockRead, seconds, ceilThreshold);
    }

    /**
     * {@link #withSockConnect(double)} with a {@link Duration}.
     *
     * @param limit the new limit, &gt; 0
     * @return the changed limits
     * @since 0.2
     */
    public ClientTimeout withSockConnect(Duration limit) {
        return withSockConnect(Checks.seconds(limit, "sockConnect"));
    }

    /**
     * These limits with another {@code ceilThreshold}: aiohttp's {@code ceil_threshold}.
     *
     * @param seconds the limit from which deadlines are rounded up to a whole second of loop time
     *     (see the class description), &gt;= 0, or {@code Double.POSITIVE_INFINITY} to never round
     * @return the changed limits
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     * @since 0.2
     */
    public ClientTimeout withCeilThreshold(double seconds) {
        return new ClientTimeout(total, connect, sockRead, sockConnect, seconds);
    }

    /**
     * {@link #withCeilThreshold(double)} with a {@link Duration}.
     *
     * @param threshold the new threshold, &gt;= 0
     * @return the changed limits
     * @throws IllegalArgumentException if {@code threshold} is negative
     * @since 0.2
     */
    public ClientTimeout withCeilThreshold(Duration threshold) {
        return withCeilThreshold(Checks.seconds(threshold, "ceilThreshold"));
    }

    private static void checkCeilThreshold(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("ceilThreshold must be >= 0 seconds or Double.POSITIVE_INFINITY for never, got "
                    + seconds);
        }
    }

    private static void check(double seconds, String name) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException(name + " must be > 0 seconds or Double.POSITIVE_INFINITY for none, got " + seconds);
        }
    }
}
