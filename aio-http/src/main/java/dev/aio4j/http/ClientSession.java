package dev.aio4j.http;

import dev.aio4j.http.internal.ConnectionPool;
import dev.aio4j.http.internal.ContentDecoder;
import dev.aio4j.http.internal.CookieJar;
import dev.aio4j.http.internal.Deadlines;
import dev.aio4j.http.internal.Exchange;
import dev.aio4j.http.internal.HttpConnection;
import dev.aio4j.http.internal.PoolKey;
import dev.aio4j.http.internal.RedirectPolicy;
import dev.aio4j.http.internal.RequestBody;
import dev.aio4j.http.internal.RequestSerializer;
import dev.aio4j.http.internal.ResponseHead;
import dev.aio4j.http.internal.Urls;
import dev.aio4j.streams.StreamReader;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) fails on a reused connection before
 * any byte of the response arrived, it is sent once more on a new connection.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientSession} with its {@code TCPConnector}.
 * <b>Differences:</b> built with {@link #builder()} instead of keyword arguments; the request
 * methods suspend and return the {@link ClientResponse} (use try-with-resources where aiohttp
 * uses {@code async with}); {@link #close()} never suspends; keyword arguments of a request are
 * {@link RequestOption}s; the connector's {@code limit} counts idle connections too; no proxies,
 * no {@code json=}, no multipart, no WebSockets, HTTP/1.1 only; the cookie jar is internal
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
     * Maintainer notes. request() = redirect loop around send(); send() = one attempt plus the one
     * retry on a stale reused connection. Everything that can fail after a connection was taken
     * closes it through Exchange (never released to the pool on failure).
     */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    private static final String USER_AGENT = "aio4j-http/0.1";

    private final URI baseUrl;
    private final Headers defaultHeaders;
    private final ClientTimeout timeout;
    private final boolean raiseForStatus;
    private final boolean autoDecompress;
    private final boolean followRedirects;
    private final int maxRedirects;
    private final CookieJar cookieJar;
    private final ConnectionPool pool;
    private final String description;
    private boolean closed;

    private ClientSession(Builder b) {
        this.baseUrl = b.baseUrl;
        this.defaultHeaders = b.headers.readOnlyCopy();
        this.timeout = b.timeout;
        this.raiseForStatus = b.raiseForStatus;
        this.autoDecompress = b.autoDecompress;
        this.followRedirects = b.followRedirects;
        this.maxRedirects = b.maxRedirects;
        this.cookieJar = b.cookies ? new CookieJar() : null;
        this.pool = new ConnectionPool(b.keepAliveTimeout, b.limit, b.limitPerHost, b.sslContext, StreamReader.DEFAULT_LIMIT);
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
     * @param method the method, a token such as {@code GET}
     * @param url an absolute http(s) URL, or one relative to the base URL
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
        if (closed) {
            throw new IllegalStateException("ClientSession is closed; make a new session: " + this);
        }
        String m = method == null ? null : method.toUpperCase(Locale.ROOT);
        if (m == null || !isToken(m)) {
            throw new IllegalArgumentException("method must be a token such as GET, got " + method);
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        Headers userHeaders = Headers.copyOf(defaultHeaders);
        RequestOption.Body bodyOption = null;
        ClientTimeout t = timeout;
        boolean allowRedirects = followRedirects;
        int max = maxRedirects;
        boolean raise = raiseForStatus;
        double continueWait = -1;
        for (RequestOption o : options) {
            switch (o.kind) {
                case PARAMS -> {
                    @SuppressWarnings("unchecked")
                    List<Map.Entry<String, String>> p = (List<Map.Entry<String, String>>) o.value;
                    params.addAll(p);
                }
                case HEADERS -> {
                    Headers h = (Headers) o.value;
                    for (String name : h.names()) {
                        userHeaders.remove(name);
                    }
                    userHeaders.addAll(h);
                }
                case BODY -> {
                    if (bodyOption != null) {
                        throw new IllegalArgumentException("a request takes one body option, got two: " + bodyOption.data().getClass().getSimpleName()
                                + " and " + ((RequestOption.Body) o.value).data().getClass().getSimpleName());
                    }
                    bodyOption = (RequestOption.Body) o.value;
                }
                case TIMEOUT -> t = (ClientTimeout) o.value;
                case ALLOW_REDIRECTS -> allowRedirects = (Boolean) o.value;
                case MAX_REDIRECTS -> max = (Integer) o.value;
                case RAISE_FOR_STATUS -> raise = (Boolean) o.value;
                case EXPECT100 -> continueWait = (Double) o.value;
            }
        }
        if (continueWait < 0 && "100-continue".equalsIgnoreCase(stripped(userHeaders.get("Expect")))) {
            continueWait = RequestOption.DEFAULT_CONTINUE_WAIT; // as aiohttp: the header alone asks for the wait
        }
        URI target = Urls.withParams(Urls.join(baseUrl, url), params);
        RequestBody body = toBody(bodyOption);
        Deadlines deadlines = new Deadlines(t.total(), t.connect(), t.sockRead(), target);
        RedirectPolicy policy = new RedirectPolicy(max);
        List<RedirectPolicy.Hop> hops = new ArrayList<>();
        List<ClientResponse> history = new ArrayList<>();
        while (true) {
            ClientResponse r = send(m, target, userHeaders, body, continueWait, deadlines, history);
            try {
                if (allowRedirects) {
                    RedirectPolicy.Redirect next = policy.decide(r.status(), r.headers().get("Location"), m, target, userHeaders,
                            body.replayable(), hops);
                    if (next != null) {
                        discardBody(r);
                        hops.add(new RedirectPolicy.Hop(m, target, next.url()));
                        history.add(r);
                        m = next.method().toUpperCase(Locale.ROOT);
                        target = next.url();
                        userHeaders = next.headers();
                        if (!next.keepBody()) {
                            body = new RequestBody.None();
                        }
                        deadlines.url(target);
                        continue;
                    }
                }
                if (raise && r.status() >= 400) {
                    r.raiseForStatus();
                }
                return r;
            } catch (RuntimeException | Error e) {
                r.close();
                throw e;
            }
        }
    }

    private ClientResponse send(String method, URI url, Headers userHeaders, RequestBody body, double continueWait,
                                Deadlines deadlines, List<ClientResponse> history) {
        if (closed) {
            throw new IllegalStateException("ClientSession is closed; make a new session: " + this);
        }
        Headers h = Headers.copyOf(userHeaders);
        if (!h.contains("Accept")) {
            h.add("Accept", "*/*");
        }
        if (autoDecompress && !h.contains("Accept-Encoding")) {
            h.add("Accept-Encoding", "gzip, deflate");
        }
        if (!h.contains("User-Agent")) {
            h.add("User-Agent", USER_AGENT);
        }
        if (body.contentType() != null && !h.contains("Content-Type")) {
            h.add("Content-Type", body.contentType());
        }
        boolean expectContinue = continueWait >= 0 && !(body instanceof RequestBody.None);
        if (expectContinue) {
            h.remove("Expect");
            h.add("Expect", "100-continue");
        } else if ("100-continue".equalsIgnoreCase(stripped(h.get("Expect")))) {
            h.remove("Expect"); // RFC 9110 section 10.1.1: never without a body to hold back
        }
        if (cookieJar != null && !h.contains("Cookie")) {
            String cookie = cookieJar.cookieHeader(url, Instant.now());
            if (cookie != null) {
                h.add("Cookie", cookie);
            }
        }
        byte[] head;
        try {
            head = RequestSerializer.head(method, url, h, body.framing());
        } catch (IOException e) {
            throw new ClientOSError("cannot read the request body", url, e);
        }
        List<URI> historyUrls = new ArrayList<>();
        for (ClientResponse r : history) {
            historyUrls.add(r.url());
        }
        PoolKey key;
        try {
            key = pool.keyFor(url);
        } catch (IOException e) {
            throw new ClientConnectorError(Urls.asciiHost(url), Urls.port(url), true, url, e);
        }
        boolean retried = false;
        while (true) {
            HttpConnection conn;
            try {
                conn = pool.acquire(key, url, !retried, deadlines);
            } catch (IOException e) {
                throw new ClientConnectorError(key.host(), key.port(), key.tls(), url, e);
            }
            Exchange ex = new Exchange(pool, conn, method, url, deadlines, historyUrls);
            ResponseHead rh;
            try {
                if (expectContinue) {
                    ex.sendExpectingContinue(head, body, continueWait);
                } else {
                    ex.send(head, body);
                }
                rh = ex.readHead();
            } catch (ServerDisconnectedError | ClientOSError e) {
                if (!retried && conn.reused() && ex.nothingReceived() && IDEMPOTENT.contains(method) && body.replayable()) {
                    retried = true;
                    continue;
                }
                throw e;
            }
            if (cookieJar != null) {
                cookieJar.update(url, rh.headers(), Instant.now());
            }
            if (autoDecompress && !method.equals("HEAD")) {
                ContentDecoder d = ContentDecoder.forEncoding(rh.headers().get("Content-Encoding"), Long.MAX_VALUE);
                if (d != null) {
                    ex.decodeWith(d);
                }
            }
            return new ClientResponse(method, url, rh, ex, history);
        }
    }

    /** Reads and drops a redirect's body so that its connection can be reused; a large one closes it instead. */
    private static void discardBody(ClientResponse r) {
        String cl = r.headers().get("Content-Length");
        boolean small = cl == null ? false : cl.strip().length() <= 5; // at most 99999 bytes
        if (small) {
            r.bytes();
        }
        r.close();
    }

    private static RequestBody toBody(RequestOption.Body b) {
        if (b == null) {
            return new RequestBody.None();
        }
        Object d = b.data();
        if (d instanceof byte[] bytes) {
            return new RequestBody.Bytes(bytes, b.contentType());
        }
        if (d instanceof Path p) {
            return new RequestBody.FileBody(p, b.contentType());
        }
        if (d instanceof RequestOption.Form form) {
            return new RequestBody.Bytes(RequestSerializer.formUrlencoded(form.fields()), RequestSerializer.FORM_CONTENT_TYPE);
        }
        if (d instanceof Iterable<?> chunks) {
            @SuppressWarnings("unchecked")
            Iterable<byte[]> c = (Iterable<byte[]>) chunks;
            return new RequestBody.Chunks(c, b.contentType());
        }
        throw new AssertionError(d);
    }

    private static String stripped(String s) {
        return s == null ? null : s.strip();
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
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
        return "ClientSession[" + (baseUrl == null ? "" : "base=" + baseUrl + ", ") + "open=" + pool.openCount() + ", idle="
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
        private final Headers headers = new Headers();
        private ClientTimeout timeout = ClientTimeout.DEFAULT;
        private int limit = 100;
        private int limitPerHost;
        private double keepAliveTimeout = 15;
        private boolean raiseForStatus;
        private boolean autoDecompress = true;
        private boolean followRedirects = true;
        private int maxRedirects = 10;
        private boolean cookies = true;
        private SSLContext sslContext;

        private Builder() {}

        /**
         * The URL relative request URLs are resolved against (RFC 3986: {@code "users"} against
         * {@code http://h/api/} is {@code http://h/api/users}). Default: none.
         *
         * @param baseUrl an absolute http(s) URL
         * @return this builder
         * @throws InvalidURL if it is not one
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl == null ? null : Urls.parse(baseUrl);
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
         * Whether every response with a status of 400 or more throws {@link ClientResponseError}.
         * Default: false.
         *
         * @param raise the setting
         * @return this builder
         */
        public Builder raiseForStatus(boolean raise) {
            this.raiseForStatus = raise;
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
         * The most redirects one request follows before {@link TooManyRedirects}. Default: 10.
         *
         * @param max &gt;= 0
         * @return this builder
         */
        public Builder maxRedirects(int max) {
            this.maxRedirects = nonNegative(max, "maxRedirects");
            return this;
        }

        /**
         * Whether the session keeps cookies ({@code Set-Cookie}) and sends them back. Default:
         * true (aiohttp's {@code CookieJar}; off is its {@code DummyCookieJar}).
         *
         * @param on the setting
         * @return this builder
         */
        public Builder cookieJar(boolean on) {
            this.cookies = on;
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
