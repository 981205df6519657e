package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.ClientPayloadError;
import dev.aio4j.http.ClientResponseError;
import dev.aio4j.http.Headers;
import dev.aio4j.http.ServerDisconnectedError;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

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
     * Maintainer notes. States: SENDING -> HEAD (waiting for the head) -> BODY -> DONE (connection
     * released) or FAILED (connection aborted). `pending` holds de-chunked body slices that the
     * parser produced from one socket read (at most one read's worth: the reader's limit).
     * `extraBytes` is set when the server sent bytes after the end of the response: the
     * connection is then not reused. With Expect: 100-continue, `bodyPending` is true from the
     * moment the head is sent until the body has been written; a response that ends while it is
     * true (the server answered without the body) closes the connection, because the server may
     * still read the announced body from it. `continued` records the interim 100.
     */
    private enum State { SENDING, HEAD, BODY, DONE, FAILED }

    private static final int READ_SIZE = 64 * 1024;
    private static final int DECODE_PIECE = 16 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    private final ConnectionPool pool;
    private final HttpConnection conn;
    private final String method;
    private final URI url;
    private final Deadlines deadlines;
    private final List<URI> history;
    private final ResponseParser parser;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private State state = State.SENDING;
    private ResponseHead head;
    private boolean complete;
    private boolean extraBytes;
    private ContentDecoder decoder;
    private boolean decoderDraining;
    private byte[] decodeBuffer;
    private boolean sendFailed;
    private boolean bodyPending;
    private boolean continued;
    private boolean connReleased;
    private Exception bodyError;

    /**
     * @param history the URLs of earlier responses of the redirect chain, for error messages
     */
    public Exchange(ConnectionPool pool, HttpConnection conn, String method, URI url, Deadlines deadlines, List<URI> history) {
        this.pool = pool;
        this.conn = conn;
        this.method = method;
        this.url = url;
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
     * Returns whether no byte of the response arrived yet (a failure now may be retried).
     *
     * @return whether no byte of the response arrived yet (a failure now may be retried)
     */
    public boolean nothingReceived() {
        return parser.received() == 0 && !complete;
    }

    /**
     * Sends the request head and body.
     *
     * @throws ClientOSError if the connection broke
     */
    public void send(byte[] requestHead, RequestBody body) {
        write(() -> body.write(requestHead, conn.out()));
        state = State.HEAD;
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
    public void sendExpectingContinue(byte[] requestHead, RequestBody body, double waitSeconds) {
        bodyPending = true;
        write(() -> {
            conn.out().write(requestHead);
            conn.out().drain();
        });
        state = State.HEAD;
        double waitAt = deadlines.now() + waitSeconds;
        readHeadUntil(waitAt);
        if (head != null) {
            return; // a final response instead of 100 Continue: the body stays unsent
        }
        write(() -> body.write(NO_BYTES, conn.out()));
        bodyPending = false;
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
            sendFailed = true;
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
        readHeadUntil(Double.NaN);
        state = State.BODY;
        return head;
    }

    /**
     * Reads until the final head has arrived; when {@code waitAt} is a number, stops early when an
     * interim 100 Continue has arrived or loop time {@code waitAt} has passed.
     */
    private void readHeadUntil(double waitAt) {
        boolean waiting = !Double.isNaN(waitAt);
        try {
            while (head == null && !(waiting && continued)) {
                byte[] data = waiting ? deadlines.readUntil(waitAt, () -> conn.in().read(READ_SIZE))
                        : deadlines.read(() -> conn.in().read(READ_SIZE));
                if (data == null) {
                    return; // the wait for 100 Continue is over
                }
                if (data.length == 0) {
                    parser.feedEof();
                    releaseConnection();
                } else {
                    feed(data);
                }
            }
        } catch (BadHttpMessage e) {
            if (head != null) {
                deferBodyError(e); // the head was fine; the body that came with it was not
                return;
            }
            fail();
            if (e.kind() == BadHttpMessage.Kind.INCOMPLETE) {
                throw new ServerDisconnectedError("server disconnected: " + e.getMessage(), url);
            }
            throw new ClientResponseError(400, e.getMessage(), url, history, null, e);
        } catch (IOException e) {
            if (head != null) {
                deferBodyError(e);
                return;
            }
            fail();
            throw new ClientOSError("cannot read the response", url, e);
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    private ResponseHead deferBodyError(Exception e) {
        bodyError = e;
        if (!connReleased) {
            connReleased = true;
            pool.release(conn, false);
        }
        state = State.BODY;
        return head;
    }

    /** Uses {@link ContentDecoder} for the body from now on (call before reading it). */
    public void decodeWith(ContentDecoder decoder) {
        this.decoder = decoder;
        this.decodeBuffer = new byte[DECODE_PIECE];
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
                if (decoder != null && decoderDraining) {
                    int k = decoder.read(decodeBuffer, 0, decodeBuffer.length);
                    if (k > 0) {
                        return Arrays.copyOf(decodeBuffer, k);
                    }
                    decoderDraining = false;
                }
                byte[] raw = pending.poll();
                if (raw != null) {
                    if (decoder == null) {
                        return raw;
                    }
                    decoder.setInput(raw, 0, raw.length);
                    decoderDraining = true;
                    continue;
                }
                if (bodyError instanceof BadHttpMessage bad) {
                    throw bad;
                } else if (bodyError instanceof IOException io) {
                    throw io;
                }
                if (complete) {
                    if (decoder != null) {
                        decoder.finish();
                    }
                    state = State.DONE;
                    closeDecoder();
                    return null;
                }
                byte[] data = deadlines.read(() -> conn.in().read(READ_SIZE));
                if (data.length == 0) {
                    parser.feedEof();
                    releaseConnection();
                } else {
                    feed(data);
                }
            }
        } catch (BadHttpMessage e) {
            fail();
            throw new ClientPayloadError("response payload is not complete or not valid: " + e.getMessage(), url, e);
        } catch (IOException e) {
            fail();
            throw new ClientPayloadError("connection broke while reading the response body: " + e, url, e);
        } catch (RuntimeException | Error e) {
            fail();
            throw e;
        }
    }

    private void feed(byte[] data) {
        int n = parser.feed(data, 0, data.length);
        if (n < data.length) {
            extraBytes = true;
        }
        if (complete) {
            releaseConnection();
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
        if (connReleased) {
            return;
        }
        connReleased = true;
        boolean reusable = head != null && head.keepAlive() && !extraBytes && !sendFailed && !bodyPending;
        pool.release(conn, reusable);
    }

    private void fail() {
        if (state == State.DONE || state == State.FAILED) {
            return;
        }
        state = State.FAILED;
        closeDecoder();
        if (!connReleased) {
            connReleased = true;
            pool.release(conn, false);
        }
    }

    private void closeDecoder() {
        if (decoder != null) {
            decoder.close();
        }
        pending.clear();
    }

    // ------------------------------------------------------------------ ResponseParser.Listener

    @Override
    public void interim(ResponseHead interim) {
        if (interim.status() == 100) {
            continued = true;
        }
    }

    @Override
    public void head(ResponseHead head) {
        this.head = head;
    }

    @Override
    public void body(byte[] data, int offset, int length) {
        if (length > 0) {
            pending.add(Arrays.copyOfRange(data, offset, offset + length));
        }
    }

    @Override
    public void trailers(Headers trailers) {
        // Trailers are parsed (and checked) but not exposed, as aiohttp does not expose them.
    }

    @Override
    public void complete() {
        complete = true;
    }

    @Override
    public String toString() {
        return "Exchange[" + state + ", " + method + " " + url + ", " + conn + "]";
    }
}
