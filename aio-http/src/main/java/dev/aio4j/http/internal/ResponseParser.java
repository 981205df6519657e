package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;

import java.nio.charset.StandardCharsets;
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
     * headerBytes/headerCount count the current header section; a 1xx response starts a new one.
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
    private Headers headers;
    private int headerBytes;
    private long remaining;
    private long headCl;
    private ChunkedDecoder chunked;
    private String failure;

    public ResponseParser(ParserLimits limits, Listener listener) {
        this.limits = Checks.notNull(limits, "limits");
        this.listener = Checks.notNull(listener, "listener");
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
        headers = new Headers();
        headerBytes = 0;
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
                        parseStatusLine(line.buffer(), line.length());
                        state = State.HEADERS;
                    }
                }
                case HEADERS -> {
                    pos = line.feed(data, pos, end, limits.maxLineSize(), "header field line");
                    if (line.complete()) {
                        if (line.length() == 0) {
                            endOfHead();
                        } else {
                            addHeaderLine();
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

    private void parseStatusLine(byte[] b, int len) {
        // HTTP-version SP 3DIGIT [SP reason-phrase]; the SP before an empty reason may be missing.
        if (len < 12 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/'
                || b[5] != '1' || b[6] != '.' || (b[7] != '0' && b[7] != '1')) {
            String why = len >= 8 && b[0] == 'H' && b[4] == '/' ? "status line has an unsupported HTTP version (only HTTP/1.0 and HTTP/1.1)"
                    : "status line does not start with HTTP/1.0 or HTTP/1.1 followed by a status code";
            throw new BadHttpMessage(Kind.BAD_STATUS_LINE, why, -1, Escaping.quote(b, 0, len));
        }
        if (b[8] != ' ' || !isDigit(b[9]) || !isDigit(b[10]) || !isDigit(b[11]) || b[9] == '0'
                || (len > 12 && b[12] != ' ')) {
            throw new BadHttpMessage(Kind.BAD_STATUS_LINE, "status line needs one space and a three-digit status code from 100 after the version",
                    -1, Escaping.quote(b, 0, len));
        }
        for (int i = 13; i < len; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new BadHttpMessage(Kind.BAD_STATUS_LINE, "reason phrase has a control character at offset " + i, -1,
                        Escaping.quote(b, 0, len));
            }
        }
        versionMinor = b[7] - '0';
        status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        reason = len > 13 ? new String(b, 13, len - 13, StandardCharsets.ISO_8859_1) : "";
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private void addHeaderLine() {
        headerBytes += line.length() + 2;
        if (headerBytes > limits.maxHeaderBytes()) {
            throw new BadHttpMessage(Kind.HEADERS_TOO_LARGE, "header section is larger than " + limits.maxHeaderBytes() + " bytes",
                    limits.maxHeaderBytes(), Escaping.quote(line.buffer(), 0, line.length()));
        }
        if (headers.size() >= limits.maxHeaders()) {
            throw new BadHttpMessage(Kind.HEADERS_TOO_LARGE, "header section has more than " + limits.maxHeaders() + " fields",
                    limits.maxHeaders(), Escaping.quote(line.buffer(), 0, line.length()));
        }
        FieldLines.parse(line.buffer(), line.length(), headers, "header field");
    }

    private void endOfHead() {
        Headers h = headers.readOnlyCopy();
        boolean interim = status >= 100 && status < 200 && status != 101;
        if (interim) {
            listener.interim(new ResponseHead(versionMinor, status, reason, h, ResponseHead.Framing.NONE, -1, true));
            headers = new Headers();
            headerBytes = 0;
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
            boolean chunkedTe = transferEncodingIsChunked(h);
            length = contentLength(h);
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
        boolean keepAlive = framing != ResponseHead.Framing.UNTIL_CLOSE && status != 101 && keepAliveByVersion(h);
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

    private boolean keepAliveByVersion(Headers h) {
        boolean close = false;
        boolean keep = false;
        for (String v : h.getAll("Connection")) {
            for (String token : v.split(",")) {
                String t = token.strip();
                close |= t.equalsIgnoreCase("close");
                keep |= t.equalsIgnoreCase("keep-alive");
            }
        }
        return !close && (versionMinor == 1 || keep);
    }

    private static boolean transferEncodingIsChunked(Headers h) {
        var values = h.getAll("Transfer-Encoding");
        if (values.isEmpty()) {
            return false;
        }
        String all = String.join(", ", values);
        int codings = 0;
        for (String element : all.split(",", -1)) {
            String coding = element.strip();
            if (coding.isEmpty()) {
                continue;
            }
            codings++;
            if (!coding.equalsIgnoreCase("chunked")) {
                throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING,
                        "Transfer-Encoding other than chunked is not supported", -1, Escaping.quote(all));
            }
        }
        if (codings != 1) {
            throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING, codings == 0 ? "Transfer-Encoding is empty"
                    : "Transfer-Encoding applies chunked more than once", -1, Escaping.quote(all));
        }
        return true;
    }

    /**
     * Returns the Content-Length, or -1 if absent.
     *
     * @return the Content-Length, or -1 if absent
     */
    static long contentLength(Headers h) {
        long result = -1;
        for (String v : h.getAll("Content-Length")) {
            for (String element : v.split(",", -1)) {
                String digits = element.strip();
                long n = parseDigits(digits, v);
                if (result >= 0 && n != result) {
                    throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, "Content-Length has conflicting values " + result + " and " + n,
                            -1, Escaping.quote(String.join(", ", h.getAll("Content-Length"))));
                }
                result = n;
            }
        }
        return result;
    }

    private static long parseDigits(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 19) {
            throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, digits.isEmpty() ? "Content-Length has an empty value"
                    : "Content-Length does not fit in 63 bits", digits.isEmpty() ? -1 : Long.MAX_VALUE, Escaping.quote(whole));
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, "Content-Length is not a non-negative decimal number", -1,
                        Escaping.quote(whole));
            }
            if (n > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new BadHttpMessage(Kind.BAD_CONTENT_LENGTH, "Content-Length does not fit in 63 bits", Long.MAX_VALUE,
                        Escaping.quote(whole));
            }
            n = n * 10 + (c - '0');
        }
        return n;
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
