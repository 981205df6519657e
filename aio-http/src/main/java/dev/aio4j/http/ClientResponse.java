package dev.aio4j.http;

import dev.aio4j.http.internal.BodyAdapters;
import dev.aio4j.http.internal.BodyPump;
import dev.aio4j.http.internal.CookieStore;
import dev.aio4j.http.internal.Exchange;
import dev.aio4j.http.internal.LinkHeader;
import dev.aio4j.http.internal.PullIterator;
import dev.aio4j.http.internal.ResponseHead;
import dev.aio4j.http.internal.Urls;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.StreamReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Flow;

/**
 * The response to a request: status, headers, and a body to read once, as a whole
 * ({@link #bytes()}, {@link #text()}) or as a stream ({@link #content()}).
 *
 * <p>A response holds a pooled connection until its body has been read to the end, which gives
 * the connection back to the pool at once, or until it is closed. Close every response, best with
 * try-with-resources; closing one whose body was not read to the end closes its connection
 * (unread bytes may still arrive on it), so the pool never hands out a connection in an unknown
 * state. Responses without a body (HEAD, 204, 304, a {@code Content-Length: 0}) release their
 * connection as soon as the head has arrived.
 *
 * <pre>{@code
 * try (ClientResponse r = session.get("https://example.com/")) {
 *     r.raiseForStatus();
 *     String page = r.text();
 * }
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientResponse} ({@code async with session.get(url) as r}).
 * <b>Differences:</b> {@code read()} is {@link #bytes()}; {@link #text()} decodes with the
 * charset of {@code Content-Type} and UTF-8 otherwise (no charset sniffing); {@code content} is
 * the method {@link #content()} returning an aio-streams {@link StreamReader}, and its
 * {@code iter_chunked(n)} and {@code iter_any()} are {@link #iterChunked(int)} and
 * {@link #iterAny()} on the response; {@code version} is a string ({@code "HTTP/1.1"});
 * {@code release()} and {@code close()} never suspend; {@link #json()} parses with the
 * session's {@link JsonCodec} (there is no default one); {@link #cookies()} is a read-only map
 * of name to {@link SetCookie} (a record where aiohttp has a {@code SimpleCookie} of
 * {@code Morsel}s; a quoted value keeps its quotes); {@link #links()} is a
 * {@link MultiDict} of {@code MultiDict<String>} whose {@code "url"} is a string; parameter names
 * are folded to lower case, single quotes are not quotes (aiohttp strips them), and a comma
 * ends a link even where aiohttp 3's split would not (unquoted, not followed by {@code <});
 * {@link #contentLength()} is an {@code OptionalLong}; {@link #requestInfo()} is a
 * {@link RequestInfo} record whose headers leave out the body's framing field.
 *
 * <p><b>Threading:</b> loop-confined; the body methods suspend the calling task.
 *
 * @since 0.1
 */
public final class ClientResponse implements AutoCloseable {
    /*
     * Maintainer notes. body != null once bytes() read it all (cached: text() and bytes() may be
     * called again). pump != null once content() started streaming; then bytes() refuses.
     */
    private final String method;
    /** The URL without its fragment: aiohttp's {@code url} (a ws:// request's in the ws scheme, as aiohttp keeps it). */
    private final URI url;
    /** The URL as requested, fragment kept: aiohttp's {@code real_url}. */
    private final URI realUrl;
    /** The fields the request was sent with (for {@link #requestInfo()}). */
    private final Headers requestHeaders;
    private final ResponseHead head;
    private final Exchange exchange;
    /** Set at creation; replaced once by {@link #history(List)} for a 3xx returned without a target. */
    private List<ClientResponse> history;
    private final long maxBodySize;
    private final JsonCodec jsonCodec;
    private byte[] body;
    private BodyPump pump;
    private StreamReader content;
    private boolean closed;
    private final EventLoop loop;
    /** {@link #cookies()}, {@link #links()}, {@link #contentDisposition()}: parsed on first use, then kept (aiohttp's reify). */
    private Map<String, SetCookie> cookies;
    private MultiDict<MultiDict<String>> links;
    private ContentDisposition contentDisposition;
    /** Whether {@link #contentDisposition} was read (it stays null when the response has none). */
    private boolean contentDispositionRead;
    private RequestInfo requestInfo;

    private static final System.Logger LOG = System.getLogger("dev.aio4j.http.client");

    ClientResponse(String method, URI url, Headers requestHeaders, ResponseHead head, Exchange exchange, List<ClientResponse> history,
                   long maxBodySize, JsonCodec jsonCodec) {
        this.maxBodySize = maxBodySize;
        this.jsonCodec = jsonCodec;
        this.method = method;
        this.realUrl = url;
        this.url = Urls.withoutFragment(url);
        this.requestHeaders = requestHeaders;
        this.head = head;
        this.exchange = exchange;
        this.history = List.copyOf(history);
        this.loop = Aio.getRunningLoop();
    }

    /**
     * Returns the status code, e.g. 200.
     *
     * @return the status code, e.g. 200
     */
    public int status() {
        return head.status();
    }

    /**
     * Returns the reason phrase, e.g. {@code "OK"}; may be empty.
     *
     * @return the reason phrase, e.g. {@code "OK"}; may be empty
     */
    public String reason() {
        return head.reason();
    }

    /**
     * Returns {@code "HTTP/1.1"} or {@code "HTTP/1.0"}.
     *
     * @return {@code "HTTP/1.1"} or {@code "HTTP/1.0"}
     */
    public String version() {
        return head.version();
    }

    /**
     * Returns the response headers, read-only and case-insensitive.
     *
     * @return the response headers, read-only and case-insensitive
     */
    public Headers headers() {
        return head.headers();
    }

    /** The exchange behind this response (the session's WebSocket handshake takes its connection). */
    Exchange exchange() {
        return exchange;
    }

    /**
     * Returns the URL of this response, without a fragment: after redirects, the last one
     * (aiohttp's {@code url}).
     *
     * @return the URL of this response, without a fragment
     */
    public URI url() {
        return url;
    }

    /**
     * Returns the URL of this response with the fragment the caller gave, which is never sent
     * (aiohttp's {@code real_url}); without a fragment, the same as {@link #url()}.
     *
     * @return the URL as requested, fragment kept
     * @since 0.2
     */
    public URI realUrl() {
        return realUrl;
    }

    /**
     * Returns the request this response answers: its URL (the last one after redirects), method
     * and the fields it was sent with (aiohttp's {@code request_info}).
     *
     * @return the request's URL, method, headers and real URL
     * @since 0.2
     */
    public RequestInfo requestInfo() {
        if (requestInfo == null) {
            requestInfo = new RequestInfo(url, method, requestHeaders, realUrl);
        }
        return requestInfo;
    }

    /**
     * Returns the {@code Content-Length} the response declared (aiohttp's
     * {@code content_length}), also where no body follows (a HEAD response's): empty if there is
     * none (a chunked body, one read until close) or it is not a number.
     *
     * @return the declared length, or empty
     * @since 0.2
     */
    public OptionalLong contentLength() {
        if (head.framing() == ResponseHead.Framing.LENGTH) {
            return OptionalLong.of(head.contentLength());
        }
        String v = head.headers().get("Content-Length");
        if (v == null) {
            return OptionalLong.empty();
        }
        String t = v.strip();
        if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(t));
    }

    /**
     * Returns the {@code Content-Disposition} field, parsed (aiohttp's
     * {@code content_disposition}), or {@code null} if the response has none. A malformed one
     * gives a {@code null} type and no parameters. Read once and kept.
     *
     * @return the parsed field, or {@code null}
     * @since 0.2
     */
    public ContentDisposition contentDisposition() {
        if (!contentDispositionRead) {
            String raw = head.headers().get("Content-Disposition");
            if (raw != null) {
                dev.aio4j.http.internal.ContentDisposition.Parsed p = dev.aio4j.http.internal.ContentDisposition.parse(raw);
                contentDisposition = new ContentDisposition(p.type(), p.params(),
                        dev.aio4j.http.internal.ContentDisposition.param(p.params(), "filename"));
            }
            contentDispositionRead = true;
        }
        return contentDisposition;
    }

    /**
     * Returns the cookies this response set, one per name (aiohttp's {@code cookies}, a
     * {@code SimpleCookie}): every {@code Set-Cookie} field read by the parser the
     * {@link CookieJar} uses, whatever a jar would make of it; of several with one name, the last
     * wins, in the place of the first. A malformed field (no {@code =}, an empty name, more than
     * 4096 characters) is logged at {@code WARNING} on {@code dev.aio4j.http.client} and skipped.
     * Read once and kept.
     *
     * @return name to cookie, in order, read-only; empty if none
     * @since 0.2
     */
    public Map<String, SetCookie> cookies() {
        if (cookies == null) {
            Map<String, SetCookie> out = new LinkedHashMap<>();
            for (String field : head.headers().getAll("Set-Cookie")) {
                CookieStore.Fields f = CookieStore.parse(field);
                if (f == null) {
                    LOG.log(System.Logger.Level.WARNING, () -> "ignored a malformed Set-Cookie from " + url + " (no name=value, an "
                            + "empty name, or over 4096 characters): " + dev.aio4j.loop.internal.Escaping.quote(field));
                    continue;
                }
                out.put(f.name(), new SetCookie(f.name(), f.value(), f.domain(), f.path(), f.expires(),
                        f.maxAge() == null ? null : Duration.ofSeconds(f.maxAge()), f.secure(), f.httpOnly(), f.sameSite()));
            }
            cookies = Collections.unmodifiableMap(out);
        }
        return cookies;
    }

    /**
     * Returns the links of the {@code Link} fields (RFC 8288; aiohttp's {@code links}), each under
     * its {@code rel} (the whole value, e.g. {@code "next"}), or, without one, its target as
     * sent: a multi-map of the link's parameters (names in lower case, values unquoted) followed
     * by {@code "url"}, the target resolved against {@link #url()}.
     *
     * <pre>{@code
     * MultiDict<String> next = response.links().get("next");
     * if (next != null) {
     *     page = session.get(next.get("url"));
     * }
     * }</pre>
     *
     * <p>Garbage is skipped, never thrown: a link that does not start with {@code <} is skipped
     * to the next comma; a parameter without a name, one named {@code url}, or one with an
     * unterminated quoted value is left out. Parsing is linear in the field's length. Read once
     * and kept.
     *
     * @return rel (or target) to link, in order, read-only; empty if none
     * @since 0.2
     */
    public MultiDict<MultiDict<String>> links() {
        if (links == null) {
            links = LinkHeader.links(url, head.headers().getAll("Link"));
        }
        return links;
    }

    /**
     * Returns the method of the request that got this response (after redirects, possibly GET).
     *
     * @return the method of the request that got this response (after redirects, possibly GET)
     */
    public String method() {
        return method;
    }

    /**
     * Returns the redirect responses that led here, oldest first (closed; empty if none). As in
     * aiohttp, a redirect status (301, 302, 303, 307, 308) returned because it has neither a
     * {@code Location} nor a {@code URI} header was counted as a redirect, so its history ends
     * with this response itself (which is not closed).
     *
     * @return the redirect responses that led here, oldest first
     */
    public List<ClientResponse> history() {
        return history;
    }

    /** The history of a 3xx returned without a target: aiohttp's {@code resp._history = tuple(history)}. */
    void history(List<ClientResponse> redirects) {
        this.history = List.copyOf(redirects);
    }

    /**
     * Returns whether the status is below 400 (aiohttp's {@code ok}).
     *
     * @return whether the status is below 400 (aiohttp's {@code ok})
     */
    public boolean ok() {
        return head.status() < 400;
    }

    /**
     * Returns the media type of {@code Content-Type} in lower case, without parameters; {@code application/octet-stream} if absent.
     *
     * @return the media type of {@code Content-Type} in lower case, without parameters; {@code application/octet-stream} if absent
     */
    public String contentType() {
        String ct = head.headers().get("Content-Type");
        if (ct == null) {
            return "application/octet-stream";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the {@code charset} parameter of {@code Content-Type}, or {@code null}.
     *
     * @return the {@code charset} parameter of {@code Content-Type}, or {@code null}
     */
    public String charset() {
        String ct = head.headers().get("Content-Type");
        if (ct == null) {
            return null;
        }
        for (String p : ct.split(";")) {
            String s = p.strip();
            int eq = s.indexOf('=');
            if (eq > 0 && s.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                String v = s.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /**
     * Throws if the status is 400 or more (aiohttp's {@code raise_for_status()}); the response is
     * released first.
     *
     * @throws ClientResponseError with the status, reason, URL, headers and redirect history
     */
    public void raiseForStatus() {
        if (head.status() >= 400) {
            release();
            throw error();
        }
    }

    ClientResponseError error() {
        return new ClientResponseError(requestInfo(), head.status(), head.reason(), historyUrls(), head.headers(), null);
    }

    /** The URLs of {@link #history()}, as a {@link ClientResponseError} carries them. */
    List<URI> historyUrls() {
        List<URI> urls = new ArrayList<>();
        for (ClientResponse h : history) {
            urls.add(h.url());
        }
        return urls;
    }

    /**
     * Reads the whole body (decompressed if the session decompresses) and releases the
     * connection. Called again, returns the same bytes.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * the connection is closed and the body is lost.
     *
     * @return the body
     * @throws ClientPayloadError if the body was cut short or malformed, or is larger than the
     *         request's {@code maxBodySize} (256 MiB by default; the message names the option), or
     *         decompresses to more than its {@code maxDecompressedSize} (1 GiB by default)
     * @throws ServerTimeoutError if the read or total timeout expired
     * @throws IllegalStateException if the body is being streamed by {@link #content()}, or the
     *         response was closed before its body was read
     */
    public byte[] bytes() {
        if (body != null) {
            return body;
        }
        if (pump != null) {
            throw new IllegalStateException("ClientResponse.bytes() called after content(): the body is being streamed; read it from content()");
        }
        if (closed && !exchange.done()) {
            throw new IllegalStateException("ClientResponse.bytes() called on a closed response whose body was not read: " + this);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (head.contentLength() > maxBodySize && !exchange.done()) {
                throw tooLarge("Content-Length is " + head.contentLength() + " bytes");
            }
            byte[] piece;
            while ((piece = exchange.nextBodyPiece()) != null) {
                if (out.size() + (long) piece.length > maxBodySize) {
                    throw tooLarge("more arrived");
                }
                out.write(piece, 0, piece.length);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        body = out.toByteArray();
        return body;
    }

    private ClientPayloadError tooLarge(String what) {
        return new ClientPayloadError("response body is larger than maxBodySize (" + maxBodySize + " bytes: " + what
                + "); raise it with RequestOption.maxBodySize(...) or ClientSession.Builder.maxBodySize(...), or stream the body "
                + "with content()", url, null);
    }

    /**
     * Reads the whole body as text, decoded with the charset of {@code Content-Type} (UTF-8 if it
     * names none or one the JDK does not know); malformed bytes become U+FFFD.
     *
     * <p><b>Cancellation:</b> as {@link #bytes()}.
     *
     * @return the body as text
     */
    public String text() {
        Charset cs = StandardCharsets.UTF_8;
        String name = charset();
        if (name != null) {
            try {
                cs = Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                cs = StandardCharsets.UTF_8;
            }
        }
        return text(cs);
    }

    /**
     * Reads the whole body as text in the given charset.
     *
     * <p><b>Cancellation:</b> as {@link #bytes()}.
     *
     * @param charset the charset
     * @return the body as text
     */
    public String text(Charset charset) {
        return new String(bytes(), charset);
    }

    /**
     * Reads the body and parses it as JSON with the session's {@link JsonCodec}, into whatever
     * your JSON library makes of untyped JSON (maps, lists, ...). aiohttp's
     * {@code await response.json()}: the {@code Content-Type} must be {@code application/json}
     * (or a {@code +json} type).
     *
     * <p><b>Cancellation:</b> as {@link #bytes()}.
     *
     * @return the parsed body
     * @throws IllegalStateException if the session has no {@link JsonCodec}
     * @throws ContentTypeError if the {@code Content-Type} is not JSON
     * @throws ClientPayloadError if the body is not valid JSON (the codec's error is the cause), or
     *         could not be read
     */
    public Object json() {
        return json(Object.class, "application/json");
    }

    /**
     * Reads the body and parses it as JSON into a {@code type} (a record or bean, as your JSON
     * library supports).
     *
     * <p><b>Cancellation:</b> as {@link #bytes()}.
     *
     * @param type the class to parse into
     * @param <T> the result type
     * @return the parsed body
     * @throws IllegalStateException if the session has no {@link JsonCodec}
     * @throws ContentTypeError if the {@code Content-Type} is not JSON
     * @throws ClientPayloadError if the body is not valid JSON for {@code type}
     */
    public <T> T json(Class<T> type) {
        return type.cast(json((java.lang.reflect.Type) type, "application/json"));
    }

    /**
     * Reads the body and parses it as JSON into {@code type}, which may be generic (e.g. from your
     * library's type token), checking {@code Content-Type} against {@code contentType} (aiohttp's
     * {@code json(content_type=...)}; {@code null} skips the check).
     *
     * <p><b>Cancellation:</b> as {@link #bytes()}.
     *
     * @param type what to parse into
     * @param contentType the expected media type; a {@code +json} type passes for
     *        {@code application/json}; {@code null} accepts any
     * @return the parsed body
     * @throws IllegalStateException if the session has no {@link JsonCodec}
     * @throws ContentTypeError if the {@code Content-Type} does not match
     * @throws ClientPayloadError if the body is not valid JSON for {@code type}
     */
    public Object json(java.lang.reflect.Type type, String contentType) {
        if (jsonCodec == null) {
            throw new IllegalStateException("ClientResponse.json() needs a JsonCodec, and this session has none: "
                    + dev.aio4j.http.internal.RequestSpec.JSON_ADVICE);
        }
        String ct = contentType();
        if (contentType != null) {
            String want = contentType.toLowerCase(Locale.ROOT);
            boolean ok = ct.equals(want) || want.equals("application/json") && ct.endsWith("+json");
            if (!ok) {
                release();
                throw new ContentTypeError(requestInfo(), head.status(), "attempt to decode JSON with unexpected mimetype: " + ct,
                        historyUrls(), head.headers());
            }
        }
        String text = text();
        try {
            return jsonCodec.decode(text, type);
        } catch (Exception e) {
            throw new ClientPayloadError("response body is not valid JSON for " + type.getTypeName() + " (" + e + ")", url, e);
        }
    }

    /**
     * Returns the body as an {@code InputStream}, for code that wants the JDK's blocking type (a
     * JSON parser, a file copy). Read in a task of the session's loop, a read suspends the task;
     * read on another thread (say, from {@code Aio.toThread}), it blocks that thread while the
     * loop reads. It reads through {@link #content()}, so memory stays bounded.
     *
     * @return the stream; closing it does not close the response
     * @throws IllegalStateException as {@link #content()}
     */
    public InputStream inputStream() {
        return BodyAdapters.inputStream(content(), loop);
    }

    /**
     * Returns the body as a {@code Flow.Publisher} of buffers for one subscriber: pieces are
     * read only as the subscriber requests them (back-pressure), signals come from the loop's
     * thread, and {@code cancel()} closes the response.
     *
     * @return the publisher
     * @throws IllegalStateException as {@link #content()}
     */
    public Flow.Publisher<ByteBuffer> publisher() {
        return BodyAdapters.publisher(content(), loop, this::close);
    }

    /**
     * The body as a stream, for bodies too large to hold in memory: read it with
     * {@link StreamReader#read(int)}, {@code readexactly} or {@code readline} until the end of
     * stream. A task feeds the reader and stops reading from the socket while the reader holds
     * more than twice its limit (64 KiB), so memory stays bounded whatever the body's size. At the
     * end of the body the connection goes back to the pool. A broken or cut-short body makes the
     * reader's methods throw the {@link ClientPayloadError} (or timeout error). A stream is not
     * bounded by {@code maxBodySize}, but a compressed body still stops at {@code maxDecompressedSize}. Called again,
     * returns the same reader; after {@link #bytes()}, a reader holding the read body.
     *
     * @return the reader
     * @throws IllegalStateException if the response was closed before its body was read
     */
    public StreamReader content() {
        if (content != null) {
            return content;
        }
        if (body != null) {
            StreamReader r = new StreamReader();
            r.feedData(body);
            r.feedEof();
            content = r;
            return r;
        }
        if (closed && !exchange.done()) {
            throw new IllegalStateException("ClientResponse.content() called on a closed response: " + this);
        }
        pump = new BodyPump(exchange, url, StreamReader.DEFAULT_LIMIT, () -> { });
        content = pump.start();
        return content;
    }

    /**
     * The body in pieces of at most {@code n} bytes, as they arrive (aiohttp's
     * {@code async for chunk in response.content.iter_chunked(n)}):
     *
     * <pre>{@code
     * for (byte[] chunk : r.iterChunked(65536)) {
     *     out.write(chunk);
     * }
     * }</pre>
     *
     * <p>It reads from {@link #content()}, so memory stays bounded by the reader's flow control
     * whatever the body's size, and pieces may be shorter than {@code n} (what had arrived). Each
     * {@code iterator()} continues where the body stands: a body is read once. A broken body makes
     * {@code hasNext()} throw the {@link ClientPayloadError} (or timeout error).
     *
     * <p><b>Cancellation:</b> {@code hasNext()} may suspend to wait for bytes; if the task is
     * cancelled meanwhile, nothing is consumed, and the response can still be closed.
     *
     * @param n the most bytes in one piece, &gt; 0
     * @return the pieces, never empty ones
     * @throws IllegalArgumentException if {@code n} is not positive
     * @throws IllegalStateException if the response was closed before its body was read
     */
    public Iterable<byte[]> iterChunked(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, got " + n);
        }
        StreamReader in = content();
        return () -> new Pieces(in, n);
    }

    /**
     * The body in pieces of whatever has arrived, as soon as it arrives (aiohttp's
     * {@code response.content.iter_any()}); bounded as {@link #iterChunked(int)} is.
     *
     * <p><b>Cancellation:</b> as {@link #iterChunked(int)}.
     *
     * @return the pieces, never empty ones
     * @throws IllegalStateException if the response was closed before its body was read
     */
    public Iterable<byte[]> iterAny() {
        StreamReader in = content();
        return () -> new Pieces(in, Integer.MAX_VALUE);
    }

    /** Reads the next piece of {@code in} when asked whether there is one. */
    private final class Pieces extends PullIterator<byte[]> {
        private final StreamReader in;
        private final int n;

        Pieces(StreamReader in, int n) {
            this.in = in;
            this.n = n;
        }

        @Override
        protected byte[] fetch() {
            byte[] piece;
            try {
                piece = in.read(n);
            } catch (IOException e) {
                throw new ClientPayloadError("cannot read the response body: " + e, url, e);
            }
            return piece.length == 0 ? null : piece;
        }

        @Override
        protected String endMessage() {
            return "the response body has ended: " + ClientResponse.this;
        }
    }

    /**
     * Gives the connection back: to the pool if the body was read to the end, otherwise closed.
     * Never suspends (aiohttp's {@code release()}).
     */
    public void release() {
        if (pump != null) {
            if (!exchange.done()) {
                pump.stop();
            }
        } else {
            exchange.abort();
        }
    }

    /**
     * Takes what has already arrived of a small body without waiting (a redirect's: its connection
     * is then reused if the whole body was there; the caller closes the response next).
     */
    void takeArrived() {
        if (pump == null) {
            exchange.takeArrived();
        }
    }

    /** Releases the connection (see {@link #release()}) and marks the response closed. Never suspends. */
    @Override
    public void close() {
        closed = true;
        release();
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
     * Returns e.g. {@code ClientResponse[200 OK, GET http://h/x, released]}.
     *
     * @return e.g. {@code ClientResponse[200 OK, GET http://h/x, released]}
     */
    @Override
    public String toString() {
        return "ClientResponse[" + head.status() + (head.reason().isEmpty() ? "" : " " + head.reason()) + ", " + method + " " + url
                + (exchange.done() ? ", released" : exchange.failed() ? ", connection closed" : ", body pending")
                + (closed ? ", closed" : "") + "]";
    }
}
