package dev.aio4j.streams;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.internal.Connector;
import dev.aio4j.streams.internal.TlsParams;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * How a client connection is made: TLS, its timeouts, Happy Eyeballs, the local address, the
 * reader's limit. Immutable: every setter returns a changed copy, so one value can be kept in a
 * constant and shared.
 *
 * <pre>{@code
 * ConnectOptions tls = ConnectOptions.defaults().ssl(ctx).sslHandshakeTimeout(10).happyEyeballsDelay(0.25);
 * StreamPair rw = Streams.openConnection("example.com", 443, tls);
 * }</pre>
 *
 * <p><b>asyncio:</b> the keyword arguments of {@code loop.create_connection()},
 * {@code loop.create_unix_connection()}, {@code asyncio.open_connection()} and
 * {@code asyncio.open_unix_connection()}: {@code ssl}, {@code server_hostname},
 * {@code ssl_handshake_timeout}, {@code ssl_shutdown_timeout}, {@code happy_eyeballs_delay},
 * {@code interleave}, {@code local_addr} and {@code limit}. <b>Differences:</b> a value passed to
 * {@link Streams#createConnection(java.util.function.Supplier, String, int, ConnectOptions)} and
 * its siblings instead of keywords; {@code family}, {@code proto}, {@code flags} and
 * {@code all_errors} do not exist. Each setter checks its own argument (a bad value throws there);
 * what depends on several options, or on the call, is checked by the call that gets them, with
 * asyncio's rules: {@code serverHostname}, {@code sslHandshakeTimeout} and
 * {@code sslShutdownTimeout} are "only meaningful with ssl"; over a socket passed as {@code sock}
 * or a Unix socket, Happy Eyeballs, {@code interleave} and {@code localAddr} are refused (asyncio
 * ignores or rejects them); {@code limit} is for the {@code open*Connection} calls, which make a
 * reader.
 *
 * <p><b>Threading:</b> immutable, so safe to share between threads and loops.
 *
 * @since 0.2
 */
public final class ConnectOptions {
    private static final ConnectOptions DEFAULTS = new ConnectOptions();

    private SSLContext ssl;
    private String serverHostname;
    /** NaN: not given (asyncio's {@code None}: {@link Streams#SSL_HANDSHAKE_TIMEOUT}). */
    private double sslHandshakeTimeout = Double.NaN;
    /** NaN: not given (asyncio's {@code None}: {@link Streams#SSL_SHUTDOWN_TIMEOUT}). */
    private double sslShutdownTimeout = Double.NaN;
    private double happyEyeballsDelay = Double.POSITIVE_INFINITY;
    /** {@link Connector#INTERLEAVE_UNSET}: not given (asyncio's {@code None}: 1 with a Happy Eyeballs delay, else 0). */
    private int interleave = Connector.INTERLEAVE_UNSET;
    private InetSocketAddress localAddr;
    private int limit = StreamReader.DEFAULT_LIMIT;

    private ConnectOptions() {}

    private ConnectOptions(ConnectOptions o) {
        ssl = o.ssl;
        serverHostname = o.serverHostname;
        sslHandshakeTimeout = o.sslHandshakeTimeout;
        sslShutdownTimeout = o.sslShutdownTimeout;
        happyEyeballsDelay = o.happyEyeballsDelay;
        interleave = o.interleave;
        localAddr = o.localAddr;
        limit = o.limit;
    }

    /**
     * Returns asyncio's defaults: plain TCP, no Happy Eyeballs race, the resolver's order, any
     * local address, a reader limit of 64 KiB.
     *
     * @return the default options
     */
    public static ConnectOptions defaults() {
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
     * Connects over TLS: {@code ssl=}. A client verifies the server's certificate and its name
     * (see {@link #serverHostname(String)}).
     *
     * @param ssl the TLS configuration (its trust managers check the server), or null for plain bytes
     * @return a changed copy
     */
    public ConnectOptions ssl(SSLContext ssl) {
        ConnectOptions c = new ConnectOptions(this);
        c.ssl = ssl;
        return c;
    }

    /**
     * Returns the name TLS verifies and sends as SNI.
     *
     * @return the name, or null for the host connected to
     */
    public String serverHostname() {
        return serverHostname;
    }

    /**
     * Sets the name TLS verifies against the server's certificate and sends as SNI:
     * {@code server_hostname=}. Only meaningful with {@link #ssl(SSLContext)}; required with it
     * over a socket passed as {@code sock} or a Unix socket (there is no host to take it from).
     *
     * @param serverHostname the name; null for the host connected to; "" to skip the name check
     *     (the certificate chain is still checked)
     * @return a changed copy
     */
    public ConnectOptions serverHostname(String serverHostname) {
        ConnectOptions c = new ConnectOptions(this);
        c.serverHostname = serverHostname;
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
     * Sets how long the TLS handshake may take: {@code ssl_handshake_timeout=}. Past it the
     * connection is aborted and the call throws {@link javax.net.ssl.SSLHandshakeException} "TLS
     * handshake timed out after ... s". Only meaningful with {@link #ssl(SSLContext)}.
     *
     * @param seconds &gt; 0, or {@code Double.POSITIVE_INFINITY} for no limit (asyncio's {@code float('inf')})
     * @return a changed copy
     * @throws IllegalArgumentException if {@code seconds} is zero, negative or NaN
     */
    public ConnectOptions sslHandshakeTimeout(double seconds) {
        ConnectOptions c = new ConnectOptions(this);
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
    public ConnectOptions sslHandshakeTimeout(Duration timeout) {
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
     * Sets how long closing the TLS connection may take: {@code ssl_shutdown_timeout=}. A close
     * sends what was written before it (data the TLS engine has not taken yet included), then
     * close_notify, and waits for the peer's close_notify (asyncio's SSLProtocol SHUTDOWN). Past
     * the timeout the connection is aborted and its protocol's {@code connectionLost} gets a
     * {@link dev.aio4j.loop.TimeoutError}.
     * Only meaningful with {@link #ssl(SSLContext)}.
     *
     * @param seconds &gt; 0, or {@code Double.POSITIVE_INFINITY} for no limit (asyncio's {@code float('inf')})
     * @return a changed copy
     * @throws IllegalArgumentException if {@code seconds} is zero, negative or NaN
     */
    public ConnectOptions sslShutdownTimeout(double seconds) {
        ConnectOptions c = new ConnectOptions(this);
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
    public ConnectOptions sslShutdownTimeout(Duration timeout) {
        return sslShutdownTimeout(Checks.seconds(timeout, "sslShutdownTimeout"));
    }

    // ---------------------------------------------------------------------------- addresses

    /**
     * Returns the Happy Eyeballs delay.
     *
     * @return seconds, or {@code Double.POSITIVE_INFINITY} for no race (the default)
     */
    public double happyEyeballsDelay() {
        return happyEyeballsDelay;
    }

    /**
     * Races the host's addresses (RFC 8305): {@code happy_eyeballs_delay=}. The next address is
     * tried when the one before failed or {@code seconds} after it started; the first connection
     * made wins and the others are closed. RFC 8305 recommends 0.25 (aiohttp's default).
     *
     * @param seconds &gt;= 0, or {@code Double.POSITIVE_INFINITY} to try the addresses one after
     *     another (asyncio's {@code None}, the default)
     * @return a changed copy
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public ConnectOptions happyEyeballsDelay(double seconds) {
        Connector.checkHappyEyeballs(seconds, 0);
        ConnectOptions c = new ConnectOptions(this);
        c.happyEyeballsDelay = seconds;
        return c;
    }

    /**
     * {@link #happyEyeballsDelay(double)} with a {@link Duration}.
     *
     * @param delay the time between attempts, not negative
     * @return a changed copy
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public ConnectOptions happyEyeballsDelay(Duration delay) {
        return happyEyeballsDelay(Checks.seconds(delay, "happyEyeballsDelay"));
    }

    /**
     * Returns how addresses are interleaved by family, if that was set.
     *
     * @return 0 for the resolver's order, or the count of first-family addresses tried first; or
     *     empty when not set (asyncio's {@code None}: 1 with a finite
     *     {@link #happyEyeballsDelay()}, else the resolver's order)
     */
    public OptionalInt interleave() {
        return interleave == Connector.INTERLEAVE_UNSET ? OptionalInt.empty() : OptionalInt.of(interleave);
    }

    /** The interleave for the connector: {@link Connector#INTERLEAVE_UNSET} when not set. */
    int interleaveOrUnset() {
        return interleave;
    }

    /**
     * Reorders the host's addresses by family: {@code interleave=}. Not set (the default), it is
     * asyncio's {@code None}: 1 with a finite {@link #happyEyeballsDelay(double)}, else the
     * resolver's order.
     *
     * @param interleave 0 keeps the resolver's order, also with a Happy Eyeballs delay (asyncio's
     *     {@code interleave=0}); n &gt; 0 puts n addresses of the first family first, then
     *     alternates IPv4 and IPv6
     * @return a changed copy
     * @throws IllegalArgumentException if {@code interleave < 0}
     */
    public ConnectOptions interleave(int interleave) {
        Connector.checkHappyEyeballs(0, interleave);
        ConnectOptions c = new ConnectOptions(this);
        c.interleave = interleave;
        return c;
    }

    /**
     * Returns the local address each attempt binds.
     *
     * @return the address, or null for any
     */
    public InetSocketAddress localAddr() {
        return localAddr;
    }

    /**
     * Connects from a given local address: {@code local_addr=}. Each attempt's socket is bound to
     * it before it connects (an interface of a host with several, or a fixed source port), and
     * only the host's addresses of its family are tried. Not over an installed
     * {@link dev.aio4j.streams.spi.Network} (its connections have no local socket).
     *
     * @param localAddr a resolved address (port 0: any free one), or null for any
     * @return a changed copy
     * @throws IllegalArgumentException if {@code localAddr} is unresolved
     */
    public ConnectOptions localAddr(InetSocketAddress localAddr) {
        Connector.checkLocalAddr(localAddr);
        ConnectOptions c = new ConnectOptions(this);
        c.localAddr = localAddr;
        return c;
    }

    // ------------------------------------------------------------------------------ reader

    /**
     * Returns the reader's limit.
     *
     * @return the limit of the {@link StreamReader} that {@code openConnection} makes
     */
    public int limit() {
        return limit;
    }

    /**
     * Sets the limit of the {@link StreamReader} that {@code openConnection} and
     * {@code openUnixConnection} make: {@code limit=}. The {@code createConnection} calls make no
     * reader and refuse another limit than the default.
     *
     * @param limit &gt; 0 ({@link StreamReader#DEFAULT_LIMIT} by default)
     * @return a changed copy
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public ConnectOptions limit(int limit) {
        ConnectOptions c = new ConnectOptions(this);
        c.limit = Checks.positive(limit, "limit");
        return c;
    }

    // ------------------------------------------------------------------ checks of the calls

    /**
     * The context and timeouts for a TLS layer, or null for plain bytes; asyncio's "only
     * meaningful with ssl" checks.
     */
    TlsParams tls() {
        if (ssl == null) {
            if (serverHostname != null) {
                throw new IllegalArgumentException("serverHostname is only meaningful with ssl, got ssl=null");
            }
            onlyWithSsl(sslHandshakeTimeout, "sslHandshakeTimeout");
            onlyWithSsl(sslShutdownTimeout, "sslShutdownTimeout");
            return null;
        }
        return new TlsParams(ssl, orDefault(sslHandshakeTimeout, TlsParams.HANDSHAKE_TIMEOUT),
                orDefault(sslShutdownTimeout, TlsParams.SHUTDOWN_TIMEOUT));
    }

    static void onlyWithSsl(double timeout, String name) {
        if (!Double.isNaN(timeout)) {
            throw new IllegalArgumentException(name + " is only meaningful with ssl, got ssl=null and " + name + "=" + timeout);
        }
    }

    static double orDefault(double timeout, double dflt) {
        return Double.isNaN(timeout) ? dflt : timeout;
    }

    /** Refuses the options that pick and bind addresses, for a connection that has none to pick. */
    void noAddressChoice(String over) {
        if (happyEyeballsDelay != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("happyEyeballsDelay is only meaningful when connecting to a host, not over "
                    + over + "; got happyEyeballsDelay=" + happyEyeballsDelay);
        }
        if (interleave != Connector.INTERLEAVE_UNSET) {
            throw new IllegalArgumentException("interleave is only meaningful when connecting to a host, not over " + over
                    + "; got interleave=" + interleave);
        }
        if (localAddr != null) {
            throw new IllegalArgumentException("localAddr is only meaningful when connecting to a host, not over " + over
                    + "; got localAddr=" + localAddr);
        }
    }

    /** Refuses a limit other than the default, for a call that makes no reader. */
    void noReader(String call) {
        if (limit != StreamReader.DEFAULT_LIMIT) {
            throw new IllegalArgumentException("limit is only meaningful for the reader of openConnection/openUnixConnection; "
                    + call + " makes no reader; got limit=" + limit);
        }
    }

    // ------------------------------------------------------------------------------ object

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectOptions c && ssl == c.ssl && Objects.equals(serverHostname, c.serverHostname)
                && Double.compare(sslHandshakeTimeout, c.sslHandshakeTimeout) == 0
                && Double.compare(sslShutdownTimeout, c.sslShutdownTimeout) == 0
                && Double.compare(happyEyeballsDelay, c.happyEyeballsDelay) == 0 && interleave == c.interleave
                && Objects.equals(localAddr, c.localAddr) && limit == c.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(ssl), serverHostname, sslHandshakeTimeout, sslShutdownTimeout,
                happyEyeballsDelay, interleave, localAddr, limit);
    }

    /**
     * The options that differ from {@link #defaults()}, for instance
     * {@code ConnectOptions[ssl=TLS, sslHandshakeTimeout=10.0]}; {@code ConnectOptions[defaults]}
     * for none.
     */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "ConnectOptions[", "]").setEmptyValue("ConnectOptions[defaults]");
        if (ssl != null) {
            j.add("ssl=" + ssl.getProtocol());
        }
        if (serverHostname != null) {
            j.add("serverHostname=" + (serverHostname.isEmpty() ? "\"\"" : serverHostname));
        }
        if (!Double.isNaN(sslHandshakeTimeout)) {
            j.add("sslHandshakeTimeout=" + sslHandshakeTimeout);
        }
        if (!Double.isNaN(sslShutdownTimeout)) {
            j.add("sslShutdownTimeout=" + sslShutdownTimeout);
        }
        if (happyEyeballsDelay != Double.POSITIVE_INFINITY) {
            j.add("happyEyeballsDelay=" + happyEyeballsDelay);
        }
        if (interleave != Connector.INTERLEAVE_UNSET) {
            j.add("interleave=" + interleave);
        }
        if (localAddr != null) {
            j.add("localAddr=" + localAddr);
        }
        if (limit != StreamReader.DEFAULT_LIMIT) {
            j.add("limit=" + limit);
        }
        return j.toString();
    }
}
