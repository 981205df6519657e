package dev.aio4j.streams;

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
import java.util.function.IntFunction;

/**
 * A {@link FileChannel} around a real one that records the threads and sizes of its positional
 * reads (the blocks of sendfile's fallback); read number n (from 1) can be held until the test
 * lets it go, or made to fail. aio4j test support (aio-http's web tests have a sibling for
 * FileResponse).
 */
final class WatchedFileChannel extends FileChannel {
    private final FileChannel inner;
    /** The threads of the positional reads, in order. */
    final List<Thread> readers = new CopyOnWriteArrayList<>();
    /** The threads that asked for the file's size, in order. */
    final List<Thread> sizers = new CopyOnWriteArrayList<>();
    /** The sizes those reads asked for. */
    final List<Integer> asked = new CopyOnWriteArrayList<>();
    /** Completed with the read's number when a held read starts waiting. */
    final CompletableFuture<Integer> holding = new CompletableFuture<>();
    /** Read number n waits for the future this returns, if not null. */
    volatile IntFunction<CompletableFuture<Void>> holdRead = n -> null;
    /** Read number n throws what this returns, if not null (a disk error). */
    volatile IntFunction<IOException> failRead = n -> null;

    WatchedFileChannel(FileChannel inner) {
        this.inner = inner;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        readers.add(Thread.currentThread());
        asked.add(dst.remaining());
        int n = readers.size();
        CompletableFuture<Void> hold = holdRead.apply(n);
        if (hold != null) {
            holding.complete(n);
            try {
                hold.get(30, TimeUnit.SECONDS); // a bound for a failing test only
            } catch (Exception e) {
                throw new IOException("the test never let read " + n + " go", e);
            }
        }
        IOException failure = failRead.apply(n);
        if (failure != null) {
            throw failure;
        }
        return inner.read(dst, position);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        inner.close();
    }

    // ------------------------------------------------------------------ the rest, passed through

    @Override public int read(ByteBuffer dst) throws IOException { return inner.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return inner.read(dsts, offset, length); }
    @Override public int write(ByteBuffer src) throws IOException { return inner.write(src); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return inner.write(srcs, offset, length); }
    @Override public long position() throws IOException { return inner.position(); }
    @Override public FileChannel position(long newPosition) throws IOException { inner.position(newPosition); return this; }
    @Override public long size() throws IOException { sizers.add(Thread.currentThread()); return inner.size(); }
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
