package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;
import dev.aio4j.loop.internal.Escaping;

import java.util.List;

/**
 * A strict, incremental HTTP/1.1 request parser for the server, fed chunks of bytes of any size as
 * they come from the socket; the counterpart of {@link ResponseParser}, with which it shares
 * {@link MessageParser} (the header section, body framing and body states) and through it
 * {@link LineReader}, {@link FieldSection}, {@link MessageFraming} and {@link ChunkedDecoder}.
 *
 * <p>Use: {@link #feed} every chunk, {@link #feedEof()} when the connection closes. The
 * {@link Listener} hears the head, body bytes (de-chunked), trailers and the end of each request.
 * At the end of a request {@code feed} stops consuming: the bytes it returns as unconsumed belong
 * to the next, pipelined request, to be fed after {@link #next()}. A failure leaves the parser
 * unusable and names, in {@link #failureStatus()}, the status to answer before closing the
 * connection: the server never reads another request from the same bytes.
 *
 * <p>What is refused (RFC 9112; aiohttp's {@code HttpRequestParser} in strict mode): a request
 * line that is not method, target and version separated by single spaces, a method that is not a
 * token, a target with a space, control character or raw non-ASCII byte, a target form that does
 * not fit the method (414 when the line is over {@link ParserLimits#maxLineSize()}); a version
 * other than HTTP/1.0 and HTTP/1.1 (505); every header rule of the response parser (bare LF or
 * CR, obsolete line folding, whitespace before the colon, a name that is not a token, control
 * characters such as NUL in a value; 431 over the header limits); an HTTP/1.1 request without
 * exactly one {@code Host}, or an HTTP/1.0 one with several; a second {@code Content-Type},
 * {@code Content-Location}, {@code Content-Range}, {@code ETag}, {@code Max-Forwards},
 * {@code Server} or {@code User-Agent}; {@code Content-Length} that is not
 * digits or has differing values; {@code Transfer-Encoding} other than exactly {@code chunked},
 * together with {@code Content-Length} (the classic smuggling vector), or in HTTP/1.0; and broken
 * chunked framing (see {@link ChunkedDecoder}: a chunk-size line with whitespace or a malformed
 * extension, chunk data not followed by CRLF, a bad trailer). More than {@value #MAX_LEADING_EMPTY_LINES} empty lines before a request line
 * are refused too (RFC 9112 section 2.2 asks servers to skip at least one).
 *
 * <p>Bounded: the parser holds at most one line; body bytes go to the listener straight from the
 * caller's array.
 */
public final class RequestParser extends MessageParser {
    /**
     * RFC 9110 fields that may appear once, besides Host, Content-Length and Transfer-Encoding
     * (checked with the framing); a second one is refused, as aiohttp's strict parser does.
     */
    private static final List<String> SINGLETON_FIELDS = List.of("Content-Location", "Content-Range", "Content-Type", "ETag",
            "Max-Forwards", "Server", "User-Agent");

    /** Empty lines tolerated before a request line. */
    static final int MAX_LEADING_EMPTY_LINES = 8;

    /**
     * Receives what the parser finds, in order: the head, then what {@link BodyListener} hears
     * (body bytes, trailers, the end). Arrays passed in are valid only during the call.
     */
    public interface Listener extends BodyListener {
        /** A request head; its body (if any) follows. */
        void head(RequestHead head);
    }

    /*
     * Maintainer notes. State machine, one request at a time:
     *
     *   START_LINE (the request line) --line--> HEADERS --empty line--> BODY_LENGTH | BODY_CHUNKED | DONE
     *   DONE --next()--> START_LINE
     *   any --BadHttpMessage--> FAILED (failureStatus set; every later call throws IllegalStateException)
     *
     * MessageParser runs the states from HEADERS on; this class reads the request line and
     * decides, at the end of the head, what the fields mean. `received` counts the bytes of the
     * current request; `emptyLines` the CRLFs skipped before its request line.
     */
    private final Listener listener;
    private RequestLine requestLine;
    private int emptyLines;
    private int failureStatus;

    public RequestParser(ParserLimits limits, Listener listener) {
        super(limits, listener, State.START_LINE, "RequestParser", "request", "request body");
        this.listener = listener;
    }

    /**
     * Returns {@code true} if no byte of a next request has arrived: the connection may close
     * cleanly here.
     *
     * @return whether the parser waits for a request line that has not started
     */
    public boolean idle() {
        return state == State.START_LINE && received == 0;
    }

    /**
     * Returns the status to answer a request that failed to parse: 400, or 414 (request line
     * too long), 431 (header section too large) or 505 (HTTP version); 0 while nothing failed.
     *
     * @return the status to answer before closing, or 0
     */
    public int failureStatus() {
        return failureStatus;
    }

    /**
     * Prepares for the next request on the same connection, after {@link #done()}.
     *
     * @throws IllegalStateException if the current request is not complete
     */
    public void next() {
        if (state != State.DONE) {
            throw new IllegalStateException("RequestParser.next() called before the current request was complete: " + this);
        }
        reset();
        emptyLines = 0;
        requestLine = null;
    }

    @Override
    void failed(State at, BadHttpMessage e) {
        Kind k = e.kind();
        if (at == State.START_LINE && k == Kind.LINE_TOO_LONG) {
            failureStatus = 414;
        } else if (at == State.START_LINE && k == Kind.BAD_STATUS_LINE && line.complete()
                && RequestLine.unsupportedVersion(line.buffer(), line.length())) {
            failureStatus = 505;
        } else if (at == State.HEADERS && (k == Kind.LINE_TOO_LONG || k == Kind.HEADERS_TOO_LARGE)) {
            failureStatus = 431;
        } else {
            failureStatus = 400;
        }
    }

    @Override
    BadHttpMessage closedInHead() {
        if (state == State.HEADERS) {
            return new BadHttpMessage(Kind.INCOMPLETE, "connection closed in the request head after " + received + " bytes", -1, null);
        }
        return received == 0 ? null : new BadHttpMessage(Kind.INCOMPLETE,
                "connection closed in a request line after " + received + " bytes", -1, null);
    }

    @Override
    int startLine(byte[] data, int pos, int end) {
        pos = line.feed(data, pos, end, limits.maxLineSize(), "request line");
        if (line.complete()) {
            if (line.length() == 0) {
                if (++emptyLines > MAX_LEADING_EMPTY_LINES) {
                    throw new BadHttpMessage(Kind.BAD_STATUS_LINE, "more than " + MAX_LEADING_EMPTY_LINES
                            + " empty lines before a request line", MAX_LEADING_EMPTY_LINES, null);
                }
            } else {
                requestLine = RequestLine.parse(line.buffer(), line.length());
                state = State.HEADERS;
            }
        }
        return pos;
    }

    @Override
    void endOfHead(Headers h) {
        int minor = requestLine.versionMinor();
        List<String> hosts = h.getAll("Host");
        if (minor == 1 && hosts.size() != 1 || hosts.size() > 1) {
            throw new BadHttpMessage(Kind.INVALID_HEADER, hosts.isEmpty() ? "HTTP/1.1 request has no Host header field"
                    : "request has " + hosts.size() + " Host header fields", -1, Escaping.quote(String.join(", ", hosts)));
        }
        for (String name : SINGLETON_FIELDS) {
            List<String> values = h.getAll(name);
            if (values.size() > 1) {
                throw new BadHttpMessage(Kind.INVALID_HEADER, "request has " + values.size() + " " + name
                        + " header fields; it may appear once", -1, Escaping.quote(String.join(", ", values)));
            }
        }
        long framed = bodyLength(h, minor);
        long length = framed == CHUNKED ? -1 : framed;
        RequestHead.Framing framing = framed == CHUNKED ? RequestHead.Framing.CHUNKED
                : length > 0 ? RequestHead.Framing.LENGTH : RequestHead.Framing.NONE;
        boolean expectContinue = minor == 1 && h.getAll("Expect").stream().anyMatch(v -> v.strip().equalsIgnoreCase("100-continue"));
        RequestHead head = new RequestHead(requestLine.method(), requestLine.target(), minor, h, framing,
                length, MessageFraming.keepAlive(minor, h), expectContinue, requestLine.absolute());
        listener.head(head);
        switch (framing) {
            case NONE -> finish();
            case LENGTH -> expectLength(length);
            case CHUNKED -> expectChunked();
        }
    }

    /**
     * Returns e.g. {@code RequestParser[HEADERS, 120 bytes, GET /index.html]}.
     *
     * @return the parser's state in one line
     */
    @Override
    public String toString() {
        return "RequestParser[" + (state == State.START_LINE ? "REQUEST_LINE" : state) + ", " + received + " bytes"
                + (requestLine == null ? "" : ", " + requestLine.method() + " " + requestLine.target()) + "]";
    }
}
