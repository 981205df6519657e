package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Staggered;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.TransportAndProtocol;
import dev.aio4j.streams.spi.Network;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The client side of {@code loop.create_connection} / {@code create_unix_connection}. */
public final class Connector {
    private Connector() {}

    /**
     * The {@code interleave} that was not given: asyncio's {@code None}, which is 1 with a finite
     * Happy Eyeballs delay and no interleaving without one. 0 is a value: no interleaving.
     */
    public static final int INTERLEAVE_UNSET = -1;

    /**
     * {@code loop.create_connection(host, port, ssl=, server_hostname=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=, happy_eyeballs_delay=, interleave=, local_addr=)}: resolves
     * {@code host}, reorders its addresses by family when {@code interleave > 0} (asyncio's
     * {@code _interleave_addrinfos}), and connects to them one after another, or, with a finite
     * {@code happyEyeballsDelay}, races them (RFC 8305: the next address is tried when the one
     * before failed or that many seconds after it started; the first connected socket wins, the
     * others are closed). TLS runs on the winner only. With {@code localAddr}, each attempt's
     * socket is bound to it before it connects, and only the host's addresses of its family are
     * tried.
     *
     * @param tls the TLS context and timeouts, or null for plain TCP
     * @param happyEyeballsDelay seconds; {@code Double.POSITIVE_INFINITY} for no race (asyncio's
     *     default, {@code None})
     * @param interleave 0 to keep the resolver's order; n &gt; 0 puts n addresses of the first
     *     family first, then alternates families; {@link #INTERLEAVE_UNSET} for asyncio's
     *     {@code None} (1 with a finite delay, else 0)
     * @param localAddr a resolved address (port 0 for any), or null
     */
    public static <P extends Protocol> TransportAndProtocol<P> tcp(EventLoop loop, Supplier<P> factory, String host, int port, TlsParams tls,
                                                   String serverHostname, double happyEyeballsDelay, int interleave,
                                                   InetSocketAddress localAddr) throws IOException {
        Checks.notNull(factory, "protocolFactory");
        Checks.notNull(host, "host");
        Checks.port(port);
        checkHappyEyeballs(happyEyeballsDelay, interleave == INTERLEAVE_UNSET ? 0 : interleave);
        checkLocalAddr(localAddr);
        Network net = Networks.of(loop);
        if (net != null) {
            if (localAddr != null) {
                throw new IllegalArgumentException("localAddr is not supported over an installed Network (" + net
                        + "): its connections have no local socket to bind");
            }
            return viaNetwork(net, loop, factory, host, port, tls, serverHostname, happyEyeballsDelay, interleave);
        }
        List<InetSocketAddress> addrs = loop.getaddrinfo(host, port);
        SocketChannel ch = connectAny(loop, addrs, happyEyeballsDelay, interleave, localAddr);
        String hostForTls = serverHostname != null ? serverHostname : host;
        return makeTransport(loop, ch, factory, tls, false, hostForTls, port);
    }

    /**
     * The argument check of {@code localAddr}: null, or a resolved address.
     *
     * @param localAddr the address to bind, or null
     */
    public static void checkLocalAddr(InetSocketAddress localAddr) {
        if (localAddr != null && localAddr.isUnresolved()) {
            throw new IllegalArgumentException("localAddr must be a resolved address (an IP literal, or resolve it first), got "
                    + localAddr);
        }
    }

    /**
     * The argument checks of {@code happyEyeballsDelay} and {@code interleave}.
     *
     * @param happyEyeballsDelay seconds, &gt;= 0, or {@code Double.POSITIVE_INFINITY}
     * @param interleave &gt;= 0
     */
    public static void checkHappyEyeballs(double happyEyeballsDelay, int interleave) {
        if (!(happyEyeballsDelay >= 0)) {
            throw new IllegalArgumentException("happyEyeballsDelay must be >= 0 seconds (RFC 8305 recommends 0.25), "
                    + "or Double.POSITIVE_INFINITY to try addresses one after another; got " + happyEyeballsDelay);
        }
        if (interleave < 0) {
            throw new IllegalArgumentException("interleave must be >= 0 (0: the resolver's order), got " + interleave);
        }
    }

    /**
     * Connects a socket to one of {@code addrs} (the loop's own sockets, not an installed
     * {@link Network}'s): in order, or raced with {@code happyEyeballsDelay} between starts. Every
     * socket but the one returned is closed, also when the caller is cancelled.
     *
     * @param loop the running loop
     * @param addrs the addresses, in the resolver's order
     * @param happyEyeballsDelay see {@link #tcp(EventLoop, Supplier, String, int, TlsParams, String, double, int, InetSocketAddress)}
     * @param interleave see there
     * @return the connected, non-blocking channel
     * @throws IOException the one failure, or "Multiple exceptions: ..." naming each address's
     */
    public static SocketChannel connectAny(EventLoop loop, List<InetSocketAddress> addrs, double happyEyeballsDelay,
                                           int interleave) throws IOException {
        return connectAny(loop, addrs, happyEyeballsDelay, interleave, null);
    }

    /**
     * {@link #connectAny(EventLoop, List, double, int)} with each socket bound to {@code localAddr}
     * first (asyncio's {@code local_addr=}): only the addresses of its family are tried.
     *
     * @param localAddr a resolved address, or null
     * @throws java.net.SocketException if no address has the local address's family, or the bind fails
     */
    public static SocketChannel connectAny(EventLoop loop, List<InetSocketAddress> addrs, double happyEyeballsDelay,
                                           int interleave, InetSocketAddress localAddr) throws IOException {
        if (localAddr != null) {
            List<InetSocketAddress> same = new ArrayList<>();
            for (InetSocketAddress a : addrs) {
                if (a.getAddress() != null && a.getAddress().getClass() == localAddr.getAddress().getClass()) {
                    same.add(a);
                }
            }
            if (same.isEmpty() && !addrs.isEmpty()) {
                throw new java.net.SocketException("no matching local address with the family of " + localAddr
                        + " found for " + addrs + " (asyncio's 'no matching local address with family=...')");
            }
            addrs = same;
        }
        boolean race = happyEyeballsDelay != Double.POSITIVE_INFINITY;
        List<InetSocketAddress> order = attemptOrder(addrs, happyEyeballsDelay, interleave);
        if (!race) {
            List<IOException> errors = new ArrayList<>();
            for (InetSocketAddress a : order) {
                try {
                    return connectOne(loop, a, localAddr);
                } catch (IOException e) {
                    errors.add(e);
                }
            }
            throw connectFailed(errors);
        }
        List<Coroutine<SocketChannel>> attempts = new ArrayList<>();
        InetSocketAddress local = localAddr;
        for (InetSocketAddress a : order) {
            attempts.add(() -> connectOne(loop, a, local));
        }
        Staggered.Result<SocketChannel> r = Staggered.race(attempts, happyEyeballsDelay, Connector::closeQuietly);
        if (r.winnerIndex() >= 0) {
            return r.winnerResult();
        }
        List<IOException> errors = new ArrayList<>();
        for (Throwable t : r.exceptions()) {
            if (t instanceof IOException e) {
                errors.add(e);
            } else if (t instanceof RuntimeException e) {
                throw e; // not a connect failure: a bug or a bad argument, as the sequential path
            }
        }
        throw connectFailed(errors);
    }

    /**
     * The order the addresses are tried in: asyncio's, {@code interleave} addresses of the first
     * family first, then one of each family in turn; 0 keeps the resolver's order. Not set
     * ({@link #INTERLEAVE_UNSET}, asyncio's {@code None}): 1 with a finite
     * {@code happyEyeballsDelay}, else 0.
     */
    private static List<InetSocketAddress> attemptOrder(List<InetSocketAddress> addrs, double happyEyeballsDelay, int interleave) {
        int n = interleave != INTERLEAVE_UNSET ? interleave : happyEyeballsDelay != Double.POSITIVE_INFINITY ? 1 : 0;
        return n > 0 ? interleaveByFamily(addrs, n) : addrs;
    }

    /** One attempt: a new socket connected to {@code a}, or closed and the failure thrown. */
    private static SocketChannel connectOne(EventLoop loop, InetSocketAddress a, InetSocketAddress localAddr)
            throws IOException {
        SocketChannel c = SocketChannel.open();
        try {
            c.configureBlocking(false);
            if (localAddr != null) {
                try {
                    c.bind(localAddr);
                } catch (IOException e) { // asyncio's "error while attempting to bind on address ..."
                    java.net.BindException b = new java.net.BindException("error while attempting to bind on address "
                            + localAddr + ": " + e.getMessage());
                    b.initCause(e);
                    throw b;
                }
            }
        } catch (Throwable t) {
            closeQuietly(c);
            throw t;
        }
        try {
            loop.sockConnect(c, a);
            return c;
        } catch (IOException e) {
            closeQuietly(c);
            throw connectError(e, a);
        } catch (Throwable t) {
            closeQuietly(c);
            throw t;
        }
    }

    /**
     * asyncio's {@code _interleave_addrinfos}: groups the addresses by family (IPv4, IPv6) in the
     * order families first appear, puts {@code firstFamilyCount - 1} addresses of the first
     * family first, then takes one of each family in turn.
     *
     * @param addrs the resolver's order
     * @param firstFamilyCount &gt;= 1
     * @return the new order, the same addresses
     */
    public static List<InetSocketAddress> interleaveByFamily(List<InetSocketAddress> addrs, int firstFamilyCount) {
        Map<Class<?>, ArrayDeque<InetSocketAddress>> byFamily = new LinkedHashMap<>();
        for (InetSocketAddress a : addrs) {
            Class<?> family = a.getAddress() == null ? InetSocketAddress.class : a.getAddress().getClass();
            byFamily.computeIfAbsent(family, f -> new ArrayDeque<>()).add(a);
        }
        List<ArrayDeque<InetSocketAddress>> families = new ArrayList<>(byFamily.values());
        List<InetSocketAddress> out = new ArrayList<>(addrs.size());
        for (int i = 1; i < firstFamilyCount && !families.isEmpty() && !families.get(0).isEmpty(); i++) {
            out.add(families.get(0).poll());
        }
        while (out.size() < addrs.size()) {
            for (ArrayDeque<InetSocketAddress> f : families) {
                if (!f.isEmpty()) {
                    out.add(f.poll());
                }
            }
        }
        return out;
    }

    private static IOException connectFailed(List<IOException> errors) {
        if (errors.isEmpty()) {
            return new ConnectException("no address to connect to (the name resolved to none)");
        }
        if (errors.size() == 1) {
            return errors.get(0);
        }
        StringBuilder sb = new StringBuilder("Multiple exceptions: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(errors.get(i).getMessage());
        }
        ConnectException all = new ConnectException(sb.toString());
        errors.forEach(all::addSuppressed);
        return all;
    }

    /**
     * {@link #tcp} on an installed {@link Network}: the same address loop and TLS layer, its
     * sockets. The addresses are tried in the order {@code interleave} and
     * {@code happyEyeballsDelay} give, one after another: a network's connect is not raced
     * (documented on {@link Network}).
     */
    private static <P extends Protocol> TransportAndProtocol<P> viaNetwork(Network net, EventLoop loop, Supplier<P> factory, String host, int port,
                                                           TlsParams tls, String serverHostname, double happyEyeballsDelay,
                                                           int interleave) throws IOException {
        List<InetSocketAddress> addrs = attemptOrder(net.getaddrinfo(loop, host, port), happyEyeballsDelay, interleave);
        List<IOException> errors = new ArrayList<>();
        P protocol = null;
        for (InetSocketAddress a : addrs) {
            if (protocol == null) { // made once, as on the real path; a refused connect never calls it
                protocol = Checks.notNull(factory.get(), "the protocol made by protocolFactory");
            }
            Transport t = null;
            try {
                if (tls == null) {
                    t = net.connect(loop, a, protocol);
                    return new TransportAndProtocol<>(t, protocol);
                }
                Future<Void> waiter = loop.createFuture();
                String hostForTls = serverHostname != null ? serverHostname : host;
                SslProtocol sp = sslProtocol(loop, protocol, tls, false, hostForTls, port, waiter, true);
                t = net.connect(loop, a, sp);
                awaitIo(waiter);
                return new TransportAndProtocol<>(sp.appTransport(), protocol);
            } catch (IOException e) {
                if (t != null) {
                    t.abort();
                    throw e; // connected, then the handshake failed: no other address is tried
                }
                errors.add(connectError(e, a));
            } catch (Throwable e) {
                if (t != null) {
                    t.abort();
                }
                throw e;
            }
        }
        throw connectFailed(errors);
    }

    /**
     * {@code loop.create_unix_connection(path, ssl=, server_hostname=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=)}.
     *
     * @param tls the TLS context and timeouts, or null for plain bytes
     * @param serverHostname required with {@code tls} (a path names no host), as asyncio; "" skips the check
     */
    public static <P extends Protocol> TransportAndProtocol<P> unix(EventLoop loop, Supplier<P> factory, Path path, TlsParams tls,
                                                    String serverHostname) throws IOException {
        Checks.notNull(factory, "protocolFactory");
        Checks.notNull(path, "path");
        if (tls == null && serverHostname != null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with ssl, got ssl=null");
        }
        if (tls != null && serverHostname == null) {
            throw new IllegalArgumentException("serverHostname must be given for TLS over a Unix socket, got null");
        }
        Network net = Networks.of(loop);
        if (net != null) {
            return unixViaNetwork(net, loop, factory, path, tls, serverHostname);
        }
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.configureBlocking(false);
            loop.sockConnect(c, UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            closeQuietly(c);
            throw connectError(e, path);
        } catch (Throwable t) {
            closeQuietly(c);
            throw t;
        }
        return makeTransport(loop, c, factory, tls, false, serverHostname, -1);
    }

    /**
     * {@code loop.create_connection(sock=...)}: a transport over a socket connected elsewhere (by
     * the caller's own code, a library, an inherited descriptor). The transport owns the socket
     * from now on; it is closed when the transport is, and also when this call fails.
     *
     * @param sock an open, connected TCP or Unix domain socket channel
     * @param tls the TLS context and timeouts, or null
     * @param serverHostname the name TLS verifies and sends; required with {@code tls} (there is no
     *     host to take it from), as asyncio; "" skips the check
     */
    public static <P extends Protocol> TransportAndProtocol<P> adopt(EventLoop loop, Supplier<P> factory, SocketChannel sock, TlsParams tls,
                                                     String serverHostname) throws IOException {
        if (tls == null && serverHostname != null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with ssl, got ssl=null");
        }
        if (tls != null && serverHostname == null) {
            throw new IllegalArgumentException("serverHostname must be given for TLS over a socket passed as sock "
                    + "(there is no host to take it from); pass \"\" to skip the name check");
        }
        checkConnected(factory, sock);
        int port = sock.getRemoteAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        return makeTransport(loop, sock, factory, tls, false, serverHostname, port);
    }

    /**
     * {@code loop.connect_accepted_socket(protocol_factory, sock, ssl=, ssl_handshake_timeout=,
     * ssl_shutdown_timeout=)}: the server side of a connection accepted by other code. With
     * {@code tls}, the server-side handshake runs before this returns. The transport owns the
     * socket from now on; a failed handshake closes it.
     *
     * @param sock an open, connected (accepted) TCP or Unix domain socket channel
     * @param tls the server's TLS context and timeouts, or null
     */
    public static <P extends Protocol> TransportAndProtocol<P> accepted(EventLoop loop, Supplier<P> factory, SocketChannel sock, TlsParams tls)
            throws IOException {
        checkConnected(factory, sock);
        return makeTransport(loop, sock, factory, tls, true, null, -1);
    }

    /** The checks of a socket handed over to a transport: open and connected; made non-blocking here. */
    private static void checkConnected(Supplier<?> factory, SocketChannel sock) throws IOException {
        Checks.notNull(factory, "protocolFactory");
        Checks.notNull(sock, "sock");
        if (!sock.isOpen() || !sock.isConnected()) {
            throw new IllegalArgumentException("sock must be an open, connected SocketChannel (connect or accept it first), got "
                    + (sock.isOpen() ? "one not connected" : "a closed one"));
        }
        try {
            sock.configureBlocking(false);
        } catch (Throwable t) {
            closeQuietly(sock);
            throw t;
        }
    }

    /** {@link #unix} on an installed {@link Network}: its {@link Network#connectUnix}, the same TLS layer. */
    private static <P extends Protocol> TransportAndProtocol<P> unixViaNetwork(Network net, EventLoop loop, Supplier<P> factory, Path path,
                                                               TlsParams tls, String serverHostname) throws IOException {
        P protocol = Checks.notNull(factory.get(), "the protocol made by protocolFactory");
        Transport t = null;
        try {
            if (tls == null) {
                t = net.connectUnix(loop, path, protocol);
                return new TransportAndProtocol<>(t, protocol);
            }
            Future<Void> waiter = loop.createFuture();
            SslProtocol sp = sslProtocol(loop, protocol, tls, false, serverHostname, -1, waiter, true);
            t = net.connectUnix(loop, path, sp);
            awaitIo(waiter);
            return new TransportAndProtocol<>(sp.appTransport(), protocol);
        } catch (IOException e) {
            if (t != null) {
                t.abort();
                throw e; // connected, then the handshake failed
            }
            throw connectError(e, path);
        } catch (Throwable e) {
            if (t != null) {
                t.abort();
            }
            throw e;
        }
    }

    /**
     * What {@link Network#connectUnix}'s default does: connects a real Unix domain socket at
     * {@code path} and attaches {@code protocol}; returns once its {@code connectionMade} ran.
     * Failures are the socket's own (no "Connect call failed" prefix: {@link #unix} adds it).
     */
    public static Transport realUnixConnection(EventLoop loop, Path path, Protocol protocol) throws IOException {
        Checks.notNull(path, "path");
        Checks.notNull(protocol, "protocol");
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.configureBlocking(false);
            loop.sockConnect(c, UnixDomainSocketAddress.of(path));
        } catch (Throwable t) {
            closeQuietly(c);
            throw t;
        }
        return makeTransport(loop, c, () -> protocol, null, false, null, -1).transport();
    }

    private static IOException connectError(IOException e, Object where) {
        String msg = "Connect call failed to " + where + ": " + e.getMessage();
        IOException x = e instanceof ConnectException ? new ConnectException(msg)
                : e instanceof java.net.NoRouteToHostException ? new java.net.NoRouteToHostException(msg)
                : new java.net.SocketException(msg);
        x.initCause(e);
        return x;
    }

    static <P extends Protocol> TransportAndProtocol<P> makeTransport(EventLoop loop, SocketChannel ch, Supplier<P> factory, TlsParams tls,
                                                      boolean serverSide, String serverHostname, int port) throws IOException {
        SocketTransport t = null;
        try {
            P protocol = Checks.notNull(factory.get(), "the protocol made by protocolFactory");
            Future<Void> waiter = loop.createFuture();
            if (tls == null) {
                t = new SocketTransport(loop, ch, protocol, waiter, null);
                awaitIo(waiter);
                return new TransportAndProtocol<>(t, protocol);
            }
            SslProtocol sp = sslProtocol(loop, protocol, tls, serverSide, serverHostname, port, waiter, true);
            t = new SocketTransport(loop, ch, sp, null, null);
            awaitIo(waiter);
            return new TransportAndProtocol<>(sp.appTransport(), protocol);
        } catch (Throwable e) {
            if (t != null) {
                t.abort();
            } else {
                closeQuietly(ch);
            }
            throw e;
        }
    }

    /** The TLS layer {@code tls} describes, over a connection to {@code serverHostname:port}. */
    static SslProtocol sslProtocol(EventLoop loop, Protocol app, TlsParams tls, boolean serverSide, String serverHostname, int port,
                                   Future<Void> waiter, boolean callConnectionMade) {
        return new SslProtocol(loop, app, tls.context(), serverSide, serverHostname, port, waiter, callConnectionMade,
                tls.handshakeTimeout(), tls.shutdownTimeout());
    }

    /** Awaits {@code f}, throwing a checked failure as itself instead of wrapped. */
    public static <T> T awaitIo(Future<T> f) throws IOException {
        try {
            return f.await();
        } catch (CancelledError e) {
            throw e;
        } catch (RuntimeException e) {
            throw IoErrors.rethrow(e);
        }
    }

    static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /**
     * Whether {@code t} is a plain connection made by the running loop's installed {@link Network}:
     * a network is installed, the transport is not aio-streams's own (pipes, subprocesses and the
     * TLS layer are), and it is not TLS already.
     */
    private static boolean madeByNetwork(Transport t) {
        return Networks.of(dev.aio4j.loop.Aio.getRunningLoop()) != null
                && !t.getClass().getPackageName().startsWith("dev.aio4j.streams")
                && t.getExtraInfo("ssl_object", null) == null;
    }

    /**
     * Upgrades an open plain connection to TLS (asyncio's {@code loop.start_tls(transport, protocol,
     * sslcontext, server_side=, server_hostname=, ssl_handshake_timeout=, ssl_shutdown_timeout=)}).
     *
     * @param tls the context and timeouts (not null)
     */
    public static Transport startTls(Transport transport, Protocol protocol, TlsParams tls, boolean serverSide,
                                     String serverHostname) throws IOException {
        Checks.notNull(tls, "tls");
        Checks.notNull(transport, "transport");
        EventLoop loop;
        if (transport instanceof SocketTransport socket) {
            loop = socket.loop();
        } else if (madeByNetwork(transport)) {
            loop = dev.aio4j.loop.Aio.getRunningLoop(); // a network's transports serve the loop it is installed on
        } else {
            throw new IllegalArgumentException("startTls() needs a plain socket transport made by aio-streams, got " + transport
                    + " (or a plain connection made by the loop's installed Network)");
        }
        Transport st = transport;
        if (st.isClosing()) {
            throw new IllegalStateException("startTls() on a closing transport: " + st);
        }
        Future<Void> waiter = loop.createFuture();
        SocketAddress peer = (SocketAddress) st.getExtraInfo("peername");
        int port = peer instanceof InetSocketAddress ia ? ia.getPort() : -1;
        SslProtocol sp = sslProtocol(loop, protocol, tls, serverSide, serverHostname, port, waiter, false);
        st.pauseReading();
        st.setProtocol(sp);
        sp.connectionMade(st);
        loop.callSoon(st::resumeReading);
        try {
            awaitIo(waiter);
        } catch (Throwable e) {
            st.abort();
            throw e;
        }
        return sp.appTransport();
    }
}
