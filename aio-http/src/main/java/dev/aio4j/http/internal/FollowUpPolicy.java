package dev.aio4j.http.internal;

import dev.aio4j.http.ClientConnectorError;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.Headers;
import dev.aio4j.http.RequestInfo;
import dev.aio4j.http.ServerDisconnectedError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What happens after a response arrives or an attempt fails: whether a redirect is followed and
 * how the follow-up request looks (the decision itself is {@link RedirectPolicy}'s), what becomes
 * of the body of a response that is not returned, and whether a failed attempt is sent once more.
 *
 * <ul>
 *   <li>{@link #follow}: sends a request, and while the response is a redirect status, tells
 *       {@link Responses#redirected}, keeps it in the history and, if {@link RedirectPolicy}
 *       follows it, drains or drops its body and sends the follow-up (a redirect status with no
 *       target is returned, its history ending with itself, as aiohttp's). A response that is not returned is always closed, also when
 *       deciding about it fails ({@code TooManyRedirects}, a bad {@code Location}).
 *   <li>{@link #drainBeforeClose}: of a redirect's body, what has already arrived is taken (so
 *       its connection can be reused when that was all of it) only when its
 *       {@code Content-Length} says it is small (at most 99999 bytes); nothing is ever waited for,
 *       as aiohttp releases a redirect response at once: a body that has not all arrived, or is
 *       large or unsized, closes the connection with it.
 *   <li>{@link #retriesConnection} and {@link #mayRetry}: one retry per request (all its hops
 *       together), for a request whose method is idempotent, when a try lost its connection
 *       before the response head was complete and its body can still be sent (aiohttp's
 *       {@code retry_persistent_connection}; RFC 9112 section 9.3.1).
 * </ul>
 *
 * <p>No sockets: the responses are reached through {@link Responses}, so tests drive it with a
 * fake.
 */
public final class FollowUpPolicy {
    /**
     * Methods that may be sent twice: RFC 9110 section 9.2.2's, and QUERY (its own RFC says it is
     * safe and idempotent); aiohttp's {@code IDEMPOTENT_METHODS}.
     */
    static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "QUERY");

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

        /**
         * A redirect status arrived for a request that follows redirects: aiohttp's
         * {@code send_request_redirect} trace, before the redirect is counted and anything about it
         * is decided (so also for one that then fails, or has no target). Nothing by default.
         *
         * @param response the 3xx, not yet drained nor closed
         */
        default void redirected(R response) {}

        /**
         * A redirect status with no target is returned: aiohttp counted it and put it in the
         * history before it noticed, so its history ends with itself ({@code resp._history =
         * tuple(history)}). Nothing by default.
         *
         * @param response the 3xx that is returned
         * @param history the redirects of the request, oldest first, ending with {@code response}
         */
        default void returnedWithoutTarget(R response, List<R> history) {}

        /**
         * The request {@code response} answers, for a {@link dev.aio4j.http.TooManyRedirects}
         * (aiohttp: {@code history[0].request_info}); required, as every error the client raises
         * carries its request.
         *
         * @param response the first response of the request
         * @return its request, never null
         */
        RequestInfo requestInfo(R response);

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
                int status = io.status(r);
                if (!RedirectPolicy.isRedirect(status)) {
                    return r;
                }
                // aiohttp: the trace fires, the 3xx is counted and joins the history, then it is decided
                io.redirected(r);
                history.add(r);
                Headers h = io.headers(r);
                RequestBody sent = io.bodySent(spec);
                RedirectPolicy.Redirect next = redirects.decide(status, RedirectPolicy.location(h), spec.method(), spec.url(),
                        spec.shownUrl(), spec.headers(), !sent.consumed(), hops, io.requestInfo(history.get(0)));
                if (next == null) { // no target (aiohttp: `if r_url is None: break`)
                    io.returnedWithoutTarget(r, List.copyOf(history));
                    return r;
                }
                if (drainBeforeClose(h)) {
                    io.drain(r);
                }
                io.close(r);
                hops.add(new RedirectPolicy.Hop(spec.method(), spec.url(), next.url()));
                spec = spec.followUp(next.method(), next.url(), next.shownUrl(), next.headers(),
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
     * Returns whether a request made with {@code method} has the stale-connection retry at all
     * (aiohttp: {@code retry_persistent_connection = self._retry_connection and method in
     * IDEMPOTENT_METHODS}, decided once per request from the caller's method, so a POST turned into
     * a GET by a redirect has none either).
     *
     * @param method the request's method as the caller gave it, any case
     * @return whether the request may be sent once more after a connection failure
     */
    public static boolean retriesConnection(String method) {
        return IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT));
    }

    /**
     * Returns whether the try that threw {@code failure} may be sent once more, on a new
     * connection, by a request that still has its retry ({@link #retriesConnection}): as aiohttp,
     * when it is a {@link ServerDisconnectedError} or a {@link ClientOSError} other than a
     * {@link ClientConnectorError} (no connection made: not retried), the connection was new or
     * reused, and however much of the response head had arrived (the head is not complete, or the
     * try would not have failed), if the body it sent was not a one-shot stream that had begun to
     * be sent ({@code req._body.consumed}). The method the try sent is checked too, which
     * aiohttp leaves to the caller's: the same answer today (a redirect only ever turns a method
     * into GET, and a middleware cannot change it), kept so that a non-idempotent request is never
     * sent twice should that change.
     *
     * @param failure what the try threw
     * @param method the method the try sent, any case
     * @param body the body the try sent
     * @return whether the try may be sent once more
     */
    public static boolean mayRetry(RuntimeException failure, String method, RequestBody body) {
        boolean connectionLost = failure instanceof ServerDisconnectedError
                || failure instanceof ClientOSError && !(failure instanceof ClientConnectorError);
        return connectionLost && IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT)) && !body.consumed();
    }
}
