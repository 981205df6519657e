package dev.aio4j.http;

import dev.aio4j.http.internal.AbsoluteTarget;
import dev.aio4j.http.internal.ContentDecoder;
import dev.aio4j.http.internal.Deadlines;
import dev.aio4j.http.internal.ExchangeRunner;
import dev.aio4j.http.internal.FollowUpPolicy;
import dev.aio4j.http.internal.Netrc;
import dev.aio4j.http.internal.PoolEvents;
import dev.aio4j.http.internal.ProxySpec;
import dev.aio4j.http.internal.RequestBody;
import dev.aio4j.http.internal.RequestBridge;
import dev.aio4j.http.internal.RequestSpec;
import dev.aio4j.http.internal.Urls;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.internal.Checks;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One request of a session, from its options to its last response: aiohttp's
 * {@code ClientSession._request}. It serves {@link ClientSession#request} (an http(s) or a ws(s) URL)
 * and the handshake of {@link ClientSession#wsConnect} ({@code upgrade}), which aiohttp sends with
 * {@code self.request(...)} too: one setup ({@link #start}: the spec, the middlewares, the deadlines,
 * {@code onRequestStart}, the stale-connection retry), one redirect loop ({@link #follow}, through
 * {@link FollowUpPolicy}), one wrap-up ({@link #finish}: {@code raiseForStatus}, {@code onRequestEnd}).
 * Package-private: made and used by the session only.
 */
final class SessionRequest implements FollowUpPolicy.Responses<ClientResponse> {
    /*
     * Maintainer notes. Per hop: send() -> sendHop() (the .netrc entry, the one retry around the
     * middlewares) -> sendTry() (the bridge, the connection stage, the response). Each hop's spec knows
     * the URL it is shown under (RequestSpec.shownUrl: a ws:// request's ws URL, kept by a relative
     * redirect, left by an absolute one, decided by RedirectPolicy), so nothing here re-derives it.
     * State lives for one request: the body the last try sent, the caller's Proxy-Authorization, the
     * shown URLs of the responses, and the .netrc file read at most once.
     */
    private final ClientSession session;
    /** The first hop, with the headers {@code onRequestStart}'s callbacks left. */
    private final RequestSpec spec;
    private final List<ClientMiddleware> chain;
    private final Deadlines deadlines;
    /** Null without trace configs. */
    private final Tracer tracer;
    /** aiohttp's {@code retry_persistent_connection}, once for the whole request, before its redirect loop. */
    private final ExchangeRunner.Attempt attempt;
    /** Whether this is a WebSocket handshake: the exchange keeps a 101's connection. */
    private final boolean upgrade;
    private final CallerProxyAuthorization proxyAuthorization = new CallerProxyAuthorization();
    /** The body the last try went out with (a middleware's {@code updateBody}), or null before the first. */
    private RequestBody sent;
    /** Each hop's response's {@code url()}, ws:// where aiohttp's is (for {@link #follow}'s TooManyRedirects). */
    private final List<URI> shownUrls = new ArrayList<>();
    /** The .netrc file as read for this request (null: none, or not read yet; see {@link #netrcRead}). */
    private Netrc netrc;
    private boolean netrcRead;

    private SessionRequest(ClientSession session, RequestSpec spec, List<ClientMiddleware> chain, Deadlines deadlines,
                           Tracer tracer, boolean upgrade) {
        this.session = session;
        this.spec = spec;
        this.chain = chain;
        this.deadlines = deadlines;
        this.tracer = tracer;
        this.upgrade = upgrade;
        this.attempt = new ExchangeRunner.Attempt(spec.method(), session.retryConnection());
    }

    /**
     * Makes the request of {@code method} and {@code url} (an http(s) or ws(s) URL, or one relative to
     * the base URL) with {@code options} applied in order, starts its clock and fires
     * {@code onRequestStart}, whose callbacks' headers are the ones sent (aiohttp's {@code _request}
     * fires {@code send_request_start} and then makes the {@code ClientRequest} with those headers).
     * The request's middlewares replace the session's, as in aiohttp.
     */
    static SessionRequest start(ClientSession session, String method, String url, boolean upgrade, RequestOption... options) {
        Checks.notNull(url, "url");
        RequestSpec.Builder b = RequestSpec.builder(session.defaults(), session.webSocketBase(), method, url);
        for (RequestOption o : options) {
            o.applyTo(b);
        }
        RequestSpec built = b.build();
        List<ClientMiddleware> given = RequestOption.middlewaresOf(options);
        Deadlines deadlines = new Deadlines(built.timeout(), built.shownUrl());
        String authorization = b.addedAuthorization();
        List<TraceConfig> traceConfigs = session.traceConfigs();
        Tracer tracer = traceConfigs.isEmpty() ? null : new Tracer(session, traceConfigs, built.method(), built.shownUrl(),
                withoutAuthorization(built.headers(), authorization));
        RequestSpec spec = tracer == null ? built : withTracedHeaders(built, tracer, authorization);
        return new SessionRequest(session, spec, given != null ? given : session.middlewares(), deadlines, tracer, upgrade);
    }

    /**
     * Sends the request and follows its redirects; a failure is reported to {@code onRequestException}.
     *
     * @return the last response, which the caller owns
     */
    ClientResponse follow() {
        try {
            try {
                return FollowUpPolicy.follow(spec, this);
            } catch (TooManyRedirects e) {
                throw withShownUrls(e);
            }
        } catch (RuntimeException | Error e) {
            traceException(tracer, e);
            throw e;
        }
    }

    /**
     * The redirect error of a handshake or a ws:// request, naming the URLs of {@link #shownUrls},
     * each hop's response's URL, where it has them all: RedirectPolicy's history names the URLs the
     * hops were sent to (http://, fragments kept), aiohttp's {@code TooManyRedirects(history[0].request_info,
     * tuple(history))} its responses' (ws://). A plain request's error is RedirectPolicy's own object,
     * as it always was.
     */
    private TooManyRedirects withShownUrls(TooManyRedirects e) {
        boolean shownAsWebSocket = !spec.shownUrl().equals(spec.url());
        if (!(upgrade || shownAsWebSocket) || shownUrls.size() != e.history().size()) {
            return e;
        }
        return new TooManyRedirects(e.requestInfo(), e.status(), e.message(), shownUrls.get(shownUrls.size() - 1),
                List.copyOf(shownUrls));
    }

    /**
     * The request's wrap-up, for its last response {@code r}: its {@code raiseForStatus}, then
     * {@code onRequestEnd}, as at the end of aiohttp's {@code _request}. A failure of either runs
     * {@code release} (which gives {@code r}'s connection back, or does nothing when the caller does
     * that itself), is reported to {@code onRequestException} (it is in {@code _request}'s try) and
     * propagates.
     */
    void finish(ClientResponse r, Runnable release) {
        try {
            checkStatus(spec, r);
            if (tracer != null) {
                tracer.requestEnd(r);
            }
        } catch (RuntimeException | Error e) {
            release.run();
            traceException(tracer, e);
            throw e;
        }
    }

    /**
     * The headers {@code onRequestStart} is given: without the {@code Authorization} the request's
     * or the session's auth added ({@code authorization}, null for none), as aiohttp's
     * {@code _request} fires it before it picks the auth, which {@code ClientRequest} adds.
     */
    private static Headers withoutAuthorization(Headers headers, String authorization) {
        if (authorization == null) {
            return headers;
        }
        Headers h = Headers.copyOf(headers);
        h.remove("Authorization");
        return h.readOnlyCopy();
    }

    /**
     * Fires {@code onRequestStart} and returns the request with the headers its callbacks left,
     * the auth's {@code Authorization} ({@code authorization}, or null) added back. A callback
     * that adds its own next to the auth gets aiohttp's {@code ValueError} ("Cannot combine
     * AUTHORIZATION header with AUTH argument") as an {@link IllegalArgumentException}, reported to
     * {@code onRequestException}.
     */
    private static RequestSpec withTracedHeaders(RequestSpec spec, Tracer tracer, String authorization) {
        Headers traced = tracer.requestStart();
        if (authorization != null) {
            if (traced.contains("Authorization")) {
                IllegalArgumentException e = new IllegalArgumentException("cannot combine an Authorization header an "
                        + "onRequestStart callback set with auth; give one or the other");
                traceException(tracer, e);
                throw e;
            }
            Headers h = Headers.copyOf(traced);
            h.add("Authorization", authorization);
            traced = h.readOnlyCopy();
        }
        return traced.equals(spec.headers()) ? spec : spec.withHeadersAndBody(traced, spec.body());
    }

    /**
     * The request's {@code raiseForStatus}: its callable for every last response, else an error
     * status (400 or more) refused with the response's {@link ClientResponseError}; aiohttp's
     * {@code raise_for_status} at the end of {@code _request}.
     */
    private static void checkStatus(RequestSpec spec, ClientResponse r) {
        if (spec.statusCheck() != null) {
            spec.statusCheck().accept(r);
        } else if (spec.raiseForStatus() && r.status() >= 400) {
            r.raiseForStatus();
        }
    }

    /**
     * Fires {@code onRequestException} for {@code e} (nothing without a tracer); a callback that
     * throws replaces {@code e}, which it carries as suppressed, as {@link ClientSession#request} does.
     */
    private static void traceException(Tracer tracer, Throwable e) {
        if (tracer != null) {
            try {
                tracer.requestException(e);
            } catch (RuntimeException | Error callbackFailure) {
                callbackFailure.addSuppressed(e);
                throw callbackFailure;
            }
        }
    }

    /**
     * A {@code Proxy-Authorization} header the caller gave, and the proxy ({@code host:port}) it
     * first went to. The header is the proxy's credentials, not the origin's: a redirect to
     * another origin drops it from the origin's headers (as aiohttp does), and this brings it back
     * for the same proxy, never for another proxy or a host reached directly.
     */
    private static final class CallerProxyAuthorization {
        String value;
        String proxyAuthority;

        ProxySpec apply(Headers requestHeaders, ProxySpec proxy) {
            if (proxy == null) {
                return null;
            }
            String given = requestHeaders.get("Proxy-Authorization");
            if (given != null) {
                if (value == null) {
                    value = given;
                    proxyAuthority = proxy.authority();
                }
                return proxy.withCallerAuthorization(requestHeaders);
            }
            if (value != null && proxy.authority().equals(proxyAuthority)) {
                return proxy.withCallerAuthorization(Headers.of("Proxy-Authorization", value));
            }
            return proxy;
        }
    }

    // ------------------------------------------------------------------ FollowUpPolicy.Responses

    @Override
    public ClientResponse send(RequestSpec hop, List<ClientResponse> history) {
        if (tracer != null && !history.isEmpty()) {
            tracer.hop(hop.shownUrl());
        }
        ClientResponse last = sendHop(hop, history);
        shownUrls.add(last.url());
        return last;
    }

    @Override
    public void redirected(ClientResponse response) {
        if (tracer != null) {
            tracer.redirect(response.method(), response);
        }
    }

    @Override
    public void returnedWithoutTarget(ClientResponse response, List<ClientResponse> history) {
        response.history(history);
    }

    @Override
    public RequestBody bodySent(RequestSpec s) {
        return sent != null ? sent : s.body();
    }

    @Override
    public RequestInfo requestInfo(ClientResponse response) {
        return response.requestInfo();
    }

    @Override
    public int status(ClientResponse response) {
        return response.status();
    }

    @Override
    public Headers headers(ClientResponse response) {
        return response.headers();
    }

    @Override
    public void drain(ClientResponse response) {
        response.takeArrived(); // never waits: a stalled redirect body must not hold the request
    }

    @Override
    public void close(ClientResponse response) {
        response.close();
    }

    // ------------------------------------------------------------------ one hop

    /**
     * Sends one hop through the middlewares (if any); when a try lost its connection in a way the
     * request's {@code attempt} may retry (once per request, all hops together: aiohttp's
     * {@code retry_persistent_connection}), sends it once more, the middlewares run again
     * (aiohttp's {@code continue} in {@code _request}'s loop re-enters the chain). {@link #sent} is
     * the body the hop last went out with (a middleware's {@code updateBody}), which a retry and a
     * 307/308 reuse, as aiohttp reuses {@code req._body}.
     */
    private ClientResponse sendHop(RequestSpec hop, List<ClientResponse> history) {
        RequestSpec s = withNetrcAuth(hop);
        while (true) {
            sent = null;
            try {
                if (chain.isEmpty()) {
                    sent = s.body();
                    return sendTry(s, history);
                }
                return throughMiddlewares(s, req -> {
                    RequestSpec rs = req.toSpec();
                    sent = rs.body();
                    return sendTry(rs, history);
                });
            } catch (RuntimeException e) {
                if (!attempt.retry(e)) {
                    throw e;
                }
                if (sent != null && !(s.body() instanceof RequestBody.None)) {
                    s = s.withHeadersAndBody(s.headers(), sent); // aiohttp: data = req._body
                }
            }
        }
    }

    /**
     * With trustEnv, a hop that carries no {@code Authorization} (no auth of the request's or the
     * session's applies, the caller gave none, or a redirect to another origin dropped them) gets
     * the {@code .netrc} entry for its host: aiohttp 3.9's netrc auth, chosen in {@code _request} for
     * each URL of the chain after the request's and the session's auth. Before the middlewares, which
     * see the header as aiohttp's see it.
     */
    private RequestSpec withNetrcAuth(RequestSpec hop) {
        if (!session.trustsEnvironment() || hop.headers().contains("Authorization")) {
            return hop;
        }
        deadlines.url(hop.shownUrl()); // a timeout during the read names this hop
        BasicAuth a = netrcAuth(Netrc.hostOf(hop.url()));
        if (a == null) {
            return hop;
        }
        Headers h = Headers.copyOf(hop.headers());
        h.add("Authorization", a.encode());
        return hop.withHeadersAndBody(h, hop.body());
    }

    /**
     * The .netrc entry for {@code host} as Basic credentials, or null. The file is read once per
     * request, at its first use, in the default executor and under the request's total timeout
     * (aiohttp reads it inside {@code _request}'s {@code with timer:}: a read that outlasts it fails
     * the request at the deadline); later hops, retries and environment proxies use what it read.
     */
    private BasicAuth netrcAuth(String host) {
        if (!netrcRead) {
            try {
                netrc = deadlines.total(() -> Aio.toThread(session::readNetrc));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e); // not thrown: Netrc.fromEnvironment handles read errors itself
            }
            netrcRead = true;
        }
        return netrc == null ? null : netrc.basicAuth(host);
    }

    /**
     * Sends one hop through the middlewares: the chain wraps {@code send}, which is called once per
     * {@link ClientHandler#send}. Every response {@code send} made that the chain does not return
     * is closed when it returns or throws, so no connection stays taken by a response nobody holds.
     */
    private ClientResponse throughMiddlewares(RequestSpec hop, ClientHandler send) {
        List<ClientResponse> made = new ArrayList<>(1);
        ClientHandler tracked = req -> {
            ClientResponse r = send.send(req);
            made.add(r);
            return r;
        };
        ClientResponse r;
        try {
            r = ClientSession.buildMiddlewares(tracked, chain).send(new ClientRequest(session, hop, hop.shownUrl()));
            if (r == null) {
                throw new IllegalStateException("a ClientMiddleware returned null for " + hop.method() + " " + hop.shownUrl()
                        + "; return the handler's response, or one of your own, or throw");
            }
        } catch (RuntimeException | Error e) {
            for (ClientResponse m : made) {
                m.close();
            }
            throw e;
        }
        for (ClientResponse m : made) {
            if (m != r) {
                m.close();
            }
        }
        return r;
    }

    /**
     * One try of a hop: the bridge on the way out, the connection stage, the bridge on the way back.
     * A ws:// hop's URL is the one the environment's proxy is looked up for (as aiohttp looks up the
     * URL it requests), a plain proxy's absolute-form target, the timeouts and the errors before a
     * response name, and its response's; only the connection is made as http's.
     */
    private ClientResponse sendTry(RequestSpec s, List<ClientResponse> history) {
        session.checkOpen();
        URI shown = s.shownUrl();
        deadlines.url(shown);
        ProxySpec proxy = s.proxy() != null ? s.proxy() : session.environmentProxyFor(shown);
        if (proxy != null && s.proxy() == null && proxy.auth() == null) {
            // aiohttp's proxies_from_env: an environment proxy without credentials in its URL takes
            // the .netrc entry for the proxy's host
            BasicAuth a = netrcAuth(AbsoluteTarget.hostName(proxy.host()));
            if (a != null) {
                proxy = new ProxySpec(proxy.host(), proxy.port(), a, proxy.headers());
            }
        }
        proxy = proxyAuthorization.apply(s.headers(), proxy);
        RequestBridge bridge = session.bridge();
        RequestBridge.Outgoing out = bridge.outgoing(s, proxy, Instant.now());
        List<URI> historyUrls = new ArrayList<>();
        for (ClientResponse r : history) {
            historyUrls.add(r.url());
        }
        ExchangeRunner.Result x = session.runner().run(s, proxy, out, deadlines, historyUrls,
                tracer != null ? tracer : PoolEvents.NONE, upgrade, attempt);
        try {
            if (tracer != null) {
                String m = s.method();
                // aiohttp: send_response_chunk_received(method, self.url, ...), the response's url: no fragment
                URI chunkUrl = Urls.withoutFragment(shown);
                x.exchange().onPiece(piece -> tracer.chunk(m, chunkUrl, piece));
            }
            bridge.received(s.url(), x.head(), Instant.now()); // the jar may throw
            ContentDecoder d = upgrade ? null : bridge.decoderFor(s.method(), x.head(), s.maxDecompressedSize());
            if (d != null) {
                x.exchange().decodeWith(d);
            }
            return new ClientResponse(s.method(), shown, out.headers(), x.head(), x.exchange(), history, s.maxBodySize(),
                    session.jsonCodec());
        } catch (RuntimeException | Error e) {
            x.exchange().abort(); // no response holds the connection: close it, give its slot back
            throw e;
        }
    }
}
