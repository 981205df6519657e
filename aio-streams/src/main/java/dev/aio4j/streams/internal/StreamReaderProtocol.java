package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.FlowControl;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * The protocol behind a StreamReader/StreamWriter pair: asyncio's {@code StreamReaderProtocol}
 * with its {@code FlowControlMixin} (what {@code drain()} waits on).
 */
public final class StreamReaderProtocol implements Protocol {
    /*
     * Maintainer notes. Write-side flow control is FlowControl's (the public helper). closed completes when connectionLost runs: with null, or with the error,
     * which is marked retrieved at once so that nobody awaiting waitClosed() is not an error.
     * connectionLost is idempotent: a second call feeds the reader again but leaves `closed`.
     */
    private final EventLoop loop;
    private final StreamReader reader;
    private final BiConsumer<Transport, StreamReaderProtocol> onConnected;
    private final Future<Void> closed;
    private Transport transport;
    private boolean overSsl;
    private final FlowControl flow;

    /**
     * @param onConnected for a server connection: makes the writer and starts the handler; null
     *     for a client connection
     */
    public StreamReaderProtocol(EventLoop loop, StreamReader reader, BiConsumer<Transport, StreamReaderProtocol> onConnected) {
        this.loop = loop;
        this.reader = reader;
        this.onConnected = onConnected;
        this.closed = loop.createFuture();
        this.flow = new FlowControl(loop);
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
        ReaderAccess.feedOwned(reader, data); // the protocol owns data (Protocol's contract): no copy
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
        flow.connectionLost(exc);
    }

    @Override
    public void pauseWriting() {
        flow.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        flow.resumeWriting();
    }

    /** asyncio's {@code _drain_helper}: suspends while writing is paused. */
    public void drainHelper() throws IOException {
        flow.drain();
    }

    /** asyncio's {@code _get_close_waiter}. */
    public Future<Void> closedFuture() {
        return closed;
    }
}
