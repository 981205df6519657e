package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.test.InertTransport;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * One end of an in-memory pipe, for driving {@link SslProtocol}s back to back without sockets.
 * What it is given to write arrives at the other end's protocol on a later tick: each write as one
 * read ({@link #pair}), or everything written in a tick glued together and re-cut into reads of
 * random sizes ({@link #cuttingPair}). Closing an end delivers {@code connectionLost} to its
 * protocol on the next tick and closes the other end unless its protocol keeps it half-open.
 * Shared by {@code SslProtocolPairTest} and {@code SslProtocolChunkingProperties}. aio4j-only test
 * support.
 */
final class PipeEnd extends InertTransport {
    final EventLoop loop;
    PipeEnd other;
    boolean closing;
    boolean lost;
    /** abort() was called (it closes the same way, on the next tick). */
    boolean aborted;
    /** pauseReading() was called and not yet resumeReading() (deliveries are not held back). */
    boolean readingPaused;
    /** Null: each write arrives as one read. */
    private final Random random;
    private final int maxRead;
    private final ByteArrayOutputStream queued = new ByteArrayOutputStream();
    private boolean flushScheduled;
    /**
     * When positive: this end calls its protocol's pauseWriting from inside write() as soon as
     * more than this many bytes wait for the next tick, and resumeWriting once they are delivered,
     * as SocketTransport's watermarks do.
     */
    int highWater;
    private long waiting;
    private boolean writingPaused;

    /**
     * Non-null: reads reach a BorrowedReadProtocol (an SslProtocol) lent in this one reused array
     * ({@code dataBorrowed(array, offset, length)}), as SocketTransport lends them, but at an
     * offset that changes from read to read (SocketTransport's is 0), and overwritten with junk
     * after each call.
     */
    private final byte[] reusedRead;
    /** How many non-empty writes this end was given, and a copy of the first few of them. */
    int writes;
    final java.util.List<byte[]> firstWrites = new java.util.ArrayList<>();

    private PipeEnd(EventLoop loop, Random random, int maxRead) {
        this(loop, random, maxRead, false);
    }

    private PipeEnd(EventLoop loop, Random random, int maxRead, boolean reuseReadArray) {
        this.loop = loop;
        this.random = random;
        this.maxRead = maxRead;
        this.reusedRead = reuseReadArray ? new byte[maxRead + 7] : null;
    }

    /** Two connected ends; each write arrives whole, on the next tick. */
    static PipeEnd[] pair(EventLoop loop) {
        return connect(new PipeEnd(loop, null, 0), new PipeEnd(loop, null, 0));
    }

    /**
     * Two connected ends that re-cut what each is given in a tick into reads of 1 to
     * {@code maxRead} bytes, the sizes drawn from {@code seed} (and its complement for the second
     * end).
     */
    static PipeEnd[] cuttingPair(EventLoop loop, long seed, int maxRead) {
        return connect(new PipeEnd(loop, new Random(seed), maxRead), new PipeEnd(loop, new Random(~seed), maxRead));
    }

    /**
     * As {@link #cuttingPair(EventLoop, long, int)}, and with {@code reuseReadArray} each read
     * reaches an {@link SslProtocol} in one reused array, as from SocketTransport, which is
     * overwritten after each call: a protocol that kept it would see junk.
     */
    static PipeEnd[] cuttingPair(EventLoop loop, long seed, int maxRead, boolean reuseReadArray) {
        return connect(new PipeEnd(loop, new Random(seed), maxRead, reuseReadArray),
                new PipeEnd(loop, new Random(~seed), maxRead, reuseReadArray));
    }

    private static PipeEnd[] connect(PipeEnd a, PipeEnd b) {
        a.other = b;
        b.other = a;
        return new PipeEnd[] {a, b};
    }

    @Override
    public void write(byte[] data) {
        if (closing) {
            return;
        }
        if (data.length > 0 && writes++ < 8) {
            firstWrites.add(data.clone());
        }
        if (random == null) {
            byte[] copy = data.clone(); // write() may not keep data
            waiting += copy.length;
            loop.callSoon(() -> {
                waiting -= copy.length;
                if (!other.lost) {
                    other.getProtocol().dataReceived(copy);
                }
                if (writingPaused && waiting == 0) {
                    writingPaused = false;
                    getProtocol().resumeWriting();
                }
            });
            if (highWater > 0 && waiting > highWater && !writingPaused) {
                writingPaused = true;
                getProtocol().pauseWriting(); // synchronously, inside write(), as SocketTransport
            }
            return;
        }
        queued.write(data, 0, data.length); // write() may not keep data: copied here
        if (!flushScheduled) {
            flushScheduled = true;
            loop.callSoon(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        byte[] all = queued.toByteArray();
        queued.reset();
        int at = 0;
        while (at < all.length && !other.lost) {
            int n = Math.min(all.length - at, 1 + random.nextInt(maxRead));
            if (other.reusedRead != null && other.getProtocol() instanceof BorrowedReadProtocol borrower) {
                byte[] read = other.reusedRead;
                int offset = at % 8; // reusedRead has room for maxRead + 7
                System.arraycopy(all, at, read, offset, n);
                at += n;
                borrower.dataBorrowed(read, offset, n);
                java.util.Arrays.fill(read, (byte) 0x5a); // the next read overwrites it
                continue;
            }
            byte[] read = new byte[n];
            System.arraycopy(all, at, read, 0, n);
            at += n;
            other.getProtocol().dataReceived(read);
        }
    }

    /**
     * The marks SslProtocol's backlog is measured against: {@link #highWater} (or the default
     * when 0) and a quarter of it, as {@code setWriteBufferLimits(high)}.
     */
    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        int high = highWater > 0 ? highWater : DEFAULT_HIGH_WATER;
        return new WriteBufferLimits(high / 4, high);
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.callSoon(() -> {
            lost = true;
            getProtocol().connectionLost(null);
            if (!other.closing && !other.getProtocol().eofReceived()) {
                other.close();
            }
        });
    }

    @Override
    public void abort() {
        aborted = true;
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        readingPaused = true;
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
    }

    @Override
    public boolean isReading() {
        return !closing && !readingPaused;
    }
}
