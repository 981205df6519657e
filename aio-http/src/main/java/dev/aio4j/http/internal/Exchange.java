package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.ClientPayloadError;
import dev.aio4j.http.ClientResponseError;
import dev.aio4j.http.Headers;
import dev.aio4j.http.RequestInfo;
import dev.aio4j.http.ServerDisconnectedError;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One request and its response on one pooled connection: sends the head and body, reads the
 * response head, then hands out the body piece by piece (de-chunked, decompressed when asked),
 * and finally gives the connection back: to the pool if the response ended cleanly and the
 * server allows reuse, otherwise closed. Every failure closes the connection, so a broken
 * connection never returns to the pool.
 *
 * <p>Pulled by the task that reads the response; no task of its own.
 */
public final class Exchange implements ResponseParser.Listener {
    /*
     * Maintainer notes. Three pieces of state, each an enum, plus one fact (`trailingBytes`).
     *
     * `state`, where the exchange is (who may call what):
     *
     *   state    | entered by                              | next
     *   ---------+-----------------------------------------+---------------------------------------
     *   SENDING  | construction                            | HEAD (head written), FAILED
     *   HEAD     | send() / sendExpectingContinue()        | BODY (readHead() returned), FAILED
     *   BODY     | readHead(), or a body error deferred    | DONE (nextBodyPiece() gave null), FAILED
     *   DONE     | the body was read to its end            | - (terminal; abort() does nothing)
     *   FAILED   | any error, or abort() before DONE       | - (terminal; the connection is closed)
     *
     * `hold`, what became of the connection; it may go back before DONE, because once the parser
     * saw the end of the response its body is in memory (`body`):
     *
     *   HELD (ours) --response ended on the wire--> POOLED (reusable) or CLOSED (not reusable)
     *   HELD --failure, abort, deferred body error--> CLOSED
     *
     * Reusable means: the head said keep-alive, no byte followed the response (`trailingBytes`),
     * and no announced body is still held back (`expect`).
     *
     * `expect`, the 100-continue handshake:
     *
     *   NOT_ASKED (send())
     *   AWAITING (sendExpectingContinue(): head sent, body held back)
     *     --interim 100--> CONTINUED --body written--> BODY_SENT
     *     --wait over, no answer--> (body written) BODY_SENT
     *     --final response first--> stays AWAITING or CONTINUED: the body is never sent, and the
     *       connection is closed at the end (the server may still read the announced body).
     *
     * Deadlines: the wait for 100 Continue is an OptionalDouble loop time; empty means "until the
     * final head, under the request's own timeouts only".
     *
     * `upload`, the body sent while the head is read (issue 14: a server may answer 413, 401 or
     * 417 after the head and stop reading; writing first and reading afterwards would then block
     * until a timeout or a broken pipe, and lose the answer). A body larger than one piece is
     * written by a task of its own; the requesting task reads meanwhile, under the total deadline
     * only until the upload ends (Deadlines.readWhileSending):
     *
     *   null (no body, or a small one written inline)
     *   running --body written--> done: the connection may be reused
     *   running --final head arrived--> cancelled (`uploadStopped`): the answer is returned, the
     *     connection is closed at the end, never reused
     *   running --failed before any head--> `uploadError`; the connection is aborted, which
     *     wakes the reader, and the upload's error is what the request throws
     *   running --failed after the head--> ignored (the answer is in hand; the connection closes)
     */
    private enum State { SENDING, HEAD, BODY, DONE, FAILED }

    private enum Hold { HELD, POOLED, CLOSED }

    private enum Expect {
        NOT_ASKED, AWAITING, CONTINUED, BODY_SENT;

        boolean bodyHeldBack() {
            return this == AWAITING || this == CONTINUED;
        }
    }

    private static final int READ_SIZE = 64 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    private final ConnectionPool pool;
    private final HttpConnection conn;
    private final String method;
    private final URI url;
    /** The fields the request is sent with: the {@link RequestInfo} of an error is made of them, on failure only. */
    private final Headers requestHeaders;
    private final Deadlines deadlines;
    private final List<URI> history;
    private final ResponseParser parser;
    private final BodyDecoding body = new BodyDecoding();
    private Consumer<byte[]> pieceListener;
    private Consumer<byte[]> chunkSent = piece -> { };
    /** Told just before the head is written (the session's trace configs); may throw. */
    private Runnable headSent = () -> { };
    private State state = State.SENDING;
    private Hold hold = Hold.HELD;
    private Expect expect = Expect.NOT_ASKED;
    /** Bytes arrived after the end of the response: the connection is not reused. */
    private boolean trailingBytes;
    private ResponseHead head;
    /** An error in the body that came with the head, thrown at the first body read; or null. */
    private Exception bodyError;
    /** The task writing the request body while the response is read, or null; see the notes. */
    private dev.aio4j.loop.Task<Void> upload;
    /** A final response arrived before the body was sent: the connection is not reused. */
    private boolean uploadStopped;
    /** Why the upload failed before any response head arrived, or null. */
    private Throwable uploadError;
    /** A WebSocket handshake: a 101 keeps the connection for the caller ({@link #takeUpgraded()}). */
    private boolean upgrade;
    /** Bytes that arrived after a 101 head (the first frames), or null. */
    private byte[] upgradeRest;

    /**
     * @param url the URL of the request as the caller gave it (fragment kept), for error messages
     * @param requestHeaders the fields the request is sent with, for the {@link RequestInfo} of a
     *        {@link ClientResponseError}
     * @param history the URLs of earlier responses of the redirect chain, for error messages
     */
    public Exchange(ConnectionPool pool, HttpConnection conn, String method, URI url, Headers requestHeaders, Deadlines deadlines,
                    List<URI> history) {
        this.pool = pool;
        this.conn = conn;
        this.method = method;
        this.url = url;
        this.requestHeaders = requestHeaders;
        this.deadlines = deadlines;
        this.history = history;
        this.parser = new ResponseParser(ParserLimits.DEFAULT, this);
        parser.start(method);
        conn.startRequest();
    }

    public HttpConnection connection() {
        return conn;
    }

    /**
     * Asks for the upgrade mode before sending (a WebSocket handshake): a {@code 101} response is
     * neither released nor closed, and the bytes after its head are kept for {@link #takeUpgraded()}.
     */
    public void expectUpgrade() {
        upgrade = true;
    }

    /** Whether the response is the 101 of an upgrade asked for with {@link #expectUpgrade()}. */
    private boolean upgraded() {
        return upgrade && head != null && head.status() == 101;
    }

    /**
     * Ends the exchange after a {@code 101} and hands the connection over: the caller now owns
     * {@link #connection()} (and gives it back to the pool with {@code release(conn, false)} when done).
     *
     * @return the bytes that arrived after the 101 head, maybe none
     * @throws IllegalStateException if the response is not an upgrade's 101
     */
    public byte[] takeUpgraded() {
        if (!upgraded() || state == State.FAILED) {
            throw new IllegalStateException("takeUpgraded() without a 101 response to an upgrade request: " + this);
        }
        state = State.DONE;
        byte[] rest = upgradeRest == null ? NO_BYTES : upgradeRest;
        upgradeRest = null;
        return rest;
    }

    /**
     * Sends the request head and body: inline when the body is none or one piece, otherwise the
     * head goes out now and an upload task sends the body while {@link #readHead()} reads (see the
     * maintainer notes on `upload`).
     *
     * @throws ClientOSError if the connection broke (inline sends; an upload's failure is thrown
     *         by {@link #readHead()})
     */
    public void send(byte[] requestHead, RequestBody requestBody) {
        announceHead();
        if (!sentInBackground(requestBody)) {
            write(() -> requestBody.write(requestHead, conn.out(), chunkSent));
            state = State.HEAD;
            return;
        }
        state = State.HEAD;
        startUpload(requestHead, requestBody);
    }

    /** Whether the body is written by a task of its own while the response is read: all but none and one piece. */
    private static boolean sentInBackground(RequestBody b) {
        return !(b instanceof RequestBody.None) && !(b instanceof RequestBody.Bytes bytes && bytes.data().length <= RequestBody.PIECE);
    }

    private void startUpload(byte[] head, RequestBody body) {
        upload = dev.aio4j.loop.Aio.createTask(() -> {
            body.write(head, conn.out(), chunkSent);
            return null;
        }, "http-upload " + method + " " + url);
        upload.addDoneCallback(this::uploadEnded);
    }

    /** The upload ended (a done-callback, on the loop); see the notes on `upload`. */
    private void uploadEnded(dev.aio4j.loop.Future<Void> t) {
        if (t.cancelled()) {
            return;
        }
        Throwable e = t.exception(); // retrieved here, so it is never reported as lost
        if (e == null || head != null || state == State.DONE || state == State.FAILED) {
            return;
        }
        uploadError = e;
        conn.abort(); // the reader wakes up to the end of the stream and reports uploadError
    }

    /** After the final head: a body still being sent is stopped, and the connection will not be reused. */
    private void stopUpload() {
        if (upload == null) {
            return;
        }
        if (!upload.done()) {
            upload.cancel();
            uploadStopped = true;
        } else if (upload.cancelled() || upload.exception() != null) {
            uploadStopped = true;
        }
    }

    /** The error the request throws when the upload failed before any response: the upload's own. */
    private RuntimeException uploadFailure() {
        Throwable e = uploadError;
        if (e == null && upload != null && upload.done() && !upload.cancelled()) {
            e = upload.exception();
        }
        if (e == null) {
            return null;
        }
        if (e instanceof IOException io) {
            return new ClientOSError("cannot send the request body", url, io);
        }
        if (e instanceof java.util.concurrent.CompletionException ce && ce.getCause() instanceof IOException io) {
            return new ClientOSError("cannot send the request body", url, io);
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new ClientOSError("cannot send the request body", url, new IOException(e));
    }

    /**
     * Sends the request head (which carries {@code Expect: 100-continue}), waits up to
     * {@code waitSeconds} for the server's answer, then sends the body, unless a final response
     * arrived first: then the body is never sent and {@link #readHead()} returns that response.
     *
     * @throws ClientOSError if the connection broke
     * @throws ServerDisconnectedError if the server closed the connection instead of answering
     * @throws ClientResponseError (status 400) if the server's answer was malformed
     */
    public void sendExpectingContinue(byte[] requestHead, RequestBody requestBody, double waitSeconds) {
        announceHead();
        expect = Expect.AWAITING;
        write(() -> {
            conn.out().write(requestHead);
            conn.out().drain();
        });
        state = State.HEAD;
        readHeadUntil(OptionalDouble.of(deadlines.now() + waitSeconds));
        if (head != null) {
            return; // a final response instead of 100 Continue: the body stays unsent
        }
        if (sentInBackground(requestBody)) {
            startUpload(NO_BYTES, requestBody);
        } else {
            write(() -> requestBody.write(NO_BYTES, conn.out(), chunkSent));
        }
        expect = Expect.BODY_SENT;
    }

    private interface Write {
        void run() throws IOException;
    }

    private void write(Write w) {
        try {
            deadlines.total(() -> {
                w.run();
                return null;
            });
        } catch (IOException e) {
            fail();
            throw new ClientOSError("cannot send the request", url, e);
        } catch (CompletionException e) {
            fail();
            if (e.getCause() instanceof IOException io) {
                throw new ClientOSError("cannot send the request body", url, io);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    /**
     * Reads until the response head has arrived (interim 1xx responses are skipped).
     *
     * @return the head
     * @throws ServerDisconnectedError if the server closed the connection before the head ended
     * @throws ClientResponseError (status 400) if the head breaks HTTP/1.1; the cause is the
     *         {@link BadHttpMessage}
     * @throws ClientOSError if the socket failed
     */
    public ResponseHead readHead() {
        readHeadUntil(OptionalDouble.empty());
        stopUpload();
        state = State.BODY;
        return head;
    }

    /**
     * Reads until the final head has arrived; when {@code waitAt} (a loop time) is present, stops
     * early when an interim 100 Continue has arrived or that time has passed.
     */
    private void readHeadUntil(OptionalDouble waitAt) {
        boolean waiting = waitAt.isPresent();
        try {
            while (head == null && !(waiting && expect == Expect.CONTINUED)) {
                byte[] data = waiting ? deadlines.readUntil(waitAt.getAsDouble(), () -> conn.in().read(READ_SIZE))
                        : deadlines.readWhileSending(upload, () -> conn.in().read(READ_SIZE));
                if (data == null) {
                    return; // the wait for 100 Continue is over
                }
                feed(data);
            }
        } catch (BadHttpMessage e) {
            if (head != null) {
                deferBodyError(e); // the head was fine; the body that came with it was not
                return;
            }
            fail();
            RuntimeException sendFailure = uploadFailure();
            if (sendFailure != null && e.kind() == BadHttpMessage.Kind.INCOMPLETE) {
                throw sendFailure;
            }
            if (e.kind() == BadHttpMessage.Kind.INCOMPLETE) {
                throw new ServerDisconnectedError("server disconnected: " + e.getMessage(), url);
            }
            // aiohttp's ClientResponse.start: ClientResponseError(self.request_info, self.history,
            // status=exc.code, message=exc.message, headers=exc.headers) from exc; exc.headers is
            // None for a head the parser refused, and exc.code 400
            throw new ClientResponseError(requestInfo(), 400, e.getMessage(), history, null, e);
        } catch (IOException e) {
            if (head != null) {
                deferBodyError(e);
                return;
            }
            fail();
            RuntimeException sendFailure = uploadFailure();
            if (sendFailure != null) {
                throw sendFailure;
            }
            throw new ClientOSError("cannot read the response", url, e);
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    /** The request as {@link ClientResponseError#requestInfo()} gives it (the same as the response's would be). */
    private RequestInfo requestInfo() {
        return new RequestInfo(Urls.withoutFragment(url), method, requestHeaders, url);
    }

    private void deferBodyError(Exception e) {
        bodyError = e;
        giveBack(false);
        state = State.BODY;
    }

    /**
     * Runs the listener of {@link #onHeadSent} (aiohttp's {@code on_headers_sent}, which its
     * {@code StreamWriter.write_headers} awaits before it writes the head); a listener that throws
     * fails the exchange, which closes the connection, with nothing written.
     */
    private void announceHead() {
        try {
            headSent.run();
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    /** Hears that the head is about to be written, before the body (the session's trace configs). */
    public void onHeadSent(Runnable listener) {
        this.headSent = listener;
    }

    /** Hears every piece of the request body once written (the session's trace configs). */
    public void onChunkSent(Consumer<byte[]> listener) {
        this.chunkSent = listener;
    }

    /** Hears every body piece {@link #nextBodyPiece()} returns (the session's trace configs). */
    public void onPiece(Consumer<byte[]> listener) {
        this.pieceListener = listener;
    }

    /** Uses {@link ContentDecoder} for the body from now on (call before reading it). */
    public void decodeWith(ContentDecoder decoder) {
        body.decodeWith(decoder);
    }

    /**
     * The next piece of the body, or {@code null} at its end (the connection has then been
     * released). May suspend to read from the socket.
     *
     * @throws ClientPayloadError if the body was cut short or malformed, or the socket failed
     * @throws dev.aio4j.http.ServerTimeoutError if a timeout expired
     */
    public byte[] nextBodyPiece() {
        if (state == State.DONE) {
            return null;
        }
        if (state == State.FAILED) {
            throw new IllegalStateException("response body read after the connection failed (" + url + ")");
        }
        try {
            while (true) {
                byte[] piece = body.next();
                if (piece != null) {
                    if (pieceListener != null) {
                        pieceListener.accept(piece);
                    }
                    return piece;
                }
                if (bodyError instanceof BadHttpMessage bad) {
                    throw bad;
                } else if (bodyError instanceof IOException io) {
                    throw io;
                }
                if (parser.done()) {
                    body.finish();
                    state = State.DONE;
                    body.close();
                    return null;
                }
                byte[] data = deadlines.read(() -> conn.in().read(READ_SIZE));
                feed(data);
            }
        } catch (BadHttpMessage e) {
            fail();
            if (e.kind() == BadHttpMessage.Kind.BAD_CONTENT_ENCODING && e.limit() >= 0) {
                throw new ClientPayloadError("decompressed response body is larger than maxDecompressedSize (" + e.limit()
                        + " bytes); raise it with RequestOption.maxDecompressedSize(...) or ClientSession.Builder"
                        + ".maxDecompressedSize(...) if the body is expected", url, e);
            }
            throw new ClientPayloadError("response payload is not complete or not valid: " + e.getMessage(), url, e);
        } catch (IOException e) {
            fail();
            throw new ClientPayloadError("connection broke while reading the response body: " + e, url, e);
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    /** Feeds what a read returned to the parser: an empty array is the end of the connection. */
    private void feed(byte[] data) {
        if (data.length == 0) {
            parser.feedEof();
            releaseConnection();
            return;
        }
        int n = parser.feed(data, 0, data.length);
        if (upgraded()) {
            if (n < data.length) {
                upgradeRest = java.util.Arrays.copyOfRange(data, n, data.length);
            }
            return; // the connection now carries another protocol: not released, not closed
        }
        if (n < data.length) {
            trailingBytes = true;
        }
        if (parser.done()) {
            releaseConnection();
        }
    }

    /**
     * Takes what has already arrived of the body into memory, without waiting for more: if that
     * ends the response, the connection goes back to the pool. For a redirect's body, which is
     * never waited for (aiohttp releases a redirect response at once); the caller then closes.
     */
    public void takeArrived() {
        if (state != State.BODY || hold != Hold.HELD || bodyError != null) {
            return;
        }
        try {
            while (!parser.done() && conn.in().bufferSize() > 0) {
                feed(conn.in().read(conn.in().bufferSize())); // never suspends: the bytes are there
            }
        } catch (BadHttpMessage | IOException e) {
            fail(); // a broken redirect body only costs its connection
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    /** Whether the body has been read to its end (the connection was then released). */
    public boolean done() {
        return state == State.DONE;
    }

    /** Whether the exchange failed (the connection was closed). */
    public boolean failed() {
        return state == State.FAILED;
    }

    /**
     * Ends the exchange early (the response was closed before its body was read): the connection
     * is closed unless the whole response had already arrived, since unread bytes may still
     * arrive. Does nothing after the end.
     */
    public void abort() {
        if (state != State.DONE && state != State.FAILED) {
            fail();
        }
    }

    /** The response ended on the wire: the connection goes back (its body bytes are in memory). */
    private void releaseConnection() {
        giveBack(head != null && head.keepAlive() && !trailingBytes && !expect.bodyHeldBack() && !uploadUnfinished());
    }

    /** Whether the request body was not sent completely (it is being sent, was stopped, or failed). */
    private boolean uploadUnfinished() {
        return upload != null && (uploadStopped || !upload.done() || upload.cancelled() || upload.exception() != null);
    }

    /** Gives the connection back once: to the pool if {@code reusable}, otherwise closed. */
    private void giveBack(boolean reusable) {
        if (hold != Hold.HELD) {
            return;
        }
        hold = reusable ? Hold.POOLED : Hold.CLOSED;
        pool.release(conn, reusable);
    }

    private void fail() {
        if (state == State.DONE || state == State.FAILED) {
            return;
        }
        state = State.FAILED;
        if (upload != null && !upload.done()) {
            upload.cancel();
        }
        body.close();
        giveBack(false);
    }

    // ------------------------------------------------------------------ ResponseParser.Listener

    @Override
    public void interim(ResponseHead interim) {
        if (interim.status() == 100 && expect == Expect.AWAITING) {
            expect = Expect.CONTINUED;
        }
    }

    @Override
    public void head(ResponseHead head) {
        this.head = head;
    }

    @Override
    public void body(byte[] data, int offset, int length) {
        body.add(data, offset, length);
    }

    @Override
    public void trailers(Headers trailers) {
        // Trailers are parsed (and checked) but not exposed, as aiohttp does not expose them.
    }

    @Override
    public void complete() {
        // parser.done() is the record of it; the connection is given back by feed().
    }

    @Override
    public String toString() {
        return "Exchange[" + state + ", connection " + hold.name().toLowerCase(java.util.Locale.ROOT)
                + (expect == Expect.NOT_ASKED ? "" : ", expect " + expect.name().toLowerCase(java.util.Locale.ROOT))
                + (upload == null ? "" : uploadStopped ? ", upload stopped" : upload.done() ? ", uploaded" : ", uploading")
                + ", " + method + " " + url + ", " + conn + "]";
    }
}
