package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A pipe written by one thread ({@link PipeThreads}) from a queue: asyncio's {@code _UnixWritePipeTransport},
 * over a blocking {@link OutputStream}: a subprocess's stdin, or a pipe of {@code connectWritePipe}.
 */
public final class PipeWriter implements Transport {
    /*
     * Maintainer notes.
     *
     * write() (loop) copies the data into `queue` and adds it to bufferSize; the thread writes
     * each array, then posts written(n), which subtracts it: so bufferSize counts bytes not yet
     * handed to the OS pipe, and the watermarks call pause/resumeWriting as for a socket.
     * close() queues CLOSE: the thread writes what is queued, closes the stream (the child reads
     * end of file) and posts lost(null). abort() drops the queue first. A write error posts
     * lost(e); the thread then stops. The stream is only ever touched by the thread (closing it
     * from the loop could block the loop behind a write in progress).
     */
    private static final byte[] CLOSE = new byte[0];

    private final EventLoop loop;
    private final OutputStream out;
    private final String name;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private Protocol protocol;
    /** The watermarks; reads {@code protocol} at each call, since setProtocol may replace it. */
    private final WriteFlowControl flow;
    private long bufferSize;
    private boolean closing;
    private boolean lost;
    private int droppedWrites;
    private Runnable removeCloseHook;

    /** Starts the writer thread; {@code protocol} hears pause/resumeWriting and connectionLost. */
    public PipeWriter(EventLoop loop, OutputStream out, String name, Protocol protocol) {
        this.loop = loop;
        this.out = out;
        this.name = name;
        this.protocol = protocol;
        this.flow = new WriteFlowControl(loop, () -> this.protocol.pauseWriting(), () -> this.protocol.resumeWriting());
        PipeThreads.start(name, this::run);
    }

    /**
     * {@code connect_write_pipe}: as the subprocess constructor, and the pipe is abandoned (what
     * is queued dropped, the stream closed) when the loop closes with it still open.
     */
    public static PipeWriter standalone(EventLoop loop, OutputStream out, String name, Protocol protocol) {
        PipeWriter w = new PipeWriter(loop, Checks.notNull(out, "pipe"), name, protocol);
        w.removeCloseHook = LoopAccess.onClose(loop, w::abandon);
        return w;
    }

    private void run() {
        try {
            while (true) {
                byte[] b = queue.take();
                if (b == CLOSE) {
                    out.close();
                    post(() -> lost(null));
                    return;
                }
                out.write(b);
                out.flush();
                int n = b.length;
                if (!post(() -> written(n))) {
                    return;
                }
            }
        } catch (IOException e) {
            post(() -> lost(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queue.clear();
            try {
                out.close();
            } catch (IOException ignored) {
                // the pipe is broken: nothing more to do
            }
        }
    }

    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (RuntimeException e) { // the loop is closed
            return false;
        }
    }

    @Override
    public void write(byte[] data) {
        Checks.notNull(data, "data");
        if (data.length == 0) {
            return;
        }
        if (closing || lost) {
            droppedWrites = DroppedWrites.drop(droppedWrites, data.length, "write() on a closing or closed pipe", "writes", this);
            return;
        }
        queue.add(data.clone());
        bufferSize += data.length;
        flow.afterGrow(bufferSize, this);
    }

    private void written(int n) {
        if (lost) {
            return;
        }
        bufferSize = Math.max(0, bufferSize - n); // abort() may have zeroed it meanwhile
        flow.afterShrink(bufferSize, this);
    }

    private void lost(Exception exc) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        bufferSize = 0;
        if (removeCloseHook != null) {
            removeCloseHook.run();
            removeCloseHook = null;
        }
        ProtocolCalls.call(loop, "connectionLost", this, () -> protocol.connectionLost(exc));
    }

    /** Closes the pipe once everything queued is written: the child reads end of file. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(CLOSE);
    }

    /** Drops what is queued and closes the pipe after the write in progress (if any). */
    @Override
    public void abort() {
        closing = true;
        queue.clear();
        queue.add(CLOSE);
        bufferSize = 0;
        if (!lost) {
            loop.callSoon(() -> lost(null));
        }
    }

    /**
     * Any thread, once the loop is closed: drops what is queued and lets the thread close the
     * pipe and end (nobody is told: the loop is gone).
     */
    public void abandon() {
        queue.clear();
        queue.add(CLOSE);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException("the " + name + " pipe is write-only");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException("the " + name + " pipe is write-only");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        flow.setLimits(high, low, bufferSize, this);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return flow.limits();
    }

    @Override
    public long getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return "pipe".equals(name) ? out : defaultValue;
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = Checks.notNull(protocol, "protocol");
    }

    @Override
    public String toString() {
        return "PipeWriter[" + name + (lost ? ", closed" : closing ? ", closing" : ", open") + ", write buffer=" + bufferSize
                + " bytes]";
    }
}
