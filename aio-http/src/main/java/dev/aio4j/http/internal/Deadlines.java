package dev.aio4j.http.internal;

import dev.aio4j.http.ConnectionTimeoutError;
import dev.aio4j.http.ServerTimeoutError;
import dev.aio4j.http.SocketTimeoutError;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;

import java.io.IOException;
import java.net.URI;

/**
 * The timeouts of one request (aiohttp's {@code ClientTimeout}): a total deadline fixed when the
 * request starts, and the connect, sock_connect and socket-read limits applied to each step. Each step runs
 * under the earlier of its own limit and the total deadline, and a loop {@link TimeoutError} is
 * turned into the client error that names the limit that expired: {@link ConnectionTimeoutError},
 * {@link SocketTimeoutError}, or {@link ServerTimeoutError} ("total timeout").
 *
 * <p>Every limit is in seconds; {@code Double.POSITIVE_INFINITY} means none.
 */
public final class Deadlines {
    /** A step that may suspend and fail with the socket's error. */
    @FunctionalInterface
    public interface Step<T> {
        T call() throws IOException;
    }

    private final EventLoop loop;
    private final double total;
    private final double totalAt;
    private final double connect;
    private final double sockRead;
    private final double sockConnect;
    /** ClientTimeout.ceilThreshold: connect and sockConnect deadlines of a longer limit are rounded up. */
    private final double ceilThreshold;
    private URI url;

    /**
     * Starts the clock of a request now, with the limits of {@code timeout}. The total deadline is
     * rounded up to a whole second of loop time when {@code total >= ceilThreshold} (aiohttp's
     * {@code TimeoutHandle.start}).
     *
     * @param timeout the request's limits
     * @param url the request's URL, for the messages and the errors' {@code url()}, without its
     *     fragment (aiohttp names {@code req.url}, which has none); see {@link #url(URI)}
     */
    public Deadlines(dev.aio4j.http.ClientTimeout timeout, URI url) {
        this.loop = Aio.getRunningLoop();
        this.total = timeout.total();
        this.connect = timeout.connect();
        this.sockRead = timeout.sockRead();
        this.sockConnect = timeout.sockConnect();
        this.ceilThreshold = timeout.ceilThreshold();
        this.totalAt = deadline(loop.time(), total, total >= ceilThreshold);
        this.url = Urls.withoutFragment(url);
    }

    /**
     * The loop time at which a limit of {@code seconds} started at {@code now} expires:
     * {@code now + seconds}, rounded up to a whole second when {@code round} (aiohttp's
     * {@code ceil_timeout} and {@code TimeoutHandle.start}); infinite for no limit.
     */
    static double deadline(double now, double seconds, boolean round) {
        if (seconds == Double.POSITIVE_INFINITY) {
            return seconds;
        }
        double at = now + seconds;
        return round ? Math.ceil(at) : at;
    }

    /** The URL that messages name from now on (after a redirect), without its fragment. */
    public void url(URI url) {
        this.url = Urls.withoutFragment(url);
    }

    /**
     * Runs {@code step} under the connect limit, whose deadline is rounded up to a whole second
     * when the limit is above {@code ceilThreshold} (aiohttp's {@code ceil_timeout(timeout.connect,
     * timeout.ceil_threshold)}).
     */
    public <T> T connect(Step<T> step) throws IOException {
        return within(connect, connect > ceilThreshold, step, "connect timeout");
    }

    /**
     * Runs {@code step} (one attempt to open a new connection: the socket connection and the TLS
     * handshake) under the sock_connect limit, inside the connect limit it runs in; rounded as
     * {@link #connect}'s.
     */
    public <T> T sockConnect(Step<T> step) throws IOException {
        return within(sockConnect, sockConnect > ceilThreshold, step, "sock_connect timeout");
    }

    /**
     * Runs {@code step} (one read) under the socket-read limit, never rounded (aiohttp's response
     * protocol arms it with {@code loop.call_later(read_timeout, ...)}).
     */
    public <T> T read(Step<T> step) throws IOException {
        return within(sockRead, false, step, null);
    }

    /**
     * Runs {@code step} (one read) under the socket-read limit and the total deadline, but gives up
     * quietly at loop time {@code waitAt} if that comes first: for the wait for an interim
     * {@code 100 Continue}.
     *
     * @return what the step returned, or {@code null} if {@code waitAt} passed first
     */
    public <T> T readUntil(double waitAt, Step<T> step) throws IOException {
        double ownAt = sockRead == Double.POSITIVE_INFINITY ? sockRead : loop.time() + sockRead;
        double limitAt = Math.min(ownAt, totalAt);
        if (waitAt >= limitAt) {
            return read(step);
        }
        try {
            return Aio.timeoutAt(waitAt, t -> step.call());
        } catch (TimeoutError e) {
            return null;
        }
    }

    /**
     * Runs {@code step} (one read) while the request body may still be being sent by
     * {@code sending}: until sending ends only the total deadline applies (a server may answer as
     * late as the upload ends); from then on the socket-read limit counts too, as for
     * {@link #read}.
     */
    public <T, U> T readWhileSending(dev.aio4j.loop.Future<U> sending, Step<T> step) throws IOException {
        if (sending == null || sending.done()) {
            return read(step);
        }
        double[] ownAt = {Double.POSITIVE_INFINITY};
        try {
            return Aio.timeoutAt(totalAt, t -> {
                java.util.function.Consumer<dev.aio4j.loop.Future<U>> sent = f -> {
                    if (sockRead != Double.POSITIVE_INFINITY && !t.expired()) {
                        ownAt[0] = loop.time() + sockRead;
                        try {
                            t.reschedule(Math.min(ownAt[0], totalAt));
                        } catch (IllegalStateException blockEnded) {
                            // the read ended in the meantime
                        }
                    }
                };
                sending.addDoneCallback(sent);
                try {
                    return step.call();
                } finally {
                    sending.removeDoneCallback(sent);
                }
            });
        } catch (TimeoutError e) {
            if (totalAt <= ownAt[0]) {
                throw totalExpired(e);
            }
            throw new SocketTimeoutError(sockRead, url, e);
        }
    }

    /**
     * Returns the loop's clock, in seconds.
     *
     * @return the loop's clock, in seconds
     */
    public double now() {
        return loop.time();
    }

    /** Runs {@code step} under the total deadline only (sending the request). */
    public <T> T total(Step<T> step) throws IOException {
        return within(Double.POSITIVE_INFINITY, false, step, null);
    }

    /**
     * {@code round}: whether the step's own deadline is rounded up to a whole second;
     * {@code connectLimit}: the name of the connect limit that {@code limit} is, or null for a read limit.
     */
    private <T> T within(double limit, boolean round, Step<T> step, String connectLimit) throws IOException {
        double ownAt = deadline(loop.time(), limit, round);
        double at = Math.min(ownAt, totalAt);
        if (at == Double.POSITIVE_INFINITY) {
            return step.call();
        }
        try {
            return Aio.timeoutAt(at, t -> step.call());
        } catch (TimeoutError e) {
            if (totalAt <= ownAt) {
                throw totalExpired(e);
            }
            throw connectLimit != null ? new ConnectionTimeoutError(connectLimit, limit, url, e)
                    : new SocketTimeoutError(limit, url, e);
        }
    }

    /**
     * The error for the total deadline: its cause names the total timeout (the loop's own error,
     * which only knows the time left to the step that was waiting, is the cause's cause).
     */
    private ServerTimeoutError totalExpired(TimeoutError e) {
        TimeoutError cause = new TimeoutError("total timeout of " + total + " s expired (the whole request, body included)", e);
        return new ServerTimeoutError("total timeout", total, url, cause);
    }

    @Override
    public String toString() {
        return "Deadlines[total=" + total + ", connect=" + connect + ", sockRead=" + sockRead + ", sockConnect=" + sockConnect
                + ", ceilThreshold=" + ceilThreshold + ", url=" + url + "]";
    }
}
