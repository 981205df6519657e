package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * A subprocess's stdout or stderr, read by one virtual thread into a {@link StreamReader}: the
 * read side of asyncio's {@code _UnixReadPipeTransport}, over a blocking {@link InputStream}.
 */
public final class PipeReader implements Transport {
    /*
     * Maintainer notes.
     *
     * Back-pressure: the pump thread takes one permit of `credit` before each read, so at most one
     * chunk is read ahead of the loop. The loop gives the permit back after it fed the chunk to
     * the reader, unless the reader paused us (its buffer passed 2 * limit): then the permit is
     * owed and returned by resumeReading(). So the reader holds at most 2 * limit + one chunk, and
     * a chatty child blocks on a full OS pipe. A pump waiting for credit when its loop closes
     * (nobody read or closed the pipe) would wait for good: Subprocess's close hook on the loop
     * calls abandon(), which gives it a permit and stops it.
     *
     * Loop-side fields (paused, owed, closed) are touched on the loop only; `stop` is the one
     * field the pump reads, set by close().
     */
    private final EventLoop loop;
    private final InputStream in;
    private final StreamReader reader;
    private final Runnable onDisconnected;
    private final int chunk;
    private final String name;
    private final Semaphore credit = new Semaphore(0);
    private volatile boolean stop;
    private boolean paused;
    private boolean owed;
    private boolean closed;
    private int pauses;

    /**
     * Attaches {@code reader} and starts the pump; {@code onDisconnected} runs on the loop once, at
     * end of stream, on a read error, or on {@link #close()}.
     */
    public PipeReader(EventLoop loop, InputStream in, StreamReader reader, String name, Runnable onDisconnected) {
        this.loop = loop;
        this.in = in;
        this.reader = reader;
        this.name = name;
        this.onDisconnected = onDisconnected;
        this.chunk = Math.min(reader.limit(), 64 * 1024);
        reader.setTransport(this);
        credit.release();
        PipeThreads.start(name, this::pump);
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
        reader.feedData(data); // may call pauseReading()
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
        reader.feedEof();
        onDisconnected.run();
    }

    private void failed(IOException e) {
        if (closed) {
            return;
        }
        closed = true;
        reader.setException(e);
        onDisconnected.run();
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
        if (owed) {
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
        reader.feedEof();
        onDisconnected.run();
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
        throw new UnsupportedOperationException("a subprocess's " + name + " pipe is read-only");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("a subprocess's " + name + " pipe is read-only");
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
        return null;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        throw new UnsupportedOperationException("a subprocess pipe feeds its StreamReader directly");
    }

    @Override
    public String toString() {
        return "PipeReader[" + name + (closed ? ", closed" : paused ? ", paused" : ", reading") + "]";
    }
}
