package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The file side of a sendfile that cannot use the kernel's zero copy (asyncio's
 * {@code _sendfile_fallback}): one block read at a position, and the file position a sendfile
 * leaves. {@link dev.aio4j.streams.StreamWriter#sendfile} reads its blocks with {@link #read} in
 * the loop's default executor, and so do aio-http's {@code FileResponse} and its client's file
 * bodies ({@code OffLoopFile}: the reasons this class is exported to aio-http), so they read files
 * the same way.
 */
public final class FileBlocks {
    private FileBlocks() {}

    /**
     * asyncio's block for {@code loop.sendfile}'s fallback ({@code min(count, 16384)} in
     * {@code base_events._sendfile_fallback}): one executor job reads this much.
     */
    public static final int FALLBACK_BLOCK = 16 * 1024;

    /**
     * Blocking (call it in an executor, never on the loop): up to {@code want} bytes of
     * {@code file} from {@code position}, fewer only where the file ends (an empty array at or past
     * its end). Positional, so the channel's own position is neither used nor moved. A new array
     * per call: a transport may keep it.
     *
     * @throws IOException what the file's read threw
     */
    public static byte[] read(FileChannel file, long position, int want) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(want);
        while (buf.hasRemaining()) {
            if (file.read(buf, position + buf.position()) < 0) {
                break; // the file ends here
            }
        }
        return buf.hasRemaining() ? Arrays.copyOf(buf.array(), buf.position()) : buf.array();
    }

    /**
     * Where a sendfile leaves the file: at {@code offset + sent} if it sent anything (asyncio seeks
     * the file there, on success and on failure alike, so the caller can tell how far it got),
     * untouched if it sent nothing. Called from a {@code finally}: when {@code failure} (what the
     * sendfile is throwing, or null) is set, a failure to move the position (the channel was
     * closed meanwhile) is added to it as suppressed instead of replacing it.
     *
     * @throws IOException if the position cannot be set and nothing else is being thrown
     */
    public static void leavePosition(FileChannel file, long offset, long sent, Throwable failure) throws IOException {
        if (sent <= 0) {
            return;
        }
        try {
            file.position(offset + sent);
        } catch (IOException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /**
     * Closes a file off the loop without waiting for it (a close can block, on a network file
     * system): {@code close} runs in {@code loop}'s default executor, or on this thread where the
     * executor cannot take it (the loop is closing, or its default executor was shut down or refused
     * the job). What the close throws is dropped: for a file opened for reading nothing is lost
     * with it. aio-http's {@code FileResponse} and its client file bodies close their files so.
     */
    public static void closeQuietlyOffLoop(EventLoop loop, Closeable close) {
        Future<Void> job;
        try {
            job = loop.runInExecutor(null, () -> closeQuietly(close));
        } catch (IllegalStateException e) {
            closeQuietly(close); // the loop is closing (its tasks unwind), or its default executor was shut down
            return;
        }
        if (job.done() && job.exception() != null) {
            closeQuietly(close); // the executor refused the job (a default executor of the user's, shut down)
        }
    }

    private static void closeQuietly(Closeable close) {
        try {
            close.close();
        } catch (IOException e) {
            // a file opened for reading: nothing is lost with it
        }
    }
}
