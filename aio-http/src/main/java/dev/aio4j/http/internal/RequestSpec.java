package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.http.BasicAuth;
import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.Headers;
import dev.aio4j.http.JsonCodec;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * One request as the caller asked for it, before the session adds anything: method, URL (joined
 * with the base URL, query parameters added), the caller's headers (session defaults merged in),
 * the body, and the per-request settings. Immutable; a redirect makes a new one with
 * {@link #followUp}. Made by a {@link Builder}, which applies the options in order: later options
 * win over earlier ones of the same kind, headers accumulate (a name given again replaces the
 * earlier values), and a second body is refused.
 *
 * @param method the method, upper-cased, a token
 * @param url the absolute request URL, the one sent: http or https
 * @param shownUrl the URL the caller knows this hop by, which its errors, traces, middlewares and
 *        response show: {@code url} itself, or its {@code ws://} or {@code wss://} form for a request
 *        given as a ws(s) URL (aiohttp's request keeps that URL; the connection is http(s)'s), until a
 *        redirect's absolute {@code Location} leaves it
 * @param headers the caller's headers, read-only (no {@code Host}, framing or cookies added yet)
 * @param body the body ({@link RequestBody.None} for none)
 * @param timeout the request's timeouts
 * @param allowRedirects whether redirects are followed
 * @param maxRedirects the most redirects followed
 * @param raiseForStatus whether a status of 400 or more throws
 * @param continueWait seconds to wait for {@code 100 Continue} before sending the body, or empty
 *        when the request does not ask for {@code Expect: 100-continue}
 * @param maxBodySize the most bytes {@code bytes()} and {@code text()} read (after decompression)
 * @param maxDecompressedSize the most bytes a compressed body may decompress to, however it is read
 * @param proxy the proxy given by the request or the session (aiohttp's {@code proxy=}), or
 *     {@code null} (then the session may take one from the environment)
 * @param statusCheck called with the final response instead of the {@code raiseForStatus} rule, or
 *        {@code null} (aiohttp's {@code raise_for_status=} callable)
 * @param ssl the request's own TLS context (aiohttp's per-request {@code ssl=}; {@link InsecureTls}
 *        for {@code ssl=False}), or {@code null} for the session's
 * @param sessionAuth the session's credentials and where they go, for every URL of the redirect
 *        chain, or {@code null}
 */
public record RequestSpec(String method, URI url, URI shownUrl, Headers headers, RequestBody body, ClientTimeout timeout,
                          boolean allowRedirects, int maxRedirects, boolean raiseForStatus, OptionalDouble continueWait,
                          long maxBodySize, long maxDecompressedSize, Consumer<? super ClientResponse> statusCheck,
                          ProxySpec proxy, SSLContext ssl, SessionAuth sessionAuth) {

    /**
     * The session's default credentials ({@code ClientSession(auth=)}) and the rule aiohttp applies
     * to them at every URL of a redirect chain: they go to any URL when the session has no base
     * URL, and only to the base URL's origin (scheme, host, port) when it has one. Origins are
     * compared as the caller knows the URLs ({@link RequestSpec#shownUrl()}): a {@code ws://h} URL's
     * origin is never {@code http://h}'s, as for aiohttp.
     *
     * @param auth the credentials
     * @param baseUrl the session's base URL as given (ws or wss kept), or {@code null}
     */
    public record SessionAuth(BasicAuth auth, URI baseUrl) {
        public SessionAuth {
            Checks.notNull(auth, "auth");
        }

        /**
         * Returns whether the credentials go to {@code url}.
         *
         * @param url a hop's {@link RequestSpec#shownUrl()}
         * @return whether the credentials go to {@code url}
         */
        public boolean appliesTo(URI url) {
            return baseUrl == null || Urls.origin(baseUrl).equals(Urls.origin(url));
        }
    }

    /** Seconds waited for {@code 100 Continue} when only the header asks for it (aiohttp has no limit; curl waits 1 s). */
    public static final double DEFAULT_CONTINUE_WAIT = 1.0;

    /** How to configure a {@link JsonCodec}, for the messages of the calls that need one. */
    public static final String JSON_ADVICE = "aio-http has no JSON library of its own; configure one with "
            + "ClientSession.Builder.jsonCodec(...), e.g. backed by Jackson or Gson (see JsonCodec)";

    /** Default of {@code maxBodySize}: 256 MiB, what {@code bytes()} and {@code text()} hold at most. */
    public static final long DEFAULT_MAX_BODY_SIZE = 256L << 20;

    /** Default of {@code maxDecompressedSize}: 1 GiB, what one compressed body may decode to. */
    public static final long DEFAULT_MAX_DECOMPRESSED_SIZE = 1L << 30;

    /**
     * A session's settings that every request starts from.
     *
     * @param baseUrl the URL relative request URLs are resolved against, or {@code null}
     * @param headers the default headers, read-only
     * @param encoded whether request URLs are taken as already encoded
     * @param auth the session's credentials, or {@code null}
     * @param statusCheck the session's {@code raise_for_status} callable, or {@code null}
     * @param jsonCodec the codec for {@code json=} bodies and {@code json()}, or {@code null}
     * @param proxy the session's proxy URL, or {@code null}
     * @param proxyAuth the session's credentials for a proxy, or {@code null}
     * @param proxyHeaders the session's header fields for a proxy, or {@code null}
     */
    public record Defaults(URI baseUrl, Headers headers, ClientTimeout timeout, boolean followRedirects,
                           int maxRedirects, boolean raiseForStatus, boolean encoded, long maxBodySize, long maxDecompressedSize,
                           BasicAuth auth, Consumer<? super ClientResponse> statusCheck, JsonCodec jsonCodec,
                           String proxy, BasicAuth proxyAuth, Headers proxyHeaders) {
        public Defaults {
            Checks.positive(maxBodySize, "maxBodySize");
            Checks.positive(maxDecompressedSize, "maxDecompressedSize");
        }

        /** The defaults with URLs encoded by the session and the default body limits. */
        public Defaults(URI baseUrl, Headers headers, ClientTimeout timeout, boolean followRedirects, int maxRedirects,
                        boolean raiseForStatus) {
            this(baseUrl, headers, timeout, followRedirects, maxRedirects, raiseForStatus, false, DEFAULT_MAX_BODY_SIZE,
                    DEFAULT_MAX_DECOMPRESSED_SIZE, null, null, null, null, null, null);
        }
    }

    public RequestSpec {
        Checks.token(method, "method");
        Checks.notNull(url, "url");
        Checks.notNull(shownUrl, "shownUrl");
        if (!shownUrl.equals(url) && !shownUrl.equals(Urls.toWebSocket(url))) {
            throw new IllegalArgumentException("shownUrl must be url or its ws(s) form, got " + shownUrl + " for " + url);
        }
        headers = headers.isReadOnly() ? headers : headers.readOnlyCopy();
        Checks.notNull(body, "body");
        Checks.notNull(timeout, "timeout");
        Checks.nonNegative(maxRedirects, "maxRedirects");
        Checks.notNull(continueWait, "continueWait");
        Checks.positive(maxBodySize, "maxBodySize");
        Checks.positive(maxDecompressedSize, "maxDecompressedSize");
    }

    /**
     * Returns the same request sent again as a redirect's follow-up: new method, URL (as sent and as
     * shown), headers and body; the settings stay.
     *
     * @return the same request sent again as a redirect's follow-up
     */
    public RequestSpec followUp(String nextMethod, URI nextUrl, URI nextShownUrl, Headers nextHeaders, RequestBody nextBody) {
        Headers h = nextHeaders;
        if (sessionAuth != null && !h.contains("Authorization") && sessionAuth.appliesTo(nextShownUrl)) {
            // aiohttp: the session's auth is chosen again for every URL of the chain, so after
            // a redirect that dropped the credentials it comes back where it applies
            h = Headers.copyOf(nextHeaders);
            h.add("Authorization", sessionAuth.auth().encode());
        }
        return new RequestSpec(nextMethod.toUpperCase(Locale.ROOT), nextUrl, nextShownUrl, h, nextBody, timeout, allowRedirects,
                maxRedirects, raiseForStatus, continueWait, maxBodySize, maxDecompressedSize, statusCheck, proxy, ssl,
                sessionAuth);
    }

    /**
     * Returns this request with other headers and body (a client middleware's changes to one hop);
     * the method, URL and settings stay.
     *
     * @return this request with other headers and body
     */
    public RequestSpec withHeadersAndBody(Headers newHeaders, RequestBody newBody) {
        return new RequestSpec(method, url, shownUrl, newHeaders, newBody, timeout, allowRedirects, maxRedirects, raiseForStatus,
                continueWait, maxBodySize, maxDecompressedSize, statusCheck, proxy, ssl, sessionAuth);
    }

    /**
     * Starts a request from the session's defaults.
     *
     * @param method the method as the caller gave it (any case)
     * @param url an absolute URL, or one relative to the base URL
     * @throws IllegalArgumentException if the method is not a token
     */
    public static Builder builder(Defaults defaults, String method, String url) {
        return builder(defaults, false, method, url);
    }

    /**
     * Starts a request from the session's defaults, whose base URL was given as {@code ws://} or
     * {@code wss://} when {@code webSocketBase} ({@code defaults} hold its http(s) form): a relative
     * URL joined to it is then shown as a ws(s) URL, as one given as ws(s) is (aiohttp's
     * {@code base_url.join(url)} keeps the base's scheme).
     *
     * @param url an absolute http(s) or ws(s) URL, or one relative to the base URL
     * @throws IllegalArgumentException if the method is not a token
     */
    public static Builder builder(Defaults defaults, boolean webSocketBase, String method, String url) {
        return new Builder(defaults, webSocketBase, method, url);
    }

    /** Collects the options of one request, in order; {@link #build()} joins the URL and freezes it. */
    public static final class Builder {
        private final URI baseUrl;
        /** Whether the base URL was given as ws(s) ({@link #baseUrl} is its http(s) form). */
        private final boolean webSocketBase;
        private final String method;
        private final String url;
        private final List<Map.Entry<String, String>> params = new ArrayList<>();
        private final Headers headers;
        private RequestBody body;
        private String bodyKind;
        private ClientTimeout timeout;
        private boolean allowRedirects;
        private int maxRedirects;
        private boolean raiseForStatus;
        private double continueWait = -1;
        private boolean encoded;
        private long maxBodySize;
        private long maxDecompressedSize;
        private BasicAuth auth;
        /** The Authorization field the last {@link #build} added from the auth, or null. */
        private String addedAuthorization;
        /** The session's credentials, or null; {@link #auth} is the request's own. */
        private final BasicAuth sessionAuth;
        private Consumer<? super ClientResponse> statusCheck;
        private final JsonCodec jsonCodec;
        private String proxy;
        private BasicAuth proxyAuth;
        private Headers proxyHeaders;
        private SSLContext ssl;

        private Builder(Defaults d, boolean webSocketBase, String method, String url) {
            String m = method == null ? null : method.toUpperCase(Locale.ROOT);
            if (m == null || !Checks.isToken(m)) {
                throw new IllegalArgumentException("method must be a token such as GET, got " + method);
            }
            this.baseUrl = d.baseUrl();
            this.webSocketBase = webSocketBase && d.baseUrl() != null;
            this.method = m;
            this.url = url;
            this.headers = Headers.copyOf(d.headers());
            this.timeout = d.timeout();
            this.allowRedirects = d.followRedirects();
            this.maxRedirects = d.maxRedirects();
            this.raiseForStatus = d.raiseForStatus();
            this.encoded = d.encoded();
            this.maxBodySize = d.maxBodySize();
            this.maxDecompressedSize = d.maxDecompressedSize();
            this.sessionAuth = d.auth();
            this.statusCheck = d.statusCheck();
            this.jsonCodec = d.jsonCodec();
            this.proxy = d.proxy();
            this.proxyAuth = d.proxyAuth();
            this.proxyHeaders = d.proxyHeaders();
        }

        /** Adds query parameters. */
        public Builder params(List<Map.Entry<String, String>> more) {
            params.addAll(more);
            return this;
        }

        /** Adds headers; each name given replaces the earlier values of that name. */
        public Builder headers(Headers more) {
            for (String name : more.names()) {
                headers.remove(name);
            }
            headers.addAll(more);
            return this;
        }

        /**
         * Sets the body.
         *
         * @param kind what the caller gave, for the message if a second body comes
         * @throws IllegalArgumentException if a body was already set
         */
        public Builder body(RequestBody b, String kind) {
            if (body != null) {
                throw new IllegalArgumentException("a request takes one body option, got two: " + bodyKind + " and " + kind);
            }
            body = Checks.notNull(b, "body");
            bodyKind = kind;
            return this;
        }

        public Builder timeout(ClientTimeout t) {
            timeout = Checks.notNull(t, "timeout");
            return this;
        }

        public Builder allowRedirects(boolean allow) {
            allowRedirects = allow;
            return this;
        }

        public Builder maxRedirects(int max) {
            maxRedirects = max;
            return this;
        }

        public Builder raiseForStatus(boolean raise) {
            raiseForStatus = raise;
            statusCheck = null;
            return this;
        }

        /** Calls {@code check} with the final response (it throws to refuse it); replaces the boolean rule. */
        public Builder raiseForStatus(Consumer<? super ClientResponse> check) {
            statusCheck = Checks.notNull(check, "raiseForStatus");
            return this;
        }

        /**
         * Sets a JSON body: {@code value} serialized by the session's codec, sent as UTF-8 with
         * {@code Content-Type: application/json}.
         *
         * @throws IllegalStateException if the session has no {@link JsonCodec}
         * @throws IllegalArgumentException if the codec cannot serialize the value, or a body was already set
         */
        public Builder json(Object value) {
            if (jsonCodec == null) {
                throw new IllegalStateException("RequestOption.json(...) needs a JsonCodec, and this session has none: "
                        + JSON_ADVICE);
            }
            String text;
            try {
                text = jsonCodec.encode(value);
            } catch (Exception e) {
                throw new IllegalArgumentException("the JsonCodec cannot encode the json= body (" + e + ")", e);
            }
            if (text == null) {
                throw new IllegalArgumentException("the JsonCodec encoded the json= body as null");
            }
            return body(new RequestBody.Bytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json"), "json");
        }

        /** Sends Basic credentials (instead of the session's). */
        public Builder auth(BasicAuth a) {
            auth = Checks.notNull(a, "auth");
            return this;
        }

        /** Sends the request through this proxy (aiohttp's {@code proxy=}); parsed when built. */
        public Builder proxy(String url) {
            proxy = Checks.notNull(url, "proxy");
            return this;
        }

        /** Credentials for the proxy (aiohttp's {@code proxy_auth=}); they win over the proxy URL's user-info. */
        public Builder proxyAuth(BasicAuth a) {
            proxyAuth = Checks.notNull(a, "proxyAuth");
            return this;
        }

        /** Header fields for the proxy (aiohttp's {@code proxy_headers=}). */
        public Builder proxyHeaders(Headers h) {
            proxyHeaders = Headers.copyOf(Checks.notNull(h, "proxyHeaders")).readOnlyCopy();
            return this;
        }

        /** Whether the URL is taken as already encoded (yarl's {@code encoded=True}). */
        public Builder encoded(boolean on) {
            encoded = on;
            return this;
        }

        /** The request's own TLS context ({@code null}: the session's). */
        public Builder ssl(SSLContext context) {
            ssl = context;
            return this;
        }

        /** The most bytes {@code bytes()}/{@code text()} may read (the session's limit otherwise). */
        public Builder maxBodySize(long max) {
            maxBodySize = Checks.positive(max, "maxBodySize");
            return this;
        }

        /** The most bytes a compressed body may inflate to. */
        public Builder maxDecompressedSize(long max) {
            maxDecompressedSize = Checks.positive(max, "maxDecompressedSize");
            return this;
        }

        /**
         * The {@code Authorization} value the last {@link #build} added from the request's or the
         * session's auth, or null: aiohttp picks the auth after {@code on_request_start}, so its
         * callbacks see the headers without it.
         *
         * @return the value, or null
         */
        public String addedAuthorization() {
            return addedAuthorization;
        }

        /** Asks for {@code Expect: 100-continue}, waiting at most {@code seconds} for the interim answer. */
        public Builder expectContinue(double seconds) {
            continueWait = Checks.nonNegative(seconds, "continueWait");
            return this;
        }

        /**
         * Joins the URL and freezes the request. A caller's own {@code Expect: 100-continue}
         * header asks for the wait of {@link #DEFAULT_CONTINUE_WAIT}, as aiohttp does.
         *
         * @throws dev.aio4j.http.InvalidURL if the URL is unusable
         */
        public RequestSpec build() {
            OptionalDouble wait = continueWait >= 0 ? OptionalDouble.of(continueWait)
                    : RequestBridge.asksForContinue(headers) ? OptionalDouble.of(DEFAULT_CONTINUE_WAIT) : OptionalDouble.empty();
            // aiohttp's TCPConnector takes ws and wss too, and its ClientRequest sends them as http and
            // https, keeping the ws URL everywhere it is shown; a relative URL joined to a ws(s) base
            // URL is one too
            String httpUrl = url == null ? null : Urls.httpFormOf(url);
            boolean shownAsWebSocket = url != null && (!httpUrl.equals(url)
                    || webSocketBase && !UriReference.split(url).hasScheme());
            URI target = Urls.withParams(Urls.join(baseUrl, httpUrl, encoded), params);
            URI shown = shownAsWebSocket ? Urls.toWebSocket(target) : target;
            SessionAuth session = sessionAuth == null ? null
                    : new SessionAuth(sessionAuth, webSocketBase ? Urls.toWebSocket(baseUrl) : baseUrl);
            // aiohttp: the request's auth, else the session's where it applies (any URL without a
            // base URL, the base URL's origin with one)
            BasicAuth a = auth != null ? auth : session != null && session.appliesTo(shown) ? sessionAuth : null;
            Headers h = headers;
            addedAuthorization = a == null ? null : a.encode();
            if (a != null) {
                if (h.contains("Authorization")) {
                    throw new IllegalArgumentException("cannot combine an Authorization header with auth (" + a
                            + "); give one or the other");
                }
                h = Headers.copyOf(headers);
                h.add("Authorization", a.encode());
            }
            return new RequestSpec(method, target, shown, h, body == null ? new RequestBody.None() : body, timeout,
                    allowRedirects, maxRedirects, raiseForStatus, wait, maxBodySize, maxDecompressedSize, statusCheck,
                    proxy == null ? null : ProxySpec.parse(proxy, proxyAuth, proxyHeaders), ssl, session);
        }
    }
}
