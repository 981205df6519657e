package dev.aio4j.streams;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.internal.ServerCore;
import dev.aio4j.streams.internal.TlsParams;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * How a server listens and serves: TLS, its timeouts, the listen backlog, {@code SO_REUSEPORT},
 * each reader's limit. Immutable: every setter returns a changed copy, so one value can be kept
 * in a constant and shared.
 *
 * <pre>{@code
 * ServerOptions tls = ServerOptions.defaults().ssl(ctx).sslHandshakeTimeout(5).backlog(1024);
 * Server server = Streams.startServer(handler, "0.0.0.0", 8443, tls);
 * }</pre>
 *
 * <p><b>asyncio:</b> the keyword arguments of {@code loop.create_server()},
 * {@code loop.create_unix_server()}, {@code loop.connect_accepted_socket()},
 * {@code asyncio.start_server()} and {@code asyncio.start_unix_server()}: {@code ssl},
 * {@code ssl_handshake_timeout}, {@code ssl_shutdown_timeout}, {@code backlog},
 * {@code reuse_port} and {@code limit}. <b>Differences:</b> a value passed to
 * {@link Streams#createServer(java.util.function.Supplier, String, int, ServerOptions)} and its
 * siblings instead of keywords; {@code family}, {@code flags}, {@code reuse_address} (always on,
 * as asyncio's default on Unix), {@code keep_alive}, {@code start_serving} (always serving) and
 * {@code cleanup_socket} (always) do not exist. Each setter checks its own argument; what
 * depends on several options, or on the call, is checked by the call that gets them, with
 * asyncio's rules: {@code sslHandshakeTimeout} and {@code sslShutdownTimeout} are "only
 * meaningful with ssl"; {@code backlog} and {@code reusePort} are refused for an accepted
 * socket and for a listening socket passed as {@code sock} (asyncio re-listens on that one with
 * {@code backlog}, which the JDK cannot do to a bound channel, and ignores {@code reuse_port}
 * there: bind the channel with the backlog and {@code SO_REUSEPORT} you want), {@code reusePort} on a
 * Unix socket; {@code limit} is for the {@code start*Server} calls, which make readers.
 *
 * <p><b>Threading:</b> immutable, so safe to share between threads and loops (a server per loop
 * with {@code reusePort}, for instance).
 *
 * @since 0.2
 */
public final class ServerOptions {
    private static final ServerOptions DEFAULTS = new ServerOptions();

    private SSLContext ssl;
    /** NaN: not given (asyncio's {@code None}: {@link Streams#SSL_HANDSHAKE_TIMEOUT}). */
    private double sslHandshakeTimeout = Double.NaN;
    /** NaN: not given (asyncio's {@code None}: {@link Streams#SSL_SHUTDOWN_TIMEOUT}). */
    private double sslShutdownTimeout = Double.NaN;
    private int backlog = ServerCore.BACKLOG;
    private boolean reusePort;
    private int limit = StreamReader.DEFAULT_LIMIT;

    private ServerOptions() {}

    private ServerOptions(ServerOptions o) {
        ssl = o.ssl;
        sslHandshakeTimeout = o.sslHandshakeTimeout;
        sslShutdownTimeout = o.sslShutdownTimeout;
        backlog = o.backlog;
        reusePort = o.reusePort;
        limit = o.limit;
    }

    /**
     * Returns asyncio's defaults: plain TCP, a backlog of 100, no {@code SO_REUSEPORT}, a reader
     * limit of 64 KiB.
     *
     * @return the default options
     */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    // ---------------------------------------------------------------------------------- TLS

    /**
     * Returns the TLS configuration.
     *
     * @return the context, or null for plain bytes
     */
    public SSLContext ssl() {
        return ssl;
    }

    /**
     * Serves TLS: {@code ssl=}. Each accepted connection handshakes as the server before its
     * protocol hears {@code connectionMade} (before the handler of {@code startServer} runs).
     *
     * @param ssl the server's TLS configuration (its key managers hold the certificate), or null
     * @return a changed copy
     */
    public ServerOptions ssl(SSLContext ssl) {
        ServerOptions c = new ServerOptions(this);
        c.ssl = ssl;
        return c;
    }

    /**
     * Returns the TLS handshake timeout that was set.
     *
     * @return the seconds, or empty for the default ({@link Streams#SSL_HANDSHAKE_TIMEOUT}, 60 s)
     */
    public OptionalDouble sslHandshakeTimeout() {
        return Double.isNaN(sslHandshakeTimeout) ? OptionalDouble.empty() : OptionalDouble.of(sslHandshakeTimeout);
    }

    /**
     * Sets how long each accepted connection's TLS handshake may take: {@code
     * ssl_handshake_timeout=}. Past it that connection is aborted (a client that connects and
     * says nothing holds it no longer). Only meaningful with {@link #ssl(SSLContext)}.
     *
     * @param seconds &gt; 0, or {@code Double.POSITIVE_INFINITY} for no limit (asyncio's {@code float('inf')})
     * @return a changed copy
     * @throws IllegalArgumentException if {@code seconds} is zero, negative or NaN
     */
    public ServerOptions sslHandshakeTimeout(double seconds) {
        ServerOptions c = new ServerOptions(this);
        c.sslHandshakeTimeout = TlsParams.checkTimeout(seconds, "sslHandshakeTimeout");
        return c;
    }

    /**
     * {@link #sslHandshakeTimeout(double)} with a {@link Duration}.
     *
     * @param timeout positive
     * @return a changed copy
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ServerOptions sslHandshakeTimeout(Duration timeout) {
        return sslHandshakeTimeout(Checks.seconds(timeout, "sslHandshakeTimeout"));
    }

    /**
     * Returns the TLS shutdown timeout that was set.
     *
     * @return the seconds, or empty for the default ({@link Streams#SSL_SHUTDOWN_TIMEOUT}, 30 s)
     */
    public OptionalDouble sslShutdownTimeout() {
        return Double.isNaN(sslShutdownTimeout) ? OptionalDouble.empty() : OptionalDouble.of(sslShutdownTimeout);
    }

    /**
     * Sets how long closing an accepted TLS connection may take: {@code ssl_shutdown_timeout=}.
     * A close sends what was written before it (data the TLS engine has not taken yet included),
     * then close_notify, and waits for the client's close_notify (asyncio's SSLProtocol
     * SHUTDOWN). Past the timeout the connection is aborted and its protocol's
     * {@code connectionLost} gets a {@link dev.aio4j.loop.TimeoutError}. Only meaningful with {@link #ssl(SSLContext)}.
     *
     * @param seconds &gt; 0, or {@code Double.POSITIVE_INFINITY} for no limit (asyncio's {@code float('inf')})
     * @return a changed copy
     * @throws IllegalArgumentException if {@code seconds} is zero, negative or NaN
     */
    public ServerOptions sslShutdownTimeout(double seconds) {
        ServerOptions c = new ServerOptions(this);
        c.sslShutdownTimeout = TlsParams.checkTimeout(seconds, "sslShutdownTimeout");
        return c;
    }

    /**
     * {@link #sslShutdownTimeout(double)} with a {@link Duration}.
     *
     * @param timeout positive
     * @return a changed copy
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ServerOptions sslShutdownTimeout(Duration timeout) {
        return sslShutdownTimeout(Checks.seconds(timeout, "sslShutdownTimeout"));
    }

    // ------------------------------------------------------------------------------ listening

    /**
     * Returns the listen backlog.
     *
     * @return the backlog (default 100, asyncio's)
     */
    public int backlog() {
        return backlog;
    }

    /**
     * Sets the listen backlog of the sockets the server binds: {@code backlog=}.
     *
     * @param backlog &gt; 0
     * @return a changed copy
     * @throws IllegalArgumentException if {@code backlog <= 0}
     */
    public ServerOptions backlog(int backlog) {
        ServerOptions c = new ServerOptions(this);
        c.backlog = Checks.positive(backlog, "backlog");
        return c;
    }

    /**
     * Returns whether {@code SO_REUSEPORT} is set.
     *
     * @return whether the port is shared
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * Sets {@code SO_REUSEPORT} on the TCP sockets the server binds: {@code reuse_port=}. Several
     * servers (typically one per event loop, each on its own thread) then bind the same host and
     * port and the kernel spreads incoming connections among them. The server call throws
     * {@code IllegalArgumentException} where the platform has no {@code SO_REUSEPORT}.
     *
     * @param reusePort whether other sockets may bind the same port
     * @return a changed copy
     */
    public ServerOptions reusePort(boolean reusePort) {
        ServerOptions c = new ServerOptions(this);
        c.reusePort = reusePort;
        return c;
    }

    // ------------------------------------------------------------------------------ reader

    /**
     * Returns each reader's limit.
     *
     * @return the limit of the {@link StreamReader} that {@code startServer} makes per connection
     */
    public int limit() {
        return limit;
    }

    /**
     * Sets the limit of the {@link StreamReader} that {@code startServer} and
     * {@code startUnixServer} make per connection: {@code limit=}. The {@code createServer} calls
     * and {@code connectAcceptedSocket} make no reader and refuse another limit than the default.
     *
     * @param limit &gt; 0 ({@link StreamReader#DEFAULT_LIMIT} by default)
     * @return a changed copy
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public ServerOptions limit(int limit) {
        ServerOptions c = new ServerOptions(this);
        c.limit = Checks.positive(limit, "limit");
        return c;
    }

    // ------------------------------------------------------------------ checks of the calls

    /**
     * The context and timeouts of each accepted connection's TLS layer, or null for plain bytes;
     * asyncio's "only meaningful with ssl" checks.
     */
    TlsParams tls() {
        if (ssl == null) {
            ConnectOptions.onlyWithSsl(sslHandshakeTimeout, "sslHandshakeTimeout");
            ConnectOptions.onlyWithSsl(sslShutdownTimeout, "sslShutdownTimeout");
            return null;
        }
        return new TlsParams(ssl, ConnectOptions.orDefault(sslHandshakeTimeout, TlsParams.HANDSHAKE_TIMEOUT),
                ConnectOptions.orDefault(sslShutdownTimeout, TlsParams.SHUTDOWN_TIMEOUT));
    }

    /** Refuses the options of binding, for a call that binds no socket. */
    void noBinding(String over) {
        if (backlog != ServerCore.BACKLOG) {
            throw new IllegalArgumentException("backlog is only meaningful for a socket the server binds, not for " + over
                    + "; got backlog=" + backlog);
        }
        noReusePort(over);
    }

    /**
     * Refuses what cannot reach a listening socket the caller bound ({@code createServer(sock=...)}).
     * asyncio calls {@code sock.listen(backlog)} on it when it starts serving and ignores
     * {@code reuse_port} (and {@code reuse_address}) there. Java has no {@code listen} apart from
     * {@code bind}: a bound {@code ServerSocketChannel} listens already, with the backlog its
     * {@code bind} was given, and no JDK call changes it; {@code SO_REUSEPORT} counts only when it is
     * set before the bind. So a backlog other than the default and {@code reusePort} are refused,
     * with where to put them instead, rather than ignored.
     */
    void notForBoundSock(boolean bound) {
        if (bound && backlog != ServerCore.BACKLOG) { // an unbound sock is listened with it (ServerCore.adopt)
            throw new IllegalArgumentException("backlog cannot be applied to a socket passed as sock: a bound "
                    + "ServerSocketChannel listens already and the JDK cannot change its backlog (asyncio calls "
                    + "sock.listen(backlog) here); pass it to sock.bind(address, backlog) instead; got backlog=" + backlog);
        }
        if (reusePort) {
            throw new IllegalArgumentException("reusePort cannot be applied to a socket passed as sock: SO_REUSEPORT counts "
                    + "only when set before the bind (asyncio ignores reuse_port here); call "
                    + "sock.setOption(StandardSocketOptions.SO_REUSEPORT, true) before binding it");
        }
    }

    /** Refuses {@code reusePort}, for a call without TCP sockets of its own. */
    void noReusePort(String over) {
        if (reusePort) {
            throw new IllegalArgumentException("reusePort is only meaningful for a TCP socket the server binds, not for " + over);
        }
    }

    /** Refuses a limit other than the default, for a call that makes no reader. */
    void noReader(String call) {
        if (limit != StreamReader.DEFAULT_LIMIT) {
            throw new IllegalArgumentException("limit is only meaningful for the readers of startServer/startUnixServer; "
                    + call + " makes no reader; got limit=" + limit);
        }
    }

    // ------------------------------------------------------------------------------ object

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerOptions c && ssl == c.ssl
                && Double.compare(sslHandshakeTimeout, c.sslHandshakeTimeout) == 0
                && Double.compare(sslShutdownTimeout, c.sslShutdownTimeout) == 0
                && backlog == c.backlog && reusePort == c.reusePort && limit == c.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(ssl), sslHandshakeTimeout, sslShutdownTimeout, backlog, reusePort, limit);
    }

    /**
     * The options that differ from {@link #defaults()}, for instance
     * {@code ServerOptions[ssl=TLS, backlog=1024]}; {@code ServerOptions[defaults]} for none.
     */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "ServerOptions[", "]").setEmptyValue("ServerOptions[defaults]");
        if (ssl != null) {
            j.add("ssl=" + ssl.getProtocol());
        }
        if (!Double.isNaN(sslHandshakeTimeout)) {
            j.add("sslHandshakeTimeout=" + sslHandshakeTimeout);
        }
        if (!Double.isNaN(sslShutdownTimeout)) {
            j.add("sslShutdownTimeout=" + sslShutdownTimeout);
        }
        if (backlog != ServerCore.BACKLOG) {
            j.add("backlog=" + backlog);
        }
        if (reusePort) {
            j.add("reusePort=true");
        }
        if (limit != StreamReader.DEFAULT_LIMIT) {
            j.add("limit=" + limit);
        }
        return j.toString();
    }
}
