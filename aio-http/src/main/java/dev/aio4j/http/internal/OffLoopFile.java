package dev.aio4j.http.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.internal.FileBlocks;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;

/**
 * A file a client body sends from disk ({@link RequestBody.FileBody}, the file parts of
 * {@code FormData} and {@code MultipartWriter}), read front to back in pieces. Called in a task,
 * everything that touches the file system runs in the loop's default executor, as aiohttp's
 * payloads do ({@code run_in_executor} for the open, the size, each read and the close): the task
 * suspends meanwhile, so a slow disk does not hold up the loop. Called outside a task (a caller
 * iterating a body's pieces itself), it is done on the calling thread.
 *
 * <p><b>Cancellation:</b> {@link #open} and {@link #read} suspend in a task. A task cancelled
 * during the open does not get the file, and the file the job opens anyway is closed (by the job
 * or by the task, whichever comes second); one cancelled during a read lets the read job run to
 * its end, and {@link #close()} still closes the file once.
 */
public final class OffLoopFile {
    /*
     * Maintainer notes. `position` and `closed` belong to the task (one reader at a time, the
     * body's writer). A read job still running when its task was cancelled may meet the close
     * job: FileChannel is safe for that (the read then fails with AsynchronousCloseException, and
     * nobody waits for its result).
     */

    /**
     * Test hook: called with {@code "open"} on the thread that opened the file, right after the
     * open, with {@code "close"} on the thread that closed it, and with {@code "size"} on the
     * thread that took a size by path ({@link #size(Path)}). Null but in tests.
     */
    static volatile BiConsumer<String, Path> eventsForTests;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private long position;
    private boolean closed;

    private OffLoopFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens {@code path} for reading and takes the open file's size; in the loop's default
     * executor when called in a task.
     *
     * <p><b>Cancellation:</b> see the class comment: nothing stays open.
     *
     * @throws IOException what the open threw (e.g. {@link java.nio.file.NoSuchFileException}), the same object
     */
    public static OffLoopFile open(Path path) throws IOException {
        if (Aio.currentTask() == null) {
            return openNow(path);
        }
        Handoff handoff = new Handoff();
        boolean received = false;
        try {
            OffLoopFile f = Aio.toThread(() -> handoff.offer(openNow(path)));
            received = true;
            return f;
        } finally {
            if (!received) {
                handoff.abandon();
            }
        }
    }

    /**
     * The size of {@code path}, as {@link java.nio.file.Files#size}; in the loop's default executor
     * when called in a task.
     *
     * @throws IOException what {@code Files.size} threw
     */
    public static long size(Path path) throws IOException {
        if (Aio.currentTask() == null) {
            return sizeNow(path);
        }
        return Aio.toThread(() -> sizeNow(path));
    }

    private static long sizeNow(Path path) throws IOException {
        long size = java.nio.file.Files.size(path);
        BiConsumer<String, Path> hook = eventsForTests;
        if (hook != null) {
            hook.accept("size", path);
        }
        return size;
    }

    private static OffLoopFile openNow(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size(); // the open file's (aiohttp fstat()s the open file)
            BiConsumer<String, Path> hook = eventsForTests;
            if (hook != null) {
                hook.accept("open", path);
            }
            return new OffLoopFile(path, ch, size);
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The open file between the executor's job and the task: {@link #offer} (job) and
     * {@link #abandon} (task, when it will not take the file) may come in either order; the
     * second one closes the file.
     */
    private static final class Handoff {
        private OffLoopFile opened;
        private boolean abandoned;

        synchronized OffLoopFile offer(OffLoopFile f) {
            if (abandoned) {
                f.closed = true;
                f.closeNowQuietly(); // on the job's thread
            } else {
                opened = f;
            }
            return f;
        }

        synchronized void abandon() {
            abandoned = true;
            if (opened != null) {
                opened.closeQuietly(); // the task's: by a job of the executor
            }
        }
    }

    /**
     * Returns the size of the open file, taken when it was opened.
     *
     * @return the size in bytes
     */
    public long size() {
        return size;
    }

    /**
     * Reads the next {@code want} bytes, fewer only where the file ends (an empty array at its
     * end); in the loop's default executor when called in a task.
     *
     * <p><b>Cancellation:</b> suspends in a task; see the class comment.
     *
     * @throws IOException what the read threw
     */
    public byte[] read(int want) throws IOException {
        long at = position;
        byte[] piece = Aio.currentTask() == null ? FileBlocks.read(channel, at, want)
                : Aio.toThread(() -> FileBlocks.read(channel, at, want));
        position = at + piece.length;
        return piece;
    }

    /**
     * Closes the file, once however often this is called; in a task, in the loop's default
     * executor, waiting for it (a second cancellation while it waits leaves the job to close the
     * file), or on this thread when the executor cannot take the job (the loop is closing, its
     * default executor was shut down).
     *
     * <p><b>Cancellation:</b> suspends in a task; the file is closed whatever happens.
     *
     * @throws IOException what the close threw
     */
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (Aio.currentTask() == null) {
            closeNow();
            return;
        }
        EventLoop loop = Aio.getRunningLoop();
        Future<Void> job;
        try {
            job = loop.runInExecutor(null, () -> {
                closeNow();
                return null;
            });
        } catch (IllegalStateException e) {
            closeNow(); // the loop is closing (its tasks unwind), or its default executor was shut down
            return;
        }
        if (job.done() && job.exception() instanceof java.util.concurrent.RejectedExecutionException) {
            closeNow(); // a default executor of the user's refused the job
            return;
        }
        try {
            Aio.shield(job).await(); // cancelled while waiting: the job still closes the file
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io; // what the close threw, the same object
            }
            throw e;
        }
    }

    /**
     * Closes the file without waiting and dropping what the close threw: for a body whose sending
     * failed already, or was cancelled. In a task, by a job of the loop's default executor (on
     * this thread where the executor cannot take it); once, however often it is called.
     */
    public void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        if (Aio.currentTask() == null) {
            closeNowQuietly();
            return;
        }
        FileBlocks.closeQuietlyOffLoop(Aio.getRunningLoop(), this::closeNow);
    }

    private void closeNowQuietly() {
        try {
            closeNow();
        } catch (IOException e) {
            // a file opened for reading: nothing sent is lost with it
        }
    }

    private void closeNow() throws IOException {
        channel.close();
        BiConsumer<String, Path> hook = eventsForTests;
        if (hook != null) {
            hook.accept("close", path);
        }
    }

    @Override
    public String toString() {
        return "OffLoopFile[" + path + ", " + position + " of " + size + (closed ? ", closed" : "") + "]";
    }
}
