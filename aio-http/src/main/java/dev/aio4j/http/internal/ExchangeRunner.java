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
 * sends it once more on a new connection when {@link FollowUpPolicy#mayRetry} allows. Returns
 * with the response head read; the body stays on the exchange for the caller to read.
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
     * Sends {@code out} for {@code spec} and reads the response head. May suspend.
     *
     * @param history the URLs of earlier responses of the redirect chain, for error messages
     * @throws ClientConnectorError if no connection could be made
     * @throws ServerDisconnectedError if the server closed the connection before the response head
     * @throws ClientOSError if the socket failed
     */
    public Result run(RequestSpec spec, RequestBridge.Outgoing out, Deadlines deadlines, List<URI> history) {
        return run(spec, null, out, deadlines, history);
    }

    /**
     * As {@link #run(RequestSpec, RequestBridge.Outgoing, Deadlines, List)}, through {@code proxy}
     * ({@code null}: direct): an http request on a pooled connection to the proxy, an https
     * request in a pooled tunnel through it. May suspend.
     *
     * @throws dev.aio4j.http.ClientHttpProxyError if the proxy refuses the tunnel
     */
    public Result run(RequestSpec spec, ProxySpec proxy, RequestBridge.Outgoing out, Deadlines deadlines, List<URI> history) {
        return run(spec, proxy, out, deadlines, history, PoolEvents.NONE, false);
    }

    /**
     * As {@link #run(RequestSpec, ProxySpec, RequestBridge.Outgoing, Deadlines, List)}, telling
     * {@code events} about the connection; with {@code upgrade}, the exchange is in upgrade mode
     * ({@link Exchange#expectUpgrade()}): a 101 keeps the connection for the caller. May suspend.
     */
    public Result run(RequestSpec spec, ProxySpec proxy, RequestBridge.Outgoing out, Deadlines deadlines, List<URI> history,
                      PoolEvents events, boolean upgrade) {
        return run(spec, proxy, out, deadlines, history, events, upgrade, null);
    }

    /**
     * One try of a request whose caller does the stale-connection retry itself (the session, so
     * that the client middlewares run again for it, as aiohttp's {@code _request} loop does).
     * {@code retried} says whether this is the retry (the pool then opens a new connection); a
     * failure that may be retried is noted in {@link #retryable()} before it is thrown.
     */
    public static final class Attempt {
        private boolean retried;
        private RuntimeException retryable;

        /**
         * Returns whether {@code failure} is the one failure of this hop that may be sent once
         * more; if so, the next try is the retry.
         *
         * @param failure what the try threw
         * @return whether to try once more
         */
        public boolean retry(RuntimeException failure) {
            if (retried || failure == null || failure != retryable) {
                return false;
            }
            retried = true;
            retryable = null;
            return true;
        }

        /**
         * The last failure that may be retried, or null.
         *
         * @return the last failure that may be retried, or null
         */
        public RuntimeException retryable() {
            return retryable;
        }
    }

    /**
     * As {@link #run(RequestSpec, ProxySpec, RequestBridge.Outgoing, Deadlines, List, PoolEvents, boolean)};
     * with an {@code attempt}, tries once and leaves the retry to the caller (see {@link Attempt}).
     */
    public Result run(RequestSpec spec, ProxySpec proxy, RequestBridge.Outgoing out, Deadlines deadlines, List<URI> history,
                      PoolEvents events, boolean upgrade, Attempt attempt) {
        URI url = spec.url();
        PoolKey key;
        try {
            key = pool.keyFor(url, proxy, spec.ssl());
        } catch (IOException e) {
            throw new ClientConnectorError(Urls.asciiHost(url), Urls.port(url), true, url, e);
        }
        boolean retried = attempt != null && attempt.retried;
        while (true) {
            HttpConnection conn;
            try {
                conn = pool.acquire(key, url, !retried, deadlines, history, events);
            } catch (IOException e) {
                throw new ClientConnectorError(key.connectHost(), key.connectPort(), key.tls(), url, e);
            }
            Exchange ex = new Exchange(pool, conn, spec.method(), url, deadlines, history);
            if (events != PoolEvents.NONE) {
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
                if (FollowUpPolicy.mayRetry(spec.method(), spec.body(), conn.reused(), ex.nothingReceived(), retried)) {
                    if (attempt != null) {
                        attempt.retryable = e; // the caller sends it again, through its middlewares
                        throw e;
                    }
                    retried = true;
                    continue;
                }
                throw e;
            }
        }
    }
}
