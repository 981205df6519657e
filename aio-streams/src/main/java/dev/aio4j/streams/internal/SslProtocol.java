package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.IpLiterals;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.TimerHandle;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * TLS over a plain transport with an {@link SSLEngine}: a protocol to the socket transport below,
 * and a transport ({@link #appTransport()}) to the application's protocol above. asyncio's
 * {@code sslproto.SSLProtocol} and {@code _SSLProtocolTransport}.
 */
public final class SslProtocol implements BorrowedReadProtocol {
    /*
     * Maintainer notes.
     *
     * State. `state` holds one of the State values below; it changes only in moveTo(), which
     * refuses any transition not drawn here (an IllegalStateException: a bug in this class).
     *
     *   UNWRAPPED --connectionMade--> DO_HANDSHAKE --handshake finished--> WRAPPED
     *       |                             |                                   |
     *       |                             |       app close(), or the peer's  |
     *       |                             |       close_notify or EOF         v
     *       |                             |                               FLUSHING
     *       |                             |                                   | backlog written:
     *       |                             |                                   v close_notify sent
     *       |                             |                               SHUTDOWN
     *       |                             |                                   | peer's close_notify
     *       |                             |                                   v or EOF, timeout
     *       +-----------------------------+-----------------------------------+--> CLOSED
     *                                     (failure, abort, connectionLost: from any state)
     *
     *   UNWRAPPED     made, no socket transport yet. App writes wait in `pending`.
     *   DO_HANDSHAKE  the engine handshakes; the handshake timer runs; app writes wait in
     *                 `pending`. The app protocol is not connected yet.
     *   WRAPPED       the app protocol is connected (`session` is set); app writes are wrapped
     *                 at once and handed to the socket transport (behind the backlog, if any).
     *   FLUSHING      the app closed after the handshake (or the peer's close_notify or EOF
     *                 came): the shutdown timer runs (asyncio arms it on entering FLUSHING), and
     *                 the backlog, if any, is written first (closeAfterPending). App writes are
     *                 dropped; records already received are still unwrapped and delivered. The
     *                 socket reads on (a paused one is resumed: the engine may wait for the
     *                 peer's handshake message before it takes the backlog).
     *   SHUTDOWN      close_notify is sent (not after the peer's EOF: asyncio's _do_shutdown
     *                 skips unwrap() then); we wait for the peer's close_notify or EOF, reading
     *                 on (the socket's reading is resumed: pauseReading no longer applies).
     *                 Records that come meanwhile are unwrapped and dropped, as OpenSSL's
     *                 SSL_shutdown drops them. A TLS 1.2 renegotiation the peer starts as we
     *                 close leaves the JDK's engine with an open handshake, on which it fails at
     *                 the peer's close_notify: that failure counts as the close_notify
     *                 (closeNotifyInRenegotiation; OpenSSL drops the HelloRequest and reads the
     *                 close_notify), as it does in WRAPPED, where the engine, closed, then sends
     *                 nothing more (engineClosedByPeer). When it comes: the app hears eofReceived (asyncio's
     *                 _call_eof_received) and the socket transport is closed on the next tick
     *                 (_on_shutdown_complete); the shutdown timer is cancelled. When the timer
     *                 fires first (in FLUSHING or SHUTDOWN): abort with a TimeoutError, which
     *                 connectionLost reports to the app, nothing logged (_check_shutdown_timeout
     *                 -> transport._force_close). asyncio's SHUTDOWN, the same name.
     *                 From FLUSHING on, over a socket, the socket transport's loop close hook
     *                 (watchLoopClose, SocketTransport.closeWhenTheLoopCloses) closes
     *                 the socket if the loop closes before the wait ends: nothing could end it.
     *   CLOSED        terminal (asyncio goes back to UNWRAPPED). Reached from any other state
     *                 by a failure (fail(): handshake error, timeout, bad record;
     *                 transportFatal(): a callback threw), by abort(), by close() before the
     *                 handshake finished, by the shutdown timeout, or by connectionLost. The
     *                 backlog is dropped. Nothing more is unwrapped, wrapped or written;
     *                 connectionLost may still be on its way (it finds CLOSED and only reports).
     *
     * Flags that are not the state: appConnected (the app protocol was told connectionMade and
     * not yet connectionLost), eofDelivered (the app was told eofReceived), inProcess (process()
     * is on the stack: re-entrant calls return), receiving (dataReceived is on the stack: a read
     * handed over meanwhile is queued and handled after the current one). `session` is null
     * until the handshake finished; `failure` is the error that moved us to CLOSED, reported by
     * connectionLost. peerEof: the socket transport reported end of stream (no close_notify is
     * sent after it, as asyncio's _eof_received); shutdownDone: SHUTDOWN completed, the socket
     * transport's close is on its way.
     *
     * Buffers. `pending` is the write backlog (asyncio's _write_backlog): plaintext the engine
     * has not taken yet, oldest first, counted in getWriteBufferSize. It holds what is written
     * before the handshake ends, and after it what the engine refuses: a wrap may answer OK with
     * nothing consumed and nothing produced while it waits for the peer's handshake message
     * (NEED_UNWRAP; the JDK's engine does not, other providers may during a renegotiation).
     * wrapAll then puts the rest of that write at the backlog's head; while the backlog is not
     * empty, app writes go behind it, and process() retries it (drainPending) after each unwrap;
     * writeNow runs process() at once if the engine wants to wrap or run a task instead. So in
     * the normal case the backlog is empty and a write is wrapped at once. A close() with a
     * backlog moves to FLUSHING and waits for it (closeAfterPending) before close_notify, within
     * the shutdownTimeout that covers FLUSHING and SHUTDOWN together, and not at all once the
     * peer closed (it will send nothing that could release the engine: the backlog is dropped
     * with a warning). terminate() (lost, aborted, failed) drops it.
     * Everything the engine takes is handed to the socket transport, whose buffer and
     * watermarks give write flow control. The app is paused while the socket transport is
     * paused or the backlog holds the total over the high mark (backlogPaused, cleared once the
     * backlog is written, from when on the socket transport's marks govern); updateAppWriting
     * tells it on a change, never in the middle of a wrap (a pauseWriting that comes from inside
     * one of our writes is held until the whole app write is handed down, so that what the app
     * writes or closes from it comes after that write). pauseReading/resumeReading go
     * straight to the socket transport (not while closing: FLUSHING and SHUTDOWN read on): at
     * most one read's worth of ciphertext is unwrapped after a pause. `netIn` holds ciphertext not yet unwrapped, bounded by one TLS record plus one read.
     *
     * Copies (the data path is the throughput of every TLS connection). netIn is always in read
     * mode (position..limit = not yet unwrapped). SocketTransport lends each read in its loop's
     * reused heap read buffer (dataBorrowed(array, offset, length), BorrowedReadProtocol; heap
     * because JSSE decrypts heap buffers several times faster than direct ones), so nothing is
     * allocated per read. When
     * nothing is left over, netIn wraps the read's array (no copy) and the records are unwrapped
     * in place, one after the other, without compacting. A partial record left at the end is
     * copied into `netStore` (lazily made, grown to fit) before dataReceived returns, so the
     * caller's array is never kept; a read that leaves nothing over drops netStore, so an idle
     * connection holds no buffer. When the next read comes, only the bytes that complete that
     * record (its 5-byte header gives the length) are copied behind it; once it is unwrapped, the
     * rest of the read is unwrapped in place (if the engine did not take the completed record,
     * the whole read is appended, the old way). The loop's shared plaintext buffer
     * (LoopBuffers.Scratch.tlsPlaintext, empty between unwraps) receives the plaintext of one
     * record, or once the handshake is done of up to UNWRAP_RECORDS application records of the
     * same read, copied once into the array the app protocol gets (and owns: a StreamReader keeps
     * it without copying, and read(n) may return it as it is); an app protocol that consumes each
     * read within the call (BorrowedReadProtocol: a WebSocket) is lent the buffer itself instead.
     * Anything else the engine reports (handshake, close_notify, an error) first delivers what
     * the plaintext buffer holds, so the app sees data and events in order. Once the inbound side
     * is done (close_notify), further reads are dropped, not stored.
     * wrap() encodes up to WRAP_RECORDS records of one write into the loop's shared record buffer
     * (Scratch.tlsRecords: flushed before wrap() returns, so not kept per connection) and hands
     * them to the socket transport in one write (one syscall; the transport copies only what the
     * socket did not take). A wrap with no app data (a handshake message, an alert,
     * close_notify) goes on while the engine answers NEED_WRAP, so the messages of one flight
     * share that write (a TLS 1.3 server's ServerHello, ChangeCipherSpec and encrypted rest: one
     * write, not three); a flight that does not fit two packets' room is written in parts. When
     * the engine wants to wrap while more of the peer's records of the same read wait to be
     * unwrapped, process() holds what it wraps (holdFlight: flushOut keeps it in heldFlight, a
     * per-connection buffer made for the occasion) until the engine's answer to those records
     * joins it, and writes it when process() returns at the latest: a TLS 1.3 client's
     * compatibility ChangeCipherSpec (wrapped on the ServerHello) and its Finished (after the
     * rest of the server's flight) leave in one write. Anything else flushOut writes meanwhile
     * goes behind what is held, in the same write, so the order on the wire never changes.
     * Buffers are sized from the session's packet and application sizes.
     * The loop's Scratch is looked up once, in the constructor.
     */

    /** The states of the maintainer notes above (asyncio: {@code sslproto.SSLProtocolState}). */
    enum State {
        UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN, CLOSED;

        /** The transition table of the maintainer notes. */
        boolean canMoveTo(State next) {
            return switch (this) {
                case UNWRAPPED -> next == DO_HANDSHAKE || next == CLOSED;
                case DO_HANDSHAKE -> next == WRAPPED || next == CLOSED;
                case WRAPPED -> next == FLUSHING || next == CLOSED;
                case FLUSHING -> next == SHUTDOWN || next == CLOSED;
                case SHUTDOWN -> next == CLOSED;
                case CLOSED -> false;
            };
        }

        /** A close waits here (FLUSHING: the backlog, SHUTDOWN: the peer's close_notify): reads go on, the timer runs. */
        boolean closeWaits() {
            return this == FLUSHING || this == SHUTDOWN;
        }
    }

    private static final System.Logger LOG = System.getLogger("dev.aio4j.streams");
    /** asyncio's SSL_HANDSHAKE_TIMEOUT: the default of {@link #handshakeTimeout}. */
    static final double HANDSHAKE_TIMEOUT = TlsParams.HANDSHAKE_TIMEOUT;
    /** asyncio's SSL_SHUTDOWN_TIMEOUT: the default of {@link #shutdownTimeout}. */
    static final double SHUTDOWN_TIMEOUT = TlsParams.SHUTDOWN_TIMEOUT;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** The most records one wrap() call encodes before handing them to the socket transport. */
    static final int WRAP_RECORDS = 4;
    /** The most records of one read unwrapped into the plaintext buffer before one delivery to the app protocol. */
    static final int UNWRAP_RECORDS = 4;
    /** Plaintext bytes per TLS record at most (RFC 8446 5.1). */
    private static final int MAX_FRAGMENT = 16384;
    /** A TLS record's header: type, version, 16-bit length (RFC 8446 5.1, RFC 5246 6.2.1). */
    private static final int RECORD_HEADER = 5;

    private final EventLoop loop;
    /** The loop's scratch buffers (plaintext, records), looked up once. */
    private final LoopBuffers.Scratch scratch;
    private final SSLContext context;
    private final SSLEngine engine;
    private final boolean callConnectionMade;
    private final Future<Void> waiter;
    /** Seconds the handshake may take (asyncio's {@code ssl_handshake_timeout}); then it fails. */
    private final double handshakeTimeout;
    /**
     * Seconds a close() may take, from FLUSHING (a backlog the engine does not take) through
     * SHUTDOWN (the wait for the peer's close_notify): asyncio's {@code ssl_shutdown_timeout};
     * then the connection is aborted.
     */
    private final double shutdownTimeout;
    private final AppTransport appTransport = new AppTransport();
    private Protocol app;
    private Transport transport;
    /** Ciphertext not yet unwrapped, in read mode: `netStore`, or a read's own array. */
    private ByteBuffer netIn = EMPTY;
    /** Own storage for a partial record left over by a read; null until needed. */
    private ByteBuffer netStore;
    /**
     * The write backlog (asyncio's {@code _write_backlog}): app writes not yet taken by the
     * engine, oldest first, counted in getWriteBufferSize. See the maintainer notes.
     */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long pendingSize;
    /** close() came while the backlog was not empty: close_notify goes once it is written. */
    private boolean closeAfterPending;
    /** Ends a close() that takes longer than shutdownTimeout (FLUSHING or SHUTDOWN); null otherwise. */
    private TimerHandle shutdownTimer;
    /** The socket transport reported end of stream (asyncio's {@code _eof_received}). */
    private boolean peerEof;
    /** SHUTDOWN completed: the socket transport's close is scheduled. */
    private boolean shutdownDone;
    /**
     * The peer's close_notify came while a renegotiation was open and the engine failed on it
     * (closeNotifyInRenegotiation): handled as the peer's close_notify, and nothing more is
     * wrapped (the engine's queued fatal alert, and our close_notify, stay unsent).
     */
    private boolean engineClosedByPeer;
    /** process() wraps a handshake message while more of the peer's records wait to be unwrapped: flushOut holds what it gets. */
    private boolean holdFlight;
    /** Records of a flight held by flushOut (holdFlight) until the rest joins them; null when none. */
    private ByteBuffer heldFlight;
    private State state = State.UNWRAPPED;
    private SSLSession session;
    private boolean appConnected;
    private boolean eofDelivered;
    private boolean inProcess;
    /** dataReceived is on the stack: a read handed over meanwhile waits in reentrantReads. */
    private boolean receiving;
    private ArrayDeque<byte[]> reentrantReads;
    private Exception failure;
    private TimerHandle handshakeTimer;
    private int droppedWrites;
    /** wrap() calls on the stack; the socket transport's pauseWriting waits for the outermost to end. */
    private int wrapping;
    /** The socket transport asked to pause writing (pauseWriting, not yet resumeWriting). */
    private boolean transportPaused;
    /** The backlog took the write buffer over the high mark; cleared once the backlog is written. */
    private boolean backlogPaused;
    /** The app was told pauseWriting and not yet resumeWriting. */
    private boolean appPaused;

    /** A TLS layer with asyncio's default timeouts (60 s handshake, 30 s shutdown). */
    public SslProtocol(EventLoop loop, Protocol app, SSLContext context, boolean serverSide, String serverHostname, int port,
                       Future<Void> waiter, boolean callConnectionMade) {
        this(loop, app, context, serverSide, serverHostname, port, waiter, callConnectionMade, HANDSHAKE_TIMEOUT, SHUTDOWN_TIMEOUT);
    }

    /**
     * A TLS layer with the given timeouts (asyncio's {@code SSLProtocol(...,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}).
     *
     * @param handshakeTimeout seconds, &gt; 0 or infinite (no limit)
     * @param shutdownTimeout seconds, &gt; 0 or infinite (no limit)
     * @throws IllegalArgumentException if a timeout is zero, negative or NaN
     */
    public SslProtocol(EventLoop loop, Protocol app, SSLContext context, boolean serverSide, String serverHostname, int port,
                       Future<Void> waiter, boolean callConnectionMade, double handshakeTimeout, double shutdownTimeout) {
        this.handshakeTimeout = TlsParams.checkTimeout(handshakeTimeout, "sslHandshakeTimeout");
        this.shutdownTimeout = TlsParams.checkTimeout(shutdownTimeout, "sslShutdownTimeout");
        this.loop = loop;
        this.scratch = LoopBuffers.of(loop);
        this.app = app;
        this.context = context;
        this.waiter = waiter;
        this.callConnectionMade = callConnectionMade;
        if (serverSide) {
            engine = context.createSSLEngine();
            engine.setUseClientMode(false);
        } else {
            boolean named = serverHostname != null && !serverHostname.isEmpty();
            engine = named ? context.createSSLEngine(serverHostname, Math.max(port, 0)) : context.createSSLEngine();
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            if (named) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!IpLiterals.isIpLiteral(serverHostname)) {
                    params.setServerNames(List.of(new SNIHostName(serverHostname)));
                }
            }
            engine.setSSLParameters(params);
        }
    }

    public Transport appTransport() {
        return appTransport;
    }

    /** The one place where the state changes; refuses a transition the table does not allow. */
    private void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("SslProtocol: illegal state transition " + state + " -> " + next + ": " + this);
        }
        state = next;
    }

    /** Moves to CLOSED unless already there. */
    private void terminate() {
        if (state != State.CLOSED) {
            moveTo(State.CLOSED);
        }
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        closeAfterPending = false;
        if (!pending.isEmpty()) { // nothing more is wrapped: the backlog can never be sent
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.DEBUG, "TLS connection ended with " + pendingSize + " written bytes unsent: " + transport);
            }
            pending.clear();
            pendingSize = 0;
        }
    }

    /** For tests: the current state. */
    State state() {
        return state;
    }

    /** For tests: bytes written by the app and not yet taken by the engine (the backlog). */
    long backlogSize() {
        return pendingSize;
    }

    /** For tests: the capacity of the connection's own ciphertext buffer (0: none held). */
    int heldCiphertextCapacity() {
        return netStore == null ? 0 : netStore.capacity();
    }

    // ------------------------------------------------------------- protocol of the socket transport

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        moveTo(State.DO_HANDSHAKE);
        if (handshakeTimeout != Double.POSITIVE_INFINITY) { // infinite: no limit, as asyncio's float('inf')
            handshakeTimer = loop.callLater(handshakeTimeout, () -> {
                if (state == State.DO_HANDSHAKE) {
                    fail(new SSLHandshakeException("TLS handshake timed out after " + handshakeTimeout + " s"));
                }
            });
        }
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        process();
    }

    @Override
    public void dataReceived(byte[] data) {
        dataBorrowed(data, 0, data.length);
    }

    /**
     * {@code data[offset, offset + length)} arrived. The array is only read during this call
     * (SocketTransport lends its loop's reused read array): what is left of it afterwards is copied.
     */
    @Override
    public void dataBorrowed(byte[] data, int offset, int length) {
        if (receiving) {
            // A read handed over while the previous one is being handled (a transport delivering
            // from inside an app callback): it goes after the whole of that read, whose rest may
            // not be stored yet. Copied: the caller may reuse its array.
            if (reentrantReads == null) {
                reentrantReads = new ArrayDeque<>();
            }
            reentrantReads.add(Arrays.copyOfRange(data, offset, offset + length));
            return;
        }
        receiving = true;
        try {
            receive(data, offset, offset + length);
            byte[] next;
            while (reentrantReads != null && (next = reentrantReads.poll()) != null) {
                receive(next, 0, next.length);
            }
        } finally {
            receiving = false;
        }
    }

    /** Handles {@code data[from, to)}. */
    private void receive(byte[] data, int from, int to) {
        if (state == State.CLOSED || engine.isInboundDone()) {
            return; // nothing more will be unwrapped: keep nothing
        }
        int off = from;
        if (netIn.hasRemaining() && !inProcess) {
            // A partial record is left from the previous read (in netStore): complete just that
            // record from this read's head, unwrap it, then go on in place.
            off = completeRecord(data, from, to);
            process();
        }
        if (off < to && state != State.CLOSED) {
            if (netIn.hasRemaining() || inProcess) {
                // Not unwrapped (not a record boundary after all, or a read handed over from
                // inside a process() that no dataReceived started): keep the rest behind what is
                // there, as one stream.
                store(netIn, data, off, to - off);
                process();
            } else {
                netIn = ByteBuffer.wrap(data, off, to - off); // unwrapped in place during this call
                process();
            }
        }
        if (netIn != netStore) { // never keep the caller's array: copy a partial record, if any
            if (netIn.hasRemaining() && state != State.CLOSED && !engine.isInboundDone()) {
                store(netIn, null, 0, 0);
                return;
            }
            netIn = EMPTY;
        }
        if (!netIn.hasRemaining()) {
            // Nothing left over: an idle connection keeps no buffer of its own (while data flows,
            // most reads end inside a record and reuse it).
            netIn = EMPTY;
            netStore = null;
        }
    }

    /**
     * Moves from the head of {@code data[from, to)} into netStore (which holds the start of one
     * record) what that record still lacks, as its 5-byte header says; returns where the rest of
     * the read starts.
     */
    private int completeRecord(byte[] data, int from, int to) {
        int have = netStore.remaining();
        int at = from;
        if (have < RECORD_HEADER) {
            int take = Math.min(RECORD_HEADER - have, to - at);
            store(netStore, data, at, take);
            have += take;
            at += take;
        }
        if (have >= RECORD_HEADER) {
            int p = netStore.position();
            int record = RECORD_HEADER + (((netStore.get(p + 3) & 0xff) << 8) | (netStore.get(p + 4) & 0xff));
            int more = Math.max(0, Math.min(record - have, to - at));
            if (more > 0) {
                store(netStore, data, at, more);
                at += more;
            }
        }
        return at;
    }

    /** netIn becomes netStore holding {@code head}'s remaining bytes, then {@code more[off, off + n)}. */
    private void store(ByteBuffer head, byte[] more, int off, int n) {
        int need = head.remaining() + n;
        if (netStore == null || netStore.capacity() < need) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, engine.getSession().getPacketBufferSize()));
            bigger.put(head);
            netStore = bigger;
        } else if (head == netStore) {
            netStore.compact();
        } else {
            netStore.clear();
            netStore.put(head);
        }
        if (n > 0) {
            netStore.put(more, off, n);
        }
        netStore.flip();
        netIn = netStore;
    }

    @Override
    public boolean eofReceived() {
        if (state == State.UNWRAPPED || state == State.DO_HANDSHAKE) {
            fail(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
            return false;
        }
        peerEof = true;
        try {
            engine.closeInbound(); // no close_notify came: a truncation, treated as end of stream
        } catch (SSLException ignored) {
            // expected without close_notify
        }
        deliverEof();
        // asyncio's eof_received: WRAPPED -> FLUSHING -> SHUTDOWN without close_notify; in
        // FLUSHING the backlog gets one last try; in SHUTDOWN the wait is over.
        closeForPeer();
        return true; // completeShutdown closes the socket transport
    }

    @Override
    public void connectionLost(Exception exc) {
        terminate();
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        Exception e = exc != null ? exc : failure;
        if (waiter != null && !waiter.done()) { // the handshake never finished
            waiter.setException(e != null ? e : new SocketException("Connection lost during the TLS handshake"));
            waiter.exception();
        }
        if (appConnected || !callConnectionMade) {
            appConnected = false;
            app.connectionLost(e);
        }
    }

    @Override
    public void pauseWriting() {
        // Called from inside the socket transport's write, in the middle of a wrap: the app hears
        // it once the whole write is handed down (updateAppWriting waits for wrapping == 0), so
        // that what it writes or closes from pauseWriting comes after that write (asyncio's
        // SSLProtocol tells the app only after processing a write).
        transportPaused = true;
        updateAppWriting();
    }

    @Override
    public void resumeWriting() {
        transportPaused = false;
        updateAppWriting();
    }

    /**
     * The app is paused while the socket transport is, or while the backlog holds the write
     * buffer over the high mark; tells it when that changes (not in the middle of a wrap: the
     * outermost wrap calls this when it ends).
     */
    private void updateAppWriting() {
        boolean paused = transportPaused || backlogPaused;
        if (wrapping > 0 || paused == appPaused || !appConnected) {
            return;
        }
        appPaused = paused;
        ProtocolCalls.flow(loop, app, paused, transport); // as the socket transport's own call would
    }

    /**
     * The backlog changed: pauses the app once the write buffer (backlog and socket transport)
     * is over the high mark; resumes it once the backlog is written or the total is at the low
     * mark (from then on the socket transport's own marks govern).
     */
    private void checkBacklog() {
        if (transport == null) {
            return;
        }
        if (pending.isEmpty()) {
            backlogPaused = false;
        } else {
            Transport.WriteBufferLimits limits = transport.getWriteBufferLimits();
            long size = appTransport.getWriteBufferSize();
            if (size > limits.high()) {
                backlogPaused = true;
            } else if (size <= limits.low()) {
                backlogPaused = false;
            }
        }
        updateAppWriting();
    }

    // ------------------------------------------------------------------------------- the engine

    /** Runs the engine until it needs more input. */
    private void process() {
        if (inProcess) {
            return;
        }
        inProcess = true;
        try {
            while (state != State.CLOSED) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                    continue;
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    // More of the peer's records are in hand: what the engine sends now is held
                    // for what it sends after reading them (a TLS 1.3 client's compatibility
                    // ChangeCipherSpec, wrapped on the ServerHello, and its Finished, wrapped
                    // after the rest of the server's flight of the same read), so that the
                    // flight leaves in one write; the end of process() writes what is held.
                    holdFlight = netIn.hasRemaining();
                    SSLEngineResult r;
                    try {
                        r = wrap(EMPTY);
                    } finally {
                        holdFlight = false;
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
                        break;
                    }
                    continue;
                }
                boolean more = unwrapOnce();
                if (!pending.isEmpty() && (state == State.WRAPPED || state == State.FLUSHING)) {
                    drainPending(); // the engine may take the backlog now
                }
                if (!more) {
                    break;
                }
            }
        } catch (SSLException e) {
            fail(e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof SSLException s) {
                fail(s);
            } else {
                transportFatal(e, "Fatal error in the TLS layer or its protocol");
            }
        } finally {
            inProcess = false;
            flushHeld();
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * One unwrap, or after the handshake up to {@link #UNWRAP_RECORDS} application-data records
     * of the same read into the loop's plaintext buffer, then one delivery; false when more input is needed (or the inbound side
     * is closed).
     */
    private boolean unwrapOnce() throws SSLException {
        if (engine.isInboundDone()) {
            return false;
        }
        int appSize = engine.getSession().getApplicationBufferSize();
        // The loop's shared plaintext buffer (LoopBuffers): empty between unwraps, so no
        // connection keeps records' worth of buffer while idle.
        ByteBuffer appIn = scratch.tlsPlaintext(UNWRAP_RECORDS * appSize);
        appIn.clear();
        SSLEngineResult r;
        while (true) {
            try {
                r = engine.unwrap(netIn, appIn);
            } catch (SSLException e) {
                if (!closeNotifyInRenegotiation(e)) {
                    throw e;
                }
                deliverAppData(appIn); // the records before it, in order
                onCloseNotifyInRenegotiation();
                return false;
            }
            if (session == null || r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0
                    || r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING || !netIn.hasRemaining()
                    || appIn.remaining() < appSize) { // no room for one more record
                break;
            }
        }
        int delivered = appIn.position();
        deliverAppData(appIn);
        checkFinished(r);
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                return false; // a partial record: dataReceived keeps it for the next read
            }
            case BUFFER_OVERFLOW -> {
                if (delivered == 0) { // the buffer is empty and still too small: the session's size grew
                    scratch.tlsPlaintext(Math.max(appIn.capacity() * 2, appSize));
                }
                return true;
            }
            case CLOSED -> {
                onCloseNotify();
                return false;
            }
            default -> {
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() == HandshakeStatus.NEED_TASK || r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                        || netIn.hasRemaining();
            }
        }
    }

    private void deliverAppData(ByteBuffer appIn) {
        if (appIn.position() == 0) {
            return;
        }
        if (state == State.SHUTDOWN) {
            appIn.clear(); // after our close_notify: dropped, as OpenSSL's SSL_shutdown drops it
            return;
        }
        if (appConnected && !eofDelivered && app instanceof BorrowedReadProtocol borrower) {
            // Consumed within the call (a WebSocket): lent the loop's plaintext buffer, no copy.
            // Nothing can unwrap into it meanwhile: this connection's process() is on the stack
            // (re-entrant calls return), and no other connection reads from inside an app callback.
            int n = appIn.position();
            appIn.clear();
            borrower.dataBorrowed(appIn.array(), 0, n);
            return;
        }
        byte[] data = Arrays.copyOf(appIn.array(), appIn.position());
        appIn.clear();
        if (appConnected && !eofDelivered) {
            app.dataReceived(data);
        }
    }

    /**
     * Wraps {@code src} (all of it) and hands the records to the socket transport, up to
     * {@link #WRAP_RECORDS} records per write, encoded into the loop's shared record buffer (the
     * socket transport copies what it keeps before anything can call back into this protocol).
     * With nothing to send ({@code src} empty: a handshake message, an alert, close_notify), it
     * goes on wrapping for as long as the engine has more to send right away, so that one flight
     * (TLS 1.3's ServerHello, ChangeCipherSpec and encrypted messages) leaves in one write.
     */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        wrapping++;
        try {
            return wrapAll(src);
        } finally {
            if (--wrapping == 0) {
                updateAppWriting();
            }
        }
    }

    private SSLEngineResult wrapAll(ByteBuffer src) throws SSLException {
        int packet = engine.getSession().getPacketBufferSize();
        boolean flight = !src.hasRemaining();
        // The engine wraps only into a packet's worth of room: a flight gets two, so that its
        // short messages (a ServerHello, a ChangeCipherSpec) leave room for the next one.
        int records = flight ? 2 : Math.min(WRAP_RECORDS, Math.max(1, (src.remaining() + MAX_FRAGMENT - 1) / MAX_FRAGMENT));
        ByteBuffer out = scratch.tlsRecords(records * packet);
        out.clear();
        SSLEngineResult r;
        while (true) {
            r = engine.wrap(src, out);
            if (flight && r.getStatus() == SSLEngineResult.Status.OK && r.bytesProduced() > 0
                    && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                // The next message of the same flight: into the same buffer (a full one is
                // written out first, below), one write for the whole flight.
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (out.position() > 0) {
                    flushOut(out);
                    out.clear();
                } else { // the session's packet size grew
                    out = scratch.tlsRecords(Math.max(out.capacity() * 2, engine.getSession().getPacketBufferSize()));
                    out.clear();
                }
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.OK && src.hasRemaining()) {
                // A key update or renegotiation pending: the engine sends its handshake message
                // first and takes none of src in that call. Go on, or src would be lost.
                if (r.bytesConsumed() > 0 || r.bytesProduced() > 0) {
                    continue;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                    continue;
                }
            }
            break;
        }
        flushOut(out);
        out.clear();
        if (r.getStatus() == SSLEngineResult.Status.OK && src.hasRemaining()) {
            // The engine takes no app data now (NEED_UNWRAP: it waits for the peer's handshake
            // message first). Keep the rest at the head of the backlog; drainPending wraps it
            // after the next unwrap.
            // src keeps its position: the caller sees what was not taken.
            byte[] rest = Arrays.copyOfRange(src.array(), src.arrayOffset() + src.position(), src.arrayOffset() + src.limit());
            pending.addFirst(rest);
            pendingSize += rest.length;
        }
        checkFinished(r);
        return r;
    }

    /**
     * Wraps the backlog, oldest first, until it is empty or the engine stalls again (wrapAll
     * then puts the rest back at its head); then a close() that waited for it goes on.
     */
    private void drainPending() throws SSLException {
        while (!pending.isEmpty() && (state == State.WRAPPED || state == State.FLUSHING)) {
            byte[] d = pending.pollFirst();
            pendingSize -= d.length;
            ByteBuffer src = ByteBuffer.wrap(d);
            wrap(src);
            if (src.hasRemaining()) { // the engine stalled again: the rest is back at the head
                break;
            }
        }
        checkBacklog();
        if (pending.isEmpty() && closeAfterPending && state == State.FLUSHING) {
            closeAfterPending = false;
            startShutdown();
        }
    }

    /**
     * Hands {@code out}'s bytes to the socket transport (which copies what it keeps), behind the
     * held part of a flight if any; while {@code holdFlight}, keeps them in {@code heldFlight}
     * instead, for the rest of the flight to join.
     */
    private void flushOut(ByteBuffer out) {
        if (out.position() == 0) {
            return;
        }
        if (!holdFlight && heldFlight == null) {
            writeDown(out.array(), out.position());
            return;
        }
        ByteBuffer h = heldFlight;
        if (h == null || h.remaining() < out.position()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * (h == null ? 0 : h.position()) + out.position(), 1024));
            if (h != null) {
                bigger.put(h.array(), 0, h.position());
            }
            h = bigger;
        }
        h.put(out.array(), 0, out.position());
        heldFlight = h;
        if (!holdFlight) {
            flushHeld();
        }
    }

    /** Writes the held part of a flight (process() does when it returns): nothing is held past it. */
    private void flushHeld() {
        ByteBuffer h = heldFlight;
        if (h != null) {
            heldFlight = null;
            writeDown(h.array(), h.position());
        }
    }

    private void writeDown(byte[] data, int len) {
        if (transport.isClosing()) {
            return;
        }
        if (transport instanceof BorrowedWriteTransport lender) {
            lender.writeBorrowed(data, 0, len);
        } else {
            transport.write(Arrays.copyOf(data, len));
        }
    }

    private void checkFinished(SSLEngineResult r) {
        if (state == State.DO_HANDSHAKE && (r.getHandshakeStatus() == HandshakeStatus.FINISHED
                || (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && engine.getSession().isValid()
                && !engine.getSession().getCipherSuite().equals("SSL_NULL_WITH_NULL_NULL")))) {
            onHandshakeComplete();
        }
    }

    private void onHandshakeComplete() {
        // The flight is complete: what is held goes now, before the app's connectionMade can
        // write (its writes are not held with the handshake's records).
        holdFlight = false;
        flushHeld();
        session = engine.getSession();
        moveTo(State.WRAPPED);
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        appConnected = true;
        if (callConnectionMade) {
            OpenResources.opened(loop, appTransport, appTransport::isClosing);
            try {
                app.connectionMade(appTransport);
            } catch (RuntimeException e) {
                transportFatal(e, "Fatal error: protocol.connectionMade() call failed.");
                if (waiter != null && !waiter.done()) {
                    waiter.setException(e);
                }
                return;
            }
        }
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
        try {
            // The writes made during the handshake (also if connectionMade closed: they go
            // before close_notify).
            drainPending();
        } catch (SSLException e) {
            fail(e);
        }
        checkBacklog();
    }

    private void onCloseNotify() {
        deliverEof();
        closeForPeer(); // answers with our close_notify, or ours was the question: complete
    }

    /**
     * The peer closed (close_notify, end of stream, or close_notify in a renegotiation): closes
     * as the app would (WRAPPED: FLUSHING; nothing if closed already), gives a backlog its last
     * try (FLUSHING: dropped if the engine does not take it, then SHUTDOWN), and completes the
     * shutdown if it now waits in SHUTDOWN (the app hears eofReceived, the socket transport closes).
     */
    private void closeForPeer() {
        appTransport.close();
        endBacklogWait();
        if (state == State.SHUTDOWN) {
            completeShutdown();
        }
    }

    /**
     * Whether {@code e}, thrown by unwrap() on an established connection, is the JDK engine's
     * answer to a close_notify that came while a renegotiation was open (sun.security.ssl's
     * "Received close_notify during handshake", raised after it closed its inbound side): a TLS
     * 1.2 peer started a renegotiation as we sent our close_notify (it then answers ours with
     * its own while our engine holds the HelloRequest), or we started one as the peer closed.
     * OpenSSL reads that close_notify as the end of the connection, so asyncio's
     * {@code _do_shutdown} (and {@code _do_read}) end cleanly there; other providers' messages
     * are not recognised, and fail the connection as before.
     */
    private boolean closeNotifyInRenegotiation(SSLException e) {
        return session != null && state != State.CLOSED && e instanceof SSLProtocolException && engine.isInboundDone()
                && e.getMessage() != null && e.getMessage().contains("close_notify during handshake");
    }

    /**
     * The peer's close_notify came during a renegotiation (closeNotifyInRenegotiation): the
     * connection ends as on a close_notify, except that the engine, closed by its failure, sends
     * nothing more: not the fatal alert it queued, not our close_notify (if not sent yet). The app
     * is closed before it hears eofReceived, so that what it writes from there is dropped, not
     * handed to the closed engine.
     */
    private void onCloseNotifyInRenegotiation() {
        engineClosedByPeer = true;
        if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, "the peer's close_notify came during a TLS renegotiation; closing: " + appTransport);
        }
        closeForPeer(); // nothing sent: engineClosedByPeer
    }

    /**
     * FLUSHING is over (the backlog is written or given up): asyncio's {@code _do_shutdown}.
     * Sends close_notify (not after the peer's end of stream), then waits in SHUTDOWN for the
     * peer's, unless it came already.
     */
    private void startShutdown() {
        moveTo(State.SHUTDOWN);
        if (!peerEof && !engineClosedByPeer) {
            appTransport.sendCloseNotify();
        }
        if (state != State.SHUTDOWN) {
            return; // sending failed the connection
        }
        if (peerEof || engine.isInboundDone()) {
            completeShutdown();
        } else {
            readPeer();
        }
    }

    /**
     * Resumes the socket transport's reading if the app paused it: a close waits for the peer
     * (its handshake message in FLUSHING, its close_notify in SHUTDOWN). aio4j's pauseReading
     * pauses the socket; asyncio's pauses only the app, and its shutdown reads regardless.
     */
    private void readPeer() {
        if (!transport.isReading()) {
            transport.resumeReading();
        }
    }

    /**
     * The peer's close_notify (or end of stream) came in SHUTDOWN: asyncio's
     * {@code _call_eof_received} and {@code _on_shutdown_complete}: the app hears eofReceived,
     * and the socket transport closes on the next tick.
     */
    private void completeShutdown() {
        if (shutdownDone) {
            return;
        }
        shutdownDone = true;
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        deliverEof();
        Transport t = transport;
        loop.callSoon(t::close);
    }

    /**
     * A close waits for the peer (FLUSHING, SHUTDOWN, then the socket's close on the next tick);
     * if the loop closes meanwhile nothing runs to end that wait, and the socket would stay open
     * for good: the socket transport's loop close hook (SocketTransport.closeWhenTheLoopCloses,
     * the one its own close() uses while its buffer waits for a peer that does not read) closes
     * it then, after onLoopClose. Only over a socket (other transports have no descriptor).
     */
    private void watchLoopClose() {
        if (transport instanceof SocketTransport socket) {
            socket.closeWhenTheLoopCloses(this::onLoopClose);
        }
    }

    /**
     * The loop closes while a close waits (the socket transport's hook, which closes the socket
     * next): the wait ends here. The loop accepts no callbacks now, so connectionLost does not
     * come and no timer is touched (the loop dropped them).
     */
    private void onLoopClose() {
        if (!state.closeWaits()) {
            return;
        }
        shutdownTimer = null;
        terminate();
    }

    /**
     * The shutdown timer: asyncio's {@code _check_shutdown_timeout}. Still in FLUSHING or
     * SHUTDOWN: abort; connectionLost reports the TimeoutError (nothing is logged).
     */
    private void onShutdownTimeout() {
        shutdownTimer = null;
        if (!state.closeWaits()) {
            return;
        }
        String what = state == State.FLUSHING && closeAfterPending
                ? "the engine did not take the last " + pendingSize + " bytes written before close()"
                : "no close_notify from the peer";
        terminate();
        failure = new TimeoutError("TLS shutdown timed out: " + what + " in " + shutdownTimeout + " s");
        transport.abort();
    }

    /**
     * The peer sends nothing more (close_notify or EOF came), so an engine that waits for its
     * message will never take the backlog a close() waits for: one last try, then what is still
     * not taken is dropped and close_notify goes.
     */
    private void endBacklogWait() {
        if (!closeAfterPending || state != State.FLUSHING) {
            return;
        }
        if (!engineClosedByPeer) { // a closed engine takes nothing
            try {
                drainPending(); // closes if the engine takes it all
            } catch (SSLException e) {
                fail(e);
                return;
            }
        }
        if (closeAfterPending) {
            LOG.log(System.Logger.Level.WARNING, "the peer closed while the TLS engine waited for its handshake message: "
                    + pendingSize + " bytes written before close() dropped: " + appTransport);
            pending.clear();
            pendingSize = 0;
            closeAfterPending = false;
            backlogPaused = false;
            startShutdown();
        }
    }

    private void deliverEof() {
        if (eofDelivered) {
            return;
        }
        eofDelivered = true;
        if (appConnected) {
            boolean keepOpen = app.eofReceived();
            if (keepOpen) {
                LOG.log(System.Logger.Level.DEBUG, "eofReceived() returned true, which has no effect over TLS");
            }
        }
    }

    private void fail(Exception e) {
        if (state == State.CLOSED) {
            return;
        }
        terminate();
        failure = e;
        if (loop.getDebug()) {
            LOG.log(System.Logger.Level.DEBUG, "TLS failure on " + transport, e);
        }
        if (waiter != null && !waiter.done()) {
            waiter.setException(e);
            waiter.exception();
        }
        try {
            engine.closeOutbound();
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrap(EMPTY); // the alert, if the engine has one
            }
        } catch (SSLException | RuntimeException ignored) {
            // nothing more to send
        }
        if (transport != null) {
            transport.close(); // sends the alert first; connectionLost then reports `failure`
        }
    }

    private void transportFatal(RuntimeException e, String message) {
        loop.callExceptionHandler(ExceptionContext.of(message + ": " + transport, e));
        terminate();
        failure = e;
        if (transport != null) {
            transport.abort();
        }
    }

    // ------------------------------------------------------------------- transport of the app

    /** The transport the application protocol sees. */
    final class AppTransport implements BorrowedWriteTransport {
        @Override
        public void write(byte[] data) {
            Checks.notNull(data, "data");
            writeBorrowed(data, 0, data.length);
        }

        /** As write(): wrapped at once, and what waits in the backlog is a copy, so the caller may reuse {@code data}. */
        @Override
        public void writeBorrowed(byte[] data, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, data.length);
            if (length == 0) {
                return;
            }
            switch (state) {
                case UNWRAPPED, DO_HANDSHAKE -> {
                    pending.add(Arrays.copyOfRange(data, offset, offset + length));
                    pendingSize += length;
                }
                case WRAPPED -> {
                    if (pending.isEmpty()) {
                        writeNow(data, offset, length);
                    } else { // behind the backlog the engine has not taken yet
                        pending.add(Arrays.copyOfRange(data, offset, offset + length));
                        pendingSize += length;
                        checkBacklog();
                    }
                }
                case FLUSHING, SHUTDOWN, CLOSED -> {
                    droppedWrites = DroppedWrites.drop(droppedWrites, length,
                            "write() on a closing or closed TLS transport", "writes", this);
                }
            }
        }

        void writeNow(byte[] data, int offset, int length) {
            try {
                wrap(ByteBuffer.wrap(data, offset, length));
            } catch (SSLException e) {
                fail(e);
                return;
            }
            if (!pending.isEmpty()) { // the engine did not take it all: kept in the backlog
                checkBacklog();
                if (engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                    process(); // it has something to wrap or run first (nothing if process() is on the stack)
                }
            }
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException("TLS does not support half-closes: writeEof() on " + this);
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {
            switch (state) {
                case FLUSHING, SHUTDOWN, CLOSED -> {
                    // closing already, or the socket transport is closing or closed
                }
                case UNWRAPPED -> moveTo(State.CLOSED);
                case DO_HANDSHAKE -> {
                    moveTo(State.CLOSED); // no session to close: just close the socket (asyncio: _abort)
                    transport.close();
                }
                case WRAPPED -> {
                    // asyncio's _start_shutdown: FLUSHING, the shutdown timer, then _do_flush.
                    moveTo(State.FLUSHING);
                    watchLoopClose();
                    if (state != State.FLUSHING) {
                        return; // the loop is closing: the socket was closed at once
                    }
                    if (shutdownTimeout != Double.POSITIVE_INFINITY) { // infinite: wait as long as it takes
                        shutdownTimer = loop.callLater(shutdownTimeout, SslProtocol.this::onShutdownTimeout);
                    }
                    if (pending.isEmpty()) {
                        startShutdown();
                    } else {
                        // The backlog goes first (asyncio's close waits for its write backlog):
                        // drainPending starts the shutdown once the engine took it, or the timer
                        // gives up.
                        closeAfterPending = true;
                        if (engine.isInboundDone()) {
                            endBacklogWait(); // the peer sends nothing more: no point waiting
                        } else {
                            readPeer(); // the engine waits for the peer's handshake message
                        }
                    }
                }
            }
        }

        /** Wraps close_notify and hands it to the socket transport. */
        void sendCloseNotify() {
            engine.closeOutbound();
            try {
                while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                    SSLEngineResult r = wrap(EMPTY);
                    if (r.bytesProduced() == 0) {
                        break;
                    }
                }
            } catch (SSLException e) {
                // cannot send close_notify: close anyway
            }
        }

        @Override
        public void abort() {
            terminate();
            if (transport != null) {
                transport.abort();
            }
        }

        @Override
        public boolean isClosing() {
            return state == State.FLUSHING || state == State.SHUTDOWN || state == State.CLOSED
                    || (transport != null && transport.isClosing());
        }

        @Override
        public void pauseReading() {
            // A close reads the peer's handshake message (FLUSHING) or close_notify (SHUTDOWN),
            // whatever the app wants.
            if (!state.closeWaits()) {
                transport.pauseReading();
            }
        }

        @Override
        public void resumeReading() {
            if (!state.closeWaits()) {
                transport.resumeReading();
            }
        }

        @Override
        public boolean isReading() {
            return transport.isReading();
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            transport.setWriteBufferLimits(high, low);
        }

        @Override
        public WriteBufferLimits getWriteBufferLimits() {
            return transport.getWriteBufferLimits();
        }

        @Override
        public long getWriteBufferSize() {
            return pendingSize + (transport != null ? transport.getWriteBufferSize() : 0);
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            Object v = switch (name) {
                case "sslcontext" -> context;
                case "ssl_object" -> engine;
                case "cipher" -> session != null ? session.getCipherSuite() : null;
                case "peercert" -> {
                    try {
                        yield session != null ? session.getPeerCertificates() : null;
                    } catch (SSLPeerUnverifiedException e) {
                        yield null;
                    }
                }
                default -> transport.getExtraInfo(name, null);
            };
            return v != null ? v : defaultValue;
        }

        @Override
        public Protocol getProtocol() {
            return app;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            app = Checks.notNull(protocol, "protocol");
        }

        @Override
        public String toString() {
            return "SslTransport[" + state + (session != null ? ", " + session.getProtocol() : "") + ", over " + transport + "]";
        }
    }

    @Override
    public String toString() {
        return "SslProtocol[" + appTransport + "]";
    }

}
