package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

import java.util.Locale;

/**
 * A strict, incremental HTTP/1.1 response parser, fed chunks of bytes of any size as they come
 * from the socket.
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
 * chunked framing; and a connection closed before the head or a framed body was complete.
 *
 * <p>Bounded: the parser holds at most one line (its limit plus CR); body bytes are passed to the
 * listener straight from the caller's array. It never waits: each call returns after consuming
 * what it can.
 */
public final class ResponseParser {
    /** Receives what the parser finds, in order. Arrays passed in are valid only during the call. */
    public interface Listener {
        /** An interim (1xx, not 101) response; another head follows. */
        default void interim(ResponseHead head) {}

        /** The final response head. */
        void head(ResponseHead head);

        /** Body bytes, already de-chunked. */
        void body(byte[] data, int offset, int length);

        /** Trailer fields of a chunked body, if there were any. */
        default void trailers(Headers trailers) {}

        /** The response is complete. */
        void complete();
    }

    /*
     * Maintainer notes. State machine:
     *
     *   IDLE --start--> STATUS_LINE --line--> HEADERS --empty line--> (1xx: STATUS_LINE)
     *                                                             \-> BODY_LENGTH | BODY_CHUNKED | BODY_CLOSE | DONE
     *   any --BadHttpMessage--> FAILED (every later call throws IllegalStateException)
     *
     * `headers` counts the current header section against its limits; a 1xx response starts a new one.
     * Shared with a request parser: LineReader, FieldSection (field lines and section limits),
     * MessageFraming (version, Content-Length, Transfer-Encoding, persistence), ChunkedDecoder.
     * Response-only: StatusLine, and the rules for which responses have no body.
     */
    private enum State { IDLE, STATUS_LINE, HEADERS, BODY_LENGTH, BODY_CHUNKED, BODY_CLOSE, DONE, FAILED }

    private final ParserLimits limits;
    private final Listener listener;
    private final LineReader line = new LineReader();
    private final ChunkedDecoder.Sink chunkSink;
    private State state = State.IDLE;
    private String method = "GET";
    private long received;
    private int versionMinor;
    private int status;
    private String reason;
    private final FieldSection headers;
    private long remaining;
    private long headCl;
    private ChunkedDecoder chunked;
    private String failure;
    /** Interim responses of the current response so far. */
    private int interims;

    /**
     * The most interim (1xx) responses before a final one: 8, as the JDK's HttpClient allows;
     * one more is {@link Kind#TOO_MANY_INTERIM_RESPONSES}, so a server cannot keep a request
     * waiting forever with an endless stream of them.
     */
    public static final int MAX_INTERIM_RESPONSES = 8;

    public ResponseParser(ParserLimits limits, Listener listener) {
        this.limits = Checks.notNull(limits, "limits");
        this.listener = Checks.notNull(listener, "listener");
        this.headers = new FieldSection(limits, "header");
        this.chunkSink = new ChunkedDecoder.Sink() {
            @Override
            public void data(byte[] data, int offset, int length) {
                listener.body(data, offset, length);
            }

            @Override
            public void trailers(Headers trailers) {
                listener.trailers(trailers);
            }
        };
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
                    + "not reused (" + failure + ")");
        }
        if (state != State.IDLE && state != State.DONE) {
            throw new IllegalStateException("ResponseParser.start() called while a response is being parsed: " + this);
        }
        method = requestMethod.toUpperCase(Locale.ROOT);
        state = State.STATUS_LINE;
        received = 0;
        interims = 0;
        headers.reset();
        line.reset();
        chunked = null;
    }

    /**
     * Returns {@code true} once the response is complete.
     *
     * @return {@code true} once the response is complete
     */
    public boolean done() {
        return state == State.DONE;
    }

    /**
     * Returns the size of the parser's line buffer, for tests of its memory bound.
     *
     * @return the size of the parser's line buffer, for tests of its memory bound
     */
    int retainedBytes() {
        return line.capacity() + (chunked == null ? 0 : chunked.retainedBytes());
    }

    /**
     * Returns how many bytes of the current response were consumed so far; 0 means none arrived.
     *
     * @return how many bytes of the current response were consumed so far; 0 means none arrived
     */
    public long received() {
        return received;
    }

    /**
     * Parses bytes of the response.
     *
     * @return how many bytes were consumed; fewer than {@code length} only after the response ended
     * @throws BadHttpMessage if the bytes break HTTP/1.1 or a limit; the parser is then unusable
     * @throws IllegalStateException if {@link #start} was not called or the parser failed before
     */
    public int feed(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        checkUsable();
        try {
            int n = parse(data, offset, offset + length);
            received += n;
            return n;
        } catch (BadHttpMessage e) {
            state = State.FAILED;
            failure = e.getMessage();
            throw e;
        }
    }

    /** Same as {@code feed(data, 0, data.length)}. */
    public int feed(byte[] data) {
        return feed(data, 0, data.length);
    }

    /**
     * The connection closed. Completes a body that runs until close; anything else unfinished is
     * an error.
     *
     * @throws BadHttpMessage of kind {@link Kind#INCOMPLETE} if the response was not complete
     */
    public void feedEof() {
        checkUsable();
        try {
            switch (state) {
                case BODY_CLOSE -> finish();
                case DONE -> { }
                case STATUS_LINE, HEADERS -> throw new BadHttpMessage(Kind.INCOMPLETE, received == 0
                        ? "connection closed before any response byte"
                        : "connection closed in the response head after " + received + " bytes", -1,
                        line.pending() > 0 ? Escaping.quote(line.buffer(), 0, line.pending()) : null);
                case BODY_LENGTH -> throw new BadHttpMessage(Kind.INCOMPLETE, "connection closed after "
                        + (headCl - remaining) + " of " + headCl + " body bytes (Content-Length)", -1, null);
                case BODY_CHUNKED -> throw new BadHttpMessage(Kind.INCOMPLETE, "connection closed in a chunked body, "
                        + chunked.whereIncomplete(), -1, null);
                default -> throw new AssertionError(state);
            }
        } catch (BadHttpMessage e) {
            state = State.FAILED;
            failure = e.getMessage();
            throw e;
        }
    }

    private void checkUsable() {
        if (state == State.IDLE) {
            throw new IllegalStateException("ResponseParser used before start(method)");
        }
        if (state == State.FAILED) {
            throw new IllegalStateException("ResponseParser used after it failed: " + failure);
        }
    }

    private int parse(byte[] data, int off, int end) {
        int pos = off;
        while (pos < end) {
            switch (state) {
                case STATUS_LINE -> {
                    pos = line.feed(data, pos, end, limits.maxLineSize(), "status line");
                    if (line.complete()) {
                        StatusLine sl = StatusLine.parse(line.buffer(), line.length());
                        versionMinor = sl.versionMinor();
                        status = sl.status();
                        reason = sl.reason();
                        state = State.HEADERS;
                    }
                }
                case HEADERS -> {
                    pos = line.feed(data, pos, end, limits.maxLineSize(), "header field line");
                    if (line.complete()) {
                        if (line.length() == 0) {
                            endOfHead();
                        } else {
                            headers.addLine(line.buffer(), line.length());
                        }
                    }
                }
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, end - pos);
                    listener.body(data, pos, n);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) {
                        finish();
                    }
                }
                case BODY_CHUNKED -> {
                    pos += chunked.feed(data, pos, end - pos, chunkSink);
                    if (chunked.done()) {
                        finish();
                    }
                }
                case BODY_CLOSE -> {
                    listener.body(data, pos, end - pos);
                    pos = end;
                }
                case DONE -> {
                    return pos - off;
                }
                default -> throw new AssertionError(state);
            }
        }
        return pos - off;
    }

    private void finish() {
        state = State.DONE;
        listener.complete();
    }


    private void endOfHead() {
        Headers h = headers.fields().readOnlyCopy();
        boolean interim = status >= 100 && status < 200 && status != 101;
        if (interim) {
            if (++interims > MAX_INTERIM_RESPONSES) {
                throw new BadHttpMessage(Kind.TOO_MANY_INTERIM_RESPONSES, "more than " + MAX_INTERIM_RESPONSES
                        + " interim (1xx) responses before the final response; the last was " + status, MAX_INTERIM_RESPONSES, null);
            }
            listener.interim(new ResponseHead(versionMinor, status, reason, h, ResponseHead.Framing.NONE, -1, true));
            headers.reset();
            state = State.STATUS_LINE;
            return;
        }
        ResponseHead.Framing framing;
        long length = -1;
        boolean noBody = method.equals("HEAD") || status == 101 || status == 204 || status == 304
                || method.equals("CONNECT") && status >= 200 && status < 300;
        if (noBody) {
            framing = ResponseHead.Framing.NONE;
        } else {
            boolean chunkedTe = MessageFraming.transferEncodingIsChunked(h);
            length = MessageFraming.contentLength(h);
            if (chunkedTe) {
                if (length >= 0) {
                    throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING,
                            "response has both Transfer-Encoding and Content-Length (refused: ambiguous framing)", -1,
                            Escaping.quote("Content-Length: " + h.get("Content-Length")));
                }
                if (versionMinor == 0) {
                    throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING, "HTTP/1.0 response has Transfer-Encoding", -1,
                            Escaping.quote(String.join(", ", h.getAll("Transfer-Encoding"))));
                }
                framing = ResponseHead.Framing.CHUNKED;
            } else if (length >= 0) {
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
            case LENGTH -> {
                remaining = length;
                headCl = length;
                state = State.BODY_LENGTH;
            }
            case CHUNKED -> {
                chunked = new ChunkedDecoder(limits);
                state = State.BODY_CHUNKED;
            }
            case UNTIL_CLOSE -> state = State.BODY_CLOSE;
        }
    }

    /**
     * Returns e.g. {@code ResponseParser[HEADERS, 120 bytes, method=GET]}.
     *
     * @return e.g. {@code ResponseParser[HEADERS, 120 bytes, method=GET]}
     */
    @Override
    public String toString() {
        return "ResponseParser[" + state + ", " + received + " bytes, method=" + method + "]";
    }
}
