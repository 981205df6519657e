package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.http.ClientConnectorError;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.ServerDisconnectedError;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * The connection stage: takes a connection from the pool, runs one {@link Exchange} on it (the
 * head, the body, held back for {@code 100 Continue} when asked, then the response head) and
 * returns with the response head read; the body stays on the exchange for the caller to read. A
 * failure that {@link FollowUpPolicy#mayRetry} lets the request send once more is noted in its
 * {@link Attempt}; the caller (the session) sends it again, through its client middlewares.
 *
 * <p>Everything that can fail after a connection was taken closes it through the exchange, so a
 * broken connection never goes back to the pool.
 */
public final class ExchangeRunner {
    /** A response head and the exchange that carries its body. */
    public record Result(ResponseHead head, Exchange exchange) {}

    private final ConnectionPool pool;

    public ExchangeRunner(ConnectionPool pool) {
        this.pool = Checks.notNull(pool, "pool");
    }

    /**
     * The stale-connection retry of one request, across all its hops (aiohttp's
     * {@code retry_persistent_connection} in {@code ClientSession._request}, set once before the
     * redirect loop): one retry in all, only if the request's own method is idempotent. A try whose
     * failure may be retried notes it in {@link #retryable()} before throwing it; the caller asks
     * {@link #retry} and sends the hop again, the middlewares too (aiohttp's {@code continue}), and
     * that try takes a new connection.
     */
    public static final class Attempt {
        /** Whether the request still has its retry: aiohttp's {@code retry_persistent_connection}. */
        private boolean retryLeft;
        /** Whether the next try is the retry (it takes a new connection, never an idle one). */
        private boolean retrying;
        private RuntimeException retryable;

        /**
         * @param method the method the caller gave the request (a redirect may change it later;
         *        aiohttp decides from the first)
         */
        public Attempt(String method) {
            this(method, true);
        }

        /**
         * @param method the method the caller gave the request
         * @param retryConnection whether the session retries at all (aiohttp's
         *        {@code ClientSession._retry_connection}, which its {@code TestClient} turns off)
         */
        public Attempt(String method, boolean retryConnection) {
            this.retryLeft = retryConnection && FollowUpPolicy.retriesConnection(method);
        }

        /**
         * Returns whether {@code failure} is the one failure of this request that may be sent
         * once more; if so, the next try is the retry and no later one will be.
         *
         * @param failure what the try threw
         * @return whether to try once more
         */
        public boolean retry(RuntimeException failure) {
            if (!retryLeft || failure == null || failure != retryable) {
                return false;
            }
            retryLeft = false;
            retrying = true;
            retryable = null;
            return true;
        }

        /**
         * The failure of the last try if it may be retried, or null.
         *
         * @return the failure of the last try if it may be retried, or null
         */
        public RuntimeException retryable() {
            return retryable;
        }

        @Override
        public String toString() {
            return "Attempt[" + (retrying ? "retrying" : retryLeft ? "retry left" : "no retry") + "]";
        }
    }

    /**
     * Sends {@code out} for {@code spec}, through {@code proxy} ({@code null}: direct: an http
     * request on a pooled connection to the proxy, an https request in a pooled tunnel through
     * it), telling {@code events} about the connection, and reads the response head. With
     * {@code upgrade}, the exchange is in upgrade mode ({@link Exchange#expectUpgrade()}): a 101
     * keeps the connection for the caller. One try: a failure the request may send again is noted
     * in {@code attempt} (see {@link Attempt}). May suspend.
     *
     * <p>The errors and the exchange's request info name {@code spec.shownUrl()} (a ws:// request's
     * URL, as aiohttp's request keeps it to the end); the connection is made for {@code spec.url()}.
     *
     * @param history the URLs of earlier responses of the redirect chain, for error messages
     * @throws ClientConnectorError if no connection could be made
     * @throws dev.aio4j.http.ClientHttpProxyError if the proxy refuses the tunnel
     * @throws ServerDisconnectedError if the server closed the connection before the response head
     * @throws ClientOSError if the socket failed, or a proxy closed the connection during {@code CONNECT}
     */
    public Result run(RequestSpec spec, ProxySpec proxy, RequestBridge.Outgoing out, Deadlines deadlines,
                      List<URI> history, PoolEvents events, boolean upgrade, Attempt attempt) {
        boolean retrying = attempt.retrying;
        attempt.retrying = false;
        attempt.retryable = null;
        URI url = spec.shownUrl();
        PoolKey key;
        try {
            key = pool.keyFor(spec.url(), proxy, spec.ssl());
        } catch (IOException e) {
            throw new ClientConnectorError(Urls.asciiHost(url), Urls.port(url), true, url, e);
        }
        HttpConnection conn;
        try {
            conn = pool.acquire(key, url, !retrying, deadlines, history, events);
        } catch (IOException e) {
            throw new ClientConnectorError(key.connectHost(), key.connectPort(), key.tls(), url, e);
        } catch (ServerDisconnectedError | ClientOSError e) {
            // a proxy that dropped the connection during CONNECT (a ClientConnectorError, no connection
            // at all, is never retried): aiohttp retries it too, since connector.connect runs inside
            // the try of _request's retry (in _connect_and_send_request, aiohttp 3.12 and later)
            if (attempt.retryLeft && FollowUpPolicy.mayRetry(e, spec.method(), spec.body())) {
                attempt.retryable = e;
            }
            throw e;
        }
        Exchange ex = new Exchange(pool, conn, spec.method(), url, out.headers(), deadlines, history);
        if (events != PoolEvents.NONE) {
            ex.onHeadSent(() -> events.requestHeadersSent(spec.method(), out.headers()));
            ex.onChunkSent(events::requestChunkSent);
        }
        if (upgrade) {
            ex.expectUpgrade();
        }
        try {
            if (out.expectContinue()) {
                ex.sendExpectingContinue(out.head(), spec.body(), out.continueWait());
            } else {
                ex.send(out.head(), spec.body());
            }
            return new Result(ex.readHead(), ex);
        } catch (ServerDisconnectedError | ClientOSError e) {
            // the exchange failed and closed the connection, which cancelled an upload still running:
            // spec.body().consumed() is final now (aiohttp awaits req._close() before it asks)
            if (attempt.retryLeft && FollowUpPolicy.mayRetry(e, spec.method(), spec.body())) {
                attempt.retryable = e;
            }
            throw e;
        }
    }
}
