package dev.aio4j.loop;

import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The second layer of {@link EventLoop}, asyncio's {@code selector_events.py}
 * {@code BaseSelectorEventLoop} and the signal handling of {@code unix_events.py}: the
 * {@link Selector} and its wait, readiness callbacks ({@code addReader}...), the {@code sock*}
 * coroutines (whose bodies are {@link SelectorSockets}), name lookups and signal handlers.
 * Package-private; its public methods are {@link EventLoop}'s public API and are documented there.
 */
abstract sealed class SelectorEventLoop extends BaseEventLoop permits EventLoop {
    /*
     * Maintainer notes. The selector is level-triggered; `readiness` holds the registrations and
     * turns selected keys into ready callbacks. A removal while the loop is idle flushes the
     * cancelled key at once (flushIfIdle), so that a channel closed next is really closed.
     */

    /** {@link #getnameinfo(InetSocketAddress, int)} flag: the host as a numeric address, no lookup. */
    public static final int NI_NUMERICHOST = 1;
    /** {@link #getnameinfo(InetSocketAddress, int)} flag: the port as a number (always the case). */
    public static final int NI_NUMERICSERV = 2;
    /** {@link #getnameinfo(InetSocketAddress, int)} flag: fail if the address has no name. */
    public static final int NI_NAMEREQD = 8;

    private final Selector selector;
    private final Readiness readiness;
    /** Queues the ready handles of one selected key: select(Consumer)'s action, made once. */
    private final Consumer<SelectionKey> dispatcher;
    private final SelectorSockets sockets;
    /** Signal handlers of this loop (lazily created: most loops have none). */
    private SignalBridge signals;

    SelectorEventLoop(VirtualClock clock, Schedule schedule) {
        super(clock, schedule);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event loop's selector", e);
        }
        this.readiness = new Readiness(self(), selector);
        this.dispatcher = k -> Readiness.dispatch(k, ready);
        this.sockets = new SelectorSockets(self(), readiness);
        this.scheduler.setWakeup(selector::wakeup);
    }

    // ------------------------------------------------------------------------ the selector

    @Override
    final void select(long timeoutNanos) {
        // Without a schedule the selector hands each ready key to `dispatcher` as it finds it
        // (select(Consumer)): no selected-key set, whose HashMap node per ready channel was garbage
        // on every iteration with I/O. A schedule permutes the ready channels, so it collects them.
        Consumer<SelectionKey> action = decisions == null ? dispatcher : null;
        int selected = 0;
        try {
            if (timeoutNanos == 0) {
                if (hasIoInterest()) {
                    selected = selectNow(action);
                }
            } else {
                if (Thread.interrupted()) {
                    interruptSeen = true;
                }
                sleeping = true;
                try {
                    if (!threadsafe.isEmpty()) {
                        if (hasIoInterest()) {
                            selected = selectNow(action);
                        }
                    } else if (timeoutNanos < 0) {
                        selected = action != null ? selector.select(action) : selector.select();
                    } else {
                        long ms = selectMillis(timeoutNanos);
                        selected = action != null ? selector.select(action, ms) : selector.select(ms);
                    }
                } finally {
                    sleeping = false;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select() failed on " + this, e);
        }
        if (action != null) {
            if (selected > 0) {
                virtualTime.ioArrived();
            }
            return;
        }
        if (hasIoInterest()) {
            Set<SelectionKey> keys = selector.selectedKeys();
            if (!keys.isEmpty()) {
                virtualTime.ioArrived();
            }
            // the schedule permutes the ready channels (one or none: no decision drawn)
            SelectionKey[] order = keys.toArray(new SelectionKey[0]);
            decisions.permute(order, order.length);
            readiness.dispatch(order, order.length, ready);
            keys.clear();
        }
    }

    private int selectNow(Consumer<SelectionKey> action) throws IOException {
        return action != null ? selector.selectNow(action) : selector.selectNow();
    }

    /** The longest single wait, a day: asyncio's {@code MAXIMUM_SELECT_TIMEOUT}; the loop then waits again. */
    static final long MAX_SELECT_MILLIS = 24L * 3600 * 1000;

    /**
     * A wait of {@code timeoutNanos} (positive) in whole milliseconds for {@code select(ms)}:
     * rounded up, at least 1 (0 would mean "no deadline"), at most {@link #MAX_SELECT_MILLIS}
     * (a timer centuries away saturates to {@code Long.MAX_VALUE} nanoseconds, which must not
     * overflow into a 1 ms poll).
     */
    static long selectMillis(long timeoutNanos) {
        if (timeoutNanos >= MAX_SELECT_MILLIS * 1_000_000) {
            return MAX_SELECT_MILLIS;
        }
        return Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
    }

    @Override
    final boolean hasIoInterest() {
        return !selector.keys().isEmpty();
    }

    /** Registered selector keys, including cancelled ones not yet flushed (tests count them). */
    int selectorKeyCount() {
        return selector.keys().size();
    }

    @Override
    final void wakeSelector() {
        selector.wakeup();
    }

    void wakeup() {
        if (!closed) {
            selector.wakeup();
        }
    }

    /** close(): the selector's end. */
    void closeSelector() throws IOException {
        selector.close();
    }

    /**
     * After a removal: while the loop is not running, flush cancelled selector keys at once with a
     * selectNow(), so that a channel closed next is really closed (NIO defers the close of a
     * registered channel until its key is flushed, and an idle loop does not select). While the
     * loop runs, its next select (at the end of this iteration) flushes them. Any readiness this
     * selectNow() saw is dropped; the selector is level-triggered, so the next select sees it again.
     */
    private boolean flushIfIdle(boolean removed) {
        if (removed && !running && !closing && selector.isOpen()) {
            try {
                readiness.flushCancelledKeys();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "flushing cancelled selector keys of " + this + " failed", e);
            }
        }
        return removed;
    }

    /**
     * LoopAccess.releaseChannel: drops the channel's reader and writer and flushes its cancelled
     * key now, so that a close() right after closes the descriptor at once. NIO defers the close
     * of a registered channel to the selector's next select, and closes a connected socket whose
     * key is still registered by first shutting its output down: the peer would read a FIN (end
     * of stream) before the reset that unread input calls for, where asyncio's sock.close() sends
     * the reset alone. Called on the loop's side (a callback, or while it is not running), never
     * during its select. Any readiness the flush saw is dropped: the selector is level-triggered.
     */
    final void releaseChannel(SelectableChannel ch) {
        // From another thread while the loop runs, the selectNow() below would wait for the loop's
        // select to return (forever, on an idle loop) and the removals would race it.
        checkThread("LoopAccess.releaseChannel()");
        SelectionKey key = ch.keyFor(selector);
        if (key == null || closed || !selector.isOpen()) {
            return;
        }
        readiness.remove(ch, true);
        readiness.remove(ch, false);
        key.cancel();
        try {
            readiness.flushCancelledKeys();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "flushing the cancelled selector key of " + ch + " failed", e);
        }
    }

    // ------------------------------------------------------------------------ I/O readiness

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable (or, for a server
     * channel, has a connection to accept), until {@link #removeReader}. Replaces an earlier
     * reader of the same channel.
     *
     * <p><b>asyncio:</b> {@code loop.add_reader(fd, callback)}.
     *
     * @param channel a channel in non-blocking mode
     * @param callback the callback
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if the channel is closed, or the call comes from another thread
     */
    public void addReader(SelectableChannel channel, Runnable callback) {
        addReadiness(channel, callback, true, "EventLoop.addReader()");
    }

    private void addReadiness(SelectableChannel channel, Runnable callback, boolean read, String what) {
        Checks.notNull(channel, "channel");
        Checks.notNull(callback, "callback");
        checkThread(what);
        checkClosed();
        readiness.add(channel, callback, read);
    }

    /**
     * Stops watching {@code channel} for readability.
     *
     * <p><b>asyncio:</b> {@code loop.remove_reader(fd)}.
     *
     * @param channel the channel
     * @return whether a reader was registered
     */
    public boolean removeReader(SelectableChannel channel) {
        Checks.notNull(channel, "channel");
        checkThread("EventLoop.removeReader()");
        return !closed && flushIfIdle(readiness.remove(channel, true));
    }

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is writable (or, while a
     * non-blocking connect is pending, when it completes), until {@link #removeWriter}.
     *
     * <p><b>asyncio:</b> {@code loop.add_writer(fd, callback)}.
     *
     * @param channel a channel in non-blocking mode
     * @param callback the callback
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if the channel is closed, or the call comes from another thread
     */
    public void addWriter(SelectableChannel channel, Runnable callback) {
        addReadiness(channel, callback, false, "EventLoop.addWriter()");
    }

    /**
     * Stops watching {@code channel} for writability.
     *
     * <p><b>asyncio:</b> {@code loop.remove_writer(fd)}.
     *
     * @param channel the channel
     * @return whether a writer was registered
     */
    public boolean removeWriter(SelectableChannel channel) {
        Checks.notNull(channel, "channel");
        checkThread("EventLoop.removeWriter()");
        return !closed && flushIfIdle(readiness.remove(channel, false));
    }

    // ------------------------------------------------------------------------ socket coroutines

    /**
     * Reads what is available into {@code dst}, suspending until at least one byte (or EOF)
     * arrives.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_recv_into(sock, buf)}.
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled while it waits,
     * nothing has been read and the channel is no longer watched.
     *
     * @param channel a connected channel in non-blocking mode
     * @param dst where to put the bytes
     * @return how many bytes were read; 0 at end of stream (or if {@code dst} is full)
     * @throws IOException if the read fails (a reset connection, a closed channel)
     */
    public int sockRecvInto(SocketChannel channel, ByteBuffer dst) throws IOException {
        return sockets.sockRecvInto(channel, dst);
    }

    /**
     * Reads up to {@code n} bytes, suspending until at least one byte (or EOF) arrives.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_recv(sock, n)}.
     *
     * <p><b>Cancellation:</b> as {@link #sockRecvInto}.
     *
     * @param channel a connected channel in non-blocking mode
     * @param n the most bytes to return, &gt; 0
     * @return the bytes; empty at end of stream
     * @throws IOException if the read fails
     */
    public byte[] sockRecv(SocketChannel channel, int n) throws IOException {
        return sockets.sockRecv(channel, n);
    }

    /**
     * Writes all of {@code src}, suspending whenever the socket's send buffer is full.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_sendall(sock, data)}.
     *
     * <p><b>Cancellation:</b> this method may suspend. If the task is cancelled, the bytes not
     * yet sent stay in {@code src} (from its position on).
     *
     * @param channel a connected channel in non-blocking mode
     * @param src the bytes to send
     * @throws IOException if the write fails (a reset connection, a closed channel)
     */
    public void sockSendall(SocketChannel channel, ByteBuffer src) throws IOException {
        sockets.sockSendall(channel, src);
    }

    /**
     * Writes all of {@code data}.
     *
     * <p><b>Cancellation:</b> as {@link #sockSendall(SocketChannel, ByteBuffer)}.
     *
     * @param channel a connected channel in non-blocking mode
     * @param data the bytes to send
     * @throws IOException if the write fails
     */
    public void sockSendall(SocketChannel channel, byte[] data) throws IOException {
        sockets.sockSendall(channel, data);
    }

    /**
     * Connects {@code channel} to {@code address}, suspending until the connection is
     * established.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_connect(sock, address)}. <b>Differences:</b>
     * {@code address} must be resolved (see {@link #getaddrinfo}).
     *
     * <p><b>Cancellation:</b> this method may suspend; if the task is cancelled, the channel is
     * left with its connection pending: close it.
     *
     * @param channel an unconnected channel in non-blocking mode
     * @param address where to connect
     * @throws IOException if the connection fails ({@link ConnectException} when refused)
     */
    public void sockConnect(SocketChannel channel, SocketAddress address) throws IOException {
        sockets.sockConnect(channel, address);
    }

    /**
     * Accepts a connection, suspending until one arrives. The accepted channel is in
     * non-blocking mode.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_accept(sock)}; returns the channel (its peer is
     * {@code getRemoteAddress()}).
     *
     * <p><b>Cancellation:</b> this method suspends; if the task is cancelled, no connection is
     * taken from the backlog.
     *
     * @param server a bound server channel in non-blocking mode
     * @return the accepted connection
     * @throws IOException if accepting fails
     */
    public SocketChannel sockAccept(ServerSocketChannel server) throws IOException {
        return sockets.sockAccept(server);
    }

    /**
     * Receives one datagram of at most {@code bufsize} bytes, suspending until one arrives.
     *
     * <p><b>asyncio:</b> {@code data, address = await loop.sock_recvfrom(sock, bufsize)}.
     *
     * <p><b>Cancellation:</b> this method suspends; if the task is cancelled, no datagram is taken.
     *
     * @param channel a datagram channel in non-blocking mode, bound (or connected)
     * @param bufsize the most bytes to return, &gt; 0; the rest of a longer datagram is dropped
     *     (as {@code recvfrom})
     * @return the datagram's bytes and its sender
     * @throws IOException if the receive fails
     * @since 0.2
     */
    public EventLoop.Datagram sockRecvfrom(DatagramChannel channel, int bufsize) throws IOException {
        return sockets.sockRecvfrom(channel, bufsize);
    }

    /**
     * Receives one datagram into {@code dst} (from its position; the position moves past the
     * bytes received), suspending until one arrives.
     *
     * <p><b>asyncio:</b> {@code nbytes, address = await loop.sock_recvfrom_into(sock, buf)}.
     * <b>Differences:</b> returns the sender; the count is how far {@code dst}'s position moved.
     *
     * <p><b>Cancellation:</b> as {@link #sockRecvfrom}.
     *
     * @param channel a datagram channel in non-blocking mode
     * @param dst where the bytes go; a datagram longer than its remaining space is cut
     * @return the sender
     * @throws IOException if the receive fails
     * @since 0.2
     */
    public SocketAddress sockRecvfromInto(DatagramChannel channel, ByteBuffer dst) throws IOException {
        return sockets.sockRecvfromInto(channel, dst);
    }

    /**
     * Sends one datagram to {@code address}, suspending while the socket's send buffer has no
     * room for it.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_sendto(sock, data, address)}.
     *
     * <p><b>Cancellation:</b> this method may suspend; if the task is cancelled, nothing was sent.
     *
     * @param channel a datagram channel in non-blocking mode
     * @param data the datagram
     * @param address a resolved destination
     * @return the bytes sent (all of {@code data})
     * @throws IOException if the send fails (for instance a datagram over the socket's limit)
     * @since 0.2
     */
    public int sockSendto(DatagramChannel channel, byte[] data, SocketAddress address) throws IOException {
        return sockets.sockSendto(channel, ByteBuffer.wrap(Checks.notNull(data, "data")), address);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (0: to its end) over
     * {@code channel}, with the kernel's zero-copy {@code sendfile} where the JDK has it
     * ({@link FileChannel#transferTo}), suspending whenever the socket's send buffer is full.
     * Afterwards the file's position is after the last byte sent; it is not moved if nothing was.
     *
     * <p><b>asyncio:</b> {@code await loop.sock_sendfile(sock, file, offset=0, count=None)}.
     * <b>Differences:</b> {@code count} 0 means to the end of the file (asyncio's {@code None}); no
     * {@code fallback} argument, since {@code transferTo} falls back to copying by itself.
     *
     * <p><b>Cancellation:</b> this method may suspend; if the task is cancelled, the bytes sent so
     * far are sent and the file's position is after them.
     *
     * @param channel a connected socket in non-blocking mode
     * @param file a file open for reading
     * @param offset where to start, &gt;= 0
     * @param count how many bytes, &gt;= 0; 0 for all from {@code offset} to the end
     * @return the bytes sent; fewer than asked if the file is shorter
     * @throws IOException if the send fails (a reset connection)
     * @since 0.2
     */
    public long sockSendfile(SocketChannel channel, FileChannel file, long offset, long count) throws IOException {
        return sockets.sockSendfile(channel, file, offset, count);
    }

    // ------------------------------------------------------------------------ name lookups

    /**
     * Resolves {@code host} without blocking the loop: IP literals at once, names on the
     * default executor.
     *
     * <p><b>asyncio:</b> {@code await loop.getaddrinfo(host, port)}. <b>Differences:</b> returns
     * socket addresses, in the resolver's order.
     *
     * <p><b>Cancellation:</b> this method may suspend; a lookup already running on the executor
     * finishes there and its result is dropped.
     *
     * @param host a host name or IP literal
     * @param port the port for the returned addresses
     * @return one or more resolved addresses
     * @throws UnknownHostException if the name does not resolve
     */
    public List<InetSocketAddress> getaddrinfo(String host, int port) throws UnknownHostException {
        return sockets.getaddrinfo(host, port);
    }

    /**
     * The host name of {@code address} (a reverse lookup on the default executor) and its port.
     *
     * <p><b>asyncio:</b> {@code await loop.getnameinfo(sockaddr, flags=0)}. <b>Differences:</b>
     * returns {@code List.of(host, port)}; the port is always numeric (Java has no services
     * database), as with {@code NI_NUMERICSERV}; {@link #NI_NUMERICHOST} answers at once without
     * the executor. Without a name, the host is the numeric address unless {@link #NI_NAMEREQD}.
     *
     * <p><b>Cancellation:</b> this method may suspend; a lookup already running on the executor
     * finishes there and its result is dropped.
     *
     * @param address a resolved socket address
     * @param flags a combination of {@code NI_*} flags, or 0
     * @return the host and the port, as two strings
     * @throws UnknownHostException with {@link #NI_NAMEREQD}, if the address has no name
     */
    public List<String> getnameinfo(InetSocketAddress address, int flags) throws UnknownHostException {
        Checks.notNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved, got " + address);
        }
        InetAddress ip = address.getAddress();
        String port = Integer.toString(address.getPort());
        String numeric = ip.getHostAddress();
        if ((flags & NI_NUMERICHOST) != 0) {
            if ((flags & NI_NAMEREQD) != 0) {
                throw new IllegalArgumentException("NI_NUMERICHOST and NI_NAMEREQD exclude each other");
            }
            return List.of(numeric, port);
        }
        // A fresh InetAddress, so that the name a caller's address may carry is not taken for the answer.
        String host = self().runInExecutor(null, () -> InetAddress.getByAddress(ip.getAddress()).getCanonicalHostName())
                .await();
        if (host.equals(numeric)) {
            if ((flags & NI_NAMEREQD) != 0) {
                throw new UnknownHostException("getnameinfo(): " + numeric + " has no name (NI_NAMEREQD)");
            }
            return List.of(numeric, port);
        }
        return List.of(host, port);
    }

    /**
     * {@link #getnameinfo(InetSocketAddress, int)} with no flags.
     *
     * <p><b>Cancellation:</b> as {@link #getnameinfo(InetSocketAddress, int)}.
     *
     * @param address a resolved socket address
     * @return the host and the port
     * @throws UnknownHostException never without flags; declared for symmetry
     */
    public List<String> getnameinfo(InetSocketAddress address) throws UnknownHostException {
        return getnameinfo(address, 0);
    }

    // ------------------------------------------------------------------------ signal handlers

    /**
     * Calls {@code callback} on this loop (through {@link #callSoonThreadsafe}) whenever the
     * process receives {@code signal}, until {@link #removeSignalHandler} or
     * {@link EventLoop#close()}. Replaces this loop's earlier handler for the same signal; the
     * callback runs in a copy of the context current now.
     *
     * <p><b>asyncio:</b> {@code loop.add_signal_handler(sig, callback)} (Unix). <b>Differences:</b>
     * the signal is a name ({@code "SIGINT"} or {@code "INT"}), handled through the JDK's
     * {@code sun.misc.Signal} (module {@code jdk.unsupported}). Works for {@code SIGINT},
     * {@code SIGTERM}, {@code SIGHUP}, {@code SIGUSR1}, {@code SIGWINCH}, {@code SIGALRM},
     * {@code SIGCHLD} on Linux and macOS. Refused: {@code SIGKILL} and {@code SIGSTOP} (no
     * process can catch them), {@code SIGQUIT} (the JVM's thread dump), and signals the JVM
     * handles natively ({@code SIGUSR2} on Linux HotSpot, {@code SIGPIPE}). Handling
     * {@code SIGINT}, {@code SIGTERM} or {@code SIGHUP} replaces the JVM's shutdown on that signal
     * until the handler is removed. Signals are process-wide, and any thread's loop may handle
     * them (asyncio: the main thread's only): when several loops handle the same signal, the one
     * that added its handler last gets it; when that one removes its handler (or closes), the one
     * before it gets the signal again, and once no loop handles it the handler found before the
     * first one is back. A library that installs its own {@code sun.misc.Signal} handler
     * meanwhile replaces them all.
     *
     * @param signal the signal's name, with or without {@code "SIG"}
     * @param callback runs on the loop for each delivery
     * @throws IllegalArgumentException if the signal is unknown or cannot be handled (Python:
     *     {@code ValueError} or {@code RuntimeError})
     * @throws UnsupportedOperationException if module {@code jdk.unsupported} is not available
     * @throws IllegalStateException if the loop is closed
     */
    public void addSignalHandler(String signal, Runnable callback) {
        Checks.notNull(signal, "signal");
        Checks.notNull(callback, "callback");
        checkThread("EventLoop.addSignalHandler()");
        checkClosed();
        try {
            signalBridge().add(signal, callback, Context.copyContext());
        } catch (LinkageError e) {
            throw noSignals(e);
        }
    }

    /**
     * Removes this loop's handler for {@code signal}: the signal goes to the loop that handled it
     * before, if any still does, or else to the handler found before the first loop took it. The
     * removed callback is never called afterwards, not even for a signal that arrived before the
     * removal and was still waiting for the loop to handle it (the loop looks the handler up when
     * it handles a signal, as asyncio's {@code _handle_signal}).
     *
     * <p><b>asyncio:</b> {@code loop.remove_signal_handler(sig)}.
     *
     * @param signal the signal's name, with or without {@code "SIG"}
     * @return whether a handler was removed
     * @throws IllegalArgumentException if the signal is unknown
     */
    public boolean removeSignalHandler(String signal) {
        Checks.notNull(signal, "signal");
        checkThread("EventLoop.removeSignalHandler()");
        if (closed) {
            return false;
        }
        try {
            return signalBridge().remove(signal);
        } catch (LinkageError e) {
            throw noSignals(e);
        }
    }

    private static UnsupportedOperationException noSignals(LinkageError e) {
        return new UnsupportedOperationException("signal handlers need module jdk.unsupported (sun.misc.Signal); "
                + "add --add-modules jdk.unsupported", e);
    }

    private SignalBridge signalBridge() {
        SignalBridge s = signals;
        if (s == null) {
            s = new SignalBridge(self());
            signals = s;
        }
        return s;
    }

    /** close(): restores every signal handler this loop replaced. */
    void removeAllSignalHandlers() {
        SignalBridge s = signals;
        if (s != null) {
            try {
                s.removeAll();
            } catch (LinkageError | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restoring the signal handlers replaced by " + this + " failed", e);
            }
        }
    }
}
