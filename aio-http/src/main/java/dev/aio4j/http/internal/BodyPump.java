package dev.aio4j.http.internal;

import dev.aio4j.http.ClientPayloadError;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import java.net.URI;

/**
 * Streams a response body into a {@link StreamReader} for {@code ClientResponse.content()}: a task
 * pulls pieces from the {@link Exchange} and feeds them to the reader, and stops pulling while the
 * reader's buffer is over its flow-control mark (twice its limit) until the reader's user has read
 * it down to the limit. So a large body passes through in bounded memory, and the socket itself
 * is not read while the user does not read (the connection's own reader then pauses the socket).
 *
 * <p>aio-streams' {@code StreamReader} announces its flow control only to a {@link Transport}
 * ({@code pauseReading}/{@code resumeReading}); this class is that transport for a detached reader.
 * Every other transport method is unsupported.
 */
public final class BodyPump implements Transport {
    private final StreamReader reader;
    private final Exchange exchange;
    private final URI url;
    private final Runnable onEnd;
    private boolean paused;
    private Future<Void> resumed;
    private Task<Void> task;
    private boolean closed;

    /**
     * @param limit the reader's limit
     * @param onEnd runs when the body ended or failed (the response is then released)
     */
    public BodyPump(Exchange exchange, URI url, int limit, Runnable onEnd) {
        this.exchange = exchange;
        this.url = url;
        this.onEnd = onEnd;
        this.reader = new StreamReader(limit);
        reader.setTransport(this);
    }

    /** Starts pulling; returns the reader the body flows into. */
    public StreamReader start() {
        task = Aio.createTask(this::pump, "http-body " + url);
        return reader;
    }

    /** Stops pulling (the response was closed); the connection is closed unless the body ended. */
    public void stop() {
        closed = true;
        if (task != null && !task.done()) {
            task.cancel();
        }
        exchange.abort();
    }

    private Void pump() {
        try {
            byte[] piece;
            while ((piece = exchange.nextBodyPiece()) != null) {
                reader.feedData(piece);
                while (paused && !closed) {
                    resumed = Aio.getRunningLoop().createFuture();
                    resumed.await();
                }
            }
            reader.feedEof();
        } catch (CancelledError e) {
            exchange.abort();
            if (reader.exception() == null) {
                reader.setException(new ClientPayloadError("response was closed before its body was read", url, null));
            }
        } catch (Throwable e) {
            exchange.abort();
            reader.setException(e);
        } finally {
            onEnd.run();
        }
        return null;
    }

    // ------------------------------------------------------------------ Transport (flow control only)

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        paused = false;
        Future<Void> r = resumed;
        resumed = null;
        if (r != null && !r.done()) {
            r.setResult(null);
        }
    }

    @Override
    public boolean isReading() {
        return !paused;
    }

    @Override
    public void write(byte[] data) {
        throw unsupported("write");
    }

    @Override
    public void writeEof() {
        throw unsupported("writeEof");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void abort() {
        stop();
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw unsupported("setWriteBufferLimits");
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        throw unsupported("getWriteBufferLimits");
    }

    @Override
    public long getWriteBufferSize() {
        return 0;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return defaultValue;
    }

    @Override
    public Protocol getProtocol() {
        return null;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        throw unsupported("setProtocol");
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + "() is not supported on a response body stream (it is read-only)");
    }

    @Override
    public String toString() {
        return "BodyPump[" + exchange + ", " + reader + (paused ? ", paused" : "") + "]";
    }

}
