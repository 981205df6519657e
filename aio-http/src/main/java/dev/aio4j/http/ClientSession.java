package dev.aio4j.http;

import dev.aio4j.http.internal.ConnectionPool;
import dev.aio4j.http.internal.ConnectorSettings;
import dev.aio4j.http.internal.ExchangeRunner;
import dev.aio4j.http.internal.InsecureTls;
import dev.aio4j.http.internal.Netrc;
import dev.aio4j.http.internal.ProxyEnvironment;
import dev.aio4j.http.internal.ProxySpec;
import dev.aio4j.http.internal.RequestBridge;
import dev.aio4j.http.internal.RequestSpec;
import dev.aio4j.http.internal.SessionAccess;
import dev.aio4j.http.internal.Urls;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.internal.Connector;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.1 client session: a pool of keep-alive connections, default headers, timeouts, a
 * cookie jar and a redirect policy shared by the requests made through it. Make one per
 * application (or per group of requests to the same services), use it from tasks of one event
 * loop, and close it at the end.
 *
 * <pre>{@code
 * Aio.run(() -> {
 *     try (ClientSession session = ClientSession.builder()
 *             .baseUrl("http://127.0.0.1:8080/api/")
 *             .timeout(new ClientTimeout(30, 5, 10))
 *             .build()) {
 *         try (ClientResponse r = session.get("users", RequestOption.params("page", "2"))) {
 *             r.raiseForStatus();
 *             System.out.println(r.text());
 *         }
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>What a request does: it joins its URL with the base URL and adds the query parameters; takes
 * a connection from the pool (an idle keep-alive one for the same scheme, host and port, or a new
 * one, or waits at the pool's limits); sends the head (default headers, then the request's,
 * {@code Host}, {@code Accept-Encoding: gzip, deflate} when decompressing, the jar's cookies) and
 * the body; reads the head; stores cookies; follows redirects; and returns the response, whose
 * body the caller reads. An idle connection that the server closed is noticed and skipped; if an
 * idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, QUERY) loses its connection
 * ({@link ServerDisconnectedError}, or a {@link ClientOSError} other than a
 * {@link ClientConnectorError}) before the response head is complete, it is sent once more on a
 * new connection, once per request (redirects included), unless its body was a one-shot stream
 * that had begun to be sent (aiohttp's {@code retry_persistent_connection}; aio-test's
 * {@code TestClient} turns this retry off, as aiohttp's does). Through a proxy
 * ({@link Builder#proxy(String)}, {@link RequestOption#proxy(String)}, {@link Builder#trustEnv}), an
 * http request goes to the proxy in absolute form and an https request through a {@code CONNECT}
 * tunnel, each pooled as described in {@code docs/http-client.md}. Client middlewares
 * ({@link Builder#middlewares}, {@link RequestOption#middlewares}) wrap the sending of each hop, the
 * first request and each redirect's follow-up: see {@link ClientMiddleware}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientSession} with its {@code TCPConnector}.
 * <b>Differences:</b> built with {@link #builder()} instead of keyword arguments; the request
 * methods suspend and return the {@link ClientResponse} (use try-with-resources where aiohttp
 * uses {@code async with}); {@link #close()} never suspends; keyword arguments of a request are
 * {@link RequestOption}s; the connector's {@code limit} counts idle connections too; http:// proxies only,
 * {@code json=} through a {@link JsonCodec} you configure, WebSockets through {@link #wsConnect} (see {@link ClientWebSocketResponse}), HTTP/1.1 only; the cookie jar is internal
 * (on or off).
 *
 * <p><b>Threading:</b> loop-confined: the first request binds the session to its loop.
 *
 * <p><b>Testing:</b> run a local server (the JDK's {@code com.sun.net.httpserver.HttpServer})
 * on loopback; timeouts run on the loop's clock.
 *
 * @since 0.1
 */
public final class ClientSession implements AutoCloseable {
    /*
     * Maintainer notes. A thin facade over the stages in dev.aio4j.http.internal (see
     * docs/architecture.md, "HTTP client stages"). One request (SessionRequest, aiohttp's _request):
     * RequestSpec (the options, parsed once, immutable, each hop knowing the URL it is shown under)
     * -> FollowUpPolicy (redirects, discarding bodies not returned) -> the client middlewares, per hop
     * (SessionRequest.sendHop: the .netrc entry, the one stale-connection retry, around
     * throughMiddlewares: ClientRequest -> RequestSpec) -> SessionRequest.sendTry: RequestBridge on the
     * way out (default headers, Expect, cookies, the serialized head) -> ExchangeRunner (a pooled
     * connection, one Exchange, one try) -> RequestBridge on the way back (Set-Cookie, the content
     * decoder). Everything that can fail after a connection was taken closes it through Exchange (never
     * released to the pool on failure). wsConnect is the same request with the handshake around it, in
     * WsConnect (the checks in aiohttp's order) and internal.ws.ClientHandshake (the protocol: upgrade
     * fields, the answer's checks, the WebSocket on the upgraded connection).
     */
    private final RequestSpec.Defaults defaults;
    /** Whether the base URL was given as ws:// or wss:// (the defaults hold its http(s) form). */
    private final boolean webSocketBase;
    /** The environment's proxies (trustEnv), read once when the session was built; null without trustEnv. */
    private final ProxyEnvironment proxyEnvironment;
    /** Where the .netrc file is looked for (trustEnv): the environment's variables; null without trustEnv. */
    private final java.util.Map<String, String> netrcEnvironment;
    /** The home directory when netrcEnvironment names none: user.home for the real environment, else null. */
    private final String netrcHome;
    private final RequestBridge bridge;
    private final AbstractCookieJar cookieJar;
    private final List<TraceConfig> traceConfigs;
    /** The session's client middlewares, outermost first; empty for none. */
    private final List<ClientMiddleware> middlewares;
    private final ConnectionPool pool;
    private final ExchangeRunner runner;
    private final String description;
    private boolean closed;
    /**
     * aiohttp's {@code _retry_connection}: whether an idempotent request that lost its connection
     * is sent once more. Only aio-test's TestClient turns it off, through {@link SessionAccess}.
     */
    private boolean retryConnection = true;

    static {
        SessionAccess.install(new SessionAccess.Hooks() {
            @Override
            public void retryConnection(ClientSession session, boolean on) {
                session.retryConnection = on;
            }

            @Override
            public ClientSession build(Builder builder, AbstractCookieJar jarIfNone) {
                return new ClientSession(builder, jarIfNone);
            }
        });
    }

    private ClientSession(Builder b) {
        this(b, null);
    }

    /** {@code jarIfNone}: the jar when the builder was given none (else a new default one). */
    private ClientSession(Builder b, AbstractCookieJar jarIfNone) {
        this.webSocketBase = b.webSocketBase;
        this.defaults = new RequestSpec.Defaults(b.baseUrl, b.headers.readOnlyCopy(), b.timeout, b.followRedirects,
                b.maxRedirects, b.raiseForStatus, b.encoded, b.maxBodySize, b.maxDecompressedSize, b.auth, b.statusCheck, b.jsonCodec,
                b.proxy, b.proxyAuth, b.proxyHeaders);
        this.netrcEnvironment = b.trustEnv ? (b.environment == null ? System.getenv() : b.environment) : null;
        this.proxyEnvironment = b.trustEnv ? ProxyEnvironment.of(netrcEnvironment) : null;
        this.netrcHome = b.trustEnv && b.environment == null ? System.getProperty("user.home") : null;
        this.cookieJar = b.cookieJar != null ? b.cookieJar : jarIfNone != null ? jarIfNone : new CookieJar();
        this.traceConfigs = List.copyOf(b.traceConfigs);
        this.middlewares = b.middlewares;
        for (TraceConfig tc : traceConfigs) {
            tc.freeze();
        }
        this.bridge = new RequestBridge(cookieJar, b.autoDecompress);
        this.pool = new ConnectionPool(new ConnectorSettings(b.keepAliveTimeout, b.limit, b.limitPerHost, b.sslContext,
                StreamReader.DEFAULT_LIMIT, b.happyEyeballsDelay, b.interleave, b.useDnsCache, b.ttlDnsCache, b.family,
                b.localAddr));
        this.runner = new ExchangeRunner(pool);
        this.description = "limit=" + b.limit + ", limitPerHost=" + b.limitPerHost + ", keepAliveTimeout=" + b.keepAliveTimeout;
    }

    /**
     * Returns a builder with aiohttp's defaults.
     *
     * @return a builder with aiohttp's defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a session with every default (no base URL).
     *
     * @return a session with every default (no base URL)
     */
    public static ClientSession create() {
        return builder().build();
    }

    /**
     * {@code GET url}.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options parameters, headers, per-request settings
     * @return the response; close it
     */
    public ClientResponse get(String url, RequestOption... options) {
        return request("GET", url, options);
    }

    /**
     * {@code POST url}.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options the body, parameters, headers, per-request settings
     * @return the response; close it
     */
    public ClientResponse post(String url, RequestOption... options) {
        return request("POST", url, options);
    }

    /**
     * {@code PUT url}.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options the body, parameters, headers, per-request settings
     * @return the response; close it
     */
    public ClientResponse put(String url, RequestOption... options) {
        return request("PUT", url, options);
    }

    /**
     * {@code PATCH url}.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options the body, parameters, headers, per-request settings
     * @return the response; close it
     */
    public ClientResponse patch(String url, RequestOption... options) {
        return request("PATCH", url, options);
    }

    /**
     * {@code DELETE url}.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options parameters, headers, per-request settings
     * @return the response; close it
     */
    public ClientResponse delete(String url, RequestOption... options) {
        return request("DELETE", url, options);
    }

    /**
     * {@code HEAD url}: the response has no body and releases its connection at once. Redirects
     * are not followed unless {@link RequestOption#allowRedirects(boolean) allowRedirects(true)}
     * is given, as in aiohttp.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options parameters, headers, per-request settings
     * @return the response
     */
    public ClientResponse head(String url, RequestOption... options) {
        RequestOption[] all = new RequestOption[options.length + 1];
        all[0] = RequestOption.allowRedirects(false);
        System.arraycopy(options, 0, all, 1, options.length);
        return request("HEAD", url, all);
    }

    /**
     * {@code OPTIONS url}.
     *
     * <p><b>Cancellation:</b> as {@link #request}.
     *
     * @param url an absolute URL, or one relative to the base URL
     * @param options parameters, headers, per-request settings
     * @return the response; close it
     */
    public ClientResponse options(String url, RequestOption... options) {
        return request("OPTIONS", url, options);
    }

    /**
     * Sends a request and returns its response once the response head has arrived; the body is
     * read from the response. Later options win over earlier ones of the same kind (headers
     * accumulate).
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled, the connection in
     * use is closed (never returned to the pool) and the cancellation propagates; the
     * {@link ClientTimeout} limits are the timeout-equivalent.
     *
     * <p>As aiohttp's, a {@code ws://} or {@code wss://} URL is taken too, and sent as
     * {@code http://} or {@code https://} (same default ports, TLS for wss) without any WebSocket
     * upgrade; the ws URL is the one shown everywhere aiohttp shows it: the response's
     * {@link ClientResponse#url()}, its history, a middleware's {@link ClientRequest#url()},
     * traces, a timeout's or a connection error's URL, an http proxy's target. A redirect to a
     * relative {@code Location} stays ws, one to an absolute http(s) {@code Location} leaves it.
     *
     * @param method the method, a token such as {@code GET}
     * @param url an absolute http(s) or ws(s) URL, or one relative to the base URL
     * @param options parameters, headers, body, per-request settings
     * @return the response; close it, or read its body to the end
     * @throws InvalidURL if the URL is unusable
     * @throws ClientConnectorError if no connection could be made
     * @throws ServerTimeoutError (or its subclasses) if a timeout expired; the message names the URL
     * @throws ServerDisconnectedError if the server closed the connection before the response head
     * @throws ClientResponseError if the response head was malformed (status 400), or the status is
     *         400 or more and {@code raiseForStatus} is on
     * @throws TooManyRedirects past {@code maxRedirects} or on a redirect loop
     * @throws ClientOSError if the socket failed
     * @throws IllegalStateException if the session is closed
     */
    public ClientResponse request(String method, String url, RequestOption... options) {
        checkOpen();
        SessionRequest req = SessionRequest.start(this, method, url, false, options);
        ClientResponse r = req.follow();
        req.finish(r, r::close); // the caller never gets a refused response: its connection must not stay taken
        return r;
    }

    /**
     * Opens a WebSocket: {@code session.ws_connect(url, ...)}. Sends a GET with the upgrade headers
     * (a random 16-byte {@code Sec-WebSocket-Key}, version 13, the subprotocols and the
     * permessage-deflate offer asked for), requires {@code 101 Switching Protocols} with the right
     * {@code Sec-WebSocket-Accept}, and takes the connection out of the pool for the WebSocket
     * (it still counts against the pool's limits until the WebSocket closes; {@link #close()}
     * closes it too).
     *
     * <p>As aiohttp's, the handshake is an ordinary request: the session's {@code raiseForStatus}
     * applies to its last response before the handshake checks (a 4xx or 5xx is then a
     * {@link ClientResponseError}, not a {@link WSServerHandshakeError}), the session's {@link TraceConfig}
     * callbacks fire for it (under the URL as given; {@code onRequestEnd} before the handshake
     * checks, so a refused handshake fires no {@code onRequestException}), it goes through the session's
     * middlewares and follows redirects (301, 302, 303, 307, 308, to an http or https URL or a
     * relative one; {@code WSConnectOption.request(RequestOption.allowRedirects(false))} turns that
     * off), and the checks apply to the last response. A {@code ws://} or {@code wss://} URL is sent
     * as {@code http://} or {@code https://} but reported as given, as aiohttp's request keeps it: in
     * {@link ClientWebSocketResponse#url()}, in a {@link WSServerHandshakeError}'s
     * {@code requestInfo()} and {@code history()}, in a middleware's {@link ClientRequest#url()}, in
     * the absolute-form target sent to a plain http proxy ({@code GET ws://host/path}), and in the
     * errors raised before a response (a timeout, a connection error); after a relative redirect
     * too, while an absolute one names its own http or https URL.
     *
     * <p><b>Cancellation:</b> suspends for the connection and the handshake; cancelled, the
     * connection is closed. The session's {@link ClientTimeout} limits the handshake.
     *
     * @param url a {@code ws://}, {@code wss://}, {@code http://} or {@code https://} URL, or one
     *     relative to the base URL
     * @param options subprotocols, heartbeat, timeouts, limits, compression, headers
     * @return the open WebSocket
     * @throws WSServerHandshakeError if the server's last answer had another status than 101, or
     *     its 101 breaks RFC 6455 (accept key, Upgrade or Connection header, a subprotocol or an extension not offered)
     * @throws InvalidURL if the URL is unusable, or a redirect's {@code Location} is (a {@code ws://}
     *     target among them, which aiohttp refuses too)
     * @throws TooManyRedirects past {@code maxRedirects} or on a redirect loop
     * @throws ClientConnectorError if no connection could be made
     * @throws ServerTimeoutError if a timeout expired
     * @throws IllegalStateException if the session is closed
     */
    public ClientWebSocketResponse wsConnect(String url, WSConnectOption... options) {
        checkOpen();
        return WsConnect.connect(this, url, options);
    }

    /**
     * Wraps {@code handler} in {@code middlewares}, the first outermost (aiohttp's
     * {@code build_client_middlewares}); with none, returns {@code handler} itself.
     */
    static ClientHandler buildMiddlewares(ClientHandler handler, List<ClientMiddleware> middlewares) {
        ClientHandler h = handler;
        for (int i = middlewares.size() - 1; i >= 0; i--) {
            ClientMiddleware mw = middlewares.get(i);
            ClientHandler next = h;
            h = req -> mw.handle(req, next);
        }
        return h;
    }

    /** The session's defaults (for {@link SessionRequest}). */
    RequestSpec.Defaults defaults() {
        return defaults;
    }

    /** Whether the base URL was given as ws:// or wss:// (for {@link SessionRequest}). */
    boolean webSocketBase() {
        return webSocketBase;
    }

    /** The session's trace configs, frozen (for {@link SessionRequest}). */
    List<TraceConfig> traceConfigs() {
        return traceConfigs;
    }

    /** The session's client middlewares, outermost first (for {@link SessionRequest}). */
    List<ClientMiddleware> middlewares() {
        return middlewares;
    }

    /** aiohttp's {@code _retry_connection} (for {@link SessionRequest}). */
    boolean retryConnection() {
        return retryConnection;
    }

    /** The session's connection pool (for {@link WsConnect}, which releases an upgraded connection). */
    ConnectionPool pool() {
        return pool;
    }

    /** The session's JSON codec, or null (for {@link ClientRequest#updateBody(RequestOption)}). */
    JsonCodec jsonCodec() {
        return defaults.jsonCodec();
    }

    /** The request bridge: default headers, cookies, the head, the decoder (for {@link SessionRequest}). */
    RequestBridge bridge() {
        return bridge;
    }

    /** The connection stage (for {@link SessionRequest}). */
    ExchangeRunner runner() {
        return runner;
    }

    /** Whether the session takes proxies and {@code .netrc} credentials from the environment (trustEnv). */
    boolean trustsEnvironment() {
        return netrcEnvironment != null;
    }

    /** The environment's proxy for {@code shownUrl} (the URL a request is shown under), or null (or without trustEnv). */
    ProxySpec environmentProxyFor(URI shownUrl) {
        return proxyEnvironment == null ? null : proxyEnvironment.forUrl(shownUrl);
    }

    /**
     * Reads the environment's {@code .netrc} file (trustEnv): null if there is none, it cannot be read
     * or is malformed. Blocks on the file: {@link SessionRequest} calls it in the default executor,
     * once per request.
     */
    Netrc readNetrc() {
        return Netrc.fromEnvironment(netrcEnvironment, netrcHome);
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ClientSession is closed; make a new session: " + this);
        }
    }

    /**
     * Closes every connection of the pool, idle or in use (responses still being read then fail),
     * and refuses further requests. Never suspends; closing twice does nothing.
     */
    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Returns the session's cookie jar: {@code session.cookie_jar}.
     *
     * @return the jar given to the builder, or the session's own {@link CookieJar}
     */
    public AbstractCookieJar cookieJar() {
        return cookieJar;
    }

    /**
     * Returns the pool's counters: connections open and idle, made and reused since the session
     * was built, requests that waited at a limit (aio4j-only; aiohttp's connector keeps them
     * private).
     *
     * @return a snapshot of the counters
     */
    public PoolStats poolStats() {
        return new PoolStats(pool.openCount(), pool.idleCount(), pool.createdCount(), pool.reusedCount(), pool.queuedCount(),
                pool.waitingCount());
    }

    /**
     * Returns open connections of the pool, in use and idle (aiohttp's connector bookkeeping).
     *
     * @return open connections of the pool, in use and idle (aiohttp's connector bookkeeping)
     */
    public int openConnections() {
        return pool.openCount();
    }

    /**
     * Returns idle keep-alive connections in the pool.
     *
     * @return idle keep-alive connections in the pool
     */
    public int idleConnections() {
        return pool.idleCount();
    }

    /**
     * Returns e.g. {@code ClientSession[base=http://h/, open=2, idle=1, limit=100, ...]}.
     *
     * @return e.g. {@code ClientSession[base=http://h/, open=2, idle=1, limit=100, ...]}
     */
    @Override
    public String toString() {
        return "ClientSession[" + (defaults.baseUrl() == null ? "" : "base=" + (webSocketBase ? Urls.toWebSocket(defaults.baseUrl())
                : defaults.baseUrl()) + ", ") + "open=" + pool.openCount() + ", idle="
                + pool.idleCount() + ", " + description + (closed ? ", closed" : "") + "]";
    }

    /**
     * Builds a {@link ClientSession}; every setting has aiohttp's default.
     *
     * <p><b>aiohttp:</b> the keyword arguments of {@code ClientSession(...)} and
     * {@code TCPConnector(...)}. <b>Differences:</b> a builder instead of keyword arguments.
     *
     * @since 0.1
     */
    public static final class Builder {
        private URI baseUrl;
        private boolean webSocketBase;
        private final Headers headers = new Headers();
        private ClientTimeout timeout = ClientTimeout.DEFAULT;
        private int limit = 100;
        private int limitPerHost;
        private double keepAliveTimeout = 15;
        private double happyEyeballsDelay = ConnectorSettings.DEFAULT_HAPPY_EYEBALLS_DELAY;
        /** Not set: aiohttp's {@code interleave=None} (1 with Happy Eyeballs, else 0). */
        private int interleave = Connector.INTERLEAVE_UNSET;
        private boolean useDnsCache = true;
        private double ttlDnsCache = ConnectorSettings.DEFAULT_TTL_DNS_CACHE;
        private java.net.ProtocolFamily family;
        private java.net.InetSocketAddress localAddr;
        private boolean raiseForStatus;
        private boolean autoDecompress = true;
        private boolean followRedirects = true;
        private int maxRedirects = 10;
        private AbstractCookieJar cookieJar;
        private final List<TraceConfig> traceConfigs = new ArrayList<>();
        private List<ClientMiddleware> middlewares = List.of();
        private SSLContext sslContext;
        private boolean encoded;
        private BasicAuth auth;
        private JsonCodec jsonCodec;
        private java.util.function.Consumer<? super ClientResponse> statusCheck;
        private long maxBodySize = RequestSpec.DEFAULT_MAX_BODY_SIZE;
        private long maxDecompressedSize = RequestSpec.DEFAULT_MAX_DECOMPRESSED_SIZE;
        private String proxy;
        private BasicAuth proxyAuth;
        private Headers proxyHeaders;
        private boolean trustEnv;
        private java.util.Map<String, String> environment;

        private Builder() {}

        /**
         * The URL relative request URLs are resolved against (RFC 3986: {@code "users"} against
         * {@code http://h/api/} is {@code http://h/api/users}). Default: none.
         *
         * <p>As aiohttp's {@code base_url}, which only has to be absolute, it may be a {@code ws://}
         * or {@code wss://} URL: a relative URL given to {@link ClientSession#wsConnect} or
         * {@link ClientSession#request} is then a ws(s) URL ({@code "chat"} against
         * {@code ws://h/app/} is {@code ws://h/app/chat}), handled as if given so (see
         * {@link ClientSession#request}); the session's {@link #auth} goes to the ws(s) URLs of
         * its origin.
         *
         * @param baseUrl an absolute http, https, ws or wss URL
         * @return this builder
         * @throws InvalidURL if it is not one
         */
        public Builder baseUrl(String baseUrl) {
            if (baseUrl == null) {
                this.baseUrl = null;
                this.webSocketBase = false;
                return this;
            }
            String http = Urls.httpFormOf(baseUrl);
            URI parsed;
            try {
                parsed = Urls.parse(http);
            } catch (InvalidURL e) {
                throw http.equals(baseUrl) ? e : new InvalidURL(baseUrl, "as a base URL: " + e.getMessage());
            }
            this.baseUrl = parsed;
            this.webSocketBase = !http.equals(baseUrl);
            return this;
        }

        /**
         * Adds a header sent with every request (a request's own header of the same name wins).
         *
         * @param name the field name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * Adds headers sent with every request.
         *
         * @param headers the fields
         * @return this builder
         */
        public Builder headers(Headers headers) {
            this.headers.addAll(headers);
            return this;
        }

        /**
         * The default timeouts. Default: {@link ClientTimeout#DEFAULT} (300 s total).
         *
         * @param timeout the limits
         * @return this builder
         */
        public Builder timeout(ClientTimeout timeout) {
            if (timeout == null) {
                throw new NullPointerException("timeout must not be null (use ClientTimeout.NONE for no limits)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The most connections open at once, in use and idle; 0 for no limit. Default: 100.
         *
         * @param limit &gt;= 0
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = nonNegative(limit, "limit");
            return this;
        }

        /**
         * The most connections open at once to one scheme, host and port; 0 for no limit.
         * Default: 0.
         *
         * @param limitPerHost &gt;= 0
         * @return this builder
         */
        public Builder limitPerHost(int limitPerHost) {
            this.limitPerHost = nonNegative(limitPerHost, "limitPerHost");
            return this;
        }

        /**
         * How long an idle connection is kept for reuse, in seconds; 0 closes every connection
         * after its response. Default: 15.
         *
         * @param seconds finite, &gt;= 0
         * @return this builder
         */
        public Builder keepAliveTimeout(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("keepAliveTimeout must be a finite number >= 0, got " + seconds);
            }
            this.keepAliveTimeout = seconds;
            return this;
        }

        /**
         * {@link #keepAliveTimeout(double)} with a {@link Duration}.
         *
         * @param timeout &gt;= 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.2
         */
        public Builder keepAliveTimeout(Duration timeout) {
            return keepAliveTimeout(Checks.seconds(timeout, "keepAliveTimeout"));
        }

        /**
         * Happy Eyeballs (RFC 8305) when a host name resolves to several addresses: the next
         * address is tried when the one before failed or this many seconds after it started,
         * whichever is first; the first connection made wins and the other attempts are closed. A
         * host whose first address drops packets (a dead IPv6 route) costs this delay, not a
         * kernel connect timeout. aiohttp's {@code TCPConnector(happy_eyeballs_delay=)}.
         * Default: 0.25, as aiohttp.
         *
         * @param seconds &gt;= 0, or {@code Double.POSITIVE_INFINITY} (aiohttp's {@code None}) to
         *     try the addresses one after another, each until it fails
         * @return this builder
         * @throws IllegalArgumentException if negative or NaN
         * @since 0.2
         */
        public Builder happyEyeballsDelay(double seconds) {
            Connector.checkHappyEyeballs(seconds, 0);
            this.happyEyeballsDelay = seconds;
            return this;
        }

        /**
         * {@link #happyEyeballsDelay(double)} with a {@link Duration}.
         *
         * @param delay &gt;= 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.2
         */
        public Builder happyEyeballsDelay(Duration delay) {
            return happyEyeballsDelay(Checks.seconds(delay, "happyEyeballsDelay"));
        }

        /**
         * The order addresses are tried in: 0 keeps the resolver's order, also with Happy Eyeballs
         * on (aiohttp's and asyncio's {@code interleave=0}); n &gt; 0 puts n addresses of the first
         * family first, then alternates IPv6 and IPv4. aiohttp's {@code TCPConnector(interleave=)}.
         * Default: not set (aiohttp's {@code None}): with Happy Eyeballs on, alternating families
         * from the first, as 1; without, the resolver's order.
         *
         * @param interleave &gt;= 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.2
         */
        public Builder interleave(int interleave) {
            Connector.checkHappyEyeballs(0, interleave);
            this.interleave = interleave;
            return this;
        }

        /**
         * Whether resolved host names are kept for {@link #ttlDnsCache(double)} seconds (aiohttp's
         * {@code TCPConnector(use_dns_cache=)}); without the cache every new connection looks its
         * host up, and the trace's DNS cache signals do not fire. Default: true.
         *
         * @param on the setting
         * @return this builder
         * @since 0.2
         */
        public Builder useDnsCache(boolean on) {
            this.useDnsCache = on;
            return this;
        }

        /**
         * How long a resolved host name is kept, in seconds (aiohttp's
         * {@code TCPConnector(ttl_dns_cache=)}). Default: 10.
         *
         * @param seconds &gt;= 0, or {@code Double.POSITIVE_INFINITY} (aiohttp's {@code None}) to
         *     keep names for the session's life
         * @return this builder
         * @throws IllegalArgumentException if negative or NaN
         * @since 0.2
         */
        public Builder ttlDnsCache(double seconds) {
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("ttlDnsCache must be >= 0 seconds, or Double.POSITIVE_INFINITY to keep "
                        + "names for good, got " + seconds);
            }
            this.ttlDnsCache = seconds;
            return this;
        }

        /**
         * {@link #ttlDnsCache(double)} with a {@link Duration}.
         *
         * @param ttl &gt;= 0
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @since 0.2
         */
        public Builder ttlDnsCache(Duration ttl) {
            return ttlDnsCache(Checks.seconds(ttl, "ttlDnsCache"));
        }

        /**
         * Connects over one address family only (aiohttp's {@code TCPConnector(family=socket.AF_INET)}):
         * a host's addresses of the other family are skipped, and a host without an address of
         * this family fails with a {@link ClientConnectorError} whose cause is an
         * {@link java.net.UnknownHostException} naming what the host has. Default: null, both.
         *
         * @param family {@code StandardProtocolFamily.INET} (IPv4) or {@code INET6}, or null for both
         * @return this builder
         * @throws IllegalArgumentException for {@code StandardProtocolFamily.UNIX}
         * @since 0.2
         */
        public Builder family(java.net.ProtocolFamily family) {
            if (family != null && family != java.net.StandardProtocolFamily.INET && family != java.net.StandardProtocolFamily.INET6) {
                throw new IllegalArgumentException("family must be StandardProtocolFamily.INET or INET6 (or null for both), got "
                        + family);
            }
            this.family = family;
            return this;
        }

        /**
         * The local address every connection is made from (aiohttp's
         * {@code TCPConnector(local_addr=(host, port))}): each socket is bound to it before it
         * connects (a chosen interface of a host with several), and only the server's addresses of
         * its family are tried. Connections to a proxy are made from it too. Default: null, any.
         *
         * @param localAddr a resolved address (port 0 for any free one), or null
         * @return this builder
         * @throws IllegalArgumentException if it is unresolved
         * @since 0.2
         */
        public Builder localAddr(java.net.InetSocketAddress localAddr) {
            Connector.checkLocalAddr(localAddr);
            this.localAddr = localAddr;
            return this;
        }

        /**
         * Whether every response with a status of 400 or more throws {@link ClientResponseError}.
         * Default: false.
         *
         * @param raise the setting
         * @return this builder
         */
        public Builder raiseForStatus(boolean raise) {
            this.raiseForStatus = raise;
            this.statusCheck = null;
            return this;
        }

        /**
         * Calls {@code check} with every final response (after redirects) before the request
         * returns it, instead of the boolean rule: to refuse a response, throw from it (the
         * response is then closed and the exception propagates from the request). It runs in the
         * requesting task and may read the body, e.g. to put the server's message in the error.
         * A request's own {@link RequestOption#raiseForStatus} wins. aiohttp's
         * {@code raise_for_status=} given an async callable.
         *
         * @param check the check, e.g. {@code r -> { if (r.status() == 429) throw new RateLimited(); }}
         * @return this builder
         */
        public Builder raiseForStatus(java.util.function.Consumer<? super ClientResponse> check) {
            if (check == null) {
                throw new NullPointerException("raiseForStatus check must not be null (use raiseForStatus(false) for none)");
            }
            this.statusCheck = check;
            return this;
        }

        /**
         * Basic credentials sent with requests ({@code Authorization: Basic ...}), unless a
         * request gives its own with {@link RequestOption#auth(BasicAuth)}; as in aiohttp, chosen
         * for every URL of a redirect chain by one rule: without a {@link #baseUrl base URL} they
         * go to every URL (also after a redirect to another origin: they are meant for every
         * host), with one only to the base URL's origin (scheme, host, port), never to an
         * absolute URL or a redirect elsewhere. An {@code Authorization} header on a request the
         * credentials go to is refused. Default: none (aiohttp's {@code auth=}).
         *
         * @param auth the credentials, or {@code null} for none
         * @return this builder
         */
        public Builder auth(BasicAuth auth) {
            this.auth = auth;
            return this;
        }

        /**
         * Sends every request through this HTTP proxy, unless a request gives its own with
         * {@link RequestOption#proxy(String)} (aiohttp's session-level {@code proxy=}). http URLs
         * go to the proxy in absolute form, https URLs through a {@code CONNECT} tunnel; the
         * proxy URL's user-info becomes the proxy credentials unless {@link #proxyAuth} gives
         * them. A proxy given here is used for every host ({@code NO_PROXY} applies only to
         * proxies taken from the environment, as in aiohttp). Default: none.
         *
         * @param url the proxy, such as {@code http://127.0.0.1:3128}, or {@code null} for none
         * @return this builder
         * @throws InvalidURL if the URL is not an {@code http://} URL with a host
         */
        public Builder proxy(String url) {
            if (url != null) {
                ProxySpec.parse(url, null, null);
            }
            this.proxy = url;
            return this;
        }

        /**
         * Credentials for the proxy of {@link #proxy(String)} (or a request's), sent as
         * {@code Proxy-Authorization: Basic ...} to the proxy only (aiohttp's {@code proxy_auth=}).
         *
         * @param auth the credentials, or {@code null} for none
         * @return this builder
         */
        public Builder proxyAuth(BasicAuth auth) {
            this.proxyAuth = auth;
            return this;
        }

        /**
         * Header fields for the proxy of {@link #proxy(String)} (or a request's): sent with the
         * {@code CONNECT} of https requests and with http requests (aiohttp's {@code proxy_headers=}).
         *
         * @param headers the fields, or {@code null} for none
         * @return this builder
         */
        public Builder proxyHeaders(Headers headers) {
            this.proxyHeaders = headers == null ? null : Headers.copyOf(headers).readOnlyCopy(); // checked: they are sent
            return this;
        }

        /**
         * Takes proxies from the environment (aiohttp's {@code trust_env=True}):
         * {@code http_proxy} for http URLs, {@code https_proxy} for https URLs, {@code ws_proxy}
         * and {@code wss_proxy} for the ws and wss URLs given to {@link ClientSession#wsConnect}
         * (as aiohttp, which looks the URL's own scheme up: {@code http_proxy} does not serve them), and
         * {@code no_proxy}, the hosts to reach directly, each in lower case or, when the lower-case
         * one is not set, upper case. Read once, when the session is built. A proxy given with
         * {@link #proxy(String)} or {@link RequestOption#proxy(String)} wins. The rules for
         * {@code no_proxy} (domains and their subdomains, ports, IP addresses and CIDR blocks,
         * {@code *}) are in {@code docs/http-client.md}. Also takes Basic credentials from the
         * {@code .netrc} file (aiohttp 3.9 and later): the file {@code NETRC} names, else
         * {@code .netrc} ({@code _netrc} on Windows) in the home directory; it is read off the loop,
         * at most once per request, and for each URL of the request that carries no
         * {@code Authorization} (no auth of its own or of the session's applies, the caller gave no
         * such header, or a redirect to another origin dropped it) its entry for the URL's host, else its {@code default} entry,
         * becomes {@code Authorization: Basic ...}; an environment proxy without credentials in its
         * URL gets the entry for the proxy's host. A missing, unreadable or malformed file is
         * ignored (with a logged warning when {@code NETRC} names it or it exists). Default: off.
         *
         * @param on whether to read the environment
         * @return this builder
         */
        public Builder trustEnv(boolean on) {
            this.trustEnv = on;
            return this;
        }

        /**
         * The variables {@link #trustEnv} reads instead of {@link System#getenv()}: for tests. The
         * {@code .netrc} file is then the one their {@code NETRC} or {@code HOME} names, never the
         * JVM's {@code user.home}'s, so a test never reads the real one.
         */
        Builder environment(java.util.Map<String, String> env) {
            this.environment = env == null ? null : java.util.Map.copyOf(env);
            return this;
        }

        /**
         * The JSON library behind {@link RequestOption#json(Object)} and
         * {@link ClientResponse#json()}; see {@link JsonCodec} for Jackson and Gson in three lines.
         * Default: none, and those calls fail saying how to configure one (aio-http's runtime is
         * the JDK alone). aiohttp's {@code json_serialize=}, with the {@code loads} of
         * {@code json()} in the same object.
         *
         * @param codec the codec, or {@code null} for none
         * @return this builder
         */
        public Builder jsonCodec(JsonCodec codec) {
            this.jsonCodec = codec;
            return this;
        }

        /**
         * Whether to ask for and decode gzip and deflate bodies. Default: true.
         *
         * @param on the setting
         * @return this builder
         */
        public Builder autoDecompress(boolean on) {
            this.autoDecompress = on;
            return this;
        }

        /**
         * Whether to follow redirects (301, 302, 303, 307, 308). Default: true.
         *
         * @param follow the setting
         * @return this builder
         */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /**
         * The redirect limit, counted as aiohttp's {@code max_redirects}: the {@code max}-th redirect
         * response of one request throws {@link TooManyRedirects} (so the default, 10, follows 9);
         * 0 is no limit (a redirect loop, the same redirect twice, is still caught).
         *
         * @param max &gt;= 0
         * @return this builder
         */
        public Builder maxRedirects(int max) {
            this.maxRedirects = nonNegative(max, "maxRedirects");
            return this;
        }

        /**
         * Whether the session keeps cookies ({@code Set-Cookie}) and sends them back: on is a
         * new {@link CookieJar} (the default), off a {@link DummyCookieJar}.
         *
         * @param on the setting
         * @return this builder
         */
        public Builder cookieJar(boolean on) {
            this.cookieJar = on ? new CookieJar() : new DummyCookieJar();
            return this;
        }

        /**
         * Adds a trace config, whose callbacks see every request of the session:
         * {@code ClientSession(trace_configs=[...])}. The config is frozen when the session is built.
         *
         * @param config the config
         * @return this builder
         */
        public Builder traceConfig(TraceConfig config) {
            traceConfigs.add(Checks.notNull(config, "config"));
            return this;
        }

        /**
         * The client middlewares every request of the session runs through, the first outermost
         * (aiohttp's {@code ClientSession(middlewares=...)}); they run for each hop, the first
         * request and each redirect's follow-up. A request's {@link RequestOption#middlewares}
         * replaces them. Given again, replaces the earlier list. See {@link ClientMiddleware}.
         * Default: none.
         *
         * @param middlewares the middlewares, outermost first
         * @return this builder
         * @throws NullPointerException if one is null
         * @since 0.2
         */
        public Builder middlewares(ClientMiddleware... middlewares) {
            Checks.notNull(middlewares, "middlewares");
            for (int i = 0; i < middlewares.length; i++) {
                Checks.notNull(middlewares[i], "middlewares[" + i + "]");
            }
            this.middlewares = List.of(middlewares);
            return this;
        }

        /**
         * The cookie jar: {@code ClientSession(cookie_jar=)}. Default: a new {@link CookieJar}
         * (which, as aiohttp's, ignores cookies from IP-address hosts; use
         * {@code new CookieJar(true)} for those).
         *
         * @param jar the jar; several sessions may share one only if they share a loop
         * @return this builder
         */
        public Builder cookieJar(AbstractCookieJar jar) {
            this.cookieJar = Checks.notNull(jar, "jar");
            return this;
        }

        /**
         * {@code ssl(false)} turns certificate and host name verification off for every request
         * of the session: aiohttp's {@code TCPConnector(ssl=False)}. Each connection made so is
         * logged at WARNING. {@code ssl(true)} restores the default verification.
         *
         * @param verify false to skip verification
         * @return this builder
         */
        public Builder ssl(boolean verify) {
            this.sslContext = verify ? null : InsecureTls.context();
            return this;
        }

        /**
         * The TLS configuration for https (trust store, protocols). Default: the JDK's default
         * context. The server's host name is always verified against its certificate.
         *
         * @param sslContext the context, or {@code null} for the default
         * @return this builder
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /**
         * Whether every request's URL is taken as already encoded, as
         * {@link RequestOption#encoded(boolean)} says for one request. Default: false (URLs are
         * percent-encoded as yarl does).
         *
         * @param on the setting
         * @return this builder
         */
        public Builder encoded(boolean on) {
            this.encoded = on;
            return this;
        }

        /**
         * The most bytes {@link ClientResponse#bytes()} and {@link ClientResponse#text()} read
         * (after decompression); see {@link RequestOption#maxBodySize(long)}. Default: 256 MiB.
         *
         * @param bytes &gt; 0
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBodySize must be > 0, got " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * The most bytes a gzip or deflate body may decompress to, however it is read; see
         * {@link RequestOption#maxDecompressedSize(long)}. Default: 1 GiB.
         *
         * @param bytes &gt; 0
         * @return this builder
         */
        public Builder maxDecompressedSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxDecompressedSize must be > 0, got " + bytes);
            }
            this.maxDecompressedSize = bytes;
            return this;
        }

        /**
         * Returns a new session with these settings.
         *
         * @return a new session with these settings
         */
        public ClientSession build() {
            return new ClientSession(this);
        }

        private static int nonNegative(int v, String name) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must be >= 0, got " + v);
            }
            return v;
        }
    }
}
