package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * The protocol behind a StreamReader/StreamWriter pair: asyncio's {@code StreamReaderProtocol}
 * with its {@code FlowControlMixin} (what {@code drain()} waits on).
 */
public final class StreamReaderProtocol implements Protocol {
    /*
     * Maintainer notes. writingPaused mirrors the transport's pause/resumeWriting; drainWaiters
     * are the drain() calls suspended while paused; each waiter's result is the error to throw
     * (null: go on). closed completes when connectionLost runs: with null, or with the error,
     * which is marked retrieved at once so that nobody awaiting waitClosed() is not an error.
     * connectionLost is idempotent: a second call feeds the reader again but leaves `closed`.
     */
    private final EventLoop loop;
    private final StreamReader reader;
    private final BiConsumer<Transport, StreamReaderProtocol> onConnected;
    private final Future<Void> closed;
    private Transport transport;
    private boolean overSsl;
    private boolean writingPaused;
    private boolean lost;
    private final ArrayDeque<Future<Throwable>> drainWaiters = new ArrayDeque<>();

    /**
     * @param onConnected for a server connection: makes the writer and starts the handler; null
     *     for a client connection
     */
    public StreamReaderProtocol(EventLoop loop, StreamReader reader, BiConsumer<Transport, StreamReaderProtocol> onConnected) {
        this.loop = loop;
        this.reader = reader;
        this.onConnected = onConnected;
        this.closed = loop.createFuture();
    }

    public boolean isServerSide() {
        return onConnected != null;
    }

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        reader.setTransport(transport);
        overSsl = transport.getExtraInfo("sslcontext") != null;
        if (onConnected != null) {
            onConnected.accept(transport, this);
        }
    }

    /** The transport changed under the writer (startTls). */
    public void replaceTransport(Transport t) {
        this.transport = t;
        overSsl = t.getExtraInfo("sslcontext") != null;
    }

    @Override
    public void dataReceived(byte[] data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return !overSsl; // a TLS transport cannot half-close: let it close
    }

    @Override
    public void connectionLost(Exception exc) {
        if (exc == null) {
            reader.feedEof();
        } else {
            reader.setException(exc);
        }
        if (!closed.done()) { // idempotent, as asyncio's: a second call keeps the first outcome
            if (exc == null) {
                closed.setResult(null);
            } else {
                closed.setException(exc);
                closed.exception(); // retrieved: waitClosed() is optional
            }
        }
        lost = true;
        if (writingPaused) {
            Future<Throwable>[] ws = drainWaiters.toArray(newArray(drainWaiters.size()));
            for (Future<Throwable> w : ws) {
                if (!w.done()) {
                    w.setResult(exc);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Future<Throwable>[] newArray(int n) {
        return new Future[n];
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        for (Future<Throwable> w : drainWaiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    /** asyncio's {@code _drain_helper}: suspends while writing is paused. */
    public void drainHelper() throws IOException {
        if (lost) {
            throw new SocketException("Connection lost");
        }
        if (!writingPaused) {
            return;
        }
        Future<Throwable> w = loop.createFuture();
        drainWaiters.add(w);
        try {
            Throwable e = w.await();
            if (e != null) {
                throw IoErrors.rethrow(e);
            }
        } finally {
            drainWaiters.remove(w);
        }
    }

    /** asyncio's {@code _get_close_waiter}. */
    public Future<Void> closedFuture() {
        return closed;
    }
}
