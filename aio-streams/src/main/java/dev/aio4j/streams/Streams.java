package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.internal.Connector;
import dev.aio4j.streams.internal.DatagramEndpoints;
import dev.aio4j.streams.internal.Networks;
import dev.aio4j.streams.internal.PipeReader;
import dev.aio4j.streams.internal.PipeWriter;
import dev.aio4j.streams.internal.ServerCore;
import dev.aio4j.streams.internal.SocketTransport;
import dev.aio4j.streams.internal.StreamReaderProtocol;
import dev.aio4j.streams.internal.TlsParams;
import dev.aio4j.streams.spi.Network;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Connecting and serving: the loop's networking methods and asyncio's stream functions.
 *
 * <p><b>asyncio:</b> {@code loop.create_connection}, {@code loop.create_server},
 * {@code loop.create_unix_connection}, {@code loop.create_unix_server}, {@code loop.start_tls},
 * and the module functions {@code asyncio.open_connection}, {@code asyncio.start_server},
 * {@code asyncio.open_unix_connection}, {@code asyncio.start_unix_server}.
 * <b>Differences:</b> static methods that use the running loop; keyword arguments are an
 * options value ({@link ConnectOptions} for the connecting calls, {@link ServerOptions} for the
 * serving ones, with asyncio's rules about which go together), and the common ones also
 * overloads ({@code ssl}, {@code server_hostname}, {@code limit}); results are records
 * ({@link TransportAndProtocol}, {@link StreamPair}); hosts resolve through
 * {@link EventLoop#getaddrinfo} (off the loop); servers listen with a backlog of 100 and
 * {@code SO_REUSEADDR}; TCP connections get {@code TCP_NODELAY}, as in asyncio.
 *
 * <h2>TLS</h2>
 * Pass an {@link SSLContext}. A client verifies the server's certificate and its name
 * ({@code serverHostname}, by default the {@code host} it connects to) with the JDK's
 * {@code "HTTPS"} endpoint identification, and sends the name as SNI; {@code serverHostname ""}
 * skips the name check (the certificate chain is still checked by the context's trust managers).
 * A server uses the context's key managers.
 *
 * <p>Every method here must be called from a task of a running loop.
 *
 * @since 0.1
 */
public final class Streams {
    private Streams() {}

    /**
     * How long a TLS handshake may take unless told otherwise: 60 s, asyncio's
     * {@code constants.SSL_HANDSHAKE_TIMEOUT} (what {@code ssl_handshake_timeout=None} means). See
     * {@link ConnectOptions#sslHandshakeTimeout(double)}, {@link ServerOptions#sslHandshakeTimeout(double)}.
     *
     * @since 0.2
     */
    public static final double SSL_HANDSHAKE_TIMEOUT = 60.0;

    /**
     * How long closing a TLS connection may take (the written data the TLS engine has not taken,
     * then the wait for the peer's close_notify), unless told otherwise: 30 s, asyncio's {@code constants.SSL_SHUTDOWN_TIMEOUT} (what
     * {@code ssl_shutdown_timeout=None} means). See {@link ConnectOptions#sslShutdownTimeout(double)},
     * {@link ServerOptions#sslShutdownTimeout(double)}.
     *
     * @since 0.2
     */
    public static final double SSL_SHUTDOWN_TIMEOUT = 30.0;

    // ------------------------------------------------------------------ transports and protocols

    /**
     * Connects to {@code host:port} and attaches a protocol from {@code protocolFactory}; returns
     * once the protocol's {@code connectionMade} ran. Each resolved address is tried in turn.
     *
     * <p><b>Cancellation:</b> this method suspends (resolution, connect). If the task is
     * cancelled, the half-made connection is closed and nothing leaks.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws java.net.ConnectException if the connection is refused ("Connect call failed to …";
     *     "Multiple exceptions: …" when every address failed differently)
     * @throws java.net.UnknownHostException if {@code host} does not resolve
     * @throws IOException for other I/O failures
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port)
            throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults());
    }

    /**
     * Connects over TLS, verifying {@code host} against the server's certificate.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}; also during
     * the handshake.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param <P> the protocol type
     * @return the TLS transport and the protocol
     * @throws javax.net.ssl.SSLException if the handshake fails (an untrusted certificate, a
     *     name mismatch)
     * @throws IOException as {@link #createConnection(Supplier, String, int)}
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              SSLContext ssl) throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults().ssl(ssl));
    }

    /**
     * Connects over TLS with an explicit name to verify.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname the name to verify and send as SNI; null for {@code host}; "" to skip
     *     the name check
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException as {@link #createConnection(Supplier, String, int, SSLContext)}
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              SSLContext ssl, String serverHostname)
            throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname));
    }

    /**
     * Connects with Happy Eyeballs (RFC 8305): when {@code host} has several addresses, the next
     * one is tried when the one before failed or {@code happyEyeballsDelay} seconds after it
     * started, whichever comes first; the first connection made wins and the others are closed. A
     * host whose first address silently drops packets (an IPv6 route that leads nowhere) then costs
     * that delay, not a whole connect timeout. TLS runs on the winner only.
     *
     * <p><b>asyncio:</b> {@code loop.create_connection(..., happy_eyeballs_delay=, interleave=)}
     * (asyncio's default is no race, as {@link #createConnection(Supplier, String, int, SSLContext,
     * String)}; RFC 8305 recommends 0.25 s, aiohttp's default).
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}; every
     * attempt's socket is closed.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname see {@link #createConnection(Supplier, String, int, SSLContext, String)}
     * @param happyEyeballsDelay seconds between attempts; {@code Double.POSITIVE_INFINITY} to try
     *     the addresses one after another (asyncio's {@code None})
     * @param interleave 0 keeps the resolver's order, also with a finite delay (asyncio's
     *     {@code interleave=0}); n &gt; 0 puts n addresses of the first family first, then
     *     alternates IPv4 and IPv6. asyncio's {@code None} (1 with a finite delay, else 0) is what
     *     {@link ConnectOptions} gives when its {@code interleave} is not set
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code happyEyeballsDelay < 0} or NaN, or
     *     {@code interleave < 0}
     * @throws IOException as {@link #createConnection(Supplier, String, int, SSLContext)}; when
     *     every address failed, one exception names each
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              SSLContext ssl, String serverHostname,
                                                                              double happyEyeballsDelay, int interleave)
            throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname)
                .happyEyeballsDelay(happyEyeballsDelay).interleave(interleave));
    }

    /**
     * Connects from a given local address: asyncio's {@code loop.create_connection(...,
     * local_addr=)}, with every other argument of
     * {@link #createConnection(Supplier, String, int, SSLContext, String, double, int)}. Each
     * attempt's socket is bound to {@code localAddr} before it connects (an interface of a host
     * with several, or a fixed source port), and only the host's addresses of its family are tried.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname see {@link #createConnection(Supplier, String, int, SSLContext, String)}
     * @param happyEyeballsDelay seconds between attempts; {@code Double.POSITIVE_INFINITY} for none
     * @param interleave see {@link #createConnection(Supplier, String, int, SSLContext, String, double, int)}
     * @param localAddr a resolved local address (port 0: any free one), or null
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code localAddr} is unresolved, or a {@code Network} is
     *     installed on the loop (its connections have no local socket)
     * @throws java.net.BindException "error while attempting to bind on address ..." if it cannot be bound
     * @throws java.net.SocketException if the host has no address of the local address's family
     * @throws IOException as {@link #createConnection(Supplier, String, int, SSLContext)}
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              SSLContext ssl, String serverHostname,
                                                                              double happyEyeballsDelay, int interleave,
                                                                              InetSocketAddress localAddr) throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname)
                .happyEyeballsDelay(happyEyeballsDelay).interleave(interleave).localAddr(localAddr));
    }

    /**
     * {@link #createConnection(Supplier, String, int, SSLContext, String, double, int, InetSocketAddress)}
     * with a {@link Duration}.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname see {@link #createConnection(Supplier, String, int, SSLContext, String)}
     * @param happyEyeballsDelay the time between attempts
     * @param interleave as there
     * @param localAddr a resolved local address (port 0: any free one), or null
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException as there
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              SSLContext ssl, String serverHostname,
                                                                              Duration happyEyeballsDelay, int interleave,
                                                                              InetSocketAddress localAddr) throws IOException {
        return createConnection(protocolFactory, host, port, ssl, serverHostname,
                Checks.seconds(happyEyeballsDelay, "happyEyeballsDelay"), interleave, localAddr);
    }

    /**
     * Connects to {@code host:port} with {@code options}: asyncio's {@code loop.create_connection(
     * protocol_factory, host, port, ssl=, server_hostname=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=, happy_eyeballs_delay=, interleave=, local_addr=)}. Every other
     * {@code createConnection(host, port, ...)} overload is this one with some options set.
     *
     * <pre>{@code
     * Streams.createConnection(MyProtocol::new, "example.com", 443,
     *         ConnectOptions.defaults().ssl(ctx).sslHandshakeTimeout(10).happyEyeballsDelay(0.25));
     * }</pre>
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}; every
     * attempt's socket is closed.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param options TLS, its timeouts, Happy Eyeballs, the local address ({@link ConnectOptions})
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code options} set {@code serverHostname},
     *     {@code sslHandshakeTimeout} or {@code sslShutdownTimeout} without {@code ssl} ("... is
     *     only meaningful with ssl"), or a reader {@code limit} (this call makes no reader); as
     *     {@link #createConnection(Supplier, String, int, SSLContext, String, double, int, InetSocketAddress)}
     * @throws javax.net.ssl.SSLHandshakeException "TLS handshake timed out after ... s" when the
     *     handshake takes longer than {@code sslHandshakeTimeout}
     * @throws IOException as {@link #createConnection(Supplier, String, int, SSLContext, String, double, int, InetSocketAddress)}
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              ConnectOptions options) throws IOException {
        Checks.notNull(options, "options");
        options.noReader("createConnection");
        return connectTcp(protocolFactory, host, port, options);
    }

    /** {@link #createConnection(Supplier, String, int, ConnectOptions)} without the reader check. */
    private static <P extends Protocol> TransportAndProtocol<P> connectTcp(Supplier<P> protocolFactory, String host, int port,
                                                                         ConnectOptions options) throws IOException {
        TlsParams tls = options.tls();
        return Connector.tcp(Aio.getRunningLoop(), protocolFactory, host, port, tls, options.serverHostname(),
                options.happyEyeballsDelay(), options.interleaveOrUnset(), options.localAddr());
    }

    /**
     * {@link #createConnection(Supplier, String, int, SSLContext, String, double, int)} with a
     * {@link Duration}.
     *
     * @param protocolFactory makes the protocol
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname see {@link #createConnection(Supplier, String, int, SSLContext, String)}
     * @param happyEyeballsDelay the time between attempts
     * @param interleave as there
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException as there
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, String host, int port,
                                                                              SSLContext ssl, String serverHostname,
                                                                              Duration happyEyeballsDelay, int interleave)
            throws IOException {
        return createConnection(protocolFactory, host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname)
                .happyEyeballsDelay(happyEyeballsDelay).interleave(interleave));
    }

    /**
     * Makes a transport over a socket that is already connected: asyncio's
     * {@code loop.create_connection(protocol_factory, sock=sock, ssl=, server_hostname=)}. For a
     * socket connected by other code (a proxy's tunnel, a socket with options set before connecting,
     * a descriptor inherited from a parent), TCP or Unix domain. The transport owns the socket from
     * now on and closes it when it closes; if this call fails, the socket is closed too.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}
     * (only the TLS handshake suspends); the socket is closed.
     *
     * @param protocolFactory makes the protocol
     * @param sock an open, connected socket channel; it is made non-blocking
     * @param ssl the TLS configuration, or null for plain bytes
     * @param serverHostname the name TLS verifies and sends as SNI, required with {@code ssl} (there
     *     is no host to take it from), "" to skip the name check; null without {@code ssl}
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code sock} is closed or not connected, or
     *     {@code serverHostname} is missing with {@code ssl} or given without it
     * @throws IOException if the TLS handshake fails
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, SocketChannel sock,
                                                                              SSLContext ssl, String serverHostname)
            throws IOException {
        return createConnection(protocolFactory, sock, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname));
    }

    /**
     * Makes a transport over a socket that is already connected, with {@code options}: asyncio's
     * {@code loop.create_connection(protocol_factory, sock=sock, ssl=, server_hostname=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}; see
     * {@link #createConnection(Supplier, SocketChannel, SSLContext, String)}.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, SocketChannel, SSLContext, String)}.
     *
     * @param protocolFactory makes the protocol
     * @param sock an open, connected socket channel; it is made non-blocking
     * @param options TLS and its timeouts; with {@code ssl}, {@code serverHostname} is required
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException as {@link #createConnection(Supplier, SocketChannel, SSLContext, String)};
     *     if {@code options} set a TLS timeout without {@code ssl}, Happy Eyeballs, {@code interleave}
     *     or {@code localAddr} (there is no address to choose), or a reader {@code limit} (the socket
     *     stays the caller's)
     * @throws IOException if the TLS handshake fails or times out
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createConnection(Supplier<P> protocolFactory, SocketChannel sock,
                                                                              ConnectOptions options) throws IOException {
        Checks.notNull(options, "options");
        options.noReader("createConnection");
        return connectSock(protocolFactory, sock, options);
    }

    /** {@link #createConnection(Supplier, SocketChannel, ConnectOptions)} without the reader check. */
    private static <P extends Protocol> TransportAndProtocol<P> connectSock(Supplier<P> protocolFactory, SocketChannel sock,
                                                                          ConnectOptions options) throws IOException {
        options.noAddressChoice("a socket passed as sock");
        return Connector.adopt(Aio.getRunningLoop(), protocolFactory, sock, options.tls(), options.serverHostname());
    }

    /**
     * The server side of a connection accepted outside the loop: asyncio's
     * {@code loop.connect_accepted_socket(protocol_factory, sock, ssl=)}. For a socket accepted by
     * other code (a listener another library owns, a socket handed over by a parent process), TCP
     * or Unix domain. With {@code ssl} the server-side TLS handshake runs before this returns. The
     * transport owns the socket from now on and closes it when it closes; a failed handshake
     * closes it too.
     *
     * <p><b>Cancellation:</b> only the TLS handshake suspends; if the task is cancelled then, the
     * socket is closed.
     *
     * @param protocolFactory makes the protocol
     * @param sock an open, connected socket channel; it is made non-blocking
     * @param ssl the server's TLS configuration (its key managers hold the certificate), or null
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code sock} is closed or not connected (it stays the
     *     caller's)
     * @throws IOException if the TLS handshake fails
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectAcceptedSocket(Supplier<P> protocolFactory,
                                                                                   SocketChannel sock, SSLContext ssl)
            throws IOException {
        return connectAcceptedSocket(protocolFactory, sock, ServerOptions.defaults().ssl(ssl));
    }

    /**
     * The server side of a connection accepted outside the loop, with TLS timeouts: asyncio's
     * {@code loop.connect_accepted_socket(protocol_factory, sock, ssl=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=)}; see {@link #connectAcceptedSocket(Supplier, SocketChannel, SSLContext)}.
     * Of the {@link ServerOptions}, only {@code ssl} and its timeouts apply to one accepted socket.
     *
     * <p><b>Cancellation:</b> only the TLS handshake suspends; if the task is cancelled then, the
     * socket is closed.
     *
     * @param protocolFactory makes the protocol
     * @param sock an open, connected socket channel; it is made non-blocking
     * @param options {@code ssl} and its timeouts
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code sock} is closed or not connected, or {@code options}
     *     set a TLS timeout without {@code ssl} ("... is only meaningful with ssl"), a
     *     {@code backlog}, {@code reusePort} or a reader {@code limit} (the socket stays the caller's)
     * @throws IOException if the TLS handshake fails or times out
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectAcceptedSocket(Supplier<P> protocolFactory,
                                                                                   SocketChannel sock, ServerOptions options)
            throws IOException {
        Checks.notNull(options, "options");
        options.noBinding("an accepted socket");
        options.noReader("connectAcceptedSocket");
        return Connector.accepted(Aio.getRunningLoop(), protocolFactory, sock, options.tls());
    }

    /**
     * Connects to the Unix domain socket at {@code path}.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}.
     *
     * @param protocolFactory makes the protocol
     * @param path the socket file
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IOException if nothing listens there ({@link java.net.SocketException}) or the connect fails
     */
    public static <P extends Protocol> TransportAndProtocol<P> createUnixConnection(Supplier<P> protocolFactory, Path path)
            throws IOException {
        return createUnixConnection(protocolFactory, path, ConnectOptions.defaults());
    }

    /**
     * Connects to the Unix domain socket at {@code path} with {@code options}: asyncio's
     * {@code loop.create_unix_connection(protocol_factory, path, ssl=, server_hostname=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}. With {@code ssl}, {@code serverHostname} is
     * required, as asyncio ("" skips the name check).
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}.
     *
     * @param protocolFactory makes the protocol
     * @param path the socket file
     * @param options TLS and its timeouts
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if {@code options} set {@code ssl} without
     *     {@code serverHostname}, a TLS option without {@code ssl}, Happy Eyeballs,
     *     {@code interleave}, {@code localAddr}, or a reader {@code limit}
     * @throws IOException as {@link #createUnixConnection(Supplier, Path)}; if the TLS handshake
     *     fails or times out
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> createUnixConnection(Supplier<P> protocolFactory, Path path,
                                                                                  ConnectOptions options) throws IOException {
        Checks.notNull(options, "options");
        options.noReader("createUnixConnection");
        return connectUnix(protocolFactory, path, options);
    }

    /** {@link #createUnixConnection(Supplier, Path, ConnectOptions)} without the reader check. */
    private static <P extends Protocol> TransportAndProtocol<P> connectUnix(Supplier<P> protocolFactory, Path path,
                                                                          ConnectOptions options) throws IOException {
        options.noAddressChoice("a Unix socket");
        return Connector.unix(Aio.getRunningLoop(), protocolFactory, path, options.tls(), options.serverHostname());
    }

    /**
     * Reads a pipe through a protocol: asyncio's {@code loop.connect_read_pipe(protocol_factory,
     * pipe)}. {@code pipe} is any blocking stream ({@code System.in}, a FIFO's
     * {@code FileInputStream}, a {@code Process}'s output); one daemon thread reads it, at most one
     * chunk (64 KiB) ahead of the loop, so {@code transport.pauseReading()} stops the reads. The
     * protocol hears {@code connectionMade}, then {@code dataReceived} on the loop, and at end of
     * stream {@code eofReceived} and {@code connectionLost(null)}; a read error is
     * {@code connectionLost(e)}. The transport owns the stream: {@code close()} closes it (a read in
     * progress returns when the writer writes or closes its end); so does the loop's close if the
     * pipe is still open. If the protocol's {@code connectionMade} throws, the pipe is closed and
     * this call throws that exception.
     *
     * @param protocolFactory makes the protocol
     * @param pipe the stream to read
     * @param <P> the protocol type
     * @return the read-only transport and the protocol
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectReadPipe(Supplier<P> protocolFactory, InputStream pipe) {
        Checks.notNull(protocolFactory, "protocolFactory");
        Checks.notNull(pipe, "pipe");
        EventLoop loop = Aio.getRunningLoop();
        P protocol = Checks.notNull(protocolFactory.get(), "the protocol made by protocolFactory");
        PipeReader transport = new PipeReader(loop, pipe, protocol, "read pipe");
        madeOrClosed(transport, protocol);
        return new TransportAndProtocol<>(transport, protocol);
    }

    /**
     * Writes a pipe through a protocol: asyncio's {@code loop.connect_write_pipe(protocol_factory,
     * pipe)}. {@code pipe} is any blocking stream ({@code System.out}, a FIFO's
     * {@code FileOutputStream}, a {@code Process}'s input); one daemon thread writes what
     * {@code transport.write} queued, and the queue's size drives {@code pauseWriting} and
     * {@code resumeWriting} at the transport's watermarks, as a socket's. {@code close()} (or
     * {@code writeEof()}) closes the stream once the queue is written, then the protocol hears
     * {@code connectionLost(null)}; a write error is {@code connectionLost(e)}. If the loop closes
     * with the pipe open, what is still queued is dropped and the stream closed. If the protocol's
     * {@code connectionMade} throws, the pipe is closed and this call throws that exception.
     *
     * @param protocolFactory makes the protocol
     * @param pipe the stream to write
     * @param <P> the protocol type
     * @return the write-only transport and the protocol
     * @since 0.2
     */
    public static <P extends Protocol> TransportAndProtocol<P> connectWritePipe(Supplier<P> protocolFactory, OutputStream pipe) {
        Checks.notNull(protocolFactory, "protocolFactory");
        Checks.notNull(pipe, "pipe");
        EventLoop loop = Aio.getRunningLoop();
        P protocol = Checks.notNull(protocolFactory.get(), "the protocol made by protocolFactory");
        PipeWriter transport = PipeWriter.standalone(loop, pipe, "write pipe", protocol);
        madeOrClosed(transport, protocol);
        return new TransportAndProtocol<>(transport, protocol);
    }

    /**
     * Calls {@code protocol.connectionMade(transport)}; if it throws, the pipe is aborted (the
     * transport owns it, and nobody else holds the transport) and the failure is the call's, as
     * a socket transport's failed connectionMade fails its createConnection.
     */
    private static void madeOrClosed(Transport transport, Protocol protocol) {
        try {
            protocol.connectionMade(transport);
        } catch (RuntimeException | Error e) {
            transport.abort();
            throw e;
        }
    }

    /**
     * A {@link StreamReader} fed by a pipe: the asyncio idiom {@code reader = StreamReader(limit);
     * await loop.connect_read_pipe(lambda: StreamReaderProtocol(reader), pipe)} in one call, for
     * instance to read {@code System.in} line by line without blocking the loop. Reading stops
     * while the reader holds more than twice its limit. The pipe is read to its end; if the loop
     * closes first, the stream is closed (use {@link #connectReadPipe} to hold the transport and
     * close it earlier).
     *
     * @param pipe the stream to read
     * @param limit the reader's limit
     * @return the reader
     * @since 0.2
     */
    public static StreamReader openReadPipe(InputStream pipe, int limit) {
        EventLoop loop = Aio.getRunningLoop();
        StreamReader reader = new StreamReader(limit);
        connectReadPipe(() -> new StreamReaderProtocol(loop, reader, null), pipe);
        return reader;
    }

    /**
     * A {@link StreamWriter} over a pipe: the asyncio idiom {@code transport, protocol = await
     * loop.connect_write_pipe(FlowControlMixin, pipe); writer = StreamWriter(transport, protocol,
     * None, loop)} in one call, for instance to write {@code System.out} with {@code drain()}
     * back-pressure. {@code writer.close()} closes the stream once everything is written, and
     * {@code waitClosed()} waits for that.
     *
     * @param pipe the stream to write
     * @return the writer
     * @since 0.2
     */
    public static StreamWriter openWritePipe(OutputStream pipe) {
        EventLoop loop = Aio.getRunningLoop();
        StreamReader unused = new StreamReader(); // a write pipe has no reader: it stays empty
        TransportAndProtocol<StreamReaderProtocol> tp = connectWritePipe(() -> new StreamReaderProtocol(loop, unused, null), pipe);
        return new StreamWriter(tp.transport(), tp.protocol(), unused);
    }

    /**
     * Listens on {@code host:port} (every address the host resolves to; all interfaces if
     * {@code host} is null; a free port if {@code port} is 0) and starts serving: each accepted
     * connection gets a protocol from {@code protocolFactory}.
     *
     * <p><b>Cancellation:</b> this method may suspend (resolution); if the task is cancelled,
     * no socket stays open.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @return the server, serving
     * @throws java.net.BindException if the address is in use
     * @throws IOException for other I/O failures
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port) throws IOException {
        return createServer(protocolFactory, host, port, ServerOptions.defaults());
    }

    /**
     * Listens and serves TLS (or plain TCP if {@code ssl} is null).
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param ssl the server's TLS configuration (its key managers hold the certificate), or null
     * @return the server, serving
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port, SSLContext ssl)
            throws IOException {
        return createServer(protocolFactory, host, port, ServerOptions.defaults().ssl(ssl));
    }

    /**
     * Listens with every TCP option: TLS, the listen backlog, and {@code SO_REUSEPORT}.
     *
     * <p>With {@code reusePort}, several servers (typically one per event loop, each on its own
     * thread) bind the same host and port and the kernel spreads incoming connections among them:
     * how one JVM serves on every core. asyncio: {@code create_server(..., backlog=,
     * reuse_port=True)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param ssl the server's TLS configuration, or null for plain TCP
     * @param backlog the listen backlog (asyncio's default is 100)
     * @param reusePort whether to set {@code SO_REUSEPORT}
     * @return the server, serving
     * @throws IllegalArgumentException if {@code reusePort} is asked on a platform without
     *     {@code SO_REUSEPORT}, or {@code backlog} is not positive
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port, SSLContext ssl,
                                      int backlog, boolean reusePort) throws IOException {
        return createServer(protocolFactory, host, port, ServerOptions.defaults().ssl(ssl).backlog(backlog).reusePort(reusePort));
    }

    /**
     * Listens on {@code host:port} with {@code options} and starts serving: asyncio's
     * {@code loop.create_server(protocol_factory, host, port, ssl=, backlog=, reuse_port=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}. Every other
     * {@code createServer(host, port, ...)} overload is this one with some options set.
     *
     * <pre>{@code
     * Streams.createServer(MyProtocol::new, null, 8443,
     *         ServerOptions.defaults().ssl(ctx).sslHandshakeTimeout(5).backlog(1024));
     * }</pre>
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param options TLS, its timeouts, the backlog, {@code SO_REUSEPORT} ({@link ServerOptions})
     * @return the server, serving
     * @throws IllegalArgumentException if {@code options} set a TLS timeout without {@code ssl}
     *     ("... is only meaningful with ssl") or a reader {@code limit} (this call makes no reader),
     *     or {@code reusePort} on a platform without {@code SO_REUSEPORT}
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     * @since 0.2
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port, ServerOptions options)
            throws IOException {
        Checks.notNull(options, "options");
        options.noReader("createServer");
        return serveTcp(protocolFactory, host, port, options);
    }

    /** {@link #createServer(Supplier, String, int, ServerOptions)} without the reader check. */
    private static Server serveTcp(Supplier<? extends Protocol> protocolFactory, String host, int port, ServerOptions options)
            throws IOException {
        Checks.notNull(protocolFactory, "protocolFactory");
        TlsParams tls = options.tls();
        ServerCore core = ServerCore.tcp(Aio.getRunningLoop(), protocolFactory, host, port, tls, options.backlog(),
                options.reusePort());
        core.startServing();
        return new Server(core);
    }

    /**
     * Serves on a socket made elsewhere: asyncio's {@code create_server(sock=...)}.
     * The server owns the socket from now on and closes it when it closes.
     *
     * @param protocolFactory makes one protocol per connection
     * @param sock an open server socket channel (TCP or Unix domain), bound; or an unbound TCP one,
     *     which is bound to the wildcard address and an ephemeral port (asyncio's {@code sock.listen()})
     * @param ssl the server's TLS configuration, or null
     * @return the server, serving
     * @throws IllegalArgumentException if the socket is closed, or an unbound Unix domain socket
     * @throws IOException if the socket cannot be made non-blocking
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, ServerSocketChannel sock, SSLContext ssl)
            throws IOException {
        return createServer(protocolFactory, sock, ServerOptions.defaults().ssl(ssl));
    }

    /**
     * Serves on a listening socket bound elsewhere, with {@code options}: asyncio's
     * {@code loop.create_server(protocol_factory, sock=sock, ssl=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=)}. The server owns the socket from now on and closes it when it closes.
     *
     * @param protocolFactory makes one protocol per connection
     * @param sock an open server socket channel (TCP or Unix domain), bound; or an unbound TCP one,
     *     which is bound to the wildcard address and an ephemeral port (asyncio's {@code sock.listen()})
     * @param options {@code ssl} and its timeouts
     * @return the server, serving
     * @throws IllegalArgumentException if the socket is closed, or an unbound Unix domain socket
     *     (Linux cannot listen on one: asyncio's {@code sock.listen()} fails too); if {@code options}
     *     set a TLS timeout without {@code ssl}, a {@code backlog} other than the default for a bound
     *     socket, {@code reusePort} (asyncio re-listens with {@code backlog}, but a bound
     *     {@code ServerSocketChannel} listens already and the JDK cannot change its backlog: an
     *     unbound one is bound with it; {@code SO_REUSEPORT} counts only before the bind, and
     *     asyncio ignores it here; so set both on {@code sock} yourself), or a reader {@code limit}
     * @throws IOException if the socket cannot be made non-blocking
     * @since 0.2
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, ServerSocketChannel sock, ServerOptions options)
            throws IOException {
        Checks.notNull(options, "options");
        options.noReader("createServer");
        return serveSock(protocolFactory, sock, options);
    }

    /** {@link #createServer(Supplier, ServerSocketChannel, ServerOptions)} without the reader check. */
    private static Server serveSock(Supplier<? extends Protocol> protocolFactory, ServerSocketChannel sock, ServerOptions options)
            throws IOException {
        Checks.notNull(protocolFactory, "protocolFactory");
        Checks.notNull(sock, "sock");
        options.notForBoundSock(sock.isOpen() && sock.getLocalAddress() != null);
        ServerCore core = ServerCore.adopt(Aio.getRunningLoop(), protocolFactory, sock, options.tls(), options.backlog());
        core.startServing();
        return new Server(core);
    }

    /**
     * Listens on a Unix domain socket at {@code path} and starts serving. A stale socket file
     * left there is removed first; the file is removed again when the server closes.
     *
     * @param protocolFactory makes one protocol per connection
     * @param path the socket file
     * @return the server, serving
     * @throws java.net.BindException if {@code path} exists and is not a socket, or cannot be created
     * @throws IOException for other I/O failures
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory, Path path) throws IOException {
        return createUnixServer(protocolFactory, path, ServerOptions.defaults());
    }

    /**
     * Listens on a Unix domain socket at {@code path} with {@code options}: asyncio's
     * {@code loop.create_unix_server(protocol_factory, path, ssl=, backlog=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}; see {@link #createUnixServer(Supplier, Path)}.
     *
     * @param protocolFactory makes one protocol per connection
     * @param path the socket file
     * @param options TLS, its timeouts, the backlog
     * @return the server, serving
     * @throws IllegalArgumentException if {@code options} set a TLS timeout without {@code ssl},
     *     {@code reusePort} (TCP only), or a reader {@code limit}
     * @throws IOException as {@link #createUnixServer(Supplier, Path)}
     * @since 0.2
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory, Path path, ServerOptions options)
            throws IOException {
        Checks.notNull(options, "options");
        options.noReader("createUnixServer");
        return serveUnix(protocolFactory, path, options);
    }

    /** {@link #createUnixServer(Supplier, Path, ServerOptions)} without the reader check. */
    private static Server serveUnix(Supplier<? extends Protocol> protocolFactory, Path path, ServerOptions options)
            throws IOException {
        Checks.notNull(protocolFactory, "protocolFactory");
        options.noReusePort("a Unix socket");
        ServerCore core = ServerCore.unix(Aio.getRunningLoop(), protocolFactory, path, options.tls(), options.backlog());
        core.startServing();
        return new Server(core);
    }

    /**
     * Sends part of a file on a transport with the kernel's zero-copy path
     * ({@link FileChannel#transferTo}): asyncio's {@code loop.sendfile(transport, file, offset,
     * count, fallback=False)}. It waits until everything written before is on the wire, then
     * moves the bytes, suspending whenever the socket is full; {@link Transport#write} is refused
     * meanwhile. The file is read at explicit positions; when this returns or throws, its position
     * is after the last byte sent ({@code offset} plus what was sent), or unchanged if nothing was,
     * as asyncio leaves it.
     *
     * <p>Only plain TCP and Unix-socket transports can do this; for the others (TLS) it throws
     * {@link SendfileNotAvailableError} before sending anything, and the caller reads and writes
     * instead (as {@link StreamWriter#sendfile(FileChannel, long, long)} does).
     *
     * <p><b>Cancellation:</b> this method suspends. If the task is cancelled, sending stops at an
     * unknown point: close the connection.
     *
     * @param transport a transport made by this class
     * @param file an open, readable file
     * @param offset where to start in the file
     * @param count how many bytes at most
     * @return the bytes sent: {@code count}, or fewer if the file ends first
     * @throws SendfileNotAvailableError if the transport cannot send files natively
     * @throws IOException if the connection broke or the file could not be read
     */
    public static long sendfile(Transport transport, FileChannel file, long offset, long count) throws IOException {
        Checks.notNull(transport, "transport");
        Checks.notNull(file, "file");
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must be >= 0, got offset=" + offset + ", count=" + count);
        }
        if (transport instanceof SocketTransport tcp) {
            return tcp.sendfile(file, offset, count);
        }
        throw new SendfileNotAvailableError("sendfile is not available on " + transport
                + ": only plain TCP and Unix sockets send files with zero copy; read the file and write it instead");
    }

    /**
     * Upgrades an open connection to TLS and returns the new transport; the protocol is called
     * through it from now on (its {@code connectionMade} is not called again).
     *
     * <p><b>Cancellation:</b> this method suspends during the handshake. If the task is
     * cancelled, the connection is aborted.
     *
     * @param transport a plain transport made by this class
     * @param protocol its protocol
     * @param sslContext the TLS configuration
     * @param serverSide true to act as the TLS server
     * @param serverHostname for a client: the name to verify and send; "" to skip the check
     * @return the TLS transport
     * @throws javax.net.ssl.SSLException if the handshake fails
     * @throws IOException if the connection breaks
     */
    public static Transport startTls(Transport transport, Protocol protocol, SSLContext sslContext, boolean serverSide,
                                     String serverHostname) throws IOException {
        return startTls(transport, protocol, sslContext, serverSide, serverHostname, SSL_HANDSHAKE_TIMEOUT, SSL_SHUTDOWN_TIMEOUT);
    }

    /**
     * Upgrades an open connection to TLS with explicit timeouts: asyncio's
     * {@code loop.start_tls(transport, protocol, sslcontext, server_side=, server_hostname=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}; see
     * {@link #startTls(Transport, Protocol, SSLContext, boolean, String)}. Pass
     * {@link #SSL_HANDSHAKE_TIMEOUT} or {@link #SSL_SHUTDOWN_TIMEOUT} for asyncio's {@code None}.
     *
     * <p><b>Cancellation:</b> this method suspends during the handshake. If the task is
     * cancelled, the connection is aborted.
     *
     * @param transport a plain transport made by this class
     * @param protocol its protocol
     * @param sslContext the TLS configuration
     * @param serverSide true to act as the TLS server
     * @param serverHostname for a client: the name to verify and send; "" to skip the check
     * @param sslHandshakeTimeout seconds the handshake may take, &gt; 0 or infinite (no limit); past it the
     *     connection is aborted and this throws {@link javax.net.ssl.SSLHandshakeException}
     * @param sslShutdownTimeout seconds closing the TLS transport may wait for written data the
     *     engine has not taken, &gt; 0 or infinite (no limit); past it the connection is aborted
     * @return the TLS transport
     * @throws IllegalArgumentException if a timeout is zero, negative or NaN (nothing is changed)
     * @throws javax.net.ssl.SSLException if the handshake fails or times out
     * @throws IOException if the connection breaks
     * @since 0.2
     */
    public static Transport startTls(Transport transport, Protocol protocol, SSLContext sslContext, boolean serverSide,
                                     String serverHostname, double sslHandshakeTimeout, double sslShutdownTimeout)
            throws IOException {
        Checks.notNull(transport, "transport");
        Checks.notNull(protocol, "protocol");
        Checks.notNull(sslContext, "sslContext");
        return Connector.startTls(transport, protocol, new TlsParams(sslContext, sslHandshakeTimeout, sslShutdownTimeout),
                serverSide, serverHostname);
    }

    /**
     * {@link #startTls(Transport, Protocol, SSLContext, boolean, String, double, double)} with
     * {@link Duration}s.
     *
     * <p><b>Cancellation:</b> as there.
     *
     * @param transport a plain transport made by this class
     * @param protocol its protocol
     * @param sslContext the TLS configuration
     * @param serverSide true to act as the TLS server
     * @param serverHostname for a client: the name to verify and send; "" to skip the check
     * @param sslHandshakeTimeout how long the handshake may take, &gt; 0
     * @param sslShutdownTimeout how long closing the TLS transport may wait for written data the
     *     engine has not taken, &gt; 0
     * @return the TLS transport
     * @throws IllegalArgumentException as there
     * @throws javax.net.ssl.SSLException as there
     * @throws IOException as there
     * @since 0.2
     */
    public static Transport startTls(Transport transport, Protocol protocol, SSLContext sslContext, boolean serverSide,
                                     String serverHostname, Duration sslHandshakeTimeout, Duration sslShutdownTimeout)
            throws IOException {
        return startTls(transport, protocol, sslContext, serverSide, serverHostname,
                Checks.seconds(sslHandshakeTimeout, "sslHandshakeTimeout"),
                Checks.seconds(sslShutdownTimeout, "sslShutdownTimeout"));
    }

    // ------------------------------------------------------------------------------- the network

    /**
     * Makes every TCP connect, TCP listen, Unix socket connect and listen, UDP endpoint and name
     * resolution that this class does for {@code loop} go through {@code network} instead of real
     * sockets, so that unmodified code calling {@link #openConnection}, {@link #startServer},
     * {@link #createConnection}, {@link #createServer}, {@link #openUnixConnection},
     * {@link #startUnixServer} (and what is built on them, such as aio-http's client and web
     * server) or {@link #createDatagramEndpoint} runs on a simulated network. {@code null} puts
     * real sockets back. Connections, servers and endpoints made before the call keep the network
     * they were made on.
     *
     * <p><b>asyncio:</b> none (aio4j-only); tokio turmoil's idea of swapping the network under
     * unchanged code. See {@link Network} for what goes through the seam and what does not, and
     * aio-test's {@code dev.aio4j.test.net.SimNetwork} for a network to install.
     *
     * <p><b>Threading:</b> may be called from any thread; install before the loop's tasks
     * connect.
     *
     * @param loop the loop whose connections and servers use {@code network}
     * @param network the network, or null for real NIO sockets (the default)
     * @return the network installed before, or null if the loop used real sockets
     * @since 0.2
     */
    public static Network useNetwork(EventLoop loop, Network network) {
        Checks.notNull(loop, "loop");
        return Networks.use(loop, network);
    }

    /**
     * The network installed on {@code loop} with {@link #useNetwork}, or null when it uses real
     * sockets. aio4j-only.
     *
     * @param loop the loop
     * @return its network, or null
     * @since 0.2
     */
    public static Network network(EventLoop loop) {
        Checks.notNull(loop, "loop");
        return Networks.of(loop);
    }

    // -------------------------------------------------------------------------------- streams

    /**
     * Connects to {@code host:port} and returns a reader and a writer.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @return the reader and the writer
     * @throws IOException as {@link #createConnection(Supplier, String, int)}
     */
    public static StreamPair openConnection(String host, int port) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults());
    }

    /**
     * Connects, with a reader limit.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param limit the reader's limit ({@link StreamReader})
     * @return the reader and the writer
     * @throws IOException as {@link #createConnection(Supplier, String, int)}
     */
    public static StreamPair openConnection(String host, int port, int limit) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().limit(limit));
    }

    /**
     * Connects over TLS, verifying {@code host}.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration
     * @return the reader and the writer
     * @throws IOException as {@link #createConnection(Supplier, String, int, SSLContext)}
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().ssl(ssl));
    }

    /**
     * Connects, with every option.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname see {@link #createConnection(Supplier, String, int, SSLContext, String)}
     * @param limit the reader's limit
     * @return the reader and the writer
     * @throws IOException as {@link #createConnection(Supplier, String, int, SSLContext)}
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl, String serverHostname, int limit)
            throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname).limit(limit));
    }

    /**
     * Connects with Happy Eyeballs, returning a reader and a writer.
     *
     * <p><b>asyncio:</b> {@code asyncio.open_connection(..., happy_eyeballs_delay=, interleave=)}.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname see {@link #createConnection(Supplier, String, int, SSLContext, String)}
     * @param limit the reader's limit
     * @param happyEyeballsDelay see {@link #createConnection(Supplier, String, int, SSLContext, String, double, int)}
     * @param interleave see there
     * @return the reader and the writer
     * @throws IOException as there
     * @since 0.2
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl, String serverHostname, int limit,
                                            double happyEyeballsDelay, int interleave) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname).limit(limit)
                .happyEyeballsDelay(happyEyeballsDelay).interleave(interleave));
    }

    /**
     * {@link #openConnection(String, int, SSLContext, String, int, double, int)} from a local
     * address: asyncio's {@code open_connection(..., local_addr=)}; see
     * {@link #createConnection(Supplier, String, int, SSLContext, String, double, int, InetSocketAddress)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname as there
     * @param limit the reader's limit
     * @param happyEyeballsDelay as there
     * @param interleave as there
     * @param localAddr a resolved local address, or null
     * @return the reader and the writer
     * @throws IOException as there
     * @since 0.2
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl, String serverHostname, int limit,
                                            double happyEyeballsDelay, int interleave, InetSocketAddress localAddr)
            throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname).limit(limit)
                .happyEyeballsDelay(happyEyeballsDelay).interleave(interleave).localAddr(localAddr));
    }

    /**
     * {@link #openConnection(String, int, SSLContext, String, int, double, int, InetSocketAddress)}
     * with a {@link Duration}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname as there
     * @param limit the reader's limit
     * @param happyEyeballsDelay the time between attempts
     * @param interleave as there
     * @param localAddr a resolved local address, or null
     * @return the reader and the writer
     * @throws IOException as there
     * @since 0.2
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl, String serverHostname, int limit,
                                            Duration happyEyeballsDelay, int interleave, InetSocketAddress localAddr)
            throws IOException {
        return openConnection(host, port, ssl, serverHostname, limit, Checks.seconds(happyEyeballsDelay, "happyEyeballsDelay"),
                interleave, localAddr);
    }

    /**
     * Connects to {@code host:port} with {@code options}, returning a reader and a writer:
     * asyncio's {@code asyncio.open_connection(host, port, limit=, ssl=, server_hostname=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=, happy_eyeballs_delay=, interleave=,
     * local_addr=)}. Every other {@code openConnection(host, port, ...)} overload is this one with
     * some options set.
     *
     * <pre>{@code
     * StreamPair rw = Streams.openConnection("example.com", 443,
     *         ConnectOptions.defaults().ssl(ctx).sslHandshakeTimeout(Duration.ofSeconds(10)));
     * }</pre>
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int, SSLContext)}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param options TLS, its timeouts, Happy Eyeballs, the local address, the reader's limit
     * @return the reader and the writer
     * @throws IllegalArgumentException as {@link #createConnection(Supplier, String, int, ConnectOptions)}
     *     (a {@code limit} is fine here)
     * @throws IOException as {@link #createConnection(Supplier, String, int, ConnectOptions)}
     * @since 0.2
     */
    public static StreamPair openConnection(String host, int port, ConnectOptions options) throws IOException {
        Checks.notNull(options, "options");
        return streamPair(options.limit(), protocol -> connectTcp(protocol, host, port, options));
    }

    /**
     * {@link #openConnection(String, int, SSLContext, String, int, double, int)} with a {@link Duration}.
     *
     * @param host a host name or IP literal
     * @param port the port
     * @param ssl the TLS configuration, or null for plain TCP
     * @param serverHostname as there
     * @param limit the reader's limit
     * @param happyEyeballsDelay the time between attempts
     * @param interleave as there
     * @return the reader and the writer
     * @throws IOException as there
     * @since 0.2
     */
    public static StreamPair openConnection(String host, int port, SSLContext ssl, String serverHostname, int limit,
                                            Duration happyEyeballsDelay, int interleave) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname).limit(limit)
                .happyEyeballsDelay(happyEyeballsDelay).interleave(interleave));
    }

    /**
     * A reader and a writer over a socket that is already connected: asyncio's
     * {@code asyncio.open_connection(sock=sock, ssl=, server_hostname=, limit=)}. The writer owns
     * the socket and closes it when it closes.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, SocketChannel, SSLContext, String)}.
     *
     * @param sock an open, connected socket channel
     * @param ssl the TLS configuration, or null
     * @param serverHostname as {@link #createConnection(Supplier, SocketChannel, SSLContext, String)}
     * @param limit the reader's limit
     * @return the reader and the writer
     * @throws IOException as there
     * @since 0.2
     */
    public static StreamPair openConnection(SocketChannel sock, SSLContext ssl, String serverHostname, int limit)
            throws IOException {
        return openConnection(sock, ConnectOptions.defaults().ssl(ssl).serverHostname(serverHostname).limit(limit));
    }

    /**
     * A reader and a writer over a socket that is already connected, with {@code options}:
     * asyncio's {@code asyncio.open_connection(sock=sock, ssl=, server_hostname=, limit=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}; see
     * {@link #openConnection(SocketChannel, SSLContext, String, int)}.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, SocketChannel, SSLContext, String)}.
     *
     * @param sock an open, connected socket channel
     * @param options TLS, its timeouts, the reader's limit
     * @return the reader and the writer
     * @throws IllegalArgumentException as {@link #createConnection(Supplier, SocketChannel, ConnectOptions)}
     *     (a {@code limit} is fine here)
     * @throws IOException as there
     * @since 0.2
     */
    public static StreamPair openConnection(SocketChannel sock, ConnectOptions options) throws IOException {
        Checks.notNull(options, "options");
        return streamPair(options.limit(), protocol -> connectSock(protocol, sock, options));
    }

    /**
     * Connects to the Unix domain socket at {@code path}, returning a reader and a writer.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}.
     *
     * @param path the socket file
     * @return the reader and the writer
     * @throws IOException as {@link #createUnixConnection}
     */
    public static StreamPair openUnixConnection(Path path) throws IOException {
        return openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects to a Unix domain socket, with a reader limit.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}.
     *
     * @param path the socket file
     * @param limit the reader's limit
     * @return the reader and the writer
     * @throws IOException as {@link #createUnixConnection}
     */
    public static StreamPair openUnixConnection(Path path, int limit) throws IOException {
        return openUnixConnection(path, ConnectOptions.defaults().limit(limit));
    }

    /**
     * Connects to a Unix domain socket with {@code options}, returning a reader and a writer:
     * asyncio's {@code asyncio.open_unix_connection(path, limit=, ssl=, server_hostname=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}. With {@code ssl}, {@code serverHostname} is
     * required, as asyncio.
     *
     * <p><b>Cancellation:</b> as {@link #createConnection(Supplier, String, int)}.
     *
     * @param path the socket file
     * @param options TLS, its timeouts, the reader's limit
     * @return the reader and the writer
     * @throws IllegalArgumentException as {@link #createUnixConnection(Supplier, Path, ConnectOptions)}
     *     (a {@code limit} is fine here)
     * @throws IOException as {@link #createUnixConnection(Supplier, Path, ConnectOptions)}
     * @since 0.2
     */
    public static StreamPair openUnixConnection(Path path, ConnectOptions options) throws IOException {
        Checks.notNull(options, "options");
        return streamPair(options.limit(), protocol -> connectUnix(protocol, path, options));
    }

    /**
     * Listens on {@code host:port} and runs {@code handler} as a new task for each connection.
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param handler what to run per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @return the server, serving
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server startServer(ClientConnectedCallback handler, String host, int port) throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults());
    }

    /**
     * Serves streams, with a reader limit.
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param handler what to run per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param limit each reader's limit
     * @return the server, serving
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server startServer(ClientConnectedCallback handler, String host, int port, int limit) throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults().limit(limit));
    }

    /**
     * Serves streams over TLS.
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param handler what to run per connection (after the handshake)
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param ssl the server's TLS configuration, or null for plain TCP
     * @return the server, serving
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server startServer(ClientConnectedCallback handler, String host, int port, SSLContext ssl) throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults().ssl(ssl));
    }

    /**
     * Serves streams, with every option.
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param handler what to run per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param ssl the server's TLS configuration, or null for plain TCP
     * @param limit each reader's limit
     * @return the server, serving
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server startServer(ClientConnectedCallback handler, String host, int port, SSLContext ssl, int limit)
            throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults().ssl(ssl).limit(limit));
    }

    /**
     * Serves streams on a listening socket bound elsewhere: asyncio's
     * {@code asyncio.start_server(client_connected_cb, sock=sock, ssl=, limit=)}. The server owns
     * the socket from now on and closes it when it closes.
     *
     * @param handler what to run per connection
     * @param sock an open server socket channel (TCP or Unix domain), bound; or an unbound TCP one,
     *     which is bound to the wildcard address and an ephemeral port (asyncio's {@code sock.listen()})
     * @param ssl the server's TLS configuration, or null for plain bytes
     * @param limit each reader's limit
     * @return the server, serving
     * @throws IllegalArgumentException if the socket is closed, or an unbound Unix domain socket
     * @throws IOException as {@link #createServer(Supplier, ServerSocketChannel, SSLContext)}
     * @since 0.2
     */
    public static Server startServer(ClientConnectedCallback handler, ServerSocketChannel sock, SSLContext ssl, int limit)
            throws IOException {
        return startServer(handler, sock, ServerOptions.defaults().ssl(ssl).limit(limit));
    }

    /**
     * Serves streams on a listening socket bound elsewhere, with {@code options}: asyncio's
     * {@code asyncio.start_server(client_connected_cb, sock=sock, ssl=, limit=,
     * ssl_handshake_timeout=, ssl_shutdown_timeout=)}. The server owns the socket from now on and
     * closes it when it closes.
     *
     * @param handler what to run per connection
     * @param sock an open server socket channel (TCP or Unix domain), bound; or an unbound TCP one,
     *     which is bound to the wildcard address and an ephemeral port (asyncio's {@code sock.listen()})
     * @param options {@code ssl}, its timeouts, each reader's limit
     * @return the server, serving
     * @throws IllegalArgumentException as {@link #createServer(Supplier, ServerSocketChannel, ServerOptions)}
     *     (a {@code limit} is fine here)
     * @throws IOException as there
     * @since 0.2
     */
    public static Server startServer(ClientConnectedCallback handler, ServerSocketChannel sock, ServerOptions options)
            throws IOException {
        Checks.notNull(handler, "handler");
        Checks.notNull(options, "options");
        EventLoop loop = Aio.getRunningLoop();
        return serveSock(() -> streamProtocol(loop, handler, options.limit()), sock, options);
    }

    /**
     * Serves streams on a port shared with other servers: {@code SO_REUSEPORT}, so that one
     * server per event loop can bind the same address (see
     * {@link #createServer(Supplier, String, int, SSLContext, int, boolean)}).
     *
     * @param handler what to run per connection
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param ssl the server's TLS configuration, or null for plain TCP
     * @param limit each reader's limit
     * @param reusePort whether to set {@code SO_REUSEPORT}
     * @return the server, serving
     * @throws IllegalArgumentException if {@code reusePort} is asked on a platform without it
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     */
    public static Server startServer(ClientConnectedCallback handler, String host, int port, SSLContext ssl, int limit,
                                     boolean reusePort) throws IOException {
        return startServer(handler, host, port, ServerOptions.defaults().ssl(ssl).limit(limit).reusePort(reusePort));
    }

    /**
     * Listens on {@code host:port} with {@code options} and runs {@code handler} as a new task for
     * each connection: asyncio's {@code asyncio.start_server(client_connected_cb, host, port,
     * limit=, ssl=, backlog=, reuse_port=, ssl_handshake_timeout=, ssl_shutdown_timeout=)}. Every
     * other {@code startServer(handler, host, port, ...)} overload is this one with some options set.
     *
     * <pre>{@code
     * Streams.startServer(handler, "0.0.0.0", 8443, ServerOptions.defaults().ssl(ctx).sslHandshakeTimeout(5));
     * }</pre>
     *
     * <p><b>Cancellation:</b> as {@link #createServer(Supplier, String, int)}.
     *
     * @param handler what to run per connection (after the handshake, with TLS)
     * @param host the host to bind, or null for all interfaces
     * @param port the port, 0 for any free one
     * @param options TLS, its timeouts, the backlog, {@code SO_REUSEPORT}, each reader's limit
     * @return the server, serving
     * @throws IllegalArgumentException as {@link #createServer(Supplier, String, int, ServerOptions)}
     *     (a {@code limit} is fine here)
     * @throws IOException as {@link #createServer(Supplier, String, int)}
     * @since 0.2
     */
    public static Server startServer(ClientConnectedCallback handler, String host, int port, ServerOptions options)
            throws IOException {
        Checks.notNull(handler, "handler");
        Checks.notNull(options, "options");
        EventLoop loop = Aio.getRunningLoop();
        return serveTcp(() -> streamProtocol(loop, handler, options.limit()), host, port, options);
    }

    /**
     * Listens on a Unix domain socket and runs {@code handler} per connection.
     *
     * @param handler what to run per connection
     * @param path the socket file
     * @return the server, serving
     * @throws IOException as {@link #createUnixServer}
     */
    public static Server startUnixServer(ClientConnectedCallback handler, Path path) throws IOException {
        return startUnixServer(handler, path, ServerOptions.defaults());
    }

    /**
     * Listens on a Unix domain socket, with a reader limit.
     *
     * @param handler what to run per connection
     * @param path the socket file
     * @param limit each reader's limit
     * @return the server, serving
     * @throws IOException as {@link #createUnixServer}
     */
    public static Server startUnixServer(ClientConnectedCallback handler, Path path, int limit) throws IOException {
        return startUnixServer(handler, path, ServerOptions.defaults().limit(limit));
    }

    /**
     * Listens on a Unix domain socket with {@code options} and runs {@code handler} per
     * connection: asyncio's {@code asyncio.start_unix_server(client_connected_cb, path, limit=,
     * ssl=, backlog=, ssl_handshake_timeout=, ssl_shutdown_timeout=)}.
     *
     * @param handler what to run per connection
     * @param path the socket file
     * @param options TLS, its timeouts, the backlog, each reader's limit
     * @return the server, serving
     * @throws IllegalArgumentException as {@link #createUnixServer(Supplier, Path, ServerOptions)}
     *     (a {@code limit} is fine here)
     * @throws IOException as {@link #createUnixServer(Supplier, Path)}
     * @since 0.2
     */
    public static Server startUnixServer(ClientConnectedCallback handler, Path path, ServerOptions options) throws IOException {
        Checks.notNull(handler, "handler");
        Checks.notNull(options, "options");
        EventLoop loop = Aio.getRunningLoop();
        return serveUnix(() -> streamProtocol(loop, handler, options.limit()), path, options);
    }

    /** How one of the open*Connection calls connects, given the protocol factory to use. */
    @FunctionalInterface
    private interface Connect {
        TransportAndProtocol<StreamReaderProtocol> connect(Supplier<StreamReaderProtocol> protocolFactory) throws IOException;
    }

    /** The reader (with {@code limit}) and writer of a client connection made by {@code connect}. */
    private static StreamPair streamPair(int limit, Connect connect) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        StreamReader reader = new StreamReader(limit);
        TransportAndProtocol<StreamReaderProtocol> tp = connect.connect(() -> new StreamReaderProtocol(loop, reader, null));
        return new StreamPair(reader, new StreamWriter(tp.transport(), tp.protocol(), reader));
    }

    private static StreamReaderProtocol streamProtocol(EventLoop loop, ClientConnectedCallback handler, int limit) {
        StreamReader reader = new StreamReader(limit);
        BiConsumer<Transport, StreamReaderProtocol> onConnected = (transport, protocol) -> {
            StreamWriter writer = new StreamWriter(transport, protocol, reader);
            Task<Void> task = loop.createTask(() -> {
                handler.handle(reader, writer);
                return null;
            }, "client_connected_cb " + transport.getExtraInfo("peername"));
            task.addDoneCallback(t -> {
                if (t.cancelled()) {
                    transport.close();
                    return;
                }
                Throwable exc = t.exception();
                if (exc != null) {
                    loop.callExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb: " + transport,
                            exc, t, null, null));
                    transport.close();
                }
            });
        };
        return new StreamReaderProtocol(loop, reader, onConnected);
    }

    // ------------------------------------------------------------ datagrams and subprocesses (issue 13)
    // Appended as one section so that the rest of this class can change independently.

    /**
     * Opens a UDP endpoint: binds {@code localAddr}, connects to {@code remoteAddr}, or both, and
     * attaches a protocol from {@code protocolFactory}; returns once its {@code connectionMade} ran.
     *
     * <p><b>asyncio:</b> {@code loop.create_datagram_endpoint(factory, local_addr, remote_addr)}.
     * An address is an {@link InetSocketAddress}: a resolved one is used as is; an unresolved one
     * ({@link InetSocketAddress#createUnresolved}, Python's {@code (host, port)} tuple) is
     * resolved through {@link EventLoop#getaddrinfo}, and the first local and remote addresses of
     * one family (IPv4 or IPv6) are paired. With a remote address the endpoint is connected (see
     * {@link DatagramTransport}). With a network installed on the loop ({@link #useNetwork}),
     * names resolve and the endpoint is made through it
     * ({@link dev.aio4j.streams.spi.Network#datagramEndpoint}).
     *
     * <p><b>Cancellation:</b> this method may suspend (resolution, {@code connectionMade}). If the
     * task is cancelled, the socket is closed and nothing leaks: a protocol whose
     * {@code connectionMade} already ran hears {@code connectionLost(null)}.
     *
     * @param protocolFactory makes the protocol
     * @param localAddr the address to bind (port 0 for any free one), or null
     * @param remoteAddr the peer to connect to, or null
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException if both addresses are null, or they share no address family
     * @throws java.net.BindException if the local address is in use or not local
     * @throws java.net.UnknownHostException if a name does not resolve
     * @throws IOException for other I/O failures (the first one, when every pair failed)
     */
    public static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> createDatagramEndpoint(
            Supplier<P> protocolFactory, InetSocketAddress localAddr, InetSocketAddress remoteAddr) throws IOException {
        return createDatagramEndpoint(protocolFactory, localAddr, remoteAddr, false, false);
    }

    /**
     * Opens a UDP endpoint, with socket options.
     *
     * <p><b>asyncio:</b> {@code loop.create_datagram_endpoint(..., reuse_port=, allow_broadcast=)}.
     * {@code reuse_address} does not exist here: asyncio removed it, since {@code SO_REUSEADDR} on
     * UDP lets another process steal the port.
     *
     * <p><b>Cancellation:</b> as {@link #createDatagramEndpoint(Supplier, InetSocketAddress, InetSocketAddress)}.
     *
     * @param protocolFactory makes the protocol
     * @param localAddr the address to bind, or null
     * @param remoteAddr the peer to connect to, or null
     * @param reusePort set {@code SO_REUSEPORT}: several endpoints may bind the same address
     * @param allowBroadcast set {@code SO_BROADCAST}: datagrams may go to broadcast addresses
     * @param <P> the protocol type
     * @return the transport and the protocol
     * @throws IllegalArgumentException as the three-argument form, or if {@code reusePort} is not
     *     supported on this platform
     * @throws IOException as the three-argument form
     */
    public static <P extends DatagramProtocol> DatagramTransportAndProtocol<P> createDatagramEndpoint(
            Supplier<P> protocolFactory, InetSocketAddress localAddr, InetSocketAddress remoteAddr, boolean reusePort,
            boolean allowBroadcast) throws IOException {
        return DatagramEndpoints.create(Aio.getRunningLoop(), protocolFactory, localAddr, remoteAddr,
                reusePort, allowBroadcast);
    }

    /**
     * Starts {@code program} with {@code args}; the child shares this JVM's stdin, stdout and
     * stderr (asyncio's defaults).
     *
     * <p><b>asyncio:</b> {@code await asyncio.create_subprocess_exec(program, *args)}.
     * <b>Differences:</b> does not suspend: the process starts on the loop's thread (a fork and exec,
     * as asyncio does too).
     *
     * @param program the program, looked up on the {@code PATH}
     * @param args its arguments
     * @return the running process
     * @throws IOException if the program cannot be started (not found, not executable)
     */
    public static Subprocess createSubprocessExec(String program, String... args) throws IOException {
        Checks.notNull(program, "program");
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(Arrays.asList(args));
        return createSubprocessExec(command, Subprocess.INHERIT, Subprocess.INHERIT, Subprocess.INHERIT);
    }

    /**
     * Starts {@code command} (the program, then its arguments) with the given redirections.
     *
     * <p><b>asyncio:</b> {@code create_subprocess_exec(*command, stdin=, stdout=, stderr=)}.
     *
     * @param command the program and its arguments
     * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
     * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
     * @param stderr {@code PIPE}, {@code DEVNULL}, {@code INHERIT} or {@code STDOUT}
     * @return the running process
     * @throws IllegalArgumentException for an empty command or {@code STDOUT} other than for stderr
     * @throws IOException if the program cannot be started
     */
    public static Subprocess createSubprocessExec(List<String> command, Subprocess.Redirect stdin, Subprocess.Redirect stdout,
                                                  Subprocess.Redirect stderr) throws IOException {
        Checks.notNull(command, "command");
        return Subprocess.start(new ProcessBuilder(command), stdin, stdout, stderr, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Starts the command of {@code builder} (with its directory and environment; its own
     * redirections are replaced) with the given redirections and reader limit.
     *
     * <p><b>asyncio:</b> {@code create_subprocess_exec(..., cwd=, env=, limit=)}.
     *
     * @param builder the command, directory and environment
     * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
     * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
     * @param stderr {@code PIPE}, {@code DEVNULL}, {@code INHERIT} or {@code STDOUT}
     * @param limit the limit of the stdout and stderr readers ({@link StreamReader})
     * @return the running process
     * @throws IllegalArgumentException as {@link #createSubprocessExec(List, Subprocess.Redirect,
     *     Subprocess.Redirect, Subprocess.Redirect)}, or if {@code limit <= 0}
     * @throws IOException if the program cannot be started
     */
    public static Subprocess createSubprocessExec(ProcessBuilder builder, Subprocess.Redirect stdin, Subprocess.Redirect stdout,
                                                  Subprocess.Redirect stderr, int limit) throws IOException {
        return Subprocess.start(builder, stdin, stdout, stderr, limit);
    }

    /**
     * Runs {@code cmd} through the shell ({@code /bin/sh -c cmd}; {@code cmd.exe /c cmd} on
     * Windows), sharing this JVM's standard streams.
     *
     * <p><b>asyncio:</b> {@code await asyncio.create_subprocess_shell(cmd)}. Quote what you pass
     * in: the shell interprets the whole string.
     *
     * @param cmd the command line
     * @return the running shell
     * @throws IOException if the shell cannot be started
     */
    public static Subprocess createSubprocessShell(String cmd) throws IOException {
        return createSubprocessShell(cmd, Subprocess.INHERIT, Subprocess.INHERIT, Subprocess.INHERIT);
    }

    /**
     * Runs {@code cmd} through the shell with the given redirections.
     *
     * <p><b>asyncio:</b> {@code create_subprocess_shell(cmd, stdin=, stdout=, stderr=)}.
     *
     * @param cmd the command line
     * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
     * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
     * @param stderr {@code PIPE}, {@code DEVNULL}, {@code INHERIT} or {@code STDOUT}
     * @return the running shell
     * @throws IOException if the shell cannot be started
     */
    public static Subprocess createSubprocessShell(String cmd, Subprocess.Redirect stdin, Subprocess.Redirect stdout,
                                                   Subprocess.Redirect stderr) throws IOException {
        Checks.notNull(cmd, "cmd");
        List<String> command = System.getProperty("os.name", "").startsWith("Windows")
                ? List.of("cmd.exe", "/c", cmd) : List.of("/bin/sh", "-c", cmd);
        return createSubprocessExec(command, stdin, stdout, stderr);
    }
}
