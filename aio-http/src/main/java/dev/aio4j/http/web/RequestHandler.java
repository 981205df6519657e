package dev.aio4j.http.web;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.Headers;
import dev.aio4j.http.internal.BodyFraming;
import dev.aio4j.http.internal.HeadSerializer;
import dev.aio4j.http.internal.MessageFraming;
import dev.aio4j.http.internal.ReasonPhrases;
import dev.aio4j.http.internal.RequestHead;
import dev.aio4j.http.internal.RequestParser;
import dev.aio4j.http.internal.ws.WebSocketConnection;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.TimerHandle;
import dev.aio4j.streams.FlowControl;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.BorrowedReadProtocol;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One HTTP/1.1 server connection: aiohttp's {@code web_protocol.RequestHandler}. The protocol
 * side parses bytes as they arrive ({@link RequestParser}) and feeds each request's body into
 * its {@link StreamReader}; one task per connection takes the requests in order, runs the
 * application and writes the responses.
 */
final class RequestHandler implements BorrowedReadProtocol, RequestParser.Listener {
    /*
     * Maintainer notes.
     *
     * One request at a time. The parser stops at the end of each request; bytes after it (a
     * pipelined request) are `held` and reading is paused until the response is written, then
     * the parser is reset and the held bytes fed. So at most one request is buffered, pipelined
     * requests are answered in order, and nothing is read from the bytes of a failed request.
     *
     * Hand-off: head() makes the Request; the task takes it from `ready`, or is woken through
     * `waiter` (completed with the request, or with null when the connection ends).
     *
     * Timers: one TimerHandle at a time, never further ahead than the shortest configured timeout
     * (WebServer.timerStep), so that re-arming for a new request never has to cancel it (a fired
     * timer whose deadline moved re-arms for the rest): no timer-heap work per request.
     * `timerKind`: HEAD (from the first byte of a request,
     * or the accept, until its head is parsed: 408 and close) or KEEPALIVE (after a response,
     * until the first byte of the next request: close quietly) or LINGER (while an unread body is
     * drained, see below: then close). lingeringTime is not part of the step: a drain is rare, and
     * its deadline, if shorter than the step, reschedules the timer once.
     *
     * Lingering close (aiohttp's lingering_time): a request whose body has not all arrived when
     * its response is done is drained first. `discarding` makes body() drop the bytes (none is
     * kept; the request's StreamReader is failed so nothing waits on it), the transport reads
     * again (the StreamReader may have paused it), and the task waits, with a LINGER timer,
     * until the parser ends the body (complete()), fails on its framing, the client closes, the
     * server shuts down, or the deadline passes. Only a body the parser ended cleanly lets the
     * connection go on; the bytes after it are then the next request, exactly as if the handler
     * had read the body. Not drained (the connection closes after the response, which says
     * Connection: close): lingeringTime 0, or an Expect never answered with 100 Continue (the
     * client may be waiting to send). A response that did not go out whole, a failed parser, an upgrade
     * or a shutdown close at once.
     *
     * Reads are lent (BorrowedReadProtocol: the loop's heap read array from a socket transport,
     * its plaintext buffer from TLS). In upgrade mode the loan is passed on to the WebSocket, which
     * consumes each read within the call: no array per read. Before, a read is copied into an array
     * of its own, which the HTTP path may keep (`held`, a pipelined request). This handler stays the
     * transport's protocol after an upgrade, as aiohttp's RequestHandler does (it feeds its
     * upgraded parser from data_received), rather than handing the transport over with
     * setProtocol: its connectionLost and eofReceived keep their order and bookkeeping (the
     * server's connection set, cancelling the handler), and pauseWriting reaches both flows.
     */
    private enum TimerKind { NONE, HEAD, KEEPALIVE, LINGER }

    private final WebServer server;
    private final EventLoop loop;
    private final FlowControl flow;
    private final RequestParser parser;
    private Transport transport;
    private Task<Void> task;
    private Request reading;   // the request whose body the parser is feeding
    private Request ready;     // parsed head, not yet taken by the task
    private Future<Request> waiter;
    private byte[] held;       // bytes after the parsed request, from heldOff on (not copied:
    private int heldOff;       // a read of many small pipelined requests is walked, not re-copied)
    private boolean pausedByUs;
    private boolean lost;
    private boolean eof;
    private boolean handling;
    private boolean closing;
    private boolean continueSent; // this request's Expect: 100-continue was answered
    private boolean discarding;   // lingering: body bytes are dropped, the task waits for their end
    private TimerKind timerKind = TimerKind.NONE;
    private TimerHandle timer;
    private double timerDeadline;
    private double timerAt;    // when `timer` fires; a shorter deadline reschedules it
    /** Upgrade mode: the WebSocket that every byte after the upgrade request goes to, or null. */
    private WebSocketConnection ws;

    RequestHandler(WebServer server, EventLoop loop) {
        this.server = server;
        this.loop = loop;
        this.flow = new FlowControl(loop);
        this.parser = new RequestParser(server.config().parserLimits(), this);
    }

    Transport transport() {
        return transport;
    }

    EventLoop loop() {
        return loop;
    }

    boolean lost() {
        return lost;
    }

    /** Whether the current request was read to its end (its body included). */
    boolean requestComplete() {
        return parser.done();
    }

    boolean idle() {
        return !handling && ready == null;
    }

    // ---------------------------------------------------------------------------- Protocol

    @Override
    public void connectionMade(Transport t) {
        this.transport = t;
        server.register(this);
        arm(TimerKind.HEAD, server.config().readHeadTimeout());
        task = loop.createTask(this::serve, "aio4j web connection " + t.getExtraInfo("peername", "?"));
    }

    @Override
    public void dataBorrowed(byte[] data, int offset, int length) {
        if (ws != null) {
            ws.dataBorrowed(data, offset, length);
            return;
        }
        dataReceived(Arrays.copyOfRange(data, offset, offset + length)); // the HTTP path may keep it
    }

    @Override
    public void dataReceived(byte[] data) {
        if (ws != null) {
            ws.dataReceived(data);
            return;
        }
        if (held != null || parser.done()) {
            if (held == null) {
                held = data;
                heldOff = 0;
            } else {
                held = concat(held, heldOff, data);
                heldOff = 0;
            }
            pause();
            return;
        }
        if (parser.failureStatus() != 0 || closing) {
            return; // answered and closing: read nothing more
        }
        if (timerKind == TimerKind.KEEPALIVE) {
            arm(TimerKind.HEAD, server.config().readHeadTimeout());
        }
        feed(data, 0);
    }

    private void feed(byte[] data, int offset) {
        int off = offset;
        while (off < data.length) {
            int n;
            try {
                n = parser.feed(data, off, data.length - off);
            } catch (BadHttpMessage e) {
                badRequest(parser.failureStatus(), e);
                return;
            }
            off += n;
            if (parser.done()) {
                if (off < data.length) {
                    held = data;
                    heldOff = off;
                    pause();
                }
                return;
            }
        }
    }

    @Override
    public boolean eofReceived() {
        eof = true;
        if (ws != null) {
            return ws.eofReceived();
        }
        if (held != null || parser.done() || parser.failureStatus() != 0) {
            // a drain that just ended (the task has not run yet) may hold a request to answer
            return handling || ready != null || discarding;
        }
        try {
            parser.feedEof();
        } catch (BadHttpMessage e) {
            if (reading != null) {
                reading.content().setException(new IOException("the client closed the connection in the middle of the body: "
                        + e.getMessage(), e));
                reading = null;
            }
        }
        wake(null);
        return handling || ready != null; // keep the socket open for the response being written
    }

    @Override
    public void connectionLost(Exception exc) {
        lost = true;
        stopTimer();
        flow.connectionLost(exc);
        if (reading != null) {
            reading.content().setException(exc != null ? exc : new SocketException("Connection lost in the middle of the request body"));
            reading = null;
        }
        wake(null);
        if (ws != null) {
            ws.connectionLost(exc);
        }
        server.unregister(this);
        if (handling && server.config().handlerCancellation() && task != null) {
            task.cancel("the client closed the connection");
        }
    }

    @Override
    public void pauseWriting() {
        flow.pauseWriting();
        if (ws != null) {
            ws.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        flow.resumeWriting();
        if (ws != null) {
            ws.resumeWriting();
        }
    }

    // ---------------------------------------------------------------------- parser listener

    @Override
    public void head(RequestHead head) {
        disarm();
        continueSent = false;
        StreamReader content = new StreamReader(server.config().readBufferSize());
        content.setTransport(transport);
        Request r = new Request(this, head, content, server.clientMaxSize());
        reading = r;
        if (waiter != null && !waiter.done()) {
            waiter.setResult(r);
        } else {
            ready = r;
        }
    }

    @Override
    public void body(byte[] data, int offset, int length) {
        if (reading != null && !discarding) {
            reading.content().feedData(Arrays.copyOfRange(data, offset, offset + length));
        }
    }

    @Override
    public void trailers(Headers trailers) {
        if (reading != null) {
            reading.trailers(trailers);
        }
    }

    @Override
    public void complete() {
        if (reading != null) {
            if (!discarding) {
                reading.content().feedEof();
            }
            reading = null;
        }
        if (discarding) {
            wake(null);
        }
    }

    // ------------------------------------------------------------------------- the task

    private void serve() {
        try {
            while (true) {
                Request request = nextRequest();
                if (request == null) {
                    break;
                }
                handling = true;
                boolean keepAlive;
                try {
                    keepAlive = server.handle(request);
                } finally {
                    handling = false;
                }
                if (!parser.done() && answered(request) && mayLinger(request)) {
                    linger(request);
                }
                if (request.content().exception() == null) {
                    // aiohttp's payload.set_exception(PayloadAccessError()) after every request:
                    // a reader that comes after the response fails, whatever is still buffered
                    request.content().setException(new BodyReadAfterResponse(request, false));
                }
                if (!keepAlive || lost || closing || eof && held == null || !parser.done()) {
                    break;
                }
                parser.next();
                if (server.closing()) {
                    break;
                }
                arm(TimerKind.KEEPALIVE, server.config().keepaliveTimeout());
                byte[] rest = held;
                int restOff = heldOff;
                held = null;
                // not resume(): the finished request's StreamReader may have paused reading too (a
                // body that arrived whole, past twice its limit, and was not read to its end), and
                // nothing else would resume it for the next request
                pausedByUs = false;
                if (!lost) {
                    transport.resumeReading();
                }
                if (rest != null) {
                    arm(TimerKind.HEAD, server.config().readHeadTimeout());
                    feed(rest, restOff);
                }
            }
        } catch (CancelledError e) {
            if (transport != null) {
                transport.abort();
            }
            throw e;
        } finally {
            handling = false;
            disarm();
            if (transport != null && !transport.isClosing()) {
                transport.close();
            }
        }
    }

    private Request nextRequest() {
        while (true) {
            if (ready != null) {
                Request r = ready;
                ready = null;
                return r;
            }
            if (lost || closing || eof || parser.failureStatus() != 0) {
                return null;
            }
            waiter = loop.createFuture();
            Request r;
            try {
                r = waiter.await();
            } finally {
                waiter = null;
            }
            if (r != null) {
                ready = null;
                return r;
            }
        }
    }

    /** Whether the last response to {@code request} went out whole. */
    private static boolean answered(Request request) {
        StreamResponse response = request.response();
        return response != null && response.writer() != null && response.writer().eofWritten();
    }

    /**
     * Whether the unread rest of {@code request}'s body would be drained after its response
     * (lingering close), rather than the connection closed.
     */
    boolean mayLinger(Request request) {
        return server.config().lingeringTime() > 0 && !lost && !closing && !server.closing() && parser.failureStatus() == 0
                && (continueSent || !expectsAnInterimAnswer(request)) && !transport.isClosing();
    }

    /**
     * Whether the client may hold its body back until the server answers its {@code Expect}:
     * {@code 100-continue}, or an expectation the server does not know (an HTTP/1.1 request; an
     * HTTP/1.0 client sends its body whatever it expects).
     */
    private static boolean expectsAnInterimAnswer(Request request) {
        return request.head().expectContinue() || request.head().versionMinor() >= 1 && request.headers().contains("Expect");
    }

    /**
     * aiohttp's lingering close: reads and discards the rest of the body for up to
     * {@code lingeringTime}; the caller goes on with the connection only if the parser ended the
     * body.
     */
    private void linger(Request request) {
        double deadline = loop.time() + server.config().lingeringTime();
        discarding = true;
        request.content().setException(new BodyReadAfterResponse(request, true));
        transport.resumeReading(); // the request's StreamReader may have paused it
        arm(TimerKind.LINGER, server.config().lingeringTime());
        try {
            // A client's EOF ends it through the parser: eofReceived feeds it the EOF, which mid-body
            // is a failure (failureStatus), and wakes this loop.
            while (!parser.done() && !lost && !closing && parser.failureStatus() == 0 && loop.time() < deadline) {
                waiter = loop.createFuture();
                try {
                    waiter.await();
                } finally {
                    waiter = null;
                }
            }
        } finally {
            discarding = false;
            if (timerKind == TimerKind.LINGER) {
                disarm();
            }
        }
        if (!parser.done() && !lost && loop.time() >= deadline) {
            WebServer.LOG.log(System.Logger.Level.DEBUG, () -> "closing " + this + ": the unread rest of the request body did not end within "
                    + server.config().lingeringTime() + " s (lingering close)");
        }
    }

    private void wake(Request r) {
        if (waiter != null && !waiter.done()) {
            waiter.setResult(r);
        }
    }

    // ------------------------------------------------------------------------ responses

    /** Builds the head of {@code response} and returns its writer (called by {@code prepare}). */
    PayloadWriter startResponse(Request request, StreamResponse response, long knownLength, boolean chunkedAsked,
                                boolean forceClose, String compressionMode) throws IOException {
        if (lost) {
            throw new SocketException("Connection lost: the client went away before the response was prepared");
        }
        if (request.response() != null && request.response() != response) {
            throw new IllegalStateException("another response to " + request + " was prepared already: " + request.response());
        }
        RequestHead head = request.head();
        int status = response.status();
        Headers headers = response.headers();
        // the method the client sent: a clone prepared with another still answers this exchange
        boolean noBody = request.methodSent().equals("HEAD") || status < 200 || status == 204 || status == 304;
        // HEAD gets the Content-Encoding GET would (RFC 9110 9.3.2); the writer compresses nothing
        boolean noContent = status < 200 || status == 204 || status == 304;
        String coding = noContent ? null : Compression.choose(compressionMode, request, headers);
        if (coding != null) {
            headers.set("Content-Encoding", coding);
            headers.add("Vary", "Accept-Encoding");
            knownLength = -1; // the compressed length is not known in advance
            headers.remove("Content-Length");
        }
        BodyFraming framing;
        // a Connection: close the handler set itself is kept to (RFC 9112 9.6: no request after it)
        boolean keepAlive = head.keepAlive() && !forceClose && !server.closing() && !MessageFraming.connectionHas(headers, "close");
        if (status < 200 || status == 204 || status == 304) {
            framing = new BodyFraming.None();
        } else if (knownLength >= 0 && !chunkedAsked) {
            framing = new BodyFraming.Length(knownLength);
        } else if (head.versionMinor() >= 1) {
            framing = new BodyFraming.Chunked();
        } else {
            framing = new BodyFraming.UntilClose();
            keepAlive = false;
        }
        boolean empty = framing instanceof BodyFraming.None || framing instanceof BodyFraming.Length l && l.length() == 0;
        if (!headers.contains("Content-Type") && !empty) { // RFC 9110 8.3: no type for no content
            headers.set("Content-Type", "application/octet-stream");
        }
        server.commonHeaders(headers);
        if (!keepAlive && head.versionMinor() >= 1) {
            headers.set("Connection", "close");
        } else if (keepAlive && head.versionMinor() == 0) {
            headers.set("Connection", "keep-alive");
        }
        // built whole first: a field the serializer refuses leaves this response unclaimed and
        // nothing written, so the server can still answer 500 in its place
        byte[] bytes = HeadSerializer.serverResponse(status, response.reason(), headers, framing);
        request.response(response);
        boolean chunked = framing instanceof BodyFraming.Chunked;
        long declared = framing instanceof BodyFraming.Length l ? l.length() : -1;
        return new PayloadWriter(this, bytes, chunked, noBody, declared, keepAlive, coding);
    }

    /**
     * Builds the {@code 101 Switching Protocols} head of a WebSocket handshake; the connection will
     * not carry another HTTP request.
     */
    PayloadWriter startUpgrade(Request request, WebSocketResponse response) throws IOException {
        if (lost) {
            throw new SocketException("Connection lost: the client went away before the WebSocket handshake was answered");
        }
        if (request.response() != null && request.response() != response) {
            throw new IllegalStateException("another response to " + request + " was prepared already: " + request.response());
        }
        Headers headers = response.headers();
        server.commonHeaders(headers);
        byte[] bytes = HeadSerializer.serverResponse(101, response.reason(), headers, new BodyFraming.None());
        request.response(response);
        return new PayloadWriter(this, bytes, false, true, -1, false, null);
    }

    /**
     * Upgrade mode: from now on every byte goes to {@code socket} (the bytes held after the upgrade
     * request first), timers stop, and the connection task ends after the handler.
     */
    void upgrade(WebSocketConnection socket) {
        this.ws = socket;
        closing = true; // no HTTP request after this one
        stopTimer();
        if (flow.isPaused()) {
            socket.pauseWriting();
        }
        // Our pause (for the held bytes) ends first: the WebSocket's own, if the held bytes fill
        // its queue, must not be lifted by it afterwards.
        resume();
        byte[] rest = held;
        held = null;
        if (rest != null) {
            socket.dataBorrowed(rest, heldOff, rest.length - heldOff);
        }
        if (eof) {
            socket.eofReceived();
        }
    }

    /** Sends {@code HTTP/1.1 100 Continue} (the client asked with {@code Expect: 100-continue}). */
    void sendContinue() {
        if (continueSent) {
            return; // once per request, whoever asks (an expect handler, then the server)
        }
        continueSent = true;
        if (!lost) {
            transport.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    void drain() throws IOException {
        flow.drain();
    }

    /** A request failed to parse: answer its status (400, 414, 431, 505) and close. */
    private void badRequest(int status, BadHttpMessage e) {
        disarm();
        if (reading != null) {
            reading.content().setException(e);
            reading = null;
            wake(null); // ends a lingering drain
            return; // its handler is running: it fails reading, and the connection closes after it
        }
        server.logBadRequest(this, status, e);
        answerAndClose(status, e.getMessage());
    }

    /** Writes a minimal error response and closes: for requests that never reached a handler. */
    private void answerAndClose(int status, String detail) {
        closing = true;
        wake(null);
        if (lost || handling) {
            return;
        }
        String reason = ReasonPhrases.of(status);
        String text = status + ": " + reason + (detail == null || !server.config().showErrorDetails() ? "" : "\n\n" + detail);
        Headers h = new Headers();
        h.set("Content-Type", "text/plain; charset=utf-8");
        h.set("Connection", "close");
        server.commonHeaders(h);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] head = HeadSerializer.serverResponse(status, reason, h, new BodyFraming.Length(body.length));
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        transport.write(all);
        transport.close();
        server.logRefused(this, status, reason, h, body.length);
    }

    /** Closes the connection if it waits between requests (graceful shutdown). */
    void closeIfIdle() {
        if (idle() && !lost && (parser.idle() || parser.done() || discarding)) { // a drain ends at once
            closing = true;
            wake(null);
        }
    }

    /** Cancels the handler still running (graceful shutdown's deadline passed). */
    void cancelHandler() {
        if (task != null && !task.done()) {
            task.cancel("the server is shutting down and the shutdown timeout passed");
        }
    }

    Task<Void> task() {
        return task;
    }

    // ----------------------------------------------------------------------- flow, timers

    private void pause() {
        if (!pausedByUs && !lost) {
            pausedByUs = true;
            transport.pauseReading();
        }
    }

    private void resume() {
        if (pausedByUs && !lost) {
            pausedByUs = false;
            transport.resumeReading();
        }
    }

    private void arm(TimerKind kind, double seconds) {
        if (seconds <= 0 || Double.isInfinite(seconds)) {
            disarm();
            return;
        }
        double now = loop.time();
        timerKind = kind;
        timerDeadline = now + seconds;
        if (timer != null && timerAt > timerDeadline) {
            timer.cancel(); // only when a timeout is shorter than the step (see timerStep)
            timer = null;
        }
        if (timer == null) {
            double wait = Math.min(seconds, server.timerStep());
            timer = loop.callLater(wait, this::timerFired);
            timerAt = now + wait;
        }
    }

    private void disarm() {
        timerKind = TimerKind.NONE;
    }

    /**
     * For good (the connection is lost, or upgraded and its bytes are the WebSocket's): the
     * disarmed timer is cancelled rather than left to fire once, up to a timer step later, so a
     * long-lived WebSocket leaves no timer in the heap (the loop reads its clock while any is).
     */
    private void stopTimer() {
        disarm();
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void timerFired() {
        timer = null;
        if (timerKind == TimerKind.NONE || lost) {
            return;
        }
        double now = loop.time();
        double left = timerDeadline - now;
        if (left > 0) {
            double wait = Math.min(left, server.timerStep());
            timer = loop.callLater(wait, this::timerFired);
            timerAt = now + wait;
            return;
        }
        TimerKind kind = timerKind;
        timerKind = TimerKind.NONE;
        if (kind == TimerKind.LINGER) {
            wake(null); // the drain's deadline: the connection closes
            return;
        }
        if (kind == TimerKind.KEEPALIVE) {
            closing = true;
            wake(null);
            transport.close();
            return;
        }
        // HEAD: the request head did not arrive in time (slowloris)
        server.logTimeout(this);
        answerAndClose(408, "the request head did not arrive within " + server.config().readHeadTimeout() + " s");
    }

    private static byte[] concat(byte[] a, int aOff, byte[] b) {
        byte[] out = new byte[a.length - aOff + b.length];
        System.arraycopy(a, aOff, out, 0, a.length - aOff);
        System.arraycopy(b, 0, out, a.length - aOff, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "<RequestHandler " + (transport == null ? "unconnected" : transport.getExtraInfo("peername", "?"))
                + (ws != null ? " websocket" : "") + (handling ? " handling" : "") + (discarding ? " lingering" : "") + (lost ? " lost" : "") + ">";
    }

    /**
     * aiohttp's {@code PayloadAccessError}: a request's body read after its response was sent.
     * One is set on every request's body, so it is cheap: no stack trace (the reader's own call
     * fails with it) and the message is built only when asked for.
     */
    static final class BodyReadAfterResponse extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final transient Request request;
        private final boolean discarded;

        BodyReadAfterResponse(Request request, boolean discarded) {
            this.request = request;
            this.discarded = discarded;
        }

        @Override
        public String getMessage() {
            String what = request == null ? "the body" : "the body of " + request.method() + " " + request.rawPath();
            return what + " was read after its response was sent"
                    + (discarded ? "; the server discards the rest (lingering close)" : "") + ": read it in the handler";
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // one per request: the stack of the handler that returned says nothing
        }
    }
}
