package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

import java.util.Locale;

/**
 * A strict, incremental HTTP/1.1 response parser, fed chunks of bytes of any size as they come
 * from the socket; the counterpart of {@link RequestParser}, with which it shares
 * {@link MessageParser} (the header section, body framing and body states).
 *
 * <p>Use: {@link #start(String)} with the request method, then {@link #feed} every chunk and
 * {@link #feedEof()} when the connection closes. The {@link Listener} hears interim responses
 * (100 Continue, ...), the final head, body bytes (already de-chunked, not yet decompressed),
 * trailers, and the end. After the end, {@code feed} consumes nothing more: bytes it returns as
 * unconsumed arrived after the response, and the caller must not reuse that connection.
 *
 * <p>What is refused, always with a {@link BadHttpMessage} naming the rule, the limit and the
 * offending bytes: a version other than HTTP/1.0 or HTTP/1.1; a status that is not three digits
 * from 100; control characters in the reason; a line ended by a bare LF or holding a bare CR;
 * obsolete line folding; whitespace before a colon; a field name that is not a token; control
 * characters in a value; a line, header section or field count over {@link ParserLimits}; a
 * Content-Length that is not digits, does not fit in a {@code long}, or has conflicting values
 * (identical repeats are accepted); a Transfer-Encoding other than exactly {@code chunked};
 * both Transfer-Encoding and Content-Length; Transfer-Encoding in an HTTP/1.0 response; broken
 * chunked framing (see {@link ChunkedDecoder}: a chunk-size line with whitespace or a malformed
 * extension, chunk data not followed by CRLF, a bad trailer); and a connection closed before the head or a framed body was complete.
 *
 * <p>Bounded: the parser holds at most one line (its limit plus CR); body bytes are passed to the
 * listener straight from the caller's array. It never waits: each call returns after consuming
 * what it can.
 */
public final class ResponseParser extends MessageParser {
    /**
     * Receives what the parser finds, in order: interim heads, the final head, then what
     * {@link BodyListener} hears (body bytes, trailers, the end). Arrays passed in are valid only
     * during the call.
     */
    public interface Listener extends BodyListener {
        /** An interim (1xx, not 101) response; another head follows. */
        default void interim(ResponseHead head) {}

        /** The final response head. */
        void head(ResponseHead head);
    }

    /*
     * Maintainer notes. State machine:
     *
     *   IDLE --start--> START_LINE (the status line) --line--> HEADERS --empty line--> (1xx: START_LINE)
     *                                                             \-> BODY_LENGTH | BODY_CHUNKED | BODY_CLOSE | DONE
     *   any --BadHttpMessage--> FAILED (every later call throws IllegalStateException)
     *
     * `headers` counts the current header section against its limits; a 1xx response starts a new one.
     * Shared with the request parser, in MessageParser: the states from HEADERS on (field lines and
     * section limits in FieldSection, Transfer-Encoding against Content-Length, the body states and
     * ChunkedDecoder), feed and feedEof. Response-only: StatusLine, interim responses, and the
     * rules for which responses have no body and which run until close.
     */
    private final Listener listener;
    private String method = "GET";
    private int versionMinor;
    private int status;
    private String reason;
    /** Interim responses of the current response so far. */
    private int interims;

    /**
     * The most interim (1xx) responses before a final one: 8, as the JDK's HttpClient allows;
     * one more is {@link Kind#TOO_MANY_INTERIM_RESPONSES}, so a server cannot keep a request
     * waiting forever with an endless stream of them.
     */
    public static final int MAX_INTERIM_RESPONSES = 8;

    public ResponseParser(ParserLimits limits, Listener listener) {
        super(limits, listener, State.IDLE, "ResponseParser", "response", "body");
        this.listener = listener;
    }

    /**
     * Prepares for the response to a request with this method (HEAD responses have no body).
     *
     * @throws IllegalStateException if a previous response is still being parsed
     */
    public void start(String requestMethod) {
        Checks.token(requestMethod, "requestMethod");
        if (state == State.FAILED) {
            throw new IllegalStateException("ResponseParser.start() called after the parser failed; the connection must be closed, "
                    + "not reused (" + failure() + ")");
        }
        if (state != State.IDLE && state != State.DONE) {
            throw new IllegalStateException("ResponseParser.start() called while a response is being parsed: " + this);
        }
        method = requestMethod.toUpperCase(Locale.ROOT);
        reset();
        interims = 0;
    }

    /**
     * Returns how many bytes of the current response were consumed so far; 0 means none arrived.
     *
     * @return how many bytes of the current response were consumed so far; 0 means none arrived
     */
    public long received() {
        return received;
    }

    @Override
    void checkUsable() {
        if (state == State.IDLE) {
            throw new IllegalStateException("ResponseParser used before start(method)");
        }
        super.checkUsable();
    }

    @Override
    BadHttpMessage closedInHead() {
        return new BadHttpMessage(Kind.INCOMPLETE, received == 0
                ? "connection closed before any response byte"
                : "connection closed in the response head after " + received + " bytes", -1,
                line.pending() > 0 ? Escaping.quote(line.buffer(), 0, line.pending()) : null);
    }

    @Override
    int startLine(byte[] data, int pos, int end) {
        pos = line.feed(data, pos, end, limits.maxLineSize(), "status line");
        if (line.complete()) {
            StatusLine sl = StatusLine.parse(line.buffer(), line.length());
            versionMinor = sl.versionMinor();
            status = sl.status();
            reason = sl.reason();
            state = State.HEADERS;
        }
        return pos;
    }

    @Override
    void endOfHead(Headers h) {
        boolean interim = status >= 100 && status < 200 && status != 101;
        if (interim) {
            if (++interims > MAX_INTERIM_RESPONSES) {
                throw new BadHttpMessage(Kind.TOO_MANY_INTERIM_RESPONSES, "more than " + MAX_INTERIM_RESPONSES
                        + " interim (1xx) responses before the final response; the last was " + status, MAX_INTERIM_RESPONSES, null);
            }
            listener.interim(new ResponseHead(versionMinor, status, reason, h, ResponseHead.Framing.NONE, -1, true));
            headers.reset();
            state = State.START_LINE;
            return;
        }
        ResponseHead.Framing framing;
        long length = -1;
        boolean noBody = method.equals("HEAD") || status == 101 || status == 204 || status == 304
                || method.equals("CONNECT") && status >= 200 && status < 300;
        if (noBody) {
            framing = ResponseHead.Framing.NONE;
        } else {
            long framed = bodyLength(h, versionMinor);
            if (framed == CHUNKED) {
                framing = ResponseHead.Framing.CHUNKED;
            } else if (framed >= 0) {
                length = framed;
                framing = length == 0 ? ResponseHead.Framing.NONE : ResponseHead.Framing.LENGTH;
            } else {
                framing = ResponseHead.Framing.UNTIL_CLOSE;
            }
        }
        boolean keepAlive = framing != ResponseHead.Framing.UNTIL_CLOSE && status != 101 && MessageFraming.keepAlive(versionMinor, h);
        ResponseHead head = new ResponseHead(versionMinor, status, reason, h, framing,
                length >= 0 && !noBody ? length : -1, keepAlive);
        listener.head(head);
        switch (framing) {
            case NONE -> finish();
            case LENGTH -> expectLength(length);
            case CHUNKED -> expectChunked();
            case UNTIL_CLOSE -> expectUntilClose();
        }
    }

    /**
     * Returns e.g. {@code ResponseParser[HEADERS, 120 bytes, method=GET]}.
     *
     * @return e.g. {@code ResponseParser[HEADERS, 120 bytes, method=GET]}
     */
    @Override
    public String toString() {
        return "ResponseParser[" + (state == State.START_LINE ? "STATUS_LINE" : state) + ", " + received + " bytes, method=" + method + "]";
    }
}
