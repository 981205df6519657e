package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.internal.Connector;
import dev.aio4j.streams.internal.FileBlocks;
import dev.aio4j.streams.internal.IoErrors;
import dev.aio4j.streams.internal.SocketTransport;
import dev.aio4j.streams.internal.StreamReaderProtocol;
import dev.aio4j.streams.internal.TlsParams;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The writing end of a connection: buffered writes through the {@link Transport}, and
 * {@link #drain()} to wait for the buffer to empty enough.
 *
 * <p><b>asyncio:</b> {@code asyncio.StreamWriter}. <b>Differences:</b> {@code drain()},
 * {@code waitClosed()} and {@code startTls()} suspend directly; {@code close()} is also
 * {@link AutoCloseable#close()}, so a writer can be a try-with-resources resource (it only
 * closes; call {@link #waitClosed()} to wait for the end); no public constructor.
 *
 * <h2>Writing</h2>
 * {@link #write(byte[])} never suspends: it hands the bytes to the transport, which sends what it
 * can and buffers the rest. Call {@link #drain()} after writing: it returns at once while the
 * transport's buffer is at most its high watermark (64 KiB by default), and otherwise suspends
 * until the buffer falls to the low watermark (16 KiB). Writing in a loop with a
 * {@code drain()} after each write therefore never buffers more than the high watermark plus one
 * write. A write after {@link #close()} is dropped (see {@link Transport}); {@code drain()} then
 * throws once the connection is gone.
 *
 * <h2>How to get one</h2>
 * {@link Streams#openConnection}, or the callback of {@link Streams#startServer}.
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.1
 */
public final class StreamWriter implements AutoCloseable {
    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    /** Set while the fallback of {@link #sendfile(FileChannel, long, long)} runs: a second one is refused. */
    private boolean fallbackInProgress;

    StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /**
     * The transport this writer writes to (after {@link #startTls}, the TLS one).
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Writes {@code data}; never suspends (see the class Javadoc).
     *
     * @param data the bytes; the caller may reuse the array afterwards
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset}, after everything written
     * before, as fast as the platform allows: on a plain TCP or Unix connection the bytes go from
     * the file to the socket with {@link FileChannel#transferTo} (the kernel's sendfile where there
     * is one) without passing through the Java heap; otherwise (TLS, pipes, any other transport)
     * they are read in blocks of 16 KiB, each by a job of the loop's default executor (the loop
     * never waits for the disk), and each written with {@link #write} and waited for with
     * {@link #drain} before the next one is read, as asyncio's fallback does. The file is read at
     * explicit positions; when this returns or throws, its position is after the last byte handed
     * to the connection ({@code offset} plus what was sent), or unchanged if nothing was, so after
     * a failure {@code file.position()} tells how far it got.
     *
     * <p><b>asyncio:</b> {@code await loop.sendfile(writer.transport, file, offset, count)}.
     * <b>Differences:</b> a method of the writer; the fallback is always allowed; {@code count} is
     * required (pass {@code file.size() - offset} for asyncio's {@code None}, to the end), and 0
     * sends nothing; in the fallback, a block counts as sent once it is written to the transport,
     * where asyncio counts it (and moves the file position past it) only after its drain returned;
     * a closing transport is an {@link IOException} ({@code SocketException}), where asyncio raises
     * {@code RuntimeError('Transport is closing')} before and {@code ConnectionError} during the
     * fallback.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled, sending stops; the
     * bytes already handed to the connection are sent, the rest are not, the file's position is
     * after the last byte handed over, and the connection should be closed (its stream is cut at
     * an unknown point). A block read that was running goes on in the executor; its bytes are
     * dropped.
     *
     * @param file an open, readable file
     * @param offset where to start in the file
     * @param count how many bytes at most
     * @return the bytes sent: {@code count}, or fewer if the file ends first
     * @throws IllegalStateException while another {@code sendfile} runs on this connection, after
     *     {@link #writeEof()}, or, for the fallback, when the loop's default executor was shut down
     *     ({@link dev.aio4j.loop.EventLoop#shutdownDefaultExecutor()}); nothing is sent then
     * @throws IOException if the connection is closing or broke ({@link java.net.SocketException}),
     *     or the file could not be read (what its read threw)
     */
    public long sendfile(FileChannel file, long offset, long count) throws IOException {
        Checks.notNull(file, "file");
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must be >= 0, got offset=" + offset + ", count=" + count);
        }
        if (transport instanceof SocketTransport tcp) { // plain TCP or Unix; a TLS transport is not one
            return tcp.sendfile(file, offset, count);
        }
        return sendfileFallback(file, offset, count);
    }

    /**
     * asyncio's {@code _sendfile_fallback}: one block at a time, read in the default executor,
     * written, drained; the file's position left after what was handed to the transport.
     */
    private long sendfileFallback(FileChannel file, long offset, long count) throws IOException {
        if (fallbackInProgress) {
            throw new IllegalStateException("sendfile() is already in progress on " + transport);
        }
        if (transport.isClosing()) {
            throw new SocketException("Connection lost (or closing) before sendfile(): " + transport);
        }
        fallbackInProgress = true;
        long sent = 0;
        Throwable failure = null;
        try {
            while (sent < count) {
                long at = offset + sent;
                int want = (int) Math.min(FileBlocks.FALLBACK_BLOCK, count - sent);
                byte[] block = Aio.toThread(() -> FileBlocks.read(file, at, want));
                if (block.length == 0) {
                    break; // the file ended
                }
                if (transport.isClosing()) { // a write now would be dropped: asyncio's "Connection closed by peer"
                    throw new SocketException("Connection lost during sendfile() after " + sent + " bytes: " + transport);
                }
                write(block);
                sent += block.length;
                drain();
            }
            return sent;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            fallbackInProgress = false;
            FileBlocks.leavePosition(file, offset, sent, failure);
        }
    }

    /**
     * Sends the whole file: {@code sendfile(channel, 0, size)} on a channel opened for reading.
     * The file is opened and its size taken in the loop's default executor (opening can wait for
     * a slow or network disk); it is closed on the loop when the sending ends.
     *
     * <p><b>Cancellation:</b> as {@link #sendfile(FileChannel, long, long)}; a file opened by a job
     * that was still running when the task was cancelled is closed by that job.
     *
     * @param file the file
     * @return the bytes sent
     * @throws IllegalStateException as {@link #sendfile(FileChannel, long, long)}
     * @throws IOException if the file cannot be opened or read, or the connection broke
     */
    public long sendfile(Path file) throws IOException {
        Checks.notNull(file, "file");
        Opened opened = openInExecutor(file);
        try (FileChannel ch = opened.channel()) {
            return sendfile(ch, 0, opened.size());
        }
    }

    /** A file opened by {@link #openInExecutor} and its size, taken by the same job. */
    private record Opened(FileChannel channel, long size) {
    }

    /**
     * Opens {@code file} for reading in the default executor. If the task is cancelled while the
     * job runs, whichever of the job and this task comes second closes the channel.
     */
    private static Opened openInExecutor(Path file) throws IOException {
        OpenHandoff handoff = new OpenHandoff();
        boolean received = false;
        try {
            Opened opened = Aio.toThread(() -> {
                FileChannel ch = handoff.offer(FileChannel.open(file, StandardOpenOption.READ));
                return new Opened(ch, ch.size()); // if size() throws, the task's abandon() closes ch
            });
            received = true;
            return opened;
        } finally {
            if (!received) {
                handoff.abandon();
            }
        }
    }

    /** The channel between the executor's job ({@link #offer}) and the task ({@link #abandon}, when it will not take it). */
    private static final class OpenHandoff {
        private FileChannel channel;
        private boolean abandoned;

        synchronized FileChannel offer(FileChannel ch) throws IOException {
            if (abandoned) {
                ch.close();
            } else {
                channel = ch;
            }
            return ch;
        }

        synchronized void abandon() {
            abandoned = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // opened for reading and never read: nothing is lost with it
                }
            }
        }
    }

    /**
     * Writes each array in order.
     *
     * @param data the arrays
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void writelines(List<byte[]> data) {
        transport.writelines(data);
    }

    /**
     * Closes the write side after the buffer is sent; the peer reads end of stream.
     *
     * @throws UnsupportedOperationException over TLS
     */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * Whether {@link #writeEof()} is supported.
     *
     * @return false over TLS
     */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection after sending what is buffered; never suspends. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * Whether the connection is closing or closed.
     *
     * @return true once {@link #close()} was called or the connection was lost
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspends until the connection is closed.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * the connection is not affected.
     *
     * @throws IOException if the connection ended with an error
     */
    public void waitClosed() throws IOException {
        Connector.awaitIo(protocol.closedFuture());
    }

    /**
     * Information about the connection: {@link Transport#getExtraInfo(String)}.
     *
     * @param name the name ({@code "peername"}, {@code "sockname"}, {@code "socket"}, TLS names)
     * @return the value, or null
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /**
     * Information about the connection, with a default.
     *
     * @param name the name
     * @param defaultValue what to return if unknown
     * @return the value
     */
    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Waits until it is appropriate to write more: returns at once unless the transport's
     * buffer is above its high watermark; then suspends until it drains to the low one.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled while it waits,
     * the buffered data stays buffered and is still sent.
     *
     * @throws IOException the error that broke the connection (as the reader saw it), or
     *     {@link java.net.SocketException} "Connection lost" once the connection is closed
     */
    public void drain() throws IOException {
        if (reader != null) {
            Throwable exc = reader.exception();
            if (exc != null) {
                throw IoErrors.rethrow(exc);
            }
        }
        if (transport.isClosing()) {
            // Let connectionLost run if the connection is going away (asyncio yields once too).
            Aio.sleep(0);
        }
        protocol.drainHelper();
    }

    /**
     * Upgrades this connection to TLS: drains, performs the handshake, and from then on reads and
     * writes go through TLS. A client verifies the server's name ({@code serverHostname}, or the
     * host it connected to) against its certificate.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled during the
     * handshake, the connection is aborted.
     *
     * @param sslContext the TLS configuration
     * @param serverHostname for a client: the name to verify and send (SNI); null to use the
     *     connected host; "" to skip hostname verification. Ignored on a server connection
     * @throws IOException if the handshake fails ({@link javax.net.ssl.SSLException}) or the
     *     connection breaks
     */
    public void startTls(SSLContext sslContext, String serverHostname) throws IOException {
        startTls(sslContext, serverHostname, Streams.SSL_HANDSHAKE_TIMEOUT, Streams.SSL_SHUTDOWN_TIMEOUT);
    }

    /**
     * Upgrades this connection to TLS with explicit timeouts: asyncio's {@code await
     * writer.start_tls(sslcontext, server_hostname=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=)}; see {@link #startTls(SSLContext, String)}. Pass
     * {@link Streams#SSL_HANDSHAKE_TIMEOUT} or {@link Streams#SSL_SHUTDOWN_TIMEOUT} for asyncio's
     * {@code None}.
     *
     * <p><b>Cancellation:</b> as {@link #startTls(SSLContext, String)}.
     *
     * @param sslContext the TLS configuration
     * @param serverHostname as {@link #startTls(SSLContext, String)}
     * @param sslHandshakeTimeout seconds the handshake may take, &gt; 0 or infinite (no limit); past it the
     *     connection is aborted and this throws {@link javax.net.ssl.SSLHandshakeException}
     * @param sslShutdownTimeout seconds closing the writer may take (written data the TLS engine
     *     has not taken, then the peer's close_notify), &gt; 0 or infinite (no limit); past it the
     *     connection is aborted
     * @throws IllegalArgumentException if a timeout is zero, negative or NaN (checked before
     *     anything is drained or changed)
     * @throws IOException if the handshake fails or times out ({@link javax.net.ssl.SSLException})
     *     or the connection breaks
     * @since 0.2
     */
    public void startTls(SSLContext sslContext, String serverHostname, double sslHandshakeTimeout, double sslShutdownTimeout)
            throws IOException {
        Checks.notNull(sslContext, "sslContext");
        TlsParams tls = new TlsParams(sslContext, sslHandshakeTimeout, sslShutdownTimeout);
        drain();
        String name = serverHostname;
        if (name == null && !protocol.isServerSide()) {
            Object peer = transport.getExtraInfo("peername");
            if (peer instanceof java.net.InetSocketAddress ia) {
                name = ia.getHostString();
            }
        }
        Transport t = Connector.startTls(transport, protocol, tls, protocol.isServerSide(), name);
        transport = t;
        protocol.replaceTransport(t);
    }

    /**
     * {@link #startTls(SSLContext, String, double, double)} with {@link Duration}s.
     *
     * <p><b>Cancellation:</b> as {@link #startTls(SSLContext, String)}.
     *
     * @param sslContext the TLS configuration
     * @param serverHostname as {@link #startTls(SSLContext, String)}
     * @param sslHandshakeTimeout how long the handshake may take, &gt; 0
     * @param sslShutdownTimeout how long closing the writer may take (written data the TLS engine
     *     has not taken, then the peer's close_notify), &gt; 0
     * @throws IllegalArgumentException as there
     * @throws IOException as there
     * @since 0.2
     */
    public void startTls(SSLContext sslContext, String serverHostname, Duration sslHandshakeTimeout,
                         Duration sslShutdownTimeout) throws IOException {
        startTls(sslContext, serverHostname, Checks.seconds(sslHandshakeTimeout, "sslHandshakeTimeout"),
                Checks.seconds(sslShutdownTimeout, "sslShutdownTimeout"));
    }

    /**
     * Upgrades this connection to TLS, verifying the connected host's name: {@code startTls(ctx, null)}.
     *
     * <p><b>Cancellation:</b> as {@link #startTls(SSLContext, String)}.
     *
     * @param sslContext the TLS configuration
     * @throws IOException if the handshake fails or the connection breaks
     */
    public void startTls(SSLContext sslContext) throws IOException {
        startTls(sslContext, null);
    }

    @Override
    public String toString() {
        return "StreamWriter[transport=" + transport + (reader != null ? ", reader=" + reader : "") + "]";
    }
}
