package dev.aio4j.streams.internal;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDK {@link SSLEngine} behind a wrapper that, once told to {@link #stall()}, answers every
 * wrap of application data with {@code OK}, nothing consumed, nothing produced and
 * {@code NEED_UNWRAP} (and reports NEED_UNWRAP from {@link #getHandshakeStatus()}) until an
 * unwrap takes some of the peer's bytes: an engine that waits for the peer's handshake message
 * before it accepts application data, which the SSLEngine contract allows (some providers during a
 * TLS 1.2 renegotiation) and the JDK's engine does not do on demand. Everything else is delegated.
 * {@link #context} makes an SSLContext whose engines are these. aio4j-only test support.
 */
final class StallingEngine extends SSLEngine {
    private final SSLEngine real;
    private boolean stalled;
    /** Wrap calls answered with a stall so far. */
    int stalls;

    StallingEngine(SSLEngine real) {
        super(real.getPeerHost(), real.getPeerPort());
        this.real = real;
    }

    /** From now until an unwrap takes some of the peer's bytes, no application data is taken. */
    void stall() {
        stalled = true;
    }

    boolean stalled() {
        return stalled;
    }

    /** An SSLContext like {@code real} whose engines are StallingEngines, collected in {@code made}. */
    static SSLContext context(SSLContext real, List<StallingEngine> made) {
        return new SSLContext(new SSLContextSpi() {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
                throw new UnsupportedOperationException("already initialised");
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                return real.getSocketFactory();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                return real.getServerSocketFactory();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                StallingEngine e = new StallingEngine(real.createSSLEngine());
                made.add(e);
                return e;
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                StallingEngine e = new StallingEngine(real.createSSLEngine(host, port));
                made.add(e);
                return e;
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                return real.getServerSessionContext();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                return real.getClientSessionContext();
            }
        }, real.getProvider(), real.getProtocol()) { };
    }

    /** {@link #context(SSLContext, List)} with a list of its own. */
    static SSLContext context(SSLContext real) {
        return context(real, new ArrayList<>());
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (stalled && hasRemaining(srcs, offset, length) && real.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !real.isOutboundDone()) {
            stalls++;
            return new SSLEngineResult(SSLEngineResult.Status.OK, HandshakeStatus.NEED_UNWRAP, 0, 0);
        }
        return real.wrap(srcs, offset, length, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        SSLEngineResult r = real.unwrap(src, dsts, offset, length);
        if (r.bytesConsumed() > 0) {
            stalled = false;
        }
        return r;
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        HandshakeStatus hs = real.getHandshakeStatus();
        return stalled && hs == HandshakeStatus.NOT_HANDSHAKING && !real.isOutboundDone() ? HandshakeStatus.NEED_UNWRAP : hs;
    }

    // ------------------------------------------------------------------------- delegated as they are

    @Override
    public Runnable getDelegatedTask() {
        return real.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        real.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return real.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        real.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return real.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return real.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return real.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        real.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return real.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return real.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        real.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return real.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return real.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        real.beginHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        real.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return real.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        real.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return real.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        real.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return real.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        real.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return real.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return real.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        real.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return real.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return real.getHandshakeApplicationProtocol();
    }
}
