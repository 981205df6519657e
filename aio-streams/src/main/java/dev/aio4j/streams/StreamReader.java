package dev.aio4j.streams;

import dev.aio4j.streams.internal.IoErrors;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.internal.ByteQueue;
import dev.aio4j.streams.internal.ReaderAccess;
import dev.aio4j.loop.internal.Checks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The reading end of a connection: a buffer the transport fills, and methods that suspend the
 * calling task until the bytes they need are there.
 *
 * <p><b>asyncio:</b> {@code asyncio.StreamReader}. <b>Differences:</b> methods return
 * {@code byte[]} (empty at end of stream, as Python's {@code b''}); a connection error is
 * thrown as the {@link IOException} that ended the connection (Python's {@code OSError});
 * {@link #readline()} throws {@link LimitOverrunError} where asyncio throws {@code ValueError}
 * (same message, same bytes discarded); {@link #readuntil(byte[])} takes one separator (no tuple
 * of separators); there is no {@code async for} iteration (loop on {@code readline()} until it
 * returns an empty array).
 *
 * <h2>How to get one</h2>
 * {@link Streams#openConnection} and {@link Streams#startServer} make one per connection.
 * {@code new StreamReader()} makes a detached one, to be fed with {@link #feedData} and
 * {@link #feedEof} (in tests, or for a protocol of your own).
 *
 * <h2>The limit and flow control</h2>
 * {@code limit} (64 KiB by default) bounds what {@link #readline()} and {@link #readuntil} will
 * buffer while looking for a separator ({@link LimitOverrunError} beyond it) and drives flow
 * control: when the buffer passes twice the limit, the reader pauses the transport's reading;
 * when it falls to the limit or below, it resumes it. So the buffer holds at most about
 * {@code 2 * limit} plus one read of the transport (256 KiB), except while
 * {@link #readexactly(int)} waits for more than that, or {@link #read(int) read(-1)} collects
 * the whole stream, as they must.
 *
 * <h2>Testing</h2>
 * Feed a detached reader from a task with {@link #feedData} / {@link #feedEof}: no socket is
 * needed, and the loop may run on a virtual clock.
 *
 * <p><b>Threading:</b> loop-confined. One task at a time may wait on a reader.
 *
 * @since 0.1
 */
public final class StreamReader {
    /*
     * Maintainer notes. eof: feedEof() was called (no more data will come). waiter: the future
     * of the one task suspended in waitForData, null otherwise. exception: set by
     * setException(), thrown by every read from then on. paused: this reader paused the
     * transport's reading (it resumes it itself).
     */
    /** The default limit: 64 KiB, as asyncio's {@code _DEFAULT_LIMIT}. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] NEWLINE = {'\n'};

    static {
        ReaderAccess.install(StreamReader::feedOwned); // the transports' copy-free feed (internal)
    }

    private final int limit;
    private final ByteQueue buffer = new ByteQueue();
    private boolean eof;
    private Future<Void> waiter;
    private Throwable exception;
    private Transport transport;
    private boolean paused;

    /** A detached reader with the default limit. */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * A detached reader.
     *
     * @param limit the buffer limit, &gt; 0
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(int limit) {
        this.limit = Checks.positive(limit, "limit");
    }

    /**
     * The limit given at construction.
     *
     * @return the limit in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * The error set by {@link #setException}, or null.
     *
     * @return the error
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Makes every read from now on throw {@code exc} (the connection broke); wakes a waiting task.
     *
     * @param exc the error, usually an {@link IOException}
     */
    public void setException(Throwable exc) {
        this.exception = Checks.notNull(exc, "exc");
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    /**
     * Attaches the transport whose reading this reader pauses and resumes.
     *
     * @param transport the transport
     * @throws IllegalStateException if a transport is already attached
     */
    public void setTransport(Transport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("StreamReader.setTransport(): a transport is already set: " + this);
        }
        this.transport = Checks.notNull(transport, "transport");
    }

    private void wakeupWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && buffer.size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** Marks the end of the stream: reads return what is buffered, then empty arrays. */
    public void feedEof() {
        eof = true;
        wakeupWaiter();
    }

    /**
     * Whether the stream ended and the buffer is empty.
     *
     * @return true when nothing more can be read
     */
    public boolean atEof() {
        return eof && buffer.isEmpty();
    }

    /**
     * Appends bytes to the buffer and wakes a waiting task; pauses the transport when the
     * buffer passes twice the limit.
     *
     * @param data the bytes (copied)
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        feed(data, false);
    }

    /** feedData for an array handed over by a transport (which never touches it again): kept, not copied. */
    private void feedOwned(byte[] data) {
        feed(data, true);
    }

    private void feed(byte[] data, boolean owned) {
        Checks.notNull(data, "data");
        if (eof) {
            throw new IllegalStateException("StreamReader.feedData() after feedEof(): " + this);
        }
        if (data.length == 0) {
            return;
        }
        if (owned) {
            buffer.appendOwned(data);
        } else {
            buffer.append(data, 0, data.length);
        }
        wakeupWaiter();
        if (transport != null && !paused && buffer.size() > 2L * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                transport = null;
            }
        }
    }

    /**
     * How many bytes are buffered (aio4j-only; asyncio's {@code len(reader._buffer)}).
     *
     * @return the count
     */
    public int bufferSize() {
        return buffer.size();
    }

    private void waitForData(String funcName) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException("StreamReader." + funcName + "() called while another task is already waiting for "
                    + "data on this reader");
        }
        if (eof) {
            throw new IllegalStateException("StreamReader." + funcName + "() waiting for data after end of stream: " + this);
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = Aio.getRunningLoop().createFuture();
        waiter = w;
        try {
            w.await();
        } finally {
            if (waiter == w) {
                waiter = null;
            }
        }
    }

    private void throwIfFailed() throws IOException {
        if (exception != null) {
            throw IoErrors.rethrow(exception);
        }
    }

    /**
     * Reads one line, up to and including {@code \n}. At end of stream returns the partial
     * last line, then empty arrays.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * nothing is consumed: the bytes stay in the buffer and can be read again.
     *
     * @return the line with its {@code \n}; a final line without one; empty at end of stream
     * @throws LimitOverrunError if the line is longer than the limit; the line (up to and
     *     including its separator if it is buffered, else the whole buffer) is discarded
     * @throws IOException if the connection broke
     */
    public byte[] readline() throws IOException {
        try {
            return readuntil(NEWLINE);
        } catch (IncompleteReadError e) {
            return e.partial();
        } catch (LimitOverrunError e) {
            if (buffer.startsWith(NEWLINE, e.consumed())) {
                buffer.skip(e.consumed() + NEWLINE.length);
            } else {
                buffer.clear();
            }
            maybeResumeTransport();
            throw e;
        }
    }

    /**
     * Reads up to and including {@code separator}.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * nothing is consumed: the bytes stay in the buffer and can be read again.
     *
     * @param separator one or more bytes
     * @return the data with the separator at its end
     * @throws IncompleteReadError if the stream ends first; its {@code partial()} holds the
     *     bytes, which leave the buffer
     * @throws LimitOverrunError if more than {@code limit} bytes come before the separator; the
     *     bytes stay in the buffer
     * @throws IllegalArgumentException if {@code separator} is empty
     * @throws IOException if the connection broke
     */
    public byte[] readuntil(byte[] separator) throws IOException {
        Checks.notNull(separator, "separator");
        return readuntil(List.of(separator));
    }

    /**
     * Reads up to and including the first of several separators to appear: the shortest data
     * that ends with any of them.
     *
     * <p><b>asyncio:</b> {@code readuntil(separator)} with a tuple of separators (Python 3.13).
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * nothing is consumed: the bytes stay in the buffer and can be read again.
     *
     * @param separators one or more separators, each one or more bytes
     * @return the data with the separator that ended it at its end
     * @throws IncompleteReadError if the stream ends first; its {@code partial()} holds the
     *     bytes, which leave the buffer
     * @throws LimitOverrunError if more than {@code limit} bytes come before a separator; the
     *     bytes stay in the buffer
     * @throws IllegalArgumentException if there is no separator, or one is empty
     * @throws IOException if the connection broke
     */
    public byte[] readuntil(List<byte[]> separators) throws IOException {
        Checks.notNull(separators, "separators");
        if (separators.isEmpty()) {
            throw new IllegalArgumentException("separators must hold at least one separator, got none");
        }
        int maxSeplen = 0;
        for (byte[] sep : separators) {
            Checks.notNull(sep, "separator");
            if (sep.length == 0) {
                throw new IllegalArgumentException("separator must be at least one byte, got an empty array");
            }
            maxSeplen = Math.max(maxSeplen, sep.length);
        }
        throwIfFailed();
        int offset = 0;
        int matchStart = -1;
        int matchEnd = -1;
        while (true) {
            int buflen = buffer.size();
            for (byte[] sep : separators) {
                if (buflen - offset < sep.length) {
                    continue;
                }
                int at = buffer.indexOf(sep, offset);
                if (at != -1 && (matchEnd == -1 || at + sep.length < matchEnd)) {
                    matchStart = at;
                    matchEnd = at + sep.length;
                }
            }
            if (matchEnd != -1) {
                break;
            }
            offset = Math.max(0, buflen + 1 - maxSeplen);
            if (offset > limit) {
                throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
            }
            if (eof) {
                byte[] chunk = buffer.take(buffer.size());
                maybeResumeTransport();
                throw new IncompleteReadError(chunk, -1);
            }
            waitForData("readuntil");
            throwIfFailed();
        }
        if (matchStart > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", matchStart);
        }
        byte[] chunk = buffer.take(matchEnd);
        maybeResumeTransport();
        return chunk;
    }

    /**
     * The lines of the stream, each read with {@link #readline()} when the loop asks for it,
     * until end of stream: {@code for (byte[] line : reader.lines())}.
     *
     * <p><b>asyncio:</b> {@code async for line in reader}.
     *
     * <p><b>Cancellation:</b> {@code hasNext()} may suspend, as {@link #readline()}; if the task
     * is cancelled while it waits, nothing is consumed.
     *
     * @return a single-use iterable of lines (each with its {@code \n}, the last one perhaps
     *     without); an I/O failure surfaces from {@code hasNext()} as an
     *     {@link java.io.UncheckedIOException} whose cause is the {@link IOException}
     */
    public Iterable<byte[]> lines() {
        return () -> new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readline();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("StreamReader.lines(): the stream has ended");
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    /**
     * Reads up to {@code n} bytes: what is buffered, or, if nothing is, whatever arrives next.
     * {@code n < 0} reads until end of stream (collecting everything in memory).
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * nothing is consumed; with {@code n < 0}, the chunks collected so far are lost.
     *
     * @param n the most bytes to return, or -1 for all until end of stream
     * @return the bytes; empty at end of stream (or if {@code n == 0})
     * @throws IOException if the connection broke
     */
    public byte[] read(int n) throws IOException {
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        if (n < 0) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                byte[] block = read(limit);
                if (block.length == 0) {
                    return all.toByteArray();
                }
                all.write(block, 0, block.length);
            }
        }
        if (buffer.isEmpty() && !eof) {
            waitForData("read");
            throwIfFailed();
        }
        byte[] data = buffer.take(Math.min(n, buffer.size()));
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads until end of stream: {@code read(-1)}.
     *
     * <p><b>Cancellation:</b> as {@link #read(int)}.
     *
     * @return everything until end of stream
     * @throws IOException if the connection broke
     */
    public byte[] read() throws IOException {
        return read(-1);
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * nothing is consumed: the bytes stay in the buffer and can be read again.
     *
     * @param n how many bytes, &gt;= 0
     * @return exactly {@code n} bytes
     * @throws IncompleteReadError if the stream ends first; its {@code partial()} holds the
     *     bytes, which leave the buffer
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws IOException if the connection broke
     */
    public byte[] readexactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size must be >= 0, got " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        while (buffer.size() < n) {
            if (eof) {
                byte[] partial = buffer.take(buffer.size());
                maybeResumeTransport();
                throw new IncompleteReadError(partial, n);
            }
            waitForData("readexactly");
            throwIfFailed();
        }
        byte[] data = buffer.take(n);
        maybeResumeTransport();
        return data;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StreamReader[").append(buffer.size()).append(" bytes");
        if (eof) {
            sb.append(", eof");
        }
        sb.append(", limit=").append(limit);
        if (waiter != null) {
            sb.append(", waiter");
        }
        if (exception != null) {
            sb.append(", exception=").append(exception);
        }
        if (transport != null) {
            sb.append(", transport=").append(transport);
        }
        if (paused) {
            sb.append(", paused");
        }
        return sb.append(']').toString();
    }
}
