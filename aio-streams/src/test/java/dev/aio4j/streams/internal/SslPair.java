package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.test.TestCertificates;

import javax.net.ssl.SSLContext;

/**
 * A client and a server {@link SslProtocol} (certificates from {@link TestCertificates}) for the
 * tests that run them back to back over {@link PipeEnd}s: the client for "localhost", port 443,
 * completing {@link #handshake}; the server with the default timeouts. {@link #of} makes them,
 * {@link #start} wires them to a pipe, {@link #connect} also waits for the handshake. aio4j-only
 * test support.
 */
record SslPair(SslProtocol client, SslProtocol server, Future<Void> handshake) {

    /** A pair with the client's default context and timeouts. */
    static SslPair of(EventLoop loop, Protocol clientApp, Protocol serverApp) throws Exception {
        return of(loop, clientApp, TestCertificates.client(), SslProtocol.SHUTDOWN_TIMEOUT, serverApp);
    }

    /** A pair whose client uses {@code clientContext} and {@code shutdownTimeout} (seconds). */
    static SslPair of(EventLoop loop, Protocol clientApp, SSLContext clientContext, double shutdownTimeout, Protocol serverApp)
            throws Exception {
        Future<Void> handshake = loop.createFuture();
        SslProtocol client = new SslProtocol(loop, clientApp, clientContext, false, "localhost", 443, handshake, true,
                SslProtocol.HANDSHAKE_TIMEOUT, shutdownTimeout);
        SslProtocol server = new SslProtocol(loop, serverApp, TestCertificates.server(), true, null, -1, null, true);
        return new SslPair(client, server, handshake);
    }

    /** {@link #of(EventLoop, Protocol, Protocol)}, then {@link #connect} over {@code pipe}. */
    static SslPair connected(EventLoop loop, Protocol clientApp, Protocol serverApp, PipeEnd[] pipe) throws Exception {
        SslPair p = of(loop, clientApp, serverApp);
        p.connect(pipe);
        return p;
    }

    /**
     * Gives {@code pipe[0]} to the client and {@code pipe[1]} to the server and starts both (the
     * server first): the client sends its ClientHello. Returns {@code pipe}.
     */
    PipeEnd[] start(PipeEnd[] pipe) {
        pipe[0].setProtocol(client);
        pipe[1].setProtocol(server);
        server.connectionMade(pipe[1]);
        client.connectionMade(pipe[0]);
        return pipe;
    }

    /** {@link #start}, then waits (at most 10 s of the virtual clock) for the client's handshake. */
    PipeEnd[] connect(PipeEnd[] pipe) throws Exception {
        start(pipe);
        Aio.waitFor(handshake, 10.0);
        return pipe;
    }

    /** A few ticks, for the handshake's last messages (the session tickets) to settle. */
    static void settle() throws Exception {
        for (int i = 0; i < 10; i++) {
            Aio.sleep(0);
        }
    }
}
