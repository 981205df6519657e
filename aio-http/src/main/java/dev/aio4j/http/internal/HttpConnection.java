package dev.aio4j.http.internal;

import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;

/**
 * One HTTP/1.1 connection of the pool: the stream pair from aio-streams and what the pool needs to
 * know about it. It carries one request at a time.
 */
public final class HttpConnection {
    private final PoolKey key;
    private final StreamReader in;
    private final StreamWriter out;
    private final int id;
    private int requests;
    private boolean closed;

    HttpConnection(PoolKey key, StreamPair pair, int id) {
        this.key = key;
        this.in = pair.reader();
        this.out = pair.writer();
        this.id = id;
    }

    public PoolKey key() {
        return key;
    }

    public StreamReader in() {
        return in;
    }

    public StreamWriter out() {
        return out;
    }

    /**
     * Returns how many requests this connection carried before the current one (0: fresh).
     *
     * @return how many requests this connection carried before the current one (0: fresh)
     */
    public int requestsBefore() {
        return requests;
    }

    /** Counts a request started on this connection. */
    public void startRequest() {
        requests++;
    }

    /**
     * Returns whether this connection carried a request before the current one.
     *
     * @return whether this connection carried a request before the current one
     */
    public boolean reused() {
        return requests > 1;
    }

    /**
     * Whether an idle connection can no longer carry a request: the server closed it (end of
     * stream), it broke, or it sent bytes nobody asked for.
     */
    public boolean stale() {
        return closed || in.exception() != null || in.atEof() || in.bufferSize() > 0 || out.isClosing();
    }

    /** Closes the socket at once, dropping anything unsent: for broken connections. */
    public void abort() {
        if (!closed) {
            closed = true;
            out.transport().abort();
        }
    }

    /**
     * Returns whether the connection runs over TLS (its transport has an {@code sslcontext}, as
     * aiohttp asks {@code transport.get_extra_info("sslcontext")}).
     *
     * @return whether the connection runs over TLS
     */
    public boolean tls() {
        return out.transport().getExtraInfo("sslcontext", null) != null;
    }

    /**
     * Closes gracefully: what is buffered is sent first (over TLS, close_notify, then the socket
     * closes once the server answers it or the shutdown timeout passes).
     */
    public void close() {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "HttpConnection[#" + id + " " + key + ", requests=" + requests + (closed ? ", closed" : "") + "]";
    }
}
