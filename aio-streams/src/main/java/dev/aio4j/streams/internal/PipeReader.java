package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * A pipe read by one thread ({@link PipeThreads}): asyncio's {@code _UnixReadPipeTransport}, over a blocking
 * {@link InputStream}. A subprocess's stdout or stderr feeds a {@link StreamReader}; a pipe of
 * {@code connectReadPipe} feeds a {@link Protocol} ({@code dataReceived}, then
 * {@code eofReceived} and {@code connectionLost(null)} at end of stream, {@code connectionLost(e)}
 * on a read error, {@code connectionLost(null)} on close).
 */
public final class PipeReader implements Transport {
    /*
     * Maintainer notes.
     *
     * Back-pressure: the pump thread takes one permit of `credit` before each read, so at most one
     * chunk is read ahead of the loop; one that arrives while paused is `held`, not delivered,
     * until resumeReading() (asyncio's paused pipe delivers nothing). The loop gives the permit back after it fed the chunk to
     * the reader, unless the reader paused us (its buffer passed 2 * limit): then the permit is
     * owed and returned by resumeReading(). So the reader holds at most 2 * limit + one chunk, and
     * a chatty child blocks on a full OS pipe. A pump waiting for credit when its loop closes
     * (nobody read or closed the pipe) would wait for good: Subprocess's close hook on the loop
     * calls abandon(), which gives it a permit and stops it.
     *
     * A pipe of connectReadPipe registers its own close hook (ownCloseHook), removed when the
     * pipe ends.
     *
     * Loop-side fields (paused, owed, closed) are touched on the loop only; `stop` is the one
     * field the pump reads, set by close().
     */
    private final EventLoop loop;
    private final InputStream in;
    private Protocol protocol;
    private final int chunk;
    private final String name;
    private final Semaphore credit = new Semaphore(0);
    private volatile boolean stop;
    private boolean paused;
    private boolean owed;
    private byte[] held; // a chunk that arrived while paused: delivered on resumeReading()
    private boolean closed;
    private int pauses;
    private Runnable removeCloseHook;

    /**
     * Attaches {@code reader} and starts the pump; {@code onDisconnected} runs on the loop once, at
     * end of stream, on a read error, or on {@link #close()}.
     */
    public PipeReader(EventLoop loop, InputStream in, StreamReader reader, String name, Runnable onDisconnected) {
        this(loop, in, new ReaderFeed(reader, onDisconnected), Math.min(reader.limit(), 64 * 1024), name);
        reader.setTransport(this); // before any chunk: the pump's deliveries run on the loop, after this
    }

    /**
     * {@code connect_read_pipe}: {@code protocol} hears the pipe's data and end. Deliveries are
     * posted to the loop, so a {@code connectionMade} the caller runs right after this comes
     * first. The pipe stops (its stream closed) when the loop closes with it still open.
     */
    public PipeReader(EventLoop loop, InputStream in, Protocol protocol, String name) {
        this(loop, in, protocol, 64 * 1024, name);
        removeCloseHook = LoopAccess.onClose(loop, this::abandon);
    }

    private PipeReader(EventLoop loop, InputStream in, Protocol protocol, int chunk, String name) {
        this.loop = loop;
        this.in = Checks.notNull(in, "pipe");
        this.protocol = protocol;
        this.name = name;
        this.chunk = chunk;
        credit.release();
        PipeThreads.start(name, this::pump);
    }

    /** A subprocess pipe's protocol: feeds the StreamReader, then tells the subprocess. */
    private record ReaderFeed(StreamReader reader, Runnable onDisconnected) implements Protocol {
        @Override
        public void dataReceived(byte[] data) {
            reader.feedData(data); // may call pauseReading()
        }

        @Override
        public boolean eofReceived() {
            reader.feedEof();
            return false;
        }

        @Override
        public void connectionLost(Exception exc) {
            if (exc != null) {
                reader.setException(exc);
            } else {
                reader.feedEof();
            }
            onDisconnected.run();
        }
    }

    /** Runs one protocol callback; a failure goes to the loop's exception handler, as asyncio's call_soon. */
    private void callProtocol(String what, Runnable call) {
        ProtocolCalls.call(loop, what, this, call);
    }

    private void pump() {
        try {
            byte[] buf = new byte[chunk];
            while (true) {
                if (!takeCredit()) {
                    return;
                }
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (!stop) {
                        post(() -> failed(e));
                    }
                    return;
                }
                if (stop) {
                    return;
                }
                if (n < 0) {
                    post(this::eof);
                    return;
                }
                if (n == 0) {
                    credit.release();
                    continue;
                }
                byte[] data = Arrays.copyOf(buf, n);
                if (!post(() -> deliver(data))) {
                    return;
                }
            }
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Waits for the loop (or abandon()) to give a permit back; false once stopped meanwhile. */
    private boolean takeCredit() {
        credit.acquireUninterruptibly();
        return !stop;
    }

    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (RuntimeException e) { // the loop is closed: nobody will read
            stop = true;
            return false;
        }
    }

    private void deliver(byte[] data) {
        if (closed) {
            return;
        }
        if (paused) { // read ahead before the pause: kept until resumeReading(), the pump waits for credit
            held = data;
            return;
        }
        callProtocol("dataReceived", () -> protocol.dataReceived(data)); // may call pauseReading()
        if (paused) {
            owed = true;
        } else {
            credit.release();
        }
    }

    private void eof() {
        if (closed) {
            return;
        }
        closed = true;
        callProtocol("eofReceived", protocol::eofReceived);
        lost(null);
    }

    private void failed(IOException e) {
        if (closed) {
            return;
        }
        closed = true;
        // as asyncio's _UnixReadPipeTransport._fatal_error: a read error is reported, not only
        // handed to connectionLost (asyncio spares EIO, which an IOException does not tell apart)
        loop.callExceptionHandler(ExceptionContext.of("Fatal read error on pipe transport: " + this, e));
        lost(e);
    }

    private void lost(Exception exc) {
        if (removeCloseHook != null) {
            removeCloseHook.run();
            removeCloseHook = null;
        }
        callProtocol("connectionLost", () -> protocol.connectionLost(exc));
    }

    @Override
    public void pauseReading() {
        if (closed || paused) {
            return;
        }
        paused = true;
        pauses++;
    }

    @Override
    public void resumeReading() {
        if (!paused) {
            return;
        }
        paused = false;
        if (held != null) {
            byte[] data = held;
            held = null;
            loop.callSoon(() -> deliver(data)); // gives the credit back once delivered
        } else if (owed) {
            owed = false;
            credit.release();
        }
    }

    @Override
    public boolean isReading() {
        return !paused && !closed;
    }

    /** How often the reader paused this pipe (for tests). */
    public int pauses() {
        return pauses;
    }

    /** Stops reading: the reader sees end of stream now; the pump ends after its current read. */
    @Override
    public void close() {
        if (closed) {
            stop();
            return;
        }
        closed = true;
        stop();
        if (protocol instanceof ReaderFeed) {
            lost(null); // the subprocess's reader sees end of stream at once
        } else {
            loop.callSoon(() -> lost(null)); // as asyncio's _close: connection_lost on the next iteration
        }
    }

    /**
     * Any thread, when the loop closes: ends the pump (even one waiting for credit that the closed
     * loop will never give back); the reader is not told.
     */
    public void abandon() {
        stop();
    }

    private void stop() {
        if (stop) {
            return;
        }
        stop = true;
        credit.release();
        try {
            in.close(); // a read in progress returns at the child's next write or exit
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public void write(byte[] data) {
        throw new UnsupportedOperationException("the " + name + " pipe is read-only");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("the " + name + " pipe is read-only");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        Checks.watermarks(high, low);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(0, 0);
    }

    @Override
    public long getWriteBufferSize() {
        return 0;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "pipe".equals(name) ? in : defaultValue;
    }

    @Override
    public Protocol getProtocol() {
        return protocol instanceof ReaderFeed ? null : protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        if (this.protocol instanceof ReaderFeed) {
            throw new UnsupportedOperationException("a subprocess pipe feeds its StreamReader directly");
        }
        this.protocol = Checks.notNull(protocol, "protocol");
    }

    @Override
    public String toString() {
        return "PipeReader[" + name + (closed ? ", closed" : paused ? ", paused" : ", reading") + "]";
    }
}
