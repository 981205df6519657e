package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.IpLiterals;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
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
public final class SslProtocol implements Protocol {
    /*
     * Maintainer notes.
     *
     * States: HANDSHAKE -> WRAPPED -> (close_notify sent and/or received) -> the socket transport
     * closes -> connectionLost. Plaintext written before the handshake ends waits in `pending`
     * (counted in getWriteBufferSize). Everything written after it is wrapped at once and handed
     * to the socket transport, whose buffer and watermarks give write flow control; its
     * pauseWriting/resumeWriting are forwarded to the application. pauseReading/resumeReading go
     * straight to the socket transport: at most one read's worth of ciphertext is unwrapped after
     * a pause. `netIn` holds ciphertext not yet unwrapped, bounded by one TLS record plus one read.
     */
    private static final System.Logger LOG = System.getLogger("dev.aio4j.streams");
    /** asyncio's SSL_HANDSHAKE_TIMEOUT. */
    static final double HANDSHAKE_TIMEOUT = 60.0;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final EventLoop loop;
    private final SSLContext context;
    private final SSLEngine engine;
    private final boolean callConnectionMade;
    private final Future<Void> waiter;
    private final AppTransport appTransport = new AppTransport();
    private Protocol app;
    private Transport transport;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long pendingSize;
    private boolean handshakeDone;
    private boolean appConnected;
    private boolean appClosing;
    private boolean eofDelivered;
    private boolean lost;
    private boolean inProcess;
    private Exception failure;
    private TimerHandle handshakeTimer;
    private int droppedWrites;

    public SslProtocol(EventLoop loop, Protocol app, SSLContext context, boolean serverSide, String serverHostname, int port,
                       Future<Void> waiter, boolean callConnectionMade) {
        this.loop = loop;
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
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    public Transport appTransport() {
        return appTransport;
    }

    // ------------------------------------------------------------- protocol of the socket transport

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        handshakeTimer = loop.callLater(HANDSHAKE_TIMEOUT, () -> {
            if (!handshakeDone && !lost) {
                fail(new SSLHandshakeException("TLS handshake timed out after " + HANDSHAKE_TIMEOUT + " s"));
            }
        });
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
        if (lost || failure != null) {
            return;
        }
        if (netIn.remaining() < data.length) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + data.length + engine.getSession().getPacketBufferSize());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        process();
    }

    @Override
    public boolean eofReceived() {
        if (!handshakeDone) {
            fail(new SSLHandshakeException("the peer closed the connection during the TLS handshake"));
            return false;
        }
        try {
            engine.closeInbound(); // no close_notify came: a truncation, treated as end of stream
        } catch (SSLException ignored) {
            // expected without close_notify
        }
        deliverEof();
        if (!appClosing) {
            appTransport.close();
        }
        return true; // our close() path sends close_notify and closes the socket transport
    }

    @Override
    public void connectionLost(Exception exc) {
        lost = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        Exception e = exc != null ? exc : failure;
        if (!handshakeDone && waiter != null && !waiter.done()) {
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
        if (appConnected) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (appConnected) {
            app.resumeWriting();
        }
    }

    // ------------------------------------------------------------------------------- the engine

    /** Runs the engine until it needs more input. */
    private void process() {
        if (inProcess) {
            return;
        }
        inProcess = true;
        try {
            while (!lost && failure == null) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    continue;
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    SSLEngineResult r = wrap(EMPTY);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
                        break;
                    }
                    continue;
                }
                if (!unwrapOnce()) {
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
        }
    }

    /** One unwrap; false when more input is needed (or the inbound side is closed). */
    private boolean unwrapOnce() throws SSLException {
        if (engine.isInboundDone()) {
            return false;
        }
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        deliverAppData();
        checkFinished(r);
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int need = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < need) {
                    ByteBuffer bigger = ByteBuffer.allocate(need);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                return true;
            }
            case CLOSED -> {
                onCloseNotify();
                return false;
            }
            default -> {
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                        || r.getHandshakeStatus() == HandshakeStatus.NEED_TASK || r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                        || netIn.position() > 0;
            }
        }
    }

    private void deliverAppData() {
        if (appIn.position() == 0) {
            return;
        }
        byte[] data = Arrays.copyOf(appIn.array(), appIn.position());
        appIn.clear();
        if (appConnected && !eofDelivered) {
            app.dataReceived(data);
        }
    }

    /** Wraps {@code src} (all of it) and hands the records to the socket transport. */
    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult r;
        while (true) {
            r = engine.wrap(src, out);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2);
                out.flip();
                bigger.put(out);
                out = bigger;
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.OK && src.hasRemaining() && r.bytesConsumed() > 0) {
                if (out.remaining() < engine.getSession().getPacketBufferSize()) {
                    flushOut(out);
                    out.clear();
                }
                continue;
            }
            break;
        }
        flushOut(out);
        checkFinished(r);
        return r;
    }

    private void flushOut(ByteBuffer out) {
        if (out.position() > 0 && !transport.isClosing()) {
            transport.write(Arrays.copyOf(out.array(), out.position()));
        }
    }

    private void checkFinished(SSLEngineResult r) {
        if (!handshakeDone && (r.getHandshakeStatus() == HandshakeStatus.FINISHED
                || (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && engine.getSession().isValid()
                && !engine.getSession().getCipherSuite().equals("SSL_NULL_WITH_NULL_NULL")))) {
            onHandshakeComplete();
        }
    }

    private void onHandshakeComplete() {
        handshakeDone = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (callConnectionMade) {
            appConnected = true;
            try {
                app.connectionMade(appTransport);
            } catch (RuntimeException e) {
                transportFatal(e, "Fatal error: protocol.connectionMade() call failed.");
                if (waiter != null && !waiter.done()) {
                    waiter.setException(e);
                }
                return;
            }
        } else {
            appConnected = true;
        }
        if (waiter != null && !waiter.done()) {
            waiter.setResult(null);
        }
        while (!pending.isEmpty() && !appClosing) {
            byte[] d = pending.pollFirst();
            pendingSize -= d.length;
            appTransport.writeNow(d);
        }
        pending.clear();
        pendingSize = 0;
    }

    private void onCloseNotify() {
        deliverEof();
        if (!appClosing) {
            appTransport.close(); // answer with our close_notify, then close
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
        if (failure != null || lost) {
            return;
        }
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
        failure = e;
        if (transport != null) {
            transport.abort();
        }
    }

    // ------------------------------------------------------------------- transport of the app

    /** The transport the application protocol sees. */
    final class AppTransport implements Transport {
        @Override
        public void write(byte[] data) {
            Checks.notNull(data, "data");
            if (data.length == 0) {
                return;
            }
            if (appClosing || lost || failure != null) {
                droppedWrites++;
                if (droppedWrites >= SocketTransport.LOG_THRESHOLD_FOR_DROPPED_WRITES) {
                    LOG.log(System.Logger.Level.WARNING, "write() on a closing or closed TLS transport: " + data.length
                            + " bytes dropped (" + droppedWrites + " writes so far): " + this);
                }
                return;
            }
            if (!handshakeDone) {
                pending.add(data.clone());
                pendingSize += data.length;
                return;
            }
            writeNow(data);
        }

        void writeNow(byte[] data) {
            try {
                wrap(ByteBuffer.wrap(data));
            } catch (SSLException e) {
                fail(e);
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
            if (appClosing) {
                return;
            }
            appClosing = true;
            if (transport == null) {
                return;
            }
            if (!lost && failure == null && handshakeDone) {
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
            transport.close();
        }

        @Override
        public void abort() {
            appClosing = true;
            if (transport != null) {
                transport.abort();
            }
        }

        @Override
        public boolean isClosing() {
            return appClosing || transport.isClosing();
        }

        @Override
        public void pauseReading() {
            transport.pauseReading();
        }

        @Override
        public void resumeReading() {
            transport.resumeReading();
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
            return pendingSize + transport.getWriteBufferSize();
        }

        @Override
        public Object getExtraInfo(String name, Object defaultValue) {
            Object v = switch (name) {
                case "sslcontext" -> context;
                case "ssl_object" -> engine;
                case "cipher" -> handshakeDone ? engine.getSession().getCipherSuite() : null;
                case "peercert" -> {
                    try {
                        yield handshakeDone ? engine.getSession().getPeerCertificates() : null;
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
            return "SslTransport[" + (handshakeDone ? engine.getSession().getProtocol() : "handshaking")
                    + (appClosing ? ", closing" : "") + ", over " + transport + "]";
        }
    }

    @Override
    public String toString() {
        return "SslProtocol[" + appTransport + "]";
    }

    /** For tests: whether this side has begun closing. */
    boolean isAppClosing() {
        return appClosing;
    }

}
