package dev.aio4j.http.web;

import dev.aio4j.http.ETag;
import dev.aio4j.http.Headers;
import dev.aio4j.http.internal.ETags;
import dev.aio4j.http.internal.ReasonPhrases;
import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A response whose body the handler writes piece by piece: prepare it, write, finish.
 *
 * <pre>{@code
 * Handler ticker = request -> {
 *     StreamResponse response = new StreamResponse();
 *     response.contentType("text/plain");
 *     response.prepare(request);                 // sends the head (chunked: no length known)
 *     for (int i = 0; i < 10; i++) {
 *         response.write(("tick " + i + "\n").getBytes(UTF_8));
 *         response.drain();                      // waits while the client reads slowly
 *         Aio.sleep(1);
 *     }
 *     response.writeEof();
 *     return response;
 * };
 * }</pre>
 *
 * <p>The body is sent with {@code Content-Length} when {@link #contentLength(long)} was set,
 * else chunked (HTTP/1.1) or until the connection closes (HTTP/1.0). A {@code HEAD} request, a
 * 204 and a 304 get the head alone: writes are counted and dropped. Writing more than the
 * declared Content-Length throws; writing fewer closes the connection after the response
 * (the client cannot tell where it ends otherwise).
 *
 * <p><b>aiohttp:</b> {@code web.StreamResponse}. <b>Differences:</b> properties are methods;
 * {@code prepare}, {@code write}, {@code drain} and {@code write_eof} suspend directly;
 * {@code set_cookie}'s keyword arguments are the setters of the {@link ResponseCookie} it
 * returns; {@code enable_compression(force=ContentCoding.gzip)} is
 * {@link #enableCompression(String)}.
 *
 * <p><b>Threading:</b> confined to the loop that serves the request.
 *
 * <p>Sealed: {@link Response}, {@link FileResponse} and {@link WebSocketResponse} are the other kinds; write a handler
 * (or a factory method) instead of a subclass.
 *
 * @since 0.2
 */
public sealed class StreamResponse permits Response, FileResponse, WebSocketResponse {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private int status;
    private String reason;
    private final Headers headers;
    private final Map<String, ResponseCookie> cookies = new LinkedHashMap<>();
    private boolean chunked;
    private String compression;
    private boolean forceClose;
    private PayloadWriter writer;
    private boolean eofSent;

    /** A 200 response. */
    public StreamResponse() {
        this(200, null, null);
    }

    /**
     * A response with a status.
     *
     * @param status 100 to 999
     */
    public StreamResponse(int status) {
        this(status, null, null);
    }

    /**
     * A response with a status, a reason and headers.
     *
     * @param status 100 to 999
     * @param reason the reason phrase, or null for the standard one
     * @param headers headers to copy, or null
     */
    public StreamResponse(int status, String reason, Headers headers) {
        setStatus(status, reason);
        this.headers = headers == null ? new Headers() : Headers.copyOf(headers);
    }

    // ------------------------------------------------------------------------- status, headers

    /**
     * Returns the status: {@code response.status}.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * Returns the reason phrase: {@code response.reason}.
     *
     * @return the reason, standard for the status unless one was given
     */
    public String reason() {
        return reason;
    }

    /**
     * Sets the status and its standard reason: {@code response.set_status(status)}.
     *
     * @param status 100 to 999
     * @return this response
     * @throws IllegalStateException after {@link #prepare}
     */
    public StreamResponse setStatus(int status) {
        return setStatus(status, null);
    }

    /**
     * Sets the status and the reason: {@code response.set_status(status, reason)}.
     *
     * @param status 100 to 999
     * @param reason the reason phrase (no CR, LF or other control but HTAB; only ISO-8859-1), or
     *     null for the standard one
     * @return this response
     * @throws IllegalArgumentException if the status is out of range or the reason holds a
     *     control character or a character beyond ISO-8859-1
     * @throws IllegalStateException after {@link #prepare}
     */
    public StreamResponse setStatus(int status, String reason) {
        checkNotPrepared("set the status");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be a three-digit code from 100 to 999, got " + status);
        }
        if (reason != null) {
            HTTPException.checkReason(reason); // no CR, LF or other control but HTAB; only ISO-8859-1
        }
        this.status = status;
        this.reason = reason != null ? reason : ReasonPhrases.of(status);
        return this;
    }

    /**
     * Returns the header fields, modifiable until {@link #prepare}: {@code response.headers}.
     *
     * @return the headers
     */
    public Headers headers() {
        return headers;
    }

    /**
     * Returns the media type of the Content-Type header: {@code response.content_type}.
     *
     * @return e.g. {@code text/plain}, or {@code application/octet-stream} if unset
     */
    public String contentType() {
        String mt = ContentTypes.mediaType(headers.get("Content-Type"));
        return mt == null ? "application/octet-stream" : mt;
    }

    /**
     * Sets the media type, keeping the charset: {@code response.content_type = value}.
     *
     * @param contentType the media type, without parameters
     * @return this response
     */
    public StreamResponse contentType(String contentType) {
        Checks.notNull(contentType, "contentType");
        headers.set("Content-Type", ContentTypes.withCharset(contentType, charset()));
        return this;
    }

    /**
     * Returns the charset parameter of the Content-Type: {@code response.charset}.
     *
     * @return the charset, or null
     */
    public String charset() {
        return ContentTypes.charsetOf(headers.get("Content-Type"));
    }

    /**
     * Sets the charset parameter: {@code response.charset = value}.
     *
     * @param charset the charset name, or null to remove it
     * @return this response
     * @throws IllegalArgumentException if the content type is {@code application/octet-stream},
     *     which takes no charset (as aiohttp)
     */
    public StreamResponse charset(String charset) {
        String ct = contentType();
        if (charset != null && ct.equals("application/octet-stream")) {
            throw new IllegalArgumentException("set a content type before a charset: application/octet-stream takes no charset");
        }
        String full = headers.get("Content-Type");
        headers.set("Content-Type", ContentTypes.withCharset(ContentTypes.withoutCharset(full == null ? ct : full),
                charset == null ? null : charset.toLowerCase(Locale.ROOT)));
        return this;
    }

    /**
     * Returns the Content-Length header: {@code response.content_length}.
     *
     * @return the declared length, empty if none
     */
    public OptionalLong contentLength() {
        String v = headers.get("Content-Length");
        return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    }

    /**
     * Declares the body's length: the body goes with {@code Content-Length} instead of chunked.
     *
     * @param length the exact number of bytes the handler will write
     * @return this response
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException after {@link #prepare}, or with chunked encoding enabled
     */
    public StreamResponse contentLength(long length) {
        checkNotPrepared("set the content length");
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        if (chunked) {
            throw new IllegalStateException("chunked encoding is enabled: a chunked body has no Content-Length");
        }
        headers.set("Content-Length", Long.toString(length));
        return this;
    }

    /**
     * Returns the Last-Modified header: {@code response.last_modified}.
     *
     * @return the date, or null
     */
    public ZonedDateTime lastModified() {
        String v = headers.get("Last-Modified");
        try {
            return v == null ? null : ZonedDateTime.parse(v, HTTP_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Sets the Last-Modified header.
     *
     * @param when the modification time
     * @return this response
     */
    public StreamResponse lastModified(ZonedDateTime when) {
        headers.set("Last-Modified", WebServer.IMF_FIXDATE.format(when.withZoneSameInstant(ZoneOffset.UTC).withNano(0)));
        return this;
    }

    /**
     * Returns the entity tag of the {@code ETag} header: {@code response.etag}.
     *
     * @return the tag, or null if the header is absent or is not one quoted tag (or {@code *})
     */
    public ETag etag() {
        return ETags.parseOne(headers.get("ETag"));
    }

    /**
     * Sets a strong ETag: {@code response.etag = value}. The value is quoted; {@code *} is sent
     * as it is.
     *
     * @param value the tag without quotes: {@code !}, {@code #} to {@code ~} and the bytes 0x80
     *     to 0xFF, or {@code *}
     * @return this response
     * @throws IllegalArgumentException if the value is not a valid tag (a space, a {@code "})
     */
    public StreamResponse etag(String value) {
        return etag(new ETag(value));
    }

    /**
     * Sets the ETag, weak or strong: {@code response.etag = ETag(value, is_weak)}.
     *
     * @param tag the tag; null removes the header ({@code response.etag = None})
     * @return this response
     */
    public StreamResponse etag(ETag tag) {
        if (tag == null) {
            headers.remove("ETag");
        } else {
            headers.set("ETag", tag.headerValue());
        }
        return this;
    }

    // -------------------------------------------------------------------------------- cookies

    /**
     * Returns the cookies this response sets: {@code response.cookies}.
     *
     * @return name to cookie, read-only
     */
    public Map<String, ResponseCookie> cookies() {
        return Collections.unmodifiableMap(cookies);
    }

    /**
     * Sets a cookie (Path defaults to {@code /}): {@code response.set_cookie(name, value)}. Chain
     * the returned cookie's setters for the other attributes.
     *
     * @param name the cookie's name, a token
     * @param value the value, cookie-octets only
     * @return the cookie, to set attributes on
     */
    public ResponseCookie setCookie(String name, String value) {
        checkNotPrepared("set a cookie");
        ResponseCookie c = new ResponseCookie(name, value);
        cookies.put(name, c);
        return c;
    }

    /**
     * Deletes a cookie on the client (an empty value that expired in 1970, Path {@code /}):
     * {@code response.del_cookie(name)}.
     *
     * @param name the cookie's name
     */
    public void delCookie(String name) {
        delCookie(name, "/", null);
    }

    /**
     * Deletes a cookie set with a path and domain: {@code response.del_cookie(name, path=, domain=)}.
     *
     * @param name the cookie's name
     * @param path the path it was set with
     * @param domain the domain it was set with, or null
     */
    public void delCookie(String name, String path, String domain) {
        setCookie(name, "").path(path).domain(domain).maxAge(0)
                .expires(ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    // ------------------------------------------------------------------------- body options

    /**
     * Sends the body chunked even if a length could be known: {@code enable_chunked_encoding()}.
     *
     * @return this response
     * @throws IllegalStateException if a Content-Length is set, or after {@link #prepare}
     */
    public StreamResponse enableChunkedEncoding() {
        checkNotPrepared("enable chunked encoding");
        if (headers.contains("Content-Length")) {
            throw new IllegalStateException("a Content-Length is set: remove it before enabling chunked encoding");
        }
        chunked = true;
        return this;
    }

    /**
     * Returns whether chunked encoding was asked for: {@code response.chunked}.
     *
     * @return whether {@link #enableChunkedEncoding()} was called
     */
    public boolean chunked() {
        return chunked;
    }

    /**
     * Compresses the body with the best coding the client accepts (gzip, then deflate), if it
     * accepts one: {@code enable_compression()}.
     *
     * @return this response
     */
    public StreamResponse enableCompression() {
        return enableCompression("auto");
    }

    /**
     * Compresses the body with one coding, whatever the client says:
     * {@code enable_compression(force=ContentCoding.gzip)}.
     *
     * @param coding {@code gzip}, {@code deflate}, or {@code auto} to negotiate
     * @return this response
     * @throws IllegalArgumentException for another coding
     */
    public StreamResponse enableCompression(String coding) {
        checkNotPrepared("enable compression");
        if (!coding.equals("auto") && !coding.equals("gzip") && !coding.equals("deflate")) {
            throw new IllegalArgumentException("coding must be gzip, deflate or auto, got " + coding);
        }
        this.compression = coding;
        return this;
    }

    /**
     * Returns the compression asked for.
     *
     * @return {@code gzip}, {@code deflate}, {@code auto}, or null for none
     */
    public String compression() {
        return compression;
    }

    /**
     * Closes the connection after this response: {@code force_close()}.
     *
     * @return this response
     */
    public StreamResponse forceClose() {
        forceClose = true;
        return this;
    }

    /**
     * Returns whether the connection stays open after this response: {@code response.keep_alive}.
     *
     * @return before {@link #prepare}, whether {@link #forceClose()} was not called; after,
     *     the decision taken
     */
    public boolean keepAlive() {
        return writer != null ? writer.keepAlive() : !forceClose;
    }

    // ---------------------------------------------------------------------------- the sending

    /**
     * Returns whether the head was prepared: {@code response.prepared}.
     *
     * @return whether {@link #prepare} ran
     */
    public boolean prepared() {
        return writer != null;
    }

    /**
     * Runs the application's {@code onResponsePrepare} callbacks and queues the head:
     * {@code await response.prepare(request)}. The head goes out with the first body bytes (or
     * at {@link #drain()} or {@link #writeEof()}). A second call does nothing.
     *
     * <p><b>Cancellation:</b> may suspend in a callback.
     *
     * @param request the request this responds to
     * @throws IOException if the connection is gone
     * @throws IllegalStateException if another response to this request was prepared
     */
    public void prepare(Request request) throws IOException {
        if (writer != null) {
            return;
        }
        Checks.notNull(request, "request");
        if (request.app() != null && request.matchInfo() != null) {
            for (Application a : request.matchInfo().apps()) {
                for (ResponsePrepareCallback cb : a.onResponsePrepare()) {
                    try {
                        cb.call(request, this);
                    } catch (IOException | RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IOException("onResponsePrepare callback failed: " + e, e);
                    }
                }
            }
        }
        beforeHead(request);
        for (ResponseCookie c : cookies.values()) {
            headers.add("Set-Cookie", c.headerValue());
        }
        writer = openWriter(request);
        if (sendsHeadImmediately()) {
            writer.flushHead(); // a stream's client sees the head before the first body bytes, as aiohttp
        }
    }

    /** Builds the head and the writer; {@link WebSocketResponse} answers 101 and keeps the connection. */
    PayloadWriter openWriter(Request request) throws IOException {
        return request.connection().startResponse(request, this, knownLength(), chunked, forceClose, compression);
    }

    /** Whether prepare() sends the head at once; a {@link Response} holds it for its body. */
    boolean sendsHeadImmediately() {
        return true;
    }

    /** Called in {@link #prepare} before the head is built: {@link Response} settles its body here. */
    void beforeHead(Request request) throws IOException {}

    /** The bytes writeEof sends: {@code data}, after a {@link Response}'s body not sent yet. */
    byte[] beforeEof(byte[] data) {
        return data;
    }

    /** The body's length if known before writing (a declared Content-Length), else -1. */
    long knownLength() {
        OptionalLong cl = contentLength();
        return cl.isPresent() ? cl.getAsLong() : -1;
    }

    /**
     * Writes body bytes: {@code await response.write(data)}. Past the transport's high-water mark
     * it waits for the client to read, as aiohttp's {@code StreamWriter.write} does, so a handler
     * streaming to a slow client holds at most about one high-water mark and one write.
     *
     * <p><b>Cancellation:</b> suspends while the client reads slowly.
     *
     * @param data the bytes
     * @throws IllegalStateException before {@link #prepare}, after {@link #writeEof()}, or past
     *     the declared Content-Length
     * @throws IOException if the connection is gone
     */
    public void write(byte[] data) throws IOException {
        Checks.notNull(data, "data");
        checkWritable();
        writer.write(data, 0, data.length);
    }

    /**
     * Waits while the connection's write buffer is over its high watermark, after sending a
     * queued head: {@code await response.drain()}.
     *
     * <p><b>Cancellation:</b> suspends while the client reads slowly.
     *
     * @throws IllegalStateException before {@link #prepare}
     * @throws IOException if the connection is gone
     */
    public void drain() throws IOException {
        if (writer == null) {
            throw new IllegalStateException("call prepare(request) before drain()");
        }
        writer.drain();
    }

    /**
     * Ends the body: {@code await response.write_eof()}. A second call does nothing.
     *
     * @throws IllegalStateException before {@link #prepare}
     * @throws IOException if the connection is gone
     */
    public void writeEof() throws IOException {
        writeEof(null);
    }

    /**
     * Writes the last bytes and ends the body: {@code await response.write_eof(data)}.
     *
     * @param data the last bytes, or null
     * @throws IllegalStateException before {@link #prepare}
     * @throws IOException if the connection is gone
     */
    public void writeEof(byte[] data) throws IOException {
        if (eofSent) {
            return;
        }
        if (writer == null) {
            throw new IllegalStateException("call prepare(request) before writeEof()");
        }
        data = beforeEof(data);
        if (data != null && data.length > 0) {
            writer.write(data, 0, data.length);
        }
        eofSent = true;
        writer.writeEof();
    }

    /**
     * Returns how many body bytes were written (before compression and chunking):
     * {@code response.body_length}.
     *
     * @return the bytes written so far
     */
    public long bodyLength() {
        return writer == null ? 0 : writer.written();
    }

    void clearCompression() {
        compression = null;
    }

    boolean eofSent() {
        return eofSent;
    }

    PayloadWriter writer() {
        return writer;
    }

    private void checkWritable() {
        if (writer == null) {
            throw new IllegalStateException("call prepare(request) before write()");
        }
        if (eofSent) {
            throw new IllegalStateException("write() after writeEof(): the body is finished");
        }
    }

    final void checkNotPrepared(String what) {
        if (writer != null) {
            throw new IllegalStateException("cannot " + what + " after prepare(): the head was sent");
        }
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + status + " " + reason + (writer == null ? " not prepared>" : ">");
    }
}
