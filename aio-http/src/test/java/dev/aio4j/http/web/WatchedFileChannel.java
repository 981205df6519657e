package dev.aio4j.http.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A {@link FileChannel} around the one {@link FileResponse} opened (through
 * {@link FileResponse#wrapForTests}) that records which threads read and close it, how often it is
 * closed, and whether a close came while a read was inside; a read can be held until the test lets
 * it go. aio4j test support.
 */
final class WatchedFileChannel extends FileChannel {
    private final FileChannel inner;
    /** The threads of the positional reads (the pieces of the fallback), in order. */
    final List<Thread> readers = new CopyOnWriteArrayList<>();
    /** The sizes asked for by those reads. */
    final List<Integer> asked = new CopyOnWriteArrayList<>();
    /** The threads that closed it (one entry per close that reached the channel). */
    final List<Thread> closers = new CopyOnWriteArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicBoolean closedUnderARead = new AtomicBoolean();
    private final AtomicInteger inside = new AtomicInteger();
    /** Read number n (from 1) waits for the future this returns, if not null; set before the response runs. */
    volatile IntFunction<CompletableFuture<Void>> holdRead = n -> null;
    /** Read number n (from 1) throws what this returns, if not null (a disk error); set before the response runs. */
    volatile IntFunction<IOException> failRead = n -> null;
    /** A held read waited in vain (what it waited for never came: the loop was held up). */
    final AtomicBoolean holdTimedOut = new AtomicBoolean();

    WatchedFileChannel(FileChannel inner) {
        this.inner = inner;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        inside.incrementAndGet();
        try {
            readers.add(Thread.currentThread());
            asked.add(dst.remaining());
            CompletableFuture<Void> hold = holdRead.apply(readers.size());
            if (hold != null) {
                try {
                    hold.get(30, TimeUnit.SECONDS); // a bound for the failure only: then the loop is held
                } catch (Exception e) {
                    holdTimedOut.set(true); // the test's assertions fail
                }
            }
            IOException failure = failRead.apply(readers.size());
            if (failure != null) {
                throw failure;
            }
            return inner.read(dst, position);
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    protected void implCloseChannel() throws IOException {
        closes.incrementAndGet();
        closers.add(Thread.currentThread());
        if (inside.get() > 0) {
            closedUnderARead.set(true);
        }
        inner.close();
    }

    boolean innerOpen() {
        return inner.isOpen();
    }

    // ------------------------------------------------------------------ the rest, passed through

    @Override public int read(ByteBuffer dst) throws IOException { return inner.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return inner.read(dsts, offset, length); }
    @Override public int write(ByteBuffer src) throws IOException { return inner.write(src); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return inner.write(srcs, offset, length); }
    @Override public long position() throws IOException { return inner.position(); }
    @Override public FileChannel position(long newPosition) throws IOException { inner.position(newPosition); return this; }
    @Override public long size() throws IOException { return inner.size(); }
    @Override public FileChannel truncate(long size) throws IOException { inner.truncate(size); return this; }
    @Override public void force(boolean metaData) throws IOException { inner.force(metaData); }
    @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return inner.transferTo(position, count, target);
    }
    @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return inner.transferFrom(src, position, count);
    }
    @Override public int write(ByteBuffer src, long position) throws IOException { return inner.write(src, position); }
    @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException { return inner.map(mode, position, size); }
    @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return inner.lock(position, size, shared); }
    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return inner.tryLock(position, size, shared); }
}
