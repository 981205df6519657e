package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.BadHttpMessage.Kind;
import dev.aio4j.http.Headers;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.util.Objects;

/**
 * What {@link RequestParser} and {@link ResponseParser} share, as one implementation: the state
 * machine from the header section to the end of the body, and the calls around it (aio4j-only;
 * aiohttp shares the same way through {@code HttpParser}, the base of its
 * {@code HttpRequestParser} and {@code HttpResponseParser}).
 *
 * <p>Shared: feeding bytes and counting them, failing for good on the first
 * {@link BadHttpMessage}; the header field lines with their limits and rules
 * ({@link FieldSection}, obsolete line folding refused there); refusing {@code Transfer-Encoding}
 * together with {@code Content-Length} or in HTTP/1.0; a body framed by {@code Content-Length},
 * by chunked coding, or (responses only) by the end of the connection; and what a connection
 * closed inside a body means. Each subclass keeps its own rules: the start line (request line
 * or status line), what the header section means (Host and singleton fields, interim responses,
 * which responses have no body), and what a connection closed inside the head means.
 */
abstract sealed class MessageParser permits RequestParser, ResponseParser {
    /*
     * Maintainer notes. The states of both parsers; each uses the subset its diagram shows:
     *
     *   START_LINE --startLine()--> HEADERS --empty line--> endOfHead(): expectLength | expectChunked
     *                                                       | expectUntilClose | finish (DONE) | START_LINE
     *   BODY_LENGTH | BODY_CHUNKED --last byte--> DONE;  BODY_CLOSE --feedEof--> DONE
     *   any --BadHttpMessage--> FAILED (every later call throws IllegalStateException)
     *
     * IDLE is a response parser before its first start(); a request parser never is.
     */
    enum State { IDLE, START_LINE, HEADERS, BODY_LENGTH, BODY_CHUNKED, BODY_CLOSE, DONE, FAILED }

    /** The limits of lines, sections and chunk-size lines. */
    final ParserLimits limits;
    /** The line being read: start line, header field line. */
    final LineReader line = new LineReader();
    /** The header section of the current message, checked against the limits. */
    final FieldSection headers;
    State state;
    /** Bytes of the current message consumed so far. */
    long received;

    private final BodyListener listener;
    private final ChunkedDecoder.Sink chunkSink;
    /** The class's name, for the messages of {@link IllegalStateException}. */
    private final String name;
    /** "request" or "response", for the messages of {@link BadHttpMessage}. */
    private final String message;
    /** "request body" or "body", for the messages of {@link BadHttpMessage}. */
    private final String body;
    private long remaining;
    private long length;
    private ChunkedDecoder chunked;
    private String failure;

    MessageParser(ParserLimits limits, BodyListener listener, State first, String name, String message, String body) {
        this.limits = Checks.notNull(limits, "limits");
        this.listener = Checks.notNull(listener, "listener");
        this.headers = new FieldSection(limits, "header");
        this.state = first;
        this.name = name;
        this.message = message;
        this.body = body;
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
     * Returns {@code true} once the current message is complete.
     *
     * @return {@code true} once the current message is complete
     */
    public boolean done() {
        return state == State.DONE;
    }

    /**
     * Parses bytes of the connection.
     *
     * @param data the bytes
     * @param offset where they start in {@code data}
     * @param length how many there are
     * @return how many bytes were consumed; fewer than {@code length} only at the end of the message
     * @throws BadHttpMessage if the bytes break HTTP/1.1 or a limit; the parser is then unusable
     * @throws IllegalStateException if the parser failed before, or is not ready for a message
     */
    public int feed(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkUsable();
        try {
            int n = parse(data, offset, offset + length);
            received += n;
            return n;
        } catch (BadHttpMessage e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Same as {@code feed(data, 0, data.length)}.
     *
     * @param data the bytes
     * @return how many bytes were consumed
     */
    public int feed(byte[] data) {
        return feed(data, 0, data.length);
    }

    /**
     * The connection closed: the end of a body that runs until close, the normal end between
     * messages, an error anywhere else.
     *
     * @throws BadHttpMessage of kind {@link Kind#INCOMPLETE} if a message was cut short
     */
    public void feedEof() {
        checkUsable();
        try {
            BadHttpMessage e = switch (state) {
                case DONE -> null;
                case BODY_CLOSE -> {
                    finish();
                    yield null;
                }
                case BODY_LENGTH -> new BadHttpMessage(Kind.INCOMPLETE, "connection closed after "
                        + (length - remaining) + " of " + length + " " + body + " bytes (Content-Length)", -1, null);
                case BODY_CHUNKED -> new BadHttpMessage(Kind.INCOMPLETE, "connection closed in a chunked " + body + ", "
                        + chunked.whereIncomplete(), -1, null);
                case START_LINE, HEADERS -> closedInHead();
                case IDLE, FAILED -> throw new AssertionError(state);
            };
            if (e != null) {
                throw e;
            }
        } catch (BadHttpMessage e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Throws if the parser cannot take bytes now.
     *
     * @throws IllegalStateException if the parser failed before
     */
    void checkUsable() {
        if (state == State.FAILED) {
            throw new IllegalStateException(name + " used after it failed: " + failure);
        }
    }

    /** Returns the failure that made the parser unusable, or {@code null}. */
    final String failure() {
        return failure;
    }

    private void fail(BadHttpMessage e) {
        State at = state;
        state = State.FAILED;
        failure = e.getMessage();
        failed(at, e);
    }

    /**
     * The parser has just failed with {@code e} in state {@code at}; nothing by default.
     *
     * @param at the state the failure happened in
     * @param e the failure
     */
    void failed(State at, BadHttpMessage e) {}

    /**
     * Reads the start line from {@code data[pos..end)}; moves to {@link State#HEADERS} once it
     * is complete.
     *
     * @return the position after what was consumed
     */
    abstract int startLine(byte[] data, int pos, int end);

    /**
     * The empty line that ends the header section was read: tells the listener and moves to the
     * body ({@link #expectLength}, {@link #expectChunked}, {@link #expectUntilClose}), to the end
     * ({@link #finish}) or to the next start line.
     *
     * @param h the fields of the section, read-only
     */
    abstract void endOfHead(Headers h);

    /**
     * Returns the failure of a connection closed in the start line or the header section, or
     * {@code null} if closing there is the normal end.
     *
     * @return the failure, or {@code null}
     */
    abstract BadHttpMessage closedInHead();

    private int parse(byte[] data, int off, int end) {
        int pos = off;
        while (pos < end) {
            switch (state) {
                case START_LINE -> pos = startLine(data, pos, end);
                case HEADERS -> {
                    pos = line.feed(data, pos, end, limits.maxLineSize(), "header field line");
                    if (line.complete()) {
                        if (line.length() == 0) {
                            endOfHead(headers.fields().readOnlyCopy());
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
                case IDLE, FAILED -> throw new AssertionError(state);
            }
        }
        return pos - off;
    }

    /** What {@link #bodyLength} returns for a chunked body. */
    static final long CHUNKED = -2;

    /**
     * Returns how the fields frame the body: {@link #CHUNKED}, the {@code Content-Length}, or -1
     * with neither, after refusing {@code Transfer-Encoding} together with
     * {@code Content-Length} (the classic smuggling vector: ambiguous framing) or in an HTTP/1.0
     * message. Reads Transfer-Encoding before Content-Length, so that a message broken in both is
     * refused for the former. What -1 and 0 mean is the caller's rule.
     *
     * @param h the header fields
     * @param versionMinor the message's HTTP/1.x minor version
     * @return {@link #CHUNKED}, the Content-Length, or -1
     * @throws BadHttpMessage if the framing fields are broken or conflict
     */
    final long bodyLength(Headers h, int versionMinor) {
        boolean chunkedTe = MessageFraming.transferEncodingIsChunked(h);
        long contentLength = MessageFraming.contentLength(h);
        if (!chunkedTe) {
            return contentLength;
        }
        if (contentLength >= 0) {
            throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING,
                    message + " has both Transfer-Encoding and Content-Length (refused: ambiguous framing)", -1,
                    Escaping.quote("Content-Length: " + h.get("Content-Length")));
        }
        if (versionMinor == 0) {
            throw new BadHttpMessage(Kind.BAD_TRANSFER_ENCODING, "HTTP/1.0 " + message + " has Transfer-Encoding", -1,
                    Escaping.quote(String.join(", ", h.getAll("Transfer-Encoding"))));
        }
        return CHUNKED;
    }

    /**
     * The body is {@code contentLength} bytes, more than 0.
     *
     * @param contentLength the Content-Length
     */
    final void expectLength(long contentLength) {
        remaining = contentLength;
        length = contentLength;
        state = State.BODY_LENGTH;
    }

    /** The body is chunked. */
    final void expectChunked() {
        chunked = new ChunkedDecoder(limits);
        state = State.BODY_CHUNKED;
    }

    /** The body runs until the connection closes. */
    final void expectUntilClose() {
        state = State.BODY_CLOSE;
    }

    /** The message is complete. */
    final void finish() {
        state = State.DONE;
        listener.complete();
    }

    /**
     * Makes ready for the next message's start line.
     */
    final void reset() {
        state = State.START_LINE;
        received = 0;
        chunked = null;
        headers.reset();
        line.reset();
    }

    /**
     * Returns the size of the parser's line buffer and chunked decoder, for tests of its memory bound.
     *
     * @return the bytes the parser holds on to
     */
    final int retainedBytes() {
        return line.capacity() + (chunked == null ? 0 : chunked.retainedBytes());
    }
}
