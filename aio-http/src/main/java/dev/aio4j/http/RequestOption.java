package dev.aio4j.http;

import dev.aio4j.http.internal.BodyAdapters;
import dev.aio4j.http.internal.InsecureTls;
import dev.aio4j.http.internal.RequestBody;
import dev.aio4j.http.internal.RequestSerializer;
import dev.aio4j.http.internal.RequestSpec;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * One option of a request: query parameters, headers, a body, or a per-request setting. Pass any
 * number of them to {@link ClientSession#request} and its shortcuts:
 *
 * <pre>{@code
 * import static dev.aio4j.http.RequestOption.*;
 *
 * try (ClientResponse r = session.post("/search", params("q", "aio4j"), header("X-Trace", "1"),
 *                                      form("user", "ada", "lang", "java"))) {
 *     System.out.println(r.text());
 * }
 * }</pre>
 *
 * <p>Bodies: {@link #body(byte[])} and {@link #body(String)} send a {@code Content-Length};
 * {@link #form} sends urlencoded fields; {@link #file(Path)} sends a file read in pieces;
 * {@link #chunks(Iterable)} sends a stream of chunks with {@code Transfer-Encoding: chunked}. At
 * most one body per request. A {@code Content-Type} header given with {@link #header} wins over
 * the body's default. {@code Content-Length} and {@code Transfer-Encoding} come from the body and
 * must not be given as headers.
 *
 * <p><b>aiohttp:</b> the keyword arguments of {@code ClientSession.request()}: {@code params},
 * {@code headers}, {@code data} (bytes, str, a dict of form fields, a file, an async iterable),
 * {@code timeout}, {@code allow_redirects}, {@code max_redirects}, {@code raise_for_status},
 * {@code expect100}, {@code json}, {@code auth}, {@code proxy}, {@code proxy_auth},
 * {@code proxy_headers}, {@code middlewares}, and yarl's {@code encoded=True}.
 * <b>Differences:</b> Java has no keyword arguments, so each one is a value made by a static
 * factory; {@code json=} needs a {@link JsonCodec} on the session (aio-http has no JSON library
 * of its own); {@link #data(FormData)} sends urlencoded or multipart forms, and
 * {@link #data(MultipartWriter)} any multipart body (aiohttp's {@code data=MultipartWriter(...)}).
 *
 * @since 0.1
 */
public final class RequestOption {
    enum Kind { PARAMS, HEADERS, BODY, TIMEOUT, ALLOW_REDIRECTS, MAX_REDIRECTS, RAISE_FOR_STATUS, EXPECT100, ENCODED, MAX_BODY_SIZE,
        MAX_DECOMPRESSED_SIZE, AUTH, STATUS_CHECK, JSON, PROXY, PROXY_AUTH, PROXY_HEADERS, SSL,
        MIDDLEWARES }

    /** Seconds {@link #expect100()} waits for the interim 100 before sending the body anyway. */
    static final double DEFAULT_CONTINUE_WAIT = RequestSpec.DEFAULT_CONTINUE_WAIT;

    /** The body of a request as the option gave it; the session turns it into a request body. */
    record Body(Object data, String contentType) {
        RequestBody toRequestBody() {
            if (data instanceof byte[] bytes) {
                return new RequestBody.Bytes(bytes, contentType);
            }
            if (data instanceof Path p) {
                return new RequestBody.FileBody(p, contentType);
            }
            if (data instanceof Form form) {
                return new RequestBody.Bytes(RequestSerializer.formUrlencoded(form.fields()), RequestSerializer.FORM_CONTENT_TYPE);
            }
            if (data instanceof FormData form) {
                return form.inMemory() ? new RequestBody.Bytes(form.toBytes(), form.contentType())
                        : new RequestBody.Chunks(form.chunks(), form.contentType());
            }
            if (data instanceof MultipartWriter mp) {
                Iterable<byte[]> pieces = mp.chunks(); // checks the body now, before anything is sent
                return mp.inMemory() ? new RequestBody.Bytes(mp.toBytes(), mp.contentType())
                        : new RequestBody.Chunks(pieces, mp.contentType());
            }
            if (data instanceof Iterable<?> chunks) {
                @SuppressWarnings("unchecked")
                Iterable<byte[]> c = (Iterable<byte[]>) chunks;
                return new RequestBody.Chunks(c, contentType);
            }
            throw new AssertionError(data);
        }
    }

    /** A value for a JSON body (it may be null, which a JSON codec writes as {@code null}). */
    record JsonValue(Object value) {}

    /** Form fields, told apart from a list of chunks. */
    record Form(List<Map.Entry<String, String>> fields) {}

    final Kind kind;
    final Object value;

    private RequestOption(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    /**
     * Query parameters added to the URL's query (aiohttp's {@code params=}), UTF-8
     * percent-encoded, in order; repeated names are kept.
     *
     * @param namesAndValues name, value, name, value...
     * @return the option
     * @throws IllegalArgumentException if the count is odd
     */
    public static RequestOption params(String... namesAndValues) {
        return new RequestOption(Kind.PARAMS, pairs(namesAndValues, "params"));
    }

    /**
     * Query parameters from a map, in its iteration order.
     *
     * @param params names and values
     * @return the option
     */
    public static RequestOption params(Map<String, String> params) {
        return new RequestOption(Kind.PARAMS, entries(params));
    }

    /**
     * One request header, added to the session's default headers (it replaces a default of the
     * same name).
     *
     * @param name the field name, a token
     * @param value the value
     * @return the option
     */
    public static RequestOption header(String name, String value) {
        return new RequestOption(Kind.HEADERS, Headers.of(name, value));
    }

    /**
     * Request headers (aiohttp's {@code headers=}); each name replaces a session default of the
     * same name.
     *
     * @param headers the fields
     * @return the option
     * @throws IllegalArgumentException if a field cannot be sent (see {@link Headers#copyOf})
     */
    public static RequestOption headers(Headers headers) {
        return new RequestOption(Kind.HEADERS, Headers.copyOf(Objects.requireNonNull(headers, "headers must not be null")));
    }

    /**
     * A body of bytes, sent with {@code Content-Length} and
     * {@code Content-Type: application/octet-stream} unless a header says otherwise.
     *
     * @param data the bytes (not copied: do not change them until the request is sent)
     * @return the option
     */
    public static RequestOption body(byte[] data) {
        return body(data, "application/octet-stream");
    }

    /**
     * A body of bytes with its content type.
     *
     * @param data the bytes
     * @param contentType the {@code Content-Type}
     * @return the option
     */
    public static RequestOption body(byte[] data, String contentType) {
        Objects.requireNonNull(data, "data must not be null");
        return new RequestOption(Kind.BODY, new Body(data, contentType));
    }

    /**
     * A text body, encoded as UTF-8, with {@code Content-Type: text/plain; charset=utf-8}.
     *
     * @param text the text
     * @return the option
     */
    public static RequestOption body(String text) {
        return body(text, "text/plain; charset=utf-8");
    }

    /**
     * A text body, encoded as UTF-8, with this content type (give its charset as UTF-8).
     *
     * @param text the text
     * @param contentType the {@code Content-Type}
     * @return the option
     */
    public static RequestOption body(String text, String contentType) {
        Objects.requireNonNull(text, "text must not be null");
        return body(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /**
     * Form fields, sent as {@code application/x-www-form-urlencoded} (aiohttp's {@code data=}
     * with a dict).
     *
     * @param namesAndValues name, value, name, value...
     * @return the option
     * @throws IllegalArgumentException if the count is odd
     */
    public static RequestOption form(String... namesAndValues) {
        return new RequestOption(Kind.BODY, new Body(new Form(pairs(namesAndValues, "form")), null));
    }

    /**
     * Form fields from a map, in its iteration order.
     *
     * @param fields names and values
     * @return the option
     */
    public static RequestOption form(Map<String, String> fields) {
        return new RequestOption(Kind.BODY, new Body(new Form(entries(fields)), null));
    }

    /**
     * A {@link FormData}: urlencoded, or {@code multipart/form-data} once it has a file or a typed
     * field (aiohttp's {@code data=FormData(...)}). A form held in memory is sent with a
     * {@code Content-Length} and may be sent again (redirects, the stale-connection retry); one
     * with a file on disk is streamed with {@code Transfer-Encoding: chunked}, once.
     *
     * @param form the form
     * @return the option
     */
    public static RequestOption data(FormData form) {
        Objects.requireNonNull(form, "form must not be null");
        return new RequestOption(Kind.BODY, new Body(form, null));
    }

    /**
     * A {@link MultipartWriter}'s body (aiohttp's {@code data=MultipartWriter(...)}), sent with the
     * writer's {@code Content-Type} (a {@code Content-Type} header given with {@link #header}
     * wins). A body whose parts are all in memory is sent with a {@code Content-Length} and may be
     * sent again (redirects, the stale-connection retry); one with a file part is streamed with
     * {@code Transfer-Encoding: chunked}, once. The writer is read when the request is made, so
     * parts appended later are not sent.
     *
     * @param writer the writer
     * @return the option
     */
    public static RequestOption data(MultipartWriter writer) {
        Objects.requireNonNull(writer, "writer must not be null");
        return new RequestOption(Kind.BODY, new Body(writer, null));
    }

    /**
     * The contents of a file, sent with {@code Content-Length} (its size when the request is sent)
     * and read in 64 KiB pieces on the loop's executor, so the loop never blocks on the disk.
     *
     * @param file the file
     * @return the option
     */
    public static RequestOption file(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        return new RequestOption(Kind.BODY, new Body(file, "application/octet-stream"));
    }

    /**
     * A stream of chunks, sent with {@code Transfer-Encoding: chunked} as they come. The iterator
     * runs in the requesting task and may suspend. Such a body can be sent only once, so a
     * 307/308 redirect is not followed, and a failed request is retried only if the body had not
     * begun to be sent (it was held back for {@code 100 Continue}).
     *
     * @param chunks the chunks; empty ones are skipped
     * @return the option
     */
    public static RequestOption chunks(Iterable<byte[]> chunks) {
        Objects.requireNonNull(chunks, "chunks must not be null");
        return new RequestOption(Kind.BODY, new Body(chunks, "application/octet-stream"));
    }

    /**
     * A body read from an {@code InputStream} (aiohttp's {@code data=} with a file-like object),
     * sent with {@code Transfer-Encoding: chunked} in 64 KiB pieces read on the loop's executor
     * (the stream may block); the stream is closed at its end. It can be sent once: a redirect
     * that needs the body again fails.
     *
     * @param in the stream
     * @return the option
     */
    public static RequestOption body(InputStream in) {
        Objects.requireNonNull(in, "in must not be null");
        return new RequestOption(Kind.BODY, new Body(BodyAdapters.chunks(in), "application/octet-stream"));
    }

    /**
     * A body from a {@code Flow.Publisher} of buffers (aiohttp's {@code data=} with an async
     * iterable), sent with {@code Transfer-Encoding: chunked}; buffers are requested one at a
     * time, so a fast publisher never runs ahead of the socket. It can be sent once.
     *
     * @param publisher the publisher; its {@code onError} fails the request
     * @return the option
     */
    public static RequestOption body(Flow.Publisher<ByteBuffer> publisher) {
        Objects.requireNonNull(publisher, "publisher must not be null");
        return new RequestOption(Kind.BODY, new Body(BodyAdapters.chunks(publisher), "application/octet-stream"));
    }

    /**
     * Timeouts for this request instead of the session's.
     *
     * @param timeout the limits
     * @return the option
     */
    public static RequestOption timeout(ClientTimeout timeout) {
        return new RequestOption(Kind.TIMEOUT, Objects.requireNonNull(timeout, "timeout must not be null"));
    }

    /**
     * Whether to follow redirects for this request (aiohttp's {@code allow_redirects}).
     *
     * @param allow {@code false} to return the 3xx response itself
     * @return the option
     */
    public static RequestOption allowRedirects(boolean allow) {
        return new RequestOption(Kind.ALLOW_REDIRECTS, allow);
    }

    /**
     * The redirect limit of this request, counted as aiohttp's {@code max_redirects}: the
     * {@code max}-th redirect response throws {@link TooManyRedirects} (so 10 follows 9); 0 is no
     * limit (a redirect loop is still caught).
     *
     * @param max &gt;= 0
     * @return the option
     */
    public static RequestOption maxRedirects(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0, got " + max);
        }
        return new RequestOption(Kind.MAX_REDIRECTS, max);
    }

    /**
     * Whether a status of 400 or more throws {@link ClientResponseError} for this request.
     *
     * @param raise the setting
     * @return the option
     */
    public static RequestOption raiseForStatus(boolean raise) {
        return new RequestOption(Kind.RAISE_FOR_STATUS, raise);
    }

    /**
     * Sends the body only once the server agrees: the head goes out with
     * {@code Expect: 100-continue}, then the request waits up to 1 second for the server's answer
     * (aiohttp's {@code expect100=True}). See {@link #expect100(double)}.
     *
     * @return the option
     */
    public static RequestOption expect100() {
        return expect100(DEFAULT_CONTINUE_WAIT);
    }

    /**
     * Sends the body only once the server agrees, waiting at most {@code waitSeconds} for it
     * (RFC 9110 section 10.1.1). The head goes out with {@code Expect: 100-continue}; then:
     * <ul>
     *   <li>an interim {@code 100 Continue} sends the body, and the final response follows;</li>
     *   <li>a final response (a 417, a 401, a redirect...) ends the request without sending the
     *       body; it is returned as usual, and its connection is closed afterwards rather than
     *       reused, since the server may still be waiting for the announced body;</li>
     *   <li>silence for {@code waitSeconds} sends the body anyway, for servers that ignore
     *       {@code Expect}.</li>
     * </ul>
     * A request without a body sends no {@code Expect} and does not wait. The request's
     * {@link ClientTimeout} limits apply while it waits ({@code sockRead} included). Giving the
     * header {@code Expect: 100-continue} yourself has the effect of {@link #expect100()}.
     *
     * <p><b>aiohttp:</b> {@code expect100=True}. <b>Differences:</b> aiohttp waits for the
     * interim response with no limit of its own (only the request's timeouts end the wait);
     * aio-http sends the body after {@code waitSeconds}, as curl does.
     *
     * @param waitSeconds how long to wait for the server's answer before sending the body; 0
     *     sends it at once (only the header remains)
     * @return the option
     * @throws IllegalArgumentException if {@code waitSeconds} is negative, NaN or infinite
     */
    public static RequestOption expect100(double waitSeconds) {
        if (!(waitSeconds >= 0) || Double.isInfinite(waitSeconds)) {
            throw new IllegalArgumentException("expect100 wait must be a finite number of seconds >= 0, got " + waitSeconds);
        }
        return new RequestOption(Kind.EXPECT100, waitSeconds);
    }

    /**
     * {@link #expect100(double)} with the wait as a {@link Duration}.
     *
     * @param wait how long to wait for the server's answer before sending the body
     * @return the option
     * @throws IllegalArgumentException if {@code wait} is negative
     */
    public static RequestOption expect100(Duration wait) {
        Objects.requireNonNull(wait, "wait must not be null");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("expect100 wait must be >= 0, got " + wait);
        }
        return expect100(wait.getSeconds() + wait.getNano() / 1e9);
    }

    /**
     * A JSON body (aiohttp's {@code json=}): {@code value} serialized by the session's
     * {@link JsonCodec}, sent as UTF-8 with {@code Content-Type: application/json} (a
     * {@code Content-Type} header given with {@link #header} wins) and a {@code Content-Length}.
     * It counts as the request's one body.
     *
     * <p>The request throws {@link IllegalStateException} if the session has no codec
     * ({@link ClientSession.Builder#jsonCodec(JsonCodec)}), and {@link IllegalArgumentException}
     * if the codec cannot serialize the value.
     *
     * @param value what to serialize, possibly {@code null}
     * @return the option
     */
    public static RequestOption json(Object value) {
        return new RequestOption(Kind.JSON, new JsonValue(value));
    }

    /**
     * Basic credentials for this request, instead of the session's (aiohttp's {@code auth=}). They
     * go out as {@code Authorization: Basic ...}, follow redirects within the origin and are
     * dropped at a redirect to another origin. Giving an {@code Authorization} header as well is
     * refused ({@link IllegalArgumentException} when the request is made), as in aiohttp.
     *
     * @param auth the credentials
     * @return the option
     */
    public static RequestOption auth(BasicAuth auth) {
        return new RequestOption(Kind.AUTH, Objects.requireNonNull(auth, "auth must not be null"));
    }

    /**
     * Sends this request through an HTTP proxy, instead of the session's proxy or the environment's
     * (aiohttp's {@code proxy=}). An http URL is sent to the proxy in absolute form
     * ({@code GET http://host/path HTTP/1.1}); an https URL goes through a tunnel the proxy opens
     * with {@code CONNECT host:443}, and TLS runs with the origin inside it. The proxy URL's
     * user-info ({@code http://user:pass@proxy:3128}) becomes the proxy credentials, as in
     * aiohttp, unless {@link #proxyAuth(BasicAuth)} gives them. Redirects of this request go
     * through the same proxy. Only {@code http://} proxy URLs are accepted ({@link InvalidURL}
     * when the request is made otherwise).
     *
     * @param url the proxy, such as {@code http://127.0.0.1:3128}
     * @return the option
     */
    public static RequestOption proxy(String url) {
        return new RequestOption(Kind.PROXY, Objects.requireNonNull(url, "proxy must not be null"));
    }

    /**
     * Credentials for the proxy of this request, sent as {@code Proxy-Authorization: Basic ...} to
     * the proxy alone (in the {@code CONNECT} for https, in each request for http), never to the
     * origin (aiohttp's {@code proxy_auth=}). They apply to the proxy given with
     * {@link #proxy(String)} or the session's; a proxy taken from the environment uses its URL's
     * user-info instead, as in aiohttp.
     *
     * @param auth the credentials
     * @return the option
     */
    public static RequestOption proxyAuth(BasicAuth auth) {
        return new RequestOption(Kind.PROXY_AUTH, Objects.requireNonNull(auth, "proxyAuth must not be null"));
    }

    /**
     * Header fields sent to the proxy of this request: with the {@code CONNECT} for https, with
     * each request for http (aiohttp's {@code proxy_headers=}). Like {@link #proxyAuth}, for the
     * proxy given with {@link #proxy(String)} or the session's.
     *
     * @param headers the fields
     * @return the option
     * @throws IllegalArgumentException if a field cannot be sent (see {@link Headers#copyOf})
     */
    public static RequestOption proxyHeaders(Headers headers) {
        return new RequestOption(Kind.PROXY_HEADERS, Headers.copyOf(Objects.requireNonNull(headers, "proxyHeaders must not be null")).readOnlyCopy());
    }

    /**
     * Calls {@code check} with the final response (after redirects) before the request returns
     * it, instead of the boolean rule (aiohttp's {@code raise_for_status=} given a callable). To
     * refuse the response, throw: the response is closed and the exception propagates from the
     * request. The check runs in the requesting task and may read the body.
     *
     * @param check the check
     * @return the option
     */
    public static RequestOption raiseForStatus(java.util.function.Consumer<? super ClientResponse> check) {
        return new RequestOption(Kind.STATUS_CHECK, Objects.requireNonNull(check, "raiseForStatus check must not be null"));
    }

    /**
     * Whether the request's URL is already encoded (yarl's {@code URL(..., encoded=True)}). By
     * default ({@code false}) the path, query and fragment are percent-encoded as UTF-8 where they
     * must be ({@code café} becomes {@code caf%C3%A9}, a space {@code %20}, a lone {@code %}
     * {@code %25}), what is already encoded is kept ({@code %2F} stays {@code %2F}), dot
     * segments are removed, and a non-ASCII host is sent as IDN A-labels. With {@code true} an
     * absolute URL is sent as it is given, dot segments included (a relative one is still resolved
     * against the base URL by RFC 3986); it must be plain ASCII without spaces or control
     * characters, or {@link InvalidURL} is thrown.
     *
     * @param encoded {@code true} to send the URL as it is
     * @return the option
     */
    public static RequestOption encoded(boolean encoded) {
        return new RequestOption(Kind.ENCODED, encoded);
    }

    /**
     * The most bytes {@link ClientResponse#bytes()} and {@link ClientResponse#text()} read for
     * this request (after decompression), instead of the session's (256 MiB by default). A
     * larger body fails with {@link ClientPayloadError} naming this limit; the connection is
     * closed. {@link ClientResponse#content()} is not bounded by it (flow control bounds the
     * memory of a stream).
     *
     * @param bytes &gt; 0
     * @return the option
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static RequestOption maxBodySize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxBodySize must be > 0, got " + bytes);
        }
        return new RequestOption(Kind.MAX_BODY_SIZE, bytes);
    }

    /**
     * The most bytes a gzip or deflate body may decompress to for this request, however it is
     * read, instead of the session's (1 GiB by default): a guard against decompression bombs.
     * Beyond it the body fails with {@link ClientPayloadError} naming this limit.
     *
     * @param bytes &gt; 0
     * @return the option
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public static RequestOption maxDecompressedSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedSize must be > 0, got " + bytes);
        }
        return new RequestOption(Kind.MAX_DECOMPRESSED_SIZE, bytes);
    }

    /** Stands for "the session's TLS context" in an {@code ssl(true)} option. */
    private static final Object NO_SSL_CONTEXT = new Object();

    /**
     * The TLS configuration of this request, instead of the session's: aiohttp's per-request
     * {@code ssl=SSLContext}. Connections made with it are pooled apart from the others.
     *
     * @param context the context (its trust store decides which servers are trusted)
     * @return the option
     */
    public static RequestOption ssl(SSLContext context) {
        return new RequestOption(Kind.SSL, Objects.requireNonNull(context, "ssl context must not be null"));
    }

    /**
     * {@code ssl(false)} turns certificate and host name verification off for this request:
     * aiohttp's {@code ssl=False}, for a test server with a self-signed certificate. Every
     * connection made so is logged at WARNING (logger {@code dev.aio4j.http.client}): anyone on
     * the path can read and change such traffic. {@code ssl(true)} is the session's setting.
     *
     * @param verify false to skip verification
     * @return the option
     */
    public static RequestOption ssl(boolean verify) {
        return new RequestOption(Kind.SSL, verify ? NO_SSL_CONTEXT : InsecureTls.context());
    }

    /**
     * The client middlewares of this request, instead of the session's (aiohttp's per-request
     * {@code middlewares=}): they replace {@link ClientSession.Builder#middlewares} for this
     * request, and {@code middlewares()} with none turns the session's off (aiohttp's
     * {@code middlewares=()}), e.g. for a request a middleware makes itself. The first is the
     * outermost. Given twice, the last wins.
     *
     * @param middlewares the middlewares, outermost first; none to run none
     * @return the option
     * @throws NullPointerException if one is null
     * @since 0.2
     */
    public static RequestOption middlewares(ClientMiddleware... middlewares) {
        Objects.requireNonNull(middlewares, "middlewares must not be null (give none to turn the session's off)");
        for (int i = 0; i < middlewares.length; i++) {
            Objects.requireNonNull(middlewares[i], "middlewares[" + i + "] must not be null");
        }
        return new RequestOption(Kind.MIDDLEWARES, List.of(middlewares));
    }

    /** The middlewares the last {@link #middlewares} option among {@code options} gives, or null if none does. */
    @SuppressWarnings("unchecked")
    static List<ClientMiddleware> middlewaresOf(RequestOption[] options) {
        List<ClientMiddleware> found = null;
        for (RequestOption o : options) {
            if (o.kind == Kind.MIDDLEWARES) {
                found = (List<ClientMiddleware>) o.value;
            }
        }
        return found;
    }

    /** Applies this option to a request being built (the session's side of the options). */
    void applyTo(RequestSpec.Builder b) {
        switch (kind) {
            case PARAMS -> {
                @SuppressWarnings("unchecked")
                List<Map.Entry<String, String>> p = (List<Map.Entry<String, String>>) value;
                b.params(p);
            }
            case HEADERS -> b.headers((Headers) value);
            case BODY -> {
                Body body = (Body) value;
                b.body(body.toRequestBody(), body.data().getClass().getSimpleName());
            }
            case TIMEOUT -> b.timeout((ClientTimeout) value);
            case ALLOW_REDIRECTS -> b.allowRedirects((Boolean) value);
            case MAX_REDIRECTS -> b.maxRedirects((Integer) value);
            case RAISE_FOR_STATUS -> b.raiseForStatus((Boolean) value);
            case EXPECT100 -> b.expectContinue((Double) value);
            case ENCODED -> b.encoded((Boolean) value);
            case MAX_BODY_SIZE -> b.maxBodySize((Long) value);
            case MAX_DECOMPRESSED_SIZE -> b.maxDecompressedSize((Long) value);
            case AUTH -> b.auth((BasicAuth) value);
            case JSON -> b.json(((JsonValue) value).value());
            case PROXY -> b.proxy((String) value);
            case PROXY_AUTH -> b.proxyAuth((BasicAuth) value);
            case PROXY_HEADERS -> b.proxyHeaders((Headers) value);
            case SSL -> b.ssl(value == NO_SSL_CONTEXT ? null : (SSLContext) value);
            case MIDDLEWARES -> { } // the session's side: ClientSession.request reads them with middlewaresOf
            case STATUS_CHECK -> {
                @SuppressWarnings("unchecked")
                java.util.function.Consumer<? super ClientResponse> check = (java.util.function.Consumer<? super ClientResponse>) value;
                b.raiseForStatus(check);
            }
        }
    }

    private static List<Map.Entry<String, String>> pairs(String[] nv, String what) {
        if (nv.length % 2 != 0) {
            throw new IllegalArgumentException(what + " must be given as name, value pairs, got " + nv.length + " strings");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < nv.length; i += 2) {
            out.add(Map.entry(Objects.requireNonNull(nv[i], what + " name must not be null"),
                    Objects.requireNonNull(nv[i + 1], what + " value must not be null")));
        }
        return List.copyOf(out);
    }

    private static List<Map.Entry<String, String>> entries(Map<String, String> m) {
        Objects.requireNonNull(m, "map must not be null");
        List<Map.Entry<String, String>> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(Map.entry(k, v)));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "RequestOption[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
