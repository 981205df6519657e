package dev.aio4j.http;

import dev.aio4j.http.internal.Deadlines;
import dev.aio4j.http.internal.Exchange;
import dev.aio4j.http.internal.ExchangeRunner;
import dev.aio4j.http.internal.FollowUpPolicy;
import dev.aio4j.http.internal.HttpConnection;
import dev.aio4j.http.internal.RedirectPolicy;
import dev.aio4j.http.internal.RequestBody;
import dev.aio4j.http.internal.RequestSpec;
import dev.aio4j.http.internal.UriReference;
import dev.aio4j.http.internal.Urls;
import dev.aio4j.http.internal.ws.ClientHandshake;
import dev.aio4j.http.internal.ws.WebSocketConnection;
import dev.aio4j.loop.Aio;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The session's side of {@link ClientSession#wsConnect}: aiohttp's {@code ClientSession._ws_connect},
 * which sends the handshake with {@code self.request(...)}, so that the session's middlewares, traces,
 * redirects, proxies and {@code raise_for_status} apply to it as to any request. The protocol itself
 * (the upgrade fields, the checks of the answer, the WebSocket on the upgraded connection) is
 * {@link ClientHandshake}'s. Its hop loop for ws:// URLs ({@link #follow}) also serves
 * {@link ClientSession#request} given a ws:// or wss:// URL. Package-private: the session's hop machinery it uses
 * ({@link ClientSession#sendHop}, {@link ClientSession#send}) is not API.
 */
final class WsConnect {
    private WsConnect() {}

    /** {@link ClientSession#wsConnect}, the session already checked open. */
    static ClientWebSocketResponse connect(ClientSession session, String url, WSConnectOption... options) {
        WSConnectOption.Spec ws = new WSConnectOption.Spec();
        for (WSConnectOption o : options) {
            o.applyTo(ws);
        }
        RequestSpec.Defaults defaults = session.defaults();
        String httpUrl = httpUrlOf(url);
        // aiohttp sends the handshake to the ws:// or wss:// URL itself (a relative one joined to a
        // ws:// base URL among them), so its responses' url and request_info keep that scheme (see follow)
        boolean webSocketScheme = shownAsWebSocket(url, session.webSocketBase());
        ClientHandshake handshakeOffer = new ClientHandshake(ws.protocols, ws.origin, ws.compress, ws.compressBits);
        RequestSpec.SessionAuth laterSessionAuth = laterSessionAuth(defaults, webSocketScheme, session.webSocketBase());
        RequestSpec.Builder b = RequestSpec.builder(firstHopDefaults(defaults, laterSessionAuth, webSocketScheme,
                session.webSocketBase()), "GET", httpUrl);
        RequestOption.headers(handshakeOffer.headers()).applyTo(b);
        RequestOption.headers(ws.headers).applyTo(b);
        for (RequestOption o : ws.requestOptions) {
            o.applyTo(b);
        }
        RequestSpec built = b.build();
        List<ClientMiddleware> given = RequestOption.middlewaresOf(ws.requestOptions.toArray(new RequestOption[0]));
        List<ClientMiddleware> chain = given != null ? given : session.middlewares();
        ClientTimeout t = built.timeout();
        Deadlines deadlines = new Deadlines(t, webSocketScheme ? Urls.toWebSocket(built.url()) : built.url());
        // aiohttp's _ws_connect sends the handshake with self.request(...): the session's middlewares
        // see it (and may add headers), a stale pooled connection is retried through them, and
        // redirects are followed (allow_redirects defaults to True); the checks below apply to the
        // last response, whose history holds the redirects
        // aiohttp's self.request(...) fires the session's traces for the handshake as for any request,
        // under the URL it requests: the ws:// or wss:// one as given; as there, the headers an
        // onRequestStart callback changes (the handshake's own among them) are the ones sent
        List<TraceConfig> traceConfigs = session.traceConfigs();
        String authorization = b.addedAuthorization();
        Tracer tracer = traceConfigs.isEmpty() ? null : new Tracer(session, traceConfigs, built.method(),
                webSocketScheme ? Urls.toWebSocket(built.url()) : built.url(),
                ClientSession.withoutAuthorization(built.headers(), authorization));
        RequestSpec spec = tracer == null ? built : ClientSession.withTracedHeaders(built, tracer, authorization);
        RequestSpec[] handshake = {spec};
        ExchangeRunner.Attempt attempt = new ExchangeRunner.Attempt(spec.method(), session.retryConnection());
        ClientResponse resp;
        try {
            resp = follow(session, spec, webSocketScheme, laterSessionAuth, chain, deadlines, tracer, attempt, true,
                    rs -> handshake[0] = rs);
        } catch (RuntimeException | Error e) {
            ClientSession.traceException(tracer, e);
            throw e;
        }
        // the URL the last handshake went to: after redirects, the last one (fragment kept, as given)
        URI u = resp.realUrl();
        Headers rh = resp.headers();
        int status = resp.status();
        Exchange ex = resp.exchange();
        try {
            try {
                // aiohttp's self.request(...) applies the session's raise_for_status, before send_request_end
                ClientSession.checkStatus(spec, resp);
            } catch (RuntimeException | Error e) {
                ClientSession.traceException(tracer, e);
                throw e;
            }
            if (tracer != null) {
                // aiohttp: _request returned the response, so on_request_end fires before the
                // handshake checks (a refused handshake is no request exception); a callback that
                // throws there is one (it is in _request's try), and the failure path below closes
                try {
                    tracer.requestEnd(resp);
                } catch (RuntimeException | Error e) {
                    ClientSession.traceException(tracer, e);
                    throw e;
                }
            }
            ClientHandshake.Accepted accepted;
            try {
                accepted = handshakeOffer.check(status, rh, handshake[0].headers().get("Sec-WebSocket-Key"));
            } catch (ClientHandshake.Refused refused) {
                throw handshakeError(resp, refused.getMessage(), refused.getCause());
            }
            HttpConnection conn = ex.connection();
            double hb = ws.heartbeat;
            WebSocketConnection socket = ClientHandshake.open(Aio.getRunningLoop(), ex, u, accepted,
                    new WebSocketConnection.Settings(ws.autoping, ws.autoclose, ws.heartbeat, ws.receiveTimeout, ws.closeTimeout,
                            ws.maxMsgSize, defaults.jsonCodec(), m -> new ServerTimeoutError(m, hb / 2, u, null)),
                    () -> {
                        conn.close();
                        session.pool().release(conn, false);
                    });
            return new ClientWebSocketResponse(socket, u, status, rh.readOnlyCopy());
        } catch (RuntimeException | Error e) {
            if (!ex.done()) {
                ex.abort();
            } else if (status == 101) {
                // takeUpgraded() ended the exchange: the connection is no longer the pool's to give back
                ex.connection().abort();
                session.pool().release(ex.connection(), false);
            }
            // else a raiseForStatus callable read a refused response's body to its end: the exchange
            // already gave the connection back, to be neither closed nor released again
            throw e;
        }
    }

    /**
     * Returns a {@code ws://} or {@code wss://} URL as the {@code http://} or {@code https://} URL it
     * is sent to (aiohttp's {@code ClientRequest} takes ws as http and wss as https: the same default
     * ports, TLS for wss); any other URL unchanged.
     */
    static String httpUrlOf(String url) {
        if (url.regionMatches(true, 0, "ws://", 0, 5)) {
            return "http://" + url.substring(5);
        }
        if (url.regionMatches(true, 0, "wss://", 0, 6)) {
            return "https://" + url.substring(6);
        }
        return url;
    }

    /**
     * Whether a request given {@code url} is shown under a ws(s) URL: one given as {@code ws://} or
     * {@code wss://}, or a relative one (no scheme) joined to a ws(s) base URL, as aiohttp's
     * {@code base_url.join(url)} keeps the base's scheme.
     */
    static boolean shownAsWebSocket(String url, boolean webSocketBase) {
        return !httpUrlOf(url).equals(url) || webSocketBase && !UriReference.split(url).hasScheme();
    }

    /**
     * The session's auth held back for later hops of a request given as a ws:// URL, or null.
     * aiohttp's {@code _request} gives the session's auth to a URL when there is no base URL or the
     * URL has the base URL's origin; a ws:// URL's origin is never an http(s) base URL's, so its hops
     * get the session's auth only once a redirect left ws:// (see {@link #follow}). With a ws(s)
     * base URL (kept in its http(s) form) the ws hops of its origin get it at once: null.
     */
    static RequestSpec.SessionAuth laterSessionAuth(RequestSpec.Defaults defaults, boolean webSocketScheme, boolean webSocketBase) {
        return webSocketScheme && !webSocketBase && defaults.baseUrl() != null && defaults.auth() != null
                ? new RequestSpec.SessionAuth(defaults.auth(), defaults.baseUrl()) : null;
    }

    /**
     * The defaults the first hop is built from: without the session's auth when it is held back for
     * later hops, or when the base URL is ws(s) and the request is not (aiohttp: an http(s) URL's
     * origin is never a ws(s) base URL's).
     */
    static RequestSpec.Defaults firstHopDefaults(RequestSpec.Defaults defaults, RequestSpec.SessionAuth laterSessionAuth,
                                                 boolean webSocketScheme, boolean webSocketBase) {
        return laterSessionAuth != null || webSocketBase && !webSocketScheme ? defaults.withoutAuth() : defaults;
    }

    /**
     * Sends {@code spec} and follows its redirects, as {@link ClientSession#request} does, for a
     * request the caller gave as a {@code ws://} or {@code wss://} URL when {@code webSocketScheme}
     * ({@code spec} holds its http(s) form): each hop is shown under the ws URL (middlewares,
     * traces, proxies' targets, errors, the responses' URLs) until a redirect's absolute
     * {@code Location} leaves it, as aiohttp's request keeps the URL it was given and joins a
     * relative {@code Location} to it. Used by {@link #connect} (the handshake, {@code upgrade}) and
     * by {@link ClientSession#request} for a ws:// URL. {@code sentTry} gets each try as it is sent.
     * The caller reports an exception to the tracer.
     */
    static ClientResponse follow(ClientSession session, RequestSpec spec, boolean webSocketScheme,
                                 RequestSpec.SessionAuth laterSessionAuth, List<ClientMiddleware> chain,
                                 Deadlines deadlines, Tracer tracer, ExchangeRunner.Attempt attempt, boolean upgrade,
                                 Consumer<RequestSpec> sentTry) {
        // a relative Location keeps the ws scheme (url.join), an absolute one (http or https:
        // another scheme is refused) replaces it. Tracked per hop, mapped on the responses.
        boolean[] wsScheme = {webSocketScheme};
        // set once a hop left ws:// for http:// on the same origin: aiohttp popped the credentials
        // from its headers there, for the rest of the chain; FollowUpPolicy's own request still has
        // them (for it the origin did not change), so every later hop drops them again
        boolean[] credentialsDropped = {false};
        ClientSession.CallerProxyAuthorization proxyAuthorization = new ClientSession.CallerProxyAuthorization();
        RequestBody[] sent = new RequestBody[1];
        List<URI> shownUrls = new ArrayList<>(); // each hop's response's url(), ws:// where aiohttp's is
        return followShown(spec, new ClientSession.Hops(sent) {
            @Override
            public ClientResponse send(RequestSpec s, List<ClientResponse> history) {
                RequestSpec hop = s;
                if (!history.isEmpty() && wsScheme[0]) {
                    String location = RedirectPolicy.location(history.get(history.size() - 1).headers());
                    if (location == null || UriReference.split(location.strip()).hasScheme()) {
                        // ws://h to http://h: for aiohttp the origin changed with the scheme, so it
                        // dropped the credentials (RedirectPolicy saw http://h both times and kept them)
                        wsScheme[0] = false;
                        credentialsDropped[0] = true;
                    }
                }
                if (credentialsDropped[0]) {
                    // the session's auth comes back where it applies (no base URL), but never with a
                    // ws(s) base URL: its origin is no http(s) hop's, though its http(s) form, which
                    // the request's SessionAuth compares, is this hop's (ws://h to http://h)
                    RequestSpec from = session.webSocketBase() ? s.withoutSessionAuth() : s;
                    hop = from.followUp(s.method(), s.url(), RedirectPolicy.withoutCredentials(s.headers()), s.body());
                }
                boolean shownAsWs = wsScheme[0];
                if (tracer != null && !history.isEmpty()) {
                    tracer.hop(shownAsWs ? Urls.toWebSocket(hop.url()) : hop.url());
                }
                if (laterSessionAuth != null && !shownAsWs && !hop.headers().contains("Authorization")
                        && laterSessionAuth.appliesTo(hop.url())) {
                    // an http(s) hop of the base URL's origin: aiohttp picks the session's auth again
                    Headers withAuth = Headers.copyOf(hop.headers());
                    withAuth.add("Authorization", laterSessionAuth.auth().encode());
                    hop = hop.followUp(hop.method(), hop.url(), withAuth, hop.body());
                }
                ClientResponse last = session.sendHop(chain, hop, sent, attempt, deadlines, shownAsWs, rs -> {
                    sentTry.accept(rs);
                    ClientResponse r = session.send(rs, deadlines, history, tracer, proxyAuthorization, attempt,
                            upgrade, shownAsWs);
                    if (shownAsWs) {
                        r.showWebSocketUrl();
                    }
                    return r;
                });
                shownUrls.add(last.url());
                return last;
            }

            @Override
            public URI shownUrl(RequestSpec s) {
                // the hop just sent, still in the scheme it was shown in (send changes it for the next)
                return wsScheme[0] ? Urls.toWebSocket(s.url()) : s.url();
            }

            @Override
            public void redirected(ClientResponse response) {
                if (tracer != null) {
                    tracer.redirect(response.method(), response);
                }
            }
        }, shownUrls);
    }

    /**
     * Follows the redirects; a {@link TooManyRedirects} names the URLs of
     * {@code shownUrls}, each hop's response's URL, where it has them all. RedirectPolicy names the
     * URLs the hops were sent to (http://); aiohttp's {@code TooManyRedirects(history[0].request_info,
     * tuple(history))} shows its responses' (ws://).
     */
    private static ClientResponse followShown(RequestSpec spec, ClientSession.Hops hops, List<URI> shownUrls) {
        try {
            return FollowUpPolicy.follow(spec, hops);
        } catch (TooManyRedirects e) {
            if (shownUrls.size() != e.history().size()) {
                throw e;
            }
            throw new TooManyRedirects(e.requestInfo(), e.status(), e.message(), shownUrls.get(shownUrls.size() - 1),
                    List.copyOf(shownUrls));
        }
    }

    /**
     * The error for a handshake response {@code resp} that failed: as aiohttp, every
     * {@code WSServerHandshakeError} is made of {@code resp.request_info}, {@code resp.history},
     * {@code resp.status} and {@code resp.headers}. Made only on failure.
     */
    private static WSServerHandshakeError handshakeError(ClientResponse resp, String message, Throwable cause) {
        return new WSServerHandshakeError(resp.requestInfo(), resp.status(), message, resp.historyUrls(), resp.headers(), cause);
    }
}
