package dev.aio4j.test.net;

import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.TimerHandle;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.ProtocolCalls;
import dev.aio4j.streams.spi.Network;

import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;

/** One end of a simulated TCP connection: the {@link Transport} a protocol sees. */
final class SimEndpoint implements Transport {
    /*
     * Maintainer notes. Bytes written go into `out` (the pipe towards the peer) at once: there is
     * no user-space buffer, so the write buffer size is what is in flight, i.e. written by this
     * end and not yet handed to the peer's protocol (bytes held in the peer's inbox while it does
     * not read count too: that is TCP's receive window). States: started (connectionMade ran),
     * closing (close() or abort() was called, or the connection was reset), lost (connectionLost
     * is scheduled; nothing is delivered to this end afterwards).
     */
    final SimNetwork net;
    final SimHost host;
    final SocketAddress local;
    final SocketAddress remote;
    /** How the trace names this end: host:port, or host:path / host:unix#n for a Unix socket. */
    final String localLabel;
    final String name;
    SimEndpoint peer;
    SimPipe out;
    Protocol protocol;
    Network.Acceptor acceptor;
    /** For a client end: the connect that completes when the SYN-ACK arrives. */
    dev.aio4j.loop.Future<SimEndpoint> connecting;
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private static final Object FIN = new Object();
    /**
     * The most bytes one {@code dataReceived} call gets (a socket read's worth: 256 KiB, as the
     * real SocketTransport and asyncio's selector transport read): a protocol that pauses reading
     * inside it stops the rest, which then counts as in flight for the sender.
     */
    static final int RECEIVE_CHUNK = 256 * 1024;
    boolean started;
    /** Made while its host's accepting was paused: in a listener's backlog, bytes wait in the inbox. */
    boolean awaitingAccept;
    /**
     * Accepted in this loop iteration: bytes that arrive wait in the inbox until the next one, as
     * a real transport reads its new socket only when the selector next reports it, after the
     * callbacks connectionMade scheduled (a stream handler's first step, say).
     */
    private boolean firstReadPending;
    /**
     * For a server end between the SYN and the client's ACK of the SYN-ACK (SYN-RCVD, Linux's SYN
     * queue): the listener that accepts it when the ACK arrives; null once the handshake completed.
     */
    SimListener synReceivedBy;
    /**
     * For a half-open server end: how many times its request's timer sent the SYN-ACK again
     * (Linux's {@code num_timeout}; the request is dropped when the timer finds
     * {@link SimNetwork#SYNACK_RETRIES} of them, or fewer when its SYN queue is crowded,
     * SimTcp.synAckRetries).
     */
    int synAckTimeouts;
    /**
     * For a half-open server end: its request's pending timer (SimTcp.armRequestTimer), null when
     * none. Cancelled when the handshake completes or the end is lost, as Linux deletes a
     * request's timer with the request ({@code reqsk_queue_unlink}), so that no timer outlives it.
     */
    TimerHandle requestTimer;
    /**
     * For a server end whose SYN-ACK was a SYN cookie: the listener that sent it. Nothing of it is
     * kept there (no request, no timer): this end stands for what the cookie encodes, carried by
     * its client's ACK and data, and joins the network's connections only when a valid cookie's
     * ACK finds room in the accept queue (SimTcp.cookieAckArrived). Null otherwise, and once that happened.
     */
    SimListener cookieFrom;
    /** For a cookie end: when its cookie was sent (its counter is this time in whole {@link SimNetwork#SYNCOOKIE_PERIOD}s). */
    double cookieSentAt;
    /** For a cookie end: its host's boot count when the cookie was sent (the secret it was made with, SimHost.boot). */
    int cookieBoot;
    /**
     * For a server end that was half open when its host crashed, its client on another host: the
     * request went with the host's memory and nothing told the client ({@link #requestLostInCrash}).
     * What the client sends next is dropped while the host is down and answered with one RST once
     * it is back (SimTcp.ackArrived); false once answered.
     */
    private boolean lostInCrash;
    /** For a half-open server end: when it last answered a retransmitted SYN (Linux's {@code last_oow_ack_time}). */
    double synAnsweredAt = Double.NEGATIVE_INFINITY;
    /** Its host vanished ({@link SimNetwork#vanish}): bytes for it are dropped without an answer. */
    boolean vanished;
    /**
     * The give-up timer for bytes nobody acknowledges while it is pending (once it fired, or was
     * cancelled because the connection ended first, the end is lost); null when none runs.
     */
    private TimerHandle giveUpTimer;
    private boolean closing;
    private boolean lost;
    /**
     * Its socket no longer exists (a RST sent or received, its host vanished, the give-up
     * timeout), as opposed to closed with a FIN, which Linux keeps in FIN-WAIT: a SYN-ACK that
     * reaches it is answered with a RST, not an ACK.
     */
    private boolean gone;
    private boolean eofWritten;
    private boolean readingPaused;
    private boolean writingPaused;
    /** abort(), a reset, a vanish or a give-up dropped the write buffer: deliveries no longer count. */
    private boolean discarded;
    long inFlight;
    private int high = DEFAULT_HIGH_WATER;
    private int low = DEFAULT_HIGH_WATER / 4;

    SimEndpoint(SimNetwork net, SimHost host, SocketAddress local, SocketAddress remote, String localLabel,
                String remoteLabel) {
        this.net = net;
        this.host = host;
        this.local = local;
        this.remote = remote;
        this.localLabel = localLabel;
        this.name = localLabel + "->" + remoteLabel;
    }

    EventLoop loop() {
        return net.loop();
    }

    /** Calls connectionMade; false (and the connection aborted) if it threw. */
    boolean start() {
        started = true;
        if (!(protocol instanceof dev.aio4j.streams.internal.SslProtocol)) { // TLS: the app's transport is tracked instead, as on real sockets
            OpenResources.opened(loop(), this, this::isClosing);
        }
        try {
            protocol.connectionMade(this);
            return true;
        } catch (RuntimeException e) {
            loop().callExceptionHandler(ExceptionContext.of("Fatal error: protocol.connectionMade() call failed: " + this, e));
            abort();
            return false;
        }
    }

    // ------------------------------------------------------------------------------- writing

    @Override
    public void write(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null, got null");
        }
        if (eofWritten) {
            throw new IllegalStateException("Transport.write() after writeEof() on " + this);
        }
        if (closing || data.length == 0) {
            return; // asyncio drops writes after close()
        }
        if (net.isStopped()) {
            return; // uninstalled: taken, and goes nowhere (no buffer fills that nothing would empty)
        }
        byte[] copy = data.clone();
        out.send(copy);
        inFlight += copy.length;
        maybePauseProtocol();
    }

    /** pauseWriting past the high mark: asyncio's {@code _maybe_pause_protocol}. */
    private void maybePauseProtocol() {
        if (!writingPaused && inFlight > high) {
            writingPaused = true;
            flowCall(true);
        }
    }

    /**
     * pauseWriting or resumeWriting; what it throws goes to the loop's exception handler and the
     * transport carries on, as asyncio's {@code _maybe_pause_protocol}/{@code _maybe_resume_protocol} do.
     */
    private void flowCall(boolean pause) {
        ProtocolCalls.flow(loop(), protocol, pause, this);
    }

    /** {@code n} bytes this end wrote reached the peer's protocol. */
    void delivered(int n) {
        if (discarded) {
            return; // abort() or a reset emptied the buffer already
        }
        inFlight -= n;
        if (writingPaused && inFlight <= low && !lost) {
            writingPaused = false;
            flowCall(false);
        }
    }

    /**
     * Its network was uninstalled (SimTcp.stopped): what is in flight goes nowhere, so the write
     * buffer is dropped, and a writer paused past its high-water mark resumes (its drain() would
     * otherwise wait forever). The connection stays open.
     */
    void networkStopped() {
        if (lost) {
            return;
        }
        discardBuffer();
        if (writingPaused) {
            writingPaused = false;
            host.call(() -> flowCall(false));
        }
    }

    /** The write buffer is dropped (abort, reset, vanish, give-up): its size is 0 from now on, as after asyncio's _force_close. */
    private void discardBuffer() {
        discarded = true;
        inFlight = 0;
    }

    @Override
    public void writeEof() {
        if (closing || eofWritten) {
            return;
        }
        eofWritten = true;
        out.sendFin();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /**
     * Closes as Linux's close() does: a FIN after what was written, unless bytes the peer sent
     * were never read (they wait in the inbox because reading is paused, or the connection still
     * waits in a backlog). Then Linux discards them and sends a RST instead of the FIN (RFC 2525,
     * section 2.17), and the peer's next read or write fails with "Connection reset by peer",
     * asyncio's ConnectionResetError; what had left already still arrives before the RST.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        long unread = 0;
        for (Object o : inbox) {
            unread += o == FIN ? 0 : ((byte[]) o).length;
        }
        inbox.clear();
        if (unread > 0) {
            eofWritten = true;
            gone = true;
            discardBuffer();
            out.sendReset(true, " (closed with " + unread + " unread bytes)");
        } else if (!eofWritten) {
            eofWritten = true;
            out.sendFin();
        }
        lose(null);
    }

    /**
     * asyncio's {@code _force_close}: the write buffer is dropped and the socket closed at once,
     * which on Linux is a plain {@code close()}: a FIN after what is on the wire, or a RST when
     * bytes the peer sent wait unread ({@link #close()}). asyncio sets no {@code SO_LINGER}, so an
     * abort is no reset by itself; {@link #reset()} is one.
     */
    @Override
    public void abort() {
        discardBuffer();
        if (lost) {
            // After close(): what is in flight still arrives (the FIN follows it), but the write
            // buffer is dropped, as asyncio's _force_close clears what close() was still flushing.
            return;
        }
        close();
    }

    /**
     * Ends the connection with a RST, dropping what this end had to send: a socket closed in
     * the middle of its handshake, or one a closing listener never accepted.
     */
    void reset() {
        reset("");
    }

    /**
     * {@link #reset()}, the trace saying {@code why} (" (...)" or ""); false when the link lost
     * the RST (the peer is not told; what it sends next reaches a socket that is gone).
     */
    boolean reset(String why) {
        if (lost) {
            discardBuffer();
            return true;
        }
        gone = true;
        closing = true;
        inbox.clear();
        discardBuffer();
        boolean sent = out.sendReset(false, why);
        lose(null);
        return sent;
    }

    /** The connection was reset (by the peer, a fault or a crash): connectionLost(exc) soon. */
    void resetBy(String why) {
        if (lost) {
            return;
        }
        gone = true;
        closing = true;
        inbox.clear();
        out.clear();
        discardBuffer();
        lose(new SocketException("Connection reset by peer (" + why + ")"));
    }

    /** Its host vanished: it stops, says nothing to its peer, and its own protocol hears of it. */
    void vanish() {
        if (lost) {
            return;
        }
        vanished = true;
        gone = true;
        closing = true;
        inbox.clear();
        out.clear(); // its ACK of the SYN-ACK too, if it was still to cross
        discardBuffer();
        // A half-open peer hears nothing more: its request's timer drops it when its SYN-ACK retries run out.
        lose(new SocketException("Network is unreachable (host " + host.name + " vanished)"));
    }

    /**
     * Bytes this end sent at {@code since} will never be acknowledged (lost for good, or the peer
     * vanished): the connection times out the network's give-up time after {@code since}, unless
     * it ends before.
     */
    void unacknowledged(double since) {
        if (giveUpTimer != null || lost) {
            return;
        }
        double giveUp = net.giveUpAfter();
        giveUpTimer = host.callAt(Math.max(loop().time(), since + giveUp), "give-up timer", name, () -> {
            giveUpTimer = null;
            if (lost) {
                return;
            }
            net.record("timeout", name + " (no acknowledgement for " + giveUp + " s)");
            gone = true;
            closing = true;
            inbox.clear();
            out.clear();
            discardBuffer();
            lose(new SocketException("Connection timed out (" + name + ": nothing acknowledged for " + giveUp + " s)"));
        });
    }

    /**
     * The connect's SYN timer ran out before a SYN-ACK reached this connecting end (it was lost or
     * held): the connect fails with "Connection timed out" now, unless it ended before.
     */
    void timeOutConnect() {
        if (lost || started) {
            return;
        }
        net.record("timeout", name + " connect (no SYN-ACK)");
        closing = true;
        out.clear();
        discardBuffer();
        lose(new java.net.ConnectException("Connection timed out: " + name + " got no SYN-ACK within "
                + net.connectTimeout() + " s"));
    }

    /**
     * A connecting end whose server end is gone (its request was dropped or reset) while the
     * connect goes on: a new SYN makes a new pair, and this one goes without a word (its connect
     * is not failed, and no protocol hears of it).
     */
    void discardUnconnected() {
        connecting = null;
        if (!lost) {
            closing = true;
            out.clear();
            discardBuffer();
            lose(null);
        }
    }

    /**
     * This half-open server end's request is dropped now, as Linux drops a SYN-RCVD request whose
     * SYN-ACK retries ran out (nobody ACKed them: the ACKs were lost, a full accept queue dropped
     * them, or the client is gone), or whose listener no longer listens: without its listener or
     * any protocol hearing of it. {@code why} is added to the trace ("" or "; listener closed").
     */
    void handshakeAbandoned(String why) {
        if (!isHalfOpen()) {
            return;
        }
        net.record("timeout", name + " (handshake never completed" + why + ")");
        leaveSynQueue();
        closing = true;
        inbox.clear();
        out.clear();
        discardBuffer();
        lose(null);
    }

    /**
     * Its host crashed while this server end was half open (SYN-RCVD), its client on another
     * host: the request is gone with the host's memory, and a crashed host sends nothing, so the
     * client is not told, as on Linux. The end leaves its listener's SYN queue and its request's
     * timer stops (no SYN-ACK is sent again); a SYN-ACK already on the wire still arrives. It
     * stands for the socket that no longer exists until the client's next segment reaches it:
     * {@link #awaitsAck} is true, and SimTcp.ackArrived drops that segment while the host is down
     * and answers it with one RST once the host is back.
     */
    void requestLostInCrash() {
        leaveSynQueue();
        stopRequestTimer();
        lostInCrash = true;
    }

    /** Whether it is a server end whose request its host's crash took ({@link #requestLostInCrash}), not yet answered. */
    boolean lostInCrash() {
        return !lost && lostInCrash;
    }

    /** The client's segment that reached it after the crash is answered now (or the end is otherwise done with). */
    void crashAnswered() {
        lostInCrash = false;
    }

    /**
     * Whether the server keeps nothing for this server end, whose client believes it connected or
     * connecting: a SYN cookie ({@link #holdsCookie}) or a request a crash took
     * ({@link #lostInCrash}). Its client is then no connection of the network's.
     */
    boolean keptByNoServer() {
        return holdsCookie() || lostInCrash();
    }

    /**
     * Accepted just now (at once, or from a listener's backlog): what arrived or arrives is handed
     * over from the next loop iteration on.
     */
    void deferFirstRead() {
        firstReadPending = true;
        host.call(() -> {
            firstReadPending = false;
            drainInbox();
        });
    }

    /** A half-open end's request is done with (completed or dropped): it leaves its listener's SYN queue. */
    void leaveSynQueue() {
        if (synReceivedBy != null) {
            synReceivedBy.requests.remove(this);
            synReceivedBy = null;
        }
    }

    /** Cancels its request's timer, if one is pending: the handshake completed, or the end is lost. */
    void stopRequestTimer() {
        if (requestTimer != null) {
            requestTimer.cancel();
            requestTimer = null;
        }
    }

    private void lose(Exception exc) {
        if (lost) {
            return;
        }
        lost = true;
        stopRequestTimer();
        if (synReceivedBy != null) {
            synReceivedBy.requests.remove(this); // a lost request leaves the SYN queue (isHalfOpen is false from now on)
        }
        if (giveUpTimer != null) {
            giveUpTimer.cancel();
            giveUpTimer = null;
        }
        host.call(() -> {
            if (!started && connecting != null && !connecting.done()) {
                connecting.setException(exc != null ? exc : new java.net.ConnectException("Connection aborted: " + name));
            }
            try {
                if (started) {
                    ProtocolCalls.call(loop(), "connectionLost", this, () -> protocol.connectionLost(exc));
                }
            } finally {
                if (acceptor != null) {
                    acceptor.finished(this);
                }
                net.endpointLost(this);
            }
        });
    }

    boolean isLost() {
        return lost;
    }

    /** Whether it is a half-open server end (SYN-RCVD, in its listener's SYN queue) that is not lost. */
    boolean isHalfOpen() {
        return !lost && synReceivedBy != null;
    }

    /** Whether it is a server end that a SYN cookie stands for (no request kept), waiting for its client's ACK, not lost. */
    boolean holdsCookie() {
        return !lost && cookieFrom != null;
    }

    /**
     * Whether its client's ACK (or data or FIN, which carry it) would complete a handshake here
     * (half open, or a cookie), or is the first word of a client whose request a crash took.
     */
    boolean awaitsAck() {
        return isHalfOpen() || holdsCookie() || lostInCrash();
    }

    /** Whether its socket no longer exists (reset, vanished, timed out), rather than closed with a FIN or open. */
    boolean isGone() {
        return gone;
    }

    // ------------------------------------------------------------------------------- reading

    /**
     * Data arrived from the peer (called by the peer's pipe, in this host's context). False when
     * this end is closed and the RST that answers the data was lost: the peer's pipe then
     * retransmits the data, as its sender got no acknowledgement.
     */
    boolean receive(byte[] data) {
        if (lost || closing) {
            // TCP answers data for a closed socket with a reset.
            if (!peer.isLost()) {
                if (!out.sendReset(false, " (data for a closed socket)")) {
                    return false;
                }
                peer.out.clear();
            }
            return true;
        }
        for (int off = 0; off < data.length; off += RECEIVE_CHUNK) {
            inbox.add(off == 0 && data.length <= RECEIVE_CHUNK ? data
                    : java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + RECEIVE_CHUNK)));
        }
        drainInbox();
        return true;
    }

    private void handOver(byte[] data) {
        peer.delivered(data.length);
        try {
            protocol.dataReceived(data);
        } catch (RuntimeException e) {
            fatal(e, "protocol.dataReceived() failed");
        }
    }

    /** The peer's FIN arrived. */
    void receiveFin() {
        if (lost || closing) {
            return;
        }
        inbox.add(FIN);
        drainInbox();
    }

    private void handOverFin() {
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (RuntimeException e) {
            fatal(e, "protocol.eofReceived() failed");
            return;
        }
        if (!keepOpen) {
            close();
        }
    }

    private void fatal(RuntimeException e, String what) {
        loop().callExceptionHandler(ExceptionContext.of("Fatal error: " + what + ": " + this, e));
        abort();
    }

    @Override
    public void pauseReading() {
        if (closing) {
            return;
        }
        readingPaused = true;
    }

    @Override
    public void resumeReading() {
        if (closing || !readingPaused) {
            return;
        }
        readingPaused = false;
        host.call(this::drainInbox);
    }

    private void drainInbox() {
        while (!readingPaused && !awaitingAccept && !firstReadPending && !lost && !closing && !inbox.isEmpty()) {
            Object next = inbox.poll();
            if (next == FIN) {
                handOverFin();
            } else {
                handOver((byte[]) next);
            }
        }
    }

    @Override
    public boolean isReading() {
        return !closing && !readingPaused;
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    // ----------------------------------------------------------------------- buffer and info

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (high < 0 || low < 0 || low > high) {
            throw new IllegalArgumentException("write buffer limits must satisfy 0 <= low <= high, got high=" + high
                    + ", low=" + low);
        }
        this.high = high;
        this.low = low;
        maybePauseProtocol(); // as asyncio's set_write_buffer_limits ends
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(low, high);
    }

    @Override
    public long getWriteBufferSize() {
        return inFlight;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return switch (name) {
            case "peername" -> remote;
            case "sockname" -> local;
            default -> defaultValue;
        };
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        if (protocol == null) {
            throw new IllegalArgumentException("protocol must not be null, got null");
        }
        this.protocol = protocol;
    }

    @Override
    public String toString() {
        return "SimTransport[" + name + ", " + (lost ? "closed" : closing ? "closing" : "open") + ", in flight=" + inFlight + "]";
    }
}
