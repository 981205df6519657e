package dev.aio4j.http.web;

import dev.aio4j.http.ETag;
import dev.aio4j.http.Headers;
import dev.aio4j.http.JsonCodec;
import dev.aio4j.http.MultiDict;
import dev.aio4j.http.MultipartReader;
import dev.aio4j.http.internal.AbsoluteTarget;
import dev.aio4j.http.internal.ETags;
import dev.aio4j.http.internal.ForwardedHeader;
import dev.aio4j.http.internal.RequestHead;
import dev.aio4j.http.internal.UrlEncoding;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import javax.net.ssl.SSLEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP request as a handler sees it: the head, the body to read, the route's match, and a
 * map for middlewares to pass values on.
 *
 * <pre>{@code
 * Handler echo = request -> {
 *     String who = request.query().getOrDefault("name", "world");
 *     byte[] body = request.read();                 // at most the app's clientMaxSize
 *     return new Response().body(body).contentType(request.contentType());
 * };
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.Request} (and {@code web.BaseRequest}). <b>Differences:</b>
 * properties are methods; {@code read()}, {@code text()}, {@code json()}, {@code post()} and the
 * reads of {@link #content()} suspend directly; {@code request[key]} is {@link #state()};
 * {@code request.config_dict[key]} is {@link #config(AppKey)}; {@code content_length} is an
 * {@link OptionalLong}; {@code version} is the text {@code HTTP/1.1}; {@code forwarded} is a list of
 * read-only maps; {@code clone(method=..., rel_url=..., ...)} takes {@link CloneOption}s.
 *
 * <p><b>Threading:</b> confined to the loop that serves the connection.
 *
 * @since 0.2
 */
public final class Request {
    /** IMF-fixdate after the weekday, which is not checked (as aiohttp): {@code 08 Oct 2000 00:56:40 GMT}. */
    private static final Pattern HTTP_DATE_SHAPE = Pattern.compile("\\d{1,2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("d MMM uuuu HH:mm:ss 'GMT'", Locale.US)
            .withZone(java.time.ZoneOffset.UTC);
    private static final Pattern JSON_TYPE = Pattern.compile("application/(?:[\\w.+-]+?\\+)?json");
    private static final Pattern KEPT_ESCAPES = Pattern.compile("%2[fF5]");
    /** aiohttp's {@code BaseRequest.POST_METHODS}: the methods whose body {@link #post()} reads. */
    private static final Set<String> POST_METHODS = Set.of("PATCH", "POST", "PUT", "TRACE", "DELETE");

    private final RequestHandler connection;
    private final RequestHead head;
    private final StreamReader content;
    private final long clientMaxSize;
    /** The raw path: the target up to its query or fragment (after the authority of an absolute-form one). */
    private final String pathPart;
    /** The raw query, without the {@code ?}, up to the fragment. */
    private final String rawQueryString;
    /** The raw fragment, without the {@code #}; empty if none. */
    private final String fragment;
    /** The target as sent, after the authority of an absolute-form one: {@link #rawPath()}. */
    private final String rawTarget;
    /** The parts of an absolute-form target (aiohttp takes host, scheme and url from it), else null. */
    private final AbsoluteTarget absolute;
    /**
     * The request as the connection received it: this one, or the one a {@link #clone} was made
     * from. The response, the trailers and the body read so far are the exchange's, kept there.
     */
    private final Request origin;
    private final String schemeOverride;
    private final String hostOverride;
    private final String remoteOverride;
    private List<Map<String, String>> forwarded;
    private String path;
    private String pathSafe;
    /** {@link #queryString()}, decoded on first use. */
    private String queryString;
    private MultiDict<String> query;
    private Map<String, String> cookies;
    private Map<String, Object> state;
    private MatchInfo matchInfo;
    private Application app;
    private Headers trailers;
    private boolean bodyRead;
    private byte[] readCache;
    /** This request's own form, as aiohttp's {@code _post}: a clone starts without one. */
    private MultiDict<Object> postCache;
    private StreamResponse response;

    Request(RequestHandler connection, RequestHead head, StreamReader content, long clientMaxSize) {
        this(connection, head, content, clientMaxSize, null, null, null, null);
    }

    private Request(RequestHandler connection, RequestHead head, StreamReader content, long clientMaxSize, Request origin,
                    String schemeOverride, String hostOverride, String remoteOverride) {
        this.connection = connection;
        this.head = head;
        this.content = content;
        this.clientMaxSize = clientMaxSize;
        this.origin = origin == null ? this : origin;
        this.schemeOverride = schemeOverride;
        this.hostOverride = hostOverride;
        this.remoteOverride = remoteOverride;
        String target = head.target();
        AbsoluteTarget abs = head.absolute(); // split once, by the request line's parser (or the clone option)
        this.absolute = abs;
        if (target.startsWith("/") || target.equals("*")) {
            this.rawTarget = target; // origin-form, asterisk-form
        } else if (abs != null) {
            // absolute-form: the path, query and fragment, as sent; an empty path is "/" (RFC 9110
            // section 4.2.3), where aiohttp 3.14 keeps "" and answers 404 for GET http://host
            String rest = abs.rest();
            this.rawTarget = rest.startsWith("/") ? rest : "/" + rest;
        } else {
            this.rawTarget = ""; // authority-form (CONNECT): no path
        }
        // as aiohttp's http_parser.py: the fragment is split off first, then the query
        int hash = rawTarget.indexOf('#');
        String beforeHash = hash < 0 ? rawTarget : rawTarget.substring(0, hash);
        this.fragment = hash < 0 ? "" : rawTarget.substring(hash + 1);
        int q = beforeHash.indexOf('?');
        this.pathPart = q < 0 ? beforeHash : beforeHash.substring(0, q);
        this.rawQueryString = q < 0 ? "" : beforeHash.substring(q + 1);
    }

    // ------------------------------------------------------------------------------ the head

    /**
     * Returns the method, as sent: {@code request.method}.
     *
     * @return the method, e.g. {@code GET}
     */
    public String method() {
        return head.method();
    }

    /**
     * Returns the protocol version: {@code request.version}.
     *
     * @return {@code HTTP/1.0} or {@code HTTP/1.1}
     */
    public String version() {
        return head.version();
    }

    /**
     * Returns the decoded path, without the query and the fragment: {@code request.path}.
     *
     * @return the path, percent-decoded as UTF-8, e.g. {@code /caf\u00e9}; {@code /} for an
     *     absolute-form target without one ({@code GET http://example.com}, RFC 9110 section
     *     4.2.3), where aiohttp 3.14 gives an empty path; empty for a CONNECT's authority-form
     */
    public String path() {
        if (path == null) {
            path = UrlEncoding.decode(pathPart);
        }
        return path;
    }

    /**
     * The path decoded except {@code %2F} and {@code %25}, which the router matches so that an
     * encoded slash stays inside a variable (aiohttp's {@code rel_url.path_safe}).
     */
    String pathSafe() {
        if (pathSafe == null) {
            StringBuilder sb = new StringBuilder();
            Matcher m = KEPT_ESCAPES.matcher(pathPart);
            int last = 0;
            while (m.find()) {
                sb.append(UrlEncoding.decode(pathPart.substring(last, m.start()))).append(m.group().toUpperCase(Locale.ROOT));
                last = m.end();
            }
            pathSafe = sb.append(UrlEncoding.decode(pathPart.substring(last))).toString();
        }
        return pathSafe;
    }

    /**
     * Returns the request target as sent, query and fragment included: {@code request.raw_path}.
     * For an absolute-form target ({@code GET http://h/p?x=1}), what follows its authority, as
     * aiohttp 3.15's {@code raw_path}, with a {@code /} before it if it has no path
     * ({@code GET http://h?x=1} gives {@code /?x=1}, where aiohttp gives {@code ?x=1}).
     *
     * @return the raw path, query and fragment, e.g. {@code /caf%C3%A9?x=1}
     */
    public String rawPath() {
        return rawTarget;
    }

    /**
     * Returns the path, the query and the fragment, percent-encoded as sent:
     * {@code request.path_qs}, which is {@code str(request.rel_url)}; an empty query or fragment
     * is left out, as yarl leaves it out.
     *
     * @return the path, query and fragment, e.g. {@code /path%20to?a=1}
     */
    public String pathQs() {
        // decoding would be lossy: a %26 in the query would read as a separator
        String pq = rawQueryString.isEmpty() ? pathPart : pathPart + "?" + rawQueryString;
        return fragment.isEmpty() ? pq : pq + "#" + fragment;
    }

    /**
     * Returns the query string, decoded, without the {@code ?} and the fragment:
     * {@code request.query_string}, which is yarl's {@code rel_url.query_string}. A {@code +} is
     * a space and {@code %XX} runs that are UTF-8 are their characters, except that an escaped
     * {@code +}, {@code =}, {@code &} or {@code ;} stays escaped ({@code %2B}, {@code %3D},
     * {@code %26}, {@code %3B}), so the fields still split as sent; escapes that are not UTF-8
     * are kept as written. {@code ?q=t+est&c=caf%C3%A9} gives {@code q=t est&c=café}. For the
     * query as sent, use {@link #rawQueryString()}; for its fields, {@link #query()}.
     *
     * @return the decoded query, possibly empty
     */
    public String queryString() {
        if (queryString == null) {
            queryString = UrlEncoding.unquoteQueryString(rawQueryString);
        }
        return queryString;
    }

    /**
     * Returns the query string as sent, percent-encoded, without the {@code ?} and the fragment:
     * yarl's {@code request.rel_url.raw_query_string}.
     *
     * @return the raw query, possibly empty, e.g. {@code q=t+est&c=caf%C3%A9}
     * @since 0.2
     */
    public String rawQueryString() {
        return rawQueryString;
    }

    /**
     * Returns the query parameters: {@code request.query}.
     *
     * @return the decoded parameters ({@code +} is a space), in order
     */
    public MultiDict<String> query() {
        if (query == null) {
            MultiDict.Builder<String> b = MultiDict.builder();
            for (Map.Entry<String, String> e : UrlEncoding.parseForm(rawQueryString)) {
                b.add(e.getKey(), e.getValue());
            }
            query = b.build();
        }
        return query;
    }

    /**
     * Returns the header fields: {@code request.headers}.
     *
     * @return the headers, read-only
     */
    public Headers headers() {
        return head.headers();
    }

    /**
     * Returns the trailer fields of a chunked body, once the body is read.
     *
     * @return the trailers, empty if none (or the body is not read yet)
     */
    public Headers trailers() {
        Headers t = origin.trailers;
        return t == null ? new Headers().readOnlyCopy() : t;
    }

    /**
     * Returns the cookies the client sent: {@code request.cookies}.
     *
     * @return name to value, read-only
     */
    public Map<String, String> cookies() {
        if (cookies == null) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String header : headers().getAll("Cookie")) {
                parseCookies(header, out);
            }
            cookies = Collections.unmodifiableMap(out);
        }
        return cookies;
    }

    /**
     * Returns the result of routing: the variables of the path, the route, the applications.
     *
     * @return the match info: {@code request.match_info}
     */
    public MatchInfo matchInfo() {
        return matchInfo;
    }

    /**
     * Returns the application whose route is handling the request (a sub-application for
     * routes under {@code addSubapp}): {@code request.app}.
     *
     * @return the application
     */
    public Application app() {
        return app;
    }

    /**
     * Looks {@code key} up in the handling application, then in its parents:
     * {@code request.config_dict[key]}.
     *
     * @param key the key
     * @param <T> the value type
     * @return the innermost value, or null if no application holds the key
     */
    public <T> T config(AppKey<T> key) {
        if (matchInfo != null) {
            for (int i = matchInfo.apps().size() - 1; i >= 0; i--) {
                Application a = matchInfo.apps().get(i);
                if (a.containsKey(key)) {
                    return a.get(key);
                }
            }
        }
        return app != null ? app.get(key) : null;
    }

    /**
     * Returns this request's own map, where middlewares leave values for handlers:
     * {@code request[key] = value}.
     *
     * @return a modifiable map, empty at first
     */
    public Map<String, Object> state() {
        if (state == null) {
            state = new HashMap<>();
        }
        return state;
    }

    // -------------------------------------------------------------------------- the connection

    /**
     * Returns the client's IP address: {@code request.remote}.
     *
     * @return the peer's address as text, or null for a Unix socket peer
     */
    public String remote() {
        if (remoteOverride != null) {
            return remoteOverride;
        }
        SocketAddress peer = (SocketAddress) transport().getExtraInfo("peername", null);
        return peer instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : null;
    }

    /**
     * Returns the host the client asked for: the host of an absolute-form target, else the
     * {@code Host} header, else the local address: {@code request.host}.
     *
     * @return the host (and port, if the client sent one in the {@code Host} header); for an
     *     absolute-form target ({@code GET http://Other.Example:8080/p}), its host as yarl's
     *     {@code url.host} (no port, lower case, an IPv6 address without brackets); without a
     *     {@code Host} header, the local IP address without the port (an IPv6 address in
     *     brackets), the path of a Unix socket, or an empty string
     */
    public String host() {
        if (hostOverride != null) {
            return hostOverride;
        }
        if (absolute != null) {
            return absolute.hostName(); // as aiohttp: the target's, whatever the Host header says
        }
        String h = headers().get("Host");
        if (h != null && !h.isEmpty()) {
            return h;
        }
        // the local address the request came to, without its port, as aiohttp
        Object local = transport().getExtraInfo("sockname", null);
        if (local instanceof InetSocketAddress a) {
            return a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]" : a.getHostString();
        }
        if (local instanceof java.net.UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        return local == null ? "" : local.toString();
    }

    /**
     * Returns {@code https} for a TLS connection, else {@code http}, unless a {@link #clone} set
     * another or the target is absolute-form: {@code request.scheme}.
     *
     * @return the scheme; an absolute-form target's own, in lower case
     *     ({@code GET https://h/p} over plain TCP gives {@code https}, as aiohttp)
     */
    public String scheme() {
        if (schemeOverride != null) {
            return schemeOverride;
        }
        if (absolute != null) {
            return absolute.scheme().toLowerCase(Locale.ROOT);
        }
        return transport().getExtraInfo("ssl_object", null) instanceof SSLEngine ? "https" : "http";
    }

    /**
     * Returns whether the scheme is {@code https}: {@code request.secure}.
     *
     * @return whether the request came over TLS (or a clone says it did)
     */
    public boolean secure() {
        return scheme().equals("https");
    }

    /**
     * Returns the {@code Forwarded} headers (RFC 7239) parsed: {@code request.forwarded}. One map
     * per forwarded-element, the first added by the proxy nearest the client; parameter names
     * lower-cased, quoted values unquoted and unescaped, a port kept on its value
     * ({@code for="[2001:db8::17]:1234"} gives {@code [2001:db8::17]:1234}). Syntax errors are
     * skipped up to the next element, so an element a proxy appended after a broken one is still
     * read; the values are not checked further. None of {@link #host()}, {@link #scheme()} or
     * {@link #remote()} uses them: a server behind a proxy it trusts applies them itself, for
     * instance in a middleware that passes on {@code request.clone(CloneOption.remote(...))}.
     *
     * @return one read-only map per element, in order; empty if the header is absent
     */
    public List<Map<String, String>> forwarded() {
        if (forwarded == null) {
            forwarded = ForwardedHeader.parse(headers().getAll("Forwarded"));
        }
        return forwarded;
    }

    /**
     * Returns the largest body {@link #read()} and the other whole-body reads accept:
     * {@code request.client_max_size}.
     *
     * @return the limit in bytes: the application's {@code clientMaxSize}, or a clone's own
     */
    public long clientMaxSize() {
        return clientMaxSize;
    }

    /**
     * Returns a copy of this request: {@code request.clone()}. See {@link #clone(CloneOption...)}.
     *
     * @return a new request for the same exchange
     * @throws IllegalStateException if a body that is not empty was read with {@link #read()} (or
     *     {@code text()}, {@code json()}, an urlencoded {@code post()})
     */
    @Override
    public Request clone() {
        return clone(new CloneOption[0]);
    }

    /**
     * Returns a copy of this request with some of its attributes replaced:
     * {@code request.clone(method=..., rel_url=..., headers=..., scheme=..., host=..., remote=...,
     * client_max_size=...)}. What is not replaced is the same; {@link #state()} is copied (a value
     * put in one is not seen in the other); the route's match and the application are kept. The
     * copy stands for the same exchange: it reads the same body (the bytes {@link #read()} kept
     * are every copy's; a form {@link #post()} parsed is not: each copy parses its own, as in
     * aiohttp, whose clone starts with no {@code _post}), and a response prepared with it
     * answers the request. A middleware typically passes the copy on:
     *
     * <pre>{@code
     * Middleware behindProxy = (request, handler) -> {
     *     List<Map<String, String>> fwd = request.forwarded();
     *     if (fwd.isEmpty() || !fwd.get(fwd.size() - 1).containsKey("for")) {
     *         return handler.handle(request);
     *     }
     *     return handler.handle(request.clone(CloneOption.remote(fwd.get(fwd.size() - 1).get("for"))));
     * };
     * }</pre>
     *
     * <p>The replaced method, path and headers are what the copy reports; the body is framed as the
     * client sent it whatever the new headers say, and so is the response: a response prepared
     * with a copy whose method is not the one sent has a body only if the client's request was not
     * a {@code HEAD} (aiohttp frames it for the copy's method, which the client cannot read).
     *
     * @param options what to replace
     * @return a new request for the same exchange
     * @throws IllegalStateException if a body that is not empty was read with {@link #read()} (or
     *     {@code text()}, {@code json()}, an urlencoded {@code post()}): aiohttp's "Cannot clone
     *     request after reading its content" (aiohttp checks {@code if self._read_bytes}, so an
     *     empty body read does not count)
     */
    public Request clone(CloneOption... options) {
        if (origin.readCache != null && origin.readCache.length > 0) { // aiohttp: if self._read_bytes
            throw new IllegalStateException("Cannot clone request after reading its content: clone it before read(), text(), "
                    + "json() or post(), or pass the bytes on in state()");
        }
        CloneOption.Changes c = CloneOption.apply(options);
        RequestHead h = head;
        if (c.method != null || c.target != null || c.headers != null) {
            h = new RequestHead(c.method != null ? c.method : head.method(), c.target != null ? c.target : head.target(),
                    head.versionMinor(), c.headers != null ? c.headers : head.headers(), head.framing(), head.contentLength(),
                    head.keepAlive(), head.expectContinue(), c.target != null ? c.absolute : head.absolute());
        }
        Request copy = new Request(connection, h, content, c.clientMaxSize >= 0 ? c.clientMaxSize : clientMaxSize, origin,
                c.scheme != null ? c.scheme : schemeOverride, c.host != null ? c.host : hostOverride,
                c.remote != null ? c.remote : remoteOverride);
        if (state != null) {
            copy.state = new HashMap<>(state);
        }
        copy.matchInfo = matchInfo;
        copy.app = app;
        return copy;
    }

    /**
     * Returns the absolute URL of the request: {@code request.url}.
     *
     * @return scheme, host and the raw path, query and fragment; for an absolute-form target, the
     *     target as yarl prints it (the scheme in lower case, a default port left out), with a
     *     clone's scheme and host; a character {@link URI} cannot hold as sent (such as a second
     *     {@code #}) is percent-encoded
     */
    public URI url() {
        if (absolute != null) {
            String scheme = scheme(); // the path of an absolute-form target is never empty: see the constructor
            return uri(scheme, absolute.authority(scheme, hostOverride), encodedPathQs());
        }
        return uri(scheme(), host(), pathPart.startsWith("/") ? encodedPathQs() : "/");
    }

    /**
     * {@link #pathQs()} with the characters {@link URI} refuses (those RFC 3986 leaves out, a
     * {@code #} in the fragment, a {@code %} not followed by two hex digits) percent-encoded, where
     * yarl keeps them as sent.
     */
    private String encodedPathQs() {
        String pq = UrlEncoding.encodePath(pathPart);
        if (!rawQueryString.isEmpty()) {
            pq += "?" + UrlEncoding.encodeQuery(rawQueryString);
        }
        return fragment.isEmpty() ? pq : pq + "#" + UrlEncoding.encodeFragment(fragment);
    }

    /**
     * The URL of {@code scheme://authority} and the encoded {@code rest}. The characters of the
     * authority {@link URI} refuses (a {@code |} in a host the client sent, a space in a Host
     * header) are percent-encoded, and so are brackets that are no IPv6 address {@link URI} takes
     * ({@code [zz]}, {@code [v1.x]}, {@code [::1]]}: a Host header, a clone's host, an IPvFuture):
     * such a URL has a registry-based authority and no {@link URI#getHost()}, where building it
     * would fail.
     */
    private static URI uri(String scheme, String authority, String rest) {
        String safe = UrlEncoding.encodeAuthority(authority);
        try {
            return URI.create(scheme + "://" + safe + rest);
        } catch (IllegalArgumentException e) {
            return URI.create(scheme + "://" + safe.replace("[", "%5B").replace("]", "%5D") + rest);
        }
    }

    /**
     * Returns the connection's transport: {@code request.transport}.
     *
     * @return the transport
     */
    public Transport transport() {
        return connection.transport();
    }

    /**
     * Returns the loop serving the request.
     *
     * @return the event loop
     */
    public EventLoop loop() {
        return connection.loop();
    }

    /**
     * Returns whether the connection may carry another request after this one:
     * {@code request.keep_alive}.
     *
     * @return what the client asked for (HTTP/1.1 default, {@code Connection: close}, ...)
     */
    public boolean keepAlive() {
        return head.keepAlive();
    }

    // ------------------------------------------------------------------------------ the body

    /**
     * Returns the {@code Content-Length}: {@code request.content_length}. A {@link #clone} given
     * new headers reports theirs, as aiohttp does (its body is still framed as the client sent it).
     *
     * @return the declared length, empty if none (chunked or no body), or if a clone's headers
     *     hold one that is not a number
     */
    public OptionalLong contentLength() {
        if (head.headers() != origin.head.headers()) { // a clone's own headers: what they say
            String v = head.headers().get("Content-Length");
            try {
                long n = v == null ? -1 : Long.parseLong(v.strip());
                return n >= 0 ? OptionalLong.of(n) : OptionalLong.empty();
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return head.contentLength() >= 0 ? OptionalLong.of(head.contentLength()) : OptionalLong.empty();
    }

    /**
     * Returns the media type of the body, without parameters: {@code request.content_type}.
     *
     * @return e.g. {@code application/json}; {@code application/octet-stream} if absent or not
     *     {@code type/subtype} (as aiohttp)
     */
    public String contentType() {
        String ct = headers().get("Content-Type");
        if (ct == null || ct.isBlank()) {
            return "application/octet-stream";
        }
        int semi = ct.indexOf(';');
        String type = (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        // as aiohttp's parse_content_type: a value that is not type/subtype is the default
        return slash < 0 || type.indexOf('/', slash + 1) >= 0 ? "application/octet-stream" : type;
    }

    /**
     * Returns the {@code charset} parameter of the Content-Type: {@code request.charset}.
     *
     * @return the charset name, or null if none was sent
     */
    public String charset() {
        return ContentTypes.charsetOf(headers().get("Content-Type"));
    }

    /**
     * Returns whether the request has a body (Content-Length or chunked):
     * {@code request.body_exists}.
     *
     * @return whether a body was announced
     */
    public boolean bodyExists() {
        return head.framing() != RequestHead.Framing.NONE;
    }

    /**
     * Returns whether body bytes remain to be read: {@code request.can_read_body}.
     *
     * @return whether reading would return more bytes
     */
    public boolean canReadBody() {
        return bodyExists() && !content.atEof();
    }

    /**
     * Returns the body as a stream, for reading at your own pace: {@code request.content}. It is
     * not bounded by {@code clientMaxSize}: read with a bound of your own.
     *
     * @return the body stream
     */
    public StreamReader content() {
        return content;
    }

    /**
     * Reads the whole body: {@code await request.read()}. The result is kept: a second call
     * returns the same bytes.
     *
     * <p><b>Cancellation:</b> suspends while the body arrives.
     *
     * @return the body, possibly empty
     * @throws HTTPRequestEntityTooLarge (413) if the body is over the application's
     *     {@code clientMaxSize}; after the response the rest of the body is read and discarded for
     *     up to {@link ServerConfig#lingeringTime()}, and the connection is closed if it does not
     *     end by then
     * @throws IOException if the connection broke or the body's framing is bad
     */
    public byte[] read() throws IOException {
        Request o = origin;
        if (o.readCache != null) {
            if (o.readCache.length > clientMaxSize) {
                // read by a request with a larger limit (the original, or another clone): this
                // clone's own limit still holds
                throw new HTTPRequestEntityTooLarge(clientMaxSize, o.readCache.length);
            }
            return o.readCache;
        }
        if (o.bodyRead) {
            throw new IllegalStateException("the body was read as a stream already (content(), multipart() or a multipart "
                    + "post()); read() it first if it is needed whole, as post() then parses the kept bytes");
        }
        long declared = head.contentLength();
        if (declared > clientMaxSize) {
            throw new HTTPRequestEntityTooLarge(clientMaxSize, declared);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        while (true) {
            byte[] chunk = content.read(64 * 1024);
            if (chunk.length == 0) {
                break;
            }
            out.write(chunk, 0, chunk.length);
            if (out.size() > clientMaxSize) {
                throw new HTTPRequestEntityTooLarge(clientMaxSize, out.size());
            }
        }
        o.readCache = out.toByteArray();
        return o.readCache;
    }

    /**
     * Reads the body as text in its charset (UTF-8 if none): {@code await request.text()}.
     *
     * <p><b>Cancellation:</b> as {@link #read()}.
     *
     * @return the body text
     * @throws HTTPUnsupportedMediaType (415) if the charset is unknown or the body is not valid in it
     * @throws HTTPRequestEntityTooLarge as {@link #read()}
     * @throws IOException as {@link #read()}
     */
    public String text() throws IOException {
        return decodeBody(read());
    }

    /**
     * Reads the body as JSON with the application's {@link JsonCodec}: {@code await request.json()}.
     *
     * <p><b>Cancellation:</b> as {@link #read()}.
     *
     * @param type the type to decode into, e.g. {@code Map.class} or a record class
     * @param <T> the result type
     * @return the decoded value
     * @throws HTTPBadRequest (400) if the Content-Type is not {@code application/json} (or
     *     {@code application/...+json}), or the body is not valid JSON for the codec
     * @throws IllegalStateException if the application has no JSON codec
     * @throws IOException as {@link #read()}
     */
    @SuppressWarnings("unchecked")
    public <T> T json(Type type) throws IOException {
        JsonCodec codec = app == null ? null : app.jsonCodec();
        if (codec == null) {
            throw new IllegalStateException("no JSON codec: give the Application one with app.jsonCodec(codec) "
                    + "(see JsonCodec for Jackson and Gson in three lines)");
        }
        if (!JSON_TYPE.matcher(contentType()).lookingAt()) {
            throw (HTTPException) new HTTPBadRequest().text("Attempt to decode JSON with unexpected mimetype: " + contentType());
        }
        String text = text();
        try {
            return (T) codec.decode(text, type);
        } catch (IOException | RuntimeException e) {
            throw e instanceof HTTPException h ? h : badJson(e);
        } catch (Exception e) {
            throw badJson(e);
        }
    }

    /**
     * Reads the body as JSON into a map or list: {@code json(Object.class)}.
     *
     * @return the decoded value
     * @throws IOException as {@link #json(Type)}
     */
    public Object json() throws IOException {
        return json(Object.class);
    }

    private static HTTPBadRequest badJson(Exception e) {
        HTTPBadRequest bad = new HTTPBadRequest();
        bad.text("400: Bad Request (the body is not valid JSON: " + e.getMessage() + ")");
        return bad;
    }

    /**
     * Reads a form: urlencoded fields, or multipart fields and files: {@code await request.post()}.
     * As aiohttp, only the methods {@code PATCH}, {@code POST}, {@code PUT}, {@code TRACE} and
     * {@code DELETE} have a form, and only the content types
     * {@code application/x-www-form-urlencoded} and {@code multipart/form-data}: anything else
     * gives an empty result without reading the body.
     *
     * <p><b>Cancellation:</b> as {@link #read()}.
     *
     * <p>Each multipart field is decoded as aiohttp's: its {@code Content-Transfer-Encoding}
     * ({@code base64}, {@code quoted-printable}) is undone, see
     * {@link MultipartReader.BodyPart#decode(byte[], int)}; {@code clientMaxSize} counts the bytes
     * as they arrive, and each part's delimiter line and head too (aiohttp counts field data
     * only), so a form of many empty parts is a 413 as a large one is. A field that is not a file is
     * text in the charset its part's {@code Content-Type} names; without one, in the charset a first
     * {@code _charset_} part names (RFC 7578 section 4.6; that part is not a field, as in aiohttp);
     * without that, in the request's {@code Content-Type} charset, or UTF-8.
     *
     * <p>The form is kept: a second call on this request (from a middleware, then the handler)
     * returns the same fields without reading again. A {@link #clone} parses its own, for its
     * method, headers and {@code clientMaxSize}, as aiohttp's does. After {@link #read()} a
     * multipart form is read from the bytes it kept (aiohttp reads the used-up stream and fails).
     *
     * @return fields as {@code String} values and files as {@link FileField}s, in order
     * @throws HTTPRequestEntityTooLarge if the form is over {@code clientMaxSize}
     * @throws HTTPBadRequest if a {@code multipart/form-data} Content-Type has no valid boundary,
     *     or a part has no name (no {@code Content-Disposition}, or one without {@code name}):
     *     aiohttp's {@code ValueError}s "Invalid boundary" and "Multipart field missing name.", 500s
     * @throws IllegalStateException if the form is multipart and its body was read as a stream
     *     already (by {@link #content()}, {@link #multipart()}, or the {@code post()} of the
     *     request this one was cloned from or of another clone): call {@link #read()} first to keep
     *     the bytes for every copy
     * @throws IOException as {@link #read()}, or if the multipart framing is bad
     * @throws dev.aio4j.http.BadHttpMessage if a part's {@code Content-Transfer-Encoding} is
     *     unknown or its data malformed, or a {@code _charset_} part holds more than 31 bytes or a
     *     charset the JVM does not know (the server answers 400; aiohttp's {@code RuntimeError} is a 500)
     * @throws HTTPUnsupportedMediaType (415) if a part's {@code Content-Type} names a charset the
     *     JVM does not know
     */
    public MultiDict<Object> post() throws IOException {
        if (postCache == null) {
            postCache = readForm(); // kept, as aiohttp keeps _post: a middleware and the handler may both ask
        }
        return postCache;
    }

    private MultiDict<Object> readForm() throws IOException {
        MultiDict.Builder<Object> b = MultiDict.builder();
        if (!POST_METHODS.contains(method())) {
            return b.build();
        }
        String ct = contentType();
        // aiohttp also lists "", which its content_type (as contentType() here) never returns
        if (ct.equals("application/x-www-form-urlencoded")) {
            String body = decodeBody(read());
            for (Map.Entry<String, String> e : UrlEncoding.parseForm(body)) {
                b.add(e.getKey(), e.getValue());
            }
        } else if (ct.equals("multipart/form-data")) {
            // after read() the stream is used up and the bytes are kept: the form is in them
            byte[] kept = origin.readCache;
            if (kept == null && origin.bodyRead) {
                throw new IllegalStateException("the body was read as a stream already (content(), multipart(), or the post() "
                        + "of the request this one was cloned from or of another clone): a clone parses the form again, as "
                        + "aiohttp's does; call read() before the first post() to keep the bytes for every copy");
            }
            MultipartReader reader;
            try {
                reader = kept == null ? multipart() : new MultipartReader(headers().getOrDefault("Content-Type", ""), keptBody(kept));
            } catch (IllegalArgumentException e) {
                // the client's Content-Type has no usable boundary: its fault, a 400 (aiohttp's
                // ValueError "Invalid boundary" is a 500)
                throw new HTTPBadRequest().text("400: multipart/form-data body without a valid boundary: " + e.getMessage());
            }
            long total = 0;
            for (MultipartReader.BodyPart part = reader.next(); part != null; part = reader.next()) {
                if (part.name() == null) {
                    // aiohttp: ValueError("Multipart field missing name."), a 500; the client's form is bad: 400
                    throw new HTTPBadRequest().text("400: Multipart field missing name: a multipart/form-data part's "
                            + "Content-Disposition must give one (form-data; name=\"...\", RFC 7578 section 4.2), got "
                            + (part.headers().get("Content-Disposition") == null ? "no Content-Disposition"
                                    : "Content-Disposition: " + Escaping.quote(part.headers().get("Content-Disposition"))));
                }
                // each part's delimiter line and head count too, so a form of many empty parts
                // cannot grow the form past the limit (aiohttp counts field data only)
                total += framingBytes(reader.boundary(), part.headers());
                if (total > clientMaxSize) {
                    throw new HTTPRequestEntityTooLarge(clientMaxSize, total);
                }
                // read in chunks, counting: part.read(max) would fail with a ClientPayloadError (500)
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                for (byte[] c = part.readChunk(64 * 1024); c.length > 0; c = part.readChunk(64 * 1024)) {
                    total += c.length;
                    if (total > clientMaxSize) {
                        throw new HTTPRequestEntityTooLarge(clientMaxSize, total);
                    }
                    buf.write(c, 0, c.length);
                }
                // as aiohttp's field.decode_iter (read(decode=True) before 3.10): the part's
                // Content-Transfer-Encoding undone; a form-data part's Content-Encoding is left
                // alone (RFC 7578 section 4.8), so the decoded bytes are never more than the raw
                // ones counted above. An unknown encoding or bad base64 is a BadHttpMessage (400)
                byte[] data = part.decode(buf.toByteArray(), (int) Math.min(Integer.MAX_VALUE, clientMaxSize));
                String name = part.name();
                if (part.filename() != null) {
                    String type = part.headers().getOrDefault("Content-Type", "application/octet-stream");
                    b.add(name, new FileField(name, part.filename(), data, type, part.headers()));
                } else {
                    // the part's Content-Type charset, else a _charset_ part's (RFC 7578 section 4.6, which
                    // the reader took), else the request's Content-Type charset (aio4j), else UTF-8
                    Charset cs = charsetOr(part.getCharset(null), bodyCharset());
                    b.add(name, new String(data, cs));
                }
            }
        }
        return b.build();
    }

    /** The bytes of a part's delimiter line ({@code CRLF--boundary CRLF}) and its head, as sent without padding. */
    private static long framingBytes(String boundary, Headers head) {
        long n = boundary.length() + 6L + 2; // CRLF "--" boundary CRLF, and the blank line ending the head
        for (Map.Entry<String, String> e : head.entries()) {
            n += e.getKey().length() + 2 + e.getValue().length() + 2; // name ": " value CRLF
        }
        return n;
    }

    /** A stream over the bytes read() kept, ended. */
    private static StreamReader keptBody(byte[] body) {
        StreamReader r = new StreamReader(Integer.MAX_VALUE); // all of it is buffered already: no limit to enforce
        if (body.length > 0) {
            r.feedData(body);
        }
        r.feedEof();
        return r;
    }

    /**
     * Returns a streaming reader of a multipart body: {@code await request.multipart()}.
     *
     * @return the reader over {@link #content()}
     * @throws IllegalArgumentException if the body is not multipart
     */
    public MultipartReader multipart() {
        origin.bodyRead = true;
        return new MultipartReader(headers().getOrDefault("Content-Type", ""), content);
    }

    // ------------------------------------------------------------------------ conditionals

    /**
     * Returns the {@code If-Modified-Since} date: {@code request.if_modified_since}.
     *
     * @return the date, or null if absent or not a valid HTTP date
     */
    public ZonedDateTime ifModifiedSince() {
        return httpDate("If-Modified-Since");
    }

    /**
     * Returns the {@code If-Unmodified-Since} date: {@code request.if_unmodified_since}.
     *
     * @return the date, or null if absent or not a valid HTTP date
     */
    public ZonedDateTime ifUnmodifiedSince() {
        return httpDate("If-Unmodified-Since");
    }

    /**
     * Returns the tags of {@code If-Match}: {@code request.if_match}. {@code *} alone is one tag
     * whose value is {@link ETag#ANY}; a list is read up to the first thing that is not a quoted
     * tag followed by a comma or the end (the rest is ignored, as aiohttp ignores it).
     *
     * @return the tags, read-only (empty if the header holds none that can be read), or null if
     *     the header is absent or empty
     */
    public List<ETag> ifMatch() {
        return ETags.parseList(headers().get("If-Match"));
    }

    /**
     * Returns the tags of {@code If-None-Match}: {@code request.if_none_match}; read as
     * {@link #ifMatch()}.
     *
     * @return the tags, read-only, or null if the header is absent or empty
     */
    public List<ETag> ifNoneMatch() {
        return ETags.parseList(headers().get("If-None-Match"));
    }

    /**
     * Returns the {@code If-Range} date: {@code request.if_range}.
     *
     * @return the date, or null if absent or not a valid HTTP date
     */
    public ZonedDateTime ifRange() {
        return httpDate("If-Range");
    }

    /**
     * Returns the byte range the {@code Range} header asks for: {@code request.http_range}. One
     * range only ({@code bytes=first-last}, {@code bytes=first-} or the suffix
     * {@code bytes=-length}); no header is the whole content.
     *
     * @return the slice of the content
     * @throws IllegalArgumentException (aiohttp's {@code ValueError}, with its messages) if the
     *     header is not one range of bytes ({@code range not in acceptable format}, also for
     *     several ranges), ends before it starts ({@code start cannot be after end}), or has
     *     neither end ({@code No start or end of range specified})
     * @since 0.2
     */
    public HttpRange httpRange() {
        return HttpRange.parse(headers().get("Range"));
    }

    private ZonedDateTime httpDate(String name) {
        String v = headers().get(name);
        if (v == null) {
            return null;
        }
        String date = v.strip();
        int comma = date.indexOf(',');
        date = date.substring(comma + 1).strip(); // the weekday, if any, is not checked
        if (!HTTP_DATE_SHAPE.matcher(date).matches()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date, HTTP_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // -------------------------------------------------------------------------------- internals

    /**
     * Adds the {@code name=value} pairs of one Cookie header to {@code out}, the first of a name
     * winning. A quoted value may hold {@code ;} and backslash escapes; a name alone has the
     * value {@code ""}; a name with a space or control character is skipped.
     */
    private static void parseCookies(String header, Map<String, String> out) {
        int n = header.length();
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            String name = header.substring(start, i).strip();
            StringBuilder value = new StringBuilder();
            if (i < n && header.charAt(i) == '=') {
                i++;
                while (i < n && header.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && header.charAt(i) == '"') {
                    for (i++; i < n && header.charAt(i) != '"'; i++) {
                        if (header.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(header.charAt(i));
                    }
                    i++; // the closing quote
                    while (i < n && header.charAt(i) != ';') {
                        i++; // anything after the quoted string
                    }
                } else {
                    int v = i;
                    while (i < n && header.charAt(i) != ';') {
                        i++;
                    }
                    value.append(header.substring(v, i).strip());
                }
            }
            i++; // the ';'
            if (!name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                out.putIfAbsent(name, value.toString());
            }
        }
    }

    /** The body as text in its charset; bytes that are not valid in it are refused (415, as aiohttp). */
    private String decodeBody(byte[] bytes) {
        Charset cs = bodyCharset();
        try {
            return cs.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw (HTTPException) new HTTPUnsupportedMediaType().text("415: Unsupported Media Type (the body is not valid "
                    + cs.name() + ")");
        }
    }

    private Charset bodyCharset() {
        return charsetOr(charset(), StandardCharsets.UTF_8);
    }

    private static Charset charsetOr(String name, Charset fallback) {
        if (name == null) {
            return fallback;
        }
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            throw (HTTPException) new HTTPUnsupportedMediaType().text("415: Unsupported Media Type (unknown charset " + name + ")");
        }
    }

    RequestHead head() {
        return head;
    }

    /**
     * The method the client sent, whatever a {@link #clone} says: the response is framed for it
     * (no body for a {@code HEAD}, the body for anything else).
     */
    String methodSent() {
        return origin.head.method();
    }

    RequestHandler connection() {
        return connection;
    }

    void route(MatchInfo match, Application handlingApp) {
        this.matchInfo = match;
        this.app = handlingApp;
    }

    StreamResponse response() {
        return origin.response;
    }

    void response(StreamResponse r) {
        origin.response = r;
    }

    void trailers(Headers t) {
        origin.trailers = t.readOnlyCopy();
    }

    @Override
    public String toString() {
        return "<Request " + method() + " " + rawPath() + " >";
    }
}
