package dev.aio4j.streams.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.Future;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.spi.Network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The body of {@code asyncio.Server}: listening channels, accepting, and the connections it made. */
public final class ServerCore {
    /*
     * Maintainer notes. sockets == null once closed. waiters == null once woken (closed and no
     * connection left): waitClosed() then returns at once. serving: the accept readers are
     * registered. activeCount counts the transports made by this server and not yet finished.
     */
    /** How long accepting pauses after accept() fails (asyncio's ACCEPT_RETRY_DELAY). */
    static final double ACCEPT_RETRY_DELAY = 1.0;
    /** asyncio's default listen backlog. */
    public static final int BACKLOG = 100;

    private final EventLoop loop;
    private final Supplier<? extends Protocol> factory;
    /** The TLS context and timeouts of every accepted connection, or null for plain bytes. */
    private final TlsParams tls;
    private List<ServerSocketChannel> sockets;
    /** The listeners of an installed {@link Network}, or null when this server uses real sockets. */
    private final List<Network.Listener> listeners;
    private final List<SocketAddress> addresses;
    private final Path unixPath;
    /**
     * Non-null for the real Unix listener behind {@link Network#listenUnix}'s default: each
     * accepted connection's protocol comes from it, and it hears when the connection ends.
     */
    private Network.Acceptor forward;
    private final Set<Transport> clients = new LinkedHashSet<>();
    private List<Future<Void>> waiters = new ArrayList<>();
    private int activeCount;
    private boolean serving;
    private Future<Void> servingForever;

    private ServerCore(EventLoop loop, Supplier<? extends Protocol> factory, TlsParams tls, List<ServerSocketChannel> sockets,
                       Path unixPath) {
        this.loop = loop;
        this.factory = factory;
        this.tls = tls;
        this.sockets = sockets;
        this.unixPath = unixPath;
        this.listeners = null;
        List<SocketAddress> addrs = new ArrayList<>();
        for (ServerSocketChannel s : sockets) {
            try {
                addrs.add(s.getLocalAddress());
            } catch (IOException e) {
                // closed already; leave it out
            }
        }
        this.addresses = List.copyOf(addrs);
    }

    /**
     * Binds TCP listeners on every address {@code host} resolves to (all interfaces if null), with
     * a backlog and, optionally, {@code SO_REUSEPORT}, so that several listeners (one per event
     * loop) share one address and the kernel spreads connections.
     *
     * @param tls the TLS context and timeouts of each accepted connection, or null for plain TCP
     * @throws IllegalArgumentException if {@code reusePort} is asked where the platform has no
     *     {@code SO_REUSEPORT}, or the backlog is not positive
     */
    public static ServerCore tcp(EventLoop loop, Supplier<? extends Protocol> factory, String host, int port, TlsParams tls,
                                 int backlog, boolean reusePort) throws IOException {
        Checks.port(port);
        Checks.positive(backlog, "backlog");
        Network net = Networks.of(loop);
        if (net != null) {
            return viaNetwork(net, loop, factory, host, port, tls, backlog);
        }
        List<InetSocketAddress> targets = host == null ? List.of(new InetSocketAddress(port)) : loop.getaddrinfo(host, port);
        List<ServerSocketChannel> socks = new ArrayList<>();
        try {
            for (InetSocketAddress a : new LinkedHashSet<>(targets)) {
                ServerSocketChannel s = ServerSocketChannel.open();
                socks.add(s);
                s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (reusePort) {
                    if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        throw new IllegalArgumentException("reusePort is not supported on this platform (no SO_REUSEPORT): "
                                + "serve from one listener and hand connections to the other loops instead");
                    }
                    s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                try {
                    s.bind(a, backlog);
                } catch (IOException e) {
                    throw withAddress(e, a);
                }
                s.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(socks);
            throw e;
        }
        return new ServerCore(loop, factory, tls, socks, null);
    }

    /**
     * Serves on a socket the caller made (asyncio's {@code create_server(sock=...)}). A bound
     * socket listens already; an unbound TCP socket is bound to the wildcard address and an
     * ephemeral port with {@code backlog}, as asyncio's {@code sock.listen(backlog)} does on Linux.
     *
     * @param backlog the listen backlog of an unbound socket, &gt; 0
     * @throws IllegalArgumentException if the socket is closed, or an unbound Unix domain socket
     */
    public static ServerCore adopt(EventLoop loop, Supplier<? extends Protocol> factory, ServerSocketChannel sock, TlsParams tls,
                                   int backlog) throws IOException {
        Checks.notNull(sock, "sock");
        Checks.positive(backlog, "backlog");
        if (!sock.isOpen()) {
            throw new IllegalArgumentException("sock must be an open ServerSocketChannel, got a closed one: " + sock);
        }
        if (sock.getLocalAddress() == null) {
            // asyncio's Server._start_serving calls sock.listen(backlog). On Linux, listen() binds an
            // unbound TCP socket to the wildcard address and an ephemeral port; the JDK listens only
            // through bind(), and bind(null, backlog) does exactly that. An unbound Unix domain
            // socket cannot listen (EINVAL); the JDK would give it a temporary path instead.
            if (!sock.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR)) { // only inet channels have it
                throw new IllegalArgumentException("sock is an unbound Unix domain ServerSocketChannel, which cannot listen "
                        + "(Linux's listen() fails with EINVAL, as asyncio's sock.listen() does); bind it to a path first: " + sock);
            }
            sock.bind(null, backlog);
        }
        sock.configureBlocking(false);
        return new ServerCore(loop, factory, tls, new ArrayList<>(List.of(sock)), null);
    }

    /** A server on an installed {@link Network}: no sockets of its own; the network's listeners. */
    private ServerCore(EventLoop loop, Supplier<? extends Protocol> factory, TlsParams tls) {
        this.loop = loop;
        this.factory = factory;
        this.tls = tls;
        this.sockets = new ArrayList<>();
        this.unixPath = null;
        this.listeners = new ArrayList<>();
        this.addresses = new ArrayList<>();
    }

    private static ServerCore viaNetwork(Network net, EventLoop loop, Supplier<? extends Protocol> factory, String host, int port,
                                         TlsParams tls, int backlog) throws IOException {
        List<InetSocketAddress> targets = host == null ? List.of(new InetSocketAddress(port)) : net.getaddrinfo(loop, host, port);
        ServerCore core = new ServerCore(loop, factory, tls);
        Network.Acceptor acceptor = core.networkAcceptor();
        try {
            for (InetSocketAddress a : new LinkedHashSet<>(targets)) {
                Network.Listener l;
                try {
                    l = net.listen(loop, a, backlog, acceptor);
                } catch (IOException e) {
                    throw withAddress(e, a); // the same message as on real sockets
                }
                core.listeners.add(l);
                core.addresses.add(l.address());
            }
        } catch (IOException | RuntimeException e) {
            core.listeners.forEach(Network.Listener::close);
            throw e;
        }
        return core;
    }

    private Protocol acceptedByNetwork(Transport t) {
        if (sockets == null) {
            throw new IllegalStateException("connection accepted by a closed server: " + this);
        }
        Protocol p = Checks.notNull(factory.get(), "the protocol made by protocolFactory");
        Protocol made = tls == null ? p : Connector.sslProtocol(loop, p, tls, true, null, -1, null, true);
        attach(t);
        return made;
    }

    /**
     * Binds a Unix domain listener at {@code path}, removing a stale socket file first.
     *
     * @param tls the TLS context and timeouts of each accepted connection, or null for plain bytes
     * @param backlog the listen backlog, &gt; 0
     */
    public static ServerCore unix(EventLoop loop, Supplier<? extends Protocol> factory, Path path, TlsParams tls, int backlog)
            throws IOException {
        Checks.notNull(path, "path");
        Checks.positive(backlog, "backlog");
        Network net = Networks.of(loop);
        if (net != null) {
            return unixViaNetwork(net, loop, factory, path, tls, backlog);
        }
        return realUnix(loop, factory, path, tls, backlog);
    }

    private static ServerCore realUnix(EventLoop loop, Supplier<? extends Protocol> factory, Path path, TlsParams tls,
                                       int backlog) throws IOException {
        removeStaleSocket(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path), backlog);
            s.configureBlocking(false);
        } catch (IOException e) {
            s.close();
            throw withAddress(e, path);
        }
        return new ServerCore(loop, factory, tls, new ArrayList<>(List.of(s)), path);
    }

    /** A Unix server on an installed {@link Network}: its {@link Network#listenUnix} listener. */
    private static ServerCore unixViaNetwork(Network net, EventLoop loop, Supplier<? extends Protocol> factory, Path path,
                                             TlsParams tls, int backlog) throws IOException {
        ServerCore core = new ServerCore(loop, factory, tls);
        Network.Listener l;
        try {
            l = net.listenUnix(loop, path, backlog, core.networkAcceptor());
        } catch (IOException e) {
            throw withAddress(e, path); // the same message as on real sockets
        }
        core.listeners.add(Checks.notNull(l, "the listener made by Network.listenUnix"));
        core.addresses.add(UnixDomainSocketAddress.of(path));
        return core;
    }

    /**
     * What {@link Network#listenUnix}'s default does: a real Unix domain listener at {@code path}
     * (a stale socket file removed first, the file removed when it closes) that hands each
     * accepted connection to {@code acceptor}.
     */
    public static Network.Listener realUnixListener(EventLoop loop, Path path, int backlog, Network.Acceptor acceptor)
            throws IOException {
        Checks.notNull(path, "path");
        Checks.positive(backlog, "backlog");
        Checks.notNull(acceptor, "acceptor");
        ServerCore core = realUnix(loop, () -> {
            throw new IllegalStateException("unused: the acceptor makes the protocols");
        }, path, null, backlog);
        core.forward = acceptor;
        core.startServing();
        return new Network.Listener() {
            @Override
            public InetSocketAddress address() {
                return null; // a path, not an InetSocketAddress
            }

            @Override
            public void close() {
                core.close();
            }
        };
    }

    private Network.Acceptor networkAcceptor() {
        ServerCore core = this;
        return new Network.Acceptor() {
            @Override
            public Protocol accepted(Transport transport) {
                return core.acceptedByNetwork(transport);
            }

            @Override
            public void finished(Transport transport) {
                core.detach(transport);
            }
        };
    }

    private static IOException withAddress(IOException e, Object where) {
        IOException x = new java.net.BindException("error while attempting to bind on address " + where + ": " + e.getMessage());
        x.initCause(e);
        return x;
    }

    static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object mode;
        try {
            mode = Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return; // cannot tell: let bind() report the clash
        }
        if (mode instanceof Integer m && (m & 0170000) == 0140000) { // S_ISSOCK
            Files.deleteIfExists(path);
        }
    }

    private static void closeAll(List<ServerSocketChannel> socks) {
        for (ServerSocketChannel s : socks) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    public void startServing() {
        if (serving || sockets == null) {
            return;
        }
        serving = true;
        for (ServerSocketChannel s : sockets) {
            loop.addReader(s, () -> acceptReady(s));
        }
    }

    public boolean isServing() {
        return serving;
    }

    private void acceptReady(ServerSocketChannel s) {
        for (int i = 0; i < BACKLOG; i++) {
            SocketChannel c;
            try {
                c = s.accept();
            } catch (IOException e) {
                if (sockets == null) {
                    return;
                }
                loop.callExceptionHandler(ExceptionContext.of("socket.accept() failed; accepting pauses for "
                        + ACCEPT_RETRY_DELAY + " s: " + this, e));
                loop.removeReader(s);
                loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                    if (serving && sockets != null && s.isOpen()) {
                        loop.addReader(s, () -> acceptReady(s));
                    }
                });
                return;
            }
            if (c == null) {
                return;
            }
            if (forward != null) {
                acceptForwarded(c);
                continue;
            }
            try {
                c.configureBlocking(false);
                Protocol p = factory.get();
                if (tls != null) {
                    SslProtocol sp = Connector.sslProtocol(loop, p, tls, true, null, -1, null, true);
                    new SocketTransport(loop, c, sp, null, this);
                } else {
                    new SocketTransport(loop, c, p, null, this);
                }
            } catch (IOException | RuntimeException e) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // best effort
                }
                loop.callExceptionHandler(ExceptionContext.of("Error setting up a connection accepted by " + this, e));
            }
        }
    }

    /** No protocol until {@link #forward} names one, before the transport's connectionMade runs. */
    private static final Protocol PENDING = new Protocol() {
    };

    private void acceptForwarded(SocketChannel c) {
        SocketTransport t = null;
        try {
            c.configureBlocking(false);
            t = new SocketTransport(loop, c, PENDING, null, this); // connectionMade runs on the next iteration
            t.setProtocol(Checks.notNull(forward.accepted(t), "the protocol made by the Network's acceptor"));
        } catch (IOException | RuntimeException e) {
            if (t != null) {
                t.abort();
            } else {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
            loop.callExceptionHandler(ExceptionContext.of("Error setting up a connection accepted by " + this, e));
        }
    }

    void attach(Transport t) {
        activeCount++;
        clients.add(t);
    }

    void detach(Transport t) {
        activeCount--;
        clients.remove(t);
        if (forward != null && t instanceof SocketTransport st && st.getProtocol() != PENDING) {
            forward.finished(t);
        }
        if (activeCount == 0 && sockets == null) {
            wakeup();
        }
    }

    private void wakeup() {
        List<Future<Void>> ws = waiters;
        waiters = null;
        if (ws != null) {
            for (Future<Void> w : ws) {
                if (!w.done()) {
                    w.setResult(null);
                }
            }
        }
    }

    /** Whether {@link #close()} ran: the listeners are gone. */
    public boolean isClosed() {
        return sockets == null;
    }

    public void close() {
        List<ServerSocketChannel> socks = sockets;
        if (socks == null) {
            return;
        }
        // before any state changes: a close() refused for its thread leaves the server fully open
        LoopAccess.checkThread(loop, "Server.close()");
        sockets = null;
        if (listeners != null) {
            listeners.forEach(Network.Listener::close);
        }
        for (ServerSocketChannel s : socks) {
            loop.removeReader(s);
            ImmediateClose.close(loop, s); // refuse connections now, not at the next select
        }
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // best effort, as asyncio's cleanup_socket
            }
        }
        serving = false;
        if (servingForever != null && !servingForever.done()) {
            servingForever.cancel();
        }
        servingForever = null;
        if (activeCount == 0) {
            wakeup();
        }
    }

    public void closeClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    public void abortClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    public void waitClosed() {
        if (waiters == null) {
            return;
        }
        Future<Void> w = loop.createFuture();
        waiters.add(w);
        w.await();
    }

    public void serveForever() {
        if (servingForever != null) {
            throw new IllegalStateException("serveForever() is already running on " + this);
        }
        if (sockets == null) {
            throw new IllegalStateException("serveForever() on a closed server: " + this);
        }
        startServing();
        Future<Void> f = loop.createFuture();
        servingForever = f;
        try {
            f.await();
        } catch (CancelledError e) {
            try {
                close();
                waitClosed();
            } catch (RuntimeException x) {
                e.addSuppressed(x);
            }
            throw e;
        } finally {
            if (servingForever == f) {
                servingForever = null;
            }
        }
    }

    public List<ServerSocketChannel> sockets() {
        return sockets == null ? List.of() : List.copyOf(sockets);
    }

    public List<SocketAddress> addresses() {
        return sockets == null ? List.of() : List.copyOf(addresses);
    }

    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return "Server[" + (sockets == null ? "closed" : serving ? "serving" : "not serving") + ", addresses="
                + addresses + ", connections=" + activeCount + "]";
    }
}
