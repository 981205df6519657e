package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What happens after a response arrives or an attempt fails: whether a redirect is followed and
 * how the follow-up request looks (the decision itself is {@link RedirectPolicy}'s), what becomes
 * of the body of a response that is not returned, and whether a failed attempt is sent once more.
 *
 * <ul>
 *   <li>{@link #follow}: sends a request, and while the response is a redirect that
 *       {@link RedirectPolicy} follows, drains or drops its body, keeps it in the history and
 *       sends the follow-up. A response that is not returned is always closed, also when
 *       deciding about it fails ({@code TooManyRedirects}, a bad {@code Location}).
 *   <li>{@link #drainBeforeClose}: of a redirect's body, what has already arrived is taken (so
 *       its connection can be reused when that was all of it) only when its
 *       {@code Content-Length} says it is small (at most 99999 bytes); nothing is ever waited for,
 *       as aiohttp releases a redirect response at once: a body that has not all arrived, or is
 *       large or unsized, closes the connection with it.
 *   <li>{@link #mayRetry}: one retry, for an idempotent request with a replayable body that
 *       failed on a reused keep-alive connection before any byte of the response arrived (the
 *       server closed the idle connection as we sent).
 * </ul>
 *
 * <p>No sockets: the responses are reached through {@link Responses}, so tests drive it with a
 * fake.
 */
public final class FollowUpPolicy {
    /** Methods that may be sent twice (RFC 9110 section 9.2.2); OPTIONS and TRACE are safe too. */
    static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private FollowUpPolicy() {}

    /**
     * How the policy reaches responses of type {@code R} (the session's {@code ClientResponse},
     * or a test's fake).
     */
    public interface Responses<R> {
        /**
         * Sends one request (the connection stage), with the responses redirected so far.
         *
         * @param history the earlier responses of the chain, oldest first, not to be modified
         */
        R send(RequestSpec spec, List<R> history);

        /**
         * The body the last {@link #send} actually sent: a client middleware may have replaced
         * {@code spec}'s, and a 307/308 carries the replacement on (aiohttp reuses
         * {@code req._body}). By default {@code spec}'s own.
         *
         * @param spec the request last given to {@link #send}
         * @return the body it went out with
         */
        default RequestBody bodySent(RequestSpec spec) {
            return spec.body();
        }

        int status(R response);

        Headers headers(R response);

        /**
         * Takes what has already arrived of the body, never waiting for more (if that is all of
         * it, the connection is then reusable).
         */
        void drain(R response);

        /** Releases the response: its connection goes back if its body was read, is closed otherwise. */
        void close(R response);
    }

    /**
     * Sends {@code first} and follows redirects as {@link RedirectPolicy} decides, when the
     * request allows them.
     *
     * @return the last response, which the caller owns and must close
     * @throws dev.aio4j.http.TooManyRedirects past the limit or on a loop (the 3xx is closed)
     * @throws dev.aio4j.http.InvalidURL if a {@code Location} is unusable (the 3xx is closed)
     * @throws dev.aio4j.http.ClientPayloadError if a redirect keeps a one-shot body already sent (the 3xx is closed)
     */
    public static <R> R follow(RequestSpec first, Responses<R> io) {
        RedirectPolicy redirects = new RedirectPolicy(first.maxRedirects());
        List<RedirectPolicy.Hop> hops = new ArrayList<>();
        List<R> history = new ArrayList<>();
        RequestSpec spec = first;
        while (true) {
            R r = io.send(spec, List.copyOf(history));
            if (!spec.allowRedirects()) {
                return r;
            }
            try {
                Headers h = io.headers(r);
                RequestBody sent = io.bodySent(spec);
                RedirectPolicy.Redirect next = redirects.decide(io.status(r), h.get("Location"), spec.method(), spec.url(),
                        spec.headers(), !sent.consumed(), hops);
                if (next == null) {
                    return r;
                }
                if (drainBeforeClose(h)) {
                    io.drain(r);
                }
                io.close(r);
                hops.add(new RedirectPolicy.Hop(spec.method(), spec.url(), next.url()));
                history.add(r);
                spec = spec.followUp(next.method(), next.url(), next.headers(),
                        next.keepBody() ? sent : new RequestBody.None());
            } catch (RuntimeException | Error e) {
                io.close(r);
                throw e;
            }
        }
    }

    /**
     * Returns whether the body of a response that is not returned is read (to keep its
     * connection) rather than dropped with its connection: only when {@code Content-Length}
     * announces at most 99999 bytes.
     *
     * @return whether the body of a response that is not returned is read rather than dropped
     */
    public static boolean drainBeforeClose(Headers responseHeaders) {
        String cl = responseHeaders.get("Content-Length");
        return cl != null && cl.strip().length() <= 5;
    }

    /**
     * Returns whether a failed attempt is sent once more, on a new connection.
     *
     * @param method the request's method, upper case
     * @param body the request's body
     * @param reusedConnection whether the attempt ran on a pooled keep-alive connection
     * @param nothingReceived whether no byte of the response had arrived
     * @param retriedAlready whether this attempt was already the retry
     * @return whether a failed attempt is sent once more, on a new connection
     */
    public static boolean mayRetry(String method, RequestBody body, boolean reusedConnection, boolean nothingReceived,
                                   boolean retriedAlready) {
        return !retriedAlready && reusedConnection && nothingReceived && IDEMPOTENT.contains(method) && body.replayable();
    }
}
