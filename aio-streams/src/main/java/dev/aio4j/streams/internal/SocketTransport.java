package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.BufferedProtocol;
import dev.aio4j.streams.Protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A connected socket (TCP or Unix domain) driven by the loop's readiness callbacks: asyncio's
 * {@code _SelectorSocketTransport}.
 */
public final class SocketTransport implements BorrowedWriteTransport {
    /*
     * Maintainer notes.
     *
     * State: open -> closing (close(): reading stopped, buffer flushing) -> lost (connLost > 0:
     * connectionLost scheduled) -> finished (lostCalled: protocol told, channel closed).
     * abort() and fatal errors go from open or closing straight to lost, dropping the buffer.
     * close() with an empty buffer shuts the output down at once (the peer reads end of stream
     * even if the loop does not run again soon); callConnectionLost closes the channel through
     * ImmediateClose, so its descriptor does not wait for the selector's next select. A close
     * that waits on the loop (close() with a buffer to flush; SslProtocol's wait for the peer's
     * close_notify) registers a loop close hook (closeWhenTheLoopCloses), removed when
     * connectionLost is called: if the loop closes first, the hook closes the socket.
     *
     * Invariants: the loop has a writer registered iff the buffer is non-empty and connLost == 0;
     * a reader iff started && !closing && !readingPaused && !eofSeen. bufferSize is the sum of the
     * remaining bytes of the buffered ByteBuffers.
     */
    /** At most this many bytes are read per readiness callback (asyncio: max_size 256 KiB). */
    static final int MAX_READ = 256 * 1024;
    private static final int MAX_GATHER = 64;
    /** A write of at most this many bytes, to an empty buffer, is staged in the loop's direct write buffer. */
    static final int WRITE_STAGE = 64 * 1024;
    /**
     * Direct, so the kernel copies straight into it (a heap buffer costs the JDK's own temporary
     * direct buffer and one more copy); each read is then copied once into the array handed to
     * the protocol (for a BorrowedReadProtocol such as TLS, into the loop's reused heap read
     * array, lent for the call). One per loop (LoopBuffers), not per thread: reads are confined to
     * the loop.
     */
    private final ByteBuffer readBuffer;
    /** The loop's scratch buffers: the heap array a read is copied into and lent to a BorrowedReadProtocol. */
    private final LoopBuffers.Scratch scratch;

    private final EventLoop loop;
    private final SocketChannel channel;
    private final ServerCore server;
    private final SocketAddress peername;
    private final SocketAddress sockname;
    private Protocol protocol;
    /** The watermarks; reads {@code protocol} at each call, since setProtocol may replace it. */
    private final WriteFlowControl flow;
    /** Set while sendfile() runs: write() is refused; completed when the buffer empties or the connection goes. */
    private boolean sendfileInProgress;
    private Future<Void> emptyWaiter;
    /**
     * Set while sendfile() waits for the socket to take more: completed by the writer callback,
     * or by callConnectionLost (a close, an abort or a reset took the writer away with the socket).
     */
    private Future<Void> sendfileWritable;
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private long bufferSize;
    private boolean started;
    private boolean closing;
    private boolean eofWritten;
    private boolean eofSeen;
    private boolean readingPaused;
    private int connLost;
    private boolean lostCalled;
    private int droppedWrites;
    /**
     * While a close waits on the loop (closeWhenTheLoopCloses): removes the loop close hook that
     * closes the socket; null otherwise.
     */
    private Runnable removeLoopCloseHook;
    /** What the protocol above does first when the loop closes under such a wait (SslProtocol's state); null if nothing. */
    private Runnable beforeLoopClose;

    /**
     * Wraps a connected non-blocking channel. The protocol's connectionMade runs on the next
     * iteration, then reading starts, then {@code waiter} (if any) completes.
     */
    public SocketTransport(EventLoop loop, SocketChannel channel, Protocol protocol, Future<Void> waiter, ServerCore server) {
        this.loop = loop;
        this.scratch = LoopBuffers.of(loop);
        this.readBuffer = scratch.directRead(MAX_READ);
        this.channel = channel;
        this.protocol = protocol;
        this.flow = new WriteFlowControl(loop, () -> this.protocol.pauseWriting(), () -> this.protocol.resumeWriting());
        this.server = server;
        this.peername = address(true);
        this.sockname = address(false);
        if (peername instanceof InetSocketAddress) {
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // asyncio's _set_nodelay
            } catch (IOException | UnsupportedOperationException ignored) {
                // not fatal
            }
        }
        if (server != null) {
            server.attach(this);
        }
        loop.callSoon(() -> start(waiter));
    }

    private SocketAddress address(boolean remote) {
        try {
            return remote ? channel.getRemoteAddress() : channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    private void start(Future<Void> waiter) {
        if (connLost > 0 && lostCalled) {
            return;
        }
        if (!(protocol instanceof SslProtocol)) { // TLS: the app's transport is tracked instead
            OpenResources.opened(loop, this, this::isClosing);
        }
        try {
            protocol.connectionMade(this);
        } catch (RuntimeException e) {
            started = true;
            fatalError(e, "Fatal error: protocol.connectionMade() call failed.");
            if (waiter != null && !waiter.done()) {
                waiter.setException(e);
            }
            return;
        }
        started = true;
        if (!closing && !readingPaused) {
            loop.addReader(channel, this::readReady);
        }
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
    }

    // ------------------------------------------------------------------------------- reading

    private void readReady() {
        if (connLost > 0) {
            return;
        }
        Protocol p = protocol;
        if (p instanceof BufferedProtocol bp && !(p instanceof BorrowedReadProtocol)) {
            readIntoProtocolBuffer(bp);
            return;
        }
        ByteBuffer b = readBuffer;
        b.clear();
        int n;
        try {
            n = channel.read(b);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n > 0) {
            try {
                if (p instanceof BorrowedReadProtocol borrower) {
                    // Consumed within the call (TLS, a WebSocket): lent the loop's reused heap
                    // array, no array per read. Heap, not the direct buffer itself: JSSE decrypts
                    // heap buffers several times faster, and the WebSocket parser reads arrays.
                    byte[] heap = scratch.heapRead(MAX_READ).array();
                    b.get(0, heap, 0, n);
                    borrower.dataBorrowed(heap, 0, n);
                } else {
                    byte[] data = new byte[n]; // the protocol owns it (Protocol's contract)
                    b.get(0, data);
                    p.dataReceived(data);
                }
            } catch (RuntimeException e) {
                fatalError(e, "Fatal error: protocol.dataReceived() call failed.");
            }
        } else if (n < 0) {
            readEof();
        }
    }

    /** A {@link BufferedProtocol}'s read: straight into its buffer, asyncio's {@code _read_ready__get_buffer}. */
    private void readIntoProtocolBuffer(BufferedProtocol bp) {
        ByteBuffer buf;
        try {
            buf = bp.getBuffer(-1);
            if (buf == null || buf.isReadOnly() || !buf.hasRemaining()) {
                throw new IllegalStateException("getBuffer() returned " + (buf == null ? "null"
                        : buf.isReadOnly() ? "a read-only buffer" : "an empty buffer") + ": " + buf);
            }
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.getBuffer() call failed.");
            return;
        }
        int n;
        try {
            n = channel.read(buf);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n > 0) {
            try {
                bp.bufferUpdated(n);
            } catch (RuntimeException e) {
                fatalError(e, "Fatal error: protocol.bufferUpdated() call failed.");
            }
        } else if (n < 0) {
            readEof();
        }
    }

    private void readEof() {
        eofSeen = true;
        loop.removeReader(channel);
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (RuntimeException e) {
            fatalError(e, "Fatal error: protocol.eofReceived() call failed.");
            return;
        }
        if (!keepOpen) {
            close();
        }
    }

    @Override
    public void pauseReading() {
        if (closing || readingPaused) {
            return;
        }
        readingPaused = true;
        if (started) {
            loop.removeReader(channel);
        }
    }

    @Override
    public void resumeReading() {
        if (closing || !readingPaused) {
            return;
        }
        readingPaused = false;
        if (started && !eofSeen) {
            loop.addReader(channel, this::readReady);
        }
    }

    @Override
    public boolean isReading() {
        return !readingPaused && !closing;
    }

    // ------------------------------------------------------------------------------- writing

    @Override
    public void write(byte[] data) {
        Checks.notNull(data, "data");
        writeBorrowed(data, 0, data.length);
    }

    /**
     * Writes {@code data[offset, offset + len)}; the caller may reuse {@code data} once this
     * returns (what the socket did not take at once is copied into the buffer). SslProtocol lends
     * its reused record buffer this way, a WebSocket the loop's frame array.
     */
    @Override
    public void writeBorrowed(byte[] data, int offset, int len) {
        java.util.Objects.checkFromIndexSize(offset, len, data.length);
        if (eofWritten) {
            throw new IllegalStateException("Cannot call write() after writeEof(): " + this);
        }
        if (len == 0) {
            return;
        }
        if (sendfileInProgress) {
            throw new IllegalStateException("unable to write: sendfile() is in progress on " + this
                    + "; await it before writing more");
        }
        if (connLost > 0 || closing) {
            droppedWrite(len);
            return;
        }
        int off = offset;
        int end = offset + len;
        if (buffer.isEmpty()) {
            ByteBuffer src;
            if (len <= WRITE_STAGE) {
                // The loop's direct buffer, not ByteBuffer.wrap: the JDK would copy the heap bytes
                // into a temporary direct buffer anyway, and the wrapper is one object per write.
                src = scratch.directWrite(WRITE_STAGE);
                src.clear();
                src.put(data, offset, len).flip();
            } else {
                src = ByteBuffer.wrap(data, offset, len);
            }
            int start = src.position(); // 0 in the staging buffer, offset in a wrap
            try {
                channel.write(src);
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (!src.hasRemaining()) {
                return;
            }
            off = offset + src.position() - start;
            loop.addWriter(channel, this::writeReady);
        }
        buffer.add(ByteBuffer.wrap(Arrays.copyOfRange(data, off, end)));
        bufferSize += end - off;
        flow.afterGrow(bufferSize, this);
    }

    void droppedWrite(int n) {
        droppedWrites = DroppedWrites.drop(droppedWrites, n, "write() on a closing or closed transport", "writes", this);
    }

    private void writeReady() {
        if (connLost > 0 || buffer.isEmpty()) {
            return;
        }
        int k = Math.min(buffer.size(), MAX_GATHER);
        ByteBuffer[] srcs = new ByteBuffer[k];
        int i = 0;
        for (ByteBuffer bb : buffer) {
            if (i == k) {
                break;
            }
            srcs[i++] = bb;
        }
        long n;
        try {
            n = channel.write(srcs, 0, k);
        } catch (IOException e) {
            loop.removeWriter(channel);
            buffer.clear();
            bufferSize = 0;
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        bufferSize -= n;
        while (!buffer.isEmpty() && !buffer.peekFirst().hasRemaining()) {
            buffer.pollFirst();
        }
        flow.afterShrink(bufferSize, this);
        if (buffer.isEmpty()) {
            loop.removeWriter(channel);
            wakeEmptyWaiter(false);
            if (closing) {
                connLost++;
                callConnectionLost(null);
            } else if (eofWritten) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "Fatal error on socket transport: shutdownOutput() failed");
        }
    }

    @Override
    public void writeEof() {
        if (closing || eofWritten) {
            return;
        }
        eofWritten = true;
        if (buffer.isEmpty()) {
            shutdownOutput();
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
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

    // ------------------------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closing) {
            return;
        }
        if (loop.isClosed()) {
            closeAfterLoop();
            return;
        }
        closing = true;
        if (started) {
            loop.removeReader(channel);
        }
        if (buffer.isEmpty()) {
            connLost++;
            loop.removeWriter(channel);
            sendFin(); // the peer sees end of stream now, even if the loop is not running
            loop.callSoon(() -> callConnectionLost(null));
        } else {
            closeWhenTheLoopCloses(null); // the flush waits for a peer that may never read
        }
    }

    /** Shuts down the output side at once (the socket is closed later, in callConnectionLost). */
    private void sendFin() {
        try {
            if (channel.isConnected()) {
                channel.shutdownOutput();
            }
        } catch (IOException ignored) {
            // the connection is gone already; callConnectionLost closes the socket
        }
    }

    @Override
    public void abort() {
        if (loop.isClosed()) {
            closeAfterLoop();
            return;
        }
        forceClose(null);
    }

    /**
     * A close waits on the loop: close() for the buffer to be written (a peer that does not read
     * holds it), SslProtocol for the peer's close_notify. If the loop closes first, nothing will
     * run to end that wait, and the descriptor would stay open for good (asyncio's transport
     * closes it when collected, with a ResourceWarning): a loop close hook closes the socket then,
     * as {@link #closeAfterLoop()} does, and the protocol is not told (the loop accepts no
     * callbacks). {@code first}, if not null, runs before that (SslProtocol ends its own state).
     * The hook goes when connectionLost is called. Registered once, however often this is called;
     * called while the loop's close unwinds a task, it closes the socket at once.
     */
    void closeWhenTheLoopCloses(Runnable first) {
        if (first != null) {
            beforeLoopClose = first;
        }
        if (removeLoopCloseHook != null || lostCalled) {
            return;
        }
        try {
            removeLoopCloseHook = LoopAccess.onClose(loop, this::onLoopClose);
        } catch (IllegalStateException closing) { // closed from a task unwound by the loop's close
            onLoopClose();
        }
    }

    /** The loop closes while a close waits (closeWhenTheLoopCloses): the socket is closed now. */
    private void onLoopClose() {
        removeLoopCloseHook = null;
        Runnable first = beforeLoopClose;
        beforeLoopClose = null;
        try {
            if (first != null) {
                first.run(); // SslProtocol's cleanup; whatever it does, the socket is closed below
            }
        } finally {
            if (channel.isOpen()) {
                closeAfterLoop();
            }
        }
    }

    /**
     * The loop is closed (a session or server left open past {@code Aio.run}): no callback can
     * run any more, so the socket is closed here and now, and the protocol is not told. asyncio
     * raises "Event loop is closed" here; the descriptor would then stay open.
     */
    private void closeAfterLoop() {
        closing = true;
        connLost++;
        buffer.clear();
        bufferSize = 0;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** Ends the connection with {@code exc} (asyncio's _fatal_error): reported, then forced closed. */
    public void fatalError(Exception exc, String message) {
        IoErrors.reportFatal(loop, exc, message, this);
        forceClose(exc);
    }

    private void forceClose(Exception exc) {
        if (connLost > 0) {
            return;
        }
        if (!buffer.isEmpty()) {
            buffer.clear();
            bufferSize = 0;
            loop.removeWriter(channel);
        }
        if (!closing) {
            closing = true;
            if (started) {
                loop.removeReader(channel);
            }
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(exc));
    }

    private void callConnectionLost(Exception exc) {
        if (lostCalled) {
            return;
        }
        lostCalled = true;
        wakeEmptyWaiter(true);
        Future<Void> w = sendfileWritable;
        if (w != null && !w.done()) {
            w.setResult(null); // sendfile() sees connLost and raises: its writer went with the socket
        }
        try {
            if (started) {
                protocol.connectionLost(exc);
            }
        } finally {
            loop.removeReader(channel);
            loop.removeWriter(channel);
            if (removeLoopCloseHook != null) { // the wait is over: the close hook is not needed
                removeLoopCloseHook.run();
                removeLoopCloseHook = null;
            }
            beforeLoopClose = null;
            ImmediateClose.close(loop, channel); // the descriptor goes now, not at the next select
            if (server != null) {
                server.detach(this);
            }
        }
    }

    // ------------------------------------------------------------------------------- sendfile

    /**
     * asyncio's {@code _sendfile_native}: waits until everything written before is on the wire,
     * then moves {@code count} bytes of {@code file} from {@code offset} to the socket with
     * {@link FileChannel#transferTo} (the kernel's sendfile where the platform has it), waiting for
     * writability whenever the socket is full. {@code write()} is refused meanwhile. The file's
     * position is left after the last byte sent, if any, also when this throws (asyncio's
     * {@code _sock_sendfile_update_filepos}).
     *
     * @return the bytes sent: {@code count}, or fewer if the file ends first
     * @throws IOException if the connection broke or the file could not be read
     */
    public long sendfile(FileChannel file, long offset, long count) throws IOException {
        if (sendfileInProgress) {
            throw new IllegalStateException("sendfile() is already in progress on " + this);
        }
        if (closing || connLost > 0 || eofWritten) {
            throw new java.net.SocketException("Connection lost (or closing) before sendfile(): " + this);
        }
        sendfileInProgress = true;
        long sent = 0;
        Throwable failure = null;
        try {
            while (!buffer.isEmpty()) {
                emptyWaiter = loop.createFuture();
                try {
                    emptyWaiter.await();
                } catch (java.util.concurrent.CompletionException e) {
                    throw IoErrors.rethrow(e);
                }
            }
            while (sent < count) {
                if (connLost > 0 || closing) {
                    throw new java.net.SocketException("Connection lost during sendfile() after " + sent + " bytes: " + this);
                }
                long n;
                try {
                    n = file.transferTo(offset + sent, count - sent, channel);
                } catch (IOException e) {
                    fatalError(e, "Fatal write error on socket transport (sendfile)");
                    throw e;
                }
                if (n > 0) {
                    sent += n;
                } else if (offset + sent >= file.size()) {
                    break; // the file ended
                } else {
                    Future<Void> writable = loop.createFuture();
                    sendfileWritable = writable;
                    loop.addWriter(channel, () -> {
                        if (!writable.done()) {
                            writable.setResult(null);
                        }
                    });
                    try {
                        writable.await(); // woken by callConnectionLost too: the loop's check above then throws
                    } finally {
                        sendfileWritable = null;
                        if (connLost == 0) {
                            loop.removeWriter(channel);
                        }
                    }
                }
            }
            return sent;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            sendfileInProgress = false;
            emptyWaiter = null;
            FileBlocks.leavePosition(file, offset, sent, failure);
        }
    }

    /**
     * Wakes a sendfile() waiting for the buffer to empty: normally, or with {@code lost} by
     * failing its wait. The exception is made only when someone waits (every close passes here).
     */
    private void wakeEmptyWaiter(boolean lost) {
        Future<Void> w = emptyWaiter;
        if (w != null && !w.done()) {
            if (lost) {
                w.setException(new java.net.SocketException("Connection lost"));
            } else {
                w.setResult(null);
            }
        }
    }

    // ---------------------------------------------------------------------------------- misc

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return socketInfo(name, defaultValue, peername, sockname, channel);
    }

    /**
     * A socket transport's extra info (asyncio's {@code _SelectorTransport} fills {@code _extra}
     * so for the stream and the datagram transport alike): {@code peername}, {@code sockname},
     * {@code socket}; {@code defaultValue} for any other name or an unknown address.
     */
    static Object socketInfo(String name, Object defaultValue, SocketAddress peername, SocketAddress sockname,
                             NetworkChannel channel) {
        Object v = switch (name) {
            case "peername" -> peername;
            case "sockname" -> sockname;
            case "socket" -> channel;
            default -> null;
        };
        return v != null ? v : defaultValue;
    }

    /**
     * The state a selector transport shows in its toString, stream or datagram (see the
     * maintainer notes): open, "closing, flushing" (closing with writes buffered), closing
     * (connectionLost scheduled), closed.
     */
    static String stateName(boolean closing, int connLost, boolean lostCalled) {
        return lostCalled ? "closed" : connLost > 0 ? "closing" : closing ? "closing, flushing" : "open";
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = Checks.notNull(protocol, "protocol");
    }

    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "SocketTransport[peer=" + peername + ", " + stateName(closing, connLost, lostCalled) + ", "
                + (isReading() ? "reading" : "not reading") + ", write buffer=" + bufferSize + " bytes]";
    }
}
